"""What each newsroom role may do in review, on top of the record's permissions."""

from __future__ import annotations

from django.apps.registry import Apps
from django.apps.registry import apps as global_apps

from articles.roles import ADMINS, CAPTURE_PERMISSIONS, COPY_DESK, EDITORS, groups_ensure

_EDITORIAL = [
    "review.view_annotation",
    "review.add_annotation",
    "review.add_comment",
    "review.add_flagdecision",
    "review.view_correction",
    "review.add_correction",
]

REVIEW_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: _EDITORIAL,
    COPY_DESK: [*_EDITORIAL, "review.sign_off_correction"],
    ADMINS: [
        *_EDITORIAL,
        "review.sign_off_correction",
        "review.moderate_annotation",
        # Unlock a login locked by too many failures (django-axes' admin pages).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
}


def roles_ensure(apps: Apps = global_apps) -> None:
    """Create the groups with the record's (capture's too) and review's permissions (idempotent)."""
    groups_ensure(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grants = [*REVIEW_PERMISSIONS.items(), *CAPTURE_PERMISSIONS.items()]
    for group_name, codenames in grants:
        group = Group.objects.get(name=group_name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
