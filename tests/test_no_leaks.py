"""Nothing unreviewed leaks: every public channel × every state a page or a term can be hidden in.

Each channel is fetched before and after a case and a guide are put into a hidden state. The
hidden text (one distinctive word, in titles, summaries and slugs) must appear nowhere, and the
response must be unchanged — so counts, facets and related links cannot move either. Adding a
channel or a state is one line in CHANNELS or STATES. Each state checks every channel as a subtest.
The world every state starts from, and what each channel shows of it, are built once for the file;
each test rolls back what it changed.

Taxonomy terms, country profiles and the election calendar are reviewed like pages
(portal/reviewed.py): their states (a draft rename of a live term, a term never published but
linked from a published case, a term in review, a draft profile, a new or changed election not yet
published) go through the same matrix, edited through Wagtail's snippet admin where a contributor
would edit them.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from cases.models import Actor, CaseRelatedGuide, CaseStudyPage, Channel, Country, DisarmTechnique, Tactic
from elections.models import Election
from guides.models import Audience, GuidePage, Topic
from portal.moderation import ensure_moderation
from portal.site_tree import ensure_translated_tree
from tests.factories import body_using, make_case, make_guide, upload_document, upload_image
from tests.shared_data import shared_fixture
from tests.snippets import add_snippet, edit_snippet, rich_text

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
    actor: Actor  # a live actor the hidden cases name (its type is a catalogue filter)
    election: Election = None  # a live election in Kenya, on the watch, the home page and the hub
    terms: list = None  # (tactic, actor, channel, audience) of the anchor pages, once link_live_terms has run
    private_urls: list = field(default_factory=list)  # uploads' URLs, which must answer 404 to the public


# (name, url builder). The builders get the World; most ignore it.
CHANNELS = [
    ("home page and its counters", lambda w: "/"),
    ("catalogue and its facet counts", lambda w: "/cases/"),
    ("catalogue filtered to the hidden pages' country", lambda w: "/cases/?country=NZ"),
    ("catalogue filtered by tactic", lambda w: f"/cases/?tactic={w.tactic.slug}"),
    ("catalogue filtered to the hidden actors' country", lambda w: "/cases/?actor_country=NZ"),
    ("catalogue filtered by a never-published tactic", lambda w: f"/cases/?tactic={SECRET.lower()}-tactic"),
    ("catalogue filtered by actor type", lambda w: "/cases/?actor_type=state-media"),
    ("guides list", lambda w: "/guides/"),
    ("guides list filtered by a never-published topic", lambda w: f"/guides/?topic={SECRET.lower()}-topic"),
    ("country index and its counts", lambda w: "/countries/"),
    ("country hub with published cases", lambda w: "/countries/kenya/"),
    ("country hub with only hidden cases (about it and by its actors)", lambda w: "/countries/new-zealand/"),
    ("country briefing PDF", lambda w: "/countries/kenya/briefing.pdf"),
    ("country briefing PDF with only hidden cases", lambda w: "/countries/new-zealand/briefing.pdf"),
    ("search for the hidden word", lambda w: f"/search/?q={SECRET}"),
    ("search for the shared country", lambda w: "/search/?q=Kenya"),
    ("autocomplete", lambda w: f"/search/autocomplete/?q={SECRET[:6]}"),
    ("CSV export", lambda w: "/cases/export.csv"),
    ("JSON export", lambda w: "/cases/export.json"),
    ("JSON export filtered to the hidden pages' country", lambda w: "/cases/export.json?country=NZ"),
    ("JSON export filtered to the hidden actors' country", lambda w: "/cases/export.json?actor_country=NZ"),
    ("JSON export filtered by tactic", lambda w: f"/cases/export.json?tactic={w.tactic.slug}"),
    ("Atom feed", lambda w: "/cases/feed.atom"),
    ("Atom feed filtered by tactic", lambda w: f"/cases/feed.atom?tactic={w.tactic.slug}"),
    ("sitemap", lambda w: "/sitemap.xml"),
    ("STIX bundle", lambda w: "/cases/export.stix.json"),
    ("DISARM Navigator layer", lambda w: "/cases/export.navigator.json"),
    ("API cases", lambda w: "/api/v1/cases/"),
    ("API tactics", lambda w: "/api/v1/tactics/"),
    ("API countries", lambda w: "/api/v1/countries/"),
    ("API country profile", lambda w: "/api/v1/countries/kenya/"),
    ("API guides", lambda w: "/api/v1/guides/"),
    ("related cases on a guide page", lambda w: w.anchor_guide.url),
    ("related guides on a case page", lambda w: w.anchor_case.url),
    ("French home page", lambda w: "/fr/"),
    ("French catalogue", lambda w: "/fr/cases/"),
    ("a case under /fr/ (its translation, or English)", lambda w: "/fr/cases/anchor-case/"),
    ("a guide under /es/ (its translation, or English)", lambda w: "/es/guides/anchor-guide/"),
    ("election watch", lambda w: "/elections/"),
]


def hidden_case(world, **fields):
    fields.setdefault("title", f"{SECRET} operation")
    fields.setdefault("slug", f"{SECRET.lower()}-case")
    fields.setdefault("summary", f"The {SECRET} operation, not yet reviewed.")
    case = make_case(
        countries=("KE", "NZ"), tactics=(world.tactic.slug,), actors=[world.actor], owner=world.editor, **fields
    )
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


# -- reviewed snippets: terms and country profiles ---------------------------------------------------


def admin(world):
    client = Client()
    client.force_login(world.editor)
    return client


def republish(world, page, **links):
    page = type(page).objects.get(pk=page.pk)
    for relation, terms in links.items():
        setattr(page, relation, [*getattr(page, relation).all(), *terms])
    page.save_revision(user=world.editor).publish(user=world.editor)


def link_live_terms(world):
    """The anchor case also names a live actor and channel, the anchor guide an audience (the baseline shows them)."""
    actor = Actor.objects.create(name="Anchor actor", actor_type="unknown", country=Country.objects.get(code="KE"))
    channel = Channel.objects.order_by("slug").first()
    republish(world, world.anchor_case, actors=[actor], channels=[channel])
    audience = Audience.objects.order_by("slug").first()
    republish(world, world.anchor_guide, audiences=[audience])
    world.terms = [Tactic.objects.get(pk=world.tactic.pk), actor, channel, audience]


def draft_renames_of_live_terms(world):
    """A contributor renames the case's tactic (and remaps its DISARM techniques), actor and channel: drafts."""
    tactic, actor, channel, audience = world.terms
    other = [str(t.pk) for t in DisarmTechnique.objects.exclude(tactics=tactic)[:2]]
    client = admin(world)
    assert edit_snippet(client, tactic, name=f"{SECRET} tactic", disarm_techniques=other).status_code == 302
    response = edit_snippet(client, actor, name=f"{SECRET} actor", actor_type="state-media")
    assert response.status_code == 302
    for term in (channel, audience):
        term.name = f"{SECRET} {term._meta.model_name}"
        term.save_revision(user=world.editor)


def new_terms_linked_from_a_published_case(world):
    """A never-published tactic and actor, linked from a case that a reviewer then publishes."""
    client = admin(world)
    assert add_snippet(client, Tactic, name=f"{SECRET} tactic", slug=f"{SECRET.lower()}-tactic").status_code == 302
    tactic = Tactic.objects.get(slug=f"{SECRET.lower()}-tactic")
    actor = Actor(name=f"{SECRET} actor", actor_type="state-media", live=False)
    actor.save()
    actor.save_revision(user=world.editor)
    assert not tactic.live and not actor.live
    republish(world, world.anchor_case, tactics=[tactic], actors=[actor])
    topic = Topic(name=f"{SECRET} topic", slug=f"{SECRET.lower()}-topic", live=False)
    topic.save()
    republish(world, world.anchor_guide, topics=[topic])


def terms_in_review(world):
    """A new tactic and a live actor's rename, both submitted to the Commission review."""
    client = admin(world)
    response = add_snippet(
        client, Tactic, name=f"{SECRET} tactic", slug=f"{SECRET.lower()}-tactic", **{"action-submit": "submit"}
    )
    assert response.status_code == 302
    _tactic, actor, _channel, _audience = world.terms
    response = edit_snippet(client, actor, name=f"{SECRET} actor", actor_type="state-media", **{"action-submit": "1"})
    assert response.status_code == 302
    for term in (Tactic.objects.get(slug=f"{SECRET.lower()}-tactic"), Actor.objects.get(pk=actor.pk)):
        assert term.workflow_in_progress


def translation_trees(world):
    """The French and Spanish trees, with the workflow on their catalogue and guide list."""
    ensure_translated_tree()
    ensure_moderation()


def translations_in_review(world):
    """French and Spanish translations of the live anchor pages, written and submitted, not approved."""
    for page in (world.anchor_case, world.anchor_guide):
        for code in ("fr", "es"):
            translation = page.copy_for_translation(Locale.objects.get(language_code=code)).specific
            translation.title = f"{SECRET} ({code})"
            translation.summary = f"{SECRET} traduit, pas encore relu."
            translation.save_revision(user=world.editor)
            submit(world, translation)
            assert not type(translation).objects.get(pk=translation.pk).live


def uploads(world):
    """A document and an image, with their public URLs (a rendition's, the original's) to check."""
    document, image = upload_document(f"{SECRET} memo"), upload_image(f"{SECRET} photo")
    world.private_urls += [document.url, image.get_rendition("width-800").url, image.file.url]
    return document, image


def uploads_used_by_drafts(world):
    """Uploads a new draft case uses, and that a live case's revision in moderation adds."""
    document, image = uploads(world)
    hidden_case(world, publish=False, body=body_using(document, image))
    case = CaseStudyPage.objects.get(pk=world.anchor_case.pk)
    case.body = body_using(document, image)
    case.save_revision(user=world.editor)
    submit(world, case)


def uploads_nobody_used(world):
    uploads(world)


def draft_country_profile(world):
    kenya = Country.objects.get(code="KE")
    response = edit_snippet(admin(world), kenya, profile=rich_text(f"{SECRET} is the new profile of Kenya."))
    assert response.status_code == 302


def election_fields(country, **changes):
    """What the election admin form posts for a new election in `country`, two months from now."""
    day = timezone.localdate() + datetime.timedelta(days=60)
    return {
        "country": str(country.pk),
        "date": day.isoformat(),
        "date_precision": "day",
        "election_type": "general",
        "source_title": f"{SECRET} gazette",
        "source_publisher": f"{SECRET} commission",
        "source_url": f"https://example.org/{SECRET.lower()}",
        "source_accessed": timezone.localdate().isoformat(),
        **changes,
    }


def unreviewed_elections(world):
    """A new election saved as a draft, another submitted to review, and a draft change to a live one."""
    client = admin(world)
    new_zealand = Country.objects.get(code="NZ")
    assert add_snippet(client, Election, **election_fields(new_zealand)).status_code == 302
    response = add_snippet(
        client, Election, **election_fields(new_zealand, election_type="referendum"), **{"action-submit": "submit"}
    )
    assert response.status_code == 302
    assert any(election.workflow_in_progress for election in Election.objects.filter(live=False))
    response = edit_snippet(client, world.election, source_publisher=f"{SECRET} commission", election_type="local")
    assert response.status_code == 302
    assert not Election.objects.filter(live=True).exclude(pk=world.election.pk).exists()


# (name, set-up before the baseline is taken, what hides the pages). The baseline is the public
# site after the first step; after the second, nothing a visitor can see may differ.
STATES = [
    ("new draft", nothing, new_drafts),
    ("new page in moderation", nothing, new_pages_submitted_for_review),
    ("live page with a newer revision in moderation", publish_live_versions, submit_new_revisions),
    ("unpublished page", nothing, unpublished_pages),
    ("approved page scheduled to go live later", nothing, approved_but_scheduled),
    ("privacy-restricted page", nothing, privacy_restricted),
    ("draft rename of a live tactic, actor and channel", link_live_terms, draft_renames_of_live_terms),
    ("never-published terms linked from a published case", nothing, new_terms_linked_from_a_published_case),
    ("terms in review", link_live_terms, terms_in_review),
    ("draft country profile", nothing, draft_country_profile),
    ("new elections in draft and in review, a draft change to a live one", nothing, unreviewed_elections),
    ("unreleased uploads used only by drafts", nothing, uploads_used_by_drafts),
    ("unreleased uploads nobody used", nothing, uploads_nobody_used),
    ("French and Spanish translations in review", translation_trees, translations_in_review),
]


def build_world():
    """The anchor pages, their editor, actor and election, and what every channel shows of them.

    Built once for the file's tests (tests/shared_data.py), each test in a savepoint inside it: most
    states hide pages in this very world, so they share its baseline instead of fetching every
    channel again first.
    """
    ensure_moderation()
    tactic = Tactic.objects.order_by("slug").first()
    anchor_case = make_case(title="Anchor case", slug="anchor-case", countries=("KE",), tactics=(tactic.slug,))
    anchor_guide = make_guide(title="Anchor guide", slug="anchor-guide", threats=(tactic.slug,))
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    actor = Actor.objects.create(
        name="Hidden cases' actor", actor_type="state-media", country=Country.objects.get(code="NZ")
    )
    election = Election.objects.create(
        country=Country.objects.get(code="KE"),
        date=timezone.localdate() + datetime.timedelta(days=90),
        election_type="general",
        source_title="Anchor election calendar",
        source_publisher="Anchor commission",
        source_url="https://example.org/anchor-election",
        source_accessed=timezone.localdate(),
    )
    rows = {"case": anchor_case, "guide": anchor_guide, "editor": editor, "tactic": tactic, "actor": actor}
    rows = {name: obj.pk for name, obj in rows.items()} | {"election": election.pk}
    return rows, public_site(Client(), read_world(rows))


def read_world(rows):
    """The world's rows, read afresh: a change one test makes to them never reaches the next."""
    return World(
        anchor_case=CaseStudyPage.objects.get(pk=rows["case"]),
        anchor_guide=GuidePage.objects.get(pk=rows["guide"]),
        editor=get_user_model().objects.get(pk=rows["editor"]),
        tactic=Tactic.objects.get(pk=rows["tactic"]),
        hidden=[],
        actor=Actor.objects.get(pk=rows["actor"]),
        election=Election.objects.get(pk=rows["election"]),
    )


world_rows = shared_fixture("world_rows", build_world)


@pytest.fixture
def world(world_rows, media_on_disk):
    return read_world(world_rows[0])


# Parts of a response that change by themselves: CSRF tokens and timestamps with a time of day.
VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1…"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"), "<time>"),
]


def pdf_text(body):
    """A PDF's text as pypdf extracts it (its streams are compressed: the bytes would hide a word)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)


def fetch(client, url):
    cache.clear()  # a cached page would hide a leak as well as it hides the change
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == "application/pdf":
        text = pdf_text(body)
    else:
        text = body.decode(response.charset or "utf-8", errors="replace")
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return response.status_code, text


def public_site(client, world):
    """{channel: (url, status, text)} of every channel, as a visitor sees it now."""
    site = {}
    for name, url_of in CHANNELS:
        url = url_of(world)
        site[name] = (url, *fetch(client, url))
    return site


@pytest.mark.parametrize("state", STATES, ids=[name for name, *_ in STATES])
def test_nothing_unreviewed_appears_in_any_public_channel(client, world, world_rows, state, subtests):
    """One world per state; every channel is its own subtest, reported on its own when it fails.

    The baseline is the shared world's, unless the state changes the world first.
    """
    _, prepare, hide = state
    if prepare is nothing:
        before = world_rows[1]
    else:
        prepare(world)
        before = public_site(client, world)

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
    for url in world.private_urls:
        with subtests.test(channel="the upload itself", url=url):
            assert fetch(client, url)[0] == 404


def test_every_channel_shows_a_published_page(client, world, world_rows, subtests):
    """The control: each channel does change when a case and a guide are published, so the test above can fail."""
    before = {name: (status, text) for name, (_url, status, text) in world_rows[1].items()}
    document, image = uploads(world)
    hidden_case(world, body=body_using(document, image))
    hidden_guide(world)
    for url in world.private_urls[:2]:  # a published page makes its document and renditions public
        with subtests.test(channel="the upload itself", url=url):
            assert fetch(client, url)[0] == 200
    for channel_name, url_of in CHANNELS:
        with subtests.test(channel=channel_name):
            status, after = fetch(client, url_of(world))
            assert before[channel_name][0] == status == 200
            assert after != before[channel_name][1], "did not change when a case and a guide were published"
