"""`manage.py import_archive FILE`: restore a newsdesk.archive/1 document into an empty
database, in one transaction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from review.archive import ArchiveError, archive_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_article (or the admin's export action) into "
        "an EMPTY database (no articles and no work on them), all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The archive (JSON).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} is not a JSON document: {exc}.") from exc
        try:
            articles = archive_restore(document=document)
        except ArchiveError as exc:
            raise CommandError(f"Refused: {exc}. Nothing was restored.") from exc
        revisions = sum(article.revisions.count() for article in articles)
        self.stdout.write(
            f"Restored {len(articles)} article(s) with {revisions} revision(s) from {path}."
        )
