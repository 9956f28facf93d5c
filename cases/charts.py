"""Charts of the catalogue's cases: per year, tactics by year, origin and attribution by year, DISARM techniques.

Each chart is computed from the catalogue index (index.py) for a selection of cases (the bits the
current filters select), with bit ANDs and counts and no query, and laid out here in SVG
coordinates. One template (templates/components/chart.html) draws any of them as an inline SVG
image (role="img" with a title and a description) followed by a table holding the same numbers,
its text alternative. No JavaScript, no inline styles: colours are CSS classes.

"Per year" counts the cases active in that year, as the catalogue's year filters do: a case seen
from 2016 to 2018 counts in each of the three years, and /cases/?year_from=2017&year_to=2017
lists exactly the cases a chart counts for 2017.
"""

import math
from dataclasses import dataclass, field
from functools import cached_property
from html import escape  # the standard library's: plain str, several times faster than Django's

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .chart_index import chart_index
from .facets import tactics_by_count
from .scales import Scale

WIDTH = 640
FONT = 13  # text height in viewBox units
TOP_TECHNIQUES = 10
HEAT_MAP_TACTICS = 15


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str  # shown on hover; the table holds the same


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    css: str = ""


@dataclass
class Chart:
    slug: str  # unique on a page: ids and classes derive from it
    title: str
    description: str
    height: float
    columns: list  # the table's column headers, after the row header's
    rows: list  # (row header, [cell values])
    row_header: str
    rects: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # (x1, y1, x2, y2) of grid lines
    legend: list = field(default_factory=list)  # (css class, label)
    width: float = WIDTH

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height:g}"

    @property
    def empty(self):
        return not self.rows

    # The marks and the table rows are written here rather than in the template: a heat map of
    # 100,000 cases has hundreds of cells, and Django's template loops would cost more than the
    # counting.
    @cached_property
    def marks(self):
        """The SVG elements inside the chart: grid lines, rectangles (each titled), labels."""
        parts = [f'<line class="chart__grid" x1="{a}" y1="{b}" x2="{c}" y2="{d}"/>' for a, b, c, d in self.lines]
        parts += [
            f'<rect class="{r.css}" x="{r.x}" y="{r.y}" width="{r.width}" height="{r.height}">'
            f"<title>{escape(r.label)}</title></rect>"
            for r in self.rects
        ]
        parts += [f'<text x="{t.x}" y="{t.y}" text-anchor="{t.anchor}">{escape(t.text)}</text>' for t in self.texts]
        return mark_safe("".join(parts))

    @cached_property
    def table_rows(self):
        """The table's body rows: a header cell, then the numbers."""
        return mark_safe(
            "".join(
                f'<tr><th scope="row">{escape(str(header))}</th>{"".join(f"<td>{n}</td>" for n in cells)}</tr>'
                for header, cells in self.rows
            )
        )


def year_bits(index, bits):
    """[(year, bits of the cases in `bits` active that year)] over the years they span."""
    span = index.year_span(bits)
    if span is None:
        return []
    return [(year, bits & index.starts_until[year] & index.ends_from[year]) for year in range(span[0], span[1] + 1)]


def nice_ticks(maximum, count=4):
    """Round tick values from 0 to at least `maximum`: 0, 5, 10, 15…"""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step)) if step >= 1 else 1
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def _year_labels(years, left, band, y):
    every = max(1, math.ceil(len(years) / 12))
    return [Text(left + band * (i + 0.5), y, str(year), "middle") for i, year in enumerate(years) if i % every == 0]


def _short(text, length):
    return text if len(text) <= length else text[: length - 1] + "…"


def _columns_chart(slug, title, description, years, stacks, categories, legend_css):
    """Vertical bars per year, each a stack of (category index, count); categories are (value, label)."""
    left, right, top, bottom, height = 44, 8, 10, 30, 240
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    totals = [sum(n for _k, n in stack) for stack in stacks]
    ticks = nice_ticks(max(totals, default=0))
    band = plot_w / max(len(years), 1)
    chart = Chart(slug, title, description, height, [], [], _("Year"))
    for tick in ticks:
        y = top + plot_h - plot_h * tick / ticks[-1]
        chart.lines.append((left, round(y, 1), WIDTH - right, round(y, 1)))
        chart.texts.append(Text(left - 6, round(y + FONT / 3, 1), str(tick), "end"))
    for i, (year, stack) in enumerate(zip(years, stacks, strict=True)):
        base = top + plot_h
        for k, n in stack:
            if not n:
                continue
            h = plot_h * n / ticks[-1]
            base -= h
            value, label = categories[k]
            chart.rects.append(
                Rect(
                    round(left + band * i + band * 0.125, 1),
                    round(base, 1),
                    round(band * 0.75, 1),
                    round(h, 1),
                    legend_css(value),
                    f"{year}: {label}, {n}",
                )
            )
    chart.texts += _year_labels(years, left, band, height - 10)
    return chart


def cases_per_year(index, bits, years=None):
    """How many of the selected cases were active in each year (`years`: year_bits, when known)."""
    years = year_bits(index, bits) if years is None else years
    rows = [(year, (b.bit_count(),)) for year, b in years]
    chart = _columns_chart(
        "years",
        _("Cases per year"),
        _peak_description(rows),
        [year for year, _counts in rows],
        [[(0, n)] for _year, (n,) in rows],
        [("cases", _("Cases"))],
        lambda value: "lvl-4",
    )
    chart.columns, chart.rows = [_("Cases active")], [(year, list(counts)) for year, counts in rows]
    return chart


def _peak_description(rows):
    if not rows:
        return _("No cases.")
    year, (n,) = max(rows, key=lambda row: (row[1][0], row[0]))
    return _("Bars by year from %(first)s to %(last)s; the most cases were active in %(year)s: %(count)s.") % {
        "first": rows[0][0],
        "last": rows[-1][0],
        "year": year,
        "count": n,
    }


def stacked_by_year(index, bits, slug, title, description, vocabulary, css_prefix, years=None):
    """Cases active per year, split by one choice (origin, attribution status)."""
    years = year_bits(index, bits) if years is None else years
    options = [(value, label, option_bits) for value, label, option_bits, _extra in vocabulary.options]
    counts = [[(b & option_bits).bit_count() for _v, _l, option_bits in options] for _year, b in years]
    used = [k for k in range(len(options)) if any(row[k] for row in counts)]
    categories = [(value, label) for value, label, _bits in options]
    chart = _columns_chart(
        slug,
        title,
        description,
        [year for year, _bits in years],
        [[(k, row[k]) for k in used] for row in counts],
        categories,
        lambda value: f"{css_prefix}-{value}",
    )
    chart.columns = [categories[k][1] for k in used]
    chart.rows = [(year, [row[k] for k in used]) for (year, _b), row in zip(years, counts, strict=True)]
    chart.legend = [(f"{css_prefix}-{categories[k][0]}", categories[k][1]) for k in used]
    return chart


def tactics_by_year(index, bits, years=None):
    """A heat map: rows are the tactics seen in the selection, most seen first; columns are years."""
    years = year_bits(index, bits) if years is None else years
    # Cells cost a bit count each: the most seen tactics only, as the title says.
    tactics = [
        (label, [(b & tactic_bits).bit_count() for _year, b in years], total)
        for total, label, _slug, _pk, tactic_bits in tactics_by_count(index, bits)[:HEAT_MAP_TACTICS]
    ]
    scale = Scale.for_maximum(max((n for _l, cells, _t in tactics for n in cells), default=0))
    left, top, row_h, bottom = 190, 6, 22, 30
    height = top + row_h * len(tactics) + bottom
    band = (WIDTH - left - 4) / max(len(years), 1)
    chart = Chart(
        "tactics",
        _("Tactics most seen, by year"),
        _(
            "A heat map of the %(count)s tactics most seen (rows, most seen first) by year (columns); "
            "darker cells mean more cases. The table gives every number."
        )
        % {"count": len(tactics)},
        height,
        [str(year) for year, _bits in years],
        [(label, cells) for label, cells, _total in tactics],
        _("Tactic"),
    )
    for r, (label, cells, _total) in enumerate(tactics):
        y = top + row_h * r
        chart.texts.append(Text(left - 6, y + row_h / 2 + FONT / 3, _short(label, 24), "end"))
        for c, n in enumerate(cells):
            chart.rects.append(
                Rect(
                    round(left + band * c, 1),
                    y,
                    round(band - 1, 1),
                    row_h - 1,
                    f"lvl-{scale.level(n)}",
                    f"{label}, {years[c][0]}: {n}",
                )
            )
    chart.texts += _year_labels([year for year, _bits in years], left, band, height - 10)
    chart.legend = [(f"lvl-{level}", label) for level, label in scale.legend]
    return chart


def top_techniques(index, bits, limit=TOP_TECHNIQUES):
    """Horizontal bars: the DISARM techniques most seen in the selection."""
    counted = [(t, (bits & t.bits).bit_count()) for t in chart_index(index).techniques]
    counted = sorted(((t, n) for t, n in counted if n), key=lambda row: (-row[1], row[0].external_id))[:limit]
    left, row_h, top = 300, 24, 4
    height = top + row_h * len(counted) + 4
    maximum = max((n for _t, n in counted), default=1)
    chart = Chart(
        "techniques",
        _("DISARM techniques most seen"),
        _(
            "Horizontal bars: the %(count)s DISARM techniques in the most cases, most first. "
            "The table gives every number."
        )
        % {"count": len(counted)},
        height,
        [_("Cases")],
        [(f"{t.external_id} {t.name}", [n]) for t, n in counted],
        _("Technique"),
    )
    for r, (technique, n) in enumerate(counted):
        y = top + row_h * r
        w = (WIDTH - left - 50) * n / maximum
        chart.texts.append(
            Text(left - 6, y + row_h / 2 + FONT / 3, _short(f"{technique.external_id} {technique.name}", 38), "end")
        )
        chart.rects.append(Rect(left, y + 3, round(max(w, 1), 1), row_h - 6, "lvl-4", f"{technique.external_id}: {n}"))
        chart.texts.append(Text(round(left + w + 6, 1), y + row_h / 2 + FONT / 3, str(n)))
    return chart


def catalogue_charts(index, bits):
    """(cases per year, [the other charts]) for the catalogue, in the order the page shows them."""
    years = year_bits(index, bits)
    return cases_per_year(index, bits, years), [
        tactics_by_year(index, bits, years),
        stacked_by_year(
            index,
            bits,
            "origin",
            _("Origin by year"),
            _("Stacked bars by year; each bar split by origin. The table gives every number."),
            index.origins,
            "origin",
            years,
        ),
        stacked_by_year(
            index,
            bits,
            "attribution",
            _("Attribution by year"),
            _("Stacked bars by year; each bar split by attribution. The table gives every number."),
            index.attributions,
            "attr",
            years,
        ),
        top_techniques(index, bits),
    ]
