"""A country's cases over time, with its elections marked: the timeline at the top of a country page.

Each case is a bar from its first to its last sighting, packed into as few rows as overlap
allows; each election a case names is a diamond above them, at its date, and so is each election
of the country's calendar (the election watch) that no case names. A case's marks link to the case,
a calendar election's to the watch while it is to come and to the source of its date once past
(templates/components/country_timeline.html draws them as inline SVG, named for screen readers and
reachable by keyboard); a table with the same cases follows it, and the page lists the elections.

The calendar lives in an app above this one: it registers a function in `calendar_sources`
(elections/apps.py), which `calendar_events(country)` asks.

It is laid out from the cases the country page already lists (at most views.HUB_CASE_LIMIT),
so it costs no query.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from .dates import day_display

WIDTH = 640
LEFT, RIGHT = 8, 8
ELECTION_ROW = 26  # height of the row of election marks
LANE = 16  # height of a row of case bars
AXIS = 26  # room for the year labels
MIN_BAR = 5  # a case seen on one day still shows


@dataclass(frozen=True)
class Mark:
    case: object
    x: float
    y: float
    width: float
    label: str
    url: str = ""  # where a mark with no case links


@dataclass(frozen=True)
class Event:
    """A dated event of a country's calendar, to mark on its timeline."""

    date: date
    label: str
    url: str


# Functions of a country giving its calendar's Events, registered by the apps that keep them.
calendar_sources = []


def calendar_events(country):
    return [event for source in calendar_sources for event in source(country)]


@dataclass
class Timeline:
    bars: list = field(default_factory=list)
    elections: list = field(default_factory=list)
    years: list = field(default_factory=list)  # (x, year) of the year labels
    ticks: list = field(default_factory=list)  # x of the year boundaries
    height: float = 0
    width: int = WIDTH

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height:g}"

    @property
    def axis_y(self):
        return self.height - AXIS

    @property
    def label_y(self):
        return self.height - 8


def _period(case):
    return case.first_seen, max(case.last_seen or case.first_seen, case.first_seen)


def country_timeline(cases, events=()):
    """The timeline of these cases (each with first_seen, last_seen, election_date, election_name),
    with the calendar's `events` (Event) that no case's election falls on."""
    if not cases:
        return None
    named = {case.election_date for case in cases if case.election_date}
    events = [event for event in events if event.date not in named]
    dates = [d for case in cases for d in (case.first_seen, case.last_seen, case.election_date) if d]
    dates += [event.date for event in events]
    start, end = date(min(dates).year, 1, 1), date(max(dates).year + 1, 1, 1)
    span = (end - start).days
    plot = WIDTH - LEFT - RIGHT

    def x_of(day):
        return LEFT + plot * (day - start).days / span

    timeline = Timeline()
    lanes = []  # right end of the last bar in each row
    for case in sorted(cases, key=lambda c: (c.first_seen, c.title)):
        first, last = _period(case)
        x = x_of(first)
        width = max(x_of(last) - x, MIN_BAR)
        lane = next((i for i, right in enumerate(lanes) if right + 3 <= x), None)
        if lane is None:
            lanes.append(0)
            lane = len(lanes) - 1
        lanes[lane] = x + width
        y = ELECTION_ROW + lane * LANE
        timeline.bars.append(Mark(case, round(x, 1), y, round(width, 1), f"{case.title}, {case.period_display}"))

    seen = set()
    for case in sorted(cases, key=lambda c: (c.election_date or date.min, c.title), reverse=True):
        key = (case.election_date, case.election_name)
        if case.election_date and key not in seen:
            seen.add(key)
            name = case.election_name or _("Election")
            label = f"{name}, {day_display(case.election_date)}: {case.title}"
            timeline.elections.append(Mark(case, round(x_of(case.election_date), 1), ELECTION_ROW / 2, 0, label))
    for event in events:
        timeline.elections.append(Mark(None, round(x_of(event.date), 1), ELECTION_ROW / 2, 0, event.label, event.url))
    timeline.elections.sort(key=lambda mark: mark.x)

    timeline.height = ELECTION_ROW + LANE * len(lanes) + AXIS
    years = range(start.year, end.year)
    every = max(1, -(-len(years) // 10))
    timeline.ticks = [round(x_of(date(year, 1, 1)), 1) for year in years] + [WIDTH - RIGHT]
    timeline.years = [
        (round(x_of(date(year, 7, 1)), 1), year) for i, year in enumerate(years) if i % every == 0 or len(years) <= 10
    ]
    return timeline
