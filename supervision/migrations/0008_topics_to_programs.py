"""Supervision topics move from install-wide rows to each program's own: each existing topic goes to the
first program that uses it (or the first program), every other program gets a copy and its sessions are
pointed at the copy (same topic, same meaning; the signed-session lock trigger is paused on the topic
link table for this migration only). An install without programs keeps nothing: programs created later
get the defaults (recovery.reference.program_reference_defaults)."""

from django.db import migrations


def forward(apps, schema_editor):
    Program = apps.get_model("recovery", "Program")
    Topic = apps.get_model("supervision", "Topic")
    SessionTopic = apps.get_model("supervision", "SessionTopic")
    programs = list(Program.objects.order_by("pk").values_list("pk", flat=True))
    if not programs:
        Topic.objects.all().delete()
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE supervision_sessiontopic DISABLE TRIGGER USER")
    for topic in Topic.objects.filter(program__isnull=True).order_by("pk"):
        links = SessionTopic.objects.filter(topic=topic)
        used_by = sorted(set(links.values_list("session__program_id", flat=True)))
        owner = used_by[0] if used_by else programs[0]
        topic.program_id = owner
        topic.save(update_fields=["program"])
        for program in programs:
            if program == owner:
                continue
            copy = Topic.objects.create(program_id=program, code=topic.code, name=topic.name,
                                        position=topic.position, is_active=topic.is_active)
            if program in used_by:
                links.filter(session__program_id=program).update(topic=copy)
    with schema_editor.connection.cursor() as cursor:
        # The re-pointed rows' deferred foreign-key checks run now: a table with pending trigger events
        # cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE supervision_sessiontopic ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0007_topics_per_program"),
        ("recovery", "0007_signin_security_events"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
