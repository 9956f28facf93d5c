"""Facet counts for the catalogue: how many cases each option would give, with the other filters on.

Each facet is one aggregate query over the published cases matching every active filter but
its own (so an option's count is exactly what choosing it alone in that group would give).
Options with no cases are returned disabled, except options the reader already selected.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractYear

from .choices import ActorType, AttributionStatus, Origin
from .filters import region_choices
from .models import CaseStudyPage, Channel, Country, Tactic, Target


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


@dataclass
class Facet:
    name: str
    legend: str
    options: list = field(default_factory=list)

    @property
    def selected_count(self):
        return sum(option.selected for option in self.options)


def _selected(filterset, name):
    return set(filterset.data.getlist(name))


def _term_facet(filterset, name, legend, model):
    base = filterset.queryset_without(name)
    rows = model.objects.annotate(n=Count("cases", filter=Q(cases__in=base))).order_by("name")
    chosen = _selected(filterset, name)
    return Facet(name, legend, [Option(t.slug, t.name, t.n, t.slug in chosen) for t in rows])


def _choice_facet(filterset, name, legend, field_name, choices):
    base = filterset.queryset_without(name)
    counts = dict(base.values_list(field_name).annotate(n=Count("pk")).order_by())
    chosen = _selected(filterset, name)
    return Facet(name, legend, [Option(v, label, counts.get(v, 0), v in chosen) for v, label in choices])


def country_facet(filterset):
    base = filterset.queryset_without("country")
    chosen = _selected(filterset, "country")
    rows = (
        Country.objects.annotate(n=Count("cases", filter=Q(cases__in=base)))
        .filter(Q(n__gt=0) | Q(code__in=chosen))
        .order_by("name")
    )
    return Facet("country", "Country", [Option(c.code, c.name, c.n, c.code in chosen, c.region) for c in rows])


def region_facet(filterset):
    """Regions, each followed by its sub-regions; a case counts once per region even with two countries in it."""
    base = filterset.queryset_without("region")
    chosen = _selected(filterset, "region")
    regions = (
        Country.objects.filter(cases__in=base)
        .values_list("region_slug", "region")
        .annotate(n=Count("cases", distinct=True))
        .order_by("region")
    )
    subs = (
        Country.objects.filter(cases__in=base)
        .values_list("sub_region_slug", "sub_region", "region")
        .annotate(n=Count("cases", distinct=True))
        .order_by("sub_region")
    )
    subs = list(subs)
    options = []
    for slug, name, n in regions:
        options.append(Option(slug, name, n, slug in chosen))
        options += [Option(s, sub, m, s in chosen, group=name) for s, sub, region, m in subs if region == name]
    # A selected region with no cases at all is still shown, so it can be seen and removed.
    names = dict(region_choices())
    shown = {option.value for option in options}
    options += [Option(slug, names.get(slug, slug), 0, True) for slug in sorted(chosen - shown)]
    return Facet("region", "Region", options)


def year_facets(filterset):
    """Counts for "From year" and "To year" from one query grouping cases by (start year, end year)."""
    base = filterset.queryset_without("year_from", "year_to")
    pairs = list(
        base.annotate(start=ExtractYear("first_seen"), end=ExtractYear(Coalesce("last_seen", "first_seen")))
        .values_list("start", "end")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cleaned = filterset.form.cleaned_data
    year_from = int(cleaned["year_from"]) if cleaned.get("year_from") is not None else None
    year_to = int(cleaned["year_to"]) if cleaned.get("year_to") is not None else None
    years = {year for start, end, _ in pairs for year in (start, end)} | {y for y in (year_from, year_to) if y}
    span = range(min(years), max(years) + 1) if years else range(0)

    def count(low, high):
        return sum(n for start, end, n in pairs if (low is None or end >= low) and (high is None or start <= high))

    from_facet = Facet(
        "year_from", "From year", [Option(str(y), str(y), count(y, year_to), y == year_from) for y in span]
    )
    to_facet = Facet(
        "year_to", "To year", [Option(str(y), str(y), count(year_from, y), y == year_to) for y in reversed(span)]
    )
    return from_facet, to_facet


def actor_type_facet(filterset):
    base = filterset.queryset_without("actor_type")
    through = CaseStudyPage.actors.through
    counts = dict(
        through.objects.filter(casestudypage__in=base)
        .values_list("actor__actor_type")
        .annotate(n=Count("casestudypage", distinct=True))
        .order_by()
    )
    chosen = _selected(filterset, "actor_type")
    return Facet(
        "actor_type",
        "Actor type",
        [Option(v, label, counts.get(v, 0), v in chosen) for v, label in ActorType.choices],
    )


def catalogue_facets(filterset):
    """Every facet of the catalogue form, in the order the form shows them."""
    year_from, year_to = year_facets(filterset)
    return {
        "country": country_facet(filterset),
        "region": region_facet(filterset),
        "year_from": year_from,
        "year_to": year_to,
        "tactic": _term_facet(filterset, "tactic", "Tactic", Tactic),
        "actor_type": actor_type_facet(filterset),
        "origin": _choice_facet(filterset, "origin", "Origin", "origin", Origin.choices),
        "attribution": _choice_facet(
            filterset, "attribution", "Attribution", "attribution_status", AttributionStatus.choices
        ),
        "channel": _term_facet(filterset, "channel", "Channel", Channel),
        "target": _term_facet(filterset, "target", "Target", Target),
    }
