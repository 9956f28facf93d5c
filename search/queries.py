"""run_search: the one search both the search page and the benchmark call.

Cases, guides and country profiles, published and public only (`.published()`), matched in
Wagtail's search index (see engine.py): all words first, any word when nothing has all of
them; filters by type, country, region, year and tactic with facet counts; relevance or newest.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cases.models import CaseStudyPage
from guides.models import GuidePage
from portal import versioning

from . import cache as search_cache
from .engine import RERANK, CountryMatcher, matcher
from .facets import facet_counts
from .finding import find
from .highlight import term_pattern
from .parsing import parse_query
from .results import country_results, page_results, promotions
from .scope import TYPES, Scope, any_allowed, candidate_countries

__all__ = ["TYPES", "SORTS", "SearchPage", "run_search", "finds_something"]

PAGE_SIZE = 20
COUNTRY_BOX_SIZE = 3
SORTS = {"relevance": _("Relevance"), "newest": _("Newest first")}


@dataclass
class SearchPage:
    """One page of results with everything around it: counts, facets, suggestion, promotions."""

    query: str
    parsed: object
    results: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    operator: str = "and"
    countries: list = field(default_factory=list)
    country_total: int = 0
    promotions: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    filters: dict = field(default_factory=dict)
    sort: str = "relevance"

    @property
    def relaxed(self):
        """True when nothing had every word and results match some of them."""
        return self.operator == "or"

    @property
    def start_index(self):
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def grand_total(self):
        return self.total + (self.country_total if self.show_country_box else 0)

    @property
    def show_country_box(self):
        return self.filters.get("type") != ["country"]

    def __len__(self):
        return len(self.results)

    def __iter__(self):
        return iter(self.results)


def run_search(query, filters=None, sort="relevance", page=1, facets=True):
    """Search published cases, guides and country profiles; returns one SearchPage of results.

    `query` is the raw text as typed (it is cleaned here); `filters` is a dict of already
    validated values: type (list of "case"/"guide"/"country"), country (alpha-2 codes),
    region (M49 region or sub-region slug), year (int), tactic (slugs). `page` counts from 1.
    """
    filters = {key: value for key, value in (filters or {}).items() if value}
    parsed = parse_query(query)
    sort = sort if sort in SORTS else "relevance"
    result = SearchPage(query=parsed.text, parsed=parsed, filters=filters, sort=sort)
    if not parsed:
        return result
    # Whole pages are cached until published content changes (cache.py); a miss runs in full.
    version = versioning.current()  # read once: the cache key, the scope and the catalogue index
    cache_key = search_cache.key(version, query, filters, sort, str(page), facets)
    cached = search_cache.get(cache_key)
    if cached is not None:
        return cached
    with versioning.watching_lag() as lagging:
        _search(result, parsed, filters, sort, page, facets, version)
        if not lagging():  # counted by a catalogue index older than the version: not kept under it
            search_cache.set(cache_key, result)
    return result


def _search(result, parsed, filters, sort, page, facets, version):
    """Fill `result` in: match, narrow, rank, page, facets and the "did you mean"."""
    scope = Scope(version)
    # Enough results to rerank and to reach the page asked for (clamped below once counted).
    page = max(1, int(page or 1))
    limit = max(RERANK, page * PAGE_SIZE)
    page_matcher = matcher(parsed, "and", [CaseStudyPage, GuidePage])
    country_matcher = CountryMatcher(parsed, "and")
    found = find(scope, filters, page_matcher, sort, limit, facets)
    countries = country_matcher.found(candidate_countries(filters))  # [(country, score)], best first
    if not found.total and not countries and len(parsed.words) + len(parsed.phrases) > 1:
        result.operator = "or"
        page_matcher = matcher(parsed, "or", [CaseStudyPage, GuidePage])
        country_matcher = CountryMatcher(parsed, "or")
        found = find(scope, filters, page_matcher, sort, limit, facets)
        countries = country_matcher.found(candidate_countries(filters))
    country_total = len(countries)

    pattern = term_pattern(parsed)
    only_countries = filters.get("type") == ["country"]
    listed_total = country_total if only_countries else found.total
    result.total, result.country_total = listed_total, country_total
    result.num_pages = max(1, math.ceil(listed_total / PAGE_SIZE))
    result.page = min(page, result.num_pages)
    offset = (result.page - 1) * PAGE_SIZE

    if only_countries:
        shown = [country for country, _ in countries[offset : offset + PAGE_SIZE]]
        result.results = country_results(scope, shown, pattern, found.facet_index)
    else:
        ordered = [pk for pk, _ in found.ranked]
        if sort != "newest":
            ordered = page_matcher.rerank(dict(found.ranked), ordered, found.ranks)
        result.results = page_results(scope, ordered[offset : offset + PAGE_SIZE], pattern, found.content_types)
        if result.page == 1 and country_total:
            shown = [country for country, _ in countries[:COUNTRY_BOX_SIZE]]
            result.countries = country_results(scope, shown, pattern, found.facet_index)

    if result.page == 1:
        result.promotions = promotions(scope, parsed.text)
    if facets and (found.total or country_total):
        # Without a type filter the country type count is the count of the countries found.
        type_count = None if filters.get("type") else country_total
        result.facets = facet_counts(found.facets(), filters, country_matcher, type_count)
    if (not result.total and not country_total) or result.relaxed:
        from .suggest import suggest

        suggestion = suggest(parsed)
        if suggestion:
            corrected = parse_query(suggestion)
            # Every corrected word must be found in published content (see suggest.py).
            found_corrected = any_allowed(scope, matcher(corrected, "and", [CaseStudyPage, GuidePage]))
            if found_corrected or CountryMatcher(corrected, "and").count(candidate_countries({})):
                result.suggestion = suggestion
    return result


def finds_something(text):
    """Whether a query has at least one published case, guide or country to show."""
    parsed = parse_query(text)
    if not parsed:
        return False
    page_matcher = matcher(parsed, "and", [CaseStudyPage, GuidePage])
    return any_allowed(Scope(), page_matcher) or bool(CountryMatcher(parsed, "and").count(None))
