"""Importing case records in the research format (see ../shared/research/README.md).

`validate_record` turns one raw mapping into clean values or raises RecordError with every
problem it found; `import_record` creates or updates the case page for it inside one
transaction, so a bad record leaves nothing behind. Records are matched by `key`, the page
slug; a record identical to the one last imported changes nothing (no new revision).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction
from django.utils.html import format_html
from wagtail.models import Locale
from wagtail.rich_text import RichText

from .choices import ActorType, AttributionStatus, Confidence, ElectionRound, ElectionType, Origin, SourceKind
from .dates import parse_partial_date, period_end
from .models import (
    Actor,
    CaseIndexPage,
    CaseSource,
    CaseStudyPage,
    Channel,
    Country,
    DisarmTechnique,
    ElectionPhase,
    Tactic,
    Target,
)
from .record_checks import clean_verified, split_value_problems
from .sourcing import check_sourcing

KNOWN_KEYS = {
    "key",
    "label",
    "summary",
    "body",
    "countries",
    "election",
    "period",
    "origin",
    "actors",
    "attribution",
    "tactics",
    "channels",
    "targets",
    "phases",
    "facts",
    "response",
    "sources",
    "disarm",
    "verified",
}
SUMMARY_MAX = 300


class RecordError(Exception):
    """A record that cannot be imported; `problems` lists every reason, for the editor to fix."""

    def __init__(self, key, problems):
        self.key = key
        self.problems = problems
        super().__init__(f"{key}: " + "; ".join(problems))


@dataclass
class CleanRecord:
    key: str
    values: dict
    countries: list
    actors: list
    tactics: list
    channels: list
    targets: list
    phases: list
    disarm: list
    sources: list
    warnings: list = field(default_factory=list)
    fingerprint: str = ""


def _text(raw, name, problems, required=False, max_length=None):
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"'{name}' is required")
        return ""
    if not isinstance(value, (str, int, float)):
        problems.append(f"'{name}' must be text")
        return ""
    value = str(value).strip()
    if max_length and len(value) > max_length:
        problems.append(f"'{name}' is {len(value)} characters, more than {max_length}")
    return value


def _slug_list(raw, name, problems):
    value = raw.get(name) or []
    if not isinstance(value, list):
        problems.append(f"'{name}' must be a list of slugs")
        return []
    slugs = []
    for item in value:
        try:
            validate_slug(str(item))
            slugs.append(str(item))
        except ValidationError:
            problems.append(f"'{name}' has {item!r}, which is not a slug")
    return slugs


def _choice(value, choices, name, problems, default=""):
    if value in (None, ""):
        return default
    if value not in choices.values:
        problems.append(f"'{name}' is {value!r}; expected one of {', '.join(choices.values)}")
        return default
    return value


def _partial(value, name, problems):
    try:
        return parse_partial_date(value)
    except (ValueError, TypeError) as error:
        problems.append(f"'{name}': {error}")
        return None, None


def _summary_from(raw, label):
    """Research records carry no summary: fall back to the first fact, cut at a word boundary."""
    facts = raw.get("facts") or []
    text = str(facts[0]).strip() if facts else label
    if len(text) <= SUMMARY_MAX:
        return text
    return text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"


def validate_record(raw):
    """Check one record and return a CleanRecord, or raise RecordError listing every problem."""
    if not isinstance(raw, dict):
        raise RecordError("(unnamed)", ["a record must be a mapping of keys to values"])
    key = str(raw.get("key") or "").strip()
    problems = split_value_problems(raw, KNOWN_KEYS)
    if not key:
        problems.append("'key' is required")
    else:
        try:
            validate_slug(key)
        except ValidationError:
            problems.append(f"'key' {key!r} must be a slug (letters, digits, hyphens)")
    label = _text(raw, "label", problems, required=True, max_length=255)
    summary = _text(raw, "summary", problems, max_length=SUMMARY_MAX) or _summary_from(raw, label)
    body = raw.get("body") or "\n\n".join(str(fact) for fact in raw.get("facts") or [])
    if not isinstance(body, str):
        problems.append("'body' must be text")
        body = ""

    codes = raw.get("countries")
    countries = []
    if not isinstance(codes, list) or not codes:
        problems.append("'countries' must be a non-empty list of ISO 3166-1 alpha-2 codes")
    else:
        known = {c.code: c for c in Country.objects.filter(code__in=[str(c).upper() for c in codes])}
        for code in codes:
            country = known.get(str(code).upper())
            if country is None:
                problems.append(f"country {code!r} is not an ISO 3166-1 alpha-2 code")
            else:
                countries.append(country)

    period = raw.get("period") or {}
    if not isinstance(period, dict) or "first_seen" not in period:
        problems.append("'period' must give at least 'first_seen'")
        period = period if isinstance(period, dict) else {}
    first_seen, first_precision = None, None
    if period.get("first_seen") is not None:
        first_seen, first_precision = _partial(period["first_seen"], "period.first_seen", problems)
    last_seen, last_precision = (None, "day")
    if period.get("last_seen") is not None:
        last_seen, last_precision = _partial(period["last_seen"], "period.last_seen", problems)
    if first_seen and last_seen and period_end(last_seen, last_precision) < first_seen:
        problems.append("'period.last_seen' is before 'period.first_seen'")

    election = raw.get("election") or {}
    if not isinstance(election, dict):
        problems.append("'election' must be a mapping with name, type and date")
        election = {}
    election_date = None
    if election.get("date") is not None:
        election_date, _ = _partial(election["date"], "election.date", problems)

    attribution = raw.get("attribution") or {}
    if not isinstance(attribution, dict):
        problems.append("'attribution' must be a mapping with status, by and confidence")
        attribution = {}
    attributed_by = attribution.get("by") or []
    if isinstance(attributed_by, str):
        attributed_by = [attributed_by]

    values = {
        "title": label,
        "summary": summary,
        "body_text": body,
        "election_name": str(election.get("name") or "")[:255],
        "election_type": _choice(election.get("type"), ElectionType, "election.type", problems),
        "election_date": election_date,
        "election_round": _choice(election.get("round"), ElectionRound, "election.round", problems),
        "first_seen": first_seen,
        "first_seen_precision": first_precision,
        "last_seen": last_seen,
        "last_seen_precision": last_precision or "day",
        "origin": _choice(raw.get("origin"), Origin, "origin", problems, default=Origin.UNKNOWN),
        "attribution_status": _choice(
            attribution.get("status"), AttributionStatus, "attribution.status", problems, AttributionStatus.UNATTRIBUTED
        ),
        "attribution_confidence": _choice(
            attribution.get("confidence"), Confidence, "attribution.confidence", problems, Confidence.LOW
        ),
        "attributed_by": "; ".join(str(name) for name in attributed_by)[:500],
        "response": _text(raw, "response", problems),
        "verified_claims": clean_verified(raw.get("verified"), problems),
    }

    actors = []
    for index, actor in enumerate(raw.get("actors") or []):
        if not isinstance(actor, dict) or not actor.get("name"):
            problems.append(f"actor {index + 1} needs a 'name'")
            continue
        actor_type = _choice(
            actor.get("actor_type"), ActorType, f"actor {actor['name']!r} actor_type", problems, ActorType.UNKNOWN
        )
        country_code = str(actor.get("country") or "").upper()
        if country_code and not Country.objects.filter(code=country_code).exists():
            problems.append(f"actor {actor['name']!r} has unknown country {country_code!r}")
        actors.append({"name": str(actor["name"]).strip()[:200], "actor_type": actor_type, "country": country_code})

    phases = _slug_list(raw, "phases", problems)
    known_phases = set(ElectionPhase.objects.filter(slug__in=phases).values_list("slug", flat=True))
    for slug in phases:
        if slug not in known_phases:
            problems.append(f"phase {slug!r} is not one of the election phases")

    sources = []
    raw_sources = raw.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        problems.append("'sources' must list at least one source")
        raw_sources = []
    url_validator = URLValidator(schemes=["http", "https"])
    for index, source in enumerate(raw_sources):
        where = f"source {index + 1}"
        if not isinstance(source, dict):
            problems.append(f"{where} must be a mapping")
            continue
        for name in ("publisher", "title", "url"):
            if not source.get(name):
                problems.append(f"{where} needs a '{name}'")
        for name in ("url", "archived_url"):
            if source.get(name):
                try:
                    url_validator(str(source[name]))
                except ValidationError:
                    problems.append(f"{where} has an invalid {name} {source[name]!r}")
        date, precision = (None, "day")
        if source.get("date") is not None:
            date, precision = _partial(source["date"], f"{where} date", problems)
        sources.append(
            {
                "publisher": str(source.get("publisher") or "")[:200],
                "title": str(source.get("title") or "")[:400],
                "date": date,
                "date_precision": precision or "day",
                "url": str(source.get("url") or ""),
                "archived_url": str(source.get("archived_url") or ""),
                "kind": _choice(source.get("kind"), SourceKind, f"{where} kind", problems, SourceKind.MEDIA),
                "language": str(source.get("language") or "en")[:10],
            }
        )

    tactics = _slug_list(raw, "tactics", problems)
    channels = _slug_list(raw, "channels", problems)
    targets = _slug_list(raw, "targets", problems)
    disarm = raw.get("disarm") or []
    if not isinstance(disarm, list):
        problems.append("'disarm' must be a list of DISARM technique ids")
        disarm = []

    if problems:
        raise RecordError(key or "(no key)", problems)

    warnings = [f"unknown key '{name}' ignored" for name in sorted(set(raw) - KNOWN_KEYS)]
    record = CleanRecord(
        key=key,
        values=values,
        countries=countries,
        actors=actors,
        tactics=tactics,
        channels=channels,
        targets=targets,
        phases=phases,
        disarm=[str(item) for item in disarm],
        sources=sources,
        warnings=warnings,
    )
    record.fingerprint = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
    return record


def publication_check(record):
    """The sourcing rule (cases/sourcing.py) for a validated record: may it be published as it stands?

    `import_cases --publish` imports a record that fails it as a draft and reports why.
    """
    return check_sourcing(
        [(source["publisher"], source["kind"]) for source in record.sources], record.values["attribution_status"]
    )


def _terms(model, slugs):
    """The vocabulary entries for these slugs, creating any not yet known (named from the slug)."""
    existing = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in existing:
            existing[slug] = model.objects.create(slug=slug, name=slug.replace("-", " ").capitalize())
    return [existing[slug] for slug in slugs]


def _actors(rows):
    actors = []
    for row in rows:
        country = Country.objects.filter(code=row["country"]).first() if row["country"] else None
        actor, _ = Actor.objects.get_or_create(
            name=row["name"], defaults={"actor_type": row["actor_type"], "country": country}
        )
        actors.append(actor)
    return actors


def _body_blocks(text):
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return [("paragraph", RichText(format_html("<p>{}</p>", " ".join(p.split())))) for p in paragraphs]


def catalogue_index():
    index = CaseIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index is None:
        raise RecordError("(setup)", ["there is no catalogue page (CaseIndexPage); run `manage.py load_demo` first"])
    return index


@transaction.atomic
def import_record(record, publish=False):
    """Create or update the case for a validated record. Returns 'created', 'updated' or 'unchanged'."""
    # The English original: translations share its slug in their own locale's tree.
    page = CaseStudyPage.objects.filter(slug=record.key, locale=Locale.get_default()).first()
    if page is not None:
        page = page.specific
        if page.import_fingerprint == record.fingerprint and (page.live or not publish):
            return "unchanged"
    tactics = _terms(Tactic, record.tactics)
    techniques = (
        list(DisarmTechnique.objects.filter(external_id__in=record.disarm))
        if record.disarm
        else list(DisarmTechnique.objects.filter(tactics__in=tactics).distinct())
    )
    values = dict(record.values)
    body = _body_blocks(values.pop("body_text"))

    created = page is None
    if created:
        page = CaseStudyPage(slug=record.key, live=publish)
    for name, value in values.items():
        setattr(page, name, value)
    page.body = body
    page.import_fingerprint = record.fingerprint
    page.countries = record.countries
    page.actors = _actors(record.actors)
    page.tactics = tactics
    page.disarm_techniques = techniques
    page.channels = _terms(Channel, record.channels)
    page.targets = _terms(Target, record.targets)
    page.phases = list(ElectionPhase.objects.filter(slug__in=record.phases))
    page.sources = [CaseSource(sort_order=i, **source) for i, source in enumerate(record.sources)]

    if created:
        catalogue_index().add_child(instance=page)
    revision = page.save_revision(log_action=True)
    if publish:
        revision.publish()
    return "created" if created else "updated"
