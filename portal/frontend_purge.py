"""Purge a CDN's copies when something is published or unpublished (wagtail.contrib.frontend_cache).

The local page cache (page_cache.py) needs no purging: its keys hold the content version. A CDN
in front holds pages for `s-maxage` by URL, so on publication we tell it which URLs changed,
through the backends WAGTAILFRONTENDCACHE names (built from the environment in settings/base.py):

- a page: the page itself (with its `get_cached_paths()`), its parent listing (/cases/, /guides/),
  the home page, and for a page with countries (a case) each country hub and /countries/;
- a reviewed snippet (a tactic renamed, a country profile): the home page and the listings, and
  the object's own page when it has one. Other pages showing the term (each case naming the
  tactic) are left to expire within `s-maxage`; purging every case would flood the CDN's API.

Purges are sent after the transaction commits, so the CDN never fetches the old page again
while the publication is still in flight. Wagtail's app is not installed, so its own handlers,
which purge at once, do not run beside these.
"""

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, published, unpublished

LISTINGS = ("/", "/cases/", "/countries/", "/guides/")


def site_root():
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else None


def page_urls(page):
    """The URLs that show `page` or list it."""
    page = page.specific
    batch = PurgeBatch()
    batch.add_page(page)
    root = page.get_site().root_url if page.get_site() else site_root()
    if root:
        batch.add_url(root + "/")
        parent = page.get_parent()
        if parent and parent.depth > 2:  # not the root or the home page itself
            parent_url = parent.get_url()
            if parent_url:
                batch.add_url(root + parent_url)
        countries = getattr(page, "countries", None)
        if countries is not None:
            batch.add_url(root + "/countries/")
            batch.add_urls(root + country.get_absolute_url() for country in countries.all())
    return batch.urls


def snippet_urls(instance):
    root = site_root()
    if not root:
        return set()
    urls = {root + path for path in LISTINGS}
    if hasattr(instance, "get_absolute_url"):
        urls.add(root + instance.get_absolute_url())
    return urls


def purge_after_commit(urls):
    urls = sorted(urls)
    if urls:
        transaction.on_commit(lambda: PurgeBatch(urls).purge())


@receiver(page_published)
@receiver(page_unpublished)
def purge_page(sender, instance, **kwargs):
    if settings.WAGTAILFRONTENDCACHE:
        purge_after_commit(page_urls(instance))


@receiver(published)
@receiver(unpublished)
def purge_snippet(sender, instance, **kwargs):
    if settings.WAGTAILFRONTENDCACHE and not isinstance(instance, Page):
        purge_after_commit(snippet_urls(instance))
