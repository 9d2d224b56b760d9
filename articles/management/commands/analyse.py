"""Print the analysis of article files: `manage.py analyse [--raw] --format json|jsonl PATH...`.

The machine interface of DESIGN.md: one object per input with the analysed
``text`` and its sentences, entities and attributions (character offsets into
``text``). Without ``--raw`` the page-capture parser extracts the body first.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SCHEMA = "newsdesk.analysis/1"


def registry() -> tuple[Any, ...]:
    """People and Sources from the database, or nothing when it is not available."""
    from django.db import DatabaseError

    try:
        from articles.selectors import known_names

        return known_names()
    except DatabaseError:  # unmigrated or unreachable database: analyse without it
        return ()


def read_text(path: str, *, raw: bool) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    if raw:
        return text
    from articles.ingest import parse_capture

    return parse_capture(text).body


class Command(BaseCommand):
    help = "Analyse article files and print sentences, entities and attributions as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--raw", action="store_true", help="Analyse each file as it is (no capture parsing)."
        )
        parser.add_argument("--format", choices=("json", "jsonl"), default="json")
        parser.add_argument("--batch-size", type=int, default=32)

    def handle(self, *args: Any, **options: Any) -> None:
        from articles.nlp import analyse_texts, model_name

        paths: list[str] = options["paths"]
        texts = [read_text(path, raw=options["raw"]) for path in paths]
        model = model_name()
        results = analyse_texts(texts, known=registry(), batch_size=options["batch_size"])
        objects = (
            {"path": path, "schema": SCHEMA, "model": model, "text": text, **result}
            for path, text, result in zip(paths, texts, results, strict=True)
        )
        if options["format"] == "jsonl":
            for item in objects:
                self.stdout.write(json.dumps(item, ensure_ascii=False))
            return
        listed = list(objects)
        self.stdout.write(json.dumps(listed[0] if len(listed) == 1 else listed, ensure_ascii=False))
