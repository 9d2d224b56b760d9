"""Grant the newsroom's groups their review permissions.

Self-contained on purpose: the permission table is copied here, not imported
from a live module that may change later.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

EDITORIAL = [
    "view_annotation",
    "add_annotation",
    "add_comment",
    "add_flagdecision",
    "view_correction",
    "add_correction",
]
GRANTS = {
    "Editors": EDITORIAL,
    "Copy desk": [*EDITORIAL, "sign_off_correction"],
    "Admins": [*EDITORIAL, "sign_off_correction", "moderate_annotation"],
}


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from django.contrib.auth.management import create_permissions

    review = apps.get_app_config("review")
    review.models_module = True
    create_permissions(review, verbosity=0, apps=apps)
    review.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="review", codename__in=codenames)
        )


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="review"))


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_annotations_corrections_notifications"),
        ("articles", "0002_newsroom_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
