"""Importing guides, their topics and the real programmes they cite, from guides/demo/guides.yaml."""

import hashlib
import json

from django.db import transaction
from django.utils.html import format_html
from wagtail.models import Locale
from wagtail.rich_text import RichText

from cases.dates import parse_partial_date
from cases.models import CaseStudyPage, ElectionPhase, Tactic

from .models import Audience, GuideIndexPage, GuidePage, GuideSource, Programme, Topic


def _paragraphs(text):
    return [
        ("paragraph", RichText(format_html("<p>{}</p>", " ".join(p.split()))))
        for p in (text or "").split("\n\n")
        if p.strip()
    ]


@transaction.atomic
def import_guides(data, publish=True):
    """Create or update topics, programmes and guides; returns the number of guides created or updated."""
    for row in data.get("topics", []):
        Topic.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "description": row.get("description", "")}
        )
    for row in data.get("programmes", []):
        Programme.objects.update_or_create(
            slug=row["key"],
            defaults={
                "name": row["name"],
                "run_by": row.get("by", ""),
                "started": row.get("started"),
                "url": row.get("url", ""),
                "description": row.get("description", ""),
            },
        )
    index = GuideIndexPage.objects.get(locale=Locale.get_default())
    changed = 0
    for row in data.get("guides", []):
        # Cases a guide links to may be imported after it: the ones found so far are part of the
        # fingerprint, so the next run adds links to cases that have arrived since.
        related_cases = list(
            CaseStudyPage.objects.filter(slug__in=row.get("cases", []), locale=index.locale).order_by("pk")
        )
        found = [case.pk for case in related_cases]
        fingerprint = hashlib.sha256(json.dumps([row, found], sort_keys=True, default=str).encode()).hexdigest()
        guide = GuidePage.objects.filter(slug=row["key"], locale=index.locale).first()
        if guide is not None and guide.import_fingerprint == fingerprint:
            continue
        created = guide is None
        guide = guide or GuidePage(slug=row["key"], live=publish)
        guide.title = row["title"]
        guide.summary = row["summary"]
        guide.body = _paragraphs(row.get("body"))
        guide.checklist = [
            ("item", {k: item.get(k, "") for k in ("item", "why", "owner", "verify")})
            for item in row.get("checklist", [])
        ]
        guide.audiences = list(Audience.objects.filter(slug__in=row.get("audiences", [])))
        guide.topics = list(Topic.objects.filter(slug__in=row.get("topics", [])))
        guide.phases = list(ElectionPhase.objects.filter(slug__in=row.get("phases", [])))
        guide.threats = list(Tactic.objects.filter(slug__in=row.get("threats", [])))
        guide.programmes = list(Programme.objects.filter(slug__in=row.get("programmes", [])))
        guide.related_cases = related_cases
        guide.import_fingerprint = fingerprint
        guide.sources = [
            GuideSource(
                sort_order=i,
                publisher=s["publisher"],
                title=s["title"],
                date=parse_partial_date(s["date"])[0] if s.get("date") else None,
                date_precision=parse_partial_date(s["date"])[1] if s.get("date") else "day",
                url=s["url"],
                kind=s.get("kind", "media"),
            )
            for i, s in enumerate(row.get("sources", []))
        ]
        if created:
            index.add_child(instance=guide)
        revision = guide.save_revision()
        if publish:
            revision.publish()
        changed += 1
    return changed
