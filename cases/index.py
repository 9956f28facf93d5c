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

The index is built from `CaseStudyPage.objects.published()`, the one published-and-public
queryset, and the live terms only (`.live()`, portal/reviewed.py), and kept with the content
version it was built from (portal/versioning.py). Each request reads the version (one query)
and rebuilds the index when it has moved on, so an edit, publication or privacy change shows
on the next request. Each process holds its own index.

The FilterSet (filters.py) stays the definition of the filters: it validates the parameters and
its SQL querysets serve the exports; tests check that both give the same cases.
"""

import threading
from array import array
from dataclasses import dataclass, field
from itertools import islice

from django.db.models.functions import Lower
from wagtail.models import DraftStateMixin

from portal import versioning

from .choices import ActorType, AttributionStatus, Origin
from .filters import Q_MAX_TERMS, SORT_ORDER
from .models import CaseStudyPage, Channel, Country, Tactic, Target

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
    _by_code: dict = field(default_factory=dict, repr=False)
    _by_actor_code: dict = field(default_factory=dict, repr=False)
    _texts: list | None = field(default=None, repr=False)
    _words: dict = field(default_factory=dict, repr=False)  # word -> bits, the latest WORD_CACHE_SIZE
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self):
        self._by_code = {code: bits for code, _name, bits, _extra in self.countries.options}
        self._by_actor_code = {code: bits for code, _name, bits, _extra in self.actor_countries.options}

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

    def _searchable_texts(self):
        # Built on first use: most catalogue requests have no words, and the texts are the bulk
        # of the index's memory.
        with self._lock:
            if self._texts is None:
                self._texts = _load_texts(self.ids)
            return self._texts

    def year_span(self, bits):
        """(first start year, last end year) of the cases in `bits`, or None when there are none."""
        if not bits or self.first_year is None:
            return None
        years = range(self.first_year, self.last_year + 1)
        low = next(y for y in years if bits & self.starts_until[y])
        high = next(y for y in reversed(years) if bits & self.ends_from[y])
        return low, high

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


def _choice_vocabulary(choices, bits_by_value):
    return Vocabulary([(value, label, bits_by_value.get(value, 0), None) for value, label in choices])


class BitSets:
    """Positions (or ids) per key, turned into bit sets at the end."""

    def __init__(self):
        self.positions = {}

    def add(self, key, position):
        self.positions.setdefault(key, []).append(position)

    def bits(self):
        return {key: bits_from_positions(positions) for key, positions in self.positions.items()}


def _link_rows(field_name, *columns):
    """(case pk, *columns) for every link of the many-to-many `field_name`."""
    through, case, term = CaseStudyPage.link_table(field_name)
    model = CaseStudyPage._meta.get_field(field_name).related_model
    links = through.objects.all()
    if issubclass(model, DraftStateMixin):  # a reviewed vocabulary: never a draft term
        links = links.filter(**{f"{term}__in": model.objects.live().values("pk")})
    return links.values_list(case, *(f"{term}__{c}" if c != "id" else f"{term}_id" for c in columns))


def _linked(field_name, column, position_of):
    """(position, column value) for each link of a published case through many-to-many `field_name`."""
    for case, value in _link_rows(field_name, column).iterator(chunk_size=5000):
        position = position_of.get(case)
        if position is not None:
            yield position, value


def _linked_bits(field_name, column, position_of):
    """{column value: bits of the published cases linked to it} through many-to-many `field_name`."""
    linked = BitSets()
    for position, value in _linked(field_name, column, position_of):
        linked.add(value, position)
    return linked.bits()


def build_index():
    """Read the published catalogue into a CatalogueIndex (about a dozen queries)."""
    published = CaseStudyPage.objects.published().order_by()
    rows = list(
        published.order_by(*SORT_ORDER["newest"]).values_list(
            "pk", "origin", "attribution_status", "first_seen", "last_seen"
        )
    )
    ids = array("q", (row[0] for row in rows))
    position_of = {pk: i for i, pk in enumerate(ids)}

    origins, attributions, starts, ends = BitSets(), BitSets(), BitSets(), BitSets()
    for i, (_pk, origin, attribution, first_seen, last_seen) in enumerate(rows):
        origins.add(origin, i)
        attributions.add(attribution, i)
        starts.add(first_seen.year, i)
        ends.add((last_seen or first_seen).year, i)
    starts, ends = starts.bits(), ends.bits()
    years = sorted(set(starts) | set(ends))
    first_year, last_year = (years[0], years[-1]) if years else (None, None)
    starts_until, ends_from = {}, {}
    if years:
        running = 0
        for year in range(first_year, last_year + 1):
            running |= starts.get(year, 0)
            starts_until[year] = running
        running = 0
        for year in range(last_year, first_year - 1, -1):
            running |= ends.get(year, 0)
            ends_from[year] = running

    country_bits = _linked_bits("countries", "id", position_of)
    country_options, regions, region_names = [], {}, {}
    for pk, code, name, region, region_slug, sub_region, sub_region_slug in _country_rows(country_bits):
        bits = country_bits[pk]
        country_options.append((code, name, bits, (region, region_slug, sub_region_slug)))
        regions[region_slug] = regions.get(region_slug, 0) | bits
        regions[sub_region_slug] = regions.get(sub_region_slug, 0) | bits
        region_names[region_slug] = (region, None)
        region_names[sub_region_slug] = (sub_region, region)
    region_rows = _region_rows(region_names)
    actor_country_bits = _linked_bits("actors", "country", position_of)
    actor_countries = Vocabulary(
        [
            (code, name, actor_country_bits[pk], (region, region_slug, sub_region_slug))
            for pk, code, name, region, region_slug, _, sub_region_slug in _country_rows(actor_country_bits)
        ]
    )

    terms = {}
    for name, (field_name, model) in TERM_FILTERS.items():
        term_bits = _linked_bits(field_name, "id", position_of)
        terms[name] = Vocabulary(
            [
                (slug, label, term_bits.get(pk, 0), pk)
                for pk, slug, label in model.objects.live().order_by("name").values_list("pk", "slug", "name")
            ]
        )

    position_order = {}
    for sort in SORT_ORDER:
        if sort not in ("newest", "oldest"):
            in_order = published.order_by(*SORT_ORDER[sort]).values_list("pk", flat=True)
            position_order[sort] = array("l", (position_of[pk] for pk in in_order if pk in position_of))
    return CatalogueIndex(
        ids=ids,
        all=(1 << len(ids)) - 1,
        countries=Vocabulary(country_options),
        actor_countries=actor_countries,
        regions=regions,
        region_rows=region_rows,
        terms=terms,
        actor_types=_choice_vocabulary(ActorType.choices, _linked_bits("actors", "actor_type", position_of)),
        origins=_choice_vocabulary(Origin.choices, origins.bits()),
        attributions=_choice_vocabulary(AttributionStatus.choices, attributions.bits()),
        ends_from=ends_from,
        starts_until=starts_until,
        first_year=first_year,
        last_year=last_year,
        orders=position_order,
    )


def _country_rows(bits_by_pk):
    """(pk, code, name, region, region_slug, sub_region, sub_region_slug) of these countries, by name."""
    return (
        Country.objects.live()
        .filter(pk__in=[pk for pk in bits_by_pk if pk is not None])
        .order_by("name")
        .values_list("pk", "code", "name", "region", "region_slug", "sub_region", "sub_region_slug")
    )


def _region_rows(names):
    """Regions by name, each followed by its sub-regions by name: (slug, name, region of a sub-region)."""
    regions = sorted((name, slug) for slug, (name, parent) in names.items() if parent is None)
    rows = []
    for region_name, region_slug in regions:
        rows.append((region_slug, region_name, None))
        subs = sorted((name, slug) for slug, (name, parent) in names.items() if parent == region_name)
        rows += [(slug, name, region_name) for name, slug in subs]
    return rows


def _load_texts(ids):
    """Lower-cased title, summary, election, actor and country names of each case, by position."""
    position_of = {pk: i for i, pk in enumerate(ids)}
    parts = [[] for _ in ids]
    cases = CaseStudyPage.objects.published().values_list(
        "pk", Lower("title"), Lower("summary"), Lower("election_name")
    )
    for pk, *texts in cases.iterator(chunk_size=5000):
        if pk in position_of:
            parts[position_of[pk]].extend(texts)
    for field_name in ("actors", "countries"):
        for position, name in _linked(field_name, "name", position_of):
            parts[position].append(name.lower())
    # A separator that is whitespace to str.split(), so no search word can span two fields.
    return ["\x1f".join(text for text in texts if text) for texts in parts]


_index = versioning.Derived(build_index)

# The index of the catalogue as published now: one query, or a rebuild after a change.
catalogue_index = _index.get
# Drop this process's index (the benchmark, between its timings).
forget = _index.forget
