"""What check_sources last found at each cited URL: live, moved, gone or out of reach, and an archived copy.

One row per URL, not per citation. Source rows (CaseSource, GuideSource) are children of pages: a publish
rewrites them from the revision and an import replaces them, so results stored on them would be lost or
overwritten with stale values. Keyed by URL, a result survives both, and a page cited by a case and a guide
is fetched once. Pages look their sources' rows up in one query (`attach_health`).
"""

from django.db import models


class SourceStatus(models.TextChoices):
    OK = "ok", "OK"
    REDIRECTED = "redirected", "Redirected"
    # Only a 404 or 410 from the server itself: the page is gone.
    DEAD = "dead", "Dead"
    # A network failure, a timeout, a DNS error or any other server answer: try again later.
    UNREACHABLE = "unreachable", "Unreachable, retry"


class SourceCheck(models.Model):
    """The last check of one cited URL, and the Wayback Machine copy found for it (if one was asked for)."""

    url = models.URLField(max_length=1000, unique=True)
    status = models.CharField(max_length=12, choices=SourceStatus.choices, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=1000, blank=True)
    error = models.CharField(max_length=200, blank=True, help_text="Why the URL could not be reached.")
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)
    archived_url = models.URLField("Archived copy found", max_length=1000, blank=True)
    archive_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return f"{self.url}: {self.get_status_display() or 'not checked'}"

    @property
    def is_dead(self):
        return self.status == SourceStatus.DEAD


def attach_health(sources):
    """Give each source its `health` (SourceCheck or None), in one query; returns the sources as a list."""
    sources = list(sources)
    checks = SourceCheck.objects.in_bulk({source.url for source in sources}, field_name="url")
    for source in sources:
        source.health = checks.get(source.url)
    return sources
