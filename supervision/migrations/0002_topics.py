from django.db import migrations

from supervision.topics import topics_load_defaults


def load_topics(apps, schema_editor):
    """The default supervision topics (ethics and boundaries, self-care and burnout, …) as editable data."""
    topics_load_defaults(apps.get_model("supervision", "Topic"))


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0001_sessions"),
    ]

    operations = [
        migrations.RunPython(load_topics, migrations.RunPython.noop),
    ]
