"""The public search page and its autocomplete: cases, guides and country profiles, published only."""

import hashlib
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query

from cases.models import CaseStudyPage, Country
from guides.models import GuidePage
from portal.page_cache import add_event
from portal.query_strings import drops_empty_params

from . import hits
from .forms import clean_search_params
from .parsing import MAX_QUERY_LENGTH, clean_text, words_of
from .queries import SORTS, TYPES, finds_something, run_search

# Queries longer than this are searched but not recorded as popular searches.
MAX_RECORDED_LENGTH = 80
AUTOCOMPLETE_SIZE = 8
POPULAR_CACHE_SECONDS = 300
FILTER_NAMES = ("type", "country", "region", "year", "tactic")


@require_GET
@drops_empty_params
def search(request):
    values, errors = clean_search_params(request.GET)
    filters = {name: values.get(name) for name in FILTER_NAMES if values.get(name)}
    results = run_search(values.get("q") or "", filters, values.get("sort") or "relevance", values.get("page") or 1)
    recorded = results.query and (values.get("page") or 1) == 1 and should_record(results)
    if recorded:
        hits.record(results.query)
    context = {
        "query": results.query,
        "search": results,
        "errors": errors,
        "filters": filters,
        "sort": results.sort,
        "sorts": SORTS,
        "types": TYPES,
        "max_query_length": MAX_QUERY_LENGTH,
        "several_queries": len(request.GET.getlist("q")) > 1,
        "popular": popular_searches() if not results.query else [],
        "filter_count": sum(len(v) if isinstance(v, list) else 1 for v in filters.values()),
    }
    response = render(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    if recorded:
        add_event(response, "search-hit", results.query)  # counted again when served from the page cache
    return response


def should_record(results):
    """Record real searches only: not truncated floods, not punctuation, not page 2 of the same."""
    return bool(results.parsed) and not results.parsed.truncated and len(results.query) <= MAX_RECORDED_LENGTH


def popular_searches(days=30, limit=8):
    """The most searched queries of the last `days` days that find something published now.

    Every sane query is recorded, so editors see the ones that found nothing too; the public
    list leaves those out (and typos with them). Cached briefly: checking is a search each.
    """
    since = timezone.now().date() - timedelta(days=days)
    candidates = [
        query.query_string
        for query in Query.get_most_popular(date_since=since)[: limit * 2]
        if any(len(word) > 2 for word in words_of(query.query_string))
    ]
    if not candidates:
        return []
    key = "search:popular:" + hashlib.sha256("\n".join(candidates).encode()).hexdigest()
    popular = cache.get(key)
    if popular is None:
        popular = [text for text in candidates if finds_something(text)][:limit]
        cache.set(key, popular, POPULAR_CACHE_SECONDS)
    return popular


@require_GET
def autocomplete(request):
    """Up to 8 published cases, guides and countries whose titles hold every typed word, as JSON."""
    text, _ = clean_text(request.GET.get("q", ""))
    words = words_of(text)[:6]
    items = []
    if words and len(text) >= 2:
        title_match = Q()
        for word in words:
            title_match &= Q(title__icontains=word)
        for model, kind in ((CaseStudyPage, "case"), (GuidePage, "guide")):
            pages = model.objects.published().filter(title_match).order_by("title").only("id", "title", "url_path")
            items += [{"title": p.title, "url": p.url, "type": kind} for p in pages[:AUTOCOMPLETE_SIZE]]
        name_match = Q()
        for word in words:
            name_match &= Q(name__istartswith=word) | Q(name__icontains=" " + word)
        countries = Country.objects.live().filter(name_match).order_by("name")[:3]
        items = [{"title": c.label, "url": c.get_absolute_url(), "type": "country"} for c in countries] + items
        first = words[0]
        items.sort(key=lambda item: not item["title"].lower().startswith(first))
    response = JsonResponse({"query": text, "results": items[:AUTOCOMPLETE_SIZE]})
    response["X-Robots-Tag"] = "noindex"
    return response
