"""The watcher: feeds and pages served by a local HTTP server (127.0.0.1 only) that
change between polls, polled by ``capture_poll_due`` as ``manage.py capture --once`` does."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from articles.capture import CaptureReport, capture_poll_due
from articles.ingest import CaptureDraft
from articles.models import Activity, Article, Feed, Revision, Source, WatchedPage

pytestmark = pytest.mark.django_db

STAMP = "This article was last updated on {when}."
TRAM = CaptureDraft(
    title="Council approves the new tram line",
    standfirst="The vote ends two years of debate over the route.",
    byline="Jo Reporter",
    body=(
        "The city council approved the new tram line on Tuesday by 31 votes to 12, "
        "ending two years of debate over its route through the old town.\n\n"
        "“This is a good day for everyone who lives here,” the mayor, Ana Costa, told "
        "reporters after the vote, adding that building work would start in the spring.\n\n"
        "Opponents said the line would cost far more than the council had budgeted and "
        "promised to keep campaigning against it."
    ),
)


def html_page(draft: CaptureDraft, stamp: str = "") -> bytes:
    """An article page as a newsroom's site would serve it."""
    paragraphs = "".join(f"<p>{escape(p)}</p>\n" for p in draft.paragraphs)
    if stamp:
        paragraphs += f"<p>{escape(stamp)}</p>\n"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(draft.title)}</title>
<meta name="description" content="{escape(draft.standfirst)}">
<meta name="author" content="{escape(draft.byline)}">
<meta property="article:published_time" content="2024-05-14T22:34:00+00:00">
</head><body><header><nav><a href="/">Home</a> <a href="/world/">World</a></nav></header>
<article><h1>{escape(draft.title)}</h1>
<p class="standfirst">{escape(draft.standfirst)}</p>
{paragraphs}</article><footer>© Example News</footer></body></html>""".encode()


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{base}{path}</link><guid>{base}{path}</guid></item>"
        for n, path in enumerate(paths)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example News: World</title><link>{base}/</link>
<description>World news</description>{items}</channel></rss>""".encode()


@dataclass
class Site:
    """What the local server serves: path -> (status, content type, body). It answers
    304 to a request whose If-None-Match is the body's ETag, and logs every request."""

    base: str = ""
    routes: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, status)
    user_agents: set[str] = field(default_factory=set)
    held: dict[str, tuple[threading.Event, threading.Event]] = field(default_factory=dict)

    def serve(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.routes[path] = (200, content_type, body)

    def remove(self, path: str, status: int = 404) -> None:
        self.routes[path] = (status, "text/plain", b"Not here.")

    def seen(self, path: str) -> list[str]:
        return [status for p, status in self.requests if p == path]

    def hold(self, path: str) -> tuple[threading.Event, threading.Event]:
        """Keep requests for ``path`` waiting: returns (a request arrived, let it go)."""
        gate = self.held[path] = (threading.Event(), threading.Event())
        return gate


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.user_agents.add(self.headers.get("User-Agent", ""))
            if self.path in site.held:
                arrived, release = site.held[self.path]
                arrived.set()
                release.wait(timeout=120)
            status, content_type, body = site.routes.get(self.path, (404, "text/plain", b"No."))
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                site.requests.append((self.path, "304"))
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            site.requests.append((self.path, str(status)))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 200:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def site(settings) -> Iterator[Site]:  # type: ignore[no-untyped-def]
    settings.CAPTURE_HOST_DELAY = 0
    settings.CAPTURE_USER_AGENT = "NewsdeskReview-test/1"
    cache.clear()  # robots.txt is cached per host
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Newsroom:
    site: Site
    feed: Feed
    seed: CaptureDraft
    start: datetime

    def poll(self, minutes: int) -> CaptureReport:
        """A poll ``minutes`` after the first, as the periodic task would run it."""
        return capture_poll_due(now=self.start + timedelta(minutes=minutes))

    def page(self, path: str) -> WatchedPage:
        return WatchedPage.objects.get(url=self.site.base + path)

    def article(self, path: str) -> Article:
        return Article.objects.get(canonical_url=self.site.base + path)


PATRIOT = "/world/blinken-ukraine"
TRAM_PATH = "/city/tram-line"
PRIVATE = "/private/embargoed-story"


@pytest.fixture
def newsroom(site: Site, seed_draft: CaptureDraft) -> Newsroom:
    """A feed listing two stories and an embargoed page robots.txt keeps us out of;
    the first poll has run."""
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.serve("/feed.xml", rss(site.base, [PATRIOT, TRAM_PATH, PRIVATE]), "application/rss+xml")
    site.serve(PATRIOT, html_page(seed_draft, STAMP.format(when="May 15, 2024 at 9:10 AM")))
    site.serve(TRAM_PATH, html_page(TRAM))
    site.serve(PRIVATE, html_page(TRAM))
    afp = Source.objects.create(name="AFP", slug="afp")
    feed = Feed.objects.create(url=site.base + "/feed.xml", source=afp, interval_minutes=15)
    newsroom = Newsroom(site=site, feed=feed, seed=seed_draft, start=timezone.now())
    newsroom.report = newsroom.poll(0)  # type: ignore[attr-defined]
    return newsroom


def test_the_first_poll_records_each_page_of_the_feed_as_a_new_article(
    newsroom: Newsroom,
) -> None:
    report = newsroom.report  # type: ignore[attr-defined]
    assert report.new_articles == 2
    patriot = newsroom.article(PATRIOT)
    revision = patriot.revisions.get()
    assert "Putin asked for two Patriot batteries" in revision.body
    assert revision.title == newsroom.seed.title
    assert patriot.source is not None and patriot.source.name == "AFP"  # the feed's credit
    assert newsroom.article(TRAM_PATH).revisions.get().title == TRAM.title


def test_the_pages_of_a_feed_are_watched_with_their_status(newsroom: Newsroom) -> None:
    page = newsroom.page(PATRIOT)
    assert page.feed == newsroom.feed
    assert page.last_status == 200
    assert page.last_fetched_at == newsroom.start
    assert page.last_changed_at == newsroom.start
    assert page.etag
    assert page.next_poll_at == newsroom.start + timedelta(minutes=15)
    newsroom.feed.refresh_from_db()
    assert newsroom.feed.last_status == 200


def test_a_path_robots_txt_disallows_is_never_fetched(newsroom: Newsroom) -> None:
    newsroom.poll(20)
    assert newsroom.site.seen(PRIVATE) == []
    assert newsroom.report.disallowed == 1  # type: ignore[attr-defined]
    assert "robots.txt disallows" in newsroom.page(PRIVATE).last_error
    assert not Article.objects.filter(canonical_url=newsroom.site.base + PRIVATE).exists()


def test_robots_txt_is_fetched_once_per_host(newsroom: Newsroom) -> None:
    newsroom.poll(20)
    assert newsroom.site.seen("/robots.txt") == ["200"]


def test_requests_carry_the_configured_user_agent(newsroom: Newsroom) -> None:
    assert newsroom.site.user_agents == {"NewsdeskReview-test/1"}


def test_nothing_is_fetched_before_it_is_due(newsroom: Newsroom) -> None:
    before = len(newsroom.site.requests)
    report = newsroom.poll(5)
    assert (report.feeds, report.pages) == (0, 0)
    assert len(newsroom.site.requests) == before


def test_the_second_poll_gets_a_304_for_an_unchanged_page(newsroom: Newsroom) -> None:
    newsroom.site.serve(
        PATRIOT, html_page(newsroom.seed, STAMP.format(when="May 15, 2024 at 9:10 AM"))
    )
    report = newsroom.poll(20)
    assert newsroom.site.seen(TRAM_PATH) == ["200", "304"]
    assert newsroom.site.seen("/feed.xml") == ["200", "304"]
    assert report.not_modified == 2
    tram = newsroom.page(TRAM_PATH)
    assert tram.last_status == 304
    assert tram.last_changed_at == newsroom.start  # not changed since the first poll
    assert newsroom.article(TRAM_PATH).revisions.count() == 1


def test_the_second_poll_records_the_changed_sentence_as_a_new_revision(
    newsroom: Newsroom,
) -> None:
    corrected = CaptureDraft(
        title=newsroom.seed.title,
        standfirst=newsroom.seed.standfirst,
        byline=newsroom.seed.byline,
        body=newsroom.seed.body.replace("Putin asked", "Zelensky asked"),
    )
    newsroom.site.serve(PATRIOT, html_page(corrected, STAMP.format(when="May 15, 2024 at 9:10 AM")))
    report = newsroom.poll(20)
    assert report.new_revisions == 1
    latest = newsroom.article(PATRIOT).revisions.order_by("-number").first()
    assert latest is not None and latest.number == 2
    assert "Zelensky asked for two Patriot batteries" in latest.body
    assert latest.minor is False
    assert newsroom.page(PATRIOT).last_changed_at == newsroom.start + timedelta(minutes=20)


def test_the_third_poll_records_a_timestamp_only_change_as_minor(newsroom: Newsroom) -> None:
    newsroom.poll(20)
    newsroom.site.serve(
        PATRIOT, html_page(newsroom.seed, STAMP.format(when="June 3, 2024 at 5:01 PM"))
    )
    report = newsroom.poll(40)
    assert (report.new_revisions, report.minor_revisions) == (1, 1)
    latest = newsroom.article(PATRIOT).revisions.order_by("-number").first()
    assert latest is not None and latest.number == 2
    assert "June 3, 2024" in latest.body
    assert latest.minor is True


def test_a_page_that_disappears_is_logged_as_gone_not_recorded(newsroom: Newsroom) -> None:
    newsroom.site.remove(PATRIOT, 404)
    report = newsroom.poll(20)
    assert report.gone == 1
    article = newsroom.article(PATRIOT)
    assert article.revisions.count() == 1
    gone = Activity.objects.get(verb="capture.page-gone")
    assert gone.article == article
    assert "answered 404 Not Found" in gone.summary
    assert newsroom.page(PATRIOT).gone_at is not None
    newsroom.poll(40)  # still gone: logged once
    assert Activity.objects.filter(verb="capture.page-gone").count() == 1


def test_a_failing_url_backs_off_without_stopping_the_others(newsroom: Newsroom) -> None:
    newsroom.site.routes[TRAM_PATH] = (500, "text/plain", b"Oops")
    newsroom.site.serve(
        PATRIOT, html_page(newsroom.seed, STAMP.format(when="June 3, 2024 at 5:01 PM"))
    )
    report = newsroom.poll(20)
    assert report.errors == [
        f"{newsroom.site.base}{TRAM_PATH}: HTTP 500 from {newsroom.site.base}{TRAM_PATH}"
    ]
    assert report.new_revisions == 1  # the other page was still recorded
    tram = newsroom.page(TRAM_PATH)
    assert tram.failures == 1
    assert tram.last_error.startswith("HTTP 500")
    assert tram.next_poll_at == newsroom.start + timedelta(minutes=20 + 30)  # 15 min × 2
    newsroom.poll(50)
    tram.refresh_from_db()
    assert tram.failures == 2
    assert tram.next_poll_at == newsroom.start + timedelta(minutes=50 + 60)  # 15 min × 4


def test_a_page_that_recovers_resets_its_back_off(newsroom: Newsroom) -> None:
    newsroom.site.routes[TRAM_PATH] = (500, "text/plain", b"Oops")
    newsroom.poll(20)
    newsroom.site.serve(TRAM_PATH, html_page(TRAM))
    newsroom.poll(50)
    tram = newsroom.page(TRAM_PATH)
    assert (tram.failures, tram.last_status) == (0, 304)
    assert tram.last_error  # the last error stays visible, with its time
    assert tram.next_poll_at == newsroom.start + timedelta(minutes=50 + 15)


def test_a_response_over_the_size_limit_is_refused(newsroom: Newsroom, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CAPTURE_FETCH_MAX_BYTES = 1000
    newsroom.site.serve(TRAM_PATH, html_page(TRAM) + b" " * 2000)
    report = newsroom.poll(20)
    assert any("the limit is 1000" in error for error in report.errors)
    assert "the limit is 1000" in newsroom.page(TRAM_PATH).last_error


def test_an_inactive_feed_is_not_polled(newsroom: Newsroom) -> None:
    Feed.objects.filter(pk=newsroom.feed.pk).update(active=False)
    newsroom.poll(20)
    assert newsroom.site.seen("/feed.xml") == ["200"]


def test_a_watched_page_alone_is_polled_and_credited_to_its_source(site: Site) -> None:
    site.serve("/robots.txt", b"", "text/plain")
    site.serve(TRAM_PATH, html_page(TRAM))
    wire = Source.objects.create(name="Example Wire", slug="example-wire")
    WatchedPage.objects.create(url=site.base + TRAM_PATH, source=wire)
    report = capture_poll_due()
    assert report.new_articles == 1
    article = Article.objects.get(canonical_url=site.base + TRAM_PATH)
    assert article.source == wire


def test_the_capture_command_polls_once(site: Site) -> None:
    site.serve("/robots.txt", b"", "text/plain")
    site.serve(TRAM_PATH, html_page(TRAM))
    WatchedPage.objects.create(url=site.base + TRAM_PATH)
    out = StringIO()
    call_command("capture", "--once", stdout=out)
    assert "Polled 0 feed(s) and 1 page(s): 1 new article(s)" in out.getvalue()
    assert Revision.objects.count() == 1


def test_a_recorded_capture_says_where_it_came_from(newsroom: Newsroom) -> None:
    recorded = Activity.objects.filter(
        verb="revision.recorded", article=newsroom.article(PATRIOT)
    ).get()
    assert recorded.detail["via"] == {
        "channel": "watcher",
        "url": newsroom.site.base + PATRIOT,
        "feed": newsroom.feed.url,
    }


def test_admins_see_each_urls_status_in_the_admin(newsroom: Newsroom, admin_client_) -> None:  # type: ignore[no-untyped-def]
    newsroom.poll(20)
    listing = admin_client_.get("/admin/articles/watchedpage/").content.decode()
    assert newsroom.site.base + PRIVATE in listing
    assert "robots.txt disallows" in listing  # the last error, per URL
    page = newsroom.page(PATRIOT)
    change = admin_client_.get(f"/admin/articles/watchedpage/{page.pk}/change/")
    assert change.status_code == 200
    assert "Last fetched at" in change.content.decode()
    assert admin_client_.get("/admin/articles/feed/add/").status_code == 200
    assert admin_client_.get("/admin/articles/apikey/add/").status_code == 200
