"""The shapes of the API's answers, declared once for the OpenAPI document.

The views build plain dicts (the same records as the CSV/JSON exports, cases/exports.py) rather
than serialising model instances, which keeps a page of 100 cases to a fixed handful of queries;
these serializers describe those dicts, and api/tests check every answer against the schema
generated from them, so the document cannot drift from what is served.
"""

from rest_framework import serializers


class ActorSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField(help_text="Actor type, e.g. state-intelligence, commercial-firm.")


class SourceSerializer(serializers.Serializer):
    publisher = serializers.CharField()
    title = serializers.CharField()
    date = serializers.CharField(allow_null=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD, as precise as known.")
    url = serializers.URLField()
    archived_url = serializers.URLField(allow_null=True)


class CaseSerializer(serializers.Serializer):
    """One case, with the fields of /cases/export.json, plus its slug and API address."""

    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The case's public page.")
    api_url = serializers.URLField()
    summary = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166-1 alpha-2 codes.")
    country_names = serializers.ListField(child=serializers.CharField())
    first_seen = serializers.CharField(help_text="YYYY, YYYY-MM or YYYY-MM-DD.")
    last_seen = serializers.CharField(allow_null=True)
    election_name = serializers.CharField(allow_blank=True)
    election_type = serializers.CharField(allow_blank=True)
    election_date = serializers.DateField(allow_null=True)
    origin = serializers.CharField(help_text="foreign, domestic, mixed or unknown.")
    attribution = serializers.CharField(help_text="judicial, official, platform, independent, alleged, unattributed.")
    attribution_confidence = serializers.CharField()
    attributed_by = serializers.ListField(child=serializers.CharField())
    actors = ActorSerializer(many=True)
    tactics = serializers.ListField(child=serializers.SlugField())
    channels = serializers.ListField(child=serializers.SlugField())
    targets = serializers.ListField(child=serializers.SlugField())
    sources = SourceSerializer(many=True)
    last_published = serializers.DateTimeField(allow_null=True)


class TechniqueSerializer(serializers.Serializer):
    external_id = serializers.CharField(help_text="DISARM technique id, e.g. T0086.002.")
    name = serializers.CharField()
    disarm_tactic = serializers.CharField(allow_blank=True)
    framework_version = serializers.CharField()
    url = serializers.URLField()


class CorrectionSerializer(serializers.Serializer):
    date = serializers.DateField()
    description = serializers.CharField()


class CaseDetailSerializer(CaseSerializer):
    response = serializers.CharField(allow_blank=True)
    disarm_techniques = TechniqueSerializer(many=True)
    corrections = CorrectionSerializer(many=True)
    last_reviewed = serializers.DateField(allow_null=True)


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    name = serializers.CharField()
    slug = serializers.SlugField()
    region = serializers.CharField(help_text="UN M49 region.")
    sub_region = serializers.CharField(help_text="UN M49 sub-region.")
    case_count = serializers.IntegerField(help_text="Published cases about this country's elections.")
    url = serializers.URLField()
    api_url = serializers.URLField()
    cases_api_url = serializers.URLField(help_text="This country's cases in the case list.")


class CountryDetailSerializer(CountrySerializer):
    profile = serializers.CharField(allow_blank=True, help_text="The commission's profile, as HTML.")


class TacticSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    case_count = serializers.IntegerField()
    cases_api_url = serializers.URLField()
    disarm_techniques = TechniqueSerializer(many=True)


class CaseLinkSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()


class ChecklistItemSerializer(serializers.Serializer):
    item = serializers.CharField()
    why = serializers.CharField()
    owner = serializers.CharField(allow_blank=True)
    verify = serializers.CharField(allow_blank=True)


class GuideSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    summary = serializers.CharField()
    audiences = serializers.ListField(child=serializers.SlugField())
    topics = serializers.ListField(child=serializers.SlugField())
    last_reviewed = serializers.DateField(allow_null=True)
    review_due = serializers.DateField(allow_null=True)
    last_published = serializers.DateTimeField(allow_null=True)


class GuideDetailSerializer(GuideSerializer):
    phases = serializers.ListField(child=serializers.SlugField())
    threats = serializers.ListField(child=serializers.SlugField(), help_text="Tactic slugs the guide addresses.")
    checklist = ChecklistItemSerializer(many=True)
    related_cases = CaseLinkSerializer(many=True)


def paginated(serializer_class, name):
    """A list envelope: count, next, previous, results."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


PaginatedCaseList = paginated(CaseSerializer, "PaginatedCaseList")
PaginatedCountryList = paginated(CountrySerializer, "PaginatedCountryList")
PaginatedTacticList = paginated(TacticSerializer, "PaginatedTacticList")
PaginatedGuideList = paginated(GuideSerializer, "PaginatedGuideList")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per query parameter, what was wrong with its values.",
    )
