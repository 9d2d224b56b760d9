"""What recording a capture looks up in an archive of 100,000 articles (PostgreSQL).

    DATABASE_URL=postgres://.../newsdesk_archive .venv/bin/python bench/bench_matching.py

Before a capture is recorded, `services.article_match` finds the article it belongs
to: by canonical URL, else among the revisions of its credited source by headline,
else by opening paragraph; and before it is analysed, `services.analyses_stored`
finds whether its content is analysed on record (a task asks for its 16 captures at
once). This times both against the archive in DATABASE_URL (filled first with
``manage.py generate_corpus`` up to ``--articles`` articles when it holds fewer, as
bench/bench_archive.py does; the same database can serve both), with the indexes
of migration 0011 (headline, opening paragraph, analysed content), and as
the baseline, in the same run, without them: dropped inside a transaction that is
rolled back. The two alternate round by round.

The captures (``--captures`` of each kind, credited to the archive's largest source):
new ones, for which every query runs and finds nothing (what most of an import is);
ones whose headline is on record; ones whose opening paragraph is on record under
another headline (revisions recorded for the run, each opening its own, as in a
real archive, and rolled back at the end); and, for the worst case, the same with
the generator's openings, each shared by some 4,000 revisions (it reuses twelve
stories); then the analysis look-up, for new contents and for contents on record.
The answers are checked to be the same with and without the indexes.

Prints milliseconds per capture of each kind (median over rounds) and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INDEXES = ("revision_title", "revision_opening", "analysis_content_hash")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--captures", type=int, default=40, help="captures of each kind")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")  # production settings: no query log
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from articles.ingest import CaptureDraft
    from articles.models import Article, Revision, Source
    from articles.services import analyses_stored, article_match, draft_content_hash

    if connection.vendor != "postgresql":
        raise SystemExit("bench_matching needs PostgreSQL (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    have = Article.objects.count()
    if have < args.articles:
        print(f"Generating {args.articles - have} articles (once)...", flush=True)
        call_command("generate_corpus", args.articles - have, seed=have)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_revision")
        cursor.execute("ANALYZE articles_article")
    source = Source.objects.annotate(n=Count("articles")).order_by("-n").first()
    assert source is not None
    on_record = list(
        Revision.objects.filter(article__source=source, article__canonical_url="").order_by("?")[
            : args.captures * 2
        ]
    )
    stamp = time.time_ns()
    new = [
        CaptureDraft(
            title=f"A headline never printed, number {stamp}-{n}",
            body=f"An opening paragraph never printed, number {stamp}-{n}.\n\nMore text.",
            credited_source=source.name,
        )
        for n in range(args.captures)
    ]
    by_headline = [
        CaptureDraft(
            title=r.title, body=r.body + "\n\nAn added paragraph.", credited_source=source.name
        )
        for r in on_record[: args.captures]
    ]
    # Recorded below (and rolled back at the end): revisions with an opening of their
    # own, as in a real archive, where one opening is the revisions of one article.
    unique = [
        CaptureDraft(
            title=f"A headline printed once, number {stamp}-{n}",
            body=f"An opening paragraph printed once, number {stamp}-{n}, with enough words "
            "after it to look like the start of a news story.\n\nMore text.",
            credited_source=source.name,
        )
        for n in range(args.captures)
    ]

    def matched(draft: CaptureDraft) -> object:
        found = article_match(draft=draft, source=source)
        return (found.article.pk, found.by) if found is not None else None

    def stored(hashes: list[str]) -> object:
        return sorted(analyses_stored(content_hashes=hashes)) or None

    def tasks(hashes: list[str]) -> list[list[str]]:
        return [hashes[n : n + 16] for n in range(0, len(hashes), 16)]

    # Each kind: what is timed, on what, and how many captures that is.
    kinds: dict[str, tuple[Callable[[Any], object], list[Any], int]] = {
        "new": (matched, new, len(new)),
        "headline on record": (matched, by_headline, len(by_headline)),
        "opening on record": (
            matched,
            [replace(d, title=f"A new headline {stamp}-{n}") for n, d in enumerate(unique)],
            len(unique),
        ),
        # The generator's twelve stories: each opening is that of some 4,000 revisions.
        "opening, synthetic": (
            matched,
            [
                CaptureDraft(
                    title=f"A new headline {stamp}-{n}", body=r.body, credited_source=source.name
                )
                for n, r in enumerate(on_record[args.captures :])
            ],
            args.captures,
        ),
        # Before the analysis, a task asks which of its captures' contents are analysed
        # on record (services.drafts_analyse): new ones, and ones on record.
        "analysis, new": (stored, tasks([draft_content_hash(d) for d in new]), len(new)),
        "analysis on record": (
            stored,
            tasks([r.content_hash for r in on_record[: args.captures]]),
            args.captures,
        ),
    }

    def match_all(indexed: bool) -> tuple[dict[str, float], dict[str, list[object]]]:
        seconds: dict[str, float] = {}
        answers: dict[str, list[object]] = {}
        with transaction.atomic():
            if not indexed:
                with connection.cursor() as cursor:
                    for name in INDEXES:
                        cursor.execute(f"DROP INDEX {name}")
            for kind, (timed, items, _) in kinds.items():
                start = time.perf_counter()
                answers[kind] = [timed(item) for item in items]
                seconds[kind] = time.perf_counter() - start
            transaction.set_rollback(True)
        return seconds, answers

    # One transaction around the run, rolled back: the revisions recorded for it go.
    with transaction.atomic():
        now = timezone.now()
        for n, draft in enumerate(unique):
            article = Article.objects.create(
                slug=f"bench-matching-{stamp}-{n}", source=source, listed_at=now
            )
            Revision.objects.create(
                article=article,
                number=1,
                title=draft.title,
                body=draft.body,
                captured_at=now,
                content_hash=draft_content_hash(draft),
            )
        _, with_indexes = match_all(True)  # warm-up: caches, plans
        _, without = match_all(False)
        if with_indexes != without:
            raise SystemExit("the indexes changed what a capture matched")
        times: dict[bool, list[dict[str, float]]] = {True: [], False: []}
        for n in range(args.rounds):
            for indexed in (True, False) if n % 2 == 0 else (False, True):
                times[indexed].append(match_all(indexed)[0])
        transaction.set_rollback(True)
    revisions = Revision.objects.count()
    print(
        f"archive: {Article.objects.count():,} articles, {revisions:,} revisions; source "
        f"{source.name!r}: {Article.objects.filter(source=source).count():,} articles; "
        f"{args.captures} captures of each kind, {args.rounds} rounds"
    )
    for kind, (_, items, captures) in kinds.items():
        found = sum(answer is not None for answer in with_indexes[kind])
        fast = statistics.median(t[kind] for t in times[True]) / captures * 1000
        slow = statistics.median(t[kind] for t in times[False]) / captures * 1000
        print(
            f"{kind:19s} ({found:2d}/{len(items)} found): with the indexes "
            f"{fast:7.2f} ms a capture | without (baseline) {slow:7.2f} ms | "
            f"ratio {fast / slow:.3f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
