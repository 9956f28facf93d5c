"""The DISARM Navigator layer: a heat map of the matching cases' techniques."""

import json

import pytest

from cases.models import DisarmTechnique, Tactic

pytestmark = pytest.mark.django_db


def get_layer(client, query=""):
    response = client.get(f"/cases/export.navigator.json{query}")
    assert response.status_code == 200
    return json.loads(response.content)


def test_each_technique_scores_the_number_of_matching_cases(client, case_factory):
    case_factory(countries=("KE",), tactics=("bot-amplification",))
    case_factory(countries=("KE",), tactics=("bot-amplification", "hack-and-leak"))
    case_factory(countries=("FR",), tactics=("hack-and-leak",))
    layer = get_layer(client, "?country=KE")
    assert layer["domain"] == "DISARM" and layer["versions"]["layer"].startswith("4.")
    scores = {t["techniqueID"]: t["score"] for t in layer["techniques"]}
    bots = set(Tactic.objects.get(slug="bot-amplification").disarm_techniques.values_list("external_id", flat=True))
    leaks = set(Tactic.objects.get(slug="hack-and-leak").disarm_techniques.values_list("external_id", flat=True))
    for technique in bots:
        assert scores[technique] == 2
    for technique in leaks - bots:
        assert scores[technique] == 1
    assert set(scores) == bots | leaks
    assert layer["gradient"]["maxValue"] == 2
    assert "country=KE" in layer["description"] and layer["links"][0]["url"].endswith("/cases/?country=KE")


def test_chosen_techniques_replace_the_tactics_mapping(client, case_factory):
    case = case_factory(tactics=("bot-amplification",))
    chosen = DisarmTechnique.objects.exclude(tactics__slug="bot-amplification").first()
    case.disarm_techniques = [chosen]
    case.save_revision().publish()
    assert [(t["techniqueID"], t["score"]) for t in get_layer(client)["techniques"]] == [(chosen.external_id, 1)]


def test_drafts_do_not_count_and_bad_filters_are_refused(client, case_factory):
    case_factory(tactics=("hack-and-leak",), publish=False, slug="draft")
    assert get_layer(client)["techniques"] == []
    response = client.get("/cases/export.navigator.json?year_from=abc")
    assert response.status_code == 400 and "Enter a year" in response.content.decode()
