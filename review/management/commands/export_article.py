"""`manage.py export_article SLUG...`: the articles' archive (newsdesk.archive/1) as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Article
from articles.selectors import article_by_retired_slug
from review.archive import archive_export


class Command(BaseCommand):
    help = (
        "Export articles with everything on record about them (revisions, analyses, "
        "annotations with their threads and placements, corrections, activity) as one "
        "newsdesk.archive/1 JSON document, for archives and legal requests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="+", metavar="SLUG", help="The articles' slugs.")
        parser.add_argument(
            "-o", "--output", help="Write the document to this file (default: standard output)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        articles = []
        for slug in options["slugs"]:
            article = Article.objects.filter(slug=slug).first() or article_by_retired_slug(slug)
            if article is None:
                raise CommandError(f"No article with slug {slug!r}; nothing exported.")
            articles.append(article)
        document = json.dumps(
            archive_export(articles=articles), ensure_ascii=False, indent=2, sort_keys=False
        )
        if options["output"]:
            Path(options["output"]).write_text(document + "\n", encoding="utf-8")
            self.stderr.write(f"Exported {len(articles)} article(s) to {options['output']}.")
        else:
            self.stdout.write(document)
