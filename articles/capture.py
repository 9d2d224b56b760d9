"""The watcher: poll the feeds and pages that are due, record what changed.

``capture_poll_due()`` is the one entry point (``manage.py capture --once``, its
loop, and ``articles.tasks.capture_poll_task``, which cron enqueues every minute
with ``manage.py capture --enqueue``, call it). For each due feed it fetches the
feed and watches each entry's page (a ``WatchedPage`` with that feed); then it
fetches each due page and records it through ``articles.services.revision_record``,
like the import form.

One poll at a time: on PostgreSQL a poll holds a session advisory lock, and a
poll that starts while another one (any process, any host) holds it polls
nothing and reports that it skipped. Two overlapping polls would otherwise take
the same due URLs and fetch each twice, breaking the per-host spacing below.
SQLite (development, one process) takes no lock.

Fetching is polite: conditional GET (ETag / Last-Modified), the User-Agent of
``settings.CAPTURE_USER_AGENT``, robots.txt obeyed (fetched once per host and
cached), at most one request per host every ``CAPTURE_HOST_DELAY`` seconds, a
timeout and a size limit. A page that answers 404 or 410 is logged as gone (an
Activity), not recorded. Any other failure is written on the URL (last error) and
its next poll waits twice as long as the last one (up to a day), without stopping
the other URLs.
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from articles import services
from articles.ingest import CaptureRefused, read_capture
from articles.models import Activity, Article, Feed, Polled, WatchedPage

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5


class FetchError(Exception):
    """A fetch that failed; the message is what the admin shows as the last error."""


class RobotsDisallowed(FetchError):
    """robots.txt asks us not to fetch this URL."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str
    etag: str
    last_modified: str


@dataclass
class CaptureReport:
    """What one poll did, in counts, plus one line per URL that failed; ``skipped``
    when another poll was running, so this one polled nothing."""

    feeds: int = 0
    pages: int = 0
    new_articles: int = 0
    new_revisions: int = 0
    minor_revisions: int = 0
    unchanged: int = 0
    not_modified: int = 0
    gone: int = 0
    disallowed: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: bool = False

    def __str__(self) -> str:
        if self.skipped:
            return "Skipped: another poll is running (it holds the capture lock); nothing polled."
        return (
            f"Polled {self.feeds} feed(s) and {self.pages} page(s): "
            f"{self.new_articles} new article(s), {self.new_revisions} new revision(s) "
            f"({self.minor_revisions} minor), {self.unchanged} unchanged, "
            f"{self.not_modified} not modified, {self.gone} gone, "
            f"{self.disallowed} disallowed by robots.txt, {len(self.errors)} error(s)."
        )

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON (a task's return value); ``CaptureReport(**d)`` reads it back."""
        return asdict(self)


class Fetcher:
    """An HTTP client that keeps the watcher's manners (see the module's docstring)."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float,
        max_bytes: int,
        host_delay: float,
        robots_ttl: int,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": user_agent}
        )
        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self.host_delay = host_delay
        self.robots_ttl = robots_ttl
        self.sleep = sleep
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last_request: dict[str, float] = {}

    @classmethod
    def from_settings(cls) -> Fetcher:
        return cls(
            user_agent=settings.CAPTURE_USER_AGENT,
            timeout=settings.CAPTURE_TIMEOUT,
            max_bytes=settings.CAPTURE_FETCH_MAX_BYTES,
            host_delay=settings.CAPTURE_HOST_DELAY,
            robots_ttl=settings.CAPTURE_ROBOTS_TTL,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        """GET ``url`` (conditionally when given a validator), following redirects
        itself so that each hop is checked against its host's robots.txt."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(MAX_REDIRECTS + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(f"not an http(s) URL: {url}")
            if not self.allowed(url):
                raise RobotsDisallowed(f"robots.txt disallows {url}")
            status, response_headers, body = self._request(url, headers)
            location = response_headers.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            return Fetched(
                url=url,
                status=status,
                body=body,
                content_type=response_headers.get("content-type", ""),
                etag=response_headers.get("etag", ""),
                last_modified=response_headers.get("last-modified", ""),
            )
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        self._wait_for_host(url)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                declared = int(response.headers.get("content-length") or 0)
                if declared > self.max_bytes:
                    raise FetchError(self._too_large(declared))
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(self._too_large(size, at_least=True))
                    chunks.append(chunk)
                return response.status_code, response.headers, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out fetching {url}") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"could not fetch {url}: {exc}") from exc

    def _too_large(self, size: int, *, at_least: bool = False) -> str:
        more = "over " if at_least else ""
        return f"response is {more}{size} bytes; the limit is {self.max_bytes}"

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None and self.host_delay > 0:
            wait = last + self.host_delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._robots[origin] = self._robots_for(origin)
        return parser.can_fetch(self.user_agent, url)

    def _robots_for(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """The host's robots.txt, from the cache or fetched (RFC 9309: a 4xx answer
        allows everything; a 5xx or a failed fetch allows nothing, for now)."""
        key = f"capture:robots:{origin}"
        lines = cache.get(key)
        if lines is None:
            try:
                status, _headers, body = self._request(f"{origin}/robots.txt", {})
            except FetchError:
                status, body = 503, b""
            if 200 <= status < 300:
                lines = body.decode("utf-8", "replace").splitlines()
            elif 400 <= status < 500:
                lines = []
            else:
                lines = ["User-agent: *", "Disallow: /"]
            cache.set(key, lines, self.robots_ttl if status < 500 else 300)
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(lines)
        return parser


# --------------------------------------------------------------------------
# polling


def due(model: type[Polled], now: datetime) -> Any:
    rows = model.objects.filter(active=True).exclude(next_poll_at__gt=now)
    if model is WatchedPage:
        rows = rows.exclude(watch_until__lte=now)
    return rows.select_related("source").order_by("next_poll_at", "pk")


# Any constant bigint: the PostgreSQL session advisory lock held by the poll running.
POLL_LOCK_KEY = 0x6E6473_706F6C6C


@contextmanager
def poll_lock() -> Iterator[bool]:
    """Yield True if no other poll is running, holding the lock until the block ends.

    PostgreSQL: a *session* advisory lock (``pg_try_advisory_lock``), not a
    transaction's: a poll is many transactions (one per recording), and must hold
    the lock between them. It is taken without waiting and released in
    ``finally``; a process that dies loses its session and the lock with it. So
    the workers need a session of their own (a direct connection, or a pooler in
    session mode: in transaction mode a session lock means nothing). SQLite is
    development's single process: always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [POLL_LOCK_KEY])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            _poll_unlock()


def _poll_unlock() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [POLL_LOCK_KEY])
    except DatabaseError:
        # The connection broke (the server dropped the lock with the session) or its
        # transaction failed: closing the session is what surely frees the lock.
        logger.warning("Could not release the capture poll lock; closing the connection")
        if not connection.in_atomic_block:
            connection.close()


def capture_poll_due(
    *, now: datetime | None = None, fetcher: Fetcher | None = None
) -> CaptureReport:
    """Poll every feed, then every page, that is due; returns what happened. While
    another poll runs (see ``poll_lock``) it polls nothing and says it skipped."""
    with poll_lock() as acquired:
        if not acquired:
            logger.info("Capture poll skipped: another poll holds the lock")
            return CaptureReport(skipped=True)
        return _poll_due(now=now or timezone.now(), fetcher=fetcher)


def _poll_due(*, now: datetime, fetcher: Fetcher | None) -> CaptureReport:
    report = CaptureReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher.from_settings()
    try:
        for feed in due(Feed, now):
            report.feeds += 1
            _poll(feed, lambda f=feed: _poll_feed(f, fetcher, now), now, report)
        for page in due(WatchedPage, now):
            report.pages += 1
            _poll(page, lambda p=page: _poll_page(p, fetcher, now, report), now, report)
    finally:
        if own:
            fetcher.close()
    return report


def _poll(
    target: Polled, work: Callable[[], Fetched | None], now: datetime, report: CaptureReport
) -> None:
    """Run one URL's poll; on failure note it on the URL and back off."""
    try:
        fetched = work()
    except RobotsDisallowed as exc:
        report.disallowed += 1
        _failed(target, str(exc), now, status=None)
    except (FetchError, CaptureRefused) as exc:
        report.errors.append(f"{target.url}: {exc}")
        _failed(target, str(exc), now, status=getattr(exc, "status", None))
    except Exception as exc:  # one bad URL must not stop the others
        logger.exception("Capture of %s failed", target.url)
        report.errors.append(f"{target.url}: {type(exc).__name__}: {exc}")
        _failed(target, f"{type(exc).__name__}: {exc}", now, status=None)
    else:
        if fetched is not None:
            _succeeded(target, fetched, now)


class HttpStatusError(FetchError):
    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"HTTP {status} from {url}")
        self.status = status


def _failed(target: Polled, message: str, now: datetime, *, status: int | None) -> None:
    failures = target.failures + 1
    wait = min(target.interval_minutes * 2**failures, settings.CAPTURE_BACKOFF_MAX_MINUTES)
    type(target).objects.filter(pk=target.pk).update(
        last_fetched_at=now,
        last_status=status,
        last_error=message[:2000],
        last_error_at=now,
        failures=failures,
        next_poll_at=now + timedelta(minutes=wait),
    )


def _succeeded(target: Polled, fetched: Fetched, now: datetime) -> None:
    changes: dict[str, object] = {
        "last_fetched_at": now,
        "last_status": fetched.status,
        "failures": 0,
        "next_poll_at": now + timedelta(minutes=target.interval_minutes),
    }
    if fetched.status != 304:
        changes["etag"] = fetched.etag[:300]
        changes["last_modified"] = fetched.last_modified[:100]
    if getattr(target, "_changed", False):
        changes["last_changed_at"] = now
    type(target).objects.filter(pk=target.pk).update(**changes)


def _poll_feed(feed: Feed, fetcher: Fetcher, now: datetime) -> Fetched:
    fetched = fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    if fetched.status == 304:
        return fetched
    if fetched.status != 200:
        raise HttpStatusError(fetched.status, fetched.url)
    parsed = feedparser.parse(fetched.body)
    if parsed.bozo and not parsed.entries:
        raise FetchError(f"not an RSS or Atom feed: {parsed.get('bozo_exception')}")
    links = []
    for entry in parsed.entries:
        link = urljoin(fetched.url, entry.get("link") or "")
        if urlsplit(link).scheme in ("http", "https") and len(link) <= 500:
            links.append(link)
    feed._changed = pages_watch(feed=feed, urls=links, now=now)  # type: ignore[attr-defined]
    return fetched


@transaction.atomic
def pages_watch(*, feed: Feed, urls: list[str], now: datetime) -> bool:
    """Watch the pages a feed lists: new ones are due at once; the ones it still
    lists are watched for ``CAPTURE_FEED_PAGE_DAYS`` more. True if any is new."""
    until = now + timedelta(days=settings.CAPTURE_FEED_PAGE_DAYS)
    known = set(WatchedPage.objects.filter(url__in=urls).values_list("url", flat=True))
    WatchedPage.objects.filter(url__in=known, feed=feed).update(watch_until=until)
    new = [url for url in dict.fromkeys(urls) if url not in known]
    for url in new:
        page = WatchedPage(
            url=url,
            feed=feed,
            source=feed.source,
            interval_minutes=feed.interval_minutes,
            watch_until=until,
        )
        page.full_clean()
        page.save()
    return bool(new)


def _poll_page(
    page: WatchedPage, fetcher: Fetcher, now: datetime, report: CaptureReport
) -> Fetched:
    fetched = fetcher.get(page.url, etag=page.etag, last_modified=page.last_modified)
    if fetched.status == 304:
        report.not_modified += 1
        return fetched
    if fetched.status in (404, 410):
        report.gone += 1
        page_gone_record(page=page, status=fetched.status, now=now)
        return fetched
    if fetched.status != 200:
        raise HttpStatusError(fetched.status, fetched.url)
    if page.gone_at is not None:
        WatchedPage.objects.filter(pk=page.pk).update(gone_at=None)
    is_text = fetched.content_type.split(";")[0].strip().lower() == "text/plain"
    draft = read_capture(fetched.body, filename="page.txt" if is_text else "page.html")
    if page.source is not None:
        draft = replace(draft, credited_source=page.source.name)
    if not draft.canonical_url:
        draft = replace(draft, canonical_url=page.url)
    analysis = services.draft_analyse(draft)
    via = {"channel": "watcher", "url": page.url}
    if page.feed_id:
        via["feed"] = page.feed.url
    result = services.revision_record(draft=draft, analysis=analysis, filename=page.url, via=via)
    if result.outcome is services.RecordOutcome.UNCHANGED:
        report.unchanged += 1
        return fetched
    page._changed = True  # type: ignore[attr-defined]
    if result.outcome is services.RecordOutcome.NEW_ARTICLE:
        report.new_articles += 1
    else:
        report.new_revisions += 1
        report.minor_revisions += result.revision.minor
    return fetched


@transaction.atomic
def page_gone_record(*, page: WatchedPage, status: int, now: datetime) -> Activity | None:
    """Log that a watched page answered 404/410: an event, not a revision. Once per
    disappearance (a page that comes back and goes again is logged again)."""
    page = WatchedPage.objects.select_for_update().get(pk=page.pk)
    if page.gone_at is not None:
        return None
    WatchedPage.objects.filter(pk=page.pk).update(gone_at=now)
    article = (
        Article.objects.filter(Q(canonical_url=page.url) | Q(revisions__source_filename=page.url))
        .distinct()
        .first()
    )
    what = "404 Not Found" if status == 404 else "410 Gone"
    activity = Activity(
        verb="capture.page-gone",
        article=article,
        summary=f"The watched page {page.url} answered {what}"[:500],
        detail={"channel": "watcher", "url": page.url, "status": status},
    )
    activity.full_clean()
    activity.save()
    return activity
