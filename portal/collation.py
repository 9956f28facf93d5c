"""Sorting names for people: "Côte d'Ivoire" before "Czechia", as a reader expects.

Code-point order puts every accented letter after "z"; databases differ (SQLite has no locale
collation at all). One accent-folded key, used wherever a list is sorted for people, gives the
same order on PostgreSQL and SQLite without depending on the server's locale.
"""

import unicodedata


def name_key(text):
    """A sort key that ignores accents and case: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
