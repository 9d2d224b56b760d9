"""Print the analysis of article files: `manage.py analyse [--raw] --format json|jsonl PATH...`.

The machine interface of DESIGN.md: one object per input with the analysed
``text`` and its sentences, entities and attributions (character offsets into
``text``). Without ``--raw`` the page-capture parser extracts the body first.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from articles.management.common import read_article_text, registry

SCHEMA = "newsdesk.analysis/1"


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
        from articles.analysis import analyse_texts, model_name

        paths: list[str] = options["paths"]
        texts = [read_article_text(path, raw=options["raw"]) for path in paths]
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
