"""The catalogue's vocabularies and countries as Wagtail snippets, under one "Taxonomies" menu; the Source
health report under Reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Actor, Channel, Country, Tactic, Target
from .reports import SourceHealthReportView


class CountryPermissionPolicy(ModelPermissionPolicy):
    """Countries are the ISO 3166 list (loaded by a data migration): editable profiles, no adding or deleting."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


# Registered before any viewset asks for the policy, or Wagtail falls back to the default one.
register_permission_policy(Country, CountryPermissionPolicy(Country))


class TermViewSet(SnippetViewSet):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    ordering = ["name"]


class TacticViewSet(TermViewSet):
    model = Tactic
    icon = "crosshairs"


class ChannelViewSet(TermViewSet):
    model = Channel
    icon = "media"


class TargetViewSet(TermViewSet):
    model = Target
    icon = "pick"


class ActorViewSet(SnippetViewSet):
    model = Actor
    icon = "user"
    list_display = ["name", "actor_type", "country"]
    list_filter = ["actor_type"]
    search_fields = ["name"]


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "globe"
    list_display = ["name", "code", "region", "sub_region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    list_per_page = 50


class CatalogueTaxonomies(SnippetViewSetGroup):
    menu_label = _("Taxonomies")
    menu_icon = "tag"
    menu_order = 300
    items = (TacticViewSet, ChannelViewSet, TargetViewSet, ActorViewSet, CountryViewSet)


register_snippet(CatalogueTaxonomies)


class SourceHealthMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, ["add", "change", "publish"])


@hooks.register("register_admin_urls")
def register_source_health_report_urls():
    return [
        path("reports/source-health/", SourceHealthReportView.as_view(), name="source_health_report"),
        path(
            "reports/source-health/results/",
            SourceHealthReportView.as_view(results_only=True),
            name="source_health_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_source_health_menu_item():
    return SourceHealthMenuItem(
        _("Source health"), reverse("source_health_report"), name="source-health", icon_name="link", order=1300
    )
