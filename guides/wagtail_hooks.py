"""The guides' vocabularies (audiences, topics) and referenced programmes as Wagtail snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, Programme, Topic


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "site"
    list_display = ["name", "run_by", "started"]
    search_fields = ["name", "run_by"]


class GuideVocabularies(SnippetViewSetGroup):
    menu_label = _("Guide vocabularies")
    menu_icon = "list-ul"
    menu_order = 310
    items = (AudienceViewSet, TopicViewSet, ProgrammeViewSet)


register_snippet(GuideVocabularies)
