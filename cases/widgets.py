"""Admin form widgets for the case's long many-to-many lists (countries, techniques, actors…).

A bare <select multiple> of 249 countries needs Ctrl-click, and one plain click silently drops
every earlier choice. These are checkbox lists instead: each choice is one tick, nothing is lost
by a stray click, and they work without JavaScript. A small static script (no inline code, so
the strict CSP holds) adds a "type to filter" box above each list. DISARM techniques come
grouped under their DISARM tactic, as the framework presents them.
"""

from functools import cache

from django import forms

from .vocabularies import read_taxonomy


class FilterableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling box, with a filter box added by static/js/admin/checkbox-filter.js."""

    template_name = "cases/widgets/filterable_checkboxes.html"

    class Media:
        js = ["js/admin/checkbox-filter.js"]
        css = {"all": ["css/admin-checkboxes.css"]}

    def __init__(self, attrs=None, choices=(), noun="choice"):
        super().__init__(attrs, choices)
        self.noun = noun

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["noun"] = self.noun
        context["widget"]["selected_count"] = len(context["widget"]["value"] or ())
        return context


@cache
def disarm_tactic_names():
    """{'TA06': 'TA06 Develop Content', …} from the taxonomy file the techniques were loaded from."""
    tactics = read_taxonomy()["disarm"]["tactics"]
    return {tactic["id"]: f"{tactic['id']} {tactic['name']}" for tactic in tactics}


class TechniqueCheckboxes(FilterableCheckboxes):
    """DISARM techniques as checkboxes, one group per DISARM tactic (in the framework's tactic order)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices, noun="technique")

    def optgroups(self, name, value, attrs=None):
        flat = super().optgroups(name, value, attrs)
        names = disarm_tactic_names()
        grouped = {}
        for _group, options, _index in flat:
            for option in options:
                instance = getattr(option["value"], "instance", None)
                tactic = getattr(instance, "disarm_tactic", "") or ""
                grouped.setdefault(tactic, []).append(option)
        order = list(names)
        keys = sorted(grouped, key=lambda key: (order.index(key) if key in order else len(order), key))
        return [(names.get(key, key or "Other techniques"), grouped[key], index) for index, key in enumerate(keys)]
