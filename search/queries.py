"""run_search: the one search the page, the autocomplete and the benchmark all use.

Cases, guides and country profiles, published and public only (`.published()`), matched in
Wagtail's search index (see engine.py): all words first, any word when nothing has all of
them; filters by type, country, region, year and tactic with facet counts; relevance or newest.
"""

import math
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField, Q
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils.safestring import SafeString
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from cases.models import CaseStudyPage, Country, Tactic
from guides.models import GuidePage
from portal.querysets import PublishedPageQuerySet

from .engine import CountryMatcher, id_set, matcher
from .highlight import highlight, snippet, term_pattern
from .parsing import parse_query

PAGE_SIZE = 20
COUNTRY_BOX_SIZE = 3
FACET_SIZE = 12
TYPES = {"case": "Case study", "guide": "Guide", "country": "Country profile"}
SORTS = {"relevance": "Relevance", "newest": "Newest first"}
CASE_FILTERS = ("country", "region", "year")


@dataclass
class Result:
    """One search hit as the page shows it."""

    kind: str
    title: str
    url: str
    title_html: SafeString = ""
    date: str = ""
    countries: list = field(default_factory=list)
    snippet: SafeString = ""
    matched_in: list = field(default_factory=list)
    pk: int = 0

    @property
    def kind_label(self):
        return TYPES.get(self.kind, "Page")


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


def published_pages():
    """Every published, public page, through the shared definition in portal/querysets.py."""
    return PublishedPageQuerySet(Page).published()


class Scope:
    """The published querysets one search works within, built once: each `.published()` asks the
    database for the current privacy restrictions, and one answer per search is enough."""

    def __init__(self):
        self.pages = published_pages()
        self.cases = CaseStudyPage.objects.published()
        self.guides = GuidePage.objects.published()


def _ct(model):
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
            condition |= Q(content_type_id=_ct(CaseStudyPage))
    # Guides have no countries or dates: a country, region or year filter leaves them out.
    if "guide" in types and not any(filters.get(name) for name in CASE_FILTERS if name != skip):
        if skip != "tactic" and filters.get("tactic"):
            threats = scope.guides.filter(threats__slug__in=filters["tactic"])
            condition |= Q(pk__in=threats.values("pk"))
        else:
            condition |= Q(content_type_id=_ct(GuidePage))
    return scope.pages.filter(condition)


def allowed_ids(scope, filters, scores, skip=None):
    """The matched page ids the filters allow, as a list: one query, the match passed as ids."""
    if not scores:
        return []
    pages = candidate_pages(scope, filters, skip).filter(pk__in=id_set(scores))
    return list(pages.order_by().values_list("pk", flat=True))


def candidate_countries(filters, skip=None):
    if "country" not in _selected_types(filters, skip) or filters.get("year") or filters.get("tactic"):
        return Country.objects.none().values("pk")
    countries = Country.objects.all()
    if skip != "country" and filters.get("country"):
        countries = countries.filter(code__in=filters["country"])
    if skip != "region" and filters.get("region"):
        countries = countries.in_region(filters["region"])
    return countries.values("pk")


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

    scope = Scope()
    page_matcher = matcher(parsed, "and", [CaseStudyPage, GuidePage])
    country_matcher = CountryMatcher(parsed, "and")
    scores = page_matcher.scores()
    allowed = allowed_ids(scope, filters, scores)
    country_total = country_matcher.count(candidate_countries(filters))
    if not allowed and not country_total and len(parsed.words) + len(parsed.phrases) > 1:
        result.operator = "or"
        page_matcher = matcher(parsed, "or", [CaseStudyPage, GuidePage])
        country_matcher = CountryMatcher(parsed, "or")
        scores = page_matcher.scores()
        allowed = allowed_ids(scope, filters, scores)
        country_total = country_matcher.count(candidate_countries(filters))

    pattern = term_pattern(parsed)
    only_countries = filters.get("type") == ["country"]
    listed_total = country_total if only_countries else len(allowed)
    result.total, result.country_total = listed_total, country_total
    result.num_pages = max(1, math.ceil(listed_total / PAGE_SIZE))
    result.page = min(max(1, int(page or 1)), result.num_pages)
    offset = (result.page - 1) * PAGE_SIZE

    if only_countries:
        ranked = country_matcher.ranked(candidate_countries(filters), offset, PAGE_SIZE)
        result.results = country_results([pk for pk, _ in ranked], pattern)
    else:
        if sort == "newest":
            ids = newest_page_ids(allowed, offset, PAGE_SIZE)
        else:
            ordered = sorted(allowed, key=lambda pk: (-scores[pk], -pk))
            ids = page_matcher.rerank(scores, ordered)[offset : offset + PAGE_SIZE]
        result.results = page_results(scope, ids, pattern)
        if result.page == 1 and country_total:
            ranked = country_matcher.ranked(candidate_countries(filters), 0, COUNTRY_BOX_SIZE)
            result.countries = country_results([pk for pk, _ in ranked], pattern)

    if result.page == 1:
        result.promotions = promotions(scope, parsed.text)
    if facets and (allowed or country_total):
        result.facets = facet_counts(scope, filters, scores, allowed, country_matcher)
    if (not result.total and not country_total) or result.relaxed:
        from .suggest import suggest

        suggestion = suggest(parsed)
        if suggestion:
            corrected = parse_query(suggestion)
            # Every corrected word must be found in published content (see suggest.py).
            found = allowed_ids(scope, {}, matcher(corrected, "and", [CaseStudyPage, GuidePage]).scores())
            if found or CountryMatcher(corrected, "and").count(candidate_countries({})):
                result.suggestion = suggestion
    return result


def finds_something(text):
    """Whether a query has at least one published case, guide or country to show."""
    parsed = parse_query(text)
    if not parsed:
        return False
    scores = matcher(parsed, "and", [CaseStudyPage, GuidePage]).scores()
    return bool(allowed_ids(Scope(), {}, scores)) or bool(CountryMatcher(parsed, "and").count(None))


def newest_page_ids(allowed, offset, limit):
    pages = (
        Page.objects.filter(pk__in=id_set(allowed))
        .annotate(
            sort_date=Coalesce(
                "casestudypage__first_seen",
                "guidepage__last_reviewed",
                Cast("first_published_at", DateField()),
            )
        )
        .order_by("-sort_date", "-pk")
        .values_list("pk", flat=True)
    )
    return list(pages[offset : offset + limit])


def _source_texts(page):
    return [f"{s.publisher}: {s.title}" for s in page.sources.all()]


def page_results(scope, ids, pattern):
    """Cases and guides for these page ids, in this order, ready to show."""
    if not ids:
        return []
    cases = scope.cases.filter(pk__in=ids).prefetch_related("countries", "actors", "sources", "tactics")
    guides = scope.guides.filter(pk__in=ids).prefetch_related("threats", "sources")
    by_id = {page.pk: page for page in list(cases) + list(guides)}
    results = []
    for pk in ids:
        page = by_id.get(pk)
        if page is None:
            continue
        body = " ".join(page._meta.get_field("body").get_searchable_content(page.body))
        if isinstance(page, CaseStudyPage):
            names = [c.name for c in page.countries.all()]
            related = {
                "Actors": [a.name for a in page.actors.all()],
                "Tactics": [t.name for t in page.tactics.all()],
                "Sources": _source_texts(page),
            }
            item = Result(
                kind="case",
                title=page.title,
                url=page.url,
                date=page.period_display,
                countries=names,
                snippet=snippet([page.summary, body, page.response], pattern),
            )
        else:
            related = {"Threats": [t.name for t in page.threats.all()], "Sources": _source_texts(page)}
            item = Result(
                kind="guide",
                title=page.title,
                url=page.url,
                date=f"Reviewed {page.last_reviewed:%-d %B %Y}" if page.last_reviewed else "",
                snippet=snippet([page.summary, body], pattern),
            )
        item.pk = page.pk
        item.title_html = highlight(page.title, pattern)
        if pattern is not None:
            for label, values in related.items():
                hits = [highlight(v, pattern) for v in values if pattern.search(v)]
                if hits:
                    item.matched_in.append((label, hits[:3]))
        results.append(item)
    return results


def country_results(ids, pattern):
    countries = {
        c.pk: c
        for c in Country.objects.filter(pk__in=ids).annotate(
            case_count=Count("cases", filter=Q(cases__in=CaseStudyPage.objects.published()), distinct=True)
        )
    }
    results = []
    for pk in ids:
        country = countries.get(pk)
        if country is None:
            continue
        from django.utils.html import strip_tags

        count = country.case_count
        text = strip_tags(country.profile) or (
            f"{country.region}, {country.sub_region}. {count} published case{'s' if count != 1 else ''}."
        )
        results.append(
            Result(
                kind="country",
                title=country.name,
                url=country.get_absolute_url(),
                title_html=highlight(country.name, pattern),
                countries=[country.name],
                date=country.sub_region or country.region,
                snippet=snippet([text], pattern),
                pk=pk,
            )
        )
    return results


def promotions(scope, text):
    """Editors' picks for this exact query: published pages (or external links) only."""
    picks = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(text))
        .filter(Q(page__isnull=True) | Q(page__in=scope.pages))
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    items = []
    for pick in picks[:3]:
        if pick.page:
            specific = pick.page.specific
            items.append(
                Result(
                    kind="promoted",
                    title=specific.title,
                    url=specific.url,
                    title_html=highlight(specific.title, None),
                    snippet=highlight(pick.description or getattr(specific, "summary", ""), None),
                    pk=specific.pk,
                )
            )
        elif pick.external_link_url:
            items.append(
                Result(
                    kind="promoted",
                    title=pick.external_link_text or pick.external_link_url,
                    url=pick.external_link_url,
                    title_html=highlight(pick.external_link_text or pick.external_link_url, None),
                    snippet=highlight(pick.description, None),
                )
            )
    return items


def facet_counts(scope, filters, scores, allowed, country_matcher):
    """Counts per filter value among the matches, each facet ignoring its own selection."""

    def ids_for(skip):
        # A facet whose own filter is not set counts within the results already found.
        return allowed if not filters.get(skip) else allowed_ids(scope, filters, scores, skip)

    type_counts = dict(
        Page.objects.filter(pk__in=id_set(ids_for("type")))
        .order_by()
        .values_list("content_type_id")
        .annotate(n=Count("pk"))
    )
    types = [
        ("case", TYPES["case"], type_counts.get(_ct(CaseStudyPage), 0)),
        ("guide", TYPES["guide"], type_counts.get(_ct(GuidePage), 0)),
        ("country", TYPES["country"], country_matcher.count(candidate_countries(filters, "type"))),
    ]

    countries = list(
        Country.objects.filter(cases__in=id_set(ids_for("country")))
        .values_list("code", "name")
        .annotate(n=Count("cases", distinct=True))
        .order_by("-n", "name")[:FACET_SIZE]
    )
    shown = {code for code, _, _ in countries}
    missing = [code for code in filters.get("country", []) if code not in shown]
    if missing:
        countries += [(c.code, c.name, 0) for c in Country.objects.filter(code__in=missing)]

    regions = list(
        Country.objects.filter(cases__in=id_set(ids_for("region")))
        .exclude(region="")
        .values_list("region_slug", "region")
        .annotate(n=Count("cases", distinct=True))
        .order_by("region")
    )

    years = list(
        CaseStudyPage.objects.filter(pk__in=id_set(ids_for("year")))
        .order_by()
        .annotate(year=ExtractYear("first_seen"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )

    tactic_ids = id_set(ids_for("tactic"))
    counts = {}
    for slug, name, n in (
        Tactic.objects.filter(cases__in=tactic_ids)
        .values_list("slug", "name")
        .annotate(n=Count("cases", distinct=True))
    ):
        counts[slug] = [name, n]
    for slug, name, n in (
        Tactic.objects.filter(guides__in=tactic_ids)
        .values_list("slug", "name")
        .annotate(n=Count("guides", distinct=True))
    ):
        counts.setdefault(slug, [name, 0])[1] += n
    tactics = sorted(((slug, name, n) for slug, (name, n) in counts.items()), key=lambda t: (-t[2], t[1]))[:FACET_SIZE]

    return {
        "type": types,
        "country": countries,
        "region": regions,
        "year": [(str(year), str(year), n) for year, n in years],
        "tactic": tactics,
    }
