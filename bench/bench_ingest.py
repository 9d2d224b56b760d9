"""Bulk ingest through the task queue: 1,000 captures recorded by `db_worker` processes.

Run (PostgreSQL at 127.0.0.1:5432, user postgres; the bench creates and drops its
own databases):
    .venv/bin/python bench/bench_ingest.py [--articles 250 --revisions 4] [--workers 1 2]

Builds 1,000 distinct page captures by varying our own news texts
(tests/articles/capture_variants.py: 250 articles x 4 revisions), then for each
worker count, on a fresh database with the database task backend:

1. starts that many real `manage.py db_worker` processes and warms them up (each
   has loaded spaCy by running a one-capture import of its own);
2. times the import as `import_articles` does it: parse the 1,000 files, write the
   import batch, enqueue its tasks (IMPORT_TASK_SIZE captures each), and wait
   until the workers have analysed and recorded every capture;
3. checks the record: 1,000 revisions, no content recorded twice in an article.

Just before each ingest, the same process times raw `nlp.pipe(bodies,
batch_size=16)` over the same bodies with the same pipeline (parsing only, no
database, one process): the baseline. Reports words/s of each, the ingest/raw
ratio (target >= 0.85 with one worker) and the speed-up of two workers over one
(target >= 1.6x), with the machine's load average (the 2 cores are shared).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = "postgres://postgres@127.0.0.1:5432"
TEMPLATE_DB = os.environ.get("BENCH_TEMPLATE_DB", "nd_tasks_bench_template")
RUN_DB = os.environ.get("BENCH_RUN_DB", "nd_tasks_bench")


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql],
        check=True,
        capture_output=True,
    )


def env_for(db: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"{PG}/{db}", "TASKS_BACKEND": "database"}


def prepare_template() -> None:
    """A migrated database that each run copies (CREATE DATABASE ... TEMPLATE)."""
    psql(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")
    psql(f"CREATE DATABASE {TEMPLATE_DB}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env_for(TEMPLATE_DB),
        check=True,
    )


def fresh_run_database() -> None:
    from django.db import connections

    connections.close_all()
    psql(f"DROP DATABASE IF EXISTS {RUN_DB}")
    psql(f"CREATE DATABASE {RUN_DB} TEMPLATE {TEMPLATE_DB}")


def start_workers(count: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.05",
                "--worker-id",
                f"bench-{n}",
            ],
            cwd=ROOT,
            env=env_for(RUN_DB),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(count)
    ]


def captures_in(paths: list[Path]) -> list:
    from articles.ingest import read_capture
    from articles.services import CaptureIn

    out = []
    for path in paths:
        data = path.read_bytes()
        out.append(
            CaptureIn(
                filename=path.name,
                capture_sha256=hashlib.sha256(data).hexdigest(),
                draft=read_capture(data, filename=path.name),
            )
        )
    return out


def ingest(paths: list[Path], *, size: int) -> list[int]:
    """What `import_articles` does: parse, write the batch, enqueue; returns item ids."""
    from articles import services

    batch = services.import_batch_create(captures=captures_in(paths), label="bench")
    items = list(batch.items.all())
    services.import_items_enqueue(items=items, size=size)
    return [item.pk for item in items]


def wait_done(ids: list[int], workers: list[subprocess.Popen[bytes]]) -> None:
    from articles.models import ImportItem

    while ImportItem.objects.filter(pk__in=ids, status=ImportItem.Status.PENDING).exists():
        if any(w.poll() is not None for w in workers):
            raise SystemExit("a worker exited during the run")
        time.sleep(0.1)


def warm_up(workers: list[subprocess.Popen[bytes]], directory: Path) -> None:
    """Every worker loads spaCy before the clock starts: one-capture tasks until each
    worker has run one."""
    from django_tasks_db.models import DBTaskResult

    from tests.articles.capture_variants import write_captures

    paths = write_captures(directory, articles=40, revisions=1, seed=99, prefix="warm-up")
    for attempt in range(len(paths) // len(workers)):
        chunk = paths[attempt * len(workers) : (attempt + 1) * len(workers)]
        wait_done(ingest(chunk, size=1), workers)
        seen = set()
        for ids in DBTaskResult.objects.values_list("worker_ids", flat=True):
            seen.update(ids)
        if len(seen) >= len(workers):
            return
    raise SystemExit("the workers did not all take a task during the warm-up")


def raw_pipe(bodies: list[str], batch_size: int) -> float:
    from articles.analysis.pipeline import get_nlp

    nlp = get_nlp()
    for _ in nlp.pipe(bodies[:32], batch_size=batch_size):  # warm-up
        pass
    start = time.perf_counter()
    for _ in nlp.pipe(bodies, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def cpu_in_process(paths: list[Path], bodies: list[str], words: int, args) -> None:  # type: ignore[no-untyped-def]
    """CPU seconds, not wall time: raw nlp.pipe against the import task's own code
    (`import_items_record`, what a worker runs) in this one process, so that the
    overhead of the task is measured apart from the machine's load. The database
    server's own CPU is not counted."""
    from articles import services

    raw_cpu = time.process_time()
    raw_pipe(bodies, args.batch_size)
    raw_cpu = time.process_time() - raw_cpu
    fresh_run_database()
    batch = services.import_batch_create(captures=captures_in(paths), label="bench")
    ids = list(batch.items.order_by("position").values_list("pk", flat=True))
    items = list(batch.items.order_by("position"))
    task_cpu = time.process_time()
    for chunk in services.import_chunks(items, args.task_size):
        services.import_items_record(item_ids=chunk)
    task_cpu = time.process_time() - task_cpu
    check_record(len(ids))
    print(
        f"CPU time, one process: raw nlp.pipe {words / raw_cpu:7,.0f} words/CPU-s "
        f"({raw_cpu:5.1f} s) | import task {words / task_cpu:7,.0f} words/CPU-s "
        f"({task_cpu:5.1f} s) | task/raw {raw_cpu / task_cpu:.2f}"
    )


def check_record(expected: int) -> None:
    from django.db.models import Count

    from articles.models import Revision

    count = Revision.objects.count()
    twice = (
        Revision.objects.values("article_id", "content_hash")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    if count != expected or twice:
        raise SystemExit(f"record wrong: {count} revisions (expected {expected}), {twice} twice")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=250)
    parser.add_argument("--revisions", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--task-size", type=int, default=16, help="captures per task")
    parser.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="only compare CPU time of raw nlp.pipe and the import task's code in one process",
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"{PG}/{RUN_DB}"
    os.environ["TASKS_BACKEND"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    prepare_template()
    fresh_run_database()
    import django

    django.setup()
    from articles.analysis import model_name
    from articles.ingest import read_capture
    from articles.models import Revision
    from tests.articles.capture_variants import write_captures

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_captures(Path(tmp) / "captures", args.articles, args.revisions)
        bodies = [read_capture(p.read_bytes(), filename=p.name).body for p in paths]
        words = sum(len(body.split()) for body in bodies)
        print(
            f"model: {model_name()}  captures: {len(paths):,}  words: {words:,}  "
            f"task size: {args.task_size}  cores: {os.cpu_count()}"
        )
        if args.cpu:
            cpu_in_process(paths, bodies, words, args)
            args.workers = []
        results: dict[int, float] = {}
        for count in args.workers:
            load_before = os.getloadavg()[0]
            raw_seconds = raw_pipe(bodies, args.batch_size)
            fresh_run_database()
            workers = start_workers(count)
            try:
                warm_up(workers, Path(tmp) / f"warm-{count}")
                warm = Revision.objects.count()
                start = time.perf_counter()
                ids = ingest(paths, size=args.task_size)
                wait_done(ids, workers)
                seconds = time.perf_counter() - start
            finally:
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait()
            check_record(len(paths) + warm)
            results[count] = words / seconds
            print(
                f"{count} worker{'s' if count > 1 else ' '}: raw nlp.pipe {words / raw_seconds:7,.0f} "
                f"words/s ({raw_seconds:5.1f} s) | ingest {words / seconds:7,.0f} words/s "
                f"({seconds:5.1f} s) | ingest/raw {raw_seconds / seconds:.2f} | "
                f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
            )
        if 1 in results and 2 in results:
            print(f"2 workers / 1 worker: {results[2] / results[1]:.2f}x")
    from django.db import connections

    connections.close_all()
    psql(f"DROP DATABASE IF EXISTS {RUN_DB}")
    psql(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
