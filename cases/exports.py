"""The catalogue as data: /cases/export.csv and /cases/export.json, with the catalogue's filters.

Both stream: rows are read with `.iterator(chunk_size)` (prefetching each chunk's relations),
so memory stays flat and the number of queries depends only on the number of chunks.
Invalid filter values answer 400 with a message naming them, rather than data that silently
differs from what was asked for. `page` and unknown parameters are ignored; `sort` applies.
"""

import csv
import json

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .dates import iso_partial_date
from .filters import bind_case_filters

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


def neutralise(value):
    """A cell value a spreadsheet shows as text: a leading formula character gets an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def case_record(case, request):
    """One case as plain data: lists stay lists, dates keep their precision (2016, 2016-03, 2016-03-14)."""
    actors = list(case.actors.all())
    return {
        "title": case.title,
        "url": case.get_full_url(request),
        "summary": case.summary,
        "countries": sorted(c.code for c in case.countries.all()),
        "country_names": [c.name for c in case.countries.all()],
        "first_seen": iso_partial_date(case.first_seen, case.first_seen_precision),
        "last_seen": iso_partial_date(case.last_seen, case.last_seen_precision) or None,
        "election_name": case.election_name,
        "election_type": case.election_type,
        "election_date": case.election_date.isoformat() if case.election_date else None,
        "origin": case.origin,
        "attribution": case.attribution_status,
        "attribution_confidence": case.attribution_confidence,
        "attributed_by": case.attributed_by_list,
        "actors": [{"name": a.name, "type": a.actor_type} for a in actors],
        "tactics": [t.slug for t in case.tactics.all()],
        "channels": [c.slug for c in case.channels.all()],
        "targets": [t.slug for t in case.targets.all()],
        "sources": [
            {
                "publisher": s.publisher,
                "title": s.title,
                "date": iso_partial_date(s.date, s.date_precision) or None,
                "url": s.url,
                "archived_url": s.archived_url or None,
            }
            for s in case.sources.all()
        ],
        "last_published": case.last_published_at.isoformat() if case.last_published_at else None,
    }


def csv_row(record, case):
    """The CSV cells of a record: names where a reader wants words, every cell neutralised."""
    names = {
        "tactics": [t.name for t in case.tactics.all()],
        "channels": [c.name for c in case.channels.all()],
        "targets": [t.name for t in case.targets.all()],
        "actors": [a["name"] for a in record["actors"]],
        "actor_types": sorted({a["type"] for a in record["actors"]}),
        "sources": [s["url"] for s in record["sources"]],
    }
    cells = []
    for column in CSV_COLUMNS:
        value = names[column] if column in names else record.get(column)
        if isinstance(value, list):
            value = "; ".join(value)
        cells.append(neutralise(value))
    return cells


def filters_or_400(request):
    """(queryset, None) for valid filters, or (None, 400 response) naming what was wrong."""
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
    cases = filterset.qs.for_export().iterator(chunk_size=CHUNK_SIZE)
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for case in cases:
            yield writer.writerow(csv_row(case_record(case, request), case))

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
        "source": request.build_absolute_uri("/cases/"),
        "note": CITATION_NOTE,
    }

    def chunks():
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
        for index, case in enumerate(queryset.for_export().iterator(chunk_size=CHUNK_SIZE)):
            yield ("," if index else "") + json.dumps(case_record(case, request), ensure_ascii=False)
        yield "]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_export_name("json")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
