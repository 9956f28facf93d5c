"""The API's records: plain dicts read in a fixed number of queries per answer.

Case records are the export records (cases/exports.py `case_record`), so the API's field names
and values are the CSV/JSON exports' own; counts come from the catalogue index, so they agree with
/cases/ for the same filters. Everything starts from the published querysets, and the live terms
(`.live()`, portal/reviewed.py).
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.rich_text import expand_db_html

from cases.exports import case_record, export_chunks
from cases.live_index import catalogue_index
from cases.models import CaseStudyPage, Country, DisarmTechnique, Tactic
from guides.models import GuidePage
from portal.reviewed import live_prefetches


def _absolute(request, path, **params):
    return request.build_absolute_uri(path + (f"?{urlencode(params)}" if params else ""))


def _slug_of(url_path):
    return url_path.rstrip("/").rpartition("/")[2]


def cases(ids, request):
    """The records of these published case ids, in this order."""
    if not ids:
        return []
    found = {}
    for chunk in export_chunks(CaseStudyPage.objects.published().filter(pk__in=ids), request):
        for case in chunk:
            found[case.pk] = _case(case, request)
    return [found[pk] for pk in ids if pk in found]


def _case(case, request):
    slug = _slug_of(case.url_path)
    return {"slug": slug, **case_record(case), "api_url": _absolute(request, reverse("api-case-detail", args=[slug]))}


def _technique(technique):
    return {
        "external_id": technique.external_id,
        "name": technique.name,
        "disarm_tactic": technique.disarm_tactic,
        "framework_version": technique.framework_version,
        "url": technique.url,
    }


def case_detail(slug, request):
    page = CaseStudyPage.objects.published().filter(slug=slug).first()
    if page is None:
        return None
    (case,) = next(export_chunks(CaseStudyPage.objects.filter(pk=page.pk), request))
    return {
        **_case(case, request),
        "response": page.response,
        "disarm_techniques": [_technique(t) for t in page.techniques_shown()],
        "corrections": [{"date": c.date.isoformat(), "description": c.description} for c in page.corrections.all()],
        "last_reviewed": page.last_reviewed.isoformat() if page.last_reviewed else None,
    }


def _country(country, count, request):
    return {
        "code": country.code,
        "name": country.name,
        "slug": country.slug,
        "region": country.region,
        "sub_region": country.sub_region,
        "case_count": count,
        "url": _absolute(request, country.get_absolute_url()),
        "api_url": _absolute(request, reverse("api-country-detail", args=[country.slug])),
        "cases_api_url": _absolute(request, reverse("api-case-list"), country=country.code),
    }


def countries(request):
    """Countries with published cases, by name, with their counts from the catalogue index."""
    counts = {code: bits.bit_count() for code, _name, bits, _extra in catalogue_index().countries.options}
    rows = Country.objects.live().filter(code__in=counts).order_by("name")
    return [_country(country, counts[country.code], request) for country in rows]


def country_detail(slug, request):
    country = Country.objects.live().filter(slug=slug).first()
    if country is None:
        return None
    count = catalogue_index().country_bits(country.code).bit_count()
    return {**_country(country, count, request), "profile": expand_db_html(country.profile)}


def tactics(request):
    counts = {slug: bits.bit_count() for slug, _name, bits, _pk in catalogue_index().terms["tactic"].options}
    techniques = Prefetch("disarm_techniques", queryset=DisarmTechnique.objects.order_by("external_id"))
    return [
        {
            "slug": tactic.slug,
            "name": tactic.name,
            "description": tactic.description,
            "case_count": counts.get(tactic.slug, 0),
            "cases_api_url": _absolute(request, reverse("api-case-list"), tactic=tactic.slug),
            "disarm_techniques": [_technique(t) for t in tactic.disarm_techniques.all()],
        }
        for tactic in Tactic.objects.live().order_by("name").prefetch_related(techniques)
    ]


def _guide(guide, request):
    return {
        "slug": guide.slug,
        "title": guide.title,
        "url": guide.get_full_url(request),
        "api_url": _absolute(request, reverse("api-guide-detail", args=[guide.slug])),
        "summary": guide.summary,
        "audiences": [a.slug for a in guide.audiences.all()],
        "topics": [t.slug for t in guide.topics.all()],
        "last_reviewed": guide.last_reviewed.isoformat() if guide.last_reviewed else None,
        "review_due": guide.review_due.isoformat() if guide.review_due else None,
        "last_published": guide.last_published_at.isoformat() if guide.last_published_at else None,
    }


def guides(request, offset, limit):
    published = GuidePage.objects.published()
    return published.count(), [_guide(g, request) for g in published.for_listing()[offset : offset + limit]]


def guide_detail(slug, request):
    guide = (
        GuidePage.objects.published()
        .filter(slug=slug)
        .prefetch_related(*live_prefetches(GuidePage, "audiences", "topics", "threats"), "phases")
        .first()
    )
    if guide is None:
        return None
    related = CaseStudyPage.objects.published().filter(pk__in=guide.related_cases.values("pk")).order_by("title")
    return {
        **_guide(guide, request),
        "phases": [p.slug for p in guide.phases.all()],
        "threats": [t.slug for t in guide.threats.all()],
        "checklist": [
            {
                "item": block.value.get("item", ""),
                "why": block.value.get("why", ""),
                "owner": block.value.get("owner", ""),
                "verify": block.value.get("verify", ""),
            }
            for block in guide.checklist
            if block.block_type == "item"
        ],
        "related_cases": [
            {
                "title": case.title,
                "url": case.get_full_url(request),
                "api_url": _absolute(request, reverse("api-case-detail", args=[case.slug])),
            }
            for case in related
        ],
    }
