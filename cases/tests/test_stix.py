"""The STIX 2.1 export as a threat-intelligence team loads it: valid, complete, stable and filtered."""

import json
import uuid

import pytest
import stix2
from stix2validator import ValidationOptions, validate_string

from cases import stix
from cases.models import Actor, CaseSource
from cases.stix_objects import CheckedObjects

pytestmark = pytest.mark.django_db


def bundle(client, query=""):
    response = client.get(f"/cases/export.stix.json{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/stix+json")
    return b"".join(response.streaming_content).decode()


def by_type(data):
    found = {}
    for obj in data["objects"]:
        found.setdefault(obj["type"], []).append(obj)
    return found


@pytest.fixture
def odd_case(case_factory):
    case = case_factory(
        title="Ünïcode <script>alert(1)</script> & “quotes” \\ back",
        summary="A summary with <b>markup</b>, emoji 🗳️ and a tab\there.",
        countries=("KE", "UA"),
        tactics=("bot-amplification",),
    )
    case.actors = [Actor.objects.create(name='Unit 26165, "Fancy" <Bear>', actor_type="state-intelligence")]
    case.sources = [
        CaseSource(
            publisher="Ministry (via Agency)", title="Statement: “odd” <chars>", url="https://example.org/a?b=1&c=2"
        )
    ]
    case.save_revision().publish()
    return case


def test_the_bundle_is_valid_stix_with_no_errors(client, odd_case):
    text = bundle(client)
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]


def test_the_bundle_holds_reports_campaigns_actors_places_and_disarm_techniques(client, odd_case):
    data = json.loads(bundle(client))
    assert data["type"] == "bundle"
    objects = by_type(data)
    assert [o["name"] for o in objects["marking-definition"]] == ["TLP:CLEAR"]
    (identity,) = objects["identity"]
    (report,) = objects["report"]
    (campaign,) = objects["campaign"]
    assert report["name"] == campaign["name"] == odd_case.title
    assert {o["country"] for o in objects["location"]} == {"KE", "UA"}
    assert objects["threat-actor"][0]["name"] == 'Unit 26165, "Fancy" <Bear>'
    assert "spy" in objects["threat-actor"][0]["threat_actor_types"]
    disarm = [ref for o in objects["attack-pattern"] for ref in o["external_references"]]
    assert disarm and all(ref["source_name"] == "DISARM" and ref["external_id"].startswith("T") for ref in disarm)
    kinds = {(r["relationship_type"], r["target_ref"].split("--")[0]) for r in objects["relationship"]}
    assert kinds == {("uses", "attack-pattern"), ("attributed-to", "threat-actor"), ("targets", "location")}
    urls = [ref.get("url") for ref in report["external_references"]]
    assert urls[0].endswith(odd_case.url) and "https://example.org/a?b=1&c=2" in urls
    marking = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
    for obj in data["objects"]:
        if obj["type"] != "marking-definition":
            assert obj["object_marking_refs"] == [marking]
        if obj["type"] not in ("marking-definition", "identity"):
            assert obj["created_by_ref"] == identity["id"]
    everything = {obj["id"] for obj in data["objects"]}
    assert set(report["object_refs"]) <= everything


def test_ids_are_stable_between_exports(client, odd_case, case_factory):
    first = json.loads(bundle(client))
    again = json.loads(bundle(client))
    assert first == again
    case_factory(title="Another case", countries=("KE",))
    third = json.loads(bundle(client))
    old_ids = {o["id"] for o in first["objects"]}
    assert old_ids < {o["id"] for o in third["objects"]}  # the new case adds; nothing is renamed


def test_filters_apply_and_drafts_never_appear(client, case_factory):
    case_factory(title="Kenya case", countries=("KE",))
    case_factory(title="France case", countries=("FR",))
    case_factory(title="Draft case", slug="draft-case", countries=("KE",), publish=False)
    names = [o["name"] for o in by_type(json.loads(bundle(client, "?country=KE")))["report"]]
    assert names == ["Kenya case"]
    response = client.get("/cases/export.stix.json?country=ZZ")
    assert response.status_code == 400 and "not a known ISO country code" in response.content.decode()


def test_every_object_of_the_demo_bundle_parses_as_standard_stix(client, demo_data, odd_case):
    """Real cases plus markup and odd characters: no custom property anywhere, 0 validator errors."""
    text = bundle(client)
    data = json.loads(text)
    assert len(by_type(data)["report"]) > 20
    for obj in data["objects"]:
        parsed = stix2.parse(obj, allow_custom=False)
        assert parsed.id == obj["id"]
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    (campaign,) = [o for o in data["objects"] if o["type"] == "campaign" and o["name"] == odd_case.title]
    (extension,) = campaign["extensions"].values()
    assert extension == {
        "extension_type": "property-extension",
        "origin": odd_case.origin,
        "attribution_status": odd_case.attribution_status,
    }


def test_the_fast_objects_are_byte_for_byte_what_the_stix2_library_writes(client, demo_data, odd_case, monkeypatch):
    fast = bundle(client)
    monkeypatch.setattr(stix, "PlainObjects", CheckedObjects)
    checked = bundle(client)
    assert json.loads(fast)["objects"] == json.loads(checked)["objects"]
    assert fast == checked


@pytest.mark.parametrize("kind,key", [("campaign", "a-case"), ("location", "KE"), ("threat-actor", "Doppelgänger ✓")])
def test_ids_are_the_uuid5_of_kind_and_key_in_the_portals_namespace(kind, key):
    assert stix.stix_id(kind, key) == f"{kind}--{uuid.uuid5(stix.NAMESPACE, f'{kind}:{key}')}"
