"""Nothing unreviewed leaks: every public channel × every state a page can be hidden in.

Each channel is fetched before and after a case and a guide are put into a hidden state. The
hidden text (one distinctive word, in titles, summaries and slugs) must appear nowhere, and the
response must be unchanged — so counts, facets and related links cannot move either. Adding a
channel or a state is one line in CHANNELS or STATES. Each state builds its world once and checks
every channel as a subtest, which keeps the whole matrix fast on PostgreSQL.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cases.models import Actor, CaseRelatedGuide, CaseStudyPage, Country, Tactic
from guides.models import GuidePage
from portal.moderation import ensure_moderation
from tests.factories import make_case, make_guide

pytestmark = pytest.mark.django_db

SECRET = "Quokkafell"  # appears in no real text; any sighting in a public response is a leak


@dataclass
class World:
    """The published pages every channel shows, and the hidden pages the state adds."""

    anchor_case: CaseStudyPage
    anchor_guide: GuidePage
    editor: object
    tactic: Tactic
    hidden: list


# (name, url builder). The builders get the World; most ignore it.
CHANNELS = [
    ("home page and its counters", lambda w: "/"),
    ("catalogue and its facet counts", lambda w: "/cases/"),
    ("catalogue filtered to the hidden pages' country", lambda w: "/cases/?country=NZ"),
    ("catalogue filtered by tactic", lambda w: f"/cases/?tactic={w.tactic.slug}"),
    ("catalogue filtered to the hidden actors' country", lambda w: "/cases/?actor_country=NZ"),
    ("guides list", lambda w: "/guides/"),
    ("country index and its counts", lambda w: "/countries/"),
    ("country hub with published cases", lambda w: "/countries/kenya/"),
    ("country hub with only hidden cases (about it and by its actors)", lambda w: "/countries/new-zealand/"),
    ("search for the hidden word", lambda w: f"/search/?q={SECRET}"),
    ("search for the shared country", lambda w: "/search/?q=Kenya"),
    ("autocomplete", lambda w: f"/search/autocomplete/?q={SECRET[:6]}"),
    ("CSV export", lambda w: "/cases/export.csv"),
    ("JSON export", lambda w: "/cases/export.json"),
    ("JSON export filtered to the hidden pages' country", lambda w: "/cases/export.json?country=NZ"),
    ("JSON export filtered to the hidden actors' country", lambda w: "/cases/export.json?actor_country=NZ"),
    ("Atom feed", lambda w: "/cases/feed.atom"),
    ("Atom feed filtered by tactic", lambda w: f"/cases/feed.atom?tactic={w.tactic.slug}"),
    ("sitemap", lambda w: "/sitemap.xml"),
    ("related cases on a guide page", lambda w: w.anchor_guide.url),
    ("related guides on a case page", lambda w: w.anchor_case.url),
]


def hidden_case(world, **fields):
    fields.setdefault("title", f"{SECRET} operation")
    fields.setdefault("slug", f"{SECRET.lower()}-case")
    fields.setdefault("summary", f"The {SECRET} operation, not yet reviewed.")
    new_zealand = Country.objects.get(code="NZ")
    fields.setdefault("actors", [Actor.objects.get_or_create(name="A network", defaults={"country": new_zealand})[0]])
    case = make_case(countries=("KE", "NZ"), tactics=(world.tactic.slug,), owner=world.editor, **fields)
    CaseRelatedGuide.objects.create(page=case, guide=world.anchor_guide)  # links to a published guide
    world.hidden.append(case)
    return case


def hidden_guide(world, **fields):
    fields.setdefault("title", f"{SECRET} guide")
    fields.setdefault("slug", f"{SECRET.lower()}-guide")
    fields.setdefault("summary", f"Guidance on {SECRET}, not yet reviewed.")
    guide = make_guide(threats=(world.tactic.slug,), related_cases=[world.anchor_case], owner=world.editor, **fields)
    world.hidden.append(guide)
    return guide


def submit(world, page):
    page.get_workflow().start(page, world.editor)


def approve_all(world, page):
    while page.workflow_in_progress:
        page.current_workflow_task_state.approve(user=world.editor)
        page.refresh_from_db()


def nothing(world):
    pass


def new_drafts(world):
    hidden_case(world, publish=False)
    hidden_guide(world, publish=False)


def new_pages_submitted_for_review(world):
    for page in (hidden_case(world, publish=False), hidden_guide(world, publish=False)):
        submit(world, page)


def publish_live_versions(world):
    hidden_case(world, title="Live case", slug="live-case", summary="The reviewed, live version.")
    hidden_guide(world, title="Live guide", slug="live-guide", summary="The reviewed, live version.")


def submit_new_revisions(world):
    """The live pages get new text (and a new country) in a revision that is in moderation."""
    new_zealand = Country.objects.get(code="NZ")
    for page in world.hidden:
        page = page.specific_class.objects.get(pk=page.pk)
        page.title = f"{SECRET} revised"
        page.summary = f"{SECRET}: new text awaiting review."
        if isinstance(page, CaseStudyPage):
            page.countries = [*page.countries.all(), new_zealand]
        page.save_revision(user=world.editor)
        submit(world, page)


def unpublished_pages(world):
    for page in (hidden_case(world), hidden_guide(world)):
        page.unpublish(user=world.editor)


def approved_but_scheduled(world):
    go_live_at = timezone.now() + datetime.timedelta(days=3)
    for page in (hidden_case(world, publish=False), hidden_guide(world, publish=False)):
        page.go_live_at = go_live_at
        page.save_revision(user=world.editor)
        submit(world, page)
        approve_all(world, page)
        page.refresh_from_db()
        assert not page.live and page.scheduled_revision  # approved, waiting for its time


def privacy_restricted(world):
    for page in (hidden_case(world), hidden_guide(world)):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")


# (name, set-up before the baseline is taken, what hides the pages). The baseline is the public
# site after the first step; after the second, nothing a visitor can see may differ.
STATES = [
    ("new draft", nothing, new_drafts),
    ("new page in moderation", nothing, new_pages_submitted_for_review),
    ("live page with a newer revision in moderation", publish_live_versions, submit_new_revisions),
    ("unpublished page", nothing, unpublished_pages),
    ("approved page scheduled to go live later", nothing, approved_but_scheduled),
    ("privacy-restricted page", nothing, privacy_restricted),
]


@pytest.fixture
def world(site_tree):
    ensure_moderation()
    tactic = Tactic.objects.order_by("slug").first()
    anchor_case = make_case(title="Anchor case", slug="anchor-case", countries=("KE",), tactics=(tactic.slug,))
    anchor_guide = make_guide(title="Anchor guide", slug="anchor-guide", threats=(tactic.slug,))
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    return World(anchor_case=anchor_case, anchor_guide=anchor_guide, editor=editor, tactic=tactic, hidden=[])


# Parts of a response that change by themselves: CSRF tokens and timestamps with a time of day.
VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1…"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"), "<time>"),
]


def fetch(client, url):
    cache.clear()  # a cached page would hide a leak as well as it hides the change
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(response.charset or "utf-8", errors="replace")
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return response.status_code, text


@pytest.mark.parametrize("state", STATES, ids=[name for name, *_ in STATES])
def test_nothing_unreviewed_appears_in_any_public_channel(client, world, state, subtests):
    """One world per state; every channel is its own subtest, reported on its own when it fails."""
    _, prepare, hide = state
    prepare(world)
    before = {}
    for channel_name, url_of in CHANNELS:
        url = url_of(world)
        before[channel_name] = (url, *fetch(client, url))

    hide(world)

    for channel_name, (url, status_before, text_before) in before.items():
        with subtests.test(channel=channel_name, url=url):
            assert status_before == 200, f"{url} answered {status_before}"
            status, after = fetch(client, url)
            assert status == 200, f"{url} answered {status} once pages were hidden"
            # A search page repeats its query, so the hidden word may appear as often as it did before.
            secret = SECRET.lower()
            assert after.lower().count(secret) <= text_before.lower().count(secret), "shows hidden text"
            assert after == text_before, "changed when pages were hidden: counts or links leak"


def test_every_channel_shows_a_published_page(client, world, subtests):
    """The control: each channel does change when a case and a guide are published, so the test above can fail."""
    before = {name: fetch(client, url_of(world)) for name, url_of in CHANNELS}
    hidden_case(world)
    hidden_guide(world)
    for channel_name, url_of in CHANNELS:
        with subtests.test(channel=channel_name):
            status, after = fetch(client, url_of(world))
            assert before[channel_name][0] == status == 200
            assert after != before[channel_name][1], "did not change when a case and a guide were published"
