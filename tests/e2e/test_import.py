"""With the database task backend, an upload shows "Analysing…" until a real
db_worker records it, then the page goes to the article by itself (htmx)."""

from __future__ import annotations

import subprocess

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.articles.test_tasks import ROOT, worker_command, worker_env
from tests.conftest import SEED_PATH
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TITLE = "US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances"


def test_an_upload_waits_for_the_worker_then_opens_the_article(page, editor, settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a db_worker process shares the test database")
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    log_in(page, editor)
    page.goto("/import/")
    page.get_by_label("Capture file").set_input_files(str(SEED_PATH))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Analysing… 0 of 1 capture recorded")).to_be_visible()

    worker = subprocess.run(
        worker_command("--batch"), cwd=ROOT, env=worker_env(), capture_output=True, check=False
    )
    assert worker.returncode == 0, worker.stderr[-2000:]

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE, timeout=30_000)
    expect(page.get_by_role("status")).to_contain_text("New article")
