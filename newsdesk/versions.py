"""Version stamps in the cache, for caching what is built from mutable rows.

A stamp is a random token stored under a key that names what it covers: everything
(``global``: people, sources, groups and their permissions), one user (their name,
groups, permissions, follows and unread notifications), one article, by slug (its
revisions, analyses, annotations, flags and corrections) or the record (any
article's rows, for lists of articles). A cached value built from
those rows is stored under a key that includes their stamps, and a write replaces
the stamps it touches, so the old value is never read again (key-based expiry).

A write replaces the stamp at once and again when its transaction commits: a reader
that slipped in between rendered rows that were not yet committed, under a stamp that
the commit then retires. A stamp missing from the cache (evicted, or the cache was
cleared) is made anew, which only costs a cache miss.

The stamps live in the cache, so every process must share it for a write seen by one
to retire the pages cached by another: ``CACHE_URL`` (Redis) in production. Local
memory (the default) is for one process (``make run``); ``check --deploy`` warns.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import BaseCache, cache, caches
from django.db import transaction

PREFIX = "newsdesk:stamp:"


def global_key() -> str:
    return f"{PREFIX}global"


def user_key(user_id: int) -> str:
    return f"{PREFIX}user:{user_id}"


def article_key(slug: str) -> str:
    return f"{PREFIX}article:{slug}"


def record_key() -> str:
    """Any article's rows: what lists of articles show (the desk)."""
    return f"{PREFIX}record"


def stamps(keys: Iterable[str]) -> tuple[str, ...]:
    """The current stamp of each key (one cache round trip), made where missing."""
    keys = list(keys)
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = uuid.uuid4().hex
            # add(): two processes making the same stamp agree on the first one.
            if not cache.add(key, token, timeout=None):
                token = cache.get(key) or token
            found[key] = token
    return tuple(found[key] for key in keys)


def _replace(keys: Iterable[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def retire(keys: Iterable[str]) -> None:
    """Replace these stamps now and when the current transaction commits."""
    keys = list(keys)
    if not keys:
        return
    _replace(keys)
    transaction.on_commit(lambda: _replace(keys), robust=True)


# A value stored under a stamped key never changes (a write makes a new key), so
# each process may keep its own copy: the "local" cache (local memory) is read
# first, and only the stamps need the shared cache's round trip.


def shared_cache_is_local_memory() -> bool:
    """Whether the "shared" cache is in fact each process's own (the default)."""
    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _local() -> BaseCache | None:
    """The process's own cache, unless the shared one is local memory already."""
    return None if shared_cache_is_local_memory() else caches["local"]


def stamped_get(key: str) -> object | None:
    local = _local()
    if local is not None:
        found = local.get(key)
        if found is not None:
            return found
    found = cache.get(key)
    if found is not None and local is not None:
        local.set(key, found)
    return found


def stamped_set(key: str, value: object, timeout: int) -> None:
    cache.set(key, value, timeout)
    local = _local()
    if local is not None:
        local.set(key, value)
