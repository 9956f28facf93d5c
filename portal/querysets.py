"""The one definition of "published and public" that every public channel goes through."""

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import PageManager, PageQuerySet


def default_language():
    """The language of the canonical pages (English): the default locale's language code."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


class PublishedPageQuerySet(PageQuerySet):
    def published(self, private=None):
        """Live and not behind a privacy restriction, in the default locale: the pages the public lists.

        Live covers drafts, unpublished pages and scheduled go-lives; the page row holds the
        live version, so a newer revision in moderation never shows through it. A French or
        Spanish translation is the same case or guide in another language, so listings, counts,
        exports, the API and search count the English original only, once (portal/translations.py
        shows a live translation's title and summary in its place).

        `private` is `private_q()` as already read for this request: Wagtail's `public()` reads
        every privacy restriction again each time (one query), a search would read them five times.
        """
        private = self.private_q() if private is None else private
        return self.live().exclude(private).filter(locale__language_code=default_language())

    def published_translations(self, language_code):
        """Live, public translations in one language, the door to translated titles and summaries."""
        return self.live().public().filter(locale__language_code=language_code)


PublishedPageManager = PageManager.from_queryset(PublishedPageQuerySet)
