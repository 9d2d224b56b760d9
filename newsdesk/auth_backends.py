"""Authentication backends: Django's, with a user's permissions read in one query,
and kept in the cache until a user, group or permission is written."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from newsdesk import versions

PERMISSIONS_CACHE_SECONDS = 3600


class NewsroomBackend(ModelBackend):
    """``ModelBackend`` whose permission check reads the user's own and their groups'
    permissions in one query (a UNION), and keeps the set in the cache under the
    ``global`` stamp, which every write to a user, group, membership or permission
    retires (review/pagecache.py). A request then costs no permission query."""

    def get_all_permissions(self, user_obj: Any, obj: object = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            (stamp,) = versions.stamps([versions.global_key()])
            key = f"newsdesk:perms:{user_obj.pk}:{stamp}"
            found = versions.stamped_get(key)
            if found is None:
                found = self._read_permissions(user_obj)
                versions.stamped_set(key, found, PERMISSIONS_CACHE_SECONDS)
            user_obj._perm_cache = found
        return user_obj._perm_cache

    @staticmethod
    def _read_permissions(user_obj: Any) -> set[str]:
        if user_obj.is_superuser:
            rows = Permission.objects.values_list("content_type__app_label", "codename")
        else:
            own = Permission.objects.filter(user=user_obj).order_by()
            grouped = Permission.objects.filter(group__user=user_obj).order_by()
            rows = own.values_list("content_type__app_label", "codename").union(
                grouped.values_list("content_type__app_label", "codename")
            )
        return {f"{app}.{codename}" for app, codename in rows}
