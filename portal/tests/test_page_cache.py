"""The page cache (portal/page_cache.py): fast for visitors, never stale, never an editor's or a draft's page."""

import gzip
import pickle

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction

from cases.models import Tactic

pytestmark = pytest.mark.django_db

SECRET = "Zebra-secret draft wording"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache on, as in production (conftest.empty_cache empties the cache around each test:
    a rolled-back test leaves the content version where it was)."""
    settings.PORTAL_PAGE_CACHE = {**settings.PORTAL_PAGE_CACHE, "SECONDS": 600, "MAX_AGE": 60, "S_MAXAGE": 300}


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


def stored_pages():
    """Every entry the in-memory cache holds, as the bytes it keeps, with gzipped pages unpacked."""
    kept = []
    for value in cache._cache.values():
        kept.append(value)
        entry = pickle.loads(value)  # noqa: S301 - the test's own in-memory cache
        if isinstance(entry, tuple) and len(entry) == 4 and ("Content-Encoding", "gzip") in entry[1]:
            kept.append(gzip.decompress(entry[2]))
    return b"".join(kept)


def visit(client, url, **headers):
    return client.get(url, headers=headers)


def test_a_repeated_anonymous_page_comes_from_the_cache_with_every_security_header(client, case_factory):
    case_factory(title="Ballot rumours in Kenya", countries=("KE",))
    first = visit(client, "/cases/")
    again = visit(client, "/cases/")
    assert first["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    assert "Ballot rumours in Kenya" in again.content.decode()
    assert again.content == first.content
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert again[name] == first[name], name
    assert again["X-Frame-Options"] == "DENY"
    control = again["Cache-Control"]
    assert "public" in control and "max-age=60" in control and "s-maxage=300" in control
    assert again["ETag"] == first["ETag"] and again["Last-Modified"]


def test_the_same_filters_in_another_order_share_one_entry(client, case_factory):
    case_factory(title="Ballot rumours in Kenya", countries=("KE",))
    assert visit(client, "/cases/?region=africa&sort=newest")["X-Page-Cache"] == "miss"
    again = visit(client, "/cases/?sort=newest&region=africa")
    assert again["X-Page-Cache"] == "hit" and "Ballot rumours in Kenya" in again.content.decode()
    # A different filter is a different page.
    other = visit(client, "/cases/?region=europe")
    assert other["X-Page-Cache"] == "miss" and "Ballot rumours in Kenya" not in other.content.decode()


def test_publishing_a_case_shows_it_at_once_on_every_cached_page(client, case_factory):
    case_factory(title="First case", countries=("KE",))
    urls = ["/", "/cases/", "/countries/kenya/", "/cases/?region=africa"]
    for url in urls:
        visit(client, url)
        assert visit(client, url)["X-Page-Cache"] == "hit", url
    case_factory(title="Freshly published case", countries=("KE",))
    for url in urls:
        response = visit(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Freshly published case" in response.content.decode(), url


def test_unpublishing_a_case_removes_it_at_once(client, case_factory):
    case = case_factory(title="Soon withdrawn case", countries=("KE",))
    for url in (case.url, "/cases/", "/countries/kenya/"):
        visit(client, url)
        assert "Soon withdrawn case" in visit(client, url).content.decode()
    case.unpublish()
    assert visit(client, case.url).status_code == 404
    for url in ("/cases/", "/countries/kenya/"):
        assert "Soon withdrawn case" not in visit(client, url).content.decode(), url


def test_a_published_tactic_rename_shows_at_once_and_a_draft_rename_never(client, case_factory):
    tactic = Tactic.objects.filter(live=True).order_by("slug").first()
    case = case_factory(title="Case with a tactic", tactics=(tactic.slug,))
    assert tactic.name in visit(client, case.url).content.decode()
    assert visit(client, case.url)["X-Page-Cache"] == "hit"
    tactic.name = SECRET
    tactic.save_revision()  # a draft: the public still sees the old name
    assert SECRET not in visit(client, case.url).content.decode()
    tactic.name = "Renamed tactic"
    tactic.save_revision().publish()
    response = visit(client, case.url)
    assert response["X-Page-Cache"] == "miss" and "Renamed tactic" in response.content.decode()


def test_an_editor_never_gets_a_cached_page_and_never_fills_the_cache(client, case_factory, editor):
    case = case_factory(title="Case an editor reads", countries=("KE",))
    visit(Client(), case.url)  # stored for visitors
    client.force_login(editor)
    for _ in range(2):
        response = visit(client, case.url)
        assert "X-Page-Cache" not in response and "public" not in response.get("Cache-Control", "")
        assert "Case an editor reads" in response.content.decode()
    visit(client, "/cases/?region=asia")
    assert visit(Client(), "/cases/?region=asia")["X-Page-Cache"] == "miss"


def test_a_draft_never_leaks_through_the_cache(client, case_factory, editor):
    case = case_factory(title="Live title", countries=("KE",))
    case.title = SECRET
    case.summary = f"{SECRET} summary."
    case.save_revision(user=editor)
    editor_client = Client()
    editor_client.force_login(editor)
    preview = editor_client.get(f"/admin/pages/{case.pk}/view_draft/")
    assert preview.status_code == 200 and SECRET in preview.content.decode()
    assert SECRET in editor_client.get(f"/admin/pages/{case.pk}/edit/").content.decode()
    for url in (case.url, "/cases/", "/", f"/search/?q={case.slug}"):
        for _ in range(2):
            assert SECRET not in visit(client, url).content.decode(), url
    assert stored_pages(), "visitors' pages were not stored"
    assert SECRET.encode() not in stored_pages()


def test_a_restricted_page_is_never_stored(client, case_factory):
    case = case_factory(title="Restricted case")
    PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for _ in range(2):
        response = visit(client, case.url)
        assert "X-Page-Cache" not in response
        assert "Restricted case" not in response.content.decode() or "password" in response.content.decode().lower()
        assert "private" in response["Cache-Control"]


def test_a_visitor_with_a_session_bypasses_the_cache(client, case_factory, settings):
    case = case_factory(title="Some case")
    visit(client, case.url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert "X-Page-Cache" not in visit(client, case.url)


def test_posts_and_missing_pages(client, site_tree):
    assert "X-Page-Cache" not in client.post("/cases/")
    visit(client, "/no-such-page/")
    missing = visit(client, "/no-such-page/")
    assert missing.status_code == 404 and missing["X-Page-Cache"] == "hit"


def test_conditional_requests_get_304_until_something_is_published(client, case_factory):
    case_factory(title="A case")
    first = visit(client, "/cases/")
    etag, modified = first["ETag"], first["Last-Modified"]
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        unchanged = visit(client, "/cases/", **headers)
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged["ETag"] == etag
    # Another page has another tag.
    assert visit(client, "/cases/?region=asia", **{"If-None-Match": etag}).status_code == 200
    case_factory(title="A newer case")
    changed = visit(client, "/cases/", **{"If-None-Match": etag})
    assert changed.status_code == 200 and "A newer case" in changed.content.decode()
    assert changed["ETag"] != etag


def test_admin_and_api_are_not_page_cached(client, site_tree):
    for url in ("/admin/login/", "/api/v1/cases/"):
        visit(client, url)
        assert "X-Page-Cache" not in visit(client, url), url


def test_a_browser_gets_the_page_gzipped_from_the_cache(client, case_factory):
    case_factory(title="Ballot rumours in Kenya", countries=("KE",))
    plain = visit(client, "/cases/")
    assert "Content-Encoding" not in plain and plain["Vary"].count("Accept-Encoding") == 1
    for expected in ("hit", "hit"):  # stored beside the plain copy when the page was first made
        squeezed = visit(client, "/cases/", **{"Accept-Encoding": "gzip, deflate, br"})
        assert squeezed["X-Page-Cache"] == expected and squeezed["Content-Encoding"] == "gzip"
        assert gzip.decompress(squeezed.content) == plain.content
        assert int(squeezed["Content-Length"]) == len(squeezed.content) < len(plain.content) / 3
        assert "Accept-Encoding" in squeezed["Vary"]
        assert squeezed["Content-Security-Policy"] == plain["Content-Security-Policy"]
    # The two copies are different bytes, so they carry different tags, each answered with 304.
    assert squeezed["ETag"] != plain["ETag"]
    again = visit(client, "/cases/", **{"Accept-Encoding": "gzip", "If-None-Match": squeezed["ETag"]})
    assert again.status_code == 304 and again["Vary"] == squeezed["Vary"]


def test_the_first_gzip_visitor_gets_gzip_and_the_plain_copy_is_stored_too(client, case_factory):
    case_factory(title="Ballot rumours in Kenya", countries=("KE",))
    first = visit(client, "/cases/?region=africa", **{"Accept-Encoding": "gzip"})
    assert first["X-Page-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    assert "Ballot rumours in Kenya" in gzip.decompress(first.content).decode()
    plain = visit(client, "/cases/?region=africa")
    assert plain["X-Page-Cache"] == "hit" and "Content-Encoding" not in plain
    assert plain.content == gzip.decompress(first.content)


def test_a_publication_reaches_the_gzipped_copy_at_once(client, case_factory):
    case_factory(title="A case")
    before = visit(client, "/cases/", **{"Accept-Encoding": "gzip"})
    case_factory(title="A newer case")
    after = visit(client, "/cases/", **{"Accept-Encoding": "gzip"})
    assert after["X-Page-Cache"] == "miss" and after["ETag"] != before["ETag"]
    assert "A newer case" in gzip.decompress(after.content).decode()


def test_the_request_start_version_read_gives_what_the_orm_reads(site_tree):
    from portal import versioning
    from portal.models import ContentVersion

    versioning.bump()
    token, changed_at = versioning.read_at_request_start()
    assert (token, changed_at) == versioning.current_with_time()
    assert changed_at.tzinfo is not None
    ContentVersion.objects.all().delete()
    assert versioning.read_at_request_start() == (None, None)


def test_a_broken_kept_connection_is_replaced_and_the_version_read_again(site_tree, monkeypatch):
    """Outside a transaction the version read is the connection's health check: on a dead connection
    it closes it and reads once more, as Django's own check would have."""
    from django.db import OperationalError, connections

    from portal import versioning

    connection = connections["default"]  # the wrapper itself: monkeypatch restores its attributes
    versioning.bump()
    expected = versioning.current_with_time()
    real_cursor, calls, closed = connection.cursor, [], []

    def cursor():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_cursor()

    monkeypatch.setattr(connection, "in_atomic_block", False)
    monkeypatch.setattr(connection, "cursor", cursor)
    monkeypatch.setattr(connection, "close", lambda: closed.append(1))  # keep the test's own transaction
    assert versioning.read_at_request_start() == expected
    assert len(calls) == 2 and closed == [1]


def test_a_worker_serves_its_recent_pages_from_its_own_memory_and_never_a_stale_one(client, case_factory):
    case_factory(title="A case")
    visit(client, "/cases/")
    cache.clear()  # the shared cache forgets; this process still holds the page under the same version
    kept = visit(client, "/cases/")
    assert kept["X-Page-Cache"] == "hit" and "A case" in kept.content.decode()
    case_factory(title="A newer case")
    fresh = visit(client, "/cases/")
    assert fresh["X-Page-Cache"] == "miss" and "A newer case" in fresh.content.decode()


def test_the_local_copies_stay_within_their_size_least_recently_used_out_first():
    from portal.page_cache import LocalEntries

    def entry(size):
        return (200, [], b"x" * size, [])

    local = LocalEntries()
    local.put("a", entry(40), limit=100)
    local.put("b", entry(40), limit=100)
    assert local.get("a")  # "a" is now the most recently used
    local.put("c", entry(40), limit=100)
    assert local.get("b") is None and local.get("a") and local.get("c")
    local.put("huge", entry(101), limit=100)
    assert local.get("huge") is None and local.get("a")
