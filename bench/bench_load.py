"""Load test: gunicorn (2 workers) on PostgreSQL, driven by wrk, logged in.

Starts gunicorn on 127.0.0.1 (production settings: DJANGO_DEBUG=0), logs a user
in (a session row, as the login page makes), then runs ``wrk -t2 -c8`` against
each page in turn, in one run: the login page (anonymous; the baseline), the
reading desk and the compare page of an article with two revisions, the desk,
and Django's admin revision changelist. Prints req/s, p99 latency, errors and
req/s as a ratio of the login page's; ``--check`` exits 1 unless the reading
desk and compare reach 0.4x the login page's req/s with p99 < 100 ms and no
errors. Stops gunicorn by its PID when done.

Needs ``wrk`` (``apt-get install wrk``) and a PostgreSQL database in
DATABASE_URL (migrated here; the seed and a corrected revision are recorded
when no article has two revisions). Set CACHE_URL=redis://... to share the
cache between the workers (default: local memory, one per worker, on which
pages are not cached whole unless PAGE_CACHE=1).

Usage: DATABASE_URL=postgres://... .venv/bin/python bench/bench_load.py [--duration 15]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on port {port} within {timeout} s")


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, *, cookie: str, duration: int, threads: int, connections: int) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    command += ["--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def prepare() -> tuple[str, str]:
    """Migrate, make sure an article has two revisions and a user is logged in:
    (the article's slug, the session and CSRF cookies)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    os.environ.update(SERVER_ENV)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from articles.ingest import read_capture
    from articles.models import Article
    from articles.services import revision_record

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    article = Article.objects.filter(revision_count=2).order_by("-id").first()
    if article is None:
        seed = (ROOT / "articles" / "demo" / "000_8118fbd42351acfa.txt").read_bytes()
        first = revision_record(draft=read_capture(seed))
        revision_record(draft=read_capture(seed.replace(b"Putin asked", b"Zelensky asked")))
        article = first.article
    user, created = User.objects.get_or_create(
        username="bench-load", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    client = Client()
    client.force_login(user)
    client.get(f"/articles/{article.slug}/")  # sets the CSRF cookie, as a browser keeps it
    cookies = f"sessionid={client.cookies['sessionid'].value}"
    return article.slug, f"{cookies}; csrftoken={client.cookies['csrftoken'].value}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=15, help="Seconds of wrk per page.")
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    from bench._pg import database_ensure

    database_ensure(os.environ["DATABASE_URL"])
    slug, cookie = prepare()
    env = {**os.environ, **SERVER_ENV}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "newsdesk.wsgi",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{args.port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    pages = {
        "login page (baseline)": ("/accounts/login/", ""),
        "reading desk": (f"/articles/{slug}/", cookie),
        "compare": (f"/articles/{slug}/compare/?from=1&to=2", cookie),
        "desk": ("/", cookie),
        "admin revision changelist": ("/admin/articles/revision/", cookie),
    }
    results = {}
    try:
        wait_for(args.port)
        for name, (path, session) in pages.items():
            wrk(base + path, cookie=session, duration=2, threads=2, connections=2)  # warm-up
            results[name] = wrk(
                base + path,
                cookie=session,
                duration=args.duration,
                threads=2,
                connections=args.connections,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    login = results["login page (baseline)"]["rps"]
    print(f"wrk -t2 -c{args.connections} -d{args.duration}s, gunicorn {args.workers} workers")
    print(f"{'page':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x login':>8}")
    for name, r in results.items():
        print(
            f"{name:<28} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7d} "
            f"{r['rps'] / login if login else 0:7.2f}x"
        )
    if args.check:
        failed = [
            name
            for name in ("reading desk", "compare")
            if results[name]["rps"] < 0.4 * login
            or results[name]["p99"] >= 100
            or results[name]["errors"]
        ]
        if failed:
            raise SystemExit(f"below target: {', '.join(failed)}")


if __name__ == "__main__":
    main()
