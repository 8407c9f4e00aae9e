"""The credential types of DOMAIN.md, shared by every program (a program admin may adapt them).

[V] = published, [U] = unconfirmed default: all of it is data an admin can change, never code.
"""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    {
        "name": "Certified Peer Recovery Specialist",
        "abbreviation": "CPRS",
        "issuing_body": "Virginia Certification Board (VCB)",
        "cycle_months": 24,  # [U]
        "ce_hours": Decimal(20),  # [U]
        "ethics_hours": Decimal(3),  # [V] VCB recertification page
        "makes_billable": False,
        "training_hours_required": Decimal(72),  # [V] DBHDS peer training
        "experience_hours_required": Decimal(500),
        "supervision_hours_required": Decimal(0),
    },
    {
        "name": "Registered Peer Recovery Specialist",
        "abbreviation": "RPRS",
        "issuing_body": "Virginia Board of Counseling",
        "cycle_months": 12,  # [V] 18VAC115-70-60
        "ce_hours": Decimal(8),
        "ethics_hours": Decimal(2),
        "makes_billable": True,  # [V] registration is required for Medicaid reimbursement
        "training_hours_required": Decimal(0),
        "experience_hours_required": Decimal(0),
        "supervision_hours_required": Decimal(0),
    },
    {
        "name": "IC&RC Peer Recovery",
        "abbreviation": "PR",
        "issuing_body": "An IC&RC member board",
        "cycle_months": 24,  # [V]
        "ce_hours": Decimal(20),
        "ethics_hours": Decimal(6),
        "makes_billable": False,
        "training_hours_required": Decimal(46),  # [V] IC&RC PR page
        "experience_hours_required": Decimal(500),
        "supervision_hours_required": Decimal(25),
    },
]


def load_defaults(apps, schema_editor):
    CredentialType = apps.get_model("peers", "CredentialType")
    for values in DEFAULTS:
        CredentialType.objects.get_or_create(program=None, name=values["name"], defaults=values)


def remove_unused_defaults(apps, schema_editor):
    CredentialType = apps.get_model("peers", "CredentialType")
    names = [values["name"] for values in DEFAULTS]
    CredentialType.objects.filter(program=None, name__in=names, credentials__isnull=True,
                                  program_versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("peers", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, remove_unused_defaults)]
