"""Recording an import task's captures: as one batch against one capture at a time.

    .venv/bin/python bench/bench_recording.py [--articles 16 --revisions 4] [--rounds 7]

What a worker does after the analysis, timed apart from it (the analysis is
computed once, before the clock): `articles.services._import_items_write` over
an import of ``articles x revisions`` captures (our own varied news texts,
tests/articles/capture_variants.py), in tasks of --task-size captures, on
PostgreSQL (RECORDING_BENCH_DATABASE_URL, default a database ``nd_recording_bench``
at 127.0.0.1:5432 that the bench creates and migrates). The baseline is the same code recording one capture at a
time, each in a savepoint, as every task did before the batch (and as a task
still does after a refusal), timed in the same run, the two alternating round by
round. Each round records every task in a transaction that is then rolled back
(the record is append-only), so every round starts from the same record; what
the commit would trigger (the alert hook, page stamps) is run inside it, before
the rollback. The commit itself is not timed: one per task either way.

Reports milliseconds and queries per capture for each, and the batch's time as a
ratio of the baseline's (median over rounds, with the range).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nd_recording_bench"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=16)
    parser.add_argument("--revisions", type=int, default=4)
    parser.add_argument("--task-size", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    # Its own database, whatever DATABASE_URL says: it migrates it.
    os.environ["DATABASE_URL"] = os.environ.get("RECORDING_BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")  # production settings: no query log
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    from bench._pg import database_ensure

    database_ensure(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from articles import services
    from tests.articles.capture_variants import capture_texts, import_batch_of

    call_command("migrate", verbosity=0)
    prefix = f"bench-{time.time_ns()}"  # new addresses: new articles, whatever is on record
    with transaction.atomic():  # the import batch too is rolled back at the end
        batch = import_batch_of(capture_texts(args.articles, args.revisions, prefix=prefix))
        items = list(batch.items.select_related("batch").order_by("position"))
        by_id = {item.pk: item for item in items}
        tasks = [
            [by_id[pk] for pk in chunk] for chunk in services.import_chunks(items, args.task_size)
        ]
        drafts = {item.pk: services.draft_from_json(item.draft) for item in items}
        analyses = services.drafts_analyse(list(drafts.values()))
        analysed = dict(zip(drafts, analyses, strict=True))

        def record(bulk: bool) -> float:
            """Seconds to record every task (and run what its commit would), then undo it."""
            seconds = 0.0
            with transaction.atomic():
                for task in tasks:
                    start = time.perf_counter()
                    services._import_items_write(
                        items=task,
                        drafts=[drafts[item.pk] for item in task],
                        analyses=[analysed[item.pk] for item in task],
                        bulk=bulk,
                    )
                    for _, callback, _ in list(connection.run_on_commit):
                        callback()  # what the commit would run: the hooks
                    connection.run_on_commit.clear()
                    seconds += time.perf_counter() - start
                transaction.set_rollback(True)
            return seconds

        queries: dict[bool, int] = {}
        for bulk in (True, False):  # also warms up: query plans, caches
            with CaptureQueriesContext(connection) as captured:
                record(bulk)
            queries[bulk] = len(captured) - 2  # not the savepoint and its rollback
        times: dict[bool, list[float]] = {True: [], False: []}
        for n in range(args.rounds):
            for bulk in (False, True) if n % 2 == 0 else (True, False):
                times[bulk].append(record(bulk))
        transaction.set_rollback(True)
    count = len(items)
    one, many = statistics.median(times[False]), statistics.median(times[True])
    ratios = sorted(b / o for b, o in zip(times[True], times[False], strict=True))
    print(
        f"{count} captures ({args.articles} articles x {args.revisions} revisions), "
        f"tasks of {args.task_size}, {args.rounds} rounds, {connection.vendor}"
    )
    print(
        f"one capture at a time (baseline): {one / count * 1000:6.2f} ms a capture, "
        f"{queries[False] / count:5.1f} queries a capture"
    )
    print(
        f"as one batch:                     {many / count * 1000:6.2f} ms a capture, "
        f"{queries[True] / count:5.1f} queries a capture"
    )
    print(
        f"batch / baseline: {many / one:.2f} (rounds {ratios[0]:.2f}-{ratios[-1]:.2f}); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
