"""Facet counts for the catalogue: how many cases each option would give, with the other filters on.

Each facet is one aggregate query over the published cases matching every active filter but
its own (so an option's count is exactly what choosing it alone in that group would give).
Options with no cases are returned disabled, except options the reader already selected.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Coalesce, ExtractYear

from .choices import ActorType, AttributionStatus, Origin
from .filters import region_choices
from .models import CaseStudyPage, Channel, Tactic, Target


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


def _link_counts(base, field_name, *group_by, distinct=False):
    """Rows of (*group_by, cases) over the link table of `field_name`, for the cases in `base`.

    The cases are selected in WHERE (`IN (subquery)`), so the database can start from a small
    filtered set and use the link table's index instead of reading every link.
    """
    field = CaseStudyPage._meta.get_field(field_name)
    through = field.remote_field.through
    case_id = f"{field.m2m_field_name()}_id"
    return (
        through.objects.filter(**{f"{case_id}__in": base.values("pk")})
        .values_list(*group_by)
        .annotate(n=Count(case_id, distinct=distinct))
        .order_by()
    )


def _term_facet(filterset, name, legend, model, field_name):
    base = filterset.queryset_without(name)
    target = CaseStudyPage._meta.get_field(field_name).m2m_reverse_field_name()
    counts = dict(_link_counts(base, field_name, f"{target}_id"))
    chosen = _selected(filterset, name)
    return Facet(
        name,
        legend,
        [Option(t.slug, t.name, counts.get(t.pk, 0), t.slug in chosen) for t in model.objects.order_by("name")],
    )


def country_facet(filterset):
    """Countries with cases under the other filters, and any selected country."""
    base = filterset.queryset_without("country")
    chosen = _selected(filterset, "country")
    rows = _link_counts(base, "countries", "country__code", "country__name", "country__region")
    options = {code: Option(code, name, n, code in chosen, region) for code, name, region, n in rows}
    for country in filterset.form.cleaned_data.get("country") or ():
        options.setdefault(country.code, Option(country.code, country.name, 0, True, country.region))
    return Facet("country", "Country", sorted(options.values(), key=lambda option: option.label))


def region_facet(filterset):
    """Regions, each followed by its sub-regions; a case counts once per region even with two countries in it."""
    base = filterset.queryset_without("region")
    chosen = _selected(filterset, "region")
    regions = _link_counts(base, "countries", "country__region_slug", "country__region", distinct=True)
    subs = list(
        _link_counts(
            base, "countries", "country__sub_region_slug", "country__sub_region", "country__region", distinct=True
        )
    )
    options = []
    for slug, name, n in sorted(regions, key=lambda row: row[1]):
        options.append(Option(slug, name, n, slug in chosen))
        options += [Option(s, sub, m, s in chosen, group=name) for s, sub, region, m in sorted(subs) if region == name]
    # A selected region with no cases at all is still shown, so it can be seen and removed.
    names = dict(region_choices())
    shown = {option.value for option in options}
    options += [Option(slug, names.get(slug, slug), 0, True) for slug in sorted(chosen - shown)]
    return Facet("region", "Region", options)


def scalar_facets(filterset):
    """Origin, attribution and the two year facets, from one query.

    The cases matching every other filter are grouped by (origin, attribution, start year, end
    year); each of these facets then applies the other three's selections to the groups, so
    every count is the same as a query with that facet's own filter replaced.
    """
    own = ("origin", "attribution", "year_from", "year_to")
    base = filterset.queryset_without(*own)
    groups = list(
        base.annotate(start=ExtractYear("first_seen"), end=ExtractYear(Coalesce("last_seen", "first_seen")))
        .values_list("origin", "attribution_status", "start", "end")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cleaned = filterset.form.cleaned_data
    origins = _selected(filterset, "origin")
    attributions = _selected(filterset, "attribution")
    year_from = int(cleaned["year_from"]) if cleaned.get("year_from") is not None else None
    year_to = int(cleaned["year_to"]) if cleaned.get("year_to") is not None else None

    def count(origin=None, attribution=None, low=year_from, high=year_to):
        return sum(
            n
            for o, a, start, end, n in groups
            if (o == origin if origin else not origins or o in origins)
            and (a == attribution if attribution else not attributions or a in attributions)
            and (low is None or end >= low)
            and (high is None or start <= high)
        )

    years = {y for _, _, start, end, _ in groups for y in (start, end)} | {y for y in (year_from, year_to) if y}
    span = range(min(years), max(years) + 1) if years else range(0)
    return {
        "origin": Facet(
            "origin", "Origin", [Option(v, label, count(origin=v), v in origins) for v, label in Origin.choices]
        ),
        "attribution": Facet(
            "attribution",
            "Attribution",
            [Option(v, label, count(attribution=v), v in attributions) for v, label in AttributionStatus.choices],
        ),
        "year_from": Facet(
            "year_from",
            "From year",
            [Option(str(y), str(y), count(low=y, high=year_to), y == year_from) for y in span],
        ),
        "year_to": Facet(
            "year_to",
            "To year",
            [Option(str(y), str(y), count(low=year_from, high=y), y == year_to) for y in reversed(span)],
        ),
    }


def actor_type_facet(filterset):
    base = filterset.queryset_without("actor_type")
    counts = dict(_link_counts(base, "actors", "actor__actor_type", distinct=True))
    chosen = _selected(filterset, "actor_type")
    return Facet(
        "actor_type",
        "Actor type",
        [Option(v, label, counts.get(v, 0), v in chosen) for v, label in ActorType.choices],
    )


def catalogue_facets(filterset):
    """Every facet of the catalogue form, in the order the form shows them."""
    scalars = scalar_facets(filterset)
    return {
        "country": country_facet(filterset),
        "region": region_facet(filterset),
        "year_from": scalars["year_from"],
        "year_to": scalars["year_to"],
        "tactic": _term_facet(filterset, "tactic", "Tactic", Tactic, "tactics"),
        "actor_type": actor_type_facet(filterset),
        "origin": scalars["origin"],
        "attribution": scalars["attribution"],
        "channel": _term_facet(filterset, "channel", "Channel", Channel, "channels"),
        "target": _term_facet(filterset, "target", "Target", Target, "targets"),
    }
