import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0008_topics_to_programs"),
        ("recovery", "0007_signin_security_events"),
    ]

    operations = [
        migrations.AlterField(
            model_name="topic",
            name="program",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="recovery.program"),
        ),
    ]
