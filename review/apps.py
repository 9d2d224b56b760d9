from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Editorial review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from newsdesk import checks  # noqa: F401  (registers the deployment checks)
        from review import pagecache

        pagecache.connect()
