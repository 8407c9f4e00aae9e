"""The BARC-10 and the demographic categories, as data (outcomes/defaults.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from outcomes.defaults import defaults_load

    defaults_load(*(apps.get_model("outcomes", name) for name in
                    ("Instrument", "Item", "ResponseOption", "Threshold", "Category")),
                  apps.get_model("clients", "Dimension"))


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_instruments_checkins_gpra_demographics"),
        ("clients", "0002_recovery_dimensions"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
