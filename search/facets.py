"""Facet counts beside the results: type, country, region, year and tactic.

Each facet counts within the matches with every filter applied except its own, so that a
visitor can widen a choice; where no facet has a filter of its own they all count the same ids.
On PostgreSQL every facet comes from one statement: each distinct id set is unnested once (a
materialised CTE) and joined with the link tables, instead of five passes each parsing its own
copy of the ids. Type counts come for free from the narrowing query when type is not filtered.
"""

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from wagtail.models import Page

from cases.models import CaseStudyPage, Country, Tactic
from guides.models import GuidePage

from .engine import id_set, is_postgres
from .scope import TYPES, allowed_ids, candidate_countries, content_type_id

FACET_SIZE = 12
FACETS = ("type", "country", "region", "year", "tactic")


def facet_counts(scope, filters, scores, allowed, country_matcher, type_counts=None):
    """Counts per filter value among the matches, each facet ignoring its own selection.

    `type_counts` ({content_type_id: n} of `allowed`) saves a query when type is not filtered.
    """
    id_sets = {}
    for name in FACETS:
        # A facet whose own filter is not set counts within the results already found.
        id_sets[name] = allowed if not filters.get(name) else allowed_ids(scope, filters, scores, name)
    if type_counts is None or filters.get("type"):
        type_counts = None
    counter = _counts_postgres if is_postgres() else _counts_orm
    raw = counter(id_sets, need_types=type_counts is None)
    if type_counts is not None:
        raw["type"] = dict(type_counts)

    type_counts = raw["type"]
    types = [
        ("case", TYPES["case"], type_counts.get(content_type_id(CaseStudyPage), 0)),
        ("guide", TYPES["guide"], type_counts.get(content_type_id(GuidePage), 0)),
        ("country", TYPES["country"], country_matcher.count(candidate_countries(filters, "type"))),
    ]

    countries = sorted(raw["country"], key=lambda c: (-c[2], c[1]))[:FACET_SIZE]
    shown = {code for code, _, _ in countries}
    missing = [code for code in filters.get("country", []) if code not in shown]
    if missing:
        countries += [(c.code, c.name, 0) for c in Country.objects.filter(code__in=missing)]

    regions = sorted((r for r in raw["region"] if r[1]), key=lambda r: r[1])
    years = sorted(raw["year"], key=lambda y: -y[0])

    counts = {}
    for slug, name, n in raw["tactic"]:
        counts.setdefault(slug, [name, 0])[1] += n
    tactics = sorted(((slug, name, n) for slug, (name, n) in counts.items()), key=lambda t: (-t[2], t[1]))[:FACET_SIZE]

    return {
        "type": types,
        "country": countries,
        "region": regions,
        "year": [(str(year), str(year), n) for year, n in years],
        "tactic": tactics,
    }


def _counts_orm(id_sets, need_types=True):
    """The facet counts one query each (SQLite, where the catalogue is small)."""
    raw = {}
    if need_types:
        raw["type"] = dict(
            Page.objects.filter(pk__in=id_set(id_sets["type"]))
            .order_by()
            .values_list("content_type_id")
            .annotate(n=Count("pk"))
        )
    raw["country"] = list(
        Country.objects.filter(cases__in=id_set(id_sets["country"]))
        .values_list("code", "name")
        .annotate(n=Count("cases", distinct=True))
        .order_by()
    )
    raw["region"] = list(
        Country.objects.filter(cases__in=id_set(id_sets["region"]))
        .exclude(region="")
        .values_list("region_slug", "region")
        .annotate(n=Count("cases", distinct=True))
        .order_by()
    )
    raw["year"] = list(
        CaseStudyPage.objects.filter(pk__in=id_set(id_sets["year"]))
        .order_by()
        .annotate(year=ExtractYear("first_seen"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tactic_ids = id_set(id_sets["tactic"])
    raw["tactic"] = list(
        Tactic.objects.filter(cases__in=tactic_ids)
        .values_list("slug", "name")
        .annotate(n=Count("cases", distinct=True))
        .order_by()
    ) + list(
        Tactic.objects.filter(guides__in=tactic_ids)
        .values_list("slug", "name")
        .annotate(n=Count("guides", distinct=True))
        .order_by()
    )
    return raw


def _table(model_or_field):
    return connection.ops.quote_name(model_or_field._meta.db_table)


def _counts_postgres(id_sets, need_types=True):
    """Every facet in one statement: one CTE per distinct id set, joined with the link tables."""
    ctes, params, names = [], [], {}

    def cte(ids):
        key = id(ids)
        if key not in names:
            names[key] = f"m{len(names)}"
            ctes.append(f"{names[key]} AS MATERIALIZED (SELECT DISTINCT unnest(%s::int[]) AS id)")
            params.append([int(pk) for pk in ids])
        return names[key]

    page = _table(Page)
    case = _table(CaseStudyPage)
    country = _table(Country)
    tactic = _table(Tactic)
    case_countries = _table(CaseStudyPage.countries.through)
    case_tactics = _table(CaseStudyPage.tactics.through)
    guide_threats = _table(GuidePage.threats.through)

    parts = []
    if need_types:
        m = cte(id_sets["type"])
        parts.append(
            f"SELECT 'type', p.content_type_id::text, '', COUNT(*) FROM {page} p JOIN {m} ON p.id = {m}.id "
            "GROUP BY p.content_type_id"
        )
    m_country, m_region = cte(id_sets["country"]), cte(id_sets["region"])
    if m_country == m_region:
        # One pass over the case-country links for both facets.
        parts.append(
            "SELECT CASE WHEN GROUPING(c.code) = 0 THEN 'country' ELSE 'region' END, "
            "COALESCE(c.code, c.region_slug), COALESCE(c.name, c.region), COUNT(DISTINCT cc.casestudypage_id) "
            f"FROM {case_countries} cc JOIN {m_country} ON cc.casestudypage_id = {m_country}.id "
            f"JOIN {country} c ON c.id = cc.country_id "
            "GROUP BY GROUPING SETS ((c.code, c.name), (c.region_slug, c.region))"
        )
    else:
        for facet, m, key, label in (
            ("country", m_country, "code", "name"),
            ("region", m_region, "region_slug", "region"),
        ):
            parts.append(
                f"SELECT '{facet}', c.{key}, c.{label}, COUNT(DISTINCT cc.casestudypage_id) "
                f"FROM {case_countries} cc JOIN {m} ON cc.casestudypage_id = {m}.id "
                f"JOIN {country} c ON c.id = cc.country_id GROUP BY c.{key}, c.{label}"
            )
    m = cte(id_sets["year"])
    parts.append(
        f"SELECT 'year', EXTRACT(YEAR FROM cs.first_seen)::int::text, '', COUNT(*) "
        f"FROM {case} cs JOIN {m} ON cs.page_ptr_id = {m}.id GROUP BY 2"
    )
    m = cte(id_sets["tactic"])
    parts.append(
        f"SELECT 'tactic', t.slug, t.name, COUNT(DISTINCT ct.casestudypage_id) FROM {case_tactics} ct "
        f"JOIN {m} ON ct.casestudypage_id = {m}.id JOIN {tactic} t ON t.id = ct.tactic_id GROUP BY t.slug, t.name"
    )
    parts.append(
        f"SELECT 'tactic', t.slug, t.name, COUNT(DISTINCT gt.guidepage_id) FROM {guide_threats} gt "
        f"JOIN {m} ON gt.guidepage_id = {m}.id JOIN {tactic} t ON t.id = gt.tactic_id GROUP BY t.slug, t.name"
    )
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
    raw = {"type": {}, "country": [], "region": [], "year": [], "tactic": []}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for facet, key, label, n in rows:
        if facet == "type":
            raw["type"][int(key)] = n
        elif facet == "year":
            raw["year"].append((int(key), n))
        else:
            raw[facet].append((key, label, n))
    return raw
