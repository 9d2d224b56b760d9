"""Let Admins manage API keys, feeds and watched pages in the admin.

Self-contained on purpose, like review's 0004.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CODENAMES = [
    f"{action}_{model}"
    for model in ("apikey", "feed", "watchedpage")
    for action in ("add", "change", "delete", "view")
    if (action, model) != ("delete", "apikey")  # a key is revoked, never deleted
]


def _permissions(apps: Apps):  # type: ignore[no-untyped-def]
    from django.contrib.auth.management import create_permissions

    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, verbosity=0, apps=apps)
    articles.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Admins")
    group.permissions.add(*_permissions(apps))


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for group in apps.get_model("auth", "Group").objects.filter(name="Admins"):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_capture_api_keys_feeds_watched_pages_minor_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
