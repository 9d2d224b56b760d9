"""Store how many attributions of an analysis carry a flag (for the desk)."""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def count_flags(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Analysis = apps.get_model("articles", "Analysis")
    for analysis in Analysis.objects.only("attributions").iterator():
        flagged = sum(1 for a in analysis.attributions if a.get("flags"))
        Analysis.objects.filter(pk=analysis.pk).update(flagged_count=flagged)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_newsroom_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="analysis",
            name="flagged_count",
            field=models.PositiveIntegerField(
                default=0, help_text="Attributions carrying at least one flag."
            ),
        ),
        migrations.RunPython(count_flags, migrations.RunPython.noop),
    ]
