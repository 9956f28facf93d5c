"""Names kept in the database, in the visitor's language: countries, M49 regions, vocabulary terms.

Countries, their regions and the vocabularies (tactics, channels, targets, phases, audiences,
topics) are rows with one English name each. Rather than a translated column per language, the
name is translated where it is shown, in Python, from what is already loaded (no query):

- a country by its ISO code, from the Unicode CLDR through Babel ("DE" is "Allemagne" in French);
  English pages keep the portal's own stored name ("DR Congo", "Taiwan"), which editors may edit;
- a region or a vocabulary term through gettext, its English name being the msgid (the names
  shipped with the portal are registered in portal/name_msgids.py and translated in locale/).

What this trades: a name an editor adds or renames later has no translation and stays English
until someone adds it to the catalogues. Exports, feeds and the API keep the English names: they
are data, not interface.

A low layer: Django and Babel only, nothing of the apps above it.
"""

import functools

from babel import Locale, UnknownLocaleError
from django.utils import translation

# Babel's `territories` has CLDR's standard names only; where the standard name is an official
# description rather than the name people use, CLDR's "alt-short" form is taken instead.
SHORT_NAMES = {
    "fr": {"HK": "Hong Kong", "MO": "Macao", "PS": "Palestine"},
    "es": {"HK": "Hong Kong", "MO": "Macao", "PS": "Palestina"},
}


def _language():
    return (translation.get_language() or "en").split("-")[0].lower()


@functools.lru_cache(maxsize=8)
def _territories(language):
    """{ISO 3166-1 alpha-2 code: name} in `language` from the CLDR, with the short forms above."""
    try:
        names = dict(Locale.parse(language).territories)
    except (ValueError, UnknownLocaleError):
        return {}
    names.update(SHORT_NAMES.get(language, {}))
    # CLDR also names regions ("150": Europe) and "ZZ" (unknown region): countries only, by ISO code.
    return {code: name for code, name in names.items() if len(code) == 2 and code != "ZZ"}


def country_name(code, english):
    """The country's name in the active language; on English pages the stored name, unchanged.

    A language or country the CLDR has no name for also gets `english`.
    """
    language = _language()
    if language == "en" or not code:
        return english
    return _territories(language).get(code.upper(), english)


def term_name(english):
    """A region's or a vocabulary term's name in the active language, or `english` when untranslated."""
    return translation.gettext(english) if english else english
