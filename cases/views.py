"""Country browsing: the index of countries with cases and one hub per country.

A country appears in two ways, counted apart: as the country whose elections a case is about
(`countries`), and as the base of an actor a case names (`actors` → `Actor.country`), so a hub
also shows the operations attributed to actors based there.
"""

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from guides.models import GuidePage
from portal.absolute_urls import absolute_url
from portal.collation import name_key
from portal.names import term_name
from portal.translations import language_path, localize

from .choices import Origin
from .facets import tactics_by_count
from .index import listed_cases
from .live_index import catalogue_index
from .models import CaseStudyPage, Country
from .timeline import calendar_events, country_timeline

# The catalogue is a Wagtail page; its address is fixed by the public URL contract.
CATALOGUE_URL = "/cases/"
# A hub lists this many cases; the catalogue link shows the rest, with filters.
HUB_CASE_LIMIT = 100
# A country without cases shows this many of its region's newest cases instead.
NEARBY_CASE_LIMIT = 10


@dataclass(frozen=True)
class TacticSeen:
    name: str  # in the page's language
    slug: str
    pk: int
    case_count: int
    catalogue_url: str


def catalogue_link(**params):
    """The catalogue with these filters, in the active language."""
    return language_path(f"{CATALOGUE_URL}?{urlencode(params, doseq=True)}")


def country_index(request):
    """Countries with published cases about their elections or by actors based there, grouped by UN M49 region.

    Both counts come from the catalogue index.
    """
    index = catalogue_index()
    counts = {code: bits.bit_count() for code, _name, bits, _extra in index.countries.options}
    actor_counts = {code: bits.bit_count() for code, _name, bits, _extra in index.actor_countries.options}
    listed = Country.objects.live().filter(code__in=counts.keys() | actor_counts.keys())
    # Regions and countries by their names in the page's language (portal/names.py).
    countries = sorted(listed, key=lambda c: (name_key(c.region_label), name_key(c.label)))
    for country in countries:
        country.case_count = counts.get(country.code, 0)
        country.actor_case_count = actor_counts.get(country.code, 0)
    regions = [
        {"name": members[0].region_label or _("Other"), "slug": members[0].region_slug, "countries": members}
        for _region, members in ((region, list(group)) for region, group in groupby(countries, key=lambda c: c.region))
    ]
    return render(request, "cases/country_index.html", {"regions": regions, "country_count": len(countries)})


def nearby_context(index, country, load=listed_cases):
    """For a country with no published case: its sub-region's (else region's) newest cases, and the guides."""
    for slug, name in ((country.sub_region_slug, country.sub_region), (country.region_slug, country.region)):
        bits = index.regions.get(slug, 0)
        if bits:
            ids = index.page_ids(bits, "newest", 0, NEARBY_CASE_LIMIT)
            return {
                "nearby": {"name": term_name(name), "cases": load(ids), "count": bits.bit_count()},
                "nearby_url": catalogue_link(region=slug),
                "all_guides": GuidePage.objects.published().for_listing(),
            }
    return {"nearby": None, "all_guides": GuidePage.objects.published().for_listing()}


def country_overview(country, index, limit=None, actor_limit=None, load=listed_cases):
    """What a country hub and its briefing show: counts, the newest cases, the tactics seen, the guides.

    `limit` and `actor_limit` cap the two lists of cases (the hub's HUB_CASE_LIMIT when None).
    Counts, the newest cases and the tactics come from the catalogue index (index.py); `load`
    reads the cases for these pks (the hub's listing rows, or the briefing's with their sources).
    The cases attributed to actors based in the country are listed apart; both lists are read in one go.
    """
    in_country = index.country_bits(country.code)
    by_actors = index.actor_country_bits(country.code)
    ids = index.page_ids(in_country, "newest", 0, limit or HUB_CASE_LIMIT)
    actor_ids = index.page_ids(by_actors, "newest", 0, actor_limit or HUB_CASE_LIMIT)
    found = {case.pk: case for case in load(list(dict.fromkeys(ids + actor_ids)))}
    tactics = [
        TacticSeen(name, slug, pk, n, catalogue_link(country=country.code, tactic=slug))
        for n, name, slug, pk, _bits in tactics_by_count(index, in_country)
    ]
    published = CaseStudyPage.objects.published().in_country(country.code)
    # Guides that address a tactic seen in this country, or that cite one of its cases.
    guides = (
        GuidePage.objects.published()
        .filter(Q(threats__in=[t.pk for t in tactics]) | Q(related_cases__in=published.values("pk")))
        .distinct()
        .for_listing()
    )
    case_count = in_country.bit_count()
    actor_case_count = by_actors.bit_count()
    return {
        "country": country,
        "case_count": case_count,
        "cases": [found[pk] for pk in ids if pk in found],
        "tactics": tactics,
        "guides": guides,
        "catalogue_url": catalogue_link(country=country.code) if case_count else "",
        "actor_case_count": actor_case_count,
        "actor_cases": [found[pk] for pk in actor_ids if pk in found],
        "actor_catalogue_url": catalogue_link(actor_country=country.code) if actor_case_count else "",
        "region_url": catalogue_link(region=country.sub_region_slug),
    }


def country_detail(request, slug):
    """A country hub: profile, cases as a timeline by year, tactics seen, relevant guides, catalogue links."""
    country = get_object_or_404(Country.objects.live(), slug=slug)
    index = catalogue_index()
    overview = country_overview(country, index)
    # In French or Spanish: each case's and guide's translated title and summary, where one is live.
    localize({case.pk: case for case in overview["cases"] + overview["actor_cases"]}.values())
    overview["guides"] = localize(overview["guides"])
    nearby = nearby_context(index, country) if not overview["case_count"] else {}
    if nearby.get("nearby"):
        localize(nearby["nearby"]["cases"])
    cases = overview["cases"]
    timeline = [
        {
            "year": year,
            "cases": list(items),
            "catalogue_url": catalogue_link(country=country.code, year_from=year, year_to=year),
        }
        for year, items in groupby(cases, key=lambda case: case.first_seen.year)
    ]
    return render(
        request,
        "cases/country_detail.html",
        {
            **nearby,
            **overview,
            "canonical_url": absolute_url(request, country.get_absolute_url()),
            "timeline": timeline,
            "timeline_chart": country_timeline(cases, calendar_events(country)),
            "origins": Origin.choices,
            "briefing_url": reverse("country-briefing", args=[country.slug]),
        },
    )
