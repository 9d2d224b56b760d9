"""System checks of the deployment (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from newsdesk import versions


@register(Tags.caches, deploy=True)
def page_cache_shared(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Whole pages are cached until a write retires their stamps; the stamps live in
    the cache, so processes that do not share it would serve each other stale pages."""
    if settings.PAGE_CACHE and versions.shared_cache_is_local_memory():
        return [
            Warning(
                "PAGE_CACHE is on with the local-memory cache: each process keeps its own "
                "pages, and a write handled by one process leaves the others' copies stale.",
                hint="Set CACHE_URL to a Redis server shared by every process "
                "(redis://HOST:6379/0), or PAGE_CACHE=0 for a single process.",
                id="newsdesk.W001",
            )
        ]
    return []
