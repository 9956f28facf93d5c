"""The catalogue page at /cases/: filtered, faceted, paginated, with removable filter chips.

Data flows one way: request.GET → bind_case_filters (the FilterSet validates) → the catalogue
index (index.py) gives the matching cases, their count and the facets → one page of cases is
read from the database → template.
"""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.names import term_name
from portal.translations import localize

from .charts import catalogue_charts
from .choices import ActorType, AttributionStatus, Origin
from .facets import PLURALS, catalogue_facets, shorten
from .filters import SORT_CHOICES, bind_case_filters, region_choices
from .index import listed_cases
from .live_index import catalogue_index
from .worldmap import world_map

PAGE_SIZE = 20

EXPORTS = [
    ("csv", "CSV", "/cases/export.csv"),
    ("json", "JSON", "/cases/export.json"),
    ("atom", gettext_lazy("Atom feed"), "/cases/feed.atom"),
    ("stix", "STIX 2.1", "/cases/export.stix.json"),
]
NAVIGATOR_URL = "/cases/export.navigator.json"


def _chip_labels(filterset):
    """(name, value, label) for every active filter value, in the order of the form."""
    labels = {
        "region": {slug: term_name(name) for slug, name in region_choices()},
        "actor_type": dict(ActorType.choices),
        "origin": dict(Origin.choices),
        "attribution": dict(AttributionStatus.choices),
    }
    prefixes = {
        "actor_type": _("Actor"),
        "attribution": _("Attribution"),
        "region": _("Region"),
        "origin": _("Origin"),
        "tactic": _("Tactic"),
        "channel": _("Channel"),
        "target": _("Target"),
    }
    for name, value in filterset.active.items():
        if name == "country":
            yield from ((name, c.code, _("Country: %(name)s") % {"name": c.label}) for c in value)
        elif name == "actor_country":
            yield from ((name, c.code, _("Actors based in: %(name)s") % {"name": c.label}) for c in value)
        elif name in ("tactic", "channel", "target"):
            yield from ((name, t.slug, f"{prefixes[name]}: {t.label}") for t in value)
        elif name in labels:
            prefix = prefixes.get(name, filterset.filters[name].label)
            yield from ((name, v, f"{prefix}: {labels[name].get(v, v)}") for v in filterset.data.getlist(name))
        elif name == "year_from":
            yield name, filterset.data[name], _("From %(year)s") % {"year": filterset.data[name]}
        elif name == "year_to":
            yield name, filterset.data[name], _("Until %(year)s") % {"year": filterset.data[name]}
        elif name == "q":
            shown = value if len(value) <= 40 else value[:39] + "…"
            yield name, value, _("Words: “%(words)s”") % {"words": shown}


def filter_chips(filterset, base_url):
    chips = []
    for name, value, label in _chip_labels(filterset):
        query = filterset.query_string(without=(name, value))
        chips.append({"name": name, "label": label, "remove_url": f"{base_url}?{query}" if query else base_url})
    return chips


class IndexedCases:
    """Matching cases as the Paginator reads them: a count, and a slice that fetches one page."""

    def __init__(self, index, bits, sort):
        self.index, self.bits, self.sort = index, bits, sort

    def count(self):
        return self.bits.bit_count()

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        start = window.start or 0
        return listed_cases(self.index.page_ids(self.bits, self.sort, start, window.stop - start))


def _page_number(raw, num_pages, problems):
    """The page to show for ?page=raw, saying so when the request could not be honoured as asked."""
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except (TypeError, ValueError):
        problems.append(_("“%(raw)s” is not a page number; showing the first page.") % {"raw": raw[:20]})
        return 1
    if number < 1:
        problems.append(_("Page numbers start at 1; showing the first page."))
        return 1
    if number > num_pages:
        if num_pages > 1:
            message = _("There is no page %(number)d; showing page %(last)d, the last page.")
        else:
            message = _("There is no page %(number)d; showing page %(last)d, the only page.")
        problems.append(message % {"number": number, "last": num_pages})
        return num_pages
    return number


def shortened_facets(facets, filterset, base_url, requested):
    """The facets with long lists cut to their busiest options, but those the reader asked for in full.

    `requested` is the list of `all` parameters; the links keep the filters and the other expanded facets.
    """
    expanded = [name for name in dict.fromkeys(requested) if name in PLURALS]

    def link(names, anchor):
        params = filterset.data.copy()
        params.setlist("all", names)
        query = params.urlencode()
        return f"{base_url}?{query}#facet-{anchor}" if query else f"{base_url}#facet-{anchor}"

    for facet in facets.values():
        shorten(facet, expanded, lambda names, facet=facet: link(names, facet.name))
    return facets, expanded


def catalogue_context(request, index_page):
    """Everything the catalogue template needs, in a fixed number of queries."""
    filterset, problems = bind_case_filters(request.GET)
    index = catalogue_index()
    selection = index.select(filterset.active)
    matching = selection.matching()
    results = IndexedCases(index, matching, filterset.sort_order)
    paginator = Paginator(results, PAGE_SIZE)
    page = paginator.page(_page_number(request.GET.get("page"), paginator.num_pages, problems))
    base_url = index_page.url
    query = filterset.query_string()
    chips = filter_chips(filterset, base_url)
    year_chart, charts = catalogue_charts(index, matching)
    facets, expanded = shortened_facets(
        catalogue_facets(selection, filterset), filterset, base_url, request.GET.getlist("all")
    )
    return {
        "filterset": filterset,
        "facets": facets,
        "expanded_facets": expanded,
        "sort_choices": SORT_CHOICES,
        "current_sort": filterset.sort_order,
        "query_text": filterset.form.cleaned_data.get("q") or "",
        "cases": localize(page.object_list),
        "page_obj": page,
        "result_count": paginator.count,
        "chips": chips,
        # The words box sits outside the filter panel; "Filters (n)" counts what is inside it.
        "panel_filter_count": sum(1 for chip in chips if chip["name"] != "q"),
        "filter_problems": problems,
        "querystring_base": f"{query}&" if query else "",
        "exports": [(key, label, f"{url}?{query}" if query else url) for key, label, url in EXPORTS],
        "navigator_url": f"{NAVIGATOR_URL}?{query}" if query else NAVIGATOR_URL,
        "is_filtered": bool(request.GET),
        "catalogue_url": base_url,
        # The pictures under the results: no queries, bit counts over the same selection.
        "world_map": world_map(index, matching),
        "year_chart": year_chart,
        "charts": charts,
    }
