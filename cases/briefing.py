"""A country briefing as PDF, for a policymaker to take into a meeting: /countries/<slug>/briefing.pdf.

It shows what the country page shows, shortened to a few pages: the profile, the timeline, the
newest cases in two lines each (attribution and sources), the tactics seen and the guides to
read, with the date and the portal's address. It reads the content through the country page's
own code (views.country_overview: the catalogue index and the published querysets), so a draft
case, term or profile can no more reach the PDF than the page.

WeasyPrint lays it out from a Django template (templates/cases/briefing.html, reusing the
timeline's SVG include) as tagged PDF (PDF/UA-1), with Noto Sans embedded from static/fonts/.
It reads nothing but those font files: page links stay links, and no URL from the content is
fetched while rendering.

Rendering takes a second or more, so the PDF is kept in Django's cache under the content version
(portal/versioning.py), the day (the brief is dated), the site's address and the language
(/fr/countries/<slug>/briefing.pdf is the briefing in French): a publication makes the next
request render it afresh; until then every request is one query and a cache read.
"""

import hashlib
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from portal import versioning
from portal.absolute_urls import site_root_url
from portal.reviewed import live_prefetches
from portal.translations import language_path, localize

from .charts import cases_per_year
from .choices import Origin
from .dates import day_display
from .live_index import catalogue_index
from .models import CaseStudyPage, Country
from .timeline import calendar_events, country_timeline
from .views import country_overview, nearby_context

# At most this many cases about the country's elections, and by actors based there: with the
# profile, timeline, tactics and guides, the brief stays within six A4 pages for the busiest
# country. The rest are one catalogue link away.
CASE_LIMIT = 30
ACTOR_CASE_LIMIT = 8
GUIDE_LIMIT = 8
# A case line names at most this many sources; the case page has them all.
SOURCE_LIMIT = 4
# Kept until the content changes (the key holds the version); the day in the key retires it too.
CACHE_SECONDS = 60 * 60 * 24
# As the read API's answers: a browser keeps it a minute, a CDN five, then asks again.
CACHE_CONTROL = {"public": True, "max_age": 60, "s_maxage": 300}
PDF_VARIANT = "pdf/ua-1"  # tagged, with a title and language, which screen readers need
FONTS_DIR = "fonts"


def briefing_cases(ids):
    """The published cases with these pks, in this order, with their sources and live actors (3 queries)."""
    cases = (
        CaseStudyPage.objects.published()
        .filter(pk__in=ids)
        .prefetch_related("sources", *live_prefetches(CaseStudyPage, "actors"))
        .defer("body", "verified_claims", "response")
    )
    found = {case.pk: case for case in cases}
    for case in found.values():
        sources = list(case.sources.all())
        case.briefing_sources, case.more_sources = sources[:SOURCE_LIMIT], max(len(sources) - SOURCE_LIMIT, 0)
    return [found[pk] for pk in ids if pk in found]


def _shares(bits, vocabulary):
    """(label, value, cases) of each option of a fixed scale that these cases have, in scale order."""
    return [(label, value, n) for value, label, option, _ in vocabulary.options if (n := (bits & option).bit_count())]


def briefing_context(request, country, generated_on):
    """What templates/cases/briefing.html shows: the country page's overview, shortened, with absolute links."""
    index = catalogue_index()
    overview = country_overview(country, index, limit=CASE_LIMIT, actor_limit=ACTOR_CASE_LIMIT, load=briefing_cases)
    root = site_root_url(request)
    in_country = index.country_bits(country.code)
    context = {
        **overview,
        "generated_on": generated_on,
        "generated_on_display": day_display(generated_on),
        # The PDF's /Lang: the language alone ("en", "fr", "es"), which is what PDF readers pick a voice by.
        "language": (translation.get_language() or "en").split("-")[0],
        "portal_url": root + language_path("/"),
        "country_url": root + country.get_absolute_url(),
        "full_catalogue_url": root + overview["catalogue_url"] if overview["catalogue_url"] else "",
        "full_actor_catalogue_url": (root + overview["actor_catalogue_url"] if overview["actor_catalogue_url"] else ""),
        "more_cases": overview["case_count"] - len(overview["cases"]),
        "more_actor_cases": overview["actor_case_count"] - len(overview["actor_cases"]),
        "guides_url": root + language_path("/guides/"),
        "timeline_chart": country_timeline(overview["cases"], calendar_events(overview["country"])),
        # The timeline shows the listed cases only: when there are more, every case by year too.
        "years_chart": cases_per_year(index, in_country) if len(overview["cases"]) < overview["case_count"] else None,
        "origins": Origin.choices,
        "origin_shares": _shares(in_country, index.origins),
        "attribution_shares": _shares(in_country, index.attributions),
    }
    if not overview["case_count"]:
        nearby = nearby_context(index, country, load=briefing_cases)
        if nearby["nearby"]:
            nearby["nearby_url"] = root + nearby["nearby_url"]
        context.update(nearby)
    # The guides for what was seen here; for a country without cases, every guide (as its page).
    guides = list((overview["guides"] if overview["case_count"] else context["all_guides"])[: GUIDE_LIMIT + 1])
    context.update(guides=localize(guides[:GUIDE_LIMIT]), more_guides=len(guides) > GUIDE_LIMIT)
    # In French or Spanish: each case's translated title where one is live, and links in that language.
    listed = overview["cases"] + overview["actor_cases"] + ((context.get("nearby") or {}).get("cases") or [])
    localize({case.pk: case for case in listed}.values())
    return context


class FontFetcher:
    """WeasyPrint's URL fetcher for the briefing: the font files in static/fonts/, and nothing else.

    Links in the content are never fetched (WeasyPrint only fetches what it draws: fonts here),
    and this refuses any other address outright, so no editor's URL can make the server call out.
    """

    def __init__(self, fonts_dir):
        from weasyprint.urls import URLFetcher

        self.root = Path(fonts_dir).resolve()
        self._fetcher = URLFetcher(allowed_protocols={"file"})

    def __call__(self, url, *args, **kwargs):
        path = Path(url2pathname(urlsplit(url).path)).resolve() if url.startswith("file:") else None
        if path is None or not path.is_relative_to(self.root):
            raise ValueError(f"the briefing reads only its own fonts, not {url}")
        return self._fetcher.fetch(url)


def stylesheet_path():
    return finders.find("css/briefing.css")


def render_pdf(html, base_url):
    """PDF bytes of the briefing's HTML; page links are made absolute against `base_url`.

    WeasyPrint is imported here, not with the module: it loads Pango when imported, and a
    machine without it should still serve every other page (deploy/briefing_libs.sh installs it).
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = FontFetcher(finders.find(FONTS_DIR))
    css = CSS(filename=stylesheet_path(), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT)


def render_briefing(request, country, generated_on):
    """The briefing of this country as PDF bytes, rendered now (no cache)."""
    html = render_to_string("cases/briefing.html", briefing_context(request, country, generated_on))
    return render_pdf(html, site_root_url(request) + "/")


def cache_key(slug, version, day, root, language):
    """The briefing's cache key: one PDF per country, content version, day, site address and language."""
    digest = hashlib.blake2b(f"{slug}|{version}|{day}|{root}|{language}".encode(), digest_size=16).hexdigest()
    return f"country-briefing:{digest}"


def country_briefing(request, slug):
    """The PDF briefing of a live country, from the cache while the content version holds."""
    today = timezone.localdate()
    key = cache_key(slug, versioning.current(), today.isoformat(), site_root_url(request), translation.get_language())
    pdf = cache.get(key)
    if pdf is None:
        country = get_object_or_404(Country.objects.live(), slug=slug)
        with versioning.watching_lag() as lagging:
            pdf = render_briefing(request, country, today)
        if not lagging():  # laid out from a catalogue index older than the version: not kept under it
            cache.set(key, pdf, CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}-election-interference-briefing.pdf"'
    patch_cache_control(response, **CACHE_CONTROL)
    return response
