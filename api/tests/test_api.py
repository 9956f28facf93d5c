"""The read API as a researcher's script uses it: filters, paging, caching, limits and its own schema."""

import json

import jsonschema
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.urls import v1_patterns
from cases.models import Tactic

pytestmark = pytest.mark.django_db


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    return response


def data(client, url, status=200):
    return json.loads(get(client, url, status).content)


@pytest.fixture
def schema(client):
    return data(client, "/api/v1/schema/")


def validate(schema, path, payload, status="200"):
    """Check a payload against the response schema the OpenAPI document gives for `path`."""
    operation = schema["paths"][path]["get"]
    response_schema = operation["responses"][status]["content"]["application/json"]["schema"]
    jsonschema.validate(
        payload, {**response_schema, "components": schema["components"]}, cls=jsonschema.Draft202012Validator
    )


def test_the_case_list_filters_as_the_catalogue_does(client, case_factory):
    case_factory(title="Kenyan bots", countries=("KE",), tactics=("bot-amplification",))
    case_factory(title="Kenyan leak", countries=("KE",), tactics=("hack-and-leak",))
    case_factory(title="French bots", countries=("FR",), tactics=("bot-amplification",))
    queries = ("country=KE", "tactic=bot-amplification", "country=KE&tactic=bot-amplification", "country=KE&country=FR")
    for query in queries:
        api = data(client, f"/api/v1/cases/?{query}")
        catalogue = client.get(f"/cases/?{query}").context["result_count"]
        assert api["count"] == catalogue == len(api["results"])
    both = data(client, "/api/v1/cases/?country=KE&tactic=bot-amplification")
    assert [case["title"] for case in both["results"]] == ["Kenyan bots"]
    record = both["results"][0]
    assert record["countries"] == ["KE"] and record["tactics"] == ["bot-amplification"]
    assert record["api_url"].endswith(f"/api/v1/cases/{record['slug']}/")
    assert len(record["sources"]) == 2


def test_paging_gives_count_next_and_previous(client, case_factory):
    for i in range(5):
        case_factory(title=f"Case {i}")
    first = data(client, "/api/v1/cases/?page_size=2&country=KE")
    assert (first["count"], len(first["results"]), first["previous"]) == (5, 2, None)
    assert "page=2" in first["next"] and "country=KE" in first["next"]
    second = data(client, first["next"])
    third = data(client, second["next"])
    assert third["next"] is None and len(third["results"]) == 1
    seen = [c["slug"] for page in (first, second, third) for c in page["results"]]
    assert len(set(seen)) == 5


@pytest.mark.parametrize(
    "query, parameter, words",
    [
        ("country=ZZ", "country", "not a known ISO country code"),
        ("year_from=abc", "year_from", "Enter a year"),
        ("tactic=no-such-thing", "tactic", "not a known tactic"),
        ("page=0", "page", "whole number from 1"),
        ("page_size=1000", "page_size", "from 1 to 100"),
        ("page=9", "page", "no page 9"),
    ],
)
def test_bad_values_get_a_400_naming_the_parameter(client, case_factory, query, parameter, words):
    case_factory()
    body = data(client, f"/api/v1/cases/?{query}", status=400)
    assert words in " ".join(body["errors"][parameter])
    assert body["detail"]


def test_only_published_cases_and_guides_are_served(client, case_factory, guide_factory):
    live = case_factory(title="Published case")
    draft = case_factory(title="Draft case", slug="draft-case", publish=False)
    guide_factory(title="Draft guide", slug="draft-guide", publish=False, related_cases=[live])
    published_guide = guide_factory(title="Live guide", related_cases=[live, draft])
    assert [c["title"] for c in data(client, "/api/v1/cases/")["results"]] == ["Published case"]
    get(client, "/api/v1/cases/draft-case/", status=404)
    get(client, "/api/v1/guides/draft-guide/", status=404)
    assert [g["title"] for g in data(client, "/api/v1/guides/")["results"]] == ["Live guide"]
    detail = data(client, f"/api/v1/guides/{published_guide.slug}/")
    assert [c["title"] for c in detail["related_cases"]] == ["Published case"]


def test_countries_and_tactics_carry_counts_and_disarm_techniques(client, case_factory):
    case_factory(countries=("KE", "UG"), tactics=("bot-amplification",))
    case_factory(countries=("KE",), tactics=("bot-amplification",))
    countries = data(client, "/api/v1/countries/")
    assert {c["code"]: c["case_count"] for c in countries["results"]} == {"KE": 2, "UG": 1}
    kenya = data(client, "/api/v1/countries/kenya/")
    assert kenya["name"] == "Kenya" and kenya["cases_api_url"].endswith("/api/v1/cases/?country=KE")
    tactics = {t["slug"]: t for t in data(client, "/api/v1/tactics/?page_size=100")["results"]}
    bots = tactics["bot-amplification"]
    assert bots["case_count"] == 2
    expected = set(Tactic.objects.get(slug="bot-amplification").disarm_techniques.values_list("external_id", flat=True))
    assert expected and {t["external_id"] for t in bots["disarm_techniques"]} == expected


def test_every_answer_matches_the_openapi_document(client, case_factory, guide_factory, schema):
    case = case_factory(title="Schema case <b>&amp;</b> “quoted”", countries=("KE",), tactics=("bot-amplification",))
    guide = guide_factory(title="Schema guide", related_cases=[case])
    assert schema["openapi"].startswith("3.")
    assert {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]} >= {
        "country",
        "region",
        "year_from",
        "tactic",
        "origin",
        "q",
        "sort",
        "page",
        "page_size",
    }
    answers = {
        "/api/v1/cases/": "/api/v1/cases/",
        "/api/v1/cases/{slug}/": f"/api/v1/cases/{case.slug}/",
        "/api/v1/countries/": "/api/v1/countries/",
        "/api/v1/countries/{slug}/": "/api/v1/countries/kenya/",
        "/api/v1/tactics/": "/api/v1/tactics/",
        "/api/v1/guides/": "/api/v1/guides/",
        "/api/v1/guides/{slug}/": f"/api/v1/guides/{guide.slug}/",
    }
    assert set(answers) == set(schema["paths"]) and len(v1_patterns) == len(answers)
    for path, url in answers.items():
        validate(schema, path, data(client, url))
    validate(schema, "/api/v1/cases/", data(client, "/api/v1/cases/?country=ZZ", status=400), status="400")


def test_an_unchanged_answer_is_304_and_a_publication_changes_it(client, case_factory):
    case_factory(title="First")
    first = get(client, "/api/v1/cases/")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "public" in first["Cache-Control"] and "s-maxage" in first["Cache-Control"]
    assert get(client, "/api/v1/cases/", status=304, HTTP_IF_NONE_MATCH=first["ETag"]).content == b""
    assert get(client, "/api/v1/cases/", status=304, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert get(client, "/api/v1/cases/?country=KE", HTTP_IF_NONE_MATCH=first["ETag"])  # another URL, another tag
    case_factory(title="Second")
    again = get(client, "/api/v1/cases/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again["ETag"] != first["ETag"]
    assert [c["title"] for c in json.loads(again.content)["results"]] == ["Second", "First"]


def test_anonymous_clients_are_throttled_with_retry_after(client, case_factory, settings):
    settings.PORTAL_API_ANON_RATE = "3/min"
    cache.clear()
    for _ in range(3):
        get(client, "/api/v1/tactics/")
    refused = get(client, "/api/v1/tactics/", status=429)
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in json.loads(refused.content)["detail"].lower()
    cache.clear()


def test_a_page_of_cases_costs_the_same_queries_at_any_size(client, case_factory, django_assert_num_queries):
    def queries_for_a_page(size):
        client.get("/api/v1/cases/")  # builds the catalogue index
        with CaptureQueriesContext(connection) as queries:
            assert len(data(client, "/api/v1/cases/?page_size=100&country=KE")["results"]) == size
        return len(queries)

    for i in range(3):
        case_factory(title=f"Case {i}", countries=("KE", "UG"), tactics=("bot-amplification", "fake-accounts"))
    few = queries_for_a_page(3)
    for i in range(40):
        case_factory(title=f"More {i}", countries=("KE",), tactics=("fake-accounts",))
    assert queries_for_a_page(43) == few <= 17


def test_the_docs_page_explains_the_api_with_examples(client, site_tree):
    html = get(client, reverse("api-docs")).content.decode()
    assert "<h1>API</h1>" in html
    assert "curl '" in html and "urllib.request" in html
    assert "/api/v1/schema/" in html and "<caption>Case filters</caption>" in html
