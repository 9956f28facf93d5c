"""The requests the benchmark makes, drawn with a seeded RNG from values that exist in the data."""

import random
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import get_resolver

from cases.choices import AttributionStatus, Origin
from cases.models import Actor, CaseStudyPage, Channel, Country, Tactic, Target

from . import text

CATALOGUE = "/cases/"
SORTS = ["newest", "oldest", "updated", "title"]


class Values:
    """Filter values present in the benchmark data."""

    def __init__(self):
        through = CaseStudyPage.countries.through
        counts = through.objects.values("country_id").annotate(n=Count("casestudypage_id")).order_by("-n", "country_id")
        by_id = Country.objects.in_bulk([row["country_id"] for row in counts])
        self.countries = [by_id[row["country_id"]] for row in counts]
        self.regions = sorted({c.region_slug for c in self.countries} | {c.sub_region_slug for c in self.countries})
        self.tactics = list(Tactic.objects.filter(cases__isnull=False).values_list("slug", flat=True).distinct())
        self.channels = list(Channel.objects.filter(cases__isnull=False).values_list("slug", flat=True).distinct())
        self.targets = list(Target.objects.filter(cases__isnull=False).values_list("slug", flat=True).distinct())
        self.actors = list(Actor.objects.filter(cases__isnull=False).values_list("name", flat=True).distinct())
        self.actor_types = sorted(set(Actor.objects.filter(cases__isnull=False).values_list("actor_type", flat=True)))
        self.sorts = _sort_choices()


def _sort_choices():
    """The catalogue's sort values, from its FilterSet once it has one."""
    try:
        from cases.filters import CaseFilterSet

        sort = CaseFilterSet.base_filters["sort"]
        choices = sort.extra.get("choices") or getattr(sort, "param_map", None) or []
        values = [value for value, _label in choices] if choices and isinstance(choices[0], tuple) else list(choices)
        return [value for value in values if value] or SORTS
    except Exception:  # the FilterSet is another part's work and may not exist yet
        return SORTS


def catalogue_urls(rng, values, count):
    """/cases/ with 1–3 random filters, sometimes a sort and a later page."""
    makers = {
        "country": lambda: [c.code for c in rng.sample(values.countries[:60], rng.choice([1, 1, 1, 2]))],
        "region": lambda: rng.choice(values.regions),
        "year": None,
        "tactic": lambda: rng.choice(values.tactics),
        "actor_type": lambda: rng.choice(values.actor_types),
        "origin": lambda: rng.choice([Origin.FOREIGN, Origin.DOMESTIC, Origin.MIXED]).value,
        "attribution": lambda: rng.choice(AttributionStatus.values),
        "channel": lambda: rng.choice(values.channels),
        "target": lambda: rng.choice(values.targets),
        "q": lambda: rng.choice(text.TOPIC_WORDS),
    }
    urls = []
    for _ in range(count):
        params = []
        for name in rng.sample(list(makers), rng.randint(1, 3)):
            if name == "year":
                start = rng.randint(2000, 2026)
                choice = rng.random()
                if choice < 0.4:
                    params.append(("year_from", start))
                elif choice < 0.6:
                    params.append(("year_to", start))
                else:
                    params += [("year_from", start), ("year_to", min(2026, start + rng.randint(0, 4)))]
                continue
            value = makers[name]()
            params += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
        if rng.random() < 0.3:
            params.append(("sort", rng.choice(values.sorts)))
        if rng.random() < 0.2:
            params.append(("page", rng.randint(2, 5)))
        urls.append(f"{CATALOGUE}?{urlencode(params)}")
    return urls


def hub_urls(rng, values, count):
    """The busiest country's hub, and random hubs of countries with cases."""
    busiest = f"/countries/{values.countries[0].slug}/"
    others = [f"/countries/{c.slug}/" for c in rng.choices(values.countries, k=count)]
    return busiest, others


def briefing_url(values):
    """The PDF briefing of the country with the most cases: the longest one to lay out."""
    return f"/countries/{values.countries[0].slug}/briefing.pdf"


def search_queries(rng, values):
    """A mix of what people type: words, pairs, phrases, names, countries, typos, nothing found."""
    actor = rng.choice(values.actors) if values.actors else "Internet Research Agency"
    country = values.countries[0].name
    return {
        "single_word": ["deepfake", "disinformation", "bots", "leaks", "phishing", "referendum"],
        "two_words": ["deepfake audio", "troll network", "spoofed websites", "voters intimidation"],
        "phrase": ['"election commission"', '"polling day"', '"fact checkers"'],
        "actor": [actor, "Internet Research Agency", "Operation Doppelganger"],
        "country": [country, rng.choice(values.countries).name, values.countries[0].code],
        "publisher": ["Bellingcat", "Stanford Internet Observatory"],
        "typo": ["disinfromation", "deepfak audio"],
        "no_hit": ["zzqxj", "quantum pineapple xylophone"],
    }


def search_urls(queries):
    return {kind: [f"/search/?{urlencode({'q': q})}" for q in qs] for kind, qs in queries.items()}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, getattr(pattern, "name", None) or ""


def autocomplete_url():
    """The public search box's JSON endpoint, wherever search mounted it (None if not yet)."""
    for route, name in _routes(get_resolver().url_patterns):
        if "admin" in route or "<" in route:
            continue
        if "autocomplete" in route or "autocomplete" in name or "suggest" in route:
            return "/" + route.lstrip("^").rstrip("$")
    return None


def autocomplete_prefixes():
    return ["dis", "deep", "ken", "inte", "troll", "bot", "ele", "ph", "oper", "uni"]


def seeded(seed):
    return random.Random(seed)
