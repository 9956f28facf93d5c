"""/cases/feed.atom: the newest published cases as an Atom feed, with the catalogue's filters."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from portal.absolute_urls import absolute_url
from portal.reviewed import live_prefetches

from .exports import filters_or_400
from .models import CaseStudyPage

FEED_SIZE = 50


class CaseFeed(Feed):
    """One entry per case (title, link, summary, updated = last published), newest publication first."""

    feed_type = Atom1Feed
    subtitle = _("Newly published and updated cases of election interference, with their sources.")
    author_name = _("Election Integrity Portal")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return kwargs["filterset"]

    def link(self, filterset):
        query = filterset.query_string()
        return absolute_url(self.request, f"/cases/?{query}" if query else "/cases/")

    def feed_url(self, filterset):
        query = filterset.query_string()
        return absolute_url(self.request, f"/cases/feed.atom?{query}" if query else "/cases/feed.atom")

    def title(self, filterset):
        if filterset.query_string():
            return _("Election Integrity Portal: case studies (filtered)")
        return _("Election Integrity Portal: case studies")

    def items(self, filterset):
        cases = filterset.qs.order_by("-last_published_at", "-pk")
        return cases.prefetch_related(*live_prefetches(CaseStudyPage, "countries", "tactics"))[:FEED_SIZE]

    def item_title(self, case):
        return case.title

    def item_description(self, case):
        return case.summary

    def item_link(self, case):
        return case.get_full_url(self.request)

    def item_updateddate(self, case):
        return case.last_published_at

    def item_pubdate(self, case):
        return case.first_published_at

    def item_categories(self, case):
        return [c.name for c in case.countries.all()] + [t.name for t in case.tactics.all()]


def case_feed(request):
    filterset, error = filters_or_400(request)
    if error:
        return error
    return CaseFeed()(request, filterset=filterset)
