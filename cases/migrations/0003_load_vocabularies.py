"""Load the initial vocabularies (DISARM techniques, tactics, channels, targets, phases, audiences)."""

from django.db import migrations


def load(apps, schema_editor):
    from cases.vocabularies import load_vocabularies

    load_vocabularies(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_load_countries"), ("guides", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
