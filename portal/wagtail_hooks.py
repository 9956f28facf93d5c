"""Admin hooks of the site-wide app: feedback after workflow actions on the moderated page types."""

from wagtail import hooks

from cases.models import CaseStudyPage
from guides.models import GuidePage

from .workflow_feedback import ModeratedPageViewSet


@hooks.register("register_admin_viewset")
def register_moderated_page_viewsets():
    return [
        ModeratedPageViewSet("case_study_pages", model=CaseStudyPage),
        ModeratedPageViewSet("guide_pages", model=GuidePage),
    ]
