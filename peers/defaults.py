"""The credential types of DOMAIN.md, shared by every program (a program admin may adapt them).

Loaded by the data migration 0002 and, for a database emptied by a test or a reset, by the demo seeder.
[V] = published, [U] = unconfirmed default: all of it is data an admin can change, never code.
"""

from __future__ import annotations

from decimal import Decimal

from recovery.reference import missing_created

DEFAULT_CREDENTIAL_TYPES = [
    {
        "name": "Certified Peer Recovery Specialist",
        "abbreviation": "CPRS",
        "issuing_body": "Virginia Certification Board (VCB)",
        "cycle_months": 24,  # [U]
        "ce_hours": Decimal(20),  # [U]
        "ethics_hours": Decimal(3),  # [V] VCB recertification page
        "makes_billable": False,
        "training_hours_required": Decimal(72),  # [V] DBHDS peer training
        "experience_hours_required": Decimal(500),  # [V] VCB CPRS page
        "supervision_hours_required": Decimal(0),
    },
    {
        "name": "Registered Peer Recovery Specialist",
        "abbreviation": "RPRS",
        "issuing_body": "Virginia Board of Counseling",
        "cycle_months": 12,  # [V] 18VAC115-70-60
        "ce_hours": Decimal(8),  # [V]
        "ethics_hours": Decimal(2),  # [V; an older summary says 1 h]
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
        "ce_hours": Decimal(20),  # [V]
        "ethics_hours": Decimal(6),  # [V]
        "makes_billable": False,
        "training_hours_required": Decimal(46),  # [V] IC&RC PR page
        "experience_hours_required": Decimal(500),  # [V]
        "supervision_hours_required": Decimal(25),  # [V]
    },
]


def load_default_credential_types(credential_type_model) -> None:
    """Create the shared defaults that are missing (by name); never changes one an admin has edited."""
    missing_created(credential_type_model, "name", DEFAULT_CREDENTIAL_TYPES, program=None)


def program_setup(program) -> None:
    """``recovery.reference.PROGRAM_DEFAULTS``: a new program uses the shared credential types (present)."""
    from peers.models import CredentialType

    load_default_credential_types(CredentialType)
