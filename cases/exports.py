"""The catalogue as data: /cases/export.csv and /cases/export.json, with the catalogue's filters.

Both stream, and both read plain values rather than pages: the case columns come from one
`values_list` iterator, and for each chunk of CHUNK_SIZE cases one query per relation reads the
link rows (and one the sources) of the whole chunk. The terms those links point to (countries,
actors, tactics, channels, targets) are read once per export into small dicts. So memory stays
flat and the number of queries depends only on the number of chunks, and no model instance is
built per case. Invalid filter values answer 400 with a message naming them, rather than data
that silently differs from what was asked for. `page` and unknown parameters are ignored;
`sort` applies.
"""

import csv
import json
import re
from collections import defaultdict, namedtuple
from itertools import islice

from django.conf import settings
from django.db import connection
from django.db.models import F, Lookup
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Page

from portal.absolute_urls import absolute_url

from .dates import iso_partial_date
from .filters import bind_case_filters
from .models import CaseSource, CaseStudyPage
from .models.pages import split_attributed_by

# Cases read per round of queries (measured at 100,000 cases: 2,000 was no faster than 500).
CHUNK_SIZE = 500

CSV_COLUMNS = [
    "title",
    "url",
    "summary",
    "countries",
    "country_names",
    "first_seen",
    "last_seen",
    "election_name",
    "election_type",
    "election_date",
    "origin",
    "attribution",
    "attribution_confidence",
    "attributed_by",
    "actors",
    "actor_types",
    "tactics",
    "channels",
    "targets",
    "sources",
    "last_published",
]
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CITATION_NOTE = (
    "Compiled by the Election Integrity Portal from the published sources listed with each case. "
    "Cite the case page (url) and, for facts, the original sources."
)

# The columns of a case an export reads, in the order `ExportCase` unpacks them.
CASE_FIELDS = (
    "pk",
    "url_path",
    "title",
    "summary",
    "first_seen",
    "first_seen_precision",
    "last_seen",
    "last_seen_precision",
    "election_name",
    "election_type",
    "election_date",
    "origin",
    "attribution_status",
    "attribution_confidence",
    "attributed_by",
    "last_published_at",
)
# Each many-to-many relation exported, with the two term fields it shows. Terms are listed in
# their model's order (name), as the pages' own relations list them.
TERM_FIELDS = {
    "countries": ("code", "name"),
    "actors": ("name", "actor_type"),
    "tactics": ("slug", "name"),
    "channels": ("slug", "name"),
    "targets": ("slug", "name"),
}
# A source row keeps its case's id first: (page_id, publisher, title, date, precision, url, archived).
SOURCE_FIELDS = ("page_id", "publisher", "title", "date", "date_precision", "url", "archived_url")
# A slug that reverse() puts in a URL unchanged, so a case's URL is its parent's plus the slug.
PLAIN_SLUG = re.compile(r"[A-Za-z0-9_-]+")


def neutralise(value):
    """A cell value a spreadsheet shows as text: a leading formula character gets an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# -- reading the cases ----------------------------------------------------------------


class CaseUrls:
    """Full case URLs exactly as `Page.get_full_url(request)` gives them, without a page per case.

    Wagtail's URL depends only on the page's `url_path` (and the sites), so the URL of a parent
    page is worked out once by Wagtail itself and a case with a plain slug gets that plus
    "slug/". Anything unusual (a slug reverse() would escape, WAGTAIL_APPEND_SLASH off, a parent
    that is not routable) is left to Wagtail for that case.
    """

    def __init__(self, request):
        self.request = request
        self.append_slash = getattr(settings, "WAGTAIL_APPEND_SLASH", True)
        self.parents = {}

    def __call__(self, url_path):
        parent_path, _, slug = url_path[:-1].rpartition("/")
        if self.append_slash and PLAIN_SLUG.fullmatch(slug):
            parent_path += "/"
            if parent_path not in self.parents:
                self.parents[parent_path] = self.wagtail_url(parent_path)
            parent_url = self.parents[parent_path]
            if parent_url and parent_url.endswith("/"):
                return f"{parent_url}{slug}/"
        return self.wagtail_url(url_path)

    def wagtail_url(self, url_path):
        # Page.get_url_parts reads only url_path and the (request-cached) site root paths.
        return Page(url_path=url_path).get_full_url(self.request)


class Terms:
    """The terms of one vocabulary in their listing order, read once per export: {id: rank} and rows."""

    def __init__(self, relation):
        self.through, self.case_column, term = CaseStudyPage.link_table(relation)
        self.model = CaseStudyPage._meta.get_field(relation).related_model
        self.fields = TERM_FIELDS[relation]
        self.term_column = f"{term}_id"
        self.hidden = set()  # linked terms the public does not see (never published, unpublished)
        self.load()

    def load(self):
        ordering = [*self.model._meta.ordering, "pk"]
        self.rank = {}
        self.rows = []
        terms = self.model.objects.live().order_by(*ordering).values_list("pk", *self.fields)
        for rank, (pk, *values) in enumerate(terms):
            self.rank[pk] = rank
            self.rows.append(tuple(values))

    def of_cases(self, ids):
        """{case id: [term rows in listing order]} for these cases: one query.

        (One UNION ALL over the five link tables was measured slower than five plain queries.)
        """
        links = of_ids(self.through.objects.all(), self.case_column, ids)
        links = list(links.values_list(self.case_column, self.term_column))
        try:
            return self._by_case(links)
        except KeyError:  # a term published while the export ran, or one that is not live: read again
            self.load()
            self.hidden |= {term_id for _case_id, term_id in links if term_id not in self.rank}
            return self._by_case(links)

    def _by_case(self, links):
        ranks = defaultdict(list)
        rank = self.rank
        hidden = self.hidden
        for case_id, term_id in links:
            if term_id not in hidden:
                ranks[case_id].append(rank[term_id])
        rows = self.rows
        return {case_id: [rows[rank] for rank in sorted(ranked)] for case_id, ranked in ranks.items()}


def sources_of(ids):
    """{case id: [source rows in their order]} for these cases: one query."""
    found = defaultdict(list)
    rows = of_ids(CaseSource.objects.all(), "page_id", ids).order_by("page_id", "sort_order", "pk")
    for row in rows.values_list(*SOURCE_FIELDS):
        found[row[0]].append(row)
    return found


def linked_ids(relation, ids):
    """{case id: [ids of the terms it links to through the many-to-many `relation`]} for these cases: one query."""
    through, case_column, term = CaseStudyPage.link_table(relation)
    found = defaultdict(list)
    for case_id, term_id in of_ids(through.objects.all(), case_column, ids).values_list(case_column, f"{term}_id"):
        found[case_id].append(term_id)
    return found


def of_ids(queryset, column, ids):
    """The rows whose `column` is one of `ids`.

    On PostgreSQL as `column = ANY(array)`: one parameter rather than one per id, which
    Django and psycopg otherwise prepare and quote one by one (a third of an export's time).
    """
    if connection.vendor == "postgresql":
        return queryset.filter(AnyOf(F(column), list(ids)))
    return queryset.filter(**{f"{column}__in": ids})


class AnyOf(Lookup):
    """`column = ANY(%s)` with the whole list as one PostgreSQL array parameter."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)


# One case as an export sees it: its columns, its URL, its terms and its sources. A named
# tuple because one is built per case, and a tuple is the cheapest object Python makes.
ExportCase = namedtuple("ExportCase", [*CASE_FIELDS, "url", *TERM_FIELDS, "sources"])


def export_chunks(queryset, request):
    """The cases of a (published, filtered, sorted) queryset as lists of ExportCases, a chunk at a time."""
    vocabularies = [Terms(relation) for relation in TERM_FIELDS]
    urls = CaseUrls(request)
    rows = queryset.values_list(*CASE_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        ids = [values[0] for values in chunk]
        countries, actors, tactics, channels, targets = [terms.of_cases(ids) for terms in vocabularies]
        sources = sources_of(ids)
        yield [
            ExportCase(
                *values,
                urls(values[1]),
                countries.get(values[0], ()),
                actors.get(values[0], ()),
                tactics.get(values[0], ()),
                channels.get(values[0], ()),
                targets.get(values[0], ()),
                sources.get(values[0], ()),
            )
            for values in chunk
        ]


# -- writing them ---------------------------------------------------------------------


def case_record(case):
    """One case as plain data: lists stay lists, dates keep their precision (2016, 2016-03, 2016-03-14)."""
    return {
        "title": case.title,
        "url": case.url,
        "summary": case.summary,
        "countries": sorted(code for code, _ in case.countries),
        "country_names": [name for _, name in case.countries],
        "first_seen": iso_partial_date(case.first_seen, case.first_seen_precision),
        "last_seen": iso_partial_date(case.last_seen, case.last_seen_precision) or None,
        "election_name": case.election_name,
        "election_type": case.election_type,
        "election_date": case.election_date.isoformat() if case.election_date else None,
        "origin": case.origin,
        "attribution": case.attribution_status,
        "attribution_confidence": case.attribution_confidence,
        "attributed_by": split_attributed_by(case.attributed_by),
        "actors": [{"name": name, "type": actor_type} for name, actor_type in case.actors],
        "tactics": [slug for slug, _ in case.tactics],
        "channels": [slug for slug, _ in case.channels],
        "targets": [slug for slug, _ in case.targets],
        "sources": [
            {
                "publisher": publisher,
                "title": title,
                "date": iso_partial_date(date, precision) or None,
                "url": url,
                "archived_url": archived_url or None,
            }
            for _, publisher, title, date, precision, url, archived_url in case.sources
        ],
        "last_published": case.last_published_at.isoformat() if case.last_published_at else None,
    }


def csv_row(case):
    """The CSV cells of a case, in CSV_COLUMNS order: names where a reader wants words, every cell neutralised."""
    join = "; ".join
    cells = (
        case.title,
        case.url or "",
        case.summary,
        join(sorted([code for code, _ in case.countries])),
        join([name for _, name in case.countries]),
        iso_partial_date(case.first_seen, case.first_seen_precision),
        iso_partial_date(case.last_seen, case.last_seen_precision),
        case.election_name,
        case.election_type,
        case.election_date.isoformat() if case.election_date else "",
        case.origin,
        case.attribution_status,
        case.attribution_confidence,
        join(split_attributed_by(case.attributed_by)),
        join([name for name, _ in case.actors]),
        join(sorted({actor_type for _, actor_type in case.actors})),
        join([name for _, name in case.tactics]),
        join([name for _, name in case.channels]),
        join([name for _, name in case.targets]),
        join([source[5] for source in case.sources]),
        case.last_published_at.isoformat() if case.last_published_at else "",
    )
    # neutralise() inlined, as every cell here is already text: it runs 21 times per case.
    return [f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell for cell in cells]


def filters_or_400(request):
    """(filterset, None) for valid filters, or (None, 400 response) naming what was wrong."""
    filterset, problems = bind_case_filters(request.GET)
    if problems:
        message = "The filters could not be applied:\n" + "\n".join(f"- {p}" for p in problems)
        return None, HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
    return filterset, None


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _export_name(extension):
    return f"election-interference-cases-{timezone.localdate().isoformat()}.{extension}"


@require_GET
def export_csv(request):
    """Every matching case as one CSV row; UTF-8 with a byte-order mark so spreadsheets read accents."""
    filterset, error = filters_or_400(request)
    if error:
        return error
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        # One string per chunk rather than per row: the response's per-item work adds up.
        for chunk in export_chunks(filterset.qs, request):
            yield "".join([writer.writerow(csv_row(case)) for case in chunk])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def export_json(request):
    """{"count", "filters", "note", "generated", "results": [...]}, streamed one case at a time."""
    filterset, error = filters_or_400(request)
    if error:
        return error
    queryset = filterset.qs
    count = queryset.count()
    head = {
        "count": count,
        "filters": {name: filterset.data.getlist(name) for name in filterset.data},
        "generated": timezone.now().isoformat(timespec="seconds"),
        "source": absolute_url(request, "/cases/"),
        "note": CITATION_NOTE,
    }

    def chunks():
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
        separator = ""
        for chunk in export_chunks(queryset, request):
            yield separator + ",".join([json.dumps(case_record(case), ensure_ascii=False) for case in chunk])
            separator = ","
        yield "]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_export_name("json")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
