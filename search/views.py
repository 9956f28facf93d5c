"""The public search page: cases, guides and country profiles, live and public only."""

from django.core.paginator import Paginator
from django.shortcuts import render

from cases.models import CaseStudyPage, Country
from guides.models import GuidePage

MAX_QUERY_LENGTH = 200


def search(request):
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    results = []
    if query:
        results = list(CaseStudyPage.objects.published().search(query)[:50])
        results += list(GuidePage.objects.published().search(query)[:20])
        results += list(Country.objects.search(query)[:10])
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"query": query, "page_obj": page, "results": page.object_list})
