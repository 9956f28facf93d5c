"""/cases/export.stix.json: the filtered catalogue as one STIX 2.1 bundle, for OpenCTI, MISP and the like.

Read from the same chunked export records as the CSV and JSON exports (exports.py), and
streamed: the bundle's header (the TLP:CLEAR marking, the commission's identity, the definition
of the portal's property extension) is built by the `stix2` library; shared objects (actors,
countries, DISARM techniques) are written the first time a case refers to them, then each case's
campaign, relationships and report. Per-case objects are plain dicts laid out exactly as stix2
would write them (stix_objects.py: a million stix2 objects would take a quarter of an hour),
and tests hold the two ways byte-equal. Memory grows with the number of distinct terms, not of
cases.

Ids are UUIDv5 of stable keys (the case's slug, the actor's name, the country code, the DISARM id
and framework version), and timestamps come from the data, so two exports of unchanged data are
identical and a consumer updates its objects rather than duplicating them.
"""

import datetime
import functools
import hashlib
import json
import uuid
from collections import defaultdict
from urllib.parse import quote

import stix2
from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from .choices import ActorType
from .exports import _export_name, export_chunks, filters_or_400, linked_ids
from .models import Country, DisarmTechnique, Tactic
from .stix_objects import PlainObjects

NAMESPACE = uuid.UUID("6f0e7a4c-5b1d-5c7e-9d3a-2f1c8b4e6a90")  # this portal's: never change it
PORTAL_NAME = "Election Integrity Portal"
# Objects with no date of their own (the identity, actors, countries, techniques) carry this one.
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

# OASIS's predefined TLP 2.0 CLEAR marking (cti-stix-common-objects, tlp-2.0 extension).
TLP_CLEAR = stix2.MarkingDefinition(
    id="marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    created="2022-10-01T00:00:00.000Z",
    name="TLP:CLEAR",
    extensions={
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            "extension_type": "property-extension",
            "tlp_2_0": "clear",
        }
    },
    allow_custom=True,
)
# Our actor types as STIX threat-actor-type-ov values (../shared/research/taxonomy.yaml).
THREAT_ACTOR_TYPES = {
    ActorType.STATE_INTELLIGENCE: ["nation-state", "spy"],
    ActorType.STATE_MILITARY: ["nation-state"],
    ActorType.STATE_MEDIA: ["nation-state"],
    ActorType.GOVERNMENT_AGENCY: ["nation-state"],
}
CONFIDENCE = {"high": 85, "medium": 50, "low": 15}
# RFC 3986's reserved characters and "%" (already-encoded text) stay as they are.
URI_SAFE = ":/?#[]@!$&'()*+,;=%"


_NAMESPACE_HASH = hashlib.sha1(NAMESPACE.bytes, usedforsecurity=False)


def stix_id(kind, key):
    """`kind--` and the UUIDv5 of "kind:key" in the portal's namespace: `uuid.uuid5`'s value, made
    without its UUID object (a million and a half ids per 100,000 cases)."""
    digest = _NAMESPACE_HASH.copy()
    digest.update(f"{kind}:{key}".encode())
    raw = bytearray(digest.digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = raw.hex()
    return f"{kind}--{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


# The id of a shared object (a country, an actor, a DISARM technique): asked for by every case that
# names it, so kept; there are as many as distinct terms, a few thousand at most.
shared_id = functools.lru_cache(maxsize=None)(stix_id)


IDENTITY = stix2.Identity(
    id=stix_id("identity", "commission"),
    created=EPOCH,
    modified=EPOCH,
    name=f"Commission on Election Integrity ({PORTAL_NAME})",
    identity_class="organization",
    description="Publishes reviewed case studies of election interference with their sources.",
    object_marking_refs=[TLP_CLEAR.id],
)
# The portal's own properties (a case's origin and attribution status, an actor's type) travel in
# a STIX 2.1 property extension rather than as x_ custom properties, which 2.1 deprecates: so
# every object parses with `stix2.parse(..., allow_custom=False)`.
PORTAL_EXTENSION = stix2.ExtensionDefinition(
    id=stix_id("extension-definition", "portal-properties"),
    created_by_ref=IDENTITY.id,
    created=EPOCH,
    modified=EPOCH,
    name=f"{PORTAL_NAME} properties",
    description="What the portal records beyond STIX: a campaign's origin and attribution status, an actor's type.",
    schema=(
        "Campaign: origin (foreign, domestic or mixed) and attribution_status; threat-actor: actor_type. "
        "Values are those of the portal's CSV and JSON exports."
    ),
    version="1.0.0",
    extension_types=["property-extension"],
    object_marking_refs=[TLP_CLEAR.id],
)
HEADER = (TLP_CLEAR, IDENTITY, PORTAL_EXTENSION)
COMMON = {"created_by_ref": IDENTITY.id, "object_marking_refs": [TLP_CLEAR.id]}
# What differs between two relationships; their other properties are COMMON's.
RELATIONSHIP_VARIES = ("id", "created", "modified", "relationship_type", "source_ref", "target_ref")


def portal_properties(**values):
    return {PORTAL_EXTENSION.id: {"extension_type": "property-extension", **values}}


def as_uri(url):
    """A URL as STIX wants it, a URI: what a URI may not hold (a stray "{{appStore}}", accents) percent-encoded."""
    return quote(url, safe=URI_SAFE) if url else url


def _time(date, end=False):
    moment = datetime.datetime.combine(date, datetime.time.max if end else datetime.time.min)
    return moment.replace(microsecond=0, tzinfo=datetime.UTC)


class Vocabularies:
    """Countries, DISARM techniques and the tactic → technique map, read once per export."""

    def __init__(self):
        self.countries = {c.code: c for c in Country.objects.live()}
        self.techniques = {t.pk: t for t in DisarmTechnique.objects.all()}
        self.of_tactic = defaultdict(list)
        for slug, technique in Tactic.disarm_techniques.through.objects.values_list(
            "tactic__slug", "disarmtechnique_id"
        ):
            self.of_tactic[slug].append(technique)


class Bundle:
    """Writes the objects of one bundle, each shared object once, through `objects` (stix_objects.py)."""

    def __init__(self, vocabularies, objects):
        self.vocabularies = vocabularies
        self.make = objects.make
        self.make_like = objects.make_like
        self.written = set()

    def once(self, object_id, make):
        if object_id in self.written:
            return []
        self.written.add(object_id)
        return [make()]

    def location(self, code):
        country = self.vocabularies.countries[code]
        return self.make(
            stix2.Location,
            id=stix_id("location", code),
            created=EPOCH,
            modified=EPOCH,
            name=country.name,
            country=code,
            region=country.sub_region_slug or None,
            **COMMON,
        )

    def actor(self, name, actor_type):
        return self.make(
            stix2.ThreatActor,
            id=stix_id("threat-actor", name),
            created=EPOCH,
            modified=EPOCH,
            name=name,
            threat_actor_types=THREAT_ACTOR_TYPES.get(actor_type, ["unknown"]),
            extensions=portal_properties(actor_type=actor_type),
            **COMMON,
        )

    def technique(self, technique):
        return self.make(
            stix2.AttackPattern,
            id=stix_id("attack-pattern", f"{technique.external_id}@{technique.framework_version}"),
            created=EPOCH,
            modified=EPOCH,
            name=technique.name,
            external_references=[{"source_name": "DISARM", "url": technique.url, "external_id": technique.external_id}],
            **COMMON,
        )

    def case_objects(self, case, technique_ids):
        """Everything one case adds: shared objects first seen here, its campaign, relationships and report."""
        make = self.make
        slug = case.url_path.rstrip("/").rpartition("/")[2]
        stamp = case.last_published_at.replace(microsecond=0) if case.last_published_at else EPOCH
        objects, refs = [], []
        campaign_id = stix_id("campaign", slug)
        relations = []
        for code, _name in case.countries:
            location_id = shared_id("location", code)
            objects += self.once(location_id, lambda code=code: self.location(code))
            relations.append(("targets", location_id))
        for name, actor_type in case.actors:
            actor_id = shared_id("threat-actor", name)
            objects += self.once(actor_id, lambda n=name, t=actor_type: self.actor(n, t))
            relations.append(("attributed-to", actor_id))
        for pk in technique_ids:
            technique = self.vocabularies.techniques[pk]
            pattern_id = shared_id("attack-pattern", f"{technique.external_id}@{technique.framework_version}")
            objects += self.once(pattern_id, lambda t=technique: self.technique(t))
            relations.append(("uses", pattern_id))
        period = {"first_seen": _time(case.first_seen)}
        if case.last_seen and case.last_seen >= case.first_seen:
            period["last_seen"] = _time(case.last_seen, end=True)
        objects.append(
            make(
                stix2.Campaign,
                id=campaign_id,
                created=stamp,
                modified=stamp,
                name=case.title,
                description=case.summary,
                confidence=CONFIDENCE.get(case.attribution_confidence),
                **period,
                extensions=portal_properties(origin=case.origin, attribution_status=case.attribution_status),
                **COMMON,
            )
        )
        refs.append(campaign_id)
        for relationship_type, target in relations:
            relationship_id = stix_id("relationship", f"{campaign_id}|{relationship_type}|{target}")
            objects.append(
                self.make_like(  # most of a bundle's objects: filled into a template
                    stix2.Relationship,
                    RELATIONSHIP_VARIES,
                    id=relationship_id,
                    created=stamp,
                    modified=stamp,
                    relationship_type=relationship_type,
                    source_ref=campaign_id,
                    target_ref=target,
                    **COMMON,
                )
            )
            refs += [target, relationship_id]
        references = [{"source_name": PORTAL_NAME, "description": "The case study", "url": as_uri(case.url)}]
        references += [
            {"source_name": publisher[:250] or "source", "description": title, "url": as_uri(url)}
            for _, publisher, title, _date, _precision, url, _archived in case.sources
        ]
        objects.append(
            make(
                stix2.Report,
                id=stix_id("report", slug),
                created=stamp,
                modified=stamp,
                name=case.title,
                description=case.summary,
                published=stamp,
                report_types=["campaign"],
                object_refs=refs,
                external_references=references,
                **COMMON,
            )
        )
        return objects


def bundle_chunks(queryset, request, objects=None):
    """The bundle as JSON text, a chunk of cases at a time.

    `objects` makes and writes each object: plain dicts by default, or `CheckedObjects()` to
    have the stix2 library build (and validate) every one, a hundred times slower.
    """
    objects = objects or PlainObjects()
    vocabularies = Vocabularies()
    bundle = Bundle(vocabularies, objects)
    dumps = objects.dumps
    yield '{"type": "bundle", "id": "' + stix_id("bundle", request.get_full_path()) + '", "objects": ['
    yield ",".join(obj.serialize() for obj in HEADER)
    for chunk in export_chunks(queryset, request):
        own = linked_ids("disarm_techniques", [case.pk for case in chunk])
        parts = []
        for case in chunk:
            techniques = own.get(case.pk) or sorted(
                {pk for slug, _name in case.tactics for pk in vocabularies.of_tactic.get(slug, ())}
            )
            parts += map(dumps, bundle.case_objects(case, techniques))
        if parts:
            yield "," + ",".join(parts)
    yield "]}\n"


@require_GET
def export_stix(request):
    """Every matching case as STIX 2.1: report + campaign + relationships, marked TLP:CLEAR."""
    filterset, error = filters_or_400(request)
    if error:
        return error
    response = StreamingHttpResponse(
        bundle_chunks(filterset.qs, request), content_type="application/stix+json;version=2.1"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("stix.json")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def parse_bundle(text):
    """The bundle as plain data (for tests and tools): json, not stix2, so nothing is re-validated."""
    return json.loads(text)
