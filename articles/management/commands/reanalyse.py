"""Recompute stored analyses after a pipeline change: `manage.py reanalyse`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from articles import analysis as nlp
from articles.models import Analysis, Revision
from articles.services import revisions_reanalyse


class Command(BaseCommand):
    help = "Analyse every revision (or only those missing an analysis for this pipeline version)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing", action="store_true", help="Only revisions without a current analysis."
        )
        parser.add_argument("--batch-size", type=int, default=32)

    def handle(self, *args: Any, **options: Any) -> None:
        revisions = Revision.objects.order_by("pk")
        if options["missing"]:
            current = Analysis.objects.filter(
                pipeline_version=nlp.PIPELINE_VERSION, model=nlp.model_name()
            ).values("revision_id")
            revisions = revisions.exclude(pk__in=current)
        count = revisions_reanalyse(
            revisions=revisions.iterator(chunk_size=200), batch_size=options["batch_size"]
        )
        self.stdout.write(
            f"Analysed {count} revision{'s' if count != 1 else ''} with {nlp.model_name()} "
            f"(pipeline {nlp.PIPELINE_VERSION})."
        )
