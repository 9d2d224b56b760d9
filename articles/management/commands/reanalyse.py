"""Recompute stored analyses after a pipeline change: `manage.py reanalyse`.

The revisions are analysed by background tasks (articles.tasks), in tasks of
``--batch-size`` revisions: with the immediate backend in this process, with the
database backend by `manage.py db_worker` processes (this command only enqueues).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from articles import analysis as nlp
from articles.models import Analysis, Revision
from articles.tasks import revisions_reanalyse_task


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
        ids = list(revisions.values_list("pk", flat=True))
        size = max(1, options["batch_size"])
        results = [
            revisions_reanalyse_task.enqueue(revision_ids=ids[i : i + size], batch_size=size)
            for i in range(0, len(ids), size)
        ]
        failed = [r for r in results if r.status == TaskResultStatus.FAILED]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} reanalysis task(s) failed.")
        if all(r.status == TaskResultStatus.SUCCESSFUL for r in results):
            count = sum(r.return_value for r in results)
            self.stdout.write(
                f"Analysed {count} revision{'s' if count != 1 else ''} with {nlp.model_name()} "
                f"(pipeline {nlp.PIPELINE_VERSION})."
            )
        else:
            self.stdout.write(
                f"Queued {len(ids)} revision{'s' if len(ids) != 1 else ''} for analysis in "
                f"{len(results)} task{'s' if len(results) != 1 else ''} "
                f"({nlp.model_name()}, pipeline {nlp.PIPELINE_VERSION}); db_worker runs them."
            )
