"""The newsroom's roles as auth groups, and what each may do."""

from __future__ import annotations

from django.apps.registry import Apps
from django.apps.registry import apps as global_apps

EDITORS = "Editors"
COPY_DESK = "Copy desk"
ADMINS = "Admins"

GROUP_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: ["articles.view_article", "articles.view_revision", "articles.add_revision"],
    COPY_DESK: ["articles.view_article", "articles.view_revision", "articles.add_revision"],
    ADMINS: [
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

#: Granted by migration 0007, after the capture models exist (0002 imports the table
#: above, so a permission added there must exist in 0002's state).
CAPTURE_PERMISSIONS: dict[str, list[str]] = {
    ADMINS: [
        f"articles.{action}_{model}"
        for model in ("apikey", "feed", "watchedpage")
        for action in ("add", "change", "delete", "view")
        if (action, model) != ("delete", "apikey")  # a key is revoked, never deleted
    ]
}


def groups_ensure(apps: Apps = global_apps) -> None:
    """Create the groups and grant their permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions

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
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
