"""Building the catalogue index (index.py) from the database: about a dozen queries.

Every case comes through `CaseStudyPage.objects.published()` and every term through `.live()`
(a link to a term never published selects nothing). Building reads the whole published
catalogue: about 1.5 s at 100,000 cases, which is why live_index.py does it off the request
path once a process holds an index.
"""

from array import array

from django.db.models.functions import Lower
from wagtail.models import DraftStateMixin

from .choices import ActorType, AttributionStatus, Origin
from .filters import SORT_ORDER
from .index import TERM_FILTERS, CatalogueIndex, Vocabulary, bits_from_positions
from .models import CaseStudyPage, Country


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
        position_of=position_of,
        load_texts=load_texts,
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


def load_texts(ids):
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
