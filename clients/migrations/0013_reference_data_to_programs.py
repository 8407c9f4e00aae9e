"""Service codes and services provided move from install-wide rows to each program's own, and each program
gets its discharge reasons (the codes episodes already hold, with their old wording).

Each existing row goes to the first program that uses it (or the first program); every other program gets
a copy, and its notes are pointed at the copy (same code, same meaning). Re-pointing a signed note's
service code changes nothing it says, so the lock triggers are paused on those two tables for this
migration only (the migration runs as the tables' owner). An install without programs keeps nothing: the
programs created later get the defaults (recovery.reference.program_reference_defaults).
"""

from django.db import migrations

from clients.reference import DEFAULT_DISCHARGE_REASONS

FIELDS = {
    "ServiceCode": ["code", "description", "billable", "unit_minutes", "daily_unit_cap", "yearly_unit_cap",
                    "default_for", "position", "is_active"],
    "SupportService": ["code", "name", "position", "is_active"],
}
LOCKED_TABLES = ["clients_sessionnote", "clients_noteservice"]


def _move(apps, model_name: str, link_model, link_field: str, program_path: str, programs: list) -> None:
    model = apps.get_model("clients", model_name)
    for item in model.objects.filter(program__isnull=True).order_by("pk"):
        links = link_model.objects.filter(**{link_field: item})
        used_by = sorted(set(links.values_list(program_path, flat=True)))
        owner = used_by[0] if used_by else programs[0]
        item.program_id = owner
        item.save(update_fields=["program"])
        for program in programs:
            if program == owner:
                continue
            copy = model.objects.create(program_id=program, **{name: getattr(item, name) for name in FIELDS[model_name]})
            if program in used_by:
                links.filter(**{program_path: program}).update(**{link_field: copy})


def forward(apps, schema_editor):
    Program = apps.get_model("recovery", "Program")
    SessionNote = apps.get_model("clients", "SessionNote")
    NoteService = apps.get_model("clients", "NoteService")
    Episode = apps.get_model("clients", "Episode")
    DischargeReason = apps.get_model("clients", "DischargeReason")
    programs = list(Program.objects.order_by("pk").values_list("pk", flat=True))
    if not programs:
        apps.get_model("clients", "ServiceCode").objects.all().delete()
        apps.get_model("clients", "SupportService").objects.all().delete()
        return
    with schema_editor.connection.cursor() as cursor:
        for table in LOCKED_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")  # noqa: S608 (constants)
    _move(apps, "ServiceCode", SessionNote, "service_code", "client__program_id", programs)
    _move(apps, "SupportService", NoteService, "service", "note__client__program_id", programs)
    with schema_editor.connection.cursor() as cursor:
        # The re-pointed rows' deferred foreign-key checks run now: a table with pending trigger events
        # cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in LOCKED_TABLES:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")  # noqa: S608 (constants)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    names = dict(DEFAULT_DISCHARGE_REASONS)
    for program in programs:
        for position, (code, name) in enumerate(DEFAULT_DISCHARGE_REASONS, start=1):
            DischargeReason.objects.get_or_create(program_id=program, code=code,
                                                  defaults={"name": name, "position": position})
        used = set(Episode.objects.filter(client__program_id=program).exclude(discharge_reason="")
                   .values_list("discharge_reason", flat=True))
        for code in sorted(used - set(names)):  # a code no default has: kept, retired, readable
            DischargeReason.objects.get_or_create(program_id=program, code=code,
                                                  defaults={"name": code, "position": 99, "is_active": False})


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0012_reference_data_per_program"),
        ("recovery", "0007_signin_security_events"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
