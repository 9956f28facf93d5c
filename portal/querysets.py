"""The one definition of "published and public" that every public channel goes through."""

from wagtail.models import PageManager, PageQuerySet


class PublishedPageQuerySet(PageQuerySet):
    def published(self):
        """Live and not behind a privacy restriction: the only pages the public may see.

        Live covers drafts, unpublished pages and scheduled go-lives; the page row holds the
        live version, so a newer revision in moderation never shows through it.
        """
        return self.live().public()


PublishedPageManager = PageManager.from_queryset(PublishedPageQuerySet)
