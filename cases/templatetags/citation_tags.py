"""Template tags for citing: a case's `Citation` and JSON-LD, and the catalogue's Dataset JSON-LD.

Tags rather than page-model context so the case page model stays as it is: the templates that
want citations (templates/components/citation_head.html, cite_box.html, catalogue_jsonld.html)
ask for them.
"""

from django import template
from django.urls import reverse
from wagtail.models import Site

from ..citations import DOWNLOADS, Citation, apa_parts
from ..live_index import catalogue_index
from ..structured_data import case_article, catalogue_dataset, ld_json_script

register = template.Library()

DATASET_DESCRIPTION = (
    "Reviewed case studies of election interference, foreign and domestic, by country: the election "
    "targeted, the period of activity, actors and attribution, tactics with their DISARM techniques, "
    "channels, targets and the published sources for every claim. Compiled by the Commission on "
    "Election Integrity."
)


def _site_url(request):
    site = Site.find_for_request(request)
    return site.root_url + "/" if site else request.build_absolute_uri("/")


@register.simple_tag(takes_context=True)
def case_citation(context, page):
    """The page's Citation, with its APA parts and download links attached for the template."""
    request = context["request"]
    citation = Citation.of_page(page, page.get_full_url(request))
    return {
        "citation": citation,
        "apa": apa_parts(citation),
        "downloads": [
            (kind, reverse(f"case-cite-{kind}", args=[page.slug]), citation.download_name(kind), content_type)
            for kind, (_ext, content_type) in DOWNLOADS.items()
        ],
    }


@register.simple_tag(takes_context=True)
def case_jsonld(context, page, citation):
    """The case as a schema.org Article in a JSON-LD block; reads the context's `sources` if given."""
    sources = context.get("sources")
    if sources is None:
        sources = page.sources.all()
    data = case_article(page, citation, list(page.countries.all()), list(sources), _site_url(context["request"]))
    return ld_json_script(data)


# The Dataset block depends on the published content only, not on the filters: it is written once
# per catalogue index (so once per content version) and site address. It took a fifth of the
# catalogue page's rendering time at 100,000 cases.
_dataset_blocks = (None, {})  # (catalogue index, {(site URL, catalogue URL): markup}), replaced whole


@register.simple_tag(takes_context=True)
def catalogue_jsonld(context, page):
    """The published catalogue as a schema.org Dataset in a JSON-LD block."""
    global _dataset_blocks
    request = context["request"]
    index = catalogue_index()
    site_url, catalogue_url = _site_url(request), page.get_full_url(request)
    if _dataset_blocks[0] is not index:
        _dataset_blocks = (index, {})
    blocks = _dataset_blocks[1]
    block = blocks.get((site_url, catalogue_url))
    if block is None:
        names = [name for _code, name, bits, _extra in index.countries.options if bits]
        data = catalogue_dataset(index, names, site_url, catalogue_url, DATASET_DESCRIPTION)
        block = blocks[(site_url, catalogue_url)] = ld_json_script(data)
    return block
