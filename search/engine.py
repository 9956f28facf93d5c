"""Matching and ranking over Wagtail's search index, on PostgreSQL and on SQLite.

Wagtail's database backend keeps one index row per object (title, body and autocomplete text,
related fields folded in) and keeps it current on publish; this module reads that index
directly: `match_sql()` is the matches as a subquery (id, score) for the search's statement
(pgsearch.py on PostgreSQL), `scores()` the same as a dict where the search runs in Python:

- PostgreSQL: full-text search with the visitor's language's configuration ("english", "french",
  "spanish": search/languages.py, which also counts a translation's match for its original).
  Each term must match the title or the body vector. One pass scores every match cheaply by
  where its terms occur (title, then the summary — weight A — then names — weight B); the best
  few hundred are then ranked with
  ts_rank over the title (times Wagtail's title-length norm) plus ts_rank over the body, whose
  weights come from the models' search_fields boosts. ts_rank over every match would cost more
  than the rest of the search together on a large catalogue.
- SQLite: FTS5 with bm25, the title column weighted above the body. FTS5 does not stem, so each
  word is matched as a prefix of its light stem ("leaks" finds "leak", "leaked").
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from wagtail.search.models import IndexEntry

from .languages import canonical_matches, search_config

# ts_rank weights for the D, C, B and A labels Wagtail gives fields by their boost.
PG_WEIGHTS = "{0.1,0.3,0.6,1.0}"
TITLE_WEIGHT = 2.0
# How many of the best cheaply-scored matches get the full ts_rank.
RERANK = 200
# bm25 column weights in the order of Wagtail's FTS5 table: (autocomplete, body, title).
SQLITE_BM25 = "bm25({table}, 0.0, 1.0, 6.0)"


def content_type_ids(*models):
    return [ContentType.objects.get_for_model(model).pk for model in models]


def is_postgres():
    return connection.vendor == "postgresql"


def id_set(ids):
    """A subquery of these integer ids, as one parameter however many there are (for `pk__in=`)."""
    ids = [int(pk) for pk in ids]
    if is_postgres():
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


class Matcher:
    """The objects of some models that match a parsed query, and how well they match."""

    def __init__(self, parsed, operator, models):
        self.parsed = parsed
        self.operator = operator
        self.ct_ids = content_type_ids(*models)

    def scores(self):
        """{pk: score} of every matching object, higher is better."""
        raise NotImplementedError

    def rerank(self, scores, ordered, ranks=None):
        """`ordered` (pks, best first by `scores`) with its head ranked more finely (by `ranks`,
        {pk: rank}, if the search's statement has read them already)."""
        return ordered

    def _execute(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class PostgresMatcher(Matcher):
    def __init__(self, parsed, operator, models):
        super().__init__(parsed, operator, models)
        self._queries = None

    def _term_queries(self):
        """[(tsquery, weight-A tsquery or None, weight-B tsquery or None)] per term, as text.

        The database parses each term once, here; passed back as constants they are not parsed
        again for every row (plainto_tsquery is only stable, so it would be), and the planner
        can estimate how many rows each matches.
        """
        if self._queries is None:
            exprs, params = [], []
            config = search_config()  # a known configuration name, never user input
            for word in self.parsed.words:
                # Words hold letters and digits only (parsing.py), so 'word:A' is a well-formed tsquery.
                exprs += [f"plainto_tsquery('{config}', %s)::text"]
                exprs += [f"to_tsquery('{config}', %s)::text"] * 2
                params += [word, f"{word}:A", f"{word}:B"]
            for phrase in self.parsed.phrases:
                exprs.append(f"phraseto_tsquery('{config}', %s)::text")
                params.append(" ".join(phrase))
            row = list(self._execute("SELECT " + ", ".join(exprs), params)[0]) if exprs else []
            words = [tuple(row[i : i + 3]) for i in range(0, 3 * len(self.parsed.words), 3)]
            phrases = [(text, None, None) for text in row[3 * len(self.parsed.words) :]]
            self._queries = words + phrases
        return self._queries

    def _score(self, query, weight_a, weight_b):
        """SQL and params scoring one term: where it occurs, title first (see the module docstring)."""
        if self.operator == "and":
            # Every term is in the title or the body: a term not in the title is in the body.
            sql = (
                "CASE WHEN title @@ %s::tsquery THEN 4 + CASE WHEN body @@ %s::tsquery THEN 0.5 ELSE 0 END ELSE 0.5 END"
            )
        else:
            sql = "CASE WHEN title @@ %s::tsquery THEN 4 ELSE 0 END + CASE WHEN body @@ %s::tsquery THEN 0.5 ELSE 0 END"
        params = [query, query]
        if weight_a is not None:
            sql += (
                " + CASE WHEN body @@ %s::tsquery THEN 2 ELSE 0 END + CASE WHEN body @@ %s::tsquery THEN 1 ELSE 0 END"
            )
            params += [weight_a, weight_b]
        return sql, params

    def match_sql(self, scored=True, typed=False):
        """SQL and params of `id` (and `score`, higher is better) for every match, for a subquery.

        `typed` adds each match's content type as `ct`, for searches in the default language only
        (a translation's match is not mapped to its original then: pgsearch.py asks so only there).
        """
        queries = self._term_queries()
        score_parts, score_params, conditions, condition_params = [], [], [], []
        for query, weight_a, weight_b in queries:
            conditions.append("(title @@ %s::tsquery OR body @@ %s::tsquery)")
            condition_params += [query, query]
            if scored:
                sql, params = self._score(query, weight_a, weight_b)
                score_parts.append(sql)
                score_params += params
        joiner = " AND " if self.operator == "and" else " OR "
        score = f", {' + '.join(score_parts)} AS score" if scored else ""
        sql = (
            f"SELECT object_id::int AS id{', content_type_id AS ct' if typed else ''}{score} "
            f"FROM {IndexEntry._meta.db_table} "
            f"WHERE content_type_id = ANY(%s) AND ({joiner.join(conditions) or 'false'})"
        )
        params = score_params + [self.ct_ids] + condition_params
        return (sql, params) if typed else canonical_matches(sql, params, scored)

    def scores(self):
        sql, params = self.match_sql()
        with transaction.atomic():
            planner_settings()
            rows = self._execute(sql, params)
        return {pk: float(score) for pk, score in rows}

    def rank_sql(self, ids_condition, ids_params):
        """SQL and params of (id, rank): the full ts_rank of the pages whose index entries'
        `object_id` (text) meet `ids_condition`; pgsearch.py asks for the head in its statement."""
        queries = [query for query, _, _ in self._term_queries()]
        any_term = " || ".join(["%s::tsquery"] * len(queries))
        table = IndexEntry._meta.db_table
        sql = (
            f"SELECT object_id::bigint AS id, ts_rank('{PG_WEIGHTS}', title, q) * title_norm * {TITLE_WEIGHT} "
            f"+ ts_rank('{PG_WEIGHTS}', body, q) AS rank FROM {table}, (SELECT {any_term} AS q) AS query "
            f"WHERE content_type_id = ANY(%s) AND {ids_condition}"
        )
        return sql, [*queries, self.ct_ids, *ids_params]

    def rerank(self, scores, ordered, ranks=None):
        head = ordered[:RERANK]
        if len(head) < 2:
            return ordered
        if ranks is None:
            ranks = dict(self._execute(*self.rank_sql("object_id = ANY(%s)", [[str(pk) for pk in head]])))
        # The cheap score decides the tier (where the words are); ts_rank orders within it.
        head = sorted(head, key=lambda pk: (-scores[pk], -ranks.get(pk, 0.0), -pk))
        return head + ordered[RERANK:]


def planner_settings(extra=""):
    """Settings for the statement that follows, in the current transaction only (`extra`: more SETs).

    The planner prices evaluating @@ on every row far too low and picks a sequential scan even
    when the GIN indexes on title and body are several times faster. Disabling sequential scans
    makes any plan that keeps one (of a small table, say) look astronomically expensive, which
    would start the JIT compiler: tens of milliseconds for nothing on a query this size.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL jit = off" + extra)


def light_stem(word):
    """A crude English stem for prefix matching on SQLite, which has no stemmer."""
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3]
    if word.endswith("ing") and len(word) > 6:
        return word[:-3]
    if word.endswith("ed") and len(word) > 5:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def fts5_term(word):
    stem = light_stem(word)
    # Prefix-match stems long enough not to match half the dictionary: "bots" finds "bot" and
    # "bots", but "ira" stays "ira" and does not find "iran".
    prefix = not stem.isdigit() and (len(stem) >= 4 or (stem != word and len(stem) >= 3))
    return f'"{stem}"*' if prefix else f'"{stem}"'


class SQLiteMatcher(Matcher):
    def match_expression(self):
        terms = [fts5_term(word) for word in self.parsed.words]
        terms += ['"' + " ".join(phrase) + '"' for phrase in self.parsed.phrases]
        joiner = " AND " if self.operator == "and" else " OR "
        return "{title body} : (" + joiner.join(terms) + ")"

    def match_sql(self, scored=True):
        """SQL and params of `id` (and `score`, higher is better) for every match, for a subquery."""
        table = IndexEntry._meta.db_table
        placeholders = ", ".join(["%s"] * len(self.ct_ids))
        # bm25 is negative, lower is better: flip it so that higher is better everywhere.
        score = ", -" + SQLITE_BM25.format(table=f"{table}_fts") + " AS score" if scored else ""
        sql = (
            f"SELECT CAST(e.object_id AS INTEGER) AS id{score} FROM {table}_fts "
            f"JOIN {table} e ON e.id = {table}_fts.rowid "
            f"WHERE {table}_fts MATCH %s AND e.content_type_id IN ({placeholders})"
        )
        return sql, [self.match_expression(), *self.ct_ids]

    def scores(self):
        return dict(self._execute(*self.match_sql()))


# What ranking a country and showing it as a result read (results.py, country_results).
SHOWN_COUNTRY_FIELDS = ("pk", "code", "alpha3", "name", "iso_name", "slug", "region", "sub_region", "profile")


def matcher(parsed, operator, models):
    cls = PostgresMatcher if is_postgres() else SQLiteMatcher
    return cls(parsed, operator, models)


class CountryMatcher(Matcher):
    """Countries by name, ISO names and codes, or profile text: a small table, matched directly.

    Countries are loaded by a data migration, which Wagtail's index never sees; with some 250
    rows a direct match is as fast as the index and always current.
    """

    def __init__(self, parsed, operator, models=None):
        self.parsed = parsed
        self.operator = operator

    def _condition(self):
        condition = None
        terms = list(self.parsed.words) + [" ".join(phrase) for phrase in self.parsed.phrases]
        for term in terms:
            if len(term) <= 3:
                # Short terms are codes ("KE", "GBR") or whole names, never parts of words.
                either = Q(code__iexact=term) | Q(alpha3__iexact=term) | Q(name__iexact=term)
            else:
                either = Q(profile__icontains=term)
                for name in ("name", "iso_name", "official_name"):
                    either |= Q(**{f"{name}__istartswith": term}) | Q(**{f"{name}__icontains": " " + term})
            if condition is None:
                condition = either
            elif self.operator == "and":
                condition &= either
            else:
                condition |= either
        return condition if condition is not None else Q(pk__in=[])

    def _matches(self, id_queryset):
        from cases.models import Country

        queryset = Country.objects.live().filter(self._condition())
        if id_queryset is not None:
            queryset = queryset.filter(pk__in=id_queryset)
        return queryset

    def matching_ids(self):
        return self._matches(None).values("pk")

    def count(self, id_queryset):
        return self._matches(id_queryset).count()

    def found(self, id_queryset):
        """[(country, score)] of every match, best first, in one query: their number is the count,
        and the rows hold what a result shows (results.py), so nothing is asked for twice."""
        terms = list(self.parsed.words) + [" ".join(phrase) for phrase in self.parsed.phrases]

        def score(country):
            name = country.name.lower()
            points = 0.0
            for term in terms:
                if term == name or term in (country.code.lower(), country.alpha3.lower()):
                    points += 10
                elif term in name or term in country.iso_name.lower():
                    points += 4
                else:
                    points += 1
            return points

        countries = self._matches(id_queryset).only(*SHOWN_COUNTRY_FIELDS)
        rows = [(c, score(c)) for c in countries]
        rows.sort(key=lambda row: (-row[1], row[0].pk))
        return rows
