"""Server time of the list pages on an archive of 100,000 articles (PostgreSQL).

Runs Django in-process (production settings: DJANGO_DEBUG=0) against the
database in DATABASE_URL, filling it first with ``manage.py generate_corpus``
up to ``--articles`` articles when it holds fewer (the first run takes a while),
then times requests through Django's test client, logged in as a copy-desk
member: the desk (first page and an older page), search (a common word, a rare
one, a phrase), the annotation queue (all, open, needing re-check), the
copy-desk queue and the public corrections log; as the baseline, in the same
run, the login page. Each URL gets a few warm-up requests (the first fills the
cache of rendered diffs) and then ``--requests`` timed ones; prints p50 and p95
and p95 as a ratio of the login page's, and the load average before and after. ``--check`` exits 1 if a page's p95
reaches 100 ms.

Every request renders its page: the whole-page cache (PAGE_CACHE, which keeps
the desk for each reader until a write) is off unless ``--page-cache``, so the
figures are those of the first view after a write, the worst case.

Usage: DATABASE_URL=postgres://.../newsdesk_archive .venv/bin/python bench/bench_archive.py
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _load() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared: say how busy it was)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "--page-cache", action="store_true", help="Keep the whole-page cache on (repeat views)."
    )
    args = parser.parse_args()
    os.environ["PAGE_CACHE"] = "1" if args.page_cache else "0"
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database for the archive.")
    from bench._pg import database_ensure

    database_ensure(os.environ["DATABASE_URL"])
    os.environ.update(SETTINGS_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article, Revision
    from articles.roles import COPY_DESK

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    have = Article.objects.count()
    if have < args.articles:
        print(f"Generating {args.articles - have} articles (once)...", flush=True)
        call_command("generate_corpus", args.articles - have, seed=have)
    user, created = User.objects.get_or_create(username="bench-archive")
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=COPY_DESK))
    client = Client()
    client.force_login(user)
    first = client.get("/").content.decode()
    older = re.search(r'<a href="\?([^"]+)"[^>]*rel="next"', first)
    pages = {
        "login page (baseline)": ("/accounts/login/", Client()),
        "desk": ("/", client),
        "desk, an older page": ("/?" + older.group(1).replace("&amp;", "&"), client)
        if older
        else ("/", client),
        "desk, one source": ("/?source=afp", client),
        "search, common word": ("/?q=talks", client),
        "search, rare word": ("/?q=Kharkiv", client),
        "search, phrase": ('/?q="air defence"', client),
        "annotations": ("/annotations/", client),
        "annotations, open": ("/annotations/?status=open", client),
        "annotations, re-check": ("/annotations/?placement=attention", client),
        "annotations, changed": ("/annotations/?placement=changed", client),
        "annotations, orphaned": ("/annotations/?placement=orphaned", client),
        "copy-desk queue": ("/review/corrections/", client),
        "corrections log": ("/corrections/", Client()),
    }
    results: dict[str, list[float]] = {}
    load_before = _load()
    for name, (url, c) in pages.items():
        for _ in range(3):
            assert c.get(url).status_code == 200, url
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = c.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
        results[name] = samples
    base = percentile(results["login page (baseline)"], 0.95)
    print(
        f"archive: {Article.objects.count():,} articles, {Revision.objects.count():,} revisions; "
        f"{args.requests} requests per page; load average {load_before} before, {_load()} after"
    )
    print(f"{'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'p95 x login':>12}")
    for name, samples in results.items():
        p95 = percentile(samples, 0.95)
        print(f"{name:<26} {statistics.median(samples):8.1f} {p95:8.1f} {p95 / base:11.1f}x")
    if args.check:
        slow = [n for n, s in results.items() if percentile(s, 0.95) >= 100]
        if slow:
            raise SystemExit(f"p95 at or over 100 ms: {', '.join(slow)}")


if __name__ == "__main__":
    main()
