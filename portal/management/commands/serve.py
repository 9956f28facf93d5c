"""serve: the development server plus a publish_scheduled loop beside it, for `make run`.

Scheduled go-lives ("go live at") need `publish_scheduled` to run regularly; in production a
cron job or systemd timer does that (see README). Here a small loop runs it every minute.

It also points the default Wagtail Site at the address it serves (127.0.0.1:PORT): canonical
links, exports, the feed and the sitemap build absolute URLs from that Site record, so they name
the host the reader actually reached.
"""

import os
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from wagtail.models import Site

HOST = "127.0.0.1"


def point_default_site_at(host, port):
    """Make the default Site's root URL http://host:port; True when it changed."""
    changed = False
    for site in Site.objects.filter(is_default_site=True).exclude(hostname=host, port=port):
        site.hostname, site.port = host, port
        site.save()  # save(), not update(): Wagtail's cached site root paths are cleared on save
        changed = True
    return changed


def publish_scheduled_forever(interval, stop):
    while not stop.wait(interval):
        try:
            call_command("publish_scheduled", verbosity=0)
        except Exception as error:  # keep the loop alive; the next run retries
            print(f"publish_scheduled failed: {error}")
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Run the development server with scheduled publishing every minute."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--interval", type=int, default=60, help="Seconds between publish_scheduled runs.")

    def handle(self, *args, port, interval, **options):
        if point_default_site_at(HOST, int(port)):
            self.stdout.write(f"The default site now answers at http://{HOST}:{port}/ (absolute links use it).")
        stop = threading.Event()
        threading.Thread(target=publish_scheduled_forever, args=(interval, stop), daemon=True).start()
        self.stdout.write(f"Publishing scheduled pages every {interval}s. Serving on http://127.0.0.1:{port}/")
        try:
            call_command("runserver", f"{HOST}:{port}", use_reloader=False)
        finally:
            stop.set()
