"""A small, known catalogue for the filter, facet, export and hub tests, and helpers to read them.

Seven published cases whose countries, years, tactics, actors, origins, attributions, channels
and targets differ in ways the filters must tell apart, plus three Kenyan troll-farm cases the
public must never see (a draft, a privacy-restricted case and an unpublished one).
"""

import datetime
import html
import re

from wagtail.models import PageViewRestriction

from cases.models import Actor, Channel, Country, Target
from tests.factories import make_case

D = datetime.date

VISIBLE = [
    dict(
        title="Kenya 2017: troll farm on Facebook",
        countries=("KE",),
        tactics=("troll-farm", "bot-amplification"),
        first_seen=D(2017, 6, 1),
        first_seen_precision="month",
        last_seen=D(2017, 8, 1),
        last_seen_precision="month",
        origin="domestic",
        attribution_status="independent",
        channels=("facebook", "x-twitter"),
        targets=("voters",),
        actors=(("Cambridge Analytica", "commercial-firm", "GB"),),
    ),
    dict(
        title="Kenya 2022: leaked commission emails",
        countries=("KE",),
        tactics=("hack-and-leak",),
        first_seen=D(2022, 5, 10),
        first_seen_precision="day",
        last_seen=None,
        origin="foreign",
        attribution_status="alleged",
        channels=("email",),
        targets=("election-administration",),
        actors=(("Unnamed hackers", "unknown"),),
    ),
    dict(
        title="Nigeria 2019: bot networks",
        countries=("NG",),
        tactics=("bot-amplification", "fake-accounts"),
        first_seen=D(2018, 11, 1),
        first_seen_precision="month",
        last_seen=D(2019, 3, 1),
        last_seen_precision="month",
        origin="domestic",
        attribution_status="platform",
        channels=("facebook",),
        targets=("voters",),
        actors=(("Archimedes Group", "commercial-firm", "IL"),),
    ),
    dict(
        title="Philippines: paid trolls across three elections",
        countries=("PH",),
        tactics=("troll-farm", "paid-influencers"),
        first_seen=D(2016, 1, 1),
        first_seen_precision="year",
        last_seen=D(2022, 1, 1),
        last_seen_precision="year",
        origin="domestic",
        attribution_status="independent",
        channels=("facebook", "tiktok"),
        targets=("voters", "journalists-and-media"),
        actors=(("A campaign war room", "political-party-or-campaign", "PH"),),
    ),
    dict(
        title="United States 2016: Internet Research Agency",
        countries=("US",),
        tactics=("troll-farm", "fake-accounts"),
        first_seen=D(2014, 1, 1),
        first_seen_precision="year",
        last_seen=D(2017, 1, 1),
        last_seen_precision="month",
        origin="foreign",
        attribution_status="judicial",
        channels=("facebook", "instagram", "x-twitter"),
        targets=("voters",),
        actors=(("Internet Research Agency", "commercial-firm", "RU"), ("GRU", "state-intelligence", "RU")),
    ),
    dict(
        title="Taiwan 2024: deepfake of a candidate",
        countries=("TW",),
        tactics=("deepfake",),
        first_seen=D(2023, 12, 1),
        first_seen_precision="month",
        last_seen=D(2024, 1, 13),
        last_seen_precision="day",
        origin="foreign",
        attribution_status="official",
        channels=("youtube",),
        targets=("candidates",),
        actors=(("Ministry of State Security", "state-intelligence", "CN"),),
    ),
    dict(
        title="Doppelganger: cloned news sites in Germany and France",
        countries=("DE", "FR"),
        tactics=("media-impersonation", "fake-news-sites"),
        first_seen=D(2022, 8, 1),
        first_seen_precision="month",
        last_seen=D(2024, 6, 1),
        last_seen_precision="month",
        origin="mixed",
        attribution_status="official",
        channels=("websites", "x-twitter"),
        targets=("voters",),
        actors=(("Social Design Agency", "commercial-firm", "RU"),),
    ),
]
HIDDEN_TITLES = ["Draft Kenyan troll farm", "Private Kenyan troll farm", "Withdrawn Kenyan troll farm"]
ALL_VISIBLE = {case["title"] for case in VISIBLE}


def build_case(spec=None, **overrides):
    """make_case plus the relations it does not set: channels, targets and actors by slug or name.

    An actor is (name, actor type) or (name, actor type, alpha-2 code of the country it is based in).
    """
    spec = {**(spec or {}), **overrides}
    if "first_seen" in spec:
        spec.setdefault("last_seen", None)  # not the factory's default, which may come before it
    channels = spec.pop("channels", ())
    targets = spec.pop("targets", ())
    actors = spec.pop("actors", ())
    spec["channels"] = list(Channel.objects.filter(slug__in=channels))
    spec["targets"] = list(Target.objects.filter(slug__in=targets))
    spec["actors"] = [
        Actor.objects.get_or_create(
            name=name, defaults={"actor_type": kind, "country": Country.objects.get(code=based[0]) if based else None}
        )[0]
        for name, kind, *based in actors
    ]
    return make_case(**spec)


RESULT_TITLE = re.compile(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>')


def listed_titles(response):
    """The case titles a reader sees in the catalogue results, in order."""
    return [html.unescape(title) for title in RESULT_TITLE.findall(response.content.decode())]


def build_catalogue():
    """{title: page} of the seven visible cases, with the three hidden ones also in the database."""
    pages = {spec["title"]: build_case(spec) for spec in VISIBLE}
    hidden = dict(
        countries=("KE",),
        tactics=("troll-farm",),
        first_seen=D(2017, 7, 1),
        channels=("facebook",),
        actors=(("Hidden Belarusian network", "unknown", "BY"),),
    )
    build_case(hidden, title=HIDDEN_TITLES[0], publish=False)
    private = build_case(hidden, title=HIDDEN_TITLES[1])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    build_case(hidden, title=HIDDEN_TITLES[2]).unpublish()
    return pages


def streamed(response):
    """The body of a streaming or ordinary response, as text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8")


def grow(count, sources=1):
    """Cases with every kind of relation, so that a per-row query would show in query counts."""
    for n in range(count):
        build_case(
            title=f"Generated case {n}",
            countries=("KE", "UG"),
            tactics=("troll-farm", "deepfake"),
            channels=("facebook",),
            targets=("voters",),
            actors=((f"Actor {n}", "commercial-firm"),),
            sources=sources,
        )
