"""Recovery dimensions move from install-wide rows to each program's own (issue 14 point 3), and a
participant record can be set aside as entered in error (issue 15 point 13).

The install-wide dimensions go to one program, keeping their ids, so the goals and the shipped BARC-10's
items that point at them keep their links: the first program whose goals use them (the demo program on a
demo install), else the first program. Every other program gets copies, and its goals' tags and its own
instruments' items are pointed at its copies (same code, same meaning). Moving a tag of a closed plan
version changes nothing it says, so its lock trigger is paused on that one table for this step only, and
only when such a tag exists (the migration runs as the table's owner). An install without programs keeps
no dimension: the programs created later get the defaults (``clients.reference.program_defaults``), and the
BARC-10's items are linked again then (``outcomes.defaults.defaults_load``).
"""


import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import connection, migrations, models


FIELDS = ["code", "name", "framework", "description", "position", "is_active"]


def _owner_program(Dimension, GoalDimension, programs: list[int]) -> int:
    install_wide = Dimension.objects.filter(program__isnull=True)
    used = (GoalDimension.objects.filter(dimension__in=install_wide)
            .order_by("goal__plan__client__program_id").values_list("goal__plan__client__program_id", flat=True))
    return used.first() or programs[0]


def dimensions_to_programs(apps, schema_editor):
    """Give every program its own dimensions; run again on any state, it only fills what is missing."""
    Program = apps.get_model("recovery", "Program")
    Dimension = apps.get_model("clients", "Dimension")
    GoalDimension = apps.get_model("clients", "GoalDimension")
    programs = list(Program.objects.order_by("pk").values_list("pk", flat=True))
    tables = connection.introspection.table_names()
    if programs:
        _copy(Dimension, GoalDimension, programs, tables)
    else:
        with connection.cursor() as cursor:
            if "outcomes_item" in tables:
                cursor.execute("UPDATE outcomes_item SET dimension_id = NULL WHERE dimension_id IS NOT NULL")
        Dimension.objects.filter(program__isnull=True).delete()
    with connection.cursor() as cursor:
        # The changed rows' deferred foreign-key checks run now: a table with pending trigger events cannot be
        # altered by the operations that follow.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _copy(Dimension, GoalDimension, programs: list[int], tables: list[str]) -> None:
    if Dimension.objects.filter(program__isnull=True).exists():
        owner = _owner_program(Dimension, GoalDimension, programs)
        Dimension.objects.filter(program__isnull=True).update(program_id=owner)
    else:
        owner = (Dimension.objects.order_by("program_id").values_list("program_id", flat=True).first()
                 or programs[0])
    originals = list(Dimension.objects.filter(program_id=owner))
    for program in programs:
        if program == owner:
            continue
        mine = {d.code: d for d in Dimension.objects.filter(program_id=program)}
        for original in originals:
            copy = mine.get(original.code) or Dimension.objects.create(
                program_id=program, **{name: getattr(original, name) for name in FIELDS})
            _repoint(GoalDimension, tables, program, original.pk, copy.pk)


def _repoint(GoalDimension, tables, program: int, old: int, new: int) -> None:
    tags = GoalDimension.objects.filter(goal__plan__client__program_id=program, dimension_id=old)
    closed = tags.exclude(goal__plan__status="active").exists()
    with connection.cursor() as cursor:
        if closed:
            cursor.execute("ALTER TABLE clients_goaldimension DISABLE TRIGGER USER")
        tags.update(dimension_id=new)
        if closed:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE clients_goaldimension ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if "outcomes_item" in tables:
            cursor.execute(
                "UPDATE outcomes_item i SET dimension_id = %s FROM outcomes_instrument ins "
                "WHERE i.instrument_id = ins.id AND ins.program_id = %s AND i.dimension_id = %s",
                [new, program, old])



class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0018_follow_up_purpose_and_near_duplicate_indexes'),
        ('pghistory', '0007_auto_20250421_0444'),
        ('recovery', '0015_program_disclosure_notice'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DimensionEvent',
            fields=[
                ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                ('pgh_label', models.TextField(help_text='The event label.')),
                ('id', models.BigIntegerField()),
                ('code', models.SlugField(db_index=False, max_length=40)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('name', models.CharField(max_length=60)),
                ('framework', models.CharField(choices=[('recovery', "SAMHSA's four dimensions of recovery"), ('wellness', "SAMHSA's eight dimensions of wellness")], max_length=20)),
                ('description', models.CharField(blank=True, max_length=300)),
                ('is_active', models.BooleanField(default=True, help_text='A retired dimension stays on old goals only.', verbose_name='offered for new goals')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.AlterModelOptions(
            name='dimension',
            options={'ordering': ['framework', 'position', 'name'], 'verbose_name': 'recovery dimension'},
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='client',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='client',
            name='update_update',
        ),
        migrations.RemoveConstraint(
            model_name='dimension',
            name='dimension_unique_name',
        ),
        migrations.AddField(
            model_name='client',
            name='set_aside_as',
            field=models.CharField(blank=True, choices=[('error', 'Entered in error')], max_length=20, verbose_name='set aside as'),
        ),
        migrations.AddField(
            model_name='client',
            name='set_aside_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='client',
            name='set_aside_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='client',
            name='set_aside_reason',
            field=models.TextField(blank=True, verbose_name='why'),
        ),
        migrations.AddField(
            model_name='clientevent',
            name='set_aside_as',
            field=models.CharField(blank=True, choices=[('error', 'Entered in error')], max_length=20, verbose_name='set aside as'),
        ),
        migrations.AddField(
            model_name='clientevent',
            name='set_aside_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='clientevent',
            name='set_aside_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='clientevent',
            name='set_aside_reason',
            field=models.TextField(blank=True, verbose_name='why'),
        ),
        migrations.AddField(
            model_name='dimension',
            name='program',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='recovery.program'),
        ),
        migrations.AlterField(
            model_name='dimension',
            name='code',
            field=models.SlugField(max_length=40),
        ),
        migrations.AlterField(
            model_name='dimension',
            name='is_active',
            field=models.BooleanField(default=True, help_text='A retired dimension stays on old goals only.', verbose_name='offered for new goals'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='client',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "clients_clientevent" ("address", "birth_date", "created_at", "created_by_id", "duplicate_reason", "email", "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship", "full_name", "id", "name_key", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "preferred_contact_method", "preferred_contact_times", "preferred_name", "primary_peer_id", "program_id", "pronouns", "search_text", "set_aside_as", "set_aside_at", "set_aside_by_id", "set_aside_reason", "status", "uuid") VALUES (NEW."address", NEW."birth_date", NEW."created_at", NEW."created_by_id", NEW."duplicate_reason", NEW."email", NEW."emergency_contact_name", NEW."emergency_contact_phone", NEW."emergency_contact_relationship", NEW."full_name", NEW."id", NEW."name_key", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."phone", NEW."preferred_contact_method", NEW."preferred_contact_times", NEW."preferred_name", NEW."primary_peer_id", NEW."program_id", NEW."pronouns", NEW."search_text", NEW."set_aside_as", NEW."set_aside_at", NEW."set_aside_by_id", NEW."set_aside_reason", NEW."status", NEW."uuid"); RETURN NULL;', hash='9f466aae096f8aa9cb4c5ff28be788a9fb5a2853', operation='INSERT', pgid='pgtrigger_insert_insert_a5391', table='clients_client', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='client',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "clients_clientevent" ("address", "birth_date", "created_at", "created_by_id", "duplicate_reason", "email", "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship", "full_name", "id", "name_key", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "preferred_contact_method", "preferred_contact_times", "preferred_name", "primary_peer_id", "program_id", "pronouns", "search_text", "set_aside_as", "set_aside_at", "set_aside_by_id", "set_aside_reason", "status", "uuid") VALUES (NEW."address", NEW."birth_date", NEW."created_at", NEW."created_by_id", NEW."duplicate_reason", NEW."email", NEW."emergency_contact_name", NEW."emergency_contact_phone", NEW."emergency_contact_relationship", NEW."full_name", NEW."id", NEW."name_key", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."phone", NEW."preferred_contact_method", NEW."preferred_contact_times", NEW."preferred_name", NEW."primary_peer_id", NEW."program_id", NEW."pronouns", NEW."search_text", NEW."set_aside_as", NEW."set_aside_at", NEW."set_aside_by_id", NEW."set_aside_reason", NEW."status", NEW."uuid"); RETURN NULL;', hash='5dc93ca44bb2c662c1dd22ed449d388fc5c242de', operation='UPDATE', pgid='pgtrigger_update_update_757e7', table='clients_client', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='dimension',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "clients_dimensionevent" ("code", "description", "framework", "id", "is_active", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "position", "program_id") VALUES (NEW."code", NEW."description", NEW."framework", NEW."id", NEW."is_active", NEW."name", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."position", NEW."program_id"); RETURN NULL;', hash='46132057ae0da021e7906736afcaecd6725d87ec', operation='INSERT', pgid='pgtrigger_insert_insert_94c12', table='clients_dimension', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='dimension',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "clients_dimensionevent" ("code", "description", "framework", "id", "is_active", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "position", "program_id") VALUES (NEW."code", NEW."description", NEW."framework", NEW."id", NEW."is_active", NEW."name", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."position", NEW."program_id"); RETURN NULL;', hash='ea5da5e525243df07c587ba7e65372b5ed6e9370', operation='UPDATE', pgid='pgtrigger_update_update_f150f', table='clients_dimension', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=models.Q(('set_aside_as', ''), models.Q(models.Q(('set_aside_reason', ''), _negated=True), ('set_aside_at__isnull', False)), _connector='OR'), name='client_set_aside_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='dimension',
            constraint=models.UniqueConstraint(fields=('program', 'code'), name='dimension_code_per_program'),
        ),
        migrations.AddConstraint(
            model_name='dimension',
            constraint=models.UniqueConstraint(fields=('program', 'framework', 'name'), name='dimension_name_per_program'),
        ),
        migrations.AddField(
            model_name='dimensionevent',
            name='pgh_context',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context'),
        ),
        migrations.AddField(
            model_name='dimensionevent',
            name='pgh_obj',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='clients.dimension'),
        ),
        migrations.AddField(
            model_name='dimensionevent',
            name='program',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='recovery.program'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='dimensionevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='fb230819a95cf31d71a52a2cb528802118a4a1ed', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_aed9b', table='clients_dimensionevent', when='BEFORE')),
        ),
        migrations.RunPython(dimensions_to_programs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='dimension',
            name='program',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='recovery.program'),
        ),
        migrations.AlterField(
            model_name='dimensionevent',
            name='program',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='recovery.program'),
        ),
    ]
