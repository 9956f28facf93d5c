"""Facet counts for the catalogue: how many cases each option would give, with the other filters on.

Each facet's base is the set of published cases matching every active filter but its own, so an
option's count is exactly what choosing it alone in that group would give. The sets come from
the catalogue's in-memory index (index.py): a count is an AND of two bit sets and a bit count,
with no queries. Options with no cases are returned disabled, except options already selected.

A long facet (over LONG options: at 100,000 cases the countries alone are 250) shows its TOP
busiest options and the selected ones, in the facet's own order, with a "Show all" link to the
same URL plus `all=<facet>`: a fifth of the page's HTML and of its rendering time otherwise went
on rows few readers scroll to, and the link works without JavaScript.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from portal.collation import name_key
from portal.names import country_name, term_name

from .filters import region_choices

COUNTRY = gettext_lazy("Country")


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool = False
    group: str = ""

    @property
    def disabled(self):
        return not self.count and not self.selected


# A facet with more options than LONG shows TOP of them until the reader asks for all.
LONG, TOP = 12, 8
# What "Show all 250 …" calls a facet's options.
PLURALS = {
    "country": gettext_lazy("countries"),
    "actor_country": gettext_lazy("countries of actors"),
    "tactic": gettext_lazy("tactics"),
    "channel": gettext_lazy("channels"),
    "target": gettext_lazy("targets"),
}


@dataclass
class Facet:
    name: str
    legend: str
    options: list = field(default_factory=list)
    hidden: int = 0  # options left out of a shortened list
    all_url: str = ""  # the same page with this facet's every option
    fewer_url: str = ""  # the same page with this facet shortened again, when it is not

    @property
    def selected_count(self):
        return sum(option.selected for option in self.options)

    @property
    def plural(self):
        return PLURALS.get(self.name, gettext_lazy("options"))

    @property
    def total(self):
        return len(self.options) + self.hidden


def shorten(facet, expanded, link):
    """Leave the TOP busiest and the selected options of a long facet, unless it is `expanded`.

    `link(expanded names)` gives the URL of this page with those facets expanded.
    """
    if facet.name not in PLURALS or len(facet.options) <= LONG:
        return facet
    if facet.name in expanded:
        facet.fewer_url = link([name for name in expanded if name != facet.name])
        return facet
    ranked = sorted(range(len(facet.options)), key=lambda i: -facet.options[i].count)
    keep = set(ranked[:TOP]) | {i for i, option in enumerate(facet.options) if option.selected}
    facet.hidden = len(facet.options) - len(keep)
    facet.options = [option for i, option in enumerate(facet.options) if i in keep]
    facet.all_url = link([*expanded, facet.name])
    return facet


def _selected(filterset, name):
    return set(filterset.data.getlist(name))


def _counted(vocabulary, base, chosen):
    return [
        Option(value, label, (base & bits).bit_count(), value in chosen) for value, label, bits, _ in vocabulary.options
    ]


def tactics_by_count(index, bits):
    """(cases, name, slug, pk, tactic bits) of each tactic the cases in `bits` show, most cases first,
    ties by name; names in the page's language (portal/names.py). The country pages, the election
    watch and the tactics heat map all list them so."""
    seen = [
        ((bits & tactic_bits).bit_count(), term_name(name), slug, pk, tactic_bits)
        for slug, name, tactic_bits, pk in index.terms["tactic"].options
        if bits & tactic_bits
    ]
    return sorted(seen, key=lambda row: (-row[0], name_key(row[1])))


def _by_label(options):
    """Options by their label as the page's language writes it (the index holds English names)."""
    return sorted(options, key=lambda option: name_key(option.label))


def country_facet(selection, filterset, name="country", legend=COUNTRY, vocabulary=None):
    """Countries with cases under the other filters, and any selected country.

    The same for "Actors based in" (`actor_country`), given the index's actor countries.
    """
    index, base = selection.index, selection.matching(without=(name,))
    chosen = _selected(filterset, name)
    options = {}
    for code, label, bits, (region, _, _) in (vocabulary or index.countries).options:
        n = (base & bits).bit_count()
        if n or code in chosen:
            options[code] = Option(code, country_name(code, label), n, code in chosen, region)
    for country in filterset.form.cleaned_data.get(name) or ():
        options.setdefault(country.code, Option(country.code, country.label, 0, True, country.region))
    return Facet(name, legend, _by_label(options.values()))


def region_facet(selection, filterset):
    """Regions with cases under the other filters, each followed by its sub-regions.

    A case counts once per region even when two of its countries are in it. Regions, and the
    sub-regions under each, are in the order of their names in the page's language.
    """
    index, base = selection.index, selection.matching(without=("region",))
    chosen = _selected(filterset, "region")
    regions, subs = [], {}
    for slug, name, parent in index.region_rows:
        n = (base & index.regions[slug]).bit_count()
        if n:
            option = Option(slug, term_name(name), n, slug in chosen, group=parent or "")
            (subs.setdefault(parent, []) if parent else regions).append((name, option))
    options = []
    for name, option in sorted(regions, key=lambda row: name_key(row[1].label)):
        options += [option, *_by_label(sub for _name, sub in subs.get(name, ()))]
    # A selected region with no cases at all is still shown, so it can be seen and removed.
    names = dict(region_choices())
    shown = {option.value for option in options}
    options += [Option(slug, term_name(names.get(slug, slug)), 0, True) for slug in sorted(chosen - shown)]
    return Facet("region", gettext_lazy("Region"), options)


def year_facets(selection, filterset):
    """ "From year" and "To year", over the years the cases matching the other filters span."""
    index, cleaned = selection.index, filterset.form.cleaned_data
    year_from = int(cleaned["year_from"]) if cleaned.get("year_from") is not None else None
    year_to = int(cleaned["year_to"]) if cleaned.get("year_to") is not None else None
    span = index.year_span(selection.matching(without=("origin", "attribution", "year_from", "year_to")))
    years = set(span or ()) | {y for y in (year_from, year_to) if y}
    shown = range(min(years), max(years) + 1) if years else range(0)
    from_base = selection.matching(without=("year_from",))
    to_base = selection.matching(without=("year_to",))
    return (
        Facet(
            "year_from",
            gettext_lazy("From year"),
            [Option(str(y), str(y), (from_base & index.ends_from_year(y)).bit_count(), y == year_from) for y in shown],
        ),
        Facet(
            "year_to",
            gettext_lazy("To year"),
            [
                Option(str(y), str(y), (to_base & index.starts_until_year(y)).bit_count(), y == year_to)
                for y in reversed(shown)
            ],
        ),
    )


def _vocabulary_facet(selection, filterset, name, legend, vocabulary):
    base = selection.matching(without=(name,))
    return Facet(name, legend, _counted(vocabulary, base, _selected(filterset, name)))


def _term_facet(selection, filterset, name, legend, vocabulary):
    """A tactic, channel or target facet: the terms' names in the page's language, in their order."""
    facet = _vocabulary_facet(selection, filterset, name, legend, vocabulary)
    for option in facet.options:
        option.label = term_name(option.label)
    facet.options = _by_label(facet.options)
    return facet


def catalogue_facets(selection, filterset):
    """Every facet of the catalogue form, in the order the form shows them.

    `selection` is the catalogue index's selection of the filterset's active filters.
    """
    index = selection.index
    year_from, year_to = year_facets(selection, filterset)
    return {
        "country": country_facet(selection, filterset),
        "region": region_facet(selection, filterset),
        "year_from": year_from,
        "year_to": year_to,
        "tactic": _term_facet(selection, filterset, "tactic", gettext_lazy("Tactic"), index.terms["tactic"]),
        "actor_type": _vocabulary_facet(
            selection, filterset, "actor_type", gettext_lazy("Actor type"), index.actor_types
        ),
        "actor_country": country_facet(
            selection, filterset, "actor_country", gettext_lazy("Actors based in"), index.actor_countries
        ),
        "origin": _vocabulary_facet(selection, filterset, "origin", gettext_lazy("Origin"), index.origins),
        "attribution": _vocabulary_facet(
            selection, filterset, "attribution", gettext_lazy("Attribution"), index.attributions
        ),
        "channel": _term_facet(selection, filterset, "channel", gettext_lazy("Channel"), index.terms["channel"]),
        "target": _term_facet(selection, filterset, "target", gettext_lazy("Target"), index.terms["target"]),
    }
