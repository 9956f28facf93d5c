"""What a search shows, found: counts by type, the first results in order, the facet counts.

On PostgreSQL all of it comes from one statement (pgsearch.py). Elsewhere (SQLite, where the
catalogue is small) the matches come back as ids with scores and are narrowed, ordered and
counted in a few queries, the cases' facets by the catalogue index (facets.py).
"""

from collections import Counter

from django.db.models import DateField
from django.db.models.functions import Cast, Coalesce
from wagtail.models import Page

from cases.live_index import catalogue_index

from . import pgsearch
from .engine import id_set, is_postgres
from .facets import counts_from_rows
from .scope import Found, allowed_rows


def find(scope, filters, matcher, sort, limit, facets=True):
    """The matches of `matcher` the filters allow: counts, the first `limit` in `sort` order, facets."""
    if is_postgres():
        return pgsearch.find(scope, filters, matcher, sort, limit, facets)
    scores = matcher.scores()
    rows = allowed_rows(scope, filters, scores)
    allowed = [pk for pk, _ in rows]
    type_counts = Counter(ct for _, ct in rows)
    if sort == "newest":
        # Scored minus their position, so that "highest score first" keeps the date order.
        ranked = [(pk, -position) for position, pk in enumerate(newest_page_ids(allowed, limit))]
    else:
        ranked = sorted(((pk, scores[pk]) for pk in allowed), key=lambda row: (-row[1], -row[0]))[:limit]
    found = Found(type_counts=dict(type_counts), ranked=ranked, content_types=dict(rows))
    if facets:
        index = found.facet_index = catalogue_index(scope.version)
        found.count_facets = lambda: counts_from_rows(scope, filters, scores, rows, index)
    return found


def newest_page_ids(allowed, limit):
    """The first `limit` of these page ids by date (first seen, last reviewed, first published)."""
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
    return list(pages[:limit])
