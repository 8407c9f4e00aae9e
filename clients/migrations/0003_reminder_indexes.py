# Indexes for the reminder sweeps (clients/reminders.py).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0002_recovery_dimensions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='consent',
            index=models.Index(condition=models.Q(('expires_on__isnull', False), ('revoked_on__isnull', True)), fields=['expires_on'], name='consent_expiring_idx'),
        ),
        migrations.AddIndex(
            model_name='recoveryplan',
            index=models.Index(condition=models.Q(('review_on__isnull', False), ('status', 'active')), fields=['review_on'], name='plan_review_due_idx'),
        ),
    ]
