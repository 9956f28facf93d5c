"""'Did you mean': the closest known words to a query that found nothing.

The vocabulary is what people search for: titles of published cases and guides, country,
actor and tactic names. PostgreSQL ranks candidate names by trigram similarity (pg_trgm);
SQLite, which has no trigram search, compares words with difflib.
"""

import difflib

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Q

from cases.models import Actor, CaseStudyPage, Country, Tactic
from guides.models import GuidePage

from .engine import is_postgres
from .parsing import WORD_RE

MIN_SIMILARITY = 0.25
MIN_RATIO = 0.72
MAX_WORDS = 6


def _sources():
    """(queryset, field) pairs whose values make up the vocabulary; published pages only."""
    return [
        (CaseStudyPage.objects.published(), "title"),
        (GuidePage.objects.published(), "title"),
        (Country.objects.all(), "name"),
        (Actor.objects.filter(Q(cases__in=CaseStudyPage.objects.published())).distinct(), "name"),
        (Tactic.objects.all(), "name"),
    ]


def _words(names):
    return {match.group().lower() for name in names for match in WORD_RE.finditer(name) if len(match.group()) > 2}


def _candidate_words(word):
    if is_postgres():
        names = []
        for queryset, field in _sources():
            names += list(
                queryset.annotate(similarity=TrigramWordSimilarity(word, field))
                .filter(similarity__gte=MIN_SIMILARITY)
                .order_by("-similarity")
                .values_list(field, flat=True)[:10]
            )
        return _words(names)
    names = []
    for queryset, field in _sources():
        names += list(queryset.values_list(field, flat=True)[:5000])
    return _words(names)


def suggest(parsed):
    """A corrected query text, or None when no word has a better-known neighbour."""
    changed = False
    corrected = []
    words = parsed.all_words
    for i, word in enumerate(words):
        if i >= MAX_WORDS or word.isdigit() or len(word) < 3:
            corrected.append(word)
            continue
        candidates = _candidate_words(word)
        if word in candidates:
            corrected.append(word)
            continue
        best = difflib.get_close_matches(word, candidates, n=1, cutoff=MIN_RATIO)
        if best:
            corrected.append(best[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None
