"""The portal app: after every migrate, (re)apply the commission's moderation set-up."""

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate

# Tables ensure_moderation() writes to or reads from; on a half-migrated database it waits.
REQUIRED_TABLES = {
    "auth_group",
    "wagtailcore_groupapprovaltask",
    "portal_commissionapprovaltask",
    "wagtailcore_workflowpage",
    "wagtailcore_workflowcontenttype",
    "cases_caseindexpage",
    "guides_guideindexpage",
}


def apply_moderation(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    if using != DEFAULT_DB_ALIAS:
        return
    if plan and all(backwards for _, backwards in plan):
        return  # unapplying migrations: leave the database as the user asked
    if not REQUIRED_TABLES <= set(connections[using].introspection.table_names()):
        return
    from .moderation import ensure_moderation

    ensure_moderation()


class PortalConfig(AppConfig):
    name = "portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import frontend_purge, gc_freeze, versioning  # noqa: F401 - connect their signal receivers

        gc_freeze.connect()

        post_migrate.connect(apply_moderation, sender=self, dispatch_uid="portal.apply_moderation")
