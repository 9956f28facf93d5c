"""What a search may return: published pages and countries, narrowed by the filters.

Every page comes through `.published()` (portal/querysets.py). Filters narrow cases by
country, region, year (first seen) and tactic, and guides by tactic (their threats); facets
ask for the same set with one filter left out (`skip`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cases.live_index import UNREAD
from cases.models import CaseStudyPage, Country
from guides.models import GuidePage
from portal.querysets import PublishedPageQuerySet

from .engine import id_set, is_postgres, planner_settings

TYPES = {"case": _("Case study"), "guide": _("Guide"), "country": _("Country profile")}
CASE_FILTERS = ("country", "region", "year")


def published_pages(private=None):
    """Every published, public page, through the shared definition in portal/querysets.py."""
    return PublishedPageQuerySet(Page).published(private)


class Scope:
    """The published querysets one search works within, built once: `.published()` asks the
    database for the current privacy restrictions, and one answer per search is enough (one
    query, where each `.published()` would ask again).

    `version` is the content version the search read (portal/versioning.py), for what is kept
    per version (the catalogue index) without reading it again; UNREAD reads it when needed.
    """

    def __init__(self, version=UNREAD):
        self.version = version
        private = PublishedPageQuerySet(Page).private_q()
        self.pages = published_pages(private)
        self.cases = CaseStudyPage.objects.published(private)
        self.guides = GuidePage.objects.published(private)


@dataclass
class Found:
    """What one search found: counts by content type, the first results and the facet counts."""

    type_counts: dict
    ranked: list  # [(page id, score)], best first
    content_types: dict = field(default_factory=dict)  # {page id: content type id} of those ranked
    ranks: dict | None = None  # {page id: full rank} of the best RERANK, if the search read them (engine.py)
    raw_facets: dict | None = None
    count_facets: Callable | None = None  # counts raw_facets when first asked for
    facet_index: object = None  # the catalogue index (cases/index.py) the facets were counted with, if any

    @property
    def total(self):
        return sum(self.type_counts.values())

    def facets(self):
        if self.raw_facets is None and self.count_facets is not None:
            self.raw_facets = self.count_facets()
        return self.raw_facets


def content_type_id(model):
    return ContentType.objects.get_for_model(model).pk


def _selected_types(filters, skip):
    chosen = [] if skip == "type" else list(filters.get("type") or [])
    return chosen or list(TYPES)


def _filtered_cases(scope, filters, skip=None):
    cases = scope.cases
    if skip != "country" and filters.get("country"):
        cases = cases.filter(countries__code__in=filters["country"])
    if skip != "region" and filters.get("region"):
        region = filters["region"]
        cases = cases.filter(Q(countries__region_slug=region) | Q(countries__sub_region_slug=region))
    if skip != "year" and filters.get("year"):
        cases = cases.filter(first_seen__year=filters["year"])
    if skip != "tactic" and filters.get("tactic"):
        cases = cases.filter(tactics__slug__in=filters["tactic"])
    return cases


def _has_case_filters(filters, skip=None):
    return any(filters.get(name) for name in CASE_FILTERS + ("tactic",) if name != skip)


def candidate_pages(scope, filters, skip=None):
    """The published pages the filters allow (leaving out facet `skip`), as a queryset."""
    types = _selected_types(filters, skip)
    condition = Q(pk__in=[])
    if "case" in types:
        if _has_case_filters(filters, skip):
            condition |= Q(pk__in=_filtered_cases(scope, filters, skip).values("pk"))
        else:
            condition |= Q(content_type_id=content_type_id(CaseStudyPage))
    # Guides have no countries or dates: a country, region or year filter leaves them out.
    if "guide" in types and not any(filters.get(name) for name in CASE_FILTERS if name != skip):
        if skip != "tactic" and filters.get("tactic"):
            threats = scope.guides.filter(threats__slug__in=filters["tactic"])
            condition |= Q(pk__in=threats.values("pk"))
        else:
            condition |= Q(content_type_id=content_type_id(GuidePage))
    return scope.pages.filter(condition)


def allowed_rows(scope, filters, scores, skip=None):
    """(page id, content type id) of the matched pages the filters allow: one query, the match
    passed as ids. The content types give the type facet without another pass."""
    if not scores:
        return []
    pages = candidate_pages(scope, filters, skip).filter(pk__in=id_set(scores))
    return list(pages.order_by().values_list("pk", "content_type_id"))


def allowed_ids(scope, filters, scores, skip=None):
    """The matched page ids the filters allow, as a list."""
    return [pk for pk, _ in allowed_rows(scope, filters, scores, skip)]


def any_allowed(scope, matcher):
    """Whether any published page matches, asked in one query without scoring the matches."""
    sql, params = matcher.match_sql(scored=False)
    pages = candidate_pages(scope, {}).filter(pk__in=RawSQL(sql, params))
    if not is_postgres():
        return pages.exists()
    with transaction.atomic():
        planner_settings()
        return pages.exists()


def candidate_countries(filters, skip=None):
    if "country" not in _selected_types(filters, skip) or filters.get("year") or filters.get("tactic"):
        return Country.objects.none().values("pk")
    countries = Country.objects.live()
    if skip != "country" and filters.get("country"):
        countries = countries.filter(code__in=filters["country"])
    if skip != "region" and filters.get("region"):
        countries = countries.in_region(filters["region"])
    return countries.values("pk")
