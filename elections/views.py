"""/elections/: the election watch, the national elections of the coming twelve months.

One optional filter, `region` (a UN M49 region slug, as in the catalogue). A value the portal does
not know gets a 400 page that says so; nothing else in the query string is read.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from cases.models import Country
from portal.collation import name_key
from portal.names import term_name

from . import models
from .models import WATCH_MONTHS, Election, add_months
from .watch import election_watch


def region_choices():
    """(slug, name) of the UN M49 regions, names and order in the page's language (portal/names.py)."""
    named = {(slug, term_name(name)) for slug, name in Country.objects.live().values_list("region_slug", "region")}
    return sorted(named, key=lambda row: name_key(row[1]))


def watch(request):
    today = models.today()
    regions = region_choices()
    region = request.GET.get("region", "")
    context = {
        "regions": regions,
        "region": region,
        "today": today,
        "until": add_months(today, WATCH_MONTHS),
        "months": WATCH_MONTHS,
    }
    if region and region not in dict(regions):
        context["error"] = _("“%(region)s” is not a region the portal knows: pick one from the list.") % {
            "region": region[:60]
        }
        return render(request, "elections/watch.html", context, status=400)
    elections = Election.objects.live().filter(country__live=True).upcoming(today).select_related("country")
    if region:
        elections = elections.filter(country__region_slug=region)
    context["items"] = election_watch(elections, today)
    context["region_name"] = dict(regions).get(region, "")
    return render(request, "elections/watch.html", context)
