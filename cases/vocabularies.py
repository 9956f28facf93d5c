"""Loading the controlled vocabularies of cases/data/taxonomy.yaml into the database.

Written against a model registry so that a data migration can pass its historical models;
idempotent, so it may also run again after editors have changed names (it updates them).
"""

from pathlib import Path

import yaml

TAXONOMY_FILE = Path(__file__).with_name("data") / "taxonomy.yaml"


def read_taxonomy():
    with TAXONOMY_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_vocabularies(get_model):
    """Create or update DISARM techniques, tactics, channels, targets, phases and audiences."""
    taxonomy = read_taxonomy()
    disarm = taxonomy["disarm"]
    version = str(disarm["version"])

    DisarmTechnique = get_model("cases", "DisarmTechnique")
    techniques = {}
    for row in disarm["techniques"]:
        technique, _ = DisarmTechnique.objects.update_or_create(
            external_id=row["id"],
            framework_version=version,
            defaults={"name": row["name"], "disarm_tactic": row.get("tactic", "")},
        )
        techniques[row["id"]] = technique

    Tactic = get_model("cases", "Tactic")
    for row in taxonomy["tactics"]:
        tactic, _ = Tactic.objects.update_or_create(
            slug=row["slug"],
            defaults={"name": row["name"], "description": row.get("description", ""), "note": row.get("note", "")},
        )
        tactic.disarm_techniques.set([techniques[i] for i in row.get("disarm", [])])

    for model_name, key in (("Channel", "channels"), ("Target", "targets")):
        model = get_model("cases", model_name)
        for row in taxonomy[key]:
            model.objects.update_or_create(
                slug=row["slug"], defaults={"name": row["name"], "description": row.get("description", "")}
            )

    ElectionPhase = get_model("cases", "ElectionPhase")
    for order, row in enumerate(taxonomy["phases"]):
        ElectionPhase.objects.update_or_create(
            slug=row["slug"],
            defaults={"name": row["name"], "description": row.get("description", ""), "sort_order": order},
        )

    Audience = get_model("guides", "Audience")
    for row in taxonomy["audiences"]:
        Audience.objects.update_or_create(slug=row["slug"], defaults={"name": row["name"]})
