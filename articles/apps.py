from __future__ import annotations

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles of record"
    default_auto_field = "django.db.models.BigAutoField"
