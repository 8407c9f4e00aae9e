"""The default service codes and services provided, copied into each program (clients.reference); each
program's admins edit their own.

Service codes [U] (DOMAIN.md, "Documentation and billing"): T1012 (ARTS peer recovery support,
individual), S9445 (ARTS peer recovery support, group), H0024 / H0025 (mental health peer support).
Virginia Medicaid peer services [V: 12VAC30-130-5210]: a unit is 15 minutes; at most 16 units (4 h) a
day and 900 hours (3,600 units) a calendar year per participant.
Services provided: the tags of the seed documents.
"""

from __future__ import annotations

from recovery.reference import missing_created

UNIT_MINUTES = 15
DAILY_UNIT_CAP = 16
YEARLY_UNIT_CAP = 3_600  # 900 hours of 15-minute units

# (code, description, billable, default_for, position)
DEFAULT_SERVICE_CODES: list[tuple[str, str, bool, str, int]] = [
    ("T1012", "Peer recovery support services (ARTS), individual", True, "individual", 1),
    ("S9445", "Peer recovery support services (ARTS), group", True, "group", 2),
    ("H0024", "Mental health peer support services, individual", True, "", 3),
    ("H0025", "Mental health peer support services, group", True, "", 4),
]

# (code, name)
DEFAULT_SUPPORT_SERVICES: list[tuple[str, str]] = [
    ("emotional_support", "Emotional support"),
    ("goal_setting", "Goal setting"),
    ("practical_guidance", "Practical guidance"),
    ("crisis_intervention", "Crisis intervention"),
    ("resource_navigation", "Resource navigation"),
    ("advocacy", "Advocacy"),
    ("peer_led_group", "Peer-led group"),
]


def service_codes_load_defaults(service_code_model, program=None) -> None:
    """Create the default service codes that ``program`` lacks (``service_code_model`` may be a migration's
    model; ``program`` None: the install-wide rows of the migrations before codes became per program).

    A code an admin has edited is left as it is; a default is only given to a kind of session
    (individual, group) that has none yet.
    """
    scope = {"program_id": program.pk} if program is not None else {}
    existing = list(service_code_model.objects.filter(**scope).values_list("code", "default_for"))
    have = {code for code, _default_for in existing}
    taken = {default_for for _code, default_for in existing if default_for}
    rows = []
    for code, description, billable, default_for, position in DEFAULT_SERVICE_CODES:
        if code not in have:
            rows.append({"code": code, "description": description, "billable": billable, "position": position,
                         "default_for": "" if default_for in taken else default_for, "unit_minutes": UNIT_MINUTES,
                         "daily_unit_cap": DAILY_UNIT_CAP, "yearly_unit_cap": YEARLY_UNIT_CAP})
        taken.add(default_for)
    missing_created(service_code_model, "code", rows, **scope)


def support_services_load_defaults(support_service_model, program=None) -> None:
    scope = {"program_id": program.pk} if program is not None else {}
    missing_created(support_service_model, "code", [
        {"code": code, "name": name, "position": position}
        for position, (code, name) in enumerate(DEFAULT_SUPPORT_SERVICES, start=1)], **scope)
