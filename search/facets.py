"""Facet counts beside the results: type, country, region, year and tactic."""

from django.db.models import Count
from django.db.models.functions import ExtractYear
from wagtail.models import Page

from cases.models import CaseStudyPage, Country, Tactic
from guides.models import GuidePage

from .engine import id_set
from .scope import TYPES, allowed_ids, candidate_countries, content_type_id

FACET_SIZE = 12


def facet_counts(scope, filters, scores, allowed, country_matcher):
    """Counts per filter value among the matches, each facet ignoring its own selection."""

    def ids_for(skip):
        # A facet whose own filter is not set counts within the results already found.
        return allowed if not filters.get(skip) else allowed_ids(scope, filters, scores, skip)

    type_counts = dict(
        Page.objects.filter(pk__in=id_set(ids_for("type")))
        .order_by()
        .values_list("content_type_id")
        .annotate(n=Count("pk"))
    )
    types = [
        ("case", TYPES["case"], type_counts.get(content_type_id(CaseStudyPage), 0)),
        ("guide", TYPES["guide"], type_counts.get(content_type_id(GuidePage), 0)),
        ("country", TYPES["country"], country_matcher.count(candidate_countries(filters, "type"))),
    ]

    countries = list(
        Country.objects.filter(cases__in=id_set(ids_for("country")))
        .values_list("code", "name")
        .annotate(n=Count("cases", distinct=True))
        .order_by("-n", "name")[:FACET_SIZE]
    )
    shown = {code for code, _, _ in countries}
    missing = [code for code in filters.get("country", []) if code not in shown]
    if missing:
        countries += [(c.code, c.name, 0) for c in Country.objects.filter(code__in=missing)]

    regions = list(
        Country.objects.filter(cases__in=id_set(ids_for("region")))
        .exclude(region="")
        .values_list("region_slug", "region")
        .annotate(n=Count("cases", distinct=True))
        .order_by("region")
    )

    years = list(
        CaseStudyPage.objects.filter(pk__in=id_set(ids_for("year")))
        .order_by()
        .annotate(year=ExtractYear("first_seen"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )

    tactic_ids = id_set(ids_for("tactic"))
    counts = {}
    for slug, name, n in (
        Tactic.objects.filter(cases__in=tactic_ids)
        .values_list("slug", "name")
        .annotate(n=Count("cases", distinct=True))
    ):
        counts[slug] = [name, n]
    for slug, name, n in (
        Tactic.objects.filter(guides__in=tactic_ids)
        .values_list("slug", "name")
        .annotate(n=Count("guides", distinct=True))
    ):
        counts.setdefault(slug, [name, 0])[1] += n
    tactics = sorted(((slug, name, n) for slug, (name, n) in counts.items()), key=lambda t: (-t[2], t[1]))[:FACET_SIZE]

    return {
        "type": types,
        "country": countries,
        "region": regions,
        "year": [(str(year), str(year), n) for year, n in years],
        "tactic": tactics,
    }
