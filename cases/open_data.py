"""The open-data doors that are plain Django views: /data/, release downloads and case citations.

/data/ explains every way to take the data (API, exports, releases); /data/releases/<name>
serves a release file, only by a name of the release form, from the releases directory;
/cases/<slug>/cite.bib|.ris|.csl.json serve one case's citation (cases/citations.py), for
published, public cases only.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .catalogue import EXPORTS, NAVIGATOR_URL
from .citations import DOWNLOADS, RENDERERS, Citation
from .models import CaseStudyPage
from .releases import find_release, list_releases

# What each export is for, shown on the data page next to its link.
EXPORT_NOTES = {
    "csv": _("one row per case, for spreadsheets; UTF-8"),
    "json": _("every field, with the sources in full, for scripts"),
    "atom": _("the newest cases, for feed readers"),
    "stix": _(
        "a STIX 2.1 bundle (reports, campaigns, actors, countries, DISARM techniques) for OpenCTI, MISP "
        "and other threat-intelligence tools"
    ),
}


@require_safe
def data_page(request):
    """Every way to take the data: the API, the exports (all taking the catalogue's filters) and the releases."""
    exports = [(label, url, EXPORT_NOTES[key]) for key, label, url in EXPORTS]
    exports.append(
        (
            _("DISARM Navigator layer"),
            NAVIGATOR_URL,
            _("the cases' DISARM techniques as a heat map for the DISARM Navigator"),
        )
    )
    return render(
        request,
        "cases/open_data.html",
        {"exports": exports, "releases": list_releases(), "licence": settings.PORTAL_DATA_LICENSE},
    )


@require_safe
def release_download(request, filename):
    """A release zip, by its exact name; anything else is a 404."""
    release = find_release(filename)
    if release is None:
        raise Http404("There is no release of that name.")
    response = FileResponse(open(release.path, "rb"), as_attachment=True, filename=release.name)
    response["Content-Type"] = "application/zip"
    response["Digest"] = f"sha-256={release.sha256}"
    return response


@require_safe
def case_citation(request, slug, kind):
    """One published case's citation as BibTeX, RIS or CSL-JSON, for a reference manager."""
    page = CaseStudyPage.objects.published().filter(slug=slug).first()
    if page is None:
        raise Http404("No published case has that address.")
    citation = Citation.of_page(page, page.get_full_url(request))
    response = HttpResponse(RENDERERS[kind](citation), content_type=DOWNLOADS[kind][1])
    response["Content-Disposition"] = f'attachment; filename="{citation.download_name(kind)}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
