"""The guide list's filters: audience, topic and phase, by slug."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelMultipleChoiceField

from cases.models import ElectionPhase

from .models import Audience, GuidePage, Topic


class TermChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        # The term's name in the page's language (portal/names.py), not str(obj), which is English.
        return obj.label


class TermFilter(django_filters.ModelMultipleChoiceFilter):
    """A term filter shown as checkboxes (the list's form renders each choice as `<label>{{ tag }}`)."""

    field_class = TermChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class GuideFilterSet(django_filters.FilterSet):
    audience = TermFilter(
        field_name="audiences__slug", to_field_name="slug", queryset=Audience.objects.live(), label=_("Audience")
    )
    topic = TermFilter(field_name="topics__slug", to_field_name="slug", queryset=Topic.objects.live(), label=_("Topic"))
    phase = TermFilter(
        field_name="phases__slug", to_field_name="slug", queryset=ElectionPhase.objects.all(), label=_("Election phase")
    )

    class Meta:
        model = GuidePage
        fields = ["audience", "topic", "phase"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()
