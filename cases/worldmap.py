"""The world map of the catalogue: which countries the selected cases were in, and how many.

Drawn on the server as inline SVG (templates/components/world_map.html) from the shapes in
data/world_paths.json (Natural Earth, public domain, in the Equal Earth projection; how they were
made, and how disputed areas are drawn, is in management/commands/build_world_map.py). Counts
come from the catalogue index's country bits ANDed with the selection: no query per country,
none at all once the index and the country addresses (chart_index.py) are held.

Each country with cases is a link to its page named "Kenya, 3 cases"; the table beside the map
holds the same numbers, and is its text alternative. Countries too small for a shape at this
scale are drawn as dots; countries with neither are listed in the table only.
"""

import json
from dataclasses import dataclass
from functools import cache, cached_property
from html import escape  # the standard library's: plain str, several times faster than Django's
from pathlib import Path

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.collation import name_key
from portal.names import country_name
from portal.translations import language_path

from .chart_index import chart_index
from .scales import Scale, cases_label

SHAPES_FILE = Path(__file__).resolve().parent / "data" / "world_paths.json"
# Hatching for forced-colours mode, where the UA allows no shades: (colour class, gap between lines).
HATCHES = [(1, 9), (2, 6), (3, 4), (4, 2.5)]


@cache
def shapes():
    """The map's shapes: {"viewBox", "countries": {code: {"d"}}, "points": {code: [x, y]}}, read once."""
    return json.loads(SHAPES_FILE.read_text())


@cache
def background_paths():
    """{code: the <path> of that country without cases}, written once: most of the map's bytes."""
    return {code: f'<path d="{shape["d"]}"/>' for code, shape in shapes()["countries"].items()}


@dataclass(frozen=True)
class MapCountry:
    code: str
    name: str  # in the page's language
    count: int
    level: int  # colour class, 1 (fewest) to 5 (most)
    url: str
    d: str = ""  # the shape's path, when it has one
    x: float | None = None  # or the dot's centre
    y: float | None = None

    @property
    def label(self):
        return f"{self.name}, {cases_label(self.count)}"


@dataclass(frozen=True)
class WorldMap:
    view_box: str
    countries: list  # MapCountry with cases, most cases first: the table's rows
    background: list  # codes of the countries drawn without cases
    scale: Scale
    case_count: int

    hatches = HATCHES

    @cached_property
    def shaded(self):
        """Countries drawn as shapes, by name: the order keyboard users reach them in."""
        return sorted((c for c in self.countries if c.d), key=lambda c: name_key(c.name))

    @cached_property
    def dots(self):
        return sorted((c for c in self.countries if c.x is not None), key=lambda c: name_key(c.name))

    @property
    def not_drawn(self):
        return [c for c in self.countries if not c.d and c.x is None]

    # The map's elements are written here rather than in the template, which would take longer
    # than the counting for the 170 shapes and their links.
    @cached_property
    def background_markup(self):
        paths = background_paths()
        return mark_safe("".join(paths[code] for code in self.background))

    @cached_property
    def cases_markup(self):
        """Each country with cases as a link named "Kenya, 3 cases" around its shape or dot."""
        parts = []
        for c in self.shaded:
            label = escape(c.label)
            parts.append(
                f'<a href="{escape(c.url)}" aria-label="{label}"><title>{label}</title>'
                f'<path class="lvl-{c.level}" d="{c.d}"/></a>'
            )
        for c in self.dots:
            label = escape(c.label)
            parts.append(
                f'<a href="{escape(c.url)}" aria-label="{label}"><title>{label}</title>'
                f'<circle class="worldmap__dot lvl-{c.level}" cx="{c.x}" cy="{c.y}" r="5"/></a>'
            )
        return mark_safe("".join(parts))

    @cached_property
    def table_rows(self):
        parts = []
        for c in self.countries:
            name = escape(c.name)
            linked = f'<a href="{escape(c.url)}">{name}</a>' if c.url else name
            parts.append(f'<tr><th scope="row">{linked}</th><td>{c.count}</td></tr>')
        return mark_safe("".join(parts))

    @property
    def description(self):
        if not self.countries:
            return _("No country has a case here.")
        top = ", ".join(f"{c.name} ({c.count})" for c in self.countries[:3])
        n = len(self.countries)
        return ngettext(
            "%(count)s country has cases; the most: %(top)s. "
            "Darker shades mean more cases. The table after the map gives every number.",
            "%(count)s countries have cases; the most: %(top)s. "
            "Darker shades mean more cases. The table after the map gives every number.",
            n,
        ) % {"count": n, "top": top}


def world_map(index, bits):
    """The map of the cases in `bits` (a selection of the catalogue index `index`)."""
    data = shapes()
    urls = chart_index(index).country_urls
    # Names in the page's language (portal/names.py): links, table and text alternative alike.
    counted = [
        (code, country_name(code, name), n)
        for code, name, country_bits, _extra in index.countries.options
        if (n := (bits & country_bits).bit_count())
    ]
    scale = Scale.for_maximum(max((n for _code, _name, n in counted), default=0))
    countries = []
    for code, name, n in sorted(counted, key=lambda row: (-row[2], name_key(row[1]))):
        shape, point = data["countries"].get(code), data["points"].get(code)
        countries.append(
            MapCountry(
                code,
                name,
                n,
                scale.level(n),
                language_path(urls.get(code, "")),
                d=shape["d"] if shape else "",
                x=point[0] if point and not shape else None,
                y=point[1] if point and not shape else None,
            )
        )
    with_cases = {code for code, _name, _n in counted}
    background = [code for code in data["countries"] if code not in with_cases]
    return WorldMap(data["viewBox"], countries, background, scale, bits.bit_count())
