"""The shipped resource categories, as data (referrals/defaults.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from referrals.defaults import categories_load

    categories_load(apps.get_model("referrals", "Category"))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_directory_and_referrals")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
