"""Load the credential types of DOMAIN.md (peers/defaults.py) as shared defaults."""

from django.db import migrations

from peers.defaults import DEFAULT_CREDENTIAL_TYPES, load_default_credential_types


def load_defaults(apps, schema_editor):
    load_default_credential_types(apps.get_model("peers", "CredentialType"))


def remove_unused_defaults(apps, schema_editor):
    CredentialType = apps.get_model("peers", "CredentialType")
    names = [values["name"] for values in DEFAULT_CREDENTIAL_TYPES]
    CredentialType.objects.filter(program=None, name__in=names, credentials__isnull=True,
                                  program_versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("peers", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, remove_unused_defaults)]
