"""Snippets with the matched words marked: the text is escaped first, then <mark> wraps matches."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .engine import light_stem

SNIPPET_LENGTH = 240


def term_pattern(parsed):
    """One case-insensitive regex for every word (and its inflections) and phrase of the query."""
    alternatives = []
    for phrase in parsed.phrases:
        alternatives.append(r"\W+".join(re.escape(word) for word in phrase) + r"\w*")
    for word in parsed.all_words:
        if len(word) < 2:
            continue  # a lone letter would mark half the text
        stem = light_stem(word)
        alternatives.append(re.escape(stem) + (r"\w*" if len(stem) >= 3 else r"\b"))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE | re.UNICODE)


def highlight(text, pattern):
    """`text` escaped, with each match of `pattern` in <mark>; safe to put in a template as is."""
    text = text or ""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append("<mark>" + escape(match.group()) + "</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece was escaped above


def _window(text, start, length):
    """About `length` characters of `text` around position `start`, cut at word boundaries."""
    if len(text) <= length:
        return text
    begin = max(0, start - length // 3)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > start else end
    return ("… " if begin else "") + text[begin:end].strip() + (" …" if end < len(text) else "")


def snippet(texts, pattern, length=SNIPPET_LENGTH):
    """The passage of the first text that contains a match (or the first text), highlighted."""
    texts = [re.sub(r"\s+", " ", t).strip() for t in texts if t and t.strip()]
    if not texts:
        return ""
    if pattern is not None:
        best = None
        for text in texts:
            matches = list(pattern.finditer(text))
            if matches:
                distinct = len({m.group().lower() for m in matches})
                if best is None or distinct > best[0]:
                    best = (distinct, text, matches[0].start())
        if best:
            return highlight(_window(best[1], best[2], length), pattern)
    return highlight(_window(texts[0], 0, length), pattern)
