from django.db import migrations

from clients.note_defaults import service_codes_load_defaults, support_services_load_defaults


def load_defaults(apps, schema_editor):
    """Service codes T1012, S9445, H0024, H0025 (15-minute units, 16 a day, 3,600 a year) and the services
    provided, as editable data (DOMAIN.md, "Documentation and billing")."""
    service_codes_load_defaults(apps.get_model("clients", "ServiceCode"))
    support_services_load_defaults(apps.get_model("clients", "SupportService"))


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0004_session_notes_followups"),
    ]

    operations = [
        migrations.RunPython(load_defaults, migrations.RunPython.noop),
    ]
