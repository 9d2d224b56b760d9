"""Bulk ingest through the task queue: 1,000 captures recorded by `db_worker` processes.

Run (PostgreSQL at 127.0.0.1:5432, user postgres; the bench creates and drops its
own databases):
    .venv/bin/python bench/bench_ingest.py [--articles 250 --revisions 4] [--workers 1 2]

Builds 1,000 distinct page captures by varying our own news texts
(tests/articles/capture_variants.py: 250 articles x 4 revisions), then for each
worker count, on a fresh database with the database task backend:

1. starts that many real `manage.py db_worker` processes with production settings
   (DJANGO_DEBUG=0) and warms them up (each has loaded spaCy by running a
   one-capture import of its own);
2. imports the captures in rounds of --round captures (64: sixteen articles, four
   tasks of 16). Each round first times raw `nlp.pipe(bodies, batch_size=16)` over
   that round's bodies with the same pipeline (parsing only, no database, one
   process, in this process while the workers wait): the baseline. Then it times
   the round's import as `import_articles` does it: parse the files, write the
   import batch, enqueue its tasks (--task-size captures each) and wait until the
   workers have analysed and recorded every capture;
3. checks the record: 1,000 revisions, no content recorded twice in an article.

``--archive N`` first generates N articles (``generate_corpus``, 3 revisions each,
sources including the captures' agencies) into the database every run starts from,
so that the captures are matched against, and recorded into, an archive.

Why rounds: on this shared virtual machine the same parse takes from 0.9 to 2.1 s
from one second to the next (other tenants), so a baseline timed minutes before
the ingest measured the machine as much as the code. A baseline timed beside each
few seconds of ingest sees the same machine. `--round 0` times one baseline over
all bodies, then the whole ingest, as the first runs did.

Reports words/s of each, ingest/raw over all rounds (target >= 0.85 with one
worker), the spread of the rounds' own ratios, and the speed-up of two workers
over one (target >= 1.6x), both as words/s and against each run's own baseline,
with the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
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
    """Production settings for the workers (DEBUG off: no query log)."""
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{db}",
        "TASKS_BACKEND": "database",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
    }


def prepare_template(archive: int) -> None:
    """A migrated database that each run copies (CREATE DATABASE ... TEMPLATE), holding
    an archive of ``archive`` generated articles (``generate_corpus``) when not 0."""
    psql(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")
    psql(f"CREATE DATABASE {TEMPLATE_DB}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env_for(TEMPLATE_DB),
        check=True,
    )
    if archive:
        print(f"Generating an archive of {archive:,} articles...", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "generate_corpus", str(archive)],
            cwd=ROOT,
            env=env_for(TEMPLATE_DB),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def fresh_run_database() -> None:
    from django.db import connections

    connections.close_all()
    psql(f"DROP DATABASE IF EXISTS {RUN_DB}")
    psql(f"CREATE DATABASE {RUN_DB} TEMPLATE {TEMPLATE_DB}")


def start_workers(count: int, logs: Path) -> list[subprocess.Popen[bytes]]:
    """``count`` db_worker processes, each logging to ``logs/worker-N.log``."""
    logs.mkdir(parents=True, exist_ok=True)
    workers = []
    for n in range(count):
        with (logs / f"worker-{n}.log").open("ab") as log:  # the worker keeps its own copy
            workers.append(
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
                    stderr=log,
                )
            )
    return workers


_TASK_LOG = re.compile(
    r"import: (\d+) captures analysed in ([\d.]+) s, recorded (.*) in ([\d.]+) s"
)


def task_times(logs: Path, offsets: dict[Path, int]) -> tuple[float, float, int]:
    """Seconds of analysis and of recording logged by the workers' import tasks since
    ``offsets`` (each log's size when the clock started), and how many tasks had to
    record one capture at a time."""
    analysis = recording = 0.0
    fallbacks = 0
    for path in sorted(logs.glob("worker-*.log")):
        with path.open("rb") as log:
            log.seek(offsets.get(path, 0))
            text = log.read().decode("utf-8", "replace")
        for m in _TASK_LOG.finditer(text):
            analysis += float(m[2])
            recording += float(m[4])
            fallbacks += m[3] != "as one batch"
    return analysis, recording, fallbacks


def captures_in(paths: list[Path]) -> list:
    from articles.services import CaptureIn

    return [CaptureIn.read(path.read_bytes(), filename=path.name) for path in paths]


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
        time.sleep(0.02)


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


def warm_pipe(bodies: list[str], batch_size: int) -> None:
    """Load the model in this process and parse a few bodies, outside any clock."""
    from articles.analysis.pipeline import get_nlp

    for _ in get_nlp().pipe(bodies[:32], batch_size=batch_size):
        pass


def raw_pipe(bodies: list[str], batch_size: int) -> float:
    """Seconds of raw ``nlp.pipe`` over ``bodies`` (call ``warm_pipe`` first)."""
    from articles.analysis.pipeline import get_nlp

    nlp = get_nlp()
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

    warm_pipe(bodies, args.batch_size)
    raw_cpu = time.process_time()
    raw_wall = raw_pipe(bodies, args.batch_size)
    raw_cpu = time.process_time() - raw_cpu
    fresh_run_database()
    before = last_revision()
    batch = services.import_batch_create(captures=captures_in(paths), label="bench")
    items = list(batch.items.order_by("position"))
    task_cpu, task_wall = time.process_time(), time.perf_counter()
    for chunk in services.import_chunks(items, args.task_size):
        services.import_items_record(item_ids=chunk)
    task_cpu, task_wall = time.process_time() - task_cpu, time.perf_counter() - task_wall
    check_record(len(items), after=before)
    print(
        f"CPU time, one process: raw nlp.pipe {words / raw_cpu:7,.0f} words/CPU-s "
        f"({raw_cpu:5.1f} s) | import task {words / task_cpu:7,.0f} words/CPU-s "
        f"({task_cpu:5.1f} s) | task/raw {raw_cpu / task_cpu:.2f} "
        f"(wall: {raw_wall:5.1f} s and {task_wall:5.1f} s, {raw_wall / task_wall:.2f})"
    )


def last_revision() -> int:
    """The newest revision's id (0 when there is none)."""
    from articles.models import Revision

    return Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def check_record(expected: int, *, after: int) -> None:
    """``expected`` revisions recorded since revision id ``after`` (the bench's captures
    are of new articles), none with the same content as another in its article."""
    from django.db.models import Count

    from articles.models import Revision

    new = Revision.objects.filter(pk__gt=after)
    count = new.count()
    twice = new.values("article_id", "content_hash").annotate(n=Count("id")).filter(n__gt=1).count()
    if count != expected or twice:
        raise SystemExit(f"record wrong: {count} revisions (expected {expected}), {twice} twice")


@dataclass
class Run:
    """One worker count's timings: the baseline and the ingest, summed over rounds."""

    raw_seconds: float = 0.0
    ingest_seconds: float = 0.0
    task_seconds: float = 0.0  # inside the import tasks, summed over workers
    analysis_seconds: float = 0.0  # of which analysing (the workers' log)
    recording_seconds: float = 0.0  # and recording, its commit and hooks
    round_ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.raw_seconds / self.ingest_seconds


def ingest_run(
    count: int, paths: list[Path], bodies: list[str], directory: Path, args: argparse.Namespace
) -> Run:
    """Start ``count`` workers on a fresh database and time the ingest of ``paths``
    against raw ``nlp.pipe``, round by round (see the module's docstring)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    size = args.round or len(paths)
    size = max(args.revisions, size - size % args.revisions)  # a round holds whole articles
    rounds = [range(start, min(start + size, len(paths))) for start in range(0, len(paths), size)]
    warm_pipe(bodies, args.batch_size)
    fresh_run_database()
    logs = directory / "logs"
    workers = start_workers(count, logs)
    run = Run()
    try:
        warm_up(workers, directory)
        before = last_revision()
        rounds_started = timezone.now()
        offsets = {path: path.stat().st_size for path in logs.glob("worker-*.log")}
        for indexes in rounds:
            raw = raw_pipe([bodies[i] for i in indexes], args.batch_size)
            start = time.perf_counter()
            wait_done(ingest([paths[i] for i in indexes], size=args.task_size), workers)
            seconds = time.perf_counter() - start
            run.raw_seconds += raw
            run.ingest_seconds += seconds
            run.round_ratios.append(raw / seconds)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()
    check_record(len(paths), after=before)
    run.analysis_seconds, run.recording_seconds, fallbacks = task_times(logs, offsets)
    if fallbacks:
        print(f"  ({fallbacks} tasks recorded one capture at a time after a refusal)")
    run.task_seconds = sum(
        (result.finished_at - result.started_at).total_seconds()
        for result in DBTaskResult.objects.filter(enqueued_at__gte=rounds_started)
    )
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=250)
    parser.add_argument("--revisions", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--task-size", type=int, default=16, help="captures per task")
    parser.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size")
    parser.add_argument(
        "--round",
        type=int,
        default=64,
        help="captures per round, each timed beside its own baseline (0: one round)",
    )
    parser.add_argument(
        "--archive",
        type=int,
        default=0,
        help="articles generated into the database first (generate_corpus): ingest into an archive",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="only compare CPU time of raw nlp.pipe and the import task's code in one process",
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"{PG}/{RUN_DB}"
    os.environ["TASKS_BACKEND"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    prepare_template(args.archive)
    fresh_run_database()
    import django

    django.setup()
    from articles.analysis import model_name
    from articles.ingest import read_capture
    from tests.articles.capture_variants import write_captures

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_captures(Path(tmp) / "captures", args.articles, args.revisions)
        bodies = [read_capture(p.read_bytes(), filename=p.name).body for p in paths]
        words = sum(len(body.split()) for body in bodies)
        print(
            f"model: {model_name()}  captures: {len(paths):,}  words: {words:,}  "
            f"task size: {args.task_size}  round: {args.round or len(paths)} captures  "
            f"cores: {os.cpu_count()}"
            + (f"  archive: {args.archive:,} articles" if args.archive else "")
        )
        if args.cpu:
            cpu_in_process(paths, bodies, words, args)
            args.workers = []
        runs: dict[int, Run] = {}
        for count in args.workers:
            load_before = os.getloadavg()[0]
            run = runs[count] = ingest_run(count, paths, bodies, Path(tmp) / f"warm-{count}", args)
            spread = sorted(run.round_ratios)
            print(
                f"{count} worker{'s' if count > 1 else ' '}: raw nlp.pipe "
                f"{words / run.raw_seconds:7,.0f} words/s ({run.raw_seconds:5.1f} s) | ingest "
                f"{words / run.ingest_seconds:7,.0f} words/s ({run.ingest_seconds:5.1f} s; "
                f"{run.task_seconds:5.1f} s in tasks) | "
                f"ingest/raw {run.ratio:.2f} (rounds: median "
                f"{statistics.median(spread):.2f}, {spread[0]:.2f}-{spread[-1]:.2f}, "
                f"{len(spread)} rounds) | load average {load_before:.1f} -> "
                f"{os.getloadavg()[0]:.1f}"
            )
            print(
                f"  inside the tasks: analysis {run.analysis_seconds:5.1f} s "
                f"({run.analysis_seconds / run.raw_seconds:.2f}x raw nlp.pipe), recording "
                f"{run.recording_seconds:5.1f} s ({run.recording_seconds / run.raw_seconds:.2f}x "
                f"raw; {run.recording_seconds / len(paths) * 1000:.1f} ms a capture)"
            )
        if 1 in runs and 2 in runs:
            one, two = runs[1], runs[2]
            print(
                f"2 workers / 1 worker: {one.ingest_seconds / two.ingest_seconds:.2f}x in "
                f"words/s, {two.ratio / one.ratio:.2f}x against each run's own baseline"
            )
    from django.db import connections

    connections.close_all()
    psql(f"DROP DATABASE IF EXISTS {RUN_DB}")
    psql(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
