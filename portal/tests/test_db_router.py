"""Which database each kind of query uses once a replica is configured (portal/db_router.py).

The test settings have no replica, so these tests install the router themselves; "replica" is
then an alias without a connection, and a query sent there would fail, which is what the tests
that run real queries rely on to prove a read stayed on the primary.
"""

import contextvars

import pytest
from django.db import router
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import Page

from cases.models import CaseStudyPage, Country
from portal import db_router, versioning
from portal.models import ContentVersion
from portal.tests import production_settings


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["portal.db_router.PrimaryReplicaRouter"]


def in_fresh_context(function):
    """Run as a new request or task would: nothing written yet, nothing pinned."""
    return contextvars.Context().run(function)


def test_a_visitors_reads_go_to_the_replica(replica_router):
    assert in_fresh_context(lambda: CaseStudyPage.objects.live().db) == "replica"
    assert in_fresh_context(lambda: Country.objects.all().db) == "replica"
    assert in_fresh_context(lambda: router.db_for_read(Page)) == "replica"


def test_writes_and_the_content_version_go_to_the_primary(replica_router):
    assert in_fresh_context(lambda: router.db_for_write(CaseStudyPage)) == "default"
    assert in_fresh_context(lambda: ContentVersion.objects.all().db) == "default"


@pytest.mark.django_db
def test_the_content_version_is_read_from_the_primary(replica_router):
    versioning.bump()
    # Sent to the replica alias, which has no connection here, this query would raise.
    assert in_fresh_context(versioning.current) == ContentVersion.objects.using("default").get().token


@pytest.mark.django_db
def test_the_catalogue_index_a_token_labels_is_built_from_the_primary(replica_router, settings, case_factory):
    from cases.live_index import LiveIndex

    case_factory(title="Built from the primary")
    settings.CATALOGUE_INDEX_BACKGROUND = False
    # Sent to the replica alias, which has no connection here, any read of the build would raise.
    index = in_fresh_context(LiveIndex().get)
    assert index.all.bit_count() == CaseStudyPage.objects.published().using("default").count() == 1


def test_reads_after_a_write_in_the_same_task_stay_on_the_primary(replica_router):
    def write_then_read():
        before = Country.objects.all().db
        router.db_for_write(Country)  # what save(), update() and delete() ask first
        return before, Country.objects.all().db, CaseStudyPage.objects.live().db

    assert in_fresh_context(write_then_read) == ("replica", "default", "default")
    assert in_fresh_context(lambda: Country.objects.all().db) == "replica"  # the next task starts afresh


def test_reads_inside_primary_go_to_the_primary_and_a_write_there_still_pins(replica_router):
    def block():
        with db_router.primary():
            inside = Country.objects.all().db
        after_read_only = Country.objects.all().db
        with db_router.primary():
            router.db_for_write(Country)
        return inside, after_read_only, Country.objects.all().db

    assert in_fresh_context(block) == ("default", "replica", "default")


def test_related_rows_of_an_object_from_the_primary_come_from_the_primary(replica_router):
    on_primary, on_replica = Country(code="ZZ"), Country(code="ZY")
    on_primary._state.db, on_replica._state.db = "default", "replica"
    assert in_fresh_context(lambda: router.db_for_read(CaseStudyPage, instance=on_primary)) == "default"
    assert in_fresh_context(lambda: router.db_for_read(CaseStudyPage, instance=on_replica)) == "replica"


def test_migrations_run_on_the_primary_only(replica_router):
    assert router.allow_migrate("default", "cases", model_name="casestudypage")
    assert not router.allow_migrate("replica", "cases", model_name="casestudypage")
    assert router.allow_relation(Country(code="ZZ"), Country(code="ZY"))


def seen_by_view(request):
    """A view that reports where it reads, then writes, then reads again."""
    first = router.db_for_read(CaseStudyPage)
    if request.GET.get("write"):
        router.db_for_write(CaseStudyPage)
    return HttpResponse(f"{first} {router.db_for_read(CaseStudyPage)}")


@pytest.mark.parametrize(
    "method, query, expected",
    [
        ("get", "", "replica replica"),
        ("head", "", "replica replica"),
        ("get", "?write=1", "replica default"),
        ("post", "", "default default"),
        ("put", "", "default default"),
        ("delete", "", "default default"),
    ],
)
def test_the_middleware_pins_unsafe_requests_and_reads_after_a_write(
    replica_router, monkeypatch, method, query, expected
):
    monkeypatch.setattr(db_router, "replica_behind", lambda: False)
    middleware = db_router.PinPrimaryMiddleware(seen_by_view)
    request = getattr(RequestFactory(), method)(f"/cases/{query}")

    def two_requests():
        first = middleware(request).content.decode()
        # The next request in the same worker starts afresh, whatever the last one did.
        return first, middleware(RequestFactory().get("/cases/")).content.decode()

    assert in_fresh_context(two_requests) == (expected, "replica replica")


def test_every_read_of_a_request_goes_to_the_primary_while_the_replica_is_behind(replica_router, monkeypatch):
    middleware = db_router.PinPrimaryMiddleware(seen_by_view)
    monkeypatch.setattr(db_router, "replica_behind", lambda: True)
    assert in_fresh_context(lambda: middleware(RequestFactory().get("/cases/")).content) == b"default default"
    monkeypatch.setattr(db_router, "replica_behind", lambda: False)
    assert in_fresh_context(lambda: middleware(RequestFactory().get("/cases/")).content) == b"replica replica"


@pytest.mark.django_db
def test_the_replica_is_behind_until_it_holds_the_primarys_content_version(monkeypatch):
    """Both aliases would name the one test database here: the replica's copy is a stand-in."""
    read = db_router.content_version
    replica = {"version": None}
    monkeypatch.setattr(
        db_router, "content_version", lambda alias: replica["version"] if alias == "replica" else read(alias)
    )
    versioning.bump()
    assert db_router.replica_behind()  # published on the primary, not yet replayed
    replica["version"] = read("default")
    assert not db_router.replica_behind()  # replayed
    versioning.bump()
    assert db_router.replica_behind()


def test_settings_add_the_replica_router_and_middleware_only_with_a_replica_url(monkeypatch):
    replica_url = "postgres://portal@10.0.0.2:5433/portal"
    with_replica = production_settings.load(
        monkeypatch, DATABASE_URL="postgres://portal@10.0.0.1:5432/portal", DATABASE_REPLICA_URL=replica_url
    )
    assert with_replica.DATABASES["replica"]["HOST"] == "10.0.0.2"
    assert with_replica.DATABASES["replica"]["PORT"] == 5433
    assert with_replica.DATABASES["default"]["HOST"] == "10.0.0.1"
    assert with_replica.DATABASE_ROUTERS == ["portal.db_router.PrimaryReplicaRouter"]
    assert with_replica.MIDDLEWARE[0] == "portal.db_router.PinPrimaryMiddleware"

    monkeypatch.delenv("DATABASE_REPLICA_URL")
    without = production_settings.load(monkeypatch, DATABASE_URL="postgres://portal@10.0.0.1:5432/portal")
    assert "replica" not in without.DATABASES
    assert not getattr(without, "DATABASE_ROUTERS", [])
    assert "portal.db_router.PinPrimaryMiddleware" not in without.MIDDLEWARE
