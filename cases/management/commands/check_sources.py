"""check_sources [--limit N] [--older-than DAYS]: check every cited URL (cases and guides), oldest checks first.

Records on each URL's SourceCheck the status (ok / redirected / dead / unreachable), HTTP status, final URL
and when it was checked; where no citation of the URL has an archived copy, asks the Wayback Machine for one.
Run it from cron with --limit to spread the load: never-checked URLs go first, then the stalest.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Q
from django.utils import timezone

from cases.linkcheck import run_checks
from cases.models import AbstractSource, SourceCheck, SourceStatus


def cited_urls():
    """{url: True if some citation of it already has an archived copy}, over every kind of source row."""
    urls = {}
    for model in apps.get_models():
        if issubclass(model, AbstractSource):
            for url, archived_url in model.objects.values_list("url", "archived_url"):
                urls[url] = urls.get(url, False) or bool(archived_url)
    return urls


def user_agent():
    return getattr(settings, "SOURCE_CHECK_USER_AGENT", "") or (
        f"ElectionIntegrityPortal-SourceCheck/1.0 (+{settings.WAGTAILADMIN_BASE_URL})"
    )


class Command(BaseCommand):
    help = "Check cited URLs for dead links and find archived copies; oldest checks first."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="Check at most this many URLs.")
        parser.add_argument("--older-than", type=float, metavar="DAYS", help="Only URLs not checked for DAYS days.")
        parser.add_argument("--workers", type=int, default=8, help="Requests in flight at once (default 8).")
        parser.add_argument("--per-host", type=int, default=2, help="Requests in flight to one host (default 2).")
        parser.add_argument("--timeout", type=float, default=15.0, help="Seconds to wait for a server (default 15).")

    def handle(self, *args, limit, older_than, workers, per_host, timeout, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        if workers < 1 or per_host < 1 or timeout <= 0:
            raise CommandError("--workers and --per-host must be at least 1, --timeout above 0")
        urls = cited_urls()
        SourceCheck.objects.bulk_create([SourceCheck(url=url) for url in urls], ignore_conflicts=True)
        due = SourceCheck.objects.order_by(F("checked_at").asc(nulls_first=True), "url")
        if older_than is not None:
            cutoff = timezone.now() - datetime.timedelta(days=older_than)
            due = due.filter(Q(checked_at__isnull=True) | Q(checked_at__lt=cutoff))
        # URLs no longer cited anywhere keep their row but are not fetched again.
        due = [check for check in due.iterator() if check.url in urls][:limit]
        by_url = {check.url: check for check in due}
        jobs = [(check.url, not urls[check.url] and not check.archived_url) for check in due]

        counts, found = {}, 0
        wayback_url = getattr(settings, "SOURCE_CHECK_WAYBACK_URL", "https://archive.org/wayback/available")
        results = run_checks(
            jobs, user_agent=user_agent(), timeout=timeout, workers=workers, per_host=per_host, wayback_url=wayback_url
        )
        for result in results:
            check = by_url[result.url]
            now = timezone.now()
            check.status, check.http_status = result.status, result.http_status
            check.final_url, check.error, check.checked_at = result.final_url[:1000], result.error, now
            if result.archived_url is not None:
                check.archive_checked_at = now
                if result.archived_url:
                    check.archived_url, found = result.archived_url[:1000], found + 1
            check.save()
            counts[result.status] = counts.get(result.status, 0) + 1
        summary = ", ".join(f"{counts.get(status, 0)} {status}" for status in SourceStatus.values)
        self.stdout.write(f"checked {len(due)} of {len(urls)} cited URLs: {summary}; {found} archived copies found")
