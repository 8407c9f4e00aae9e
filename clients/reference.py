"""Each program's reference data in the clients app: service codes, services provided, discharge
reasons, recovery dimensions.

``program_defaults(program)`` copies the defaults into a new program (recovery.reference runs it, with the
other apps' defaults, from ``program_reference_defaults``); it only adds what is missing, so running it
twice changes nothing and an admin's edits stay.
"""

from __future__ import annotations

from clients.note_defaults import service_codes_load_defaults, support_services_load_defaults
from recovery.reference import missing_created

# (code, name): the reasons Lantern shipped as fixed choices; episodes closed before keep these codes.
DEFAULT_DISCHARGE_REASONS: list[tuple[str, str]] = [
    ("completed", "Goals met, services completed"),
    ("chose_to_end", "Chose to end services"),
    ("lost_contact", "Lost contact"),
    ("moved", "Moved away"),
    ("transferred", "Transferred to another program"),
    ("incarcerated", "Incarcerated"),
    ("deceased", "Deceased"),
    ("other", "Other"),
]


def discharge_reasons_load_defaults(reason_model, program) -> None:
    """Create the program's missing default reasons (``reason_model`` may be a migration's model)."""
    missing_created(reason_model, "code", [{"code": code, "name": name, "position": position} for position, (
        code, name) in enumerate(DEFAULT_DISCHARGE_REASONS, start=1)], program_id=program.pk)


def program_defaults(program) -> None:
    """Copy the clients app's default reference data into ``program`` (only what it lacks)."""
    from clients.dimensions import dimensions_load_defaults
    from clients.models import Dimension, DischargeReason, ServiceCode, SupportService

    dimensions_load_defaults(Dimension, program)
    service_codes_load_defaults(ServiceCode, program)
    support_services_load_defaults(SupportService, program)
    discharge_reasons_load_defaults(DischargeReason, program)
