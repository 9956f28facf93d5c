"""Demo translations: French and Spanish text for the home page, guides and cases, from YAML files.

One file per language (portal/demo/translations/fr.yaml, es.yaml):

    home: {title: ..., intro: ...}                       # HomePage field names
    pages:                                               # the home page's children: listings, methodology
      <slug>: {intro: ...} or {summary: ...}             # their field names
    guides:
      <slug>: {title: ..., summary: ..., checklist: [{item: ..., why: ...}, ...]}
    cases:
      <slug>: {title: ..., summary: ..., body: [<paragraph text>, ...]}

Each page named is copied from its English original with Wagtail's copy_for_translation, the text in
the file is set, and everything else stays the English original's: other StreamField blocks, the
checklist's owners and checks, sources, countries and every other relation. Checklist items and body
paragraphs go in the English page's order; a key the file leaves out keeps the English text. The
translation is then published as the English demo pages are (load_demo), or left as a draft.
"""

import json

from django.db import transaction
from django.utils.html import format_html
from wagtail.models import Locale
from wagtail.rich_text import RichText

from cases.models import CaseStudyPage
from guides.models import GuidePage

from .models import HomePage


class TranslationFileError(ValueError):
    """A translation file that names something that is not there, or has the wrong shape."""


def _translation_of(original, locale):
    """The original's translation in `locale` (its latest draft if any), created if missing."""
    translation = original.get_translation_or_none(locale)
    if translation is None:
        return original.copy_for_translation(locale, copy_parents=True).specific
    return translation.specific.get_latest_revision_as_object()


def _set_paragraphs(stream, texts):
    """Replace the text of the stream's paragraph blocks, in order; keep every other block and its id."""
    paragraphs = [i for i, block in enumerate(stream) if block.block_type == "paragraph"]
    for index, text in zip(paragraphs, texts or (), strict=False):
        if text:
            stream[index] = (
                "paragraph",
                RichText(format_html("<p>{}</p>", " ".join(str(text).split()))),
                stream[index].id,
            )


def _set_checklist(stream, items):
    """Replace the item and why of each checklist block, in order; owner and how to verify stay."""
    for block, texts in zip(list(stream), items or (), strict=False):
        value = block.value
        for key in ("item", "why", "owner", "verify"):
            if (texts or {}).get(key):
                value[key] = str(texts[key])
    for index, block in enumerate(list(stream)):
        stream[index] = (block.block_type, block.value, block.id)


def _apply(page, fields):
    for name, value in fields.items():
        if name == "body":
            _set_paragraphs(page.body, value)
        elif name == "checklist":
            _set_checklist(page.checklist, value)
        elif name in {field.name for field in page._meta.get_fields()}:
            if value:
                setattr(page, name, str(value))
        else:
            raise TranslationFileError(f"{type(page).__name__} has no field {name!r}")


def _snapshot(page, fields):
    """The values of the fields a file sets, comparable before and after setting them."""
    values = []
    for name in fields:
        value = getattr(page, name, None)
        values.append(list(value.get_prep_value()) if hasattr(value, "get_prep_value") else value)
    return json.dumps(values, sort_keys=True, default=str)


def _translate(original, locale, fields, publish):
    translation = _translation_of(original, locale)
    before = _snapshot(translation, fields)
    _apply(translation, fields)
    if _snapshot(translation, fields) == before and (translation.live or not publish):
        return translation  # loaded before: no new revision
    revision = translation.save_revision(log_action=True)
    if publish:
        revision.publish()
    return translation


@transaction.atomic
def import_translations(data, language_code, publish=True, on_missing=None):
    """Create or update the translations `data` (one file's mapping) describes; return how many.

    A slug with no English page raises TranslationFileError, or is skipped and passed to `on_missing`
    (a message) when given: load_demo then goes on with the rest of the file.
    """
    locale = Locale.objects.get(language_code=language_code)
    default = Locale.get_default()
    data = data or {}
    count = 0
    if data.get("home"):
        home = HomePage.objects.get(locale=default)
        _translate(home, locale, data["home"], publish)
        count += 1
    for section, pages in (
        ("pages", lambda slugs: HomePage.objects.get(locale=default).get_children().filter(slug__in=slugs).specific()),
        ("guides", lambda slugs: GuidePage.objects.filter(locale=default, slug__in=slugs)),
        ("cases", lambda slugs: CaseStudyPage.objects.filter(locale=default, slug__in=slugs)),
    ):
        entries = data.get(section) or {}
        originals = {page.slug: page for page in pages(list(entries))} if entries else {}
        missing = sorted(set(entries) - set(originals))
        if missing:
            message = f"{section}: no English page with slug {', '.join(missing)}"
            if on_missing is None:
                raise TranslationFileError(message)
            on_missing(message)
        for slug, fields in entries.items():
            if slug not in originals:
                continue
            _translate(originals[slug], locale, fields or {}, publish)
            count += 1
    return count
