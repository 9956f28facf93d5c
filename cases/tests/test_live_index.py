"""The production path of the catalogue index (cases/live_index.py): after a change the previous
index keeps serving while a rebuild runs in the background, and never shows a withdrawn case.

The rebuild's thread is replaced by a list of pending work that each test runs when it wants the
rebuild to land, so that what visitors see in between is tested, not left to timing.
"""

import datetime

import pytest
from django.http import QueryDict
from wagtail.models import PageViewRestriction

from cases import live_index
from cases.filters import bind_case_filters
from cases.models import Tactic
from cases.tests.catalogue_data import build_case, listed_titles

pytestmark = pytest.mark.django_db

NEW = "Kenya 2027: new case"
KENYA = "Kenya 2017: troll farm on Facebook"
KENYA_2027 = datetime.date(2027, 1, 5)


class Pending:
    """Stands for the rebuild's thread: holds the work until the test runs it."""

    def __init__(self):
        self.work = []

    def start(self, work):
        self.work.append(work)
        return self

    def join(self, timeout=None):
        pass  # the visitor's short wait: the rebuild has not landed within it

    def land(self):
        assert len(self.work) == 1, "one rebuild per change, however many requests see it"
        self.work.pop()()


@pytest.fixture
def background(settings, monkeypatch, catalogue):
    """The production settings' background rebuild, with the thread under the test's control."""
    settings.CATALOGUE_INDEX_BACKGROUND = True
    pending = Pending()
    monkeypatch.setattr(live_index._live, "_start", pending.start)
    live_index.forget()
    yield pending
    live_index.forget()


def kenya(client):
    return client.get("/cases/?country=KE")


def facet_count(response, name, value):
    (option,) = [o for o in response.context["facets"][name].options if o.value == value]
    return option.count


def test_a_publication_shows_when_the_background_rebuild_lands(client, background):
    assert listed_titles(kenya(client)) == ["Kenya 2022: leaked commission emails", KENYA]
    build_case(title=NEW, countries=("KE",), tactics=("deepfake",), first_seen=KENYA_2027)
    for _ in range(2):  # the previous index serves meanwhile, and one rebuild only is started
        response = kenya(client)
        assert NEW not in listed_titles(response) and response.context["result_count"] == 2
    background.land()
    response = kenya(client)
    assert listed_titles(response)[0] == NEW and response.context["result_count"] == 3
    assert facet_count(response, "tactic", "deepfake") == 1


def test_an_unpublished_case_is_gone_before_the_rebuild_lands(client, background):
    case = build_case(title=NEW, countries=("KE",), tactics=("deepfake",), first_seen=KENYA_2027)
    response = kenya(client)
    assert NEW in listed_titles(response) and facet_count(response, "tactic", "deepfake") == 1

    case.unpublish()
    response = kenya(client)
    assert NEW not in listed_titles(response)
    assert response.context["result_count"] == 2
    assert facet_count(response, "tactic", "deepfake") == 0  # counts too, not only the rows
    assert facet_count(response, "country", "KE") == 2
    home = client.get("/").content.decode()
    assert NEW not in home
    api = client.get("/api/v1/cases/?country=KE").json()
    assert api["count"] == 2 and NEW not in str(api)
    assert len(background.work) == 1  # still the previous index, masked
    background.land()
    assert NEW not in listed_titles(kenya(client))


@pytest.mark.parametrize("withdraw", ["restrict", "delete"])
def test_a_case_made_private_or_deleted_is_gone_before_the_rebuild_lands(client, background, withdraw):
    case = build_case(title=NEW, countries=("KE",), first_seen=KENYA_2027)
    assert NEW in listed_titles(kenya(client))
    if withdraw == "restrict":
        PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.PASSWORD, password="x")
    else:
        case.delete()
    response = kenya(client)
    assert NEW not in listed_titles(response) and response.context["result_count"] == 2
    assert background.work  # served by the masked previous index


def test_an_unpublished_term_leaves_the_facets_before_the_rebuild_lands(client, background):
    assert "Troll farm" in client.get("/cases/").content.decode()
    Tactic.objects.get(slug="troll-farm").unpublish()
    response = client.get("/cases/")
    assert "troll-farm" not in [option.value for option in response.context["facets"]["tactic"].options]
    assert background.work


def test_the_masked_index_gives_the_sql_results(client, background):
    """Every filter on the masked index matches the FilterSet's SQL over what is published now."""
    case = build_case(title=NEW, countries=("KE",), tactics=("troll-farm",), first_seen=KENYA_2027)
    kenya(client)
    case.unpublish()
    index = live_index.catalogue_index()
    assert index.base is not index  # the masked copy, not a rebuild
    for query in ("country=KE", "tactic=troll-farm", "year_from=2020", "region=africa", "q=kenya", ""):
        filterset, _ = bind_case_filters(QueryDict(query))
        expected = list(filterset.qs.values_list("pk", flat=True))
        bits = index.matching(filterset.active)
        assert index.page_ids(bits, "newest", 0, 100) == expected, query


def test_a_failed_rebuild_keeps_the_previous_index_and_is_tried_again(client, background, monkeypatch):
    def broken():
        raise RuntimeError("database went away")

    kenya(client)
    build_case(title=NEW, countries=("KE",), first_seen=KENYA_2027)
    monkeypatch.setattr(live_index._live, "_build", broken)
    kenya(client)
    background.land()  # logs the failure
    assert NEW not in listed_titles(kenya(client))
    monkeypatch.setattr(live_index._live, "_build", live_index.build_index)
    background.land()
    assert NEW in listed_titles(kenya(client))


def test_the_test_settings_rebuild_on_the_request(client, catalogue):
    kenya(client)
    build_case(title=NEW, countries=("KE",), first_seen=KENYA_2027)
    assert NEW in listed_titles(kenya(client))


def test_a_prepared_index_has_read_the_texts_the_word_filter_scans(catalogue, monkeypatch):
    """So that the first visitor to filter by words after a rebuild does not pay for reading them."""
    index = live_index.prepared(live_index.build_index())
    monkeypatch.setattr(index, "load_texts", lambda ids: pytest.fail("the texts were read again"))
    assert index.text_bits("troll").bit_count() >= 1


def test_a_page_made_while_the_rebuild_runs_is_kept_by_no_cache(client, background, settings):
    """Made from the masked index, it lacks the new case: stored under the new version (or held by
    a CDN) it would stay so after the rebuild lands, until the next change."""
    settings.PORTAL_PAGE_CACHE = {**settings.PORTAL_PAGE_CACHE, "SECONDS": 600}
    assert kenya(client)["X-Page-Cache"] == "miss"
    build_case(title=NEW, countries=("KE",), tactics=("deepfake",), first_seen=KENYA_2027)
    for _ in range(2):
        response = kenya(client)
        assert NEW not in listed_titles(response)
        assert "private" in response["Cache-Control"] and "X-Page-Cache" not in response
    background.land()
    response = kenya(client)
    assert listed_titles(response)[0] == NEW and response["X-Page-Cache"] == "miss"
    assert "public" in response["Cache-Control"] and kenya(client)["X-Page-Cache"] == "hit"


def test_a_search_made_while_the_rebuild_runs_is_not_kept_for_the_version(client, background):
    def deepfakes():
        response = client.get("/search/", {"q": "kenya"})
        return {value: n for value, _label, n in response.context["search"].facets["tactic"]}.get("deepfake", 0)

    before = deepfakes()
    build_case(title=NEW, countries=("KE",), tactics=("deepfake",), first_seen=KENYA_2027)
    assert deepfakes() == before  # the masked index does not hold the new case yet
    background.land()
    assert deepfakes() == before + 1  # counted again, not the facets kept from before it landed


def test_an_api_answer_made_while_the_rebuild_runs_has_no_validator_to_keep_it_by(client, background):
    def kenya_api():
        return client.get("/api/v1/cases/", {"country": "KE"})

    assert kenya_api().has_header("ETag")
    build_case(title=NEW, countries=("KE",), tactics=("deepfake",), first_seen=KENYA_2027)
    response = kenya_api()
    assert not response.has_header("ETag") and "no-store" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    background.land()
    response = kenya_api()
    assert response.has_header("ETag") and "public" in response["Cache-Control"]
    assert NEW in response.content.decode()
