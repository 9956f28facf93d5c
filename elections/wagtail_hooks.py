"""The election calendar in the admin: a reviewed snippet under its own menu item."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Election


class ElectionViewSet(SnippetViewSet):
    model = Election
    icon = "date"
    menu_label = _("Election calendar")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["country", "label", "date_display", "live"]
    list_filter = ["election_type", "date_precision"]
    search_fields = []
    ordering = ["date"]


register_snippet(ElectionViewSet)
