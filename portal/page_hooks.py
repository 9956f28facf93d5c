"""Admin hooks for the moderated page types: feedback after workflow actions, clean query strings,
and restricted pages kept out of the page cache.

Registered through wagtail_hooks.py, which imports this module.
"""

from wagtail import hooks

from cases.models import CaseStudyPage
from guides.models import GuidePage

from .page_cache import mark_private
from .query_strings import redirect_without_empty_params
from .workflow_feedback import ModeratedPageViewSet


@hooks.register("register_admin_viewset")
def register_moderated_page_viewsets():
    return [
        ModeratedPageViewSet("case_study_pages", model=CaseStudyPage),
        ModeratedPageViewSet("guide_pages", model=GuidePage),
    ]


@hooks.register("before_serve_page")
def drop_empty_query_parameters(page, request, serve_args, serve_kwargs):
    """/cases/?q=&year_to= answers with a redirect to /cases/ (see query_strings.py)."""
    return redirect_without_empty_params(request)


@hooks.register("before_serve_page")
def keep_restricted_pages_private(page, request, serve_args, serve_kwargs):
    """A page under a view restriction (password, login, groups) is never stored by any cache."""
    if page.get_view_restrictions().exists():
        mark_private(request)
