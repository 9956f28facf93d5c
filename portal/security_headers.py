"""Two Content-Security-Policies: a strict one for the public site, a looser one for the admin.

The public pages load scripts and styles from our own origin only, with no inline code, so an
injected `<script>` or `style=` in content cannot run. Wagtail's admin still relies on inline
scripts and styles (its configuration blocks, Draftail, the page preview), so it gets its own
policy, and that policy is applied only under the admin's path prefixes. django-csp builds both
headers; this module only chooses which directives a request gets.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


def is_admin_path(path):
    """True for the URLs Wagtail's admin serves (and previews pages under)."""
    return path.startswith(tuple(settings.PORTAL_ADMIN_CSP_PREFIXES))


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with PORTAL_ADMIN_CSP_DIRECTIVES in force on admin paths."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            return PolicyParts(
                default_config(settings.PORTAL_ADMIN_CSP_DIRECTIVES), parts.update, parts.replace, parts.nonce
            )
        return parts
