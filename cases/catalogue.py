"""The catalogue page's listing: published cases, paginated."""

from django.core.paginator import Paginator

from .models import CaseStudyPage

PAGE_SIZE = 20


def catalogue_context(request, index_page):
    cases = CaseStudyPage.objects.published().for_listing().order_by("-first_seen", "title")
    paginator = Paginator(cases, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {"cases": page.object_list, "page_obj": page, "result_count": paginator.count}
