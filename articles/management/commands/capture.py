"""Poll the watched feeds and pages that are due: `manage.py capture --once`, or
queue that poll for a task worker: `manage.py capture --enqueue` (cron, every minute)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from articles.capture import CaptureReport, capture_poll_due
from articles.tasks import capture_poll_task


class Command(BaseCommand):
    help = (
        "Poll the feeds and watched pages that are due and record what changed. "
        "With --once, one poll and exit; with --enqueue, queue one poll for a task "
        "worker and exit (what cron or a systemd timer runs every minute); with "
        "neither, poll every --every seconds until stopped. One poll runs at a time: "
        "a poll that finds another one running skips."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--once", action="store_true", help="Poll once and exit.")
        when.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one poll as a task (capture_poll_task) and exit, printing its id "
            "(not with -v 0); with the immediate task backend it runs at once and prints "
            "its report.",
        )
        parser.add_argument(
            "--every", type=int, default=None, help="Seconds between polls (the loop; 60)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["every"] is not None and (options["once"] or options["enqueue"]):
            raise CommandError("--every is for the loop: leave it out with --once or --enqueue.")
        self.verbosity = options["verbosity"]
        if options["enqueue"]:
            self.enqueue()
            return
        while True:
            self.print_report(capture_poll_due())
            if options["once"]:
                return
            time.sleep(max(1, options["every"] or 60))

    def enqueue(self) -> None:
        result = capture_poll_task.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:  # the immediate backend ran it
            self.print_report(CaptureReport(**result.return_value))
        elif result.status == TaskResultStatus.FAILED:
            error = result.errors[-1].traceback.strip().splitlines()[-1] if result.errors else ""
            raise CommandError(f"The poll task {result.id} failed: {error}")
        elif self.verbosity > 0:
            self.stdout.write(f"Enqueued the poll as task {result.id}.")

    def print_report(self, report: CaptureReport) -> None:
        """The report on stdout (not with -v 0: cron mails what a job prints), then each
        failed URL on stderr."""
        if self.verbosity > 0:
            self.stdout.write(str(report))
        for error in report.errors:
            self.stderr.write(f"  {error}")
