"""The "Source health" admin report: cited links that are dead, out of reach, or have no archived copy.

Editors fix a source where it is cited, so each row is one citation (a case's or a guide's source row)
with the page it belongs to and a link to edit that page; what check_sources found comes from the URL's
SourceCheck. Drafts are included: a dead link should be mended before publication, not after.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import cached_property
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .models import AbstractSource, SourceCheck, SourceStatus

PROBLEMS = {"dead": "Dead", "unreachable": "Unreachable", "unarchived": "No archived copy"}


def problem_sources(problem=""):
    """Citations with a dead or unreachable URL, or with no archived copy anywhere; each with `health` and `page`."""
    checks = SourceCheck.objects.filter(url=OuterRef("url"))
    archived_elsewhere = checks.exclude(archived_url="")
    wanted = {
        "dead": Exists(checks.filter(status=SourceStatus.DEAD)),
        "unreachable": Exists(checks.filter(status=SourceStatus.UNREACHABLE)),
        "unarchived": Q(archived_url="") & ~Exists(archived_elsewhere),
    }
    conditions = [wanted[problem]] if problem in wanted else list(wanted.values())
    rows = []
    for model in apps.get_models():
        if issubclass(model, AbstractSource):
            query = Q()
            for condition in conditions:
                query |= condition
            rows += model.objects.filter(query).select_related("page").order_by("page__title", "sort_order")
    health = SourceCheck.objects.in_bulk({row.url for row in rows}, field_name="url")
    for row in rows:
        row.health = health.get(row.url)
        row.problems = [
            label
            for key, label in PROBLEMS.items()
            if (key == "unarchived" and not row.archive_link) or (row.health and row.health.status == key)
        ]
    return rows


class SourceHealthReportView(ReportView):
    page_title = "Source health"
    header_icon = "link"
    results_template_name = "cases/reports/source_health_results.html"
    index_url_name = "source_health_report"
    index_results_url_name = "source_health_report_results"
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 100

    @cached_property
    def permission_policy(self):
        # Rows are source rows; who may see them is who may edit pages.
        return policy_registry.get_by_type(Page)

    def get_queryset(self):
        return problem_sources(self.request.GET.get("problem", ""))

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["problem_choices"] = PROBLEMS
        context["problem"] = self.request.GET.get("problem", "")
        return context
