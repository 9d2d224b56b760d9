"""Create the newsroom's groups: Editors, Copy desk and Admins."""

from __future__ import annotations

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

GROUP_PERMISSIONS = {
    "Editors": ["articles.view_article", "articles.view_revision", "articles.add_revision"],
    "Copy desk": ["articles.view_article", "articles.view_revision", "articles.add_revision"],
    "Admins": [
        "articles.view_article",
        "articles.view_revision",
        "articles.add_revision",
        "articles.add_source",
        "articles.change_source",
        "articles.delete_source",
        "articles.view_source",
        "articles.add_person",
        "articles.change_person",
        "articles.delete_person",
        "articles.view_person",
        "articles.add_personalias",
        "articles.change_personalias",
        "articles.delete_personalias",
        "articles.view_personalias",
        "articles.change_article",
        "articles.view_activity",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "auth.change_group",
    ],
}


def create_groups(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            group.permissions.add(permission)


def remove_groups(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_record_sources_people_articles_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
