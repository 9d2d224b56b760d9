"""Wall time of ``manage.py diff``: two files (spaCy loaded and run) against two
stored revisions (``--article SLUG --from 1 --to 2``: the stored analyses, no spaCy).

Records the seed and a corrected revision in a throw-away SQLite database
(analyses stored at record time, as in production), then runs each command as
a new process, as a script would, interleaved so that the machine's load falls
on both alike. The baseline in the same run is the process floor:
``manage.py diff --help`` (Python, Django set-up, the command's imports).

Usage: .venv/bin/python bench/bench_cli_diff.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = ROOT / "articles" / "demo" / "000_8118fbd42351acfa.txt"


def record(database_url: str, old: Path, new: Path) -> str:
    """Migrate the database, record ``old`` then ``new``; the article's slug."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from articles.ingest import read_capture
    from articles.services import revision_record

    call_command("migrate", verbosity=0)
    first = revision_record(draft=read_capture(old.read_bytes()))
    second = revision_record(draft=read_capture(new.read_bytes()))
    assert second.article == first.article and second.revision.number == 2
    return first.article.slug


def run_ms(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the child process) in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = (time.perf_counter() - started) * 1000.0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000.0
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        old, new = Path(tmp) / "old.txt", Path(tmp) / "new.txt"
        seed = SEED.read_bytes()
        old.write_bytes(seed)
        new.write_bytes(seed.replace(b"Putin asked", b"Zelensky asked"))
        database_url = f"sqlite:///{tmp}/bench.sqlite3"
        slug = record(database_url, old, new)
        env = {**os.environ, "DATABASE_URL": database_url}
        manage = [sys.executable, "manage.py"]
        pair = ["--from", "1", "--to", "2"]
        commands = {
            "diff --help (process floor)": [*manage, "diff", "--help"],
            "diff OLD NEW (files, spaCy)": [*manage, "diff", str(old), str(new)],
            "diff --article (stored)": [*manage, "diff", "--article", slug, *pair],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm-up: file caches, .pyc files
            run_ms(command, env)
        load = os.getloadavg()[0]
        for _ in range(args.runs):
            for name, command in commands.items():
                wall, cpu = run_ms(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)

    wall = {name: statistics.median(samples) for name, samples in walls.items()}
    cpu = {name: statistics.median(samples) for name, samples in cpus.items()}
    stored = "diff --article (stored)"
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}"
    )
    print(f"load average at the start: {load:.1f}; runs per command: {args.runs}\n")
    print(
        "| command | wall median (ms) | wall min-max (ms) | x stored | CPU median (ms) | x stored |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, samples in walls.items():
        print(
            f"| `{name}` | {wall[name]:.0f} | {min(samples):.0f}-{max(samples):.0f} | "
            f"{wall[name] / wall[stored]:.2f}x | {cpu[name]:.0f} | {cpu[name] / cpu[stored]:.2f}x |"
        )


if __name__ == "__main__":
    main()
