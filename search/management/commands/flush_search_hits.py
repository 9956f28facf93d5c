"""flush_search_hits: add the search hits buffered in the cache to the popular-search counts.

Run every minute by deploy/systemd/portal-flush-search-hits.timer (or cron); see search/hits.py.
"""

from django.core.management.base import BaseCommand

from search import hits


class Command(BaseCommand):
    help = "Add the search hits buffered in the cache to Wagtail's popular-search counts."

    def handle(self, *args, **options):
        count = hits.flush()
        if options["verbosity"] > 1:
            self.stdout.write(f"Flushed {count} search hits.")
