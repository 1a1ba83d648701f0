import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0005_printed_guide_editions"),
    ]

    operations = [
        # Rows that exist get the moment of the migration: when they were last changed is
        # not known, and the open data's last_modified only needs to move from here on.
        migrations.AddField(
            model_name="organisation",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="updated"
            ),
            preserve_default=False,
        ),
    ]
