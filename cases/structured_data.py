"""schema.org JSON-LD for search engines and dataset indexes: an `Article` per case, a `Dataset` for /cases/.

Why: Google Dataset Search, Google Scholar and link previews read JSON-LD, not our HTML. The
data is built here as plain dicts (testable without a browser) and emitted by `ld_json_script`
as a `<script type="application/ld+json">` data block: not executed, so the strict CSP allows
it, and escaped as Django's `json_script` escapes (`<`, `>` and `&` as \\u escapes), so a title
holding "</script>" cannot end the block.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .citations import AUTHOR, PUBLISHER
from .dates import iso_partial_date

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# The catalogue's downloads, described for Dataset consumers: (path, media type, what it is).
DISTRIBUTIONS = [
    ("/cases/export.csv", "text/csv", "All published cases as CSV (one row per case)"),
    ("/cases/export.json", "application/json", "All published cases as JSON, with their sources"),
    ("/cases/export.stix.json", "application/stix+json;version=2.1", "All published cases as a STIX 2.1 bundle"),
]


def ld_json_script(data):
    """`data` as a JSON-LD script element, safe to put in any HTML page."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def licence_url():
    return settings.PORTAL_DATA_LICENSE["url"]


def _organisation(name, url=None):
    found = {"@type": "Organization", "name": name}
    if url:
        found["url"] = url
    return found


def _place(country):
    return {"@type": "Country", "name": country.name, "identifier": country.code}


def case_article(page, citation, countries, sources, site_url):
    """A case page as a schema.org Article: what it is about, where, and the sources it cites."""
    about = [_place(country) for country in countries]
    if page.election_name:
        election = {"@type": "Event", "name": page.election_name}
        if page.election_date:
            election["startDate"] = page.election_date.isoformat()
        about.append(election)
    period = iso_partial_date(page.first_seen, page.first_seen_precision)
    if page.last_seen:
        period = f"{period}/{iso_partial_date(page.last_seen, page.last_seen_precision)}"
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": citation.url,
        "url": citation.url,
        "mainEntityOfPage": citation.url,
        "headline": citation.title,
        "name": citation.title,
        "description": citation.summary,
        "inLanguage": citation.language,
        "datePublished": page.first_published_at,
        "dateModified": page.last_published_at or page.first_published_at,
        "author": _organisation(AUTHOR),
        "publisher": _organisation(PUBLISHER, site_url),
        "license": licence_url(),
        "isAccessibleForFree": True,
        "about": about,
        "spatialCoverage": [_place(country) | {"@type": "Place"} for country in countries],
        "temporalCoverage": period,
        "citation": [
            {
                "@type": "CreativeWork",
                "name": source.title,
                "url": source.url,
                "publisher": _organisation(source.publisher),
                **({"datePublished": iso_partial_date(source.date, source.date_precision)} if source.date else {}),
            }
            for source in sources
        ],
    }


def catalogue_dataset(index, country_names, site_url, catalogue_url, description):
    """The published catalogue as a schema.org Dataset, with its downloads and coverage.

    `index` is the catalogue index (cases/index.py): its first and last year give the temporal
    coverage; `country_names` are the names of the countries that have published cases.
    """
    dataset = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": catalogue_url,
        "url": catalogue_url,
        "name": "Election interference case studies",
        "description": description,
        "license": licence_url(),
        "isAccessibleForFree": True,
        "creator": _organisation(AUTHOR),
        "publisher": _organisation(PUBLISHER, site_url),
        "inLanguage": "en",
        "keywords": ["election interference", "disinformation", "election integrity", "DISARM", "STIX"],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": media_type,
                "contentUrl": site_url.rstrip("/") + path,
                "description": what,
            }
            for path, media_type, what in DISTRIBUTIONS
        ],
        "spatialCoverage": [{"@type": "Place", "name": name} for name in country_names],
    }
    if index.first_year is not None:
        dataset["temporalCoverage"] = f"{index.first_year}/{index.last_year}"
    return dataset
