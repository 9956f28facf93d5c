"""The search form: the query and the filters, validated once; the view never re-parses GET."""

from django import forms
from django.utils.translation import gettext as _

from cases.models import Country, Tactic

from .queries import SORTS, TYPES


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=False)
    type = forms.MultipleChoiceField(choices=list(TYPES.items()), required=False)
    country = forms.MultipleChoiceField(required=False)
    region = forms.ChoiceField(required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    tactic = forms.MultipleChoiceField(required=False)
    sort = forms.ChoiceField(choices=list(SORTS.items()), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # The choices only validate what was sent (the page shows facets, not these fields), so
        # a search without those filters does not read every live country and tactic.
        given = set(data or ()) if self.is_bound else {"country", "region", "tactic"}
        if given & {"country", "region"}:
            self._set_place_choices()
        if "tactic" in given:
            self.fields["tactic"].choices = list(Tactic.objects.live().values_list("slug", "name"))

    def _set_place_choices(self):
        countries = list(
            Country.objects.live().values_list("code", "name", "region_slug", "region", "sub_region_slug", "sub_region")
        )
        self.fields["country"].choices = [(code, name) for code, name, *_rest in countries]
        regions = {slug: name for *_rest, slug, name, _sub_slug, _sub_name in countries if slug}
        regions.update({slug: name for *_rest, slug, name in countries if slug})
        self.fields["region"].choices = [("", _("Any region"))] + sorted(regions.items(), key=lambda item: item[1])

    def clean_country(self):
        return [code.upper() for code in self.cleaned_data["country"]]


def clean_search_params(querydict):
    """(cleaned values, {field: message}) — bad values are dropped and named, the rest applies."""
    params = querydict.copy()
    # Countries arrive as alpha-2 codes in any case ("ke", "KE").
    if "country" in params:
        params.setlist("country", [code.upper() for code in params.getlist("country")])
    form = SearchForm(params)
    errors = {}
    if not form.is_valid():
        errors = {name: " ".join(messages) for name, messages in form.errors.items()}
        for name in form.errors:
            params.pop(name, None)
        form = SearchForm(params)
        form.is_valid()
    return form.cleaned_data, errors
