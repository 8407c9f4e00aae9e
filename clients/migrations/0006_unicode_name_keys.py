"""Name keys of every script (clients.names): recompute the stored keys, index the words verbatim.

The earlier key kept only a-z and 0-9, so a Cyrillic or Han name had an empty key (and could not be
enrolled) and "Мария Lopez" was keyed "lopez": every existing row's keys are recomputed.
"""

import clients.models.participants
import django.contrib.postgres.indexes
from django.conf import settings
from django.db import migrations, models


BATCH = 500


def recompute_name_keys(apps, schema_editor):
    # The key function of today's code: this migration exists because it changed; a later change to
    # clients.names needs its own migration that recomputes the keys again.
    from clients.names import name_key

    Client = apps.get_model("clients", "Client")
    key_max = Client._meta.get_field("name_key").max_length
    text_max = Client._meta.get_field("search_text").max_length
    changed = []
    for client in Client.objects.only("pk", "full_name", "preferred_name", "name_key", "search_text").iterator():
        key = name_key(client.full_name)[:key_max].strip()
        text = name_key(client.full_name, client.preferred_name)[:text_max].strip()
        if not key:  # cannot happen (every character the old key kept, this one keeps): never lose a key
            key, text = client.name_key, client.search_text
        if (key, text) != (client.name_key, client.search_text):
            client.name_key, client.search_text = key, text
            changed.append(client)
    Client.objects.bulk_update(changed, ["name_key", "search_text"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0005_default_service_codes'),
        ('recovery', '0005_emergency_access'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='client',
            name='client_search_idx',
        ),
        migrations.AlterField(
            model_name='client',
            name='full_name',
            field=models.CharField(max_length=150, validators=[clients.models.participants.validate_has_a_letter], verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='client',
            name='preferred_name',
            field=models.CharField(blank=True, help_text='What they like to be called.', max_length=80, validators=[clients.models.participants.validate_has_a_letter]),
        ),
        migrations.AlterField(
            model_name='clientevent',
            name='full_name',
            field=models.CharField(max_length=150, validators=[clients.models.participants.validate_has_a_letter], verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='clientevent',
            name='preferred_name',
            field=models.CharField(blank=True, help_text='What they like to be called.', max_length=80, validators=[clients.models.participants.validate_has_a_letter]),
        ),
        migrations.AddIndex(
            model_name='client',
            index=django.contrib.postgres.indexes.GinIndex(clients.models.participants.NameWords('search_text'), name='client_search_idx'),
        ),
        # Last: the data change queues deferred trigger events that would block the ALTERs above.
        migrations.RunPython(recompute_name_keys, migrations.RunPython.noop, elidable=True),
    ]
