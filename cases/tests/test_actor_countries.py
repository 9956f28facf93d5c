"""Countries that attack as well as countries attacked: hubs, the country index, the catalogue's
"Actors based in" filter and the exports all tell the country of an election from the country of an actor.

In the test catalogue (catalogue_data.py) Russia has no case about its own elections, and two
published cases name actors based there (the Internet Research Agency and the GRU in one case, the
Social Design Agency in another); China has one; Belarus only a hidden one.
"""

import pytest

from cases.models import Country
from cases.tests.catalogue_data import HIDDEN_TITLES, listed_titles, streamed

pytestmark = pytest.mark.django_db

RUSSIAN = ["Doppelganger: cloned news sites in Germany and France", "United States 2016: Internet Research Agency"]


def hub(client, code):
    country = Country.objects.get(code=code)
    return country, client.get(country.get_absolute_url()).content.decode()


def test_the_hub_of_a_country_lists_the_operations_of_actors_based_there(client, catalogue):
    russia, html = hub(client, "RU")
    assert f"0 published cases about elections in {russia.name} · 2 attributed to actors based in {russia.name}" in html
    # With no case about its own elections, the hub shows its region's cases and the guides after this section.
    section = html[html.index('id="actor-cases-heading"') : html.index('id="nearby-heading"')]
    assert f"Operations attributed to actors based in {russia.name}" in section
    assert '<span class="count">(2 cases)</span>' in section
    assert section.index("Doppelganger") < section.index("Internet Research Agency")  # newest first
    assert 'href="/cases/?actor_country=RU">Filter these 2 cases in the catalogue</a>' in section
    assert f"no published case about elections in {russia.name} yet" in html  # none about its own elections


def test_a_country_attacked_and_not_attacking_has_no_such_section(client, catalogue):
    _, html = hub(client, "KE")
    assert 'id="actor-cases-heading"' not in html
    assert "0 attributed to actors based in Kenya" in html


def test_hidden_cases_never_make_a_country_an_attacker(client, catalogue):
    belarus, html = hub(client, "BY")
    assert 'id="actor-cases-heading"' not in html
    for title in HIDDEN_TITLES:
        assert title not in html
    assert belarus.get_absolute_url() not in client.get("/countries/").content.decode()
    catalogue_html = client.get("/cases/").content.decode()
    facet = catalogue_html[catalogue_html.index('data-facet="actor_country"') :]
    facet = facet[: facet.index("</fieldset>")]
    assert 'value="BY"' not in facet


def test_the_country_index_labels_the_two_counts(client, catalogue):
    russia = Country.objects.get(code="RU")
    html = client.get("/countries/").content.decode()
    link = f'<a href="{russia.get_absolute_url()}">{russia.name}</a>'
    counts = '<span class="count">0 cases about its elections</span> <span class="count">2 by actors based there</span>'
    assert f"{link} {counts}" in html


def test_the_catalogue_filters_by_actor_country_with_a_facet(client, catalogue):
    response = client.get("/cases/?actor_country=ru")
    assert sorted(listed_titles(response)) == RUSSIAN
    html = response.content.decode()
    assert "Actors based in: " in html  # the chip
    facet = html[html.index('data-facet="actor_country"') :]
    facet = facet[: facet.index("</fieldset>")]
    assert "<legend>Actors based in" in facet
    assert 'value="RU" checked' in facet and 'value="CN"' in facet and 'value="GB"' in facet
    # Several values are OR; with the election's country it is AND.
    assert len(listed_titles(client.get("/cases/?actor_country=RU&actor_country=CN"))) == 3
    assert listed_titles(client.get("/cases/?actor_country=RU&country=US")) == [RUSSIAN[1]]


def test_an_unknown_actor_country_is_explained_not_an_error(client, catalogue):
    response = client.get("/cases/?actor_country=XX&actor_country=CN")
    assert response.status_code == 200
    assert "“XX” is not a known ISO country code." in response.content.decode()
    assert listed_titles(response) == ["Taiwan 2024: deepfake of a candidate"]


def test_exports_use_the_same_filter(client, catalogue):
    csv = streamed(client.get("/cases/export.csv?actor_country=RU"))
    assert "Doppelganger" in csv and "Internet Research Agency" in csv and "Taiwan 2024" not in csv
    assert client.get("/cases/export.json?actor_country=XX").status_code == 400
