"""``manage.py diff``: compare two revisions sentence by sentence.

``diff OLD NEW [--raw] --format json`` prints one ``newsdesk.diff/1`` object;
``diff --pairs LIST [--raw] --format jsonl`` reads ``OLD<TAB>NEW`` lines and
prints one object a line, with ``old_path`` and ``new_path`` (``--format json``
with ``--pairs`` prints them as one JSON array). Without
``--raw`` the files are page captures and their body is compared; with it,
the exact text of the files. All texts go through one analysis batch.

``diff --article SLUG [--from N] [--to M] [--format json|jsonl]`` compares two
stored revisions of an article through their stored analyses, without loading
spaCy, and prints the object ``/api/articles/<slug>/diff`` serves (with
``article``, ``from`` and ``to``). Defaults as in the API: the previous
revision against the latest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from articles.management.common import read_article_text, registry
from review.diffing import diff_document


def _pairs_from(list_path: Path) -> list[tuple[Path, Path]]:
    try:
        lines = list_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {list_path}: {error}") from error
    pairs: list[tuple[Path, Path]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not all(f.strip() for f in fields):
            raise CommandError(f"{list_path}:{number}: expected OLD<TAB>NEW")
        pairs.append(
            (_resolve(fields[0].strip(), list_path), _resolve(fields[1].strip(), list_path))
        )
    return pairs


def _resolve(name: str, list_path: Path) -> Path:
    """A path as given, else relative to the list file's folder."""
    path = Path(name)
    if not path.is_absolute() and not path.exists():
        beside = list_path.parent / path
        if beside.exists():
            return beside
    return path


class Command(BaseCommand):
    help = (
        "Sentence-level diff of two revisions (files, or stored revisions with --article),"
        " as newsdesk.diff/1 JSON."
    )
    requires_system_checks = ()  # a machine interface: no URL or admin checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", metavar="PATH", help="OLD NEW")
        parser.add_argument("--pairs", metavar="LIST", help="file of OLD<TAB>NEW lines")
        parser.add_argument("--raw", action="store_true", help="compare the files' exact text")
        parser.add_argument("--format", choices=("json", "jsonl"), default="json")
        parser.add_argument(
            "--article", metavar="SLUG", help="diff two stored revisions of this article"
        )
        parser.add_argument(
            "--from", dest="from_", type=int, metavar="N", help="with --article: old revision"
        )
        parser.add_argument("--to", type=int, metavar="M", help="with --article: new revision")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["article"] is not None:
            self._write([self._stored_diff(options)], options["format"], many=False)
            return
        if options["from_"] is not None or options["to"] is not None:
            raise CommandError("--from and --to go with --article SLUG")
        paths: list[str] = options["paths"]
        if options["pairs"]:
            if paths:
                raise CommandError("give either OLD NEW or --pairs LIST, not both")
            pairs = _pairs_from(Path(options["pairs"]))
        elif len(paths) == 2:
            pairs = [(Path(paths[0]), Path(paths[1]))]
        else:
            raise CommandError("expected OLD NEW (or --pairs LIST)")
        raw: bool = options["raw"]
        texts: list[str] = []
        for old_path, new_path in pairs:
            texts.extend(
                [read_article_text(old_path, raw=raw), read_article_text(new_path, raw=raw)]
            )

        from articles.analysis import analyse_texts

        analyses = list(analyse_texts(texts, known=registry()))
        results: list[dict[str, Any]] = []
        for index, (old_path, new_path) in enumerate(pairs):
            old_text, new_text = texts[2 * index], texts[2 * index + 1]
            diff = diff_document(old_text, analyses[2 * index], new_text, analyses[2 * index + 1])
            if options["pairs"]:
                diff = {"old_path": str(old_path), "new_path": str(new_path), **diff}
            results.append(diff)

        self._write(results, options["format"], many=bool(options["pairs"]))

    def _write(self, results: list[dict[str, Any]], fmt: str, *, many: bool) -> None:
        if fmt == "jsonl":
            for result in results:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif many:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(json.dumps(results[0], ensure_ascii=False, indent=2))

    def _stored_diff(self, options: dict[str, Any]) -> dict[str, Any]:
        """The diff of two stored revisions from their stored analyses (no spaCy)."""
        if options["paths"] or options["pairs"] or options["raw"]:
            raise CommandError(
                "--article compares stored revisions: give no paths, --pairs or --raw"
            )
        from review.selectors import stored_diff

        try:
            return stored_diff(
                options["article"], from_number=options["from_"], to_number=options["to"]
            )
        except LookupError as error:
            raise CommandError(str(error.args[0])) from error
        except DatabaseError as error:
            raise CommandError(
                f"cannot read the database ({error}); is it migrated (manage.py migrate)?"
            ) from error
