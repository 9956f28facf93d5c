"""Turning what someone typed into search terms: words, quoted phrases, and what was dropped.

Only letters and digits reach the database (every other character separates words), so no
input — SQL fragments, unbalanced quotes, NUL bytes, emoji, 5,000 characters — can change the
shape of the full-text query.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Words that carry no meaning in a search; PostgreSQL's english config drops them as well,
# and SQLite's FTS5 would otherwise require them in every "all words" match.
STOPWORDS = frozenset(
    "a an and are as at be but by for from has have how in into is it its of on or that the their "
    "this to was were what when where which who why will with".split()
)
WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass
class ParsedQuery:
    """A cleaned query: what to show back to the user, and the terms to match."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    truncated: bool = False

    def __bool__(self):
        return bool(self.words or self.phrases)

    @property
    def all_words(self):
        """Every word to highlight: loose words and the words of each phrase."""
        seen = []
        for word in self.words + [w for phrase in self.phrases for w in phrase]:
            if word not in seen and word not in STOPWORDS:
                seen.append(word)
        return seen


def clean_text(raw):
    """The query as typed, made safe to show and store: no control characters, one line, capped."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(raw or ""))
    text = re.sub(r"\s+", " ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        text = text[:MAX_QUERY_LENGTH].rstrip()
    return text, truncated


def words_of(text):
    """Lower-cased words of a text, underscores treated as separators, stopwords removed."""
    words = []
    for match in WORD_RE.finditer(text.replace("_", " ")):
        word = match.group().lower()
        if word not in STOPWORDS and word not in words:
            words.append(word)
    return words


def parse_query(raw):
    """Split a typed query into loose words and "quoted phrases" (an unclosed quote runs to the end)."""
    text, truncated = clean_text(raw)
    parsed = ParsedQuery(text=text, truncated=truncated)
    normalised = re.sub(r"[“”„«»]", '"', text)
    parts = normalised.split('"')
    for i, part in enumerate(parts):
        in_quotes = i % 2 == 1
        if in_quotes:
            phrase = [m.group().lower() for m in WORD_RE.finditer(part.replace("_", " "))]
            if len(phrase) > 1:
                parsed.phrases.append(phrase[:MAX_TERMS])
                continue
            if phrase and phrase[0] not in STOPWORDS:
                parsed.words.append(phrase[0])
            continue
        for word in words_of(part):
            if word not in parsed.words:
                parsed.words.append(word)
    parsed.words = parsed.words[:MAX_TERMS]
    parsed.phrases = parsed.phrases[:3]
    return parsed
