"""The election watch: for each election to come, what was seen before in its country and region,
and the guides that prepare for it.

Why here and not in a template: every number comes from the catalogue's in-memory index
(cases/index.py), which already knows, as bit sets, the published cases of each country, region,
tactic and year. A watch of any length costs a fixed number of queries: the elections, the
newest cases of all their countries in one batch, and the guides with their tactics and cited
cases in three more. Nothing is fetched per election.

Guides are chosen as on a country page: those that address a tactic seen (in the country, or in
its region lately) or cite one of the country's cases, the closest first. Where none does, the
guides written for the run-up to an election (the "pre-election" phase) stand in, said as such.
"""

from dataclasses import dataclass, field

from django.utils.http import urlencode

from cases.facets import tactics_by_count
from cases.index import listed_cases
from cases.live_index import catalogue_index
from guides.models import GuidePage
from portal.translations import language_path, localize

from .models import Election

CATALOGUE_URL = "/cases/"
# "Lately" in a region: cases seen in this year or the one before.
REGION_YEARS = 2
CASES_SHOWN = 3  # newest cases of the country named under each election
TACTICS_SHOWN = 3
GUIDES_SHOWN = 3
# The election phase whose guides stand in when no guide matches what was seen.
PREPARE_PHASE = "pre-election"


@dataclass(frozen=True)
class TacticCount:
    name: str  # in the page's language
    slug: str
    case_count: int
    catalogue_url: str


@dataclass
class Seen:
    """What the catalogue holds for a place: how many cases, the tactics most seen, where to read them."""

    case_count: int
    tactics: list
    catalogue_url: str
    cases: list = field(default_factory=list)


@dataclass
class WatchItem:
    election: Election
    country: Seen
    region: Seen
    region_name: str
    year_from: int
    guides: list
    guides_for_any_election: bool = False  # the pre-election guides, as none matched what was seen


def catalogue_link(**params):
    return language_path(f"{CATALOGUE_URL}?{urlencode(params)}")


def tactics_seen(index, bits, limit=TACTICS_SHOWN, **link):
    """The tactics most seen among the cases in `bits`, most cases first, each linked to the catalogue."""
    return [
        (pk, TacticCount(name, slug, n, catalogue_link(**link, tactic=slug)))
        for n, name, slug, pk, _bits in tactics_by_count(index, bits)[:limit]
    ]


def _guides_with_links(index):
    """The published guides, each with the pks of the tactics it addresses and the bits of the cases it cites."""
    guides = list(GuidePage.objects.published().order_by("title"))
    by_pk = {guide.pk: guide for guide in guides}
    threats = GuidePage.threats.through.objects.filter(guidepage__in=by_pk).values_list("guidepage_id", "tactic_id")
    cited = GuidePage.related_cases.through.objects.filter(guidepage__in=by_pk).values_list(
        "guidepage_id", "casestudypage_id"
    )
    preparing = set(
        GuidePage.phases.through.objects.filter(guidepage__in=by_pk, electionphase__slug=PREPARE_PHASE).values_list(
            "guidepage_id", flat=True
        )
    )
    for guide in guides:
        guide.threat_pks, guide.cited_bits, guide.prepares = set(), 0, guide.pk in preparing
    for guide_pk, tactic_pk in threats:
        by_pk[guide_pk].threat_pks.add(tactic_pk)
    cited_by = {}
    for guide_pk, case_pk in cited:
        cited_by.setdefault(case_pk, []).append(by_pk[guide_pk])
    if cited_by:  # one pass over the index's cases finds the positions of the cited ones
        for position, case_pk in enumerate(index.ids):
            for guide in cited_by.get(case_pk, ()):
                guide.cited_bits |= 1 << position
    return guides


def guides_for(guides, tactic_pks, case_bits, limit=GUIDES_SHOWN):
    """The guides that address these tactics or cite one of these cases, those that match most first."""
    scored = []
    for guide in guides:
        score = len(guide.threat_pks & tactic_pks) + (2 if guide.cited_bits & case_bits else 0)
        if score:
            scored.append((-score, guide.title, guide))
    return [guide for *_, guide in sorted(scored, key=lambda row: row[:2])][:limit]


def election_watch(elections, today):
    """A WatchItem for each election (in the order given), in a fixed number of queries."""
    elections = list(elections)
    index = catalogue_index()
    year_from = today.year - REGION_YEARS + 1
    recent = index.ends_from_year(year_from)
    newest = {}
    for election in elections:
        code = election.country.code
        if code not in newest:
            newest[code] = index.page_ids(index.country_bits(code), "newest", 0, CASES_SHOWN)
    found = {case.pk: case for case in localize(listed_cases([pk for ids in newest.values() for pk in ids]))}
    guides = localize(_guides_with_links(index)) if elections else []

    preparing = [guide for guide in guides if guide.prepares][:GUIDES_SHOWN]
    items = []
    for election in elections:
        country = election.country
        in_country = index.country_bits(country.code)
        in_region = index.regions.get(country.region_slug, 0) & recent
        country_tactics = tactics_seen(index, in_country, country=country.code)
        region_tactics = tactics_seen(index, in_region, region=country.region_slug, year_from=year_from)
        matched = guides_for(guides, {pk for pk, _ in country_tactics + region_tactics}, in_country)
        items.append(
            WatchItem(
                election=election,
                country=Seen(
                    case_count=in_country.bit_count(),
                    tactics=[tactic for _, tactic in country_tactics],
                    catalogue_url=country.get_absolute_url(),
                    cases=[found[pk] for pk in newest[country.code] if pk in found],
                ),
                region=Seen(
                    case_count=in_region.bit_count(),
                    tactics=[tactic for _, tactic in region_tactics],
                    catalogue_url=catalogue_link(region=country.region_slug, year_from=year_from),
                ),
                region_name=country.region_label,
                year_from=year_from,
                guides=matched or preparing,
                guides_for_any_election=not matched and bool(preparing),
            )
        )
    return items
