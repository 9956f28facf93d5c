"""Colour classes for counts, shared by the world map and the heat map.

Five classes of a sequential, colour-blind-safe scale (ColorBrewer's YlGnBu; the colours live in
static/css/portal.css as .lvl-1 … .lvl-5, with hatching for forced-colours mode). Counts are
split so that the classes stay readable from a demo of a few cases to 100,000: one class per
count while the largest count is five or less, else bounds growing geometrically up to it.
"""

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

LEVELS = 5


def cases_label(count):
    """ "1 case", "3 cases", in the active language."""
    return _cases_label(get_language(), count)


# The world map names some 170 countries "Kenya, 3 cases" on every catalogue page; each ngettext
# walks the language's catalogues and plural rule (3 ms a page at 100,000 cases). The words for a
# count in a language never change while the process runs.
@lru_cache(maxsize=8192)
def _cases_label(language, count):
    return ngettext("%(count)s case", "%(count)s cases", count) % {"count": count}


@dataclass(frozen=True)
class Scale:
    bounds: tuple  # upper bound of each class, increasing; the last is the largest count

    @classmethod
    def for_maximum(cls, maximum):
        if maximum <= 0:
            return cls(())
        if maximum <= LEVELS:
            return cls(tuple(range(1, maximum + 1)))
        bounds = []
        for k in range(1, LEVELS + 1):
            bound = round(maximum ** (k / LEVELS))
            bounds.append(max(bound, bounds[-1] + 1 if bounds else 1))
        bounds[-1] = maximum
        return cls(tuple(bounds))

    def level(self, count):
        """A count's colour class: 1 to 5, spread over the five colours when there are fewer classes; 0 for none."""
        if count <= 0 or not self.bounds:
            return 0
        k = min(bisect_left(self.bounds, count), len(self.bounds) - 1)
        n = len(self.bounds)
        return k + 1 if n == LEVELS else (3 if n == 1 else 1 + round(k * (LEVELS - 1) / (n - 1)))

    @property
    def legend(self):
        """(colour class, label) of each class, fewest first: "1 case", "2–3 cases", "4–10 cases"."""
        rows, low = [], 1
        for bound in self.bounds:
            if bound == low:
                label = cases_label(bound)
            else:
                label = _("%(low)s–%(high)s cases") % {"low": low, "high": bound}
            rows.append((self.level(bound), label))
            low = bound + 1
        return rows
