"""CACHE_URL picks Django's cache backend: local memory by default, Redis in production."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsdesk.settings import cache_from_url


def test_no_cache_url_is_local_memory() -> None:
    assert cache_from_url("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_redis_url_is_djangos_redis_cache_at_that_address() -> None:
    config = cache_from_url("redis://127.0.0.1:6379/2")
    assert config == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
    }


def test_an_unknown_cache_url_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be redis://"):
        cache_from_url("memcached://127.0.0.1:11211")
