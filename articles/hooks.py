"""What other apps do when the record changes, without the record importing them.

``settings.REVISION_RECORDED_HOOKS`` lists dotted paths of callables; each is
called as ``hook(revision_ids=[...])`` after the transaction that recorded new
revisions commits (never for an unchanged capture): once per recording, once per
batch of an import task, with its revisions in the order recorded. A failing hook
is logged and never undoes the recording. The review app lists its alerts here; with the task
queue, a hook enqueues a task instead of doing the work.

``settings.LATEST_REVISION_HOOKS`` are called at once, inside the transaction
that points articles at a new latest revision, as ``hook(article_ids=[...])``:
what other apps derive from the latest revision changes with it or not at all
(the review app: where each annotation stands on it).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


def revision_recorded(*, revision_ids: Sequence[int]) -> None:
    if not revision_ids:
        return
    for path in getattr(settings, "REVISION_RECORDED_HOOKS", ()):
        hook = import_string(path)
        transaction.on_commit(partial(hook, revision_ids=list(revision_ids)), robust=True)


def latest_revision_set(*, article_ids: Sequence[int]) -> None:
    for path in getattr(settings, "LATEST_REVISION_HOOKS", ()):
        import_string(path)(article_ids=article_ids)
