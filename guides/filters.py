"""The guide list's filters: audience, topic and phase, by slug."""

import django_filters

from cases.models import ElectionPhase

from .models import Audience, GuidePage, Topic


class GuideFilterSet(django_filters.FilterSet):
    audience = django_filters.ModelMultipleChoiceFilter(
        field_name="audiences__slug", to_field_name="slug", queryset=Audience.objects.live(), label="Audience"
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        field_name="topics__slug", to_field_name="slug", queryset=Topic.objects.live(), label="Topic"
    )
    phase = django_filters.ModelMultipleChoiceFilter(
        field_name="phases__slug", to_field_name="slug", queryset=ElectionPhase.objects.all(), label="Election phase"
    )

    class Meta:
        model = GuidePage
        fields = ["audience", "topic", "phase"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()
