"""The catalogue's in-memory index: which published cases each filter option selects, as bit sets.

Why: a catalogue page shows a count for every option of every filter, each computed with the
other filters on. In SQL that is ten aggregates over the matching cases per page; at 100,000
cases they cost most of a second. Here every option (a country, a region, a tactic, an origin,
"ends in 2016 or later"…) is a Python int whose bit i says whether case i matches it. Applying
filters is OR within a filter and AND across filters; a facet count is one AND and one
`bit_count()`. A whole page of facets takes a few milliseconds and no queries.

Case i is the i-th published case in the catalogue's default order (newest first), so pages in
that order, and in its reverse, are read straight off the bits; the other orders keep a list of
positions read from the database in that order, so ties and collation match SQL exactly.

The index is built (index_build.py) from `CaseStudyPage.objects.published()`, the one
published-and-public queryset, and the live terms only (`.live()`, portal/reviewed.py). Each
process holds its own and keeps it current with the content version (live_index.py). Search
counts its case facets here too: `position_of` maps a case pk to its position.

The FilterSet (filters.py) stays the definition of the filters: it validates the parameters and
its SQL querysets serve the exports; tests check that both give the same cases.
"""

import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import islice
from operator import itemgetter

from .filters import Q_MAX_TERMS
from .models import CaseStudyPage, Channel, Tactic, Target

# Bit tables for reading positions out of a bit set one byte at a time.
_BITS_OF_BYTE = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]
_COUNT_OF_BYTE = [len(bits) for bits in _BITS_OF_BYTE]

# Words looked up in the case texts are remembered: readers page through and refine the same words.
WORD_CACHE_SIZE = 256
TERM_FILTERS = {"tactic": ("tactics", Tactic), "channel": ("channels", Channel), "target": ("targets", Target)}


@dataclass(frozen=True)
class Vocabulary:
    """A filter's options in display order: (value, label, bits, extra)."""

    options: list

    def bits_of(self, values):
        wanted = set(values)
        return _union(bits for value, _label, bits, _extra in self.options if value in wanted)


@dataclass
class CatalogueIndex:
    ids: array  # case pk by position (newest first)
    all: int
    countries: Vocabulary  # value = code, extra = (region, region_slug, sub_region_slug)
    actor_countries: Vocabulary  # where the actors a case names are based; value and extra as countries
    regions: dict  # slug -> bits (regions and sub-regions)
    region_rows: list  # (slug, name, sub_region_of or None) of regions with cases, display order
    terms: dict  # "tactic" / "channel" / "target" -> Vocabulary (value = slug, extra = pk)
    actor_types: Vocabulary
    origins: Vocabulary
    attributions: Vocabulary
    ends_from: dict  # year -> bits of cases whose period ends in that year or later
    starts_until: dict  # year -> bits of cases whose period starts in that year or earlier
    first_year: int | None
    last_year: int | None
    orders: dict  # sort name -> array of positions, for sorts other than newest/oldest
    position_of: dict  # case pk -> position
    load_texts: Callable  # load_texts(ids) -> the searchable text of each case, by position
    base: "CatalogueIndex | None" = None  # the full build this one was masked from (see `without`)
    _by_code: dict = field(default_factory=dict, repr=False)
    _by_actor_code: dict = field(default_factory=dict, repr=False)
    _texts: list | None = field(default=None, repr=False)
    _words: dict = field(default_factory=dict, repr=False)  # word -> bits, the latest WORD_CACHE_SIZE
    derived: dict = field(default_factory=dict, repr=False)  # what other modules build from it (chart_index.py)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self):
        self._by_code = {code: bits for code, _name, bits, _extra in self.countries.options}
        self._by_actor_code = {code: bits for code, _name, bits, _extra in self.actor_countries.options}
        if self.base is None:
            self.base = self

    @property
    def complete(self):
        """Whether this is a whole build, not a masked copy of an older one (`without`), which
        lacks the cases published since that build (live_index.py, while a rebuild runs)."""
        return self.base is self

    def country_bits(self, code):
        """The cases whose targeted elections were in this country."""
        return self._by_code.get(code, 0)

    def actor_country_bits(self, code):
        """The cases that name an actor based in this country."""
        return self._by_actor_code.get(code, 0)

    # -- matching ------------------------------------------------------------------

    def filter_bits(self, name, value):
        """The cases one active filter selects; `value` is the FilterSet's cleaned value."""
        if name == "country":
            return self.countries.bits_of(country.code for country in value)
        if name == "actor_country":
            return self.actor_countries.bits_of(country.code for country in value)
        if name == "region":
            return _union(self.regions.get(slug, 0) for slug in value)
        if name in TERM_FILTERS:
            return self.terms[name].bits_of(term.slug for term in value)
        if name == "actor_type":
            return self.actor_types.bits_of(value)
        if name == "origin":
            return self.origins.bits_of(value)
        if name == "attribution":
            return self.attributions.bits_of(value)
        if name == "year_from":
            return self.ends_from_year(int(value))
        if name == "year_to":
            return self.starts_until_year(int(value))
        if name == "q":
            return self.text_bits(value)
        raise KeyError(f"the catalogue index cannot apply the filter {name!r}")

    def select(self, active):
        """The active filters' bit sets, each computed once, to combine as facets need."""
        return Selection(self, {name: self.filter_bits(name, value) for name, value in active.items()})

    def matching(self, active):
        """The cases every active filter selects."""
        return self.select(active).matching()

    def ends_from_year(self, year):
        if self.first_year is None or year > self.last_year:
            return 0
        return self.ends_from[max(year, self.first_year)]

    def starts_until_year(self, year):
        if self.first_year is None or year < self.first_year:
            return 0
        return self.starts_until[min(year, self.last_year)]

    def text_bits(self, text):
        """Cases whose title, summary, election, actors or countries contain every word (any case)."""
        bits = self.all
        for word in text.lower().split()[:Q_MAX_TERMS]:
            bits &= self._word_bits(word)
        return bits

    def _word_bits(self, word):
        found = self._words.get(word)
        if found is None:
            texts = self._searchable_texts()
            found = bits_from_positions(i for i, haystack in enumerate(texts) if word in haystack)
            if len(self._words) >= WORD_CACHE_SIZE:
                self._words.pop(next(iter(self._words), None), None)  # the oldest word
            self._words[word] = found
        return found

    def preload_texts(self):
        """Read the texts the word filter scans now, rather than on the first filter by words."""
        self._searchable_texts()
        return self

    def _searchable_texts(self):
        # Built on first use: most catalogue requests have no words, and the texts are the bulk
        # of the index's memory. A masked copy reads its build's, by the same positions.
        if self.base is not self:
            return self.base._searchable_texts()
        with self._lock:
            if self._texts is None:
                self._texts = self.load_texts(self.ids)
            return self._texts

    def year_span(self, bits):
        """(first start year, last end year) of the cases in `bits`, or None when there are none."""
        if not bits or self.first_year is None:
            return None
        years = range(self.first_year, self.last_year + 1)
        low = next(y for y in years if bits & self.starts_until[y])
        high = next(y for y in reversed(years) if bits & self.ends_from[y])
        return low, high

    def started_in(self, year):
        """The cases whose period starts in this year."""
        return self.starts_until.get(year, 0) & ~self.starts_until.get(year - 1, 0)

    def bits_of_pk_bits(self, pk_bits):
        """The cases whose pk's bit is set in `pk_bits` (bit n for pk n), as a bit set by position.

        Search sends its matches so. The bits are moved as the characters of a binary string by
        one C-level permutation (itemgetter over the pks by position): a few milliseconds for a
        whole catalogue, where a loop over 50,000 matched pks took tens.
        """
        if not pk_bits or not self.ids:
            return 0
        derived = self.base.derived
        if "pk_getter" not in derived:
            derived["max_pk"] = max(self.ids)  # read once: the max of 100,000 pks takes milliseconds
            derived["pk_getter"] = itemgetter(*self.ids, derived["max_pk"])  # a tuple, even for one case
        by_pk = bin(pk_bits)[:1:-1].ljust(derived["max_pk"] + 1, "0")  # character n is pk n's bit
        by_position = "".join(derived["pk_getter"](by_pk)[:-1])
        return int(by_position[::-1], 2) & self.all

    # -- keeping up ----------------------------------------------------------------

    def without(self, withdrawn, live_countries, live_terms):
        """A copy with the cases in bit set `withdrawn` and the terms no longer live left out.

        For a process whose rebuild is still running (live_index.py): every bit set is masked, so
        no count, page, map or chart can show a withdrawn case. Positions and orders stay, and
        so do the loaded texts and the words already looked up (always ANDed with `all`).
        `live_countries` holds the codes of the live countries, `live_terms` the pks of the live
        terms by filter name ("tactic", "channel", "target").
        """
        keep = self.all & ~withdrawn

        def vocabulary(options, is_live=lambda value, extra: True, drop_empty=False):
            return Vocabulary(
                [
                    (value, label, bits & keep, extra)
                    for value, label, bits, extra in options
                    if is_live(value, extra) and (bits & keep or not drop_empty)
                ]
            )

        def live_country(code, _extra):
            return code in live_countries

        def live_term(name):
            return lambda _slug, pk: pk in live_terms[name]

        regions = {slug: bits & keep for slug, bits in self.regions.items()}
        masked = replace(
            self,
            all=keep,
            countries=vocabulary(self.countries.options, live_country, drop_empty=True),
            actor_countries=vocabulary(self.actor_countries.options, live_country, drop_empty=True),
            regions=regions,
            region_rows=[row for row in self.region_rows if regions.get(row[0])],
            terms={name: vocabulary(v.options, live_term(name)) for name, v in self.terms.items()},
            actor_types=vocabulary(self.actor_types.options),
            origins=vocabulary(self.origins.options),
            attributions=vocabulary(self.attributions.options),
            ends_from={year: bits & keep for year, bits in self.ends_from.items()},
            starts_until={year: bits & keep for year, bits in self.starts_until.items()},
            base=self.base,
        )
        return masked  # `replace` shares the word cache (masked when used) and what is derived

    # -- reading results -------------------------------------------------------------

    def page_ids(self, bits, sort, offset, limit):
        """Case pks of one page of `bits` in the given sort order."""
        if sort == "newest":
            positions = _positions(bits, offset, limit)
        elif sort == "oldest":
            positions = _positions(bits, offset, limit, reverse=True)
        else:
            selected = _bytes(bits, len(self.ids))
            wanted = (p for p in self.orders[sort] if selected[p >> 3] >> (p & 7) & 1)
            positions = list(islice(wanted, offset, offset + limit))
        return [self.ids[p] for p in positions]


@dataclass(frozen=True)
class Selection:
    """The bit sets of the active filters, to AND together with some of them left out."""

    index: "CatalogueIndex"
    bits: dict

    def matching(self, without=()):
        """The cases every active filter selects, leaving out the filters named in `without`."""
        result = self.index.all
        for name, bits in self.bits.items():
            if name not in without:
                result &= bits
        return result


def listed_cases(ids):
    """The published cases with these pks, in this order, with what a listing row shows (3 queries)."""
    found = CaseStudyPage.objects.published().for_listing().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _union(parts):
    bits = 0
    for part in parts:
        bits |= part
    return bits


def _bytes(bits, size):
    return bits.to_bytes((size + 7) // 8 or 1, "little")


def bits_from_positions(positions):
    """A bit set from positions, via a bytearray: setting bits on an int one by one is quadratic."""
    buffer = bytearray()
    for position in positions:
        index = position >> 3
        if index >= len(buffer):
            buffer.extend(bytes(index + 1 - len(buffer)))
        buffer[index] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def _positions(bits, offset, limit, reverse=False):
    """Positions of set bits number offset … offset + limit - 1, counting from the low (or high) end."""
    if not bits or limit <= 0:
        return []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    indexes = range(len(data) - 1, -1, -1) if reverse else range(len(data))
    found, skipped = [], 0
    for index in indexes:
        byte = data[index]
        if not byte:
            continue
        count = _COUNT_OF_BYTE[byte]
        if skipped + count <= offset:
            skipped += count
            continue
        bits_here = _BITS_OF_BYTE[byte]
        for bit in reversed(bits_here) if reverse else bits_here:
            if skipped < offset:
                skipped += 1
                continue
            found.append(index * 8 + bit)
            if len(found) == limit:
                return found
    return found
