"""Server time to render the compare page of the seed with stored analyses.

Runs Django in-process against a throw-away SQLite database (or the database
in DATABASE_URL when --use-env-db is given), records the seed and a corrected
revision (analyses stored at record time, as in production), then times
requests through Django's test client: the compare page (side by side and
inline), the reading desk, and as a baseline in the same run the login page
(the framework's floor: middleware, session, template). Every request renders:
the whole-page cache (PAGE_CACHE) is off unless ``--page-cache``.

Usage: .venv/bin/python bench/bench_compare_page.py [--requests 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--use-env-db", action="store_true")
    parser.add_argument(
        "--page-cache", action="store_true", help="Keep the whole-page cache on (repeat views)."
    )
    args = parser.parse_args()
    os.environ["PAGE_CACHE"] = "1" if args.page_cache else "0"

    tmp = tempfile.TemporaryDirectory()
    if not args.use_env_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    os.environ["DJANGO_DEBUG"] = "1"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client

    from articles.ingest import read_capture
    from articles.roles import EDITORS
    from articles.services import revision_record

    call_command("migrate", verbosity=0)
    seed = (ROOT / "articles" / "demo" / "000_8118fbd42351acfa.txt").read_bytes()
    first = revision_record(draft=read_capture(seed))
    corrected = seed.replace(b"Putin asked", b"Zelensky asked")
    revision_record(draft=read_capture(corrected))
    slug = first.article.slug
    user = User.objects.create_user("bench", password="bench-password-123")  # noqa: S106
    user.groups.add(Group.objects.get(name=EDITORS))  # reading needs a newsroom role
    client = Client()
    client.force_login(user)

    pages = {
        "login page (baseline)": ("/accounts/login/", Client()),
        "compare, side by side": (f"/articles/{slug}/compare/?from=1&to=2", client),
        "compare, inline": (f"/articles/{slug}/compare/?from=1&to=2&mode=inline", client),
        "reading desk": (f"/articles/{slug}/", client),
        "diff API": (f"/api/articles/{slug}/diff?from=1&to=2", client),
    }
    results: dict[str, list[float]] = {}
    for name, (url, c) in pages.items():
        for _ in range(10):  # warm-up: model loads, caches, template compilation
            assert c.get(url).status_code == 200, url
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = c.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        results[name] = samples

    base = statistics.median(results["login page (baseline)"])
    print(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'x baseline':>11}")
    for name, samples in results.items():
        p50 = statistics.median(samples)
        print(f"{name:<24} {p50:8.2f} {percentile(samples, 0.95):8.2f} {p50 / base:10.1f}x")
    engine = django.conf.settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"requests per page: {args.requests}; database: {engine}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
