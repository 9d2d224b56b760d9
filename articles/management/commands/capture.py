"""Poll the watched feeds and pages that are due: `manage.py capture --once`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from articles.capture import capture_poll_due


class Command(BaseCommand):
    help = (
        "Poll the feeds and watched pages that are due and record what changed. "
        "With --once, one poll and exit (for cron or a periodic task); without it, "
        "poll every --every seconds until stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Poll once and exit.")
        parser.add_argument(
            "--every", type=int, default=60, help="Seconds between polls (without --once)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = capture_poll_due()
            self.stdout.write(str(report))
            for error in report.errors:
                self.stderr.write(f"  {error}")
            if options["once"]:
                return
            time.sleep(max(1, options["every"]))
