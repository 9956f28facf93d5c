"""Country browsing: the index of countries with cases and one hub per country."""

from itertools import groupby

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode

from guides.models import GuidePage

from .models import CaseStudyPage, Country

# The catalogue is a Wagtail page; its address is fixed by the public URL contract.
CATALOGUE_URL = "/cases/"


def country_index(request):
    """Countries that have published cases, grouped by UN M49 region, with counts."""
    countries = list(Country.objects.with_case_counts())
    regions = [
        {"name": region or "Other", "countries": list(members)}
        for region, members in groupby(countries, key=lambda c: c.region)
    ]
    return render(request, "cases/country_index.html", {"regions": regions, "country_count": len(countries)})


def country_detail(request, slug):
    """A country hub: profile, cases as a timeline by year, relevant guides, a catalogue link."""
    country = get_object_or_404(Country, slug=slug)
    cases = list(
        CaseStudyPage.objects.published().in_country(country.code).for_listing().order_by("-first_seen", "title")
    )
    timeline = [
        {"year": year, "cases": list(items)} for year, items in groupby(cases, key=lambda case: case.first_seen.year)
    ]
    tactic_ids = {tactic.pk for case in cases for tactic in case.tactics.all()}
    guides = (
        GuidePage.objects.published()
        .filter(Q(threats__in=tactic_ids) | Q(related_cases__in=[c.pk for c in cases]))
        .distinct()
        .for_listing()
    )
    catalogue_url = f"{CATALOGUE_URL}?{urlencode({'country': country.code})}" if cases else ""
    return render(
        request,
        "cases/country_detail.html",
        {"country": country, "cases": cases, "timeline": timeline, "guides": guides, "catalogue_url": catalogue_url},
    )
