"""Catching research records that YAML has silently broken, and checking their `verified` lists.

An unquoted comma inside a YAML flow mapping ends the value there:

    {name: Voice of Europe (Viktor Medvedchuk, Artem Marchevskyi), actor_type: non-state-group}

loads as the name "Voice of Europe (Viktor Medvedchuk" plus a key "Artem Marchevskyi)" with no value. Nothing
fails, and the site publishes a cut name; one such cut published politicians as "convicted" and dropped their
acquittal. These checks reject such a record, naming where the split is and suggesting quotes. They look only
at shape (a key with no value where none is expected, brackets that do not balance), never at wording, so a
correct record is never refused for what it says.

`clean_verified` checks the record's `verified` list: the claims a researcher checked and the page that
confirms each, kept with the case so a later reviewer can re-check them.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Keys each nested mapping may carry; any other key with no value is taken for a fragment of a split value.
SECTION_KEYS = {
    "election": {"name", "type", "date", "round"},
    "period": {"first_seen", "last_seen"},
    "attribution": {"status", "by", "confidence"},
}
ACTOR_KEYS = {"name", "actor_type", "country", "foreign_or_domestic"}
SOURCE_KEYS = {"publisher", "title", "date", "url", "archived_url", "kind", "language"}
VERIFIED_KEYS = {"claim", "url"}
QUOTE_HINT = "YAML split the mapping at a comma; put the whole value in double quotes"
PAIRS = {")": "(", "]": "[", "}": "{"}


def unbalanced(text):
    """True when the brackets in `text` do not pair up: a sign that YAML cut it at a comma."""
    stack = []
    for char in str(text):
        if char in "([{":
            stack.append(char)
        elif char in PAIRS:
            if not stack or stack.pop() != PAIRS[char]:
                return True
    return bool(stack)


def _mapping_problems(mapping, known, where):
    problems = []
    for key, value in mapping.items():
        if key in known:
            if isinstance(value, str) and unbalanced(value):
                problems.append(f"{where} '{key}' {value!r} has unbalanced brackets: {QUOTE_HINT}")
        elif value is None or unbalanced(key):
            problems.append(f"{where} has a key {str(key)!r} with no value, a fragment of a split value: {QUOTE_HINT}")
    return problems


def split_value_problems(raw, known_keys):
    """Every sign in a record that YAML split a value at a comma, as messages for the editor."""
    problems = []
    for key, value in raw.items():
        if key not in known_keys and value is None:
            problems.append(f"key {str(key)!r} has no value, a fragment of a split value: {QUOTE_HINT}")
    for section, known in SECTION_KEYS.items():
        if isinstance(raw.get(section), dict):
            problems += _mapping_problems(raw[section], known, f"'{section}'")
    attribution = raw.get("attribution")
    if isinstance(attribution, dict) and isinstance(attribution.get("by"), list):
        for name in attribution["by"]:
            if unbalanced(name):
                problems.append(
                    f"'attribution.by' entry {str(name)!r} has unbalanced brackets: YAML split the list at a comma "
                    "inside brackets; put the whole entry in double quotes"
                )
    for index, actor in enumerate(raw.get("actors") or []):
        if isinstance(actor, dict):
            problems += _mapping_problems(actor, ACTOR_KEYS, f"actor {index + 1} ({actor.get('name')!r})")
    for index, source in enumerate(raw.get("sources") or [] if isinstance(raw.get("sources"), list) else []):
        if isinstance(source, dict):
            problems += _mapping_problems(source, SOURCE_KEYS, f"source {index + 1}")
    return problems


def clean_verified(value, problems):
    """The record's `verified` list as [{claim, url}], adding a message to `problems` for each bad entry."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        problems.append("'verified' must be a list of {claim, url} mappings")
        return []
    url_validator = URLValidator(schemes=["http", "https"])
    entries = []
    for index, entry in enumerate(value):
        where = f"verified entry {index + 1}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a mapping with 'claim' and 'url'")
            continue
        claim, url = str(entry.get("claim") or "").strip(), str(entry.get("url") or "").strip()
        if not claim:
            problems.append(f"{where} needs a 'claim'")
        if not url:
            problems.append(f"{where} needs a 'url'")
        else:
            try:
                url_validator(url)
            except ValidationError:
                problems.append(f"{where} has an invalid url {url!r}")
        extra = sorted(str(key) for key in set(entry) - VERIFIED_KEYS)
        if extra:
            problems.append(f"{where} has unexpected keys {', '.join(extra)}: {QUOTE_HINT}")
        entries.append({"claim": claim, "url": url})
    return entries
