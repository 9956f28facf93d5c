"""The sitemap: published, public pages of the requested Wagtail site, the country hubs that have cases,
and the Django-served listings (the election watch).

Every <loc> names the Site record's host (see absolute_urls.py), not the request's Host header,
and only pages under the site's root page are listed: the tree's root has no URL (it used to
appear as <loc>None</loc>).
"""

from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from cases.models import Country

from .absolute_urls import site_root_url


class PublishedPagesSitemap(WagtailSitemap):
    """Wagtail's sitemap: live, public pages under the site's root, each at its full URL."""


class SiteRootSitemap(Sitemap):
    """A Django sitemap whose URLs name the Site record's host, as the Wagtail pages' do."""

    def __init__(self, request=None):
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        scheme, _, host = site_root_url(self.request).partition("://")
        return super().get_urls(page=page, site=SimpleNamespace(domain=host), protocol=scheme)


class CountrySitemap(SiteRootSitemap):
    """Country hubs with at least one published case; hubs of countries without cases stay out."""

    changefreq = "weekly"

    def items(self):
        return Country.objects.with_case_counts()


class ListingSitemap(SiteRootSitemap):
    """Public listings served by Django views rather than Wagtail pages."""

    changefreq = "daily"

    def items(self):
        return ["election-watch"]

    def location(self, item):
        return reverse(item)


def sitemaps_for(request):
    return {
        "pages": PublishedPagesSitemap(request),
        "countries": CountrySitemap(request),
        "listings": ListingSitemap(request),
    }
