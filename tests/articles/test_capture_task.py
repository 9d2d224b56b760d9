"""The watcher's poll as a task and one poll at a time: `manage.py capture --enqueue`
(what cron runs every minute), `capture_poll_task`'s report, and the PostgreSQL lock
that keeps two polls (cron and a worker, or two workers) from fetching a URL twice.

The feed and its pages are served by the loopback server of test_capture_watcher.
The database backend with a real `db_worker` is in test_tasks.py."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from articles.capture import POLL_LOCK_KEY, CaptureReport, capture_poll_due
from articles.ingest import CaptureDraft
from articles.models import Article, Feed, Source
from articles.tasks import capture_poll_task
from tests.articles import test_capture_watcher as watcher
from tests.articles.test_capture_watcher import PATRIOT, TRAM, TRAM_PATH, Site, html_page, rss

pytestmark = pytest.mark.django_db

BROKEN = "/world/broken-story"
site = watcher.site  # the fixture: the loopback server

SKIPPED = "Skipped: another poll is running (it holds the capture lock); nothing polled."


@pytest.fixture(autouse=True)
def immediate_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    """The immediate backend, whatever TASKS_BACKEND says: a task runs where it is queued."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }


@pytest.fixture
def feed(site: Site, seed_draft: CaptureDraft) -> Feed:
    """A feed listing two stories and one whose page fails; nothing polled yet."""
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.serve("/feed.xml", rss(site.base, [PATRIOT, TRAM_PATH, BROKEN]), "application/rss+xml")
    site.serve(PATRIOT, html_page(seed_draft))
    site.serve(TRAM_PATH, html_page(TRAM))
    site.routes[BROKEN] = (500, "text/plain", b"Oops")
    afp = Source.objects.create(name="AFP", slug="afp")
    return Feed.objects.create(url=site.base + "/feed.xml", source=afp, interval_minutes=15)


def expected_report(site: Site) -> dict:
    return {
        "feeds": 1,
        "pages": 3,
        "new_articles": 2,
        "new_revisions": 0,
        "minor_revisions": 0,
        "unchanged": 0,
        "not_modified": 0,
        "gone": 0,
        "disallowed": 0,
        "errors": [f"{site.base}{BROKEN}: HTTP 500 from {site.base}{BROKEN}"],
        "skipped": False,
    }


def recorded_urls() -> set[str]:
    return set(Article.objects.values_list("canonical_url", flat=True))


def test_enqueue_with_the_immediate_backend_polls_at_once_as_once_does(
    feed: Feed,
    site: Site,
) -> None:
    out, err = StringIO(), StringIO()
    call_command("capture", "--enqueue", stdout=out, stderr=err)
    assert out.getvalue() == (
        "Polled 1 feed(s) and 3 page(s): 2 new article(s), 0 new revision(s) (0 minor), "
        "0 unchanged, 0 not modified, 0 gone, 0 disallowed by robots.txt, 1 error(s).\n"
    )
    assert err.getvalue() == f"  {site.base}{BROKEN}: HTTP 500 from {site.base}{BROKEN}\n"
    assert recorded_urls() == {site.base + PATRIOT, site.base + TRAM_PATH}
    patriot = Article.objects.get(canonical_url=site.base + PATRIOT)
    assert "Putin asked for two Patriot batteries" in patriot.revisions.get().body


def test_the_poll_task_returns_the_report_as_json(feed: Feed, site: Site) -> None:
    result = capture_poll_task.enqueue()
    assert result.status == "SUCCESSFUL"
    assert json.loads(json.dumps(result.return_value)) == result.return_value
    assert result.return_value == expected_report(site)
    assert str(CaptureReport(**result.return_value)).startswith(
        "Polled 1 feed(s) and 3 page(s): 2 new article(s)"
    )


def test_every_is_refused_with_once_or_enqueue() -> None:
    with pytest.raises(CommandError, match="--every is for the loop"):
        call_command("capture", "--enqueue", "--every", "30")
    with pytest.raises(CommandError):
        call_command("capture", "--once", "--enqueue")


def test_a_quiet_enqueue_prints_only_the_failed_urls(feed: Feed, site: Site) -> None:
    """`-v 0`, as cron runs it: cron mails whatever a job prints, so only failures."""
    out, err = StringIO(), StringIO()
    call_command("capture", "--enqueue", "-v", "0", stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert err.getvalue() == f"  {site.base}{BROKEN}: HTTP 500 from {site.base}{BROKEN}\n"
    assert Article.objects.count() == 2


# --------------------------------------------------------------------------
# one poll at a time (PostgreSQL)


@pytest.fixture
def other_connection() -> Iterator[BaseDatabaseWrapper]:
    """A second session on the test database, as another host's poll would have."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite (one process, development) takes no poll lock")
    other = connection.copy()
    try:
        yield other
    finally:
        other.close()


def lock(session: BaseDatabaseWrapper, function: str) -> bool:
    with session.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [POLL_LOCK_KEY])
        return bool(cursor.fetchone()[0])


@pytest.mark.postgres
def test_a_poll_while_another_holds_the_lock_fetches_nothing_and_says_it_skipped(
    feed: Feed,
    site: Site,
    other_connection: BaseDatabaseWrapper,
) -> None:
    assert lock(other_connection, "pg_try_advisory_lock")
    report = capture_poll_due()
    assert report == CaptureReport(skipped=True)
    assert site.requests == []
    assert Article.objects.count() == 0
    feed.refresh_from_db()
    assert feed.last_fetched_at is None

    assert lock(other_connection, "pg_advisory_unlock")
    report = capture_poll_due()
    assert (report.skipped, report.new_articles) == (False, 2)
    assert recorded_urls() == {site.base + PATRIOT, site.base + TRAM_PATH}


@pytest.mark.postgres
def test_the_command_and_the_task_say_they_skipped_while_the_lock_is_held(
    feed: Feed,
    site: Site,
    other_connection: BaseDatabaseWrapper,
) -> None:
    assert lock(other_connection, "pg_try_advisory_lock")
    for option in ("--once", "--enqueue"):
        out = StringIO()
        call_command("capture", option, stdout=out)
        assert out.getvalue() == SKIPPED + "\n"
    result = capture_poll_task.enqueue()
    assert result.return_value == {**CaptureReport().as_dict(), "skipped": True}
    assert site.requests == []


@pytest.mark.postgres
def test_a_finished_poll_leaves_the_lock_free_for_the_next(
    feed: Feed,
    other_connection: BaseDatabaseWrapper,
) -> None:
    capture_poll_due()
    assert lock(other_connection, "pg_try_advisory_lock")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_polls_fetch_each_url_once(feed: Feed, site: Site) -> None:
    """A poll that is still fetching (a slow page) when the next one starts, as when
    cron's next minute comes: the second skips; the first records everything once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite (one process, development) takes no poll lock")
    arrived, release = site.hold(TRAM_PATH)
    reports: list[CaptureReport] = []

    def first_poll() -> None:
        try:
            reports.append(capture_poll_due())
        finally:
            connection.close()  # this thread's own session

    thread = threading.Thread(target=first_poll)
    thread.start()
    try:
        assert arrived.wait(timeout=120), "the first poll never reached the slow page"
        out = StringIO()
        call_command("capture", "--once", stdout=out)
        assert out.getvalue() == SKIPPED + "\n"
    finally:
        release.set()
        thread.join()

    assert reports[0].as_dict() == expected_report(site)
    for path in ("/robots.txt", "/feed.xml", PATRIOT, TRAM_PATH, BROKEN):
        assert site.seen(path) == (["500"] if path == BROKEN else ["200"]), path
    assert recorded_urls() == {site.base + PATRIOT, site.base + TRAM_PATH}
