"""Background work with the database task backend and real `db_worker` processes.

PostgreSQL only: the workers are separate processes that must see the test's
committed rows (transactional tests), and the queue relies on row locks that
SQLite does not have. The in-process immediate backend is what every other
test uses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from articles.models import Analysis, Article, Feed, ImportItem, Revision
from tests.articles import test_capture_task as capture_task
from tests.articles.capture_variants import write_captures
from tests.conftest import SEED_PATH, visible_text

ROOT = Path(__file__).resolve().parents[2]

site = capture_task.site  # the loopback server the watcher polls
feed = capture_task.feed  # a feed on it, listing two stories and a failing page

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def database_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    """The database backend in this process; skipped on SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: db_worker processes share the test database with it")
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker on the test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "TASKS_BACKEND": "database", **extra}


def worker_command(*args: str) -> list[str]:
    return [
        sys.executable,
        "manage.py",
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
        *args,
    ]


def run_worker_until_idle(**env: str) -> None:
    """A real worker that runs every queued task, then exits."""
    done = subprocess.run(
        worker_command("--batch"),
        cwd=ROOT,
        env=worker_env(**env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_an_upload_shows_analysing_until_a_worker_records_it(editor_client: Client) -> None:
    response = editor_client.post("/import/", {"text": SEED_PATH.read_text(encoding="utf-8")})
    assert response.status_code == 302
    page = editor_client.get(response["Location"])
    text = visible_text(page.content.decode())
    assert "Analysing… 0 of 1 capture recorded" in text
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert Revision.objects.count() == 0


def test_the_import_page_polled_by_htmx_returns_only_its_progress(editor_client: Client) -> None:
    response = editor_client.post("/import/", {"text": SEED_PATH.read_text(encoding="utf-8")})
    fragment = editor_client.get(response["Location"], HTTP_HX_REQUEST="true")
    content = fragment.content.decode()
    assert content.lstrip().startswith('<div id="import-progress"')
    assert "<html" not in content
    assert "Analysing…" in content


def test_a_worker_records_the_upload_and_the_page_then_opens_the_article(
    editor_client: Client,
) -> None:
    response = editor_client.post("/import/", {"text": SEED_PATH.read_text(encoding="utf-8")})
    status_url = response["Location"]
    run_worker_until_idle()
    revision = Revision.objects.get()
    assert Analysis.objects.filter(revision=revision).count() == 1
    polled = editor_client.get(status_url, HTTP_HX_REQUEST="true")
    article_url = f"/articles/{revision.article.slug}/"
    assert polled["HX-Redirect"] == article_url
    page = editor_client.get(status_url, follow=True)
    assert page.redirect_chain[-1][0] == article_url
    text = visible_text(page.content.decode())
    assert "New article" in text
    assert "Putin asked for two Patriot batteries" in text
    assert "has not been analysed yet" not in text


def test_notification_mail_waits_for_a_worker(editor, copydesk, recorded_seed, mailoutbox) -> None:
    from review import services as review
    from tests.review.test_annotations import dispute

    copydesk.email = "cal@example.org"
    copydesk.save()
    annotation = dispute(recorded_seed.revision, editor)
    review.annotation_assign(annotation=annotation, actor=editor, assignee=copydesk)
    assert mailoutbox == []
    queued = DBTaskResult.objects.filter(task_path__endswith="notification_mail_send_task")
    assert queued.count() == 1
    assert queued.get().args_kwargs["kwargs"]["recipients"] == ["cal@example.org"]


def test_rerunning_a_bulk_import_skips_what_a_worker_recorded(tmp_path: Path, capsys) -> None:
    write_captures(tmp_path, articles=3, revisions=2)
    call_command("import_articles", str(tmp_path), "--no-wait", "--no-progress")
    assert (
        "0 new article, 0 new revision, 0 unchanged, 0 refused, 6 queued" in capsys.readouterr().out
    )
    run_worker_until_idle()
    assert Revision.objects.count() == 6
    call_command("import_articles", str(tmp_path), "--no-wait", "--no-progress")
    assert "0 new article, 0 new revision, 6 unchanged, 0 refused" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    assert Revision.objects.count() == 6


def test_a_worker_killed_mid_batch_loses_nothing_and_records_nothing_twice(
    tmp_path: Path, capsys, settings
) -> None:
    paths = write_captures(tmp_path, articles=12, revisions=3)
    settings.IMPORT_TASK_SIZE = 6  # two articles (three captures each) per task
    call_command("import_articles", str(tmp_path), "--no-wait", "--no-progress")
    worker = subprocess.Popen(
        worker_command(),
        cwd=ROOT,
        env=worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        # Kill it while a task is analysing its captures (they are still pending), after
        # an earlier task recorded its own: not in the moment between a task's commit
        # and its result being marked successful (the recording hooks run there).
        while not (
            ImportItem.objects.exclude(status="pending").exists()
            and ImportItem.objects.filter(
                status="pending",
                task_id__in=[
                    str(pk)
                    for pk in DBTaskResult.objects.filter(status="RUNNING").values_list(
                        "id", flat=True
                    )
                ],
            ).exists()
        ):
            assert time.monotonic() < deadline, "the worker recorded nothing in 5 minutes"
            assert worker.poll() is None, "the worker exited"
            time.sleep(0.02)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    recorded_before = ImportItem.objects.exclude(status="pending").count()
    assert 0 < recorded_before < len(paths)

    # Another worker takes the tasks still queued; the killed one's task stays "running".
    run_worker_until_idle()
    assert ImportItem.objects.filter(status="pending").exists()
    # A re-run finds that task lost and enqueues its captures again.
    call_command(
        "import_articles", str(tmp_path), "--stale-after", "0", "--no-wait", "--no-progress"
    )
    capsys.readouterr()
    run_worker_until_idle()

    assert ImportItem.objects.filter(status="pending").count() == 0
    assert Revision.objects.count() == len(paths)
    per_article = Counter(Revision.objects.values_list("article_id", "content_hash"))
    assert max(per_article.values()) == 1
    assert Article.objects.count() == 12
    for article in Article.objects.all():
        assert list(article.revisions.order_by("number").values_list("number", flat=True)) == [
            1,
            2,
            3,
        ]


def test_cron_enqueues_the_poll_and_a_worker_records_the_feeds_articles(
    feed: Feed,
    site: capture_task.Site,
) -> None:
    """What production runs every minute: `capture --enqueue` queues the poll and exits;
    a worker polls the loopback feed, records its pages, and keeps the report."""
    out = StringIO()
    call_command("capture", "--enqueue", stdout=out)
    queued = DBTaskResult.objects.get(task_path="articles.tasks.capture_poll_task")
    assert out.getvalue() == f"Enqueued the poll as task {queued.id}.\n"
    assert queued.status == "READY"
    assert site.requests == []  # nothing fetched until a worker runs it

    run_worker_until_idle(CAPTURE_HOST_DELAY="0")

    assert set(Article.objects.values_list("canonical_url", flat=True)) == {
        site.base + capture_task.PATRIOT,
        site.base + capture_task.TRAM_PATH,
    }
    patriot = Article.objects.get(canonical_url=site.base + capture_task.PATRIOT)
    assert "Putin asked for two Patriot batteries" in patriot.revisions.get().body
    assert Analysis.objects.filter(revision__article=patriot).count() == 1
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == capture_task.expected_report(site)
