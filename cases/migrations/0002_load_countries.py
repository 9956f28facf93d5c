"""Load every ISO 3166-1 country with its UN M49 region from pycountry and country_converter."""

from django.db import migrations
from django.utils.text import slugify


def load_countries(apps, schema_editor):
    from cases.regions import iso_countries

    Country = apps.get_model("cases", "Country")
    for row in iso_countries():
        Country.objects.update_or_create(
            code=row["code"],
            defaults={
                **{k: row[k] for k in ("alpha3", "numeric", "name", "iso_name", "official_name", "slug", "region", "sub_region")},
                "region_slug": slugify(row["region"]),
                "sub_region_slug": slugify(row["sub_region"]),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
