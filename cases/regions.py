"""ISO 3166-1 countries with their UN M49 region and sub-region, from maintained packages.

The list of countries comes from pycountry (ISO 3166-1). The most detailed M49 grouping
("Eastern Africa", "Southern Europe") comes from country_converter's bundled table; M49's
five top-level regions are derived from it with the small table below, because
country_converter's own "continent" column is not M49.
"""

import csv
from pathlib import Path

import country_converter
import pycountry
from django.utils.text import slugify

M49_REGION_OF_SUBREGION = {
    "Northern Africa": "Africa",
    "Eastern Africa": "Africa",
    "Middle Africa": "Africa",
    "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
}


def _converter_rows_by_alpha3():
    table = Path(country_converter.__file__).with_name("country_data.tsv")
    with table.open(encoding="utf-8") as handle:
        return {row["ISO3"]: row for row in csv.DictReader(handle, delimiter="\t")}


def iso_countries():
    """Yield a dict per ISO 3166-1 country: code, alpha3, numeric, name, official_name, slug, regions."""
    rows = _converter_rows_by_alpha3()
    for country in pycountry.countries:
        row = rows.get(country.alpha_3, {})
        sub_region = row.get("UNregion") or ""
        # country_converter's short names are the ones people use ("Taiwan", "South Korea").
        name = row.get("name_short") or getattr(country, "common_name", None) or country.name
        yield {
            "code": country.alpha_2,
            "alpha3": country.alpha_3,
            "numeric": country.numeric,
            "name": name,
            "iso_name": country.name,
            "official_name": getattr(country, "official_name", "") or "",
            "slug": slugify(name),
            "region": M49_REGION_OF_SUBREGION.get(sub_region, ""),
            "sub_region": sub_region,
        }
