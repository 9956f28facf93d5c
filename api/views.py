"""The read API at /api/v1/: cases, countries, tactics and guides, published content only.

Cases are read exactly as the catalogue reads them: the one CaseFilterSet validates the query
(cases/filters.py), the catalogue's in-memory index (cases/index.py) gives the count and the ids
of one page, and the export code (cases/exports.py) reads those cases' records in a fixed number
of queries. So a filtered list costs the same at 100 cases or 100,000, and the API, the exports
and the catalogue cannot disagree about what a filter means.
"""

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from cases.filters import CaseFilterSet, bind_case_filters
from cases.live_index import catalogue_index
from portal import versioning
from portal.conditional import not_modified

from . import records, serializers
from .caching import add_public_headers, version_of
from .throttling import AnonymousThrottle

PAGE_SIZE, PAGE_SIZE_MAX = 20, 100


class BadParameters(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Some query parameters could not be applied; nothing was returned."

    def __init__(self, errors):
        super().__init__()
        self.errors = errors


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, BadParameters):
        response.data = {"detail": str(exc.detail), "errors": exc.errors}
    return response


def paging(params):
    """(page, page size) from ?page= and ?page_size=, or BadParameters naming what is wrong."""
    errors, values = {}, {}
    for name, default, highest in (("page", 1, None), ("page_size", PAGE_SIZE, PAGE_SIZE_MAX)):
        raw = params.get(name, "").strip()
        if not raw:
            values[name] = default
            continue
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1 or (highest and number > highest):
            limit = f"from 1 to {highest}" if highest else "from 1"
            errors[name] = [f"“{raw[:20]}” is not a valid {name.replace('_', ' ')}: give a whole number {limit}."]
        values[name] = number
    if errors:
        raise BadParameters(errors)
    return values["page"], values["page_size"]


def page_envelope(request, count, page, size, results):
    """count, next, previous and results, with absolute links that keep every other parameter."""

    def link(number):
        params = request.query_params.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    last = max(1, -(-count // size))
    if page > last and count:
        raise BadParameters({"page": [f"There is no page {page}; the last page is {last}."]})
    return {
        "count": count,
        "next": link(page + 1) if page < last else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": results,
    }


def filter_errors(params):
    """{parameter: [messages]} for the case filters that could not be applied as given."""
    errors = {}
    for name in params:
        if name in CaseFilterSet.base_filters:
            alone = QueryDict(mutable=True)
            alone.setlist(name, params.getlist(name))
            problems = bind_case_filters(alone)[1]
            if problems:
                errors[name] = problems
    return errors


def case_filter_parameters():
    """The catalogue's filters as OpenAPI query parameters, read off the FilterSet itself."""
    parameters = []
    for name, filter_ in CaseFilterSet.base_filters.items():
        many = "Multiple" in type(filter_).__name__
        choices = filter_.extra.get("choices")
        enum = [value for value, _ in choices] if isinstance(choices, list | tuple) else None
        if many:
            kind = {"type": "array", "items": {"type": "string", **({"enum": enum} if enum else {})}}
        else:
            kind = {"type": "integer"} if name.startswith("year") else {"type": "string"}
            if enum:
                kind["enum"] = enum
        description = str(filter_.label or name) + (" (repeat the parameter for several values: OR)" if many else "")
        parameters.append(OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, explode=True))
    return parameters


PAGING_PARAMETERS = [
    OpenApiParameter("page", int, OpenApiParameter.QUERY, description="Page number, from 1."),
    OpenApiParameter("page_size", int, OpenApiParameter.QUERY, description=f"Results per page, 1–{PAGE_SIZE_MAX}."),
]
BAD_REQUEST = OpenApiResponse(serializers.ErrorSerializer, description="A parameter could not be applied.")


class PublicView(APIView):
    """A read-only view of published content, cached by content version, open to any origin."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [AnonymousThrottle]

    def get(self, request, *args, **kwargs):
        etag, changed_at = version_of(request)
        if not_modified(request, etag, changed_at):
            return add_public_headers(Response(status=status.HTTP_304_NOT_MODIFIED), etag, changed_at)
        with versioning.watching_lag() as lagging:
            response = Response(self.build(request, *args, **kwargs))
        return add_public_headers(response, etag, changed_at, lagging=lagging())

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400:
            add_public_headers(response)
            response["Cache-Control"] = "no-store" if response.status_code == 429 else "public, max-age=60"
        return response


class CaseList(PublicView):
    @extend_schema(
        operation_id="cases_list",
        summary="Cases, filtered as in the catalogue",
        parameters=case_filter_parameters() + PAGING_PARAMETERS,
        responses={200: serializers.PaginatedCaseList, 400: BAD_REQUEST},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def build(self, request):
        filterset, problems = bind_case_filters(request.query_params)
        if problems:
            raise BadParameters(filter_errors(request.query_params) or {"filters": problems})
        page, size = paging(request.query_params)
        index = catalogue_index()
        matching = index.select(filterset.active).matching()
        ids = index.page_ids(matching, filterset.sort_order, (page - 1) * size, size)
        return page_envelope(request, matching.bit_count(), page, size, records.cases(ids, request))


class CaseDetail(PublicView):
    @extend_schema(
        operation_id="cases_detail",
        summary="One case",
        responses={200: serializers.CaseDetailSerializer, 404: OpenApiResponse()},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def build(self, request, slug):
        record = records.case_detail(slug, request)
        if record is None:
            raise Http404
        return record


class CountryList(PublicView):
    @extend_schema(
        operation_id="countries_list",
        summary="Countries with published cases",
        parameters=PAGING_PARAMETERS,
        responses={200: serializers.PaginatedCountryList, 400: BAD_REQUEST},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def build(self, request):
        page, size = paging(request.query_params)
        countries = records.countries(request)
        start = (page - 1) * size
        return page_envelope(request, len(countries), page, size, countries[start : start + size])


class CountryDetail(PublicView):
    @extend_schema(
        operation_id="countries_detail",
        summary="One country",
        responses={200: serializers.CountryDetailSerializer, 404: OpenApiResponse()},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def build(self, request, slug):
        record = records.country_detail(slug, request)
        if record is None:
            raise Http404
        return record


class TacticList(PublicView):
    @extend_schema(
        operation_id="tactics_list",
        summary="Tactics, with the DISARM techniques each covers",
        parameters=PAGING_PARAMETERS,
        responses={200: serializers.PaginatedTacticList, 400: BAD_REQUEST},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def build(self, request):
        page, size = paging(request.query_params)
        tactics = records.tactics(request)
        start = (page - 1) * size
        return page_envelope(request, len(tactics), page, size, tactics[start : start + size])


class GuideList(PublicView):
    @extend_schema(
        operation_id="guides_list",
        summary="Best-practice guides",
        parameters=PAGING_PARAMETERS,
        responses={200: serializers.PaginatedGuideList, 400: BAD_REQUEST},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def build(self, request):
        page, size = paging(request.query_params)
        count, guides = records.guides(request, (page - 1) * size, size)
        return page_envelope(request, count, page, size, guides)


class GuideDetail(PublicView):
    @extend_schema(
        operation_id="guides_detail",
        summary="One guide",
        responses={200: serializers.GuideDetailSerializer, 404: OpenApiResponse()},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def build(self, request, slug):
        record = records.guide_detail(slug, request)
        if record is None:
            raise Http404
        return record


def docs(request):
    """The human documentation at /api/: endpoints, filters, examples in curl and Python."""
    base = request.build_absolute_uri("/api/v1/")
    return render(
        request,
        "api/docs.html",
        {
            "base": base,
            "schema_url": request.build_absolute_uri(reverse("api-schema")),
            "filters": [(name, f.label) for name, f in CaseFilterSet.base_filters.items()],
            "page_size_max": PAGE_SIZE_MAX,
        },
    )
