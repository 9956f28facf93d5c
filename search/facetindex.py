"""Case facets counted in memory: the published cases of every country, region, first-seen year
and tactic, each as one Python int whose bit n is set for the case with id n.

Why: counting the facets over the matches in SQL joins every matched case with its countries
and tactics. A common word matches a quarter of a large catalogue and a phrase half of it; at
100,000 cases those joins cost more than the rest of the search together. With the sets in
memory a count is one AND and one bit_count() per value: a few milliseconds for every facet,
plus turning the matched cases (sent by the search statement as 64-bit words) into a set.

The index is built from `CaseStudyPage.objects.published()` and the live countries and tactics
(`.live()`: a link to a term never published counts for nothing) and kept with the content
version it was built from (portal/versioning.py). Each search reads the version (one query) and
rebuilds the index when it has moved on, so an edit, publication or privacy change shows on
the next search. Each process holds its own.
"""

import struct
from dataclasses import dataclass

from cases.index import BitSets
from cases.models import CaseStudyPage, Country, Tactic
from portal import versioning

WORD_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class FacetIndex:
    countries: list  # (code, name, bits)
    regions: list  # (slug, name, bits): top-level regions, as the search facet lists them
    years: list  # (year, bits)
    tactics: list  # (slug, name, bits)

    def counts(self, matched, facets):
        """{facet: raw counts} for these facets among the cases in bit set `matched` (non-zero only)."""
        raw = {}
        if "country" in facets:
            raw["country"] = _counted(((code, name) for code, name, _ in self.countries), self.countries, matched)
        if "region" in facets:
            raw["region"] = _counted(((slug, name) for slug, name, _ in self.regions), self.regions, matched)
        if "year" in facets:
            raw["year"] = [(year, n) for year, bits in self.years if (n := (bits & matched).bit_count())]
        if "tactic" in facets:
            raw["tactic"] = _counted(((slug, name) for slug, name, _ in self.tactics), self.tactics, matched)
        return raw

    def cases_by_country(self):
        """{code: number of published cases} of every country with cases."""
        return {code: bits.bit_count() for code, _, bits in self.countries}


def _counted(keys, rows, matched):
    return [(*key, n) for key, row in zip(keys, rows, strict=True) if (n := (row[-1] & matched).bit_count())]


def bits_from_words(numbers):
    """The int whose 64-bit word i is w, from [i…, w…] (ascending i) as the search statement sends it."""
    half = len(numbers) // 2
    if not half:
        return 0
    buffer = bytearray(8 * (numbers[half - 1] + 1))
    for i, word in zip(numbers[:half], numbers[half:], strict=True):
        struct.pack_into("<Q", buffer, 8 * i, word & WORD_MASK)  # BIT_OR gives signed words
    return int.from_bytes(buffer, "little")


def build():
    """Read the published cases' years, countries and tactics (four queries) into bit sets."""
    cases = CaseStudyPage.objects.published()
    published = cases.values("pk")
    years, by_country, by_tactic = BitSets(), BitSets(), BitSets()
    for pk, first_seen in cases.order_by().values_list("pk", "first_seen"):
        years.add(first_seen.year, pk)
    country_links = CaseStudyPage.countries.through.objects.filter(casestudypage_id__in=published)
    for pk, country_id in country_links.values_list("casestudypage_id", "country_id"):
        by_country.add(country_id, pk)
    tactic_links = CaseStudyPage.tactics.through.objects.filter(casestudypage_id__in=published)
    for pk, tactic_id in tactic_links.values_list("casestudypage_id", "tactic_id"):
        by_tactic.add(tactic_id, pk)

    country_bits, countries, regions = by_country.bits(), [], {}
    for country_id, code, name, region_slug, region in Country.objects.live().values_list(
        "id", "code", "name", "region_slug", "region"
    ):
        bits = country_bits.get(country_id, 0)
        if bits:
            countries.append((code, name, bits))
            if region:
                label, region_bits = regions.get(region_slug, (region, 0))
                regions[region_slug] = (label, region_bits | bits)
    tactic_bits = by_tactic.bits()
    tactics = [
        (slug, name, tactic_bits[pk])
        for pk, slug, name in Tactic.objects.live().values_list("id", "slug", "name")
        if pk in tactic_bits
    ]
    return FacetIndex(
        countries=countries,
        regions=[(slug, name, bits) for slug, (name, bits) in regions.items()],
        years=sorted(years.bits().items()),
        tactics=tactics,
    )


# The index for the content as it is now, rebuilt first if the content has changed.
current = versioning.Derived(build).get
