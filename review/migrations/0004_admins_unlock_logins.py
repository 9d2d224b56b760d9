"""Let Admins see and delete django-axes' access attempts: unlocking a locked login.

Self-contained on purpose, like 0002.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CODENAMES = ["view_accessattempt", "delete_accessattempt"]


def _permissions(apps: Apps):  # type: ignore[no-untyped-def]
    from django.contrib.auth.management import create_permissions

    axes = apps.get_app_config("axes")
    axes.models_module = True
    create_permissions(axes, verbosity=0, apps=apps)
    axes.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES)


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Admins")
    group.permissions.add(*_permissions(apps))


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for group in apps.get_model("auth", "Group").objects.filter(name="Admins"):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0003_histories_append_only_comments_never_deleted_in_database"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
