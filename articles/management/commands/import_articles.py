"""Import page captures: `manage.py import_articles PATH...`.

The captures are parsed here and recorded by background tasks (articles.tasks), in
tasks of IMPORT_TASK_SIZE captures: with the immediate backend they run in this
process; with the database backend `manage.py db_worker` processes run them, and
this command waits for them with a progress bar (``--no-wait`` only enqueues).

Re-running skips the files already recorded (by the sha256 of their bytes) and
enqueues again the captures whose task was lost (a worker killed mid-batch).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from articles import services
from articles.ingest import CaptureRefused
from articles.models import ImportItem

POLL_SECONDS = 0.5
STALE_CHECK_SECONDS = 10.0


class Command(BaseCommand):
    help = (
        "Import page captures (.txt) or saved web pages (.html). Each file becomes a new "
        "article, the next revision of an article on record, or nothing when unchanged. "
        "Files already imported are skipped. A capture that matched an article by its "
        "opening paragraph alone (the headlines differ) is refused unless --yes is given. "
        "Exits non-zero when any file is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="Files or folders (folders: *.txt, *.html).")
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
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="Enqueue the captures and exit without waiting for the workers.",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Also enqueue again every capture whose task was lost (its worker died), "
            "from any earlier import; with no PATH, only that.",
        )
        parser.add_argument(
            "--stale-after",
            type=int,
            default=None,
            metavar="SECONDS",
            help="A task running this long is taken as lost (default: IMPORT_STALE_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["paths"] and not options["resume"]:
            raise CommandError("Give files or folders to import (or --resume).")
        stale_after = options["stale_after"]
        self.stale_after = settings.IMPORT_STALE_SECONDS if stale_after is None else stale_after
        files, skipped = _expand(options["paths"])
        if skipped:
            shown = ", ".join(str(p) for p in skipped[:5]) + (" …" if len(skipped) > 5 else "")
            self.stderr.write(
                f"Skipped {len(skipped)} file(s) in the folder(s) that are not page captures "
                f"or saved HTML (.txt, .html, .htm): {shown}"
            )
        refused: dict[int, str] = {}
        captures: dict[int, services.CaptureIn] = {}
        for index, path in enumerate(files):
            try:
                capture = services.CaptureIn.read(path.read_bytes(), filename=path.name)
            except CaptureRefused as exc:
                refused[index] = str(exc)
            except OSError as exc:
                refused[index] = f"cannot read file: {exc.strerror or exc}"
            else:
                mismatch = (
                    None if options["yes"] else services.headline_mismatch_find(draft=capture.draft)
                )
                if mismatch is not None:
                    refused[index] = (
                        f"{mismatch}; nothing recorded (--yes records it as a new revision of it)"
                    )
                    continue
                captures[index] = capture

        item_of = _earlier_items(captures)
        self.batch_url = ""
        self.done_before = {item.pk for item in item_of.values() if item.done}
        new = {i: c for i, c in captures.items() if i not in item_of}
        if new:
            batch = services.import_batch_create(
                captures=list(new.values()),
                label=f"import_articles: {len(new)} file{'s' if len(new) != 1 else ''}",
            )
            for index, item in zip(new, batch.items.order_by("position"), strict=True):
                item_of[index] = item
            self.batch_url = reverse("articles:import_status", kwargs={"batch_id": batch.pk})
        waited = {item.pk: item for item in item_of.values() if not item.done}
        to_enqueue = [item for item in waited.values() if item.task_id == ""]
        to_enqueue += services.import_items_stale(
            [item for item in waited.values() if item.task_id], stale_seconds=self.stale_after
        )
        if options["resume"]:
            lost = services.import_items_stale(
                ImportItem.objects.filter(status=ImportItem.Status.PENDING).exclude(pk__in=waited),
                stale_seconds=self.stale_after,
            )
            waited.update((item.pk, item) for item in lost)
            to_enqueue += lost

        bar = self._progress_bar(len(waited), options["no_progress"])
        finished = self._watch(waited, bar)
        services.import_items_enqueue(items=to_enqueue, after_each=finished)
        if not options["no_wait"]:
            self._wait(waited, bar, finished)
        if bar is not None:
            bar.close()
        self._report(files, refused, item_of)

    def _progress_bar(self, total: int, hidden: bool) -> Any:
        if total < 2 or hidden or not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit="capture", file=sys.stderr)

    def _watch(self, waited: dict[int, ImportItem], bar: Any) -> Any:
        """A function that counts the waited captures now finished and moves the bar."""
        seen = 0

        def finished() -> int:
            nonlocal seen
            done = ImportItem.objects.filter(pk__in=waited).exclude(
                status=ImportItem.Status.PENDING
            )
            count = done.count()
            if bar is not None and count > seen:
                bar.update(count - seen)
            seen = count
            return count

        return finished

    def _wait(self, waited: dict[int, ImportItem], bar: Any, finished: Any) -> None:
        if finished() == len(waited):
            return
        self.stderr.write(
            f"Waiting for {len(waited) - finished()} capture(s) to be analysed and recorded "
            "by db_worker processes (Ctrl+C stops waiting; the import goes on"
            + (f"; progress on the page {self.batch_url}" if self.batch_url else "")
            + ")."
        )
        last_check = time.monotonic()
        try:
            while finished() < len(waited):
                time.sleep(POLL_SECONDS)
                if time.monotonic() - last_check >= STALE_CHECK_SECONDS:
                    last_check = time.monotonic()
                    pending = ImportItem.objects.filter(
                        pk__in=waited, status=ImportItem.Status.PENDING
                    )
                    lost = services.import_items_stale(pending, stale_seconds=self.stale_after)
                    if lost:
                        self.stderr.write(
                            f"Enqueuing again {len(lost)} capture(s) whose task was lost."
                        )
                        services.import_items_enqueue(items=lost)
        except KeyboardInterrupt:
            self.stderr.write("Stopped waiting; the workers go on.")

    def _report(
        self, files: list[Path], refused: dict[int, str], item_of: dict[int, ImportItem]
    ) -> None:
        items = ImportItem.objects.select_related("revision__article").in_bulk(
            [item.pk for item in item_of.values()]
        )
        counts: Counter[str] = Counter()
        lines: list[str] = []
        refusals: list[str] = []
        for index, path in enumerate(files):
            if index in refused:
                refusals.append(f"{'refused':<13} {path}: {refused[index]}")
                continue
            item = items[item_of[index].pk]
            revision = item.revision
            if item.status == ImportItem.Status.PENDING:
                counts["queued"] += 1
                lines.append(f"{'queued':<13} {path}")
            elif item.status == ImportItem.Status.REFUSED or revision is None:
                refusals.append(f"{'refused':<13} {path}: {item.message}")
            elif item.status == ImportItem.Status.RECORDED and item.pk not in self.done_before:
                counts[item.outcome] += 1
                lines.append(
                    f"{item.outcome:<13} {path}  ({revision.article.slug} r{revision.number})"
                )
            else:
                counts[services.RecordOutcome.UNCHANGED.value] += 1
                lines.append(
                    f"{'unchanged':<13} {path}  ({revision.article.slug}, same as r{revision.number})"
                )
        for line in [*lines, *refusals]:
            self.stdout.write(line)
        summary = ", ".join(f"{counts[o.value]} {o.value}" for o in services.RecordOutcome)
        summary += f", {len(refusals)} refused"
        if counts["queued"]:
            summary += f", {counts['queued']} queued"
        self.stdout.write(f"{len(files)} file{'s' if len(files) != 1 else ''}: {summary}")
        if refusals:
            raise CommandError(f"{len(refusals)} file(s) refused", returncode=1)


def _earlier_items(captures: dict[int, services.CaptureIn]) -> dict[int, ImportItem]:
    """The item of an earlier import of the same file (same bytes), if any: a recorded
    one first, else one still pending (its task may be lost: it is enqueued again)."""
    shas = {capture.capture_sha256 for capture in captures.values()}
    best: dict[str, ImportItem] = {}
    for item in (
        ImportItem.objects.filter(capture_sha256__in=shas)
        .exclude(status=ImportItem.Status.REFUSED)
        .order_by("-id")
    ):
        current = best.get(item.capture_sha256)
        if current is None or (current.status == ImportItem.Status.PENDING and item.done):
            best[item.capture_sha256] = item
    return {
        index: best[capture.capture_sha256]
        for index, capture in captures.items()
        if capture.capture_sha256 in best
    }


CAPTURE_SUFFIXES = {".txt", ".html", ".htm"}


def _expand(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """The files to import (a folder's captures, recursively; a file named as it is)
    and a folder's other files, skipped (hidden ones left out of both)."""
    out: list[Path] = []
    skipped: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if not found.is_file() or found.name.startswith("."):
                    continue
                (out if found.suffix.lower() in CAPTURE_SUFFIXES else skipped).append(found)
        else:
            out.append(path)
    return out, skipped
