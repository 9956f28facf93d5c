"""Election lists other apps' pages show: a country's elections on its hub (one query)."""

from django import template

from elections import models
from elections.models import Election

register = template.Library()


@register.inclusion_tag("elections/country_elections.html")
def country_elections(country):
    """The country's published elections, split into those to come (soonest first) and past ones (latest first)."""
    today = models.today()
    elections = list(Election.objects.live().filter(country=country).order_by("date", "pk"))
    return {
        "country": country,
        "upcoming": [e for e in elections if not e.is_over(today)],
        "past": [e for e in reversed(elections) if e.is_over(today)],
    }
