"""Background work on the record, through Django's Tasks interface (django-tasks).

The backend is the setting ``TASKS`` (``TASKS_BACKEND`` in the environment): the
immediate backend runs a task at once where it is enqueued; the database backend
queues it for ``manage.py db_worker``. Arguments are plain JSON (ids), and every
task may run twice: what it writes is idempotent.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from articles import services
from articles.capture import capture_poll_due
from articles.models import Revision

# Higher runs first: a mail waits for nothing; the watcher's poll (a minute's news)
# for no bulk import (a worker frees up between two import tasks); an import for no
# reanalysis.
CAPTURE_POLL_PRIORITY = 5
IMPORT_PRIORITY = 0
REANALYSIS_PRIORITY = -10


@task(priority=IMPORT_PRIORITY)
def import_items_record_task(item_ids: list[int]) -> dict[str, int]:
    """Analyse and record these captures of an import; returns counts by status."""
    return services.import_items_record(item_ids=item_ids)


@task(priority=REANALYSIS_PRIORITY)
def revisions_reanalyse_task(revision_ids: list[int], batch_size: int = 32) -> int:
    """Recompute the analyses of these revisions for the current pipeline."""
    revisions = Revision.objects.filter(pk__in=revision_ids).order_by("pk")
    return services.revisions_reanalyse(revisions=revisions, batch_size=batch_size)


@task(priority=CAPTURE_POLL_PRIORITY)
def capture_poll_task() -> dict[str, Any]:
    """Poll the feeds and watched pages that are due (``manage.py capture --enqueue``
    queues it every minute); returns the report: counts, errors and ``skipped`` (true
    when another poll was running, so this one polled nothing)."""
    return capture_poll_due().as_dict()
