from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0022_merge_records"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="goaldimension",
            options={"verbose_name": "Goal dimension"},
        ),
    ]
