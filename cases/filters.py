"""The catalogue's filters: the one definition behind the HTML form, the facet counts and every export.

The FilterSet names, validates and cleans every parameter. Its SQL (the `filter_*` methods)
selects the cases of the exports and the feed; the catalogue page and its facet counts apply the
same cleaned values to the in-memory index (index.py), and cases/tests/test_index.py checks over
random combinations that both give the same cases in the same order.

GET parameters (the public URL contract): country, region, year_from, year_to, tactic,
actor_type, actor_country, origin, attribution, channel, target, q, sort. `country` is where
the targeted election was; `actor_country` is where an actor the case names is based. Several values of one filter are
OR, different filters are AND. Many-to-many filters select cases with `pk IN (subquery on
the link table)` rather than joins, so no DISTINCT is needed and a case never repeats.

`bind_case_filters(params)` is how callers use the FilterSet: it returns a valid FilterSet
plus the problems it found. Values that are not recognised are dropped one by one (the other
values of the same filter still apply) and each is described in plain words; data endpoints
answer 400 with those messages, the HTML catalogue shows them and the results of the rest.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import ActorType, AttributionStatus, Origin
from .models import CaseStudyPage, Channel, Country, Tactic, Target
from .regions import M49_REGION_OF_SUBREGION

Q_MAX_LENGTH = 200
Q_MAX_TERMS = 8
VALUE_MAX_LENGTH = 100
YEAR_MIN, YEAR_MAX = 1900, 2100

SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("updated", _("Recently updated")),
    ("title", _("Title A–Z")),
]
SORT_ORDER = {
    "newest": ("-first_seen", "-pk"),
    "oldest": ("first_seen", "pk"),
    "updated": ("-last_published_at", "-pk"),
    "title": ("title", "pk"),
}
DEFAULT_SORT = "newest"
YEAR_ERRORS = {
    "invalid": "Enter a year such as 2017.",
    "max_decimal_places": "Enter a whole year such as 2017.",
    "max_digits": "Enter a year such as 2017.",
    "min_value": f"Enter a year from {YEAR_MIN} to {YEAR_MAX}.",
    "max_value": f"Enter a year from {YEAR_MIN} to {YEAR_MAX}.",
}


def region_choices():
    """UN M49 regions and sub-regions as (slug, name), regions first."""
    regions = sorted({r for r in M49_REGION_OF_SUBREGION.values() if r != "Antarctica"})
    subs = sorted(s for s, r in M49_REGION_OF_SUBREGION.items() if r != "Antarctica")
    return [(slugify(name), name) for name in regions + subs]


def _linked(field_name, **lookups):
    """Case ids linked through the many-to-many `field_name` to live rows matching `lookups`."""
    through, case, term = CaseStudyPage.link_table(field_name)
    live = CaseStudyPage._meta.get_field(field_name).related_model.objects.live()
    lookups = {f"{term}__{key}": value for key, value in lookups.items()}
    return through.objects.filter(**{f"{term}__in": live.values("pk")}, **lookups).values(case)


class CountryCodeField(forms.ModelMultipleChoiceField):
    """Alpha-2 codes, case-insensitive ("ke" is Kenya)."""

    def clean(self, value):
        if value:
            value = [str(v).strip().upper() for v in value]
        return super().clean(value)


class SlugMultipleChoiceField(forms.MultipleChoiceField):
    """Accepts a slug or a name ("eastern-africa" or "Eastern Africa")."""

    def to_python(self, value):
        return [slugify(v) for v in super().to_python(value)]


class CappedCharField(forms.CharField):
    """Free text, trimmed and cut to a length the database handles quickly."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())[:Q_MAX_LENGTH]


class CountryFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = CountryCodeField


class RegionFilter(django_filters.MultipleChoiceFilter):
    field_class = SlugMultipleChoiceField


class SearchTextFilter(django_filters.CharFilter):
    field_class = CappedCharField


def _slug_filter(model, label, relation):
    return django_filters.ModelMultipleChoiceFilter(
        queryset=model.objects.live(),
        to_field_name="slug",
        label=label,
        method="filter_related",
        field_name=relation,
        error_messages={"invalid_choice": "“%(value)s” is not a known " + label.lower().rstrip("s") + "."},
    )


class CaseFilterSet(django_filters.FilterSet):
    country = CountryFilter(
        queryset=Country.objects.live(),
        to_field_name="code",
        label=_("Country"),
        method="filter_related",
        field_name="countries",
        error_messages={"invalid_choice": "“%(value)s” is not a known ISO country code."},
    )
    region = RegionFilter(
        choices=region_choices,
        label=_("Region"),
        method="filter_region",
        error_messages={"invalid_choice": "“%(value)s” is not a UN M49 region or sub-region."},
    )
    year_from = django_filters.NumberFilter(
        label=_("From year"),
        method="filter_year_from",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        decimal_places=0,
        error_messages=YEAR_ERRORS,
    )
    year_to = django_filters.NumberFilter(
        label=_("To year"),
        method="filter_year_to",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        decimal_places=0,
        error_messages=YEAR_ERRORS,
    )
    tactic = _slug_filter(Tactic, _("Tactics"), "tactics")
    actor_type = django_filters.MultipleChoiceFilter(
        choices=ActorType.choices,
        label=_("Actor type"),
        method="filter_actor_type",
        error_messages={"invalid_choice": "“%(value)s” is not a known actor type."},
    )
    actor_country = CountryFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Actors based in"),
        method="filter_actor_country",
        error_messages={"invalid_choice": "“%(value)s” is not a known ISO country code."},
    )
    origin = django_filters.MultipleChoiceFilter(
        choices=Origin.choices,
        label=_("Origin"),
        distinct=False,  # a column of the case itself: no join, so no duplicates to remove
        error_messages={"invalid_choice": "“%(value)s” is not an origin (foreign, domestic, mixed or unknown)."},
    )
    attribution = django_filters.MultipleChoiceFilter(
        field_name="attribution_status",
        choices=AttributionStatus.choices,
        label=_("Attribution"),
        distinct=False,
        error_messages={"invalid_choice": "“%(value)s” is not an attribution status."},
    )
    channel = _slug_filter(Channel, _("Channels"), "channels")
    target = _slug_filter(Target, _("Targets"), "targets")
    q = SearchTextFilter(label=_("Words in the title or summary"), method="filter_text")
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        label=_("Sort by"),
        method="filter_nothing",
        empty_label=None,
        error_messages={"invalid_choice": "“%(value)s” is not a sort order; showing newest first."},
    )

    class Meta:
        model = CaseStudyPage
        fields = []

    # -- filter methods ---------------------------------------------------------------

    def filter_related(self, queryset, name, value):
        return queryset.filter(pk__in=_linked(name, pk__in=[obj.pk for obj in value]))

    def filter_region(self, queryset, name, value):
        countries = Country.objects.filter(Q(region_slug__in=value) | Q(sub_region_slug__in=value))
        return queryset.filter(pk__in=_linked("countries", pk__in=countries))

    def filter_actor_type(self, queryset, name, value):
        return queryset.filter(pk__in=_linked("actors", actor_type__in=value))

    def filter_actor_country(self, queryset, name, value):
        return queryset.filter(pk__in=_linked("actors", country__in=[country.pk for country in value]))

    def filter_year_from(self, queryset, name, value):
        # Overlap: the case's period ends on or after 1 January. A last sighting is stored as the
        # first day of its period, so comparing it to 1 January is exact at every precision; with
        # no last sighting the period ends with the first sighting's period, in the same year.
        start = datetime.date(int(value), 1, 1)
        return queryset.filter(Q(last_seen__gte=start) | Q(last_seen__isnull=True, first_seen__gte=start))

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(first_seen__lte=datetime.date(int(value), 12, 31))

    def filter_text(self, queryset, name, value):
        for term in value.split()[:Q_MAX_TERMS]:
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(summary__icontains=term)
                | Q(election_name__icontains=term)
                | Q(pk__in=_linked("actors", name__icontains=term))
                | Q(pk__in=_linked("countries", name__icontains=term))
            )
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting is applied last, in filter_queryset

    # -- applying ---------------------------------------------------------------------

    def filter_queryset(self, queryset, exclude=()):
        """Apply every active filter except those named in `exclude`, then the sort order."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude and name != "sort" and not _is_empty(value):
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by(*SORT_ORDER[self.sort_order])

    def queryset_without(self, *names):
        """The published cases matching every filter but these, unordered: the base of a facet."""
        return self.filter_queryset(self.queryset.all(), exclude=names).order_by()

    @property
    def sort_order(self):
        return self.form.cleaned_data.get("sort") or DEFAULT_SORT

    @property
    def active(self):
        """{name: cleaned value} of the filters in use (sort excluded), in declaration order."""
        return {
            name: value for name, value in self.form.cleaned_data.items() if name != "sort" and not _is_empty(value)
        }

    def query_string(self, without=None, **extra):
        """The filters in use as a query string, minus one (name, value) pair if given."""
        data = self.data.copy()
        if without:
            name, value = without
            data.setlist(name, [v for v in data.getlist(name) if v != value])
        for name, value in extra.items():
            data[name] = value
        return data.urlencode()


def _is_empty(value):
    # A model filter's value is a queryset: evaluating it here caches the rows for the filter and chips.
    return value in (None, "") or (isinstance(value, list | tuple | QuerySet) and not value)


def _multi_valued(field):
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)


def bind_case_filters(params, queryset=None):
    """(valid CaseFilterSet, [problem messages]) for a QueryDict of GET parameters.

    Each value is checked on its own: a bad one is reported and dropped, the rest stay.
    """
    if queryset is None:
        queryset = CaseStudyPage.objects.published()
    data = QueryDict(mutable=True)
    problems = []
    for name in CaseFilterSet.base_filters:
        # No valid code, slug or year is long; cutting values keeps messages readable. q is capped by its field.
        values = [v if name == "q" else v[:VALUE_MAX_LENGTH] for v in params.getlist(name) if v.strip()]
        clean_values = [v for v in values if "\x00" not in v]
        if len(clean_values) < len(values):
            problems.append(
                gettext("A value of “%(name)s” contained a null character and was ignored.") % {"name": name}
            )
        if clean_values:
            data.setlist(name, clean_values)
    raw_q = " ".join(params.get("q", "").split())
    if len(raw_q) > Q_MAX_LENGTH:
        problems.append(
            gettext("Your search words were shortened to the first %(count)d characters.") % {"count": Q_MAX_LENGTH}
        )

    filterset = CaseFilterSet(data, queryset=queryset)
    if not filterset.is_valid():
        fields = filterset.form.fields
        for name, errors in filterset.form.errors.items():
            field = fields.get(name)
            if field is not None and _multi_valued(field):
                good = []
                for value in data.getlist(name):
                    try:
                        field.clean([value])
                    except forms.ValidationError as error:
                        problems.extend(error.messages)
                    else:
                        good.append(value)
                data.setlist(name, good)
            else:
                label = field.label if field is not None else name
                shown = data.get(name, "")[:40]
                problems.extend(
                    gettext("“%(value)s” was ignored for %(filter)s: %(message)s")
                    % {"value": shown, "filter": str(label).lower(), "message": message}
                    for message in errors
                )
                data.pop(name, None)
        filterset = CaseFilterSet(data, queryset=queryset)
        filterset.is_valid()

    cleaned = filterset.form.cleaned_data
    start, end = cleaned.get("year_from"), cleaned.get("year_to")
    if start is not None and end is not None and start > end:
        problems.append(
            gettext("“From year” %(start)d was after “To year” %(end)d, so the two were swapped.")
            % {"start": int(start), "end": int(end)}
        )
        data["year_from"], data["year_to"] = str(int(end)), str(int(start))
        filterset = CaseFilterSet(data, queryset=queryset)
        filterset.is_valid()
    filterset.data = _canonical(filterset.form.cleaned_data)
    return filterset, problems


def _canonical(cleaned):
    """The parameters as the FilterSet understood them: upper-case codes, slugs, whole years."""
    data = QueryDict(mutable=True)
    for name, value in cleaned.items():
        if _is_empty(value) or name == "sort" and value == DEFAULT_SORT:
            continue
        if name in ("country", "actor_country"):
            data.setlist(name, [country.code for country in value])
        elif name in ("tactic", "channel", "target"):
            data.setlist(name, [term.slug for term in value])
        elif isinstance(value, list):
            data.setlist(name, list(dict.fromkeys(value)))
        elif name in ("year_from", "year_to"):
            data[name] = str(int(value))
        else:
            data[name] = value
    return data
