"""A country's published elections as Events for its timeline (cases/timeline.py)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cases.timeline import Event

from . import models
from .models import Election


def timeline_events(country):
    """Each live election of `country`: one to come links to the election watch, a past one to its source."""
    today = models.today()
    events = []
    for election in Election.objects.live().filter(country=country).order_by("date", "pk"):
        if election.is_over(today):
            label, url = f"{election.label}, {election.date_display}", election.source_url
        else:
            label = _("%(election)s, %(date)s (to come)") % {"election": election.label, "date": election.date_display}
            url = f"{reverse('election-watch')}?{urlencode({'region': country.region_slug})}"
        events.append(Event(election.date, label, url))
    return events
