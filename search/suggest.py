"""'Did you mean': the closest known words to a query that found nothing (or too little).

The vocabulary is what people search for: titles of published cases and guides, country,
actor and tactic names. PostgreSQL finds candidate names by trigram word similarity (pg_trgm,
with GIN indexes on titles and actor names, see migrations); SQLite, which has no trigram
search, compares words with difflib. The caller shows a suggestion only when all of its words
are found in published content, so a word from an unpublished title can never show through.
"""

import difflib

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, F, Func, Value

from cases.models import Actor, CaseStudyPage, Country, Tactic
from guides.models import GuidePage

from .engine import is_postgres
from .parsing import WORD_RE

MIN_SIMILARITY = 0.3
MIN_RATIO = 0.72
MAX_WORDS = 6
NAMES_PER_SOURCE = 10
CANDIDATES_PER_SOURCE = 300


def _sources():
    """(queryset, field) pairs whose values make up the vocabulary; published pages only."""
    return [
        (CaseStudyPage.objects.published(), "title"),
        (GuidePage.objects.published(), "title"),
        (Country.objects.live(), "name"),
        (Actor.objects.live(), "name"),
        (Tactic.objects.live(), "name"),
    ]


class TrigramWordMatch(Func):
    """`word <% field`: word similarity above pg_trgm's threshold, answerable by a trigram index."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _words(names):
    return {match.group().lower() for name in names for match in WORD_RE.finditer(name) if len(match.group()) > 2}


def _postgres_candidates(word, sources):
    names = []
    for queryset, field in sources:
        # `<%` (word similarity above the threshold) is what the trigram GIN index can answer.
        # A misspelt common word is close to thousands of titles: rank the first few hundred
        # found rather than every one (at 100,000 cases, a quarter of a second per word).
        close = queryset.filter(TrigramWordMatch(Value(word), F(field))).order_by().values("pk")[:CANDIDATES_PER_SOURCE]
        names += list(
            queryset.filter(pk__in=close)
            .annotate(similarity=TrigramWordSimilarity(word, field))
            .order_by("-similarity")
            .values_list(field, flat=True)[:NAMES_PER_SOURCE]
        )
    return _words(names)


def suggest(parsed):
    """A corrected query text, or None when no word has a better-known neighbour."""
    words = parsed.all_words
    to_check = [w for w in words[:MAX_WORDS] if not w.isdigit() and len(w) >= 3]
    if not to_check:
        return None
    sources = _sources()
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(MIN_SIMILARITY)])
        candidates = {word: _postgres_candidates(word, sources) for word in to_check}
    else:
        vocabulary = set()
        for queryset, field in sources:
            vocabulary |= _words(queryset.values_list(field, flat=True)[:5000])
        candidates = {word: vocabulary for word in to_check}
    changed = False
    corrected = []
    for word in words:
        options = candidates.get(word)
        if not options or word in options:
            corrected.append(word)
            continue
        best = difflib.get_close_matches(word, options, n=1, cutoff=MIN_RATIO)
        corrected.append(best[0] if best else word)
        changed = changed or bool(best)
    return " ".join(corrected) if changed else None
