"""Content in three languages: the English original is canonical, translations are shown in its place.

Each case, guide and page is written in English first; a French or Spanish translation is a page of its
own (Wagtail's copy_for_translation, then the same "Commission review"), in the fr or es tree. Lists
count the English originals only (`published()`, portal/querysets.py), and this module swaps in a live
translation's title and summary where one exists, in two queries whatever the length of the list.
A page with no live translation answers under /fr/ or /es/ in English (`FallbackToDefaultLocale`),
and the page says so (portal/templatetags/languages.py), rather than a 404.

A low layer: Django and Wagtail only, nothing of the apps above it.
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Page

from .querysets import default_language

# The fields a listing takes from a translation; a model without one of them keeps its English value.
LISTED_FIELDS = ("title", "summary")


def language_path(path, language_code=None):
    """`path` (a path without a language prefix, '/cases/x/?q=y') as served in `language_code`."""
    language_code = language_code or translation.get_language()
    if language_code == default_language() or not path.startswith("/"):
        return path
    return f"/{language_code}{path}"


def unprefixed_path(path):
    """`path` without its language prefix: '/fr/cases/' -> '/cases/'."""
    prefix, _, rest = path.lstrip("/").partition("/")
    if prefix in dict(settings.LANGUAGES) and prefix != default_language():
        return "/" + rest
    return path


def is_default_language():
    return translation.get_language() in (None, default_language())


def localize(pages):
    """Show each English page of `pages` in the active language: a live translation's title and
    summary where there is one, and a link that keeps the visitor in their language either way.

    Changes the page objects in place (they are the listing's own, never saved) and returns them.
    """
    pages = list(pages)
    if is_default_language() or not pages:
        return pages
    language_code = translation.get_language()
    keys = dict(Page.objects.filter(pk__in=[page.pk for page in pages]).values_list("pk", "translation_key"))
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        fields = [name for name in LISTED_FIELDS if _has_field(model, name)]
        manager = model.objects if hasattr(model.objects, "published_translations") else None
        if manager is None:
            continue
        translated = {
            row["translation_key"]: row
            for row in manager.published_translations(language_code)
            .filter(translation_key__in=[keys.get(page.pk) for page in group])
            .values("translation_key", *fields)
        }
        for page in group:
            row = translated.get(keys.get(page.pk))
            for name in fields if row else ():
                if row[name]:
                    setattr(page, name, row[name])
            page.translated = row is not None
            # The English page answers under the language prefix too (FallbackToDefaultLocale), so the
            # one link serves the translation where it exists and the English text with a notice elsewhere.
            page.localized_url = language_path(page.url or "", language_code)
    return pages


def listed_url(page, request=None):
    """The address a list links `page` by: under /fr/ or /es/ the path `localize` gave it, else
    Wagtail's URL. Asked with `request`, Wagtail keeps the sites' root paths on it, so a list reads
    them once, where `page.url` reads them from the cache again for each page."""
    return getattr(page, "localized_url", None) or page.get_url(request=request) or ""


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


class FallbackToDefaultLocale:
    """A page mixin: a path missing from a French or Spanish tree is looked up in the English one.

    /fr/cases/<slug>/ for a case without a live French translation serves the English case (with a
    notice, in the French interface) instead of a 404. Only the English *original*'s live subtree is
    searched, so nothing unpublished shows through.
    """

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components or self.locale.language_code == default_language():
                raise
            original = self.get_translation_or_none(Locale.get_default())
            if original is None or not original.live:
                raise
            return original.specific.route(request, path_components)
