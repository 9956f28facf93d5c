"""The French and Spanish content locales beside the default English one (issue 15).

Their page trees are created by `ensure_site_tree()` (load_demo), with Wagtail's copy_for_translation.
"""

from django.db import migrations

LANGUAGES = ("fr", "es")


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for language_code in LANGUAGES:
        Locale.objects.get_or_create(language_code=language_code)


def remove_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    # A locale that still holds pages stays (deleting it would be refused by its pages' foreign keys).
    for locale in Locale.objects.filter(language_code__in=LANGUAGES):
        if not apps.get_model("wagtailcore", "Page").objects.filter(locale=locale).exists():
            locale.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_merge_20261126_1057"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales, remove_locales)]
