"""The sitemap: published, public pages from Wagtail plus the country hubs that have cases."""

from django.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from cases.models import Country


class PublishedPagesSitemap(WagtailSitemap):
    def items(self):
        return Page.objects.live().public().specific().order_by("path")


class CountrySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Country.objects.with_case_counts()


sitemaps = {"pages": PublishedPagesSitemap, "countries": CountrySitemap}
