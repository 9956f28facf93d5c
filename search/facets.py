"""Facet counts beside the results: type, country, region, year and tactic.

Each facet counts within the matches with every filter applied except its own, so that a
visitor can widen a choice; where no facet has a filter of its own they all count the same ids.
On PostgreSQL the search's own statement counts types and guides' threats and hands the
matched case ids to the catalogue's in-memory index (pgsearch.py, `index_counts`); elsewhere one
query per facet counts over the matched ids. Either way facet_counts() shapes the raw counts.
"""

from django.db.models import Count
from django.db.models.functions import ExtractYear
from wagtail.models import Page

from cases.models import CaseStudyPage, Country, Tactic
from guides.models import GuidePage
from portal.collation import name_key
from portal.names import country_name, term_name

from .engine import id_set
from .scope import TYPES, allowed_ids, candidate_countries, content_type_id

FACET_SIZE = 12
FACETS = ("type", "country", "region", "year", "tactic")


def orm_counts(scope, filters, scores, allowed, type_counts=None):
    """Raw counts per facet among the matches, each facet ignoring its own selection, from the ids.

    `type_counts` ({content_type_id: n} of `allowed`) saves a query when type is not filtered.
    On PostgreSQL pgsearch.py counts in the search's own statement instead.
    """
    id_sets = {}
    for name in FACETS:
        # A facet whose own filter is not set counts within the results already found.
        id_sets[name] = allowed if not filters.get(name) else allowed_ids(scope, filters, scores, name)
    if filters.get("type"):
        type_counts = None
    raw = _counts_orm(id_sets, need_types=type_counts is None)
    if type_counts is not None:
        raw["type"] = dict(type_counts)
    return raw


def index_counts(index, matched, facets):
    """{facet: raw counts} of the cases in `matched` (bits of the catalogue index), non-zero only.

    Regions are the top-level ones, as the search facet lists them; years are first-seen years.
    """

    def counted(rows):
        return [(key, label, n) for key, label, bits in rows if (n := (bits & matched).bit_count())]

    raw = {}
    if "country" in facets:
        raw["country"] = counted((code, name, bits) for code, name, bits, _ in index.countries.options)
    if "region" in facets:
        raw["region"] = counted(
            (slug, name, index.regions[slug]) for slug, name, parent in index.region_rows if parent is None
        )
    if "year" in facets:
        years = range(index.first_year, index.last_year + 1) if index.first_year is not None else ()
        raw["year"] = [(year, n) for year in years if (n := (index.started_in(year) & matched).bit_count())]
    if "tactic" in facets:
        raw["tactic"] = counted((slug, name, bits) for slug, name, bits, _ in index.terms["tactic"].options)
    return raw


def facet_counts(raw, filters, country_matcher):
    """Facets as the page shows them, from raw counts: biggest first, selected values kept."""
    type_counts = raw["type"]
    types = [
        ("case", TYPES["case"], type_counts.get(content_type_id(CaseStudyPage), 0)),
        ("guide", TYPES["guide"], type_counts.get(content_type_id(GuidePage), 0)),
        ("country", TYPES["country"], country_matcher.count(candidate_countries(filters, "type"))),
    ]

    # Names in the page's language (portal/names.py); the cached page's key holds the language.
    named = [(code, country_name(code, name), n) for code, name, n in raw["country"]]
    countries = sorted(named, key=lambda c: (-c[2], name_key(c[1])))[:FACET_SIZE]
    shown = {code for code, _, _ in countries}
    missing = [code for code in filters.get("country", []) if code not in shown]
    if missing:
        countries += [(c.code, c.label, 0) for c in Country.objects.live().filter(code__in=missing)]

    regions = sorted(
        ((slug, term_name(name), n) for slug, name, n in raw["region"] if name), key=lambda r: name_key(r[1])
    )
    years = sorted(raw["year"], key=lambda y: -y[0])

    counts = {}
    for slug, name, n in raw["tactic"]:
        counts.setdefault(slug, [term_name(name), 0])[1] += n
    tactics = sorted(((slug, name, n) for slug, (name, n) in counts.items()), key=lambda t: (-t[2], name_key(t[1])))[
        :FACET_SIZE
    ]

    return {
        "type": types,
        "country": countries,
        "region": regions,
        "year": [(str(year), str(year), n) for year, n in years],
        "tactic": tactics,
    }


def _counts_orm(id_sets, need_types=True):
    """The facet counts one query each (SQLite, where the catalogue is small)."""
    raw = {}
    if need_types:
        raw["type"] = dict(
            Page.objects.filter(pk__in=id_set(id_sets["type"]))
            .order_by()
            .values_list("content_type_id")
            .annotate(n=Count("pk"))
        )
    raw["country"] = list(
        Country.objects.live()
        .filter(cases__in=id_set(id_sets["country"]))
        .values_list("code", "name")
        .annotate(n=Count("cases", distinct=True))
        .order_by()
    )
    raw["region"] = list(
        Country.objects.live()
        .filter(cases__in=id_set(id_sets["region"]))
        .exclude(region="")
        .values_list("region_slug", "region")
        .annotate(n=Count("cases", distinct=True))
        .order_by()
    )
    raw["year"] = list(
        CaseStudyPage.objects.filter(pk__in=id_set(id_sets["year"]))
        .order_by()
        .annotate(year=ExtractYear("first_seen"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tactic_ids = id_set(id_sets["tactic"])
    raw["tactic"] = list(
        Tactic.objects.live()
        .filter(cases__in=tactic_ids)
        .values_list("slug", "name")
        .annotate(n=Count("cases", distinct=True))
        .order_by()
    ) + list(
        Tactic.objects.live()
        .filter(guides__in=tactic_ids)
        .values_list("slug", "name")
        .annotate(n=Count("guides", distinct=True))
        .order_by()
    )
    return raw
