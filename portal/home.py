"""What the home page shows, in a fixed number of queries."""

from django.db.models import Count, Max, Min, Q

from cases.models import CaseStudyPage, Country, Tactic
from guides.models import GuidePage


def region_counts():
    """Published cases per UN M49 region, largest first. A case in two regions counts in both."""
    published = CaseStudyPage.objects.published()
    rows = (
        Country.objects.filter(cases__in=published)
        .values("region", "region_slug")
        .annotate(cases=Count("cases", filter=Q(cases__in=published), distinct=True))
        .order_by("-cases", "region")
    )
    return list(rows)


def catalogue_picker():
    """Choices for the home page's "find cases" form: countries and tactics that have cases, and the years."""
    published = CaseStudyPage.objects.published()
    years = published.aggregate(first=Min("first_seen"), last=Max("first_seen"), ended=Max("last_seen"))
    last = max(d.year for d in (years["last"], years["ended"]) if d) if years["last"] else None
    return {
        "countries": Country.objects.with_case_counts(),
        "tactics": Tactic.objects.filter(cases__in=published).distinct().order_by("name"),
        "years": range(last, years["first"].year - 1, -1) if last else [],
    }


def home_context(home):
    published_cases = CaseStudyPage.objects.published()
    featured = GuidePage.objects.published().filter(pk__in=home.featured_guides.values("pk"))
    if not featured.exists():
        featured = GuidePage.objects.published().order_by("-first_published_at")
    return {
        "latest_cases": published_cases.for_listing().order_by("-first_seen", "title")[:6],
        "featured_guides": featured.for_listing()[:4],
        "region_counts": region_counts(),
        "case_count": published_cases.count(),
        "country_count": Country.objects.filter(cases__in=published_cases).distinct().count(),
        "guide_count": GuidePage.objects.published().count(),
        "picker": catalogue_picker(),
    }
