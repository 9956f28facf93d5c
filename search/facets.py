"""Facet counts beside the results: type, country, region, year and tactic.

Each facet counts within the matches with every filter applied except its own, so that a
visitor can widen a choice; where no facet has a filter of its own they all count the same ids.
The cases' facets (country, region, year, tactic) are counted by the catalogue's in-memory
index (cases/index.py, `index_counts`) from the matched case ids, on every database: on PostgreSQL
the search's own statement counts types and guides' threats and sends the case ids as a bit set
(pgsearch.py); elsewhere types are counted from the matched rows and guides' threats in one query
(`counts_from_rows`). Either way facet_counts() shapes the raw counts.
"""

from collections import Counter

from django.db.models import Count

from cases.index import bits_from_positions
from cases.models import CaseStudyPage, Country, Tactic
from guides.models import GuidePage
from portal.collation import name_key
from portal.names import country_name, term_name

from .engine import id_set
from .scope import TYPES, allowed_rows, candidate_countries, content_type_id

FACET_SIZE = 12
FACETS = ("type", "country", "region", "year", "tactic")
CASE_FACETS = ("country", "region", "year", "tactic")


def counts_from_rows(scope, filters, scores, rows, index):
    """Raw counts per facet among the matches, each facet ignoring its own selection (SQLite).

    `rows` are the allowed (page id, content type id) of the search; a facet with a filter of its
    own reads its rows again without it (one query each). Types are counted from the rows, the
    cases' facets by the catalogue `index`, and the guides' threats in one query, if any guide matched.
    """
    row_sets = {name: allowed_rows(scope, filters, scores, name) if filters.get(name) else rows for name in FACETS}
    case_type, guide_type = content_type_id(CaseStudyPage), content_type_id(GuidePage)
    raw = {"type": dict(Counter(ct for _, ct in row_sets["type"]))}
    for source in {id(row_sets[name]): row_sets[name] for name in CASE_FACETS}.values():
        names = [name for name in CASE_FACETS if row_sets[name] is source]
        positions = (index.position_of.get(pk) for pk, ct in source if ct == case_type)
        matched = bits_from_positions(position for position in positions if position is not None)
        raw.update(index_counts(index, matched, names))
    guides = [pk for pk, ct in row_sets["tactic"] if ct == guide_type]
    if guides:
        raw["tactic"] += list(
            Tactic.objects.live()
            .filter(guides__in=id_set(guides))
            .values_list("slug", "name")
            .annotate(n=Count("guides", distinct=True))
            .order_by()
        )
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


def facet_counts(raw, filters, country_matcher, country_type_count=None):
    """Facets as the page shows them, from raw counts: biggest first, selected values kept.

    `country_type_count` is the number of countries matched without a type filter, if known.
    """
    type_counts = raw["type"]
    if country_type_count is None:
        country_type_count = country_matcher.count(candidate_countries(filters, "type"))
    types = [
        ("case", TYPES["case"], type_counts.get(content_type_id(CaseStudyPage), 0)),
        ("guide", TYPES["guide"], type_counts.get(content_type_id(GuidePage), 0)),
        ("country", TYPES["country"], country_type_count),
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
