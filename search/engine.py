"""Matching and ranking over Wagtail's search index, on PostgreSQL and on SQLite.

Wagtail's database backend keeps one index row per object (title, body and autocomplete text,
related fields folded in) and keeps it current on publish; this module reads that index
directly so that filters, facets and paging stay ordinary Django querysets:

- PostgreSQL: full-text search with the "english" configuration. Each term must match the title
  or the body vector (both GIN-indexed); the rank is ts_rank over the title (weighted, times
  Wagtail's title-length norm) plus ts_rank over the body, whose field weights come from the
  models' search_fields boosts (summary highest, then names, then the rest).
- SQLite: FTS5 with bm25, the title column weighted above the body. FTS5 does not stem, so each
  word is matched as a prefix of its light stem ("leaks" finds "leak", "leaked").
"""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BigIntegerField, F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from wagtail.search.models import IndexEntry

SEARCH_CONFIG = "english"
# ts_rank weights for the D, C, B and A labels Wagtail gives fields by their boost.
PG_WEIGHTS = [0.1, 0.3, 0.6, 1.0]
TITLE_WEIGHT = 2.0
# bm25 column weights in the order of Wagtail's FTS5 table: (autocomplete, body, title).
SQLITE_BM25 = "bm25({table}, 0.0, 1.0, 6.0)"


def content_type_ids(*models):
    return [ContentType.objects.get_for_model(model).pk for model in models]


def is_postgres():
    return connection.vendor == "postgresql"


class Matcher:
    """The objects of some models that match a parsed query, and how well they match."""

    def __init__(self, parsed, operator, models):
        self.parsed = parsed
        self.operator = operator
        self.ct_ids = content_type_ids(*models)

    def matching_ids(self):
        """A subquery expression of the matching objects' primary keys (for `pk__in=`)."""
        raise NotImplementedError

    def ranked(self, id_queryset, offset, limit):
        """[(pk, score)] of the matching objects among `id_queryset`, best first, one page of them."""
        raise NotImplementedError

    def count(self, id_queryset):
        """How many of the objects in `id_queryset` match."""
        raise NotImplementedError


class PostgresMatcher(Matcher):
    def _term_queries(self):
        queries = [SearchQuery(word, config=SEARCH_CONFIG, search_type="plain") for word in self.parsed.words]
        queries += [
            SearchQuery(" ".join(phrase), config=SEARCH_CONFIG, search_type="phrase") for phrase in self.parsed.phrases
        ]
        return queries

    def _entries(self):
        terms = self._term_queries()
        condition = None
        for term in terms:
            # Each term in the title or in the body: both columns have a GIN index.
            either = Q(title=term) | Q(body=term)
            if condition is None:
                condition = either
            elif self.operator == "and":
                condition &= either
            else:
                condition |= either
        return (
            IndexEntry.objects.filter(content_type_id__in=self.ct_ids)
            .filter(condition)
            .annotate(object_pk=Cast("object_id", BigIntegerField()))
        )

    def _any_term(self):
        terms = self._term_queries()
        combined = terms[0]
        for term in terms[1:]:
            combined = combined | term
        return combined

    def matching_ids(self):
        return self._entries().values("object_pk")

    def count(self, id_queryset):
        return self._entries().filter(object_pk__in=id_queryset).count()

    def ranked(self, id_queryset, offset, limit):
        # Rank with any-term so that a field holding some of the words still counts for them.
        query = self._any_term()
        rank = SearchRank(F("title"), query, weights=PG_WEIGHTS) * F("title_norm") * TITLE_WEIGHT + SearchRank(
            F("body"), query, weights=PG_WEIGHTS
        )
        rows = (
            self._entries()
            .filter(object_pk__in=id_queryset)
            .annotate(score=rank)
            .order_by("-score", "-object_pk")
            .values_list("object_pk", "score")
        )
        return list(rows[offset : offset + limit])


def light_stem(word):
    """A crude English stem for prefix matching on SQLite, which has no stemmer."""
    if word.isdigit() or len(word) <= 4:
        return word
    if word.endswith("ies"):
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
    # Prefix-match only stems long enough not to match half the dictionary.
    return f'"{stem}"*' if len(stem) >= 4 and not stem.isdigit() else f'"{stem}"'


class SQLiteMatcher(Matcher):
    def match_expression(self):
        terms = [fts5_term(word) for word in self.parsed.words]
        terms += ['"' + " ".join(phrase) + '"' for phrase in self.parsed.phrases]
        joiner = " AND " if self.operator == "and" else " OR "
        return "{title body} : (" + joiner.join(terms) + ")"

    def _sql(self, select):
        table = IndexEntry._meta.db_table
        placeholders = ", ".join(["%s"] * len(self.ct_ids))
        sql = (
            f"SELECT {select} FROM {table}_fts JOIN {table} e ON e.id = {table}_fts.rowid "
            f"WHERE {table}_fts MATCH %s AND e.content_type_id IN ({placeholders})"
        )
        return sql, [self.match_expression(), *self.ct_ids]

    def matching_ids(self):
        sql, params = self._sql("CAST(e.object_id AS INTEGER)")
        return RawSQL(sql, params)

    def scores(self):
        table = IndexEntry._meta.db_table
        sql, params = self._sql("CAST(e.object_id AS INTEGER), " + SQLITE_BM25.format(table=f"{table}_fts"))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            # bm25 is negative, lower is better: flip it so that higher is better everywhere.
            return {pk: -score for pk, score in cursor.fetchall()}

    def _allowed(self, id_queryset):
        model = id_queryset.model
        return set(
            model.objects.filter(pk__in=id_queryset).filter(pk__in=self.matching_ids()).values_list("pk", flat=True)
        )

    def count(self, id_queryset):
        return len(self._allowed(id_queryset))

    def ranked(self, id_queryset, offset, limit):
        allowed = self._allowed(id_queryset)
        scores = self.scores()
        rows = sorted(((pk, s) for pk, s in scores.items() if pk in allowed), key=lambda row: (-row[1], -row[0]))
        return rows[offset : offset + limit]


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

        queryset = Country.objects.filter(self._condition())
        if id_queryset is not None:
            queryset = queryset.filter(pk__in=id_queryset)
        return queryset

    def matching_ids(self):
        return self._matches(None).values("pk")

    def count(self, id_queryset):
        return self._matches(id_queryset).count()

    def ranked(self, id_queryset, offset, limit):
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

        rows = [(c.pk, score(c)) for c in self._matches(id_queryset).only("pk", "name", "iso_name", "code", "alpha3")]
        rows.sort(key=lambda row: (-row[1], row[0]))
        return rows[offset : offset + limit]
