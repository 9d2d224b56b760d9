"""Page capture / saved HTML -> a revision draft.

Pure functions over plain data: no database access here. ``read_capture``
takes the raw bytes of a file or an upload, refuses what cannot be a capture
with a one-line reason (``CaptureRefused``), and returns a ``CaptureDraft``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

MAX_CAPTURE_BYTES = 2 * 1024 * 1024

NBSP = "\u00a0"

# Lines that are site navigation or page furniture, never article text.
BOILERPLATE_LINES = {
    "skip to content",
    "skip to main content",
    "skip to navigation",
    "menu",
    "search",
    "share",
    "share this article",
    "advertisement",
    "subscribe",
    "sign in",
    "log in",
    "read more",
    "related articles",
    "print",
    "comments",
}

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# "May 14, 2024 10:34 PM", "May 14, 2024", "14 May 2024 22:34", "2024-05-14 22:34"
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            rf"^(?P<d>(?:{_MONTHS})\.? \d{{1,2}}, \d{{4}})(?:,? (?:at )?(?P<t>\d{{1,2}}:\d{{2}}(?: ?[AP]\.?M\.?)?))?"
            r"(?: (?P<tz>[A-Z]{2,4}|GMT[+-]\d{1,2}|UTC[+-]?\d{0,2}))?$",
            re.IGNORECASE,
        ),
        ("%B %d, %Y", "%b %d, %Y"),
    ),
    (
        re.compile(
            rf"^(?P<d>\d{{1,2}} (?:{_MONTHS})\.? \d{{4}})(?:,? (?P<t>\d{{1,2}}:\d{{2}}(?: ?[AP]\.?M\.?)?))?"
            r"(?: (?P<tz>[A-Z]{2,4}|GMT[+-]\d{1,2}|UTC[+-]?\d{0,2}))?$",
            re.IGNORECASE,
        ),
        ("%d %B %Y", "%d %b %Y"),
    ),
    (
        re.compile(r"^(?P<d>\d{4}-\d{2}-\d{2})(?:[ T](?P<t>\d{2}:\d{2})(?::\d{2})?)?$"),
        ("%Y-%m-%d",),
    ),
)
_UPDATED_RE = re.compile(r"^(?:last )?updated(?: on| at)?\s*:?\s*(?P<rest>.+)$", re.IGNORECASE)
_PUBLISHED_RE = re.compile(r"^(?:first )?published(?: on| at)?\s*:?\s*(?P<rest>.+)$", re.IGNORECASE)
_RELATIVE_TIME_RE = re.compile(
    r"^(?:(?:last )?updated|published)\s*:?\s*(?:\d+|an?|one)\s+"
    r"(?:second|minute|hour|day|week)s?\s+ago$",
    re.IGNORECASE,
)
_SOURCE_RE = re.compile(r"^(?:source|sources|credit)\s*:\s*(?P<name>.{1,80})$", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^by\s+(?P<name>[^\W\d].{1,150})$", re.IGNORECASE)
_URL_RE = re.compile(
    r"^(?:(?:url|canonical|canonical url|link)\s*:\s*)?(?P<url>https?://\S+)$", re.IGNORECASE
)
_TERMINAL = (".", "!", "?", '"', "\u201d", "\u2019", "'", ")", ":")


class CaptureRefused(ValueError):
    """A file that cannot be recorded; the message is a one-line reason."""


@dataclass(frozen=True)
class CaptureDraft:
    """What a capture says, before it is matched to an article and recorded."""

    title: str
    body: str
    standfirst: str = ""
    byline: str = ""
    published: datetime | None = None
    last_updated: datetime | None = None
    credited_source: str = ""
    canonical_url: str = ""
    boilerplate_lines: tuple[str, ...] = field(default_factory=tuple)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]


def decode_capture(data: bytes) -> str:
    """Bytes -> text, refusing binary, undecodable and oversized input."""
    if len(data) > MAX_CAPTURE_BYTES:
        raise CaptureRefused(
            f"file is {len(data) / 1024 / 1024:.1f} MB; captures over 2 MB are refused"
        )
    if not data.strip():
        raise CaptureRefused("file is empty")
    if b"\x00" in data:
        raise CaptureRefused("file is binary (it contains NUL bytes), not a text capture")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaptureRefused(
            f"file is not valid UTF-8 text (undecodable byte at offset {exc.start})"
        ) from exc
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise CaptureRefused("file is binary (too many control characters), not a text capture")
    return text


def looks_like_html(text: str, filename: str = "") -> bool:
    if filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def read_capture(data: bytes, *, filename: str = "", tz: tzinfo | None = None) -> CaptureDraft:
    """Validate and parse one capture file (plain-text page capture or saved HTML)."""
    text = decode_capture(data)
    if looks_like_html(text, filename):
        draft = parse_html(text, tz=tz)
    else:
        draft = parse_capture(text, tz=tz)
    if not draft.title.strip():
        raise CaptureRefused("no title found")
    if not draft.body.strip():
        raise CaptureRefused("no article body found")
    if len(draft.title) > 500:
        raise CaptureRefused(f"title is {len(draft.title)} characters long; the limit is 500")
    if len(draft.byline) > 300:
        draft = replace(draft, byline=draft.byline[:300])
    return draft


def _clean(line: str) -> str:
    return re.sub(r"[ \t\u00a0\u2009\u202f]+", " ", line).strip()


def parse_stated_time(value: str, *, tz: tzinfo | None = None) -> datetime | None:
    """Read a stated time ("May 14, 2024 10:34 PM") in the newsroom's zone; None if not a date."""
    value = _clean(value).rstrip(".")
    zone = tz or _newsroom_zone()
    for pattern, formats in _DATE_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        date_text = match.group("d").replace(".", "")
        if date_text.lower().startswith("sept"):
            date_text = "Sep" + date_text[4:]
        day = None
        for fmt in formats:
            try:
                day = datetime.strptime(date_text, fmt)
                break
            except ValueError:
                continue
        if day is None:
            return None
        time_text = (match.group("t") or "").replace(".", "").upper().replace(" ", "")
        if time_text:
            fmt = "%I:%M%p" if time_text.endswith(("AM", "PM")) else "%H:%M"
            try:
                clock = datetime.strptime(time_text, fmt)
            except ValueError:
                return None
            day = day.replace(hour=clock.hour, minute=clock.minute)
        return day.replace(tzinfo=_stated_zone(match.groupdict().get("tz")) or zone)
    return None


def _stated_zone(label: str | None) -> tzinfo | None:
    """A zone the capture states unambiguously (UTC, GMT, GMT+1, UTC-5); else None."""
    if not label:
        return None
    m = re.fullmatch(r"(?:UTC|GMT)(?:([+-])(\d{1,2}))?", label.upper())
    if not m:
        return None  # abbreviations such as EST or BST are ambiguous: use the newsroom's
    hours = int(m[2] or 0) * (-1 if m[1] == "-" else 1)
    return timezone(timedelta(hours=hours))


def _newsroom_zone() -> tzinfo:
    try:
        from django.conf import settings

        return ZoneInfo(settings.NEWSROOM_TIME_ZONE)
    except Exception:  # settings not configured: pure use of this module
        return ZoneInfo("UTC")


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def parse_capture(text: str, *, tz: tzinfo | None = None) -> CaptureDraft:
    """Parse a plain-text page capture like the seed article.

    Header: the title (often twice), "By ...", the stated publication time and
    a standfirst; then body paragraphs separated by blank lines; footer lines
    such as "Source: AFP" and "Last Updated: Jun 3, 2024 5:01 PM".
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = byline = standfirst = credited = canonical = ""
    published: datetime | None = None
    updated: datetime | None = None
    boilerplate: list[str] = []
    kept: list[str] = []  # content lines, "" for paragraph breaks
    navigation = _navigation_lines(raw_lines, tz=tz)

    for index, raw in enumerate(raw_lines):
        line = _clean(raw)
        if not line:
            kept.append("")
            continue
        lower = line.lower()
        if lower in BOILERPLATE_LINES or index in navigation or _RELATIVE_TIME_RE.match(line):
            boilerplate.append(raw.strip())
            continue
        if (m := _UPDATED_RE.match(line)) and (when := parse_stated_time(m["rest"], tz=tz)):
            updated = when
            boilerplate.append(raw.strip())
            continue
        if (m := _SOURCE_RE.match(line)) and not credited:
            credited = m["name"].strip()
            boilerplate.append(raw.strip())
            continue
        if (m := _URL_RE.match(line)) and not canonical and not title:
            canonical = m["url"]
            continue
        if not title:
            title = line
            continue
        if line == title and not byline and published is None:
            continue  # the title repeated under the navigation
        if not byline and published is None and (m := _BYLINE_RE.match(line)):
            byline = m["name"].strip()
            continue
        if published is None and not any(kept):
            when = parse_stated_time(line, tz=tz)
            if when is None and (m := _PUBLISHED_RE.match(line)):
                when = parse_stated_time(m["rest"], tz=tz)
            if when is not None:
                published = when
                continue
        kept.append(line)

    paragraphs = [" ".join(block) for block in _blocks(kept)]
    if len(paragraphs) >= 2 and _is_standfirst(paragraphs[0]):
        standfirst = paragraphs.pop(0)
    return CaptureDraft(
        title=title,
        body="\n\n".join(paragraphs),
        standfirst=standfirst,
        byline=byline,
        published=published,
        last_updated=updated,
        credited_source=credited,
        canonical_url=canonical,
        boilerplate_lines=tuple(boilerplate),
    )


def _is_header_marker(line: str, *, tz: tzinfo | None) -> bool:
    """A byline or a stated publication time: what follows a headline."""
    if _BYLINE_RE.match(line) or parse_stated_time(line, tz=tz) is not None:
        return True
    m = _PUBLISHED_RE.match(line)
    return bool(m and parse_stated_time(m["rest"], tz=tz))


def _navigation_lines(raw_lines: list[str], *, tz: tzinfo | None) -> set[int]:
    """Short lines above the headline (section names, menus) in a capture's header.

    The headline is the line just above the byline or the stated time (a
    repeated headline counts once); short lines before it are page furniture.
    """
    head: list[tuple[int, str]] = []
    for index, raw in enumerate(raw_lines):
        line = _clean(raw)
        if not line or line.lower() in BOILERPLATE_LINES or _URL_RE.match(line):
            continue
        head.append((index, line))
        if len(head) >= 12:
            break
    marker = next(
        (pos for pos, (_, line) in enumerate(head) if _is_header_marker(line, tz=tz)), None
    )
    if not marker:
        return set()
    title_pos = marker - 1
    while title_pos > 0 and head[title_pos - 1][1] == head[title_pos][1]:
        title_pos -= 1
    before = head[:title_pos]
    if any(len(line.split()) > 8 for _, line in before):
        return set()
    return {index for index, _ in before}


def _is_standfirst(paragraph: str) -> bool:
    """A short summary under the headline: no closing punctuation, one sentence's length."""
    words = paragraph.split()
    return len(words) <= 60 and not paragraph.rstrip().endswith(_TERMINAL)


def parse_html(html: str, *, tz: tzinfo | None = None) -> CaptureDraft:
    """Parse a saved HTML page with trafilatura (metadata + main text)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if not doc:
        return CaptureDraft(title="", body="")
    doc = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = doc.get("text") or ""
    paragraphs = [_clean(p) for p in text.split("\n") if _clean(p)]
    title = _clean(doc.get("title") or "")
    if paragraphs and paragraphs[0] == title:
        paragraphs.pop(0)
    description = _clean(doc.get("description") or "")
    if paragraphs and description and paragraphs[0] == description:
        paragraphs.pop(0)
    published = parse_stated_time(doc.get("date") or "", tz=tz) if doc.get("date") else None
    author = _clean(doc.get("author") or "")
    return CaptureDraft(
        title=title,
        body="\n\n".join(paragraphs),
        standfirst=description,
        byline=author,
        published=published,
        credited_source=_clean(doc.get("sitename") or ""),
        canonical_url=doc.get("url") or "",
    )
