"""The search on PostgreSQL in one statement: match, narrow, count, order and facet counts together.

The matched ids never leave the database. A common word matches a fifth of a large catalogue
and a phrase half of it; shipping those ids to Python and back (once to narrow them to
published pages, again for the facets) cost more than finding them. Here the matches are a
materialised CTE, narrowed by the same published-and-filtered queryset as everywhere else
(scope.py, compiled to SQL), and the statement returns only what the page shows: counts per
type, the best `limit` ids with their scores (or the newest, by date) and the facet counts.
The cases' own facets (country, region, year, tactic) are counted in memory by the catalogue
index (cases/index.py) from the matched case pks, sent as a bit set and mapped to its positions.
A search with no filter (most of them) goes further: the index, which holds every published case,
also narrows and counts the matched cases, so the statement never joins the published pages
(`_find_by_index`).
"""

import struct

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from wagtail.models import Page

from cases.live_index import catalogue_index
from cases.models import CaseStudyPage, Tactic
from guides.models import GuidePage
from portal.translations import is_default_language

from .engine import RERANK, planner_settings
from .facets import CASE_FACETS, FACETS, index_counts
from .scope import Found, candidate_pages, content_type_id

WORD_MASK = (1 << 64) - 1
# How many more of the best matches than it shows a search without filters reads (_find_by_index),
# for those of them that are not published (drafts, private pages, translations).
MARGIN = 50
# Enough memory for the facets' hash aggregates over half the catalogue, for this statement only.
WORK_MEM = "32MB"


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


class Statement:
    """One SQL statement built from named CTEs and UNION ALL parts of (kind, key, label, n, numbers) rows."""

    def __init__(self):
        self.ctes, self.parts, self._narrowed = [], [], {}

    def cte(self, name, sql, params):
        self.ctes.append((name, sql, list(params)))
        return name

    def part(self, sql, params=()):
        self.parts.append((sql, list(params)))

    def narrowed(self, scope, filters, skip=None):
        """A CTE of (id, score, ct): the matches the filters allow, leaving out facet `skip`'s filter.

        Filter sets that narrow alike share one CTE.
        """
        pages = candidate_pages(scope, filters, skip).order_by().values_list("pk", "content_type_id")
        try:
            sql, params = pages.query.sql_with_params()
        except EmptyResultSet:  # the filters leave no page type (only countries)
            sql, params = "SELECT NULL::int AS pk, NULL::int AS content_type_id WHERE false", []
        key = (sql, repr(params))
        if key not in self._narrowed:
            name = f"allowed{len(self._narrowed)}"
            sql = (
                f"SELECT m.id, m.score, pages.content_type_id AS ct FROM matched m "
                f"JOIN ({sql}) AS pages ON pages.pk = m.id"
            )
            self._narrowed[key] = self.cte(name, sql, params)
        return self._narrowed[key]

    def run(self, settings=""):
        """The statement's rows, run under the search's planner settings and `settings` (more SETs)."""
        with_sql = ", ".join(f"{name} AS MATERIALIZED ({sql})" for name, sql, _ in self.ctes)
        sql = f"WITH {with_sql} " + " UNION ALL ".join(f"({sql})" for sql, _ in self.parts)
        params = [p for _, _, params in self.ctes for p in params] + [p for _, params in self.parts for p in params]
        with transaction.atomic(), connection.cursor() as cursor:
            planner_settings(f"; SET LOCAL work_mem = '{WORK_MEM}'{settings}")
            cursor.execute(sql, params)
            return cursor.fetchall()


def find(scope, filters, matcher, sort, limit, facets=True):
    """Counts, the first `limit` results in `sort` order and (if `facets`) the facet counts."""
    if not filters and sort != "newest" and is_default_language():
        found = _find_by_index(scope, matcher, limit, facets)
        if found is not None:
            return found
    return _find_in_sql(scope, filters, matcher, sort, limit, facets)


def _find_in_sql(scope, filters, matcher, sort, limit, facets):
    """`find()` narrowed by joining the matches to the published pages the filters allow."""
    statement = Statement()
    statement.cte("matched", *matcher.match_sql())
    allowed = statement.narrowed(scope, filters)
    statement.part(f"SELECT 'count', ct::text, '', COUNT(*)::float8, NULL::int8[] FROM {allowed} GROUP BY ct")
    if sort == "newest":
        _newest(statement, allowed, limit)
    else:
        best = f"SELECT id, ct, score FROM {allowed} ORDER BY score DESC, id DESC LIMIT %s"
        top = statement.cte("top", best, [limit])
        statement.part(f"SELECT 'top', id::text, ct::text, score::float8, NULL::int8[] FROM {top}")
        # The full ts_rank of the head the rerank reorders (engine.py) here, not in a query of its own.
        head = f"object_id IN (SELECT id::text FROM (SELECT id FROM {top} ORDER BY score DESC, id DESC LIMIT %s) h)"
        sql, params = matcher.rank_sql(head, [RERANK])
        statement.part(f"SELECT 'rank', id::text, '', rank::float8, NULL::int8[] FROM ({sql}) AS ranks", params)
    index = catalogue_index(scope.version) if facets else None
    if facets:
        sources = {name: statement.narrowed(scope, filters, name) if filters.get(name) else allowed for name in FACETS}
        _facet_parts(statement, sources, allowed)
        for source in dict.fromkeys(sources[name] for name in CASE_FACETS):
            statement.part(_case_bits(source), [content_type_id(CaseStudyPage)])
    found = _read(statement.run(), facets)
    if sort != "newest" and found.ranks is None:
        found.ranks = {}  # asked for, and nothing to rank
    found.facet_index = index
    if index is not None:
        raw = found.raw_facets
        for source in dict.fromkeys(sources[name] for name in CASE_FACETS):
            names = [name for name in CASE_FACETS if sources[name] == source]
            matched = index.bits_of_pk_bits(bits_from_words(raw.pop(("bits", source)) or []))
            _add_case_facets(raw, index, matched, names)
    return found


def _add_case_facets(raw, index, cases, names):
    """Add the catalogue index's counts of `cases` (bits by its positions) for facets `names` to `raw`,
    beside the guides' counts the statement gave."""
    for name, counts in index_counts(index, cases, names).items():
        raw[name] += counts


def _find_by_index(scope, matcher, limit, facets):
    """`find()` for a search with no filter, in the default language, best first: the published
    cases are told apart by the catalogue index instead of by joining every published page.

    A common word or a phrase matches half a large catalogue, and joining those matches to the
    100,000 published pages, then counting and sorting what the join kept, cost more than finding
    them. The catalogue index (cases/index.py) already holds every published case, by the same
    definition (`.published()`): the statement sends the matched cases as a bit set, which the
    index narrows to the published ones, counts and counts by facet; it sends the best matches
    with a margin, of which the published ones are kept in order. Guides, a few hundred at most,
    are narrowed in SQL as before. None, for the caller to run the general statement, when the
    margin was not enough (more of the best matches unpublished than it allows) or while the
    index is a masked copy that does not yet hold the cases published since its build.
    """
    index = catalogue_index(scope.version)
    if not index.complete:
        return None  # a rebuild is running: cases published since the last build are not in it yet
    case_ct, guide_ct = content_type_id(CaseStudyPage), content_type_id(GuidePage)
    statement = Statement()
    statement.cte("matched", *matcher.match_sql(typed=True))
    pages = scope.pages.filter(content_type_id=guide_ct).order_by().values("pk")
    sql, params = pages.query.sql_with_params()
    guides = statement.cte(
        "guides", f"SELECT id, score, ct FROM matched WHERE ct = %s AND id IN ({sql})", [guide_ct, *params]
    )
    best = limit + max(MARGIN, limit // 4)
    top = statement.cte("top", "SELECT id, ct, score FROM matched ORDER BY score DESC, id DESC LIMIT %s", [best])
    statement.part(f"SELECT 'count', ct::text, '', COUNT(*)::float8, NULL::int8[] FROM {guides} GROUP BY ct")
    statement.part(f"SELECT 'top', id::text, ct::text, score::float8, NULL::int8[] FROM {top}")
    statement.part(f"SELECT 'guide', id::text, '', 0::float8, NULL::int8[] FROM {guides} JOIN {top} USING (id)")
    sql, params = matcher.rank_sql(f"object_id IN (SELECT id::text FROM {top})", [])
    statement.part(f"SELECT 'rank', id::text, '', rank::float8, NULL::int8[] FROM ({sql}) AS ranks", params)
    if facets:
        _tactic_parts(statement, guides, [(_table(GuidePage.threats.through), "guidepage_id")])
    statement.part(_case_bits("matched"), [case_ct])
    # The planner expects a few hundred matches, not tens of thousands, and would group the bit
    # set's words by sorting every match; hashing them takes half the time. The best matches are
    # still sorted (a top-N sort is the only way to them).
    rows = statement.run("; SET LOCAL enable_sort = off")
    guide_ids = {int(key) for kind, key, *_ in rows if kind == "guide"}
    words = next((numbers for kind, *_, numbers in rows if kind == "bits"), None)
    found = _read([row for row in rows if row[0] not in ("guide", "bits")], facets)
    cases = index.bits_of_pk_bits(bits_from_words(words or []))
    if cases:
        found.type_counts[case_ct] = cases.bit_count()

    def published(pk, ct):
        if ct == guide_ct:
            return pk in guide_ids
        position = index.position_of.get(pk)
        return position is not None and cases >> position & 1

    candidates = found.ranked
    found.ranked = [(pk, score) for pk, score in candidates if published(pk, found.content_types[pk])][:limit]
    if len(found.ranked) < min(limit, found.total) and len(candidates) == best:
        return None  # more of the best matches were unpublished than the margin allowed
    found.content_types = {pk: found.content_types[pk] for pk, _ in found.ranked}
    found.ranks = {pk: rank for pk, rank in (found.ranks or {}).items() if pk in found.content_types}
    if facets:
        found.raw_facets["type"] = dict(found.type_counts)
        _add_case_facets(found.raw_facets, index, cases, CASE_FACETS)
        found.facet_index = index
    return found


def _case_bits(source):
    """The cases of `source` as a bit set (bit n for case pk n), in 64-bit words: [i…, word i…].

    A thirtieth as many numbers as the ids themselves, for the catalogue index to count from.
    """
    return (
        f"SELECT 'bits', '{source}', '', 0::float8, ARRAY_AGG(i ORDER BY i) || ARRAY_AGG(w ORDER BY i) FROM ("
        f"SELECT (id >> 6)::int8 AS i, BIT_OR(1::int8 << (id & 63)) AS w FROM {source} WHERE ct = %s GROUP BY 1"
        ") AS words"
    )


def bits_from_words(numbers):
    """The int whose 64-bit word i is w, from [i…, w…] (ascending i) as the search statement sends it."""
    half = len(numbers) // 2
    if not half:
        return 0
    buffer = bytearray(8 * (numbers[half - 1] + 1))
    for i, word in zip(numbers[:half], numbers[half:], strict=True):
        struct.pack_into("<Q", buffer, 8 * i, word & WORD_MASK)  # BIT_OR gives signed words
    return int.from_bytes(buffer, "little")


def _newest(statement, allowed, limit):
    """The first `limit` allowed ids by date (first seen, last reviewed, first published), newest first.

    Scored minus their position, so that "highest score first" keeps their order.
    """
    page, case, guide = _table(Page), _table(CaseStudyPage), _table(GuidePage)
    statement.part(
        "SELECT 'top', id::text, ct::text, (-ROW_NUMBER() OVER (ORDER BY sort_date DESC, id DESC))::float8, "
        "NULL::int8[] FROM ("
        "SELECT a.id, a.ct, COALESCE(cs.first_seen, g.last_reviewed, p.first_published_at::date) AS sort_date "
        f"FROM {allowed} a JOIN {page} p ON p.id = a.id LEFT JOIN {case} cs ON cs.page_ptr_id = a.id "
        f"LEFT JOIN {guide} g ON g.page_ptr_id = a.id ORDER BY sort_date DESC, a.id DESC LIMIT %s) AS newest",
        [limit],
    )


def _facet_parts(statement, sources, allowed):
    """The type counts, and the guides' tactic counts, over each facet's CTE of allowed ids.

    The cases' countries, regions, years and tactics are counted by the catalogue index from the ids.
    Each link is unique per (page, term), so COUNT(*) counts pages without a DISTINCT sort.
    """
    guide_threats = _table(GuidePage.threats.through)
    if sources["type"] != allowed:  # else the type counts are the counts already asked for
        statement.part(
            f"SELECT 'type', ct::text, '', COUNT(*)::float8, NULL::int8[] FROM {sources['type']} GROUP BY ct"
        )
    _tactic_parts(statement, sources["tactic"], [(guide_threats, "guidepage_id")])


def _tactic_parts(statement, source, links):
    tactic = _table(Tactic)
    for link_table, page_column in links:
        statement.part(
            f"SELECT 'tactic', t.slug, t.name, x.n::float8, NULL::int8[] FROM (SELECT l.tactic_id, COUNT(*) AS n "
            f"FROM {link_table} l JOIN {source} a ON a.id = l.{page_column} GROUP BY l.tactic_id) x "
            f"JOIN {tactic} t ON t.id = x.tactic_id AND t.live"  # Tactic.objects.live(), in SQL
        )


def _read(rows, facets):
    """The statement's rows, sorted out by kind."""
    found = Found(type_counts={}, ranked=[])
    raw = {"type": {}, "country": [], "region": [], "year": [], "tactic": []}
    for kind, key, label, n, numbers in rows:
        if kind == "bits":
            raw["bits", key] = numbers
        elif kind == "count":
            found.type_counts[int(key)] = int(n)
        elif kind == "top":
            found.ranked.append((int(key), n))
            found.content_types[int(key)] = int(label)
        elif kind == "rank":
            found.ranks = found.ranks or {}
            found.ranks[int(key)] = n
        elif kind == "type":
            raw["type"][int(key)] = int(n)
        elif kind == "year":
            raw["year"].append((int(key), int(n)))
        else:
            raw[kind].append((key, label, int(n)))
    found.ranked.sort(key=lambda row: (-row[1], -row[0]))
    if not raw["type"]:  # no type filter: the type facet counts what was found
        raw["type"] = dict(found.type_counts)
    found.raw_facets = raw if facets else None
    return found
