"""An edit-form panel that shows editors and reviewers where a case stands against the sourcing rule.

It reads the version being edited (the latest revision, or the new page), so what is missing is
visible before anyone submits, and the warning about a missing primary source is in front of the
reviewer who approves. The rule itself is cases/sourcing.py.
"""

from wagtail.admin.panels import Panel


class SourcingPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "cases/admin/sourcing_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["check"] = self.instance.publication_check()
            return context
