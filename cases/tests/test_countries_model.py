"""Countries come from ISO 3166-1 with UN M49 regions, loaded by a migration."""

import pytest

from cases.models import Country, DisarmTechnique, Tactic

pytestmark = pytest.mark.django_db


def test_every_iso_country_is_loaded_with_a_region():
    assert Country.objects.count() == 249
    assert not Country.objects.filter(region="").exists()
    assert not Country.objects.filter(sub_region="").exists()


@pytest.mark.parametrize(
    "code, name, slug, region, sub_region",
    [
        ("KE", "Kenya", "kenya", "Africa", "Eastern Africa"),
        ("MK", "North Macedonia", "north-macedonia", "Europe", "Southern Europe"),
        ("TR", "Türkiye", "turkiye", "Asia", "Western Asia"),
        ("TW", "Taiwan", "taiwan", "Asia", "Eastern Asia"),
        ("MX", "Mexico", "mexico", "Americas", "Central America"),
        ("UA", "Ukraine", "ukraine", "Europe", "Eastern Europe"),
        ("GB", "United Kingdom", "united-kingdom", "Europe", "Northern Europe"),
    ],
)
def test_countries_have_names_slugs_and_m49_regions(code, name, slug, region, sub_region):
    country = Country.objects.get(code=code)
    assert (country.name, country.slug, country.region, country.sub_region) == (name, slug, region, sub_region)


def test_region_lookup_accepts_region_or_sub_region():
    assert Country.objects.in_region("eastern-africa").filter(code="KE").exists()
    assert Country.objects.in_region("africa").filter(code="KE").exists()
    assert not Country.objects.in_region("europe").filter(code="KE").exists()


def test_tactics_carry_their_disarm_techniques():
    tactic = Tactic.objects.get(slug="bot-amplification")
    assert tactic.name == "Bot amplification"
    ids = set(tactic.disarm_techniques.values_list("external_id", flat=True))
    assert {"T0049", "T0049.003", "T0093.002"} <= ids
    technique = DisarmTechnique.objects.get(external_id="T0049.003")
    assert technique.framework_version == "1.6"
    assert technique.name == "Bots Amplify via Automated Forwarding and Reposting"
    # A tactic DISARM does not cover has no techniques, on purpose.
    assert not Tactic.objects.get(slug="vote-buying").disarm_techniques.exists()
