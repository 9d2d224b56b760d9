"""Import page captures: `manage.py import_articles PATH...`."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from articles.ingest import CaptureDraft, CaptureRefused, read_capture
from articles.services import HeadlineMismatch, RecordOutcome, drafts_analyse, revision_record


class Command(BaseCommand):
    help = (
        "Import page captures (.txt) or saved web pages (.html). Each file becomes a new "
        "article, the next revision of an article on record, or nothing when unchanged. "
        "A capture that matched an article by its opening paragraph alone (the headlines "
        "differ) is refused unless --yes is given. Exits non-zero when any file is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders (folders: *.txt, *.html).")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help=(
                "Record a capture that matched an article by its opening paragraph alone "
                "(a different headline) as a new revision of that article."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = list(_expand(options["paths"]))
        drafts: list[tuple[Path, CaptureDraft]] = []
        refused: list[tuple[Path, str]] = []
        for path in files:
            try:
                data = path.read_bytes()
                drafts.append((path, read_capture(data, filename=path.name)))
            except CaptureRefused as exc:
                refused.append((path, str(exc)))
            except OSError as exc:
                refused.append((path, f"cannot read file: {exc.strerror or exc}"))

        analyses = drafts_analyse([d for _, d in drafts]) if drafts else []
        counts: Counter[str] = Counter()
        lines: list[str] = []
        show_progress = len(drafts) > 1 and not options["no_progress"] and sys.stderr.isatty()
        iterator = zip(drafts, analyses, strict=True)
        if show_progress:
            from tqdm import tqdm

            iterator = tqdm(iterator, total=len(drafts), unit="file", file=sys.stderr)
        for (path, draft), analysis in iterator:
            try:
                result = revision_record(
                    draft=draft,
                    filename=path.name,
                    analysis=analysis,
                    ask_on_headline_change=not options["yes"],
                )
            except HeadlineMismatch as exc:
                refused.append(
                    (path, f"{exc}; nothing recorded (--yes records it as a new revision of it)")
                )
                continue
            except (DatabaseError, ValueError) as exc:
                refused.append((path, f"could not be recorded: {exc}"))
                continue
            counts[result.outcome.value] += 1
            detail = (
                f"{result.article.slug} r{result.revision.number}"
                if result.outcome is not RecordOutcome.UNCHANGED
                else f"{result.article.slug}, same as r{result.revision.number}"
            )
            lines.append(f"{result.outcome.value:<13} {path}  ({detail})")

        for path, reason in refused:
            lines.append(f"{'refused':<13} {path}: {reason}")
        for line in lines:
            self.stdout.write(line)
        summary = (
            ", ".join(f"{counts[o.value]} {o.value}" for o in RecordOutcome)
            + f", {len(refused)} refused"
        )
        self.stdout.write(f"{len(files)} file{'s' if len(files) != 1 else ''}: {summary}")
        if refused:
            raise CommandError(f"{len(refused)} file(s) refused", returncode=1)


def _expand(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in {".txt", ".html", ".htm"})
            )
        else:
            out.append(path)
    return out
