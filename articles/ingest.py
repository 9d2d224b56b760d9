"""Page capture / saved HTML -> a revision draft.

Pure functions over plain data: no database access here. ``read_capture``
takes the raw bytes of a file or an upload, refuses what cannot be a capture
with a one-line reason (``CaptureRefused``), and returns a ``CaptureDraft``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

MAX_CAPTURE_BYTES = 2 * 1024 * 1024
#: The longest body analysed: longer ones are refused (time and memory of the
#: analysis grow with it; the longest news features run to about 20,000 words).
MAX_BODY_WORDS = 30_000


# Lines that are site navigation or page furniture, never article text.
BOILERPLATE_LINES = {
    "skip to content",
    "skip to main content",
    "skip to navigation",
    "skip links",
    "navigation menu",
    "menu",
    "search",
    "share",
    "save",
    "share this article",
    "share this story",
    "share this",
    "advertisement",
    "sponsored",
    "subscribe",
    "sign in",
    "sign up",
    "log in",
    "register",
    "print",
    "comments",
    "copy link",
    "email this article",
    "listen to this article",
    "listen to article",
    "listen",
    "live",
    "live tv",
    "reuse this content",
    "accept all",
    "accept all cookies",
    "reject all",
    "manage preferences",
    "manage cookie settings",
    "cookie settings",
    "join the conversation",
    "close",
}
# Headings that open a list of links inside or after the article.
_LINK_HEADINGS = {
    "read more",
    "related",
    "related articles",
    "related stories",
    "related content",
    "related news",
    "also read",
    "read also",
    "see also",
    "further reading",
    "watch",
    "must read",
    "don't miss",
}
# Headings that start the page's trailing matter: nothing after them is article text.
_TAIL_HEADINGS = {
    "most popular",
    "most read",
    "most viewed",
    "more on this story",
    "related topics",
    "explore more on these topics",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "read next",
    "up next",
    "latest news",
    "latest stories",
    "top stories",
    "trending",
    "trending now",
    "about the author",
    "about the authors",
    "topics",
    "tags",
}
_TAIL_PREFIXES = ("more from ", "more stories", "more in ")
_SOCIAL_WORDS = (
    r"share|facebook|twitter|x|linkedin|email|e-mail|whatsapp|telegram|reddit|"
    r"pinterest|messenger|flipboard|print|copy link|copy|link|save|comment|comments|bluesky|threads"
)
_SOCIAL_LINE_RE = re.compile(rf"(?:(?:{_SOCIAL_WORDS})[\s,|·•/]*){{1,10}}")
_FURNITURE_RES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^skip to\b",
        r"^share (?:on|via|to|this|with) \w+",
        r"^advertisement\b.{0,40}$",
        r"^scroll to continue",
        r"^(?:we|this (?:web)?site) uses? cookies\b",
        r"^(?:manage|accept|reject)\b.{0,20}\bcookies?\b",
        r"^(?:sign up|subscribe|register)\b.{0,120}\b(?:newsletter|inbox|briefing|email)",
        r"^get (?:the|our)\b.{0,120}\b(?:newsletter|delivered|inbox)",
        r"^enter your email",
        r"^by signing up\b",
        r"^privacy notice:",
        r"^after newsletter promotion$",
        r"^save articles to read later",
        r"^(?:read more|related|also read|read also|see also|read next|more|watch|"
        r"recommended|must read|don't miss)\s*(?::|\||\u2014|-)\s*\S.{0,150}$",
        r"^(?:tags|topics|filed under|keywords|categories|related topics)\s*:",
        r"^(?:view |show |read |see )?(?:all )?\d* ?comments?(?:\s*\(\d+\))?$",
        r"^(?:leave|post|add|write) a comment",
        r"^(?:copyright\b|\u00a9|\(c\) \d{4})",
        r"\ball rights reserved\b",
        r"^(?:reporting|additional reporting|writing|editing|compiled|edited|"
        r"produced) by\b.{0,200}$",
        r"\bcontributed (?:to )?(?:this )?report(?:ing)?\.?$",
        r"^our standards:",
        r"purchase licensing rights$",
        r"^\d+\s*(?:min|mins|minutes?)(?: read| listen)?$",
        r"^reading time\b",
        r"^the views expressed\b.{0,120}\bown\.?$",
        r"^(?:follow|like) us on\b",
    )
)
# The same patterns joined (they share their flags): those anchored at the start
# of the line tried there only, the others searched for; two calls a line, not 30.
_FURNITURE_START_RE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in _FURNITURE_RES if p.pattern.startswith("^")),
    re.IGNORECASE,
)
_FURNITURE_ANYWHERE_RE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in _FURNITURE_RES if not p.pattern.startswith("^")),
    re.IGNORECASE,
)
# C0 control characters other than tab, line feed, form feed and carriage return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_BREADCRUMB_RE = re.compile(r"\S\s*(?:>|\u203a|\u00bb|\|)\s*\S")
# A photo caption ends with its credit.
_CREDIT = r"(?:AP|AA|AFP|Reuters|REUTERS|EPA|Getty Images|Getty|PA|ANP|Bloomberg|File)"
_CAPTION_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^image (?:source|caption),", re.IGNORECASE),
    re.compile(
        r"\b(?:photo|photograph|image|picture|pictures|credit|video)s?\s*:\s*[^.:]{2,80}$",
        re.IGNORECASE,
    ),
    re.compile(rf"[.!?]\s*\((?:{_CREDIT})(?: Photos?)?(?:\s*/\s*[^()]{{1,60}})?\)$"),
    re.compile(rf"\((?:{_CREDIT}) Photos?(?:\s*/\s*[^()]{{1,60}})?\)$"),
    re.compile(r"\bREUTERS/[\w .'\u2019-]+$"),
    re.compile(r"\[[^\[\]]{0,60}/[^\[\]]{1,60}\]$"),
)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,? )?"
_TIME = r"\d{1,2}[:.]\d{2}(?: ?[AP]\.?M\.?)?"
_ZONE = r"(?: \(?(?P<tz>[A-Z]{2,5}|(?:GMT|UTC)[+-]\d{1,2}(?::?\d{2})?)\)?)?"
# "May 14, 2024 10:34 PM", "Mon 3 Jun 2024 17.01 BST", "2024-05-14T22:34:00Z",
# "5:01 PM GMT+2, June 3, 2024"
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            rf"^{_WEEKDAY}(?P<d>(?:{_MONTHS})\.? \d{{1,2}},? \d{{4}})"
            rf"(?:,? (?:at |[-\u2013/] )?(?P<t>{_TIME}))?{_ZONE}$",
            re.IGNORECASE,
        ),
        ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y"),
    ),
    (
        re.compile(
            rf"^{_WEEKDAY}(?P<d>\d{{1,2}} (?:{_MONTHS})\.? \d{{4}})"
            rf"(?:,? (?:at |[-\u2013/] )?(?P<t>{_TIME}))?{_ZONE}$",
            re.IGNORECASE,
        ),
        ("%d %B %Y", "%d %b %Y"),
    ),
    (
        re.compile(
            rf"^(?P<t>{_TIME}){_ZONE},? {_WEEKDAY}(?P<d>(?:{_MONTHS})\.? \d{{1,2}},? \d{{4}})$",
            re.IGNORECASE,
        ),
        ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y"),
    ),
    (
        re.compile(
            r"^(?P<d>\d{4}-\d{2}-\d{2})(?:[ T](?P<t>\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?"
            r"(?: ?(?P<tz>Z|[+-]\d{2}:?\d{2}|UTC|GMT))?$"
        ),
        ("%Y-%m-%d",),
    ),
)
_UPDATED_RE = re.compile(
    r"^(?:last )?(?:updated|modified|last modified)(?: on| at)?\s*:?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_PUBLISHED_RE = re.compile(
    r"^(?:first )?(?:published|posted)(?: on| at)?\s*:?\s*(?P<rest>.+)$", re.IGNORECASE
)
_BARE_TIME_LABELS = {"published", "published on", "first published", "updated", "last updated"}
_RELATIVE_TIME_RE = re.compile(
    r"^(?:(?:last )?updated\s*:?\s*|published\s*:?\s*)?(?:\d+|an?|one)\s+"
    r"(?:second|minute|min|hour|hr|day|week)s?\s+ago$",
    re.IGNORECASE,
)
_SOURCE_RE = re.compile(r"^(?:source|sources|credit)\s*:\s*(?P<name>.{1,80})$", re.IGNORECASE)
_BYLINE_RE = re.compile(
    r"^(?:by|written by|words by|story by)\s*:?\s+(?P<name>[^\W\d].{1,150})$", re.IGNORECASE
)
_NAME_PART = r"(?:[A-Z][\w'\u2019.-]*|de|van|von|der|da|di|al|el|bin|le|la)"
_PLACE = r"[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+)?"
_NAME_RE = re.compile(rf"[A-Z][\w'\u2019.-]+(?: {_NAME_PART}){{1,3}}(?: in {_PLACE})?")
_ROLE_RE = re.compile(
    r"\b(?:correspondent|editor|reporter|writer|journalist|columnist|producer|analyst|"
    r"contributor|staff|bureau chief|presenter)s?\b",
    re.IGNORECASE,
)
_PART_SPLIT_RE = re.compile(r"\s*[|\u00b7\u2022]\s*")
_URL_RE = re.compile(
    r"^(?:(?:url|canonical|canonical url|link)\s*:\s*)?(?P<url>https?://\S+)$", re.IGNORECASE
)
_CONTACT_RE = re.compile(
    r"\b(?:reach (?:him|her|them) at|contact (?:him|her|them) at|follow (?:him|her|them) on)\b"
    r"|[\w.+-]+@[\w-]+\.[\w.]+",
    re.IGNORECASE,
)
# "KYIV, June 3 (Reuters) -", "GENEVA (AP) \u2014": the agency that filed the story.
_DATELINE_AGENCY_RE = re.compile(
    r"^[A-Z][A-Z .'\u2019-]*[A-Z](?:,[^()]{1,30})?\s+\((?P<agency>[A-Z][\w&. ]{0,20})\)\s*[-\u2013\u2014]"
)
_STARTS_SENTENCE_RE = re.compile(r"^[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f]")
_TERMINAL = (".", "!", "?", '"', "\u201d", "\u2019", "'", ")", ":")
_PROSE_END = (".", "!", "?", '"', "\u201d", "\u2019", ".)", ".'")


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


def draft_to_json(draft: CaptureDraft) -> dict[str, Any]:
    """A draft as plain JSON (datetimes as ISO 8601), e.g. for a queued import."""
    return {
        "title": draft.title,
        "body": draft.body,
        "standfirst": draft.standfirst,
        "byline": draft.byline,
        "published": draft.published.isoformat() if draft.published else None,
        "last_updated": draft.last_updated.isoformat() if draft.last_updated else None,
        "credited_source": draft.credited_source,
        "canonical_url": draft.canonical_url,
        "boilerplate_lines": list(draft.boilerplate_lines),
    }


def draft_from_json(data: dict[str, Any]) -> CaptureDraft:
    """The inverse of ``draft_to_json``."""
    return CaptureDraft(
        title=data["title"],
        body=data["body"],
        standfirst=data.get("standfirst", ""),
        byline=data.get("byline", ""),
        published=datetime.fromisoformat(data["published"]) if data.get("published") else None,
        last_updated=(
            datetime.fromisoformat(data["last_updated"]) if data.get("last_updated") else None
        ),
        credited_source=data.get("credited_source", ""),
        canonical_url=data.get("canonical_url", ""),
        boilerplate_lines=tuple(data.get("boilerplate_lines", ())),
    )


#: What the app reads, said whenever a document of another kind is refused.
ONLY_CAPTURES = "only page captures (.txt) and saved web pages (.html) are read"
_PDF_TYPES = {"application/pdf", "application/x-pdf"}
_WORD_TYPES = {
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-word.document.macroenabled.12",
}
_WORD_SUFFIXES = (".doc", ".docx", ".docm", ".dot", ".dotx")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc (and other old Office files)


def document_kind(data: bytes, *, filename: str = "", content_type: str = "") -> str | None:
    """ "a PDF" or "a Word document" when the name, the stated type or the first bytes
    say so; None for anything else (which may still be refused as binary)."""
    name = filename.lower()
    kind = content_type.split(";")[0].strip().lower()
    head = data[:1024].lstrip()
    if name.endswith(".pdf") or kind in _PDF_TYPES or head.startswith(b"%PDF-"):
        return "a PDF"
    if (
        name.endswith(_WORD_SUFFIXES)
        or kind in _WORD_TYPES
        or data.startswith(_OLE_MAGIC)
        or (data.startswith(_ZIP_MAGIC) and b"word/" in data)
    ):
        return "a Word document"
    if data.startswith(_ZIP_MAGIC):
        return "a ZIP archive"
    return None


def decode_capture(data: bytes, *, filename: str = "", content_type: str = "") -> str:
    """Bytes -> text, refusing documents (PDF, Word), binary, undecodable and oversized input."""
    if len(data) > MAX_CAPTURE_BYTES:
        raise CaptureRefused(
            f"file is {len(data) / 1024 / 1024:.1f} MB; captures over 2 MB are refused"
        )
    kind = document_kind(data, filename=filename, content_type=content_type)
    if kind is not None:
        raise CaptureRefused(f"this file is {kind}; {ONLY_CAPTURES}")
    if not data.strip():
        raise CaptureRefused("the file is empty")
    if b"\x00" in data:
        raise CaptureRefused("file is binary (it contains NUL bytes), not a text capture")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaptureRefused(
            f"file is not valid UTF-8 text (undecodable byte at offset {exc.start})"
        ) from exc
    controls = len(_CONTROL_CHARS.findall(text))
    if controls > max(8, len(text) // 100):
        raise CaptureRefused("file is binary (too many control characters), not a text capture")
    return text


def looks_like_html(text: str, filename: str = "") -> bool:
    if filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def read_capture(
    data: bytes, *, filename: str = "", content_type: str = "", tz: tzinfo | None = None
) -> CaptureDraft:
    """Validate and parse one capture file (plain-text page capture or saved HTML).

    ``content_type`` is what an upload says it is (a PDF or Word type is refused)."""
    text = decode_capture(data, filename=filename, content_type=content_type)
    if looks_like_html(text, filename):
        draft = parse_html(text, tz=tz)
    else:
        draft = parse_capture(text, tz=tz)
    return draft_check(draft)


def draft_check(draft: CaptureDraft) -> CaptureDraft:
    """The checks every capture passes, however it came (file, form, API, watcher)."""
    if not draft.title.strip():
        raise CaptureRefused("no title found")
    if not draft.body.strip():
        raise CaptureRefused(
            "no article body found (no paragraph reads as prose: none ends a sentence "
            "with a full stop, a question mark or an exclamation mark)"
        )
    words = len(draft.body.split())
    if words > MAX_BODY_WORDS:
        raise CaptureRefused(
            f"the article body is {words:,} words long; bodies over {MAX_BODY_WORDS:,} words "
            "are refused (they cannot be analysed in reasonable time)"
        )
    if len(draft.title) > 500:
        raise CaptureRefused(f"title is {len(draft.title)} characters long; the limit is 500")
    return _recordable(draft)


#: The record's limits (articles.models): longer values are cut (byline) or dropped.
BYLINE_MAX = 300
SOURCE_NAME_MAX = 200
URL_MAX = 500


def _recordable(draft: CaptureDraft) -> CaptureDraft:
    """The draft within what the record holds: a byline cut to its limit; a source
    name over its limit (a page's whole address, a sentence) or a canonical URL that is
    not a valid http(s) address within its limit is dropped, as if the page stated none."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    changes: dict[str, str] = {}
    if len(draft.byline) > BYLINE_MAX:
        changes["byline"] = draft.byline[:BYLINE_MAX]
    if len(draft.credited_source) > SOURCE_NAME_MAX:
        changes["credited_source"] = ""
    if draft.canonical_url:
        try:
            if len(draft.canonical_url) > URL_MAX:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(draft.canonical_url)
        except ValidationError:
            changes["canonical_url"] = ""
    return replace(draft, **changes) if changes else draft


def draft_from_fields(
    *,
    title: str,
    body: str,
    standfirst: str = "",
    byline: str = "",
    canonical_url: str = "",
    source: str = "",
    published: datetime | None = None,
    updated: datetime | None = None,
) -> CaptureDraft:
    """A draft from fields a client sent (the push API's JSON), checked like a file.

    Paragraphs are separated by a blank line; spaces inside a line are tidied as a
    capture's are. The stated times must be timezone-aware."""
    for name, value in (("published", published), ("updated", updated)):
        if value is not None and value.utcoffset() is None:
            raise CaptureRefused(f"{name} has no time zone; give one (e.g. 2024-05-14T22:34:00Z)")
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [_clean(" ".join(p.split("\n"))) for p in re.split(r"\n\s*\n", text)]
    if updated is not None and published is not None and updated < published:
        raise CaptureRefused("updated is before published")
    _refuse_bad_url(canonical_url.strip())
    if not body.strip():
        raise CaptureRefused("no article body found")
    return draft_check(
        CaptureDraft(
            title=_clean(title),
            body="\n\n".join(p for p in paragraphs if p),
            standfirst=_clean(standfirst),
            byline=_clean(byline),
            published=published,
            last_updated=updated,
            credited_source=_clean(source)[:200],
            canonical_url=canonical_url.strip(),
        )
    )


def _refuse_bad_url(url: str) -> None:
    """A client that sends a canonical URL is told when it is not one the record holds
    (a page capture's is dropped instead: the page, not the client, stated it)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if not url:
        return
    if len(url) > URL_MAX:
        raise CaptureRefused(f"canonical URL is {len(url)} characters long; the limit is {URL_MAX}")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise CaptureRefused("canonical URL is not an http(s) address") from None


def _clean(line: str) -> str:
    return re.sub(r"[ \t\u00a0\u2009\u202f]+", " ", line).strip()


def parse_stated_time(value: str, *, tz: tzinfo | None = None) -> datetime | None:
    """Read a stated time ("May 14, 2024 10:34 PM") in the newsroom's zone; None if not a date.

    A zone the text states unambiguously (UTC, GMT+1, Z, +02:00) wins over the
    newsroom's zone.
    """
    value = _clean(value).rstrip(".")
    for pattern, formats in _DATE_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        date_text = re.sub(r"\.|,", "", match.group("d"))
        date_text = re.sub(r"\bsept\b", "Sep", date_text, flags=re.IGNORECASE)
        day = None
        for fmt in formats:
            try:
                day = datetime.strptime(date_text, fmt.replace(",", ""))
                break
            except ValueError:
                continue
        if day is None:
            return None
        if match.group("t") and (clock := _clock(match.group("t"))) is None:
            return None
        if match.group("t"):
            day = day.replace(hour=clock[0], minute=clock[1])
        zone = _stated_zone(match.groupdict().get("tz")) or tz or _newsroom_zone()
        return day.replace(tzinfo=zone)
    return None


def _clock(text: str) -> tuple[int, int] | None:
    """ "10:34 PM", "5:01 p.m.", "17.01" -> (hour, minute)."""
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2}) ?(?:([ap])\.?m\.?)?", text.strip(), re.IGNORECASE)
    if not m:
        return None
    hour, minute = int(m[1]), int(m[2])
    if m[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m[3].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def _stated_zone(label: str | None) -> tzinfo | None:
    """A zone the capture states unambiguously (UTC, GMT, GMT+1, UTC-5, Z, +02:00); else None."""
    if not label:
        return None
    label = label.upper()
    if label == "Z":
        return UTC
    m = re.fullmatch(r"(?:UTC|GMT)?(?:([+-])(\d{1,2})(?::?(\d{2}))?)?", label)
    if not m or (not m[1] and label not in ("UTC", "GMT")):
        return None  # abbreviations such as EST or BST are ambiguous: use the newsroom's
    sign = -1 if m[1] == "-" else 1
    return timezone(sign * timedelta(hours=int(m[2] or 0), minutes=int(m[3] or 0)))


def _newsroom_zone() -> tzinfo:
    try:
        from django.conf import settings

        return ZoneInfo(settings.NEWSROOM_TIME_ZONE)
    except Exception:  # settings not configured: pure use of this module
        return ZoneInfo("UTC")


def _is_prose(line: str) -> bool:
    """A line that reads as article text: it ends a sentence."""
    return line.rstrip().endswith(_PROSE_END)


def _words(line: str) -> int:
    return len(line.split())


def furniture_kind(line: str) -> str | None:
    """Classify one cleaned line as page furniture, or None for possible article text.

    Kinds: "line" (drop this line), "caption" (a photo caption with its
    credit), "links" (a "Related"/"Read more" heading: the headline-like lines
    after it go too) and "tail" (a heading such as "Most read" or "About the
    author" that starts the page's trailing matter: everything after it goes).
    """
    lower = line.lower().rstrip(" :")
    if lower in _TAIL_HEADINGS or lower.startswith(_TAIL_PREFIXES):
        return "tail"
    if lower in _LINK_HEADINGS:
        return "links"
    if lower in BOILERPLATE_LINES or _SOCIAL_LINE_RE.fullmatch(lower):
        return "line"
    if _FURNITURE_START_RE.match(line) or _FURNITURE_ANYWHERE_RE.search(line):
        return "line"
    if _words(line) <= 12 and _BREADCRUMB_RE.search(line) and not _is_prose(line):
        return "line"
    if _words(line) <= 70 and any(pattern.search(line) for pattern in _CAPTION_RES):
        return "caption"
    return None


@dataclass
class _Header:
    """What the lines above the article text say."""

    title: str = ""
    byline: str = ""
    standfirst: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    end: int = 0  # index of the first body line
    dropped: list[int] = field(default_factory=list)  # navigation, furniture


def _stated(line: str, *, tz: tzinfo | None) -> tuple[str, datetime] | None:
    """("published" | "updated", time) for a stated-time line, else None."""
    if m := _UPDATED_RE.match(line):
        when = parse_stated_time(m["rest"], tz=tz)
        return ("updated", when) if when else None
    if m := _PUBLISHED_RE.match(line):
        when = parse_stated_time(m["rest"], tz=tz)
        return ("published", when) if when else None
    when = parse_stated_time(line, tz=tz)
    return ("published", when) if when else None


def _marker(
    line: str, following: str, *, tz: tzinfo | None, names: bool = True
) -> dict[str, Any] | None:
    """What a header line states (byline, times), or None if it is no byline/dateline.

    A line may hold several parts ("By A | June 3, 2024"); ``following`` is the
    next header line, which can complete a bare "Published" or give a byline's
    role ("Katy Austin" / "Transport correspondent"). A bare name counts as a
    byline only when ``names`` (a headline was seen above it) and a role or a
    stated time comes with it.
    """
    if line.lower().rstrip(" :") in _BARE_TIME_LABELS:
        found = _stated(f"{line} {following}", tz=tz)
        return {found[0]: found[1], "consumes_next": True} if found else None
    if _is_prose(line) and not _ROLE_RE.search(line):
        line = line.rstrip(".")
        if _is_prose(line):
            return None
    result: dict[str, Any] = {}
    parts = _PART_SPLIT_RE.split(line)
    for pos, part in enumerate(parts):
        if stated := _stated(part, tz=tz):
            result.setdefault(stated[0], stated[1])
        elif (m := _BYLINE_RE.match(part)) and m["name"][0].isupper() and _words(part) <= 12:
            result.setdefault("byline", m["name"])
        elif pos > 0 and "byline" in result and _ROLE_RE.search(part) and _words(part) <= 6:
            continue  # "Daniel Ortiz | Reporter"
        elif pos == 0 and names and _NAME_RE.fullmatch(part):
            rest = " ".join(parts[1:])
            if rest and _ROLE_RE.search(rest):
                result["byline"] = part
            elif not rest and _ROLE_RE.search(following) and _words(following) <= 6:
                result.update(byline=part, consumes_next=True)
            elif not rest and _stated(following, tz=tz):
                result["byline"] = part
            else:
                return None
        else:
            return None
    return result or None


def _clean_byline(name: str) -> str:
    name = _PART_SPLIT_RE.split(name)[0]
    name = re.sub(r" in (?:[A-Z][\w'\u2019-]+ ?){1,3}$", "", name.strip())
    return name.strip(" ,")


def _read_header(lines: list[str], *, tz: tzinfo | None) -> _Header:
    """Find the title, byline, times and standfirst above the article text.

    The header ends at the first line that reads as prose (a sentence) unless
    a byline or a stated time follows within three lines (then that sentence
    was a standfirst). The title is the line just above the first byline or
    dateline (a repeated title counts once); a longer line between them is the
    standfirst. Short lines above the title are navigation. Without a byline
    or dateline, the title is the first line of four words or more.
    """
    header = _Header()
    kept, markers = _scan_header(lines, header, tz=tz)
    if not kept:
        return header
    first_marker = next((pos for pos, i in enumerate(kept) if i in markers), None)
    above = kept[:first_marker] if first_marker is not None else list(kept)
    _read_title(header, lines, above, under_marker=first_marker is not None)
    _read_markers(header, markers)
    # Lines after the byline/dateline and before the text: a standfirst, else furniture.
    above_set = set(above)
    after = [i for i in kept if i not in markers and i not in above_set]
    for i in after:
        if not header.standfirst and _words(lines[i]) >= 5:
            header.standfirst = lines[i]
        else:
            header.dropped.append(i)
    return header


def _scan_header(
    lines: list[str], header: _Header, *, tz: tzinfo | None
) -> tuple[list[int], dict[int, dict[str, Any]]]:
    """Walk the header lines to the first line of the text (``header.end``).

    Returns the header lines that are not furniture and the bylines/datelines
    among them (by line index); furniture goes to ``header.dropped``.
    """
    content = [i for i, line in enumerate(lines) if line]
    kept: list[int] = []  # header lines that are not furniture
    markers: dict[int, dict[str, Any]] = {}
    consumed: set[int] = set()
    seen_headline = False
    header.end = len(lines)
    for n, i in enumerate(content):
        line = lines[i]
        if i in consumed:
            continue
        next_at = next(
            (
                content[k]
                for k in range(n + 1, len(content))
                if not furniture_kind(lines[content[k]])
            ),
            None,
        )
        following = lines[next_at] if next_at is not None else ""
        marker = _marker(line, following, tz=tz, names=seen_headline)
        if marker is None and (
            furniture_kind(line) or _RELATIVE_TIME_RE.match(line) or _is_footer(line, tz=tz)
        ):
            header.dropped.append(i)
            continue
        if marker is not None:
            markers[i] = marker
            kept.append(i)
            if marker.get("consumes_next") and next_at is not None:
                consumed.add(next_at)
                header.dropped.append(next_at)
            continue
        if _ends_header(line) and not any(
            _marker(lines[j], "", tz=tz, names=False) and not _is_footer(lines[j], tz=tz)
            for j in content[n + 1 : n + 4]
        ):
            header.end = _sentence_start(lines, i, kept, markers)
            break
        kept.append(i)
        seen_headline = seen_headline or _is_headline(line)
    return kept, markers


def _sentence_start(
    lines: list[str], i: int, kept: list[int], markers: dict[int, dict[str, Any]]
) -> int:
    """The line where the sentence on line ``i`` began: header lines just above
    that it continues (it starts in lower case) are taken out of ``kept``."""
    line = lines[i]
    while i - 1 in kept and i - 1 not in markers and line[:1].islower():
        i, line = i - 1, lines[i - 1]  # the sentence began on the line above
        kept.remove(i)
    return i


def _read_title(header: _Header, lines: list[str], above: list[int], *, under_marker: bool) -> None:
    """The title (and a standfirst) among the header lines above the first
    byline or dateline (``under_marker``), else the first line of four words."""
    # A repeated title counts once.
    deduped: list[int] = []
    for i in above:
        if deduped and lines[deduped[-1]] == lines[i]:
            continue
        deduped.append(i)
    if under_marker and deduped:
        title_at = len(deduped) - 1
        if title_at >= 1 and _is_standfirst_line(lines[deduped[-1]]):
            candidate = lines[deduped[-2]]
            if _is_headline(candidate):
                title_at -= 1
                header.standfirst = lines[deduped[-1]]
    else:
        title_at = next((pos for pos, i in enumerate(deduped) if _words(lines[i]) >= 4), 0)
    if deduped:
        header.title = lines[deduped[title_at]]
        header.dropped.extend(i for i in deduped[:title_at])
        rest_above = deduped[title_at + 1 :]
        if rest_above and not header.standfirst and _words(lines[rest_above[0]]) >= 5:
            header.standfirst = lines[rest_above[0]]
            rest_above = rest_above[1:]
        header.dropped.extend(i for i in rest_above if lines[i] != header.standfirst)


def _read_markers(header: _Header, markers: dict[int, dict[str, Any]]) -> None:
    """The byline and stated times of the header: the first of each wins."""
    for marker in markers.values():
        if "byline" in marker and not header.byline:
            header.byline = _clean_byline(marker["byline"])
        if "published" in marker and header.published is None:
            header.published = marker["published"]
        if "updated" in marker and header.updated is None:
            header.updated = marker["updated"]


def _ends_header(line: str) -> bool:
    """The first sentence of the text (a short question is more likely the title)."""
    words = _words(line)
    return _is_prose(line) and words >= 2 and not (line.endswith("?") and words < 15)


def _is_headline(line: str) -> bool:
    words = line.split()
    if len(words) < 4 or line.endswith("."):
        return False
    return len(words) >= 7 or any(w[:1].islower() for w in words[1:])


def _is_standfirst_line(line: str) -> bool:
    return _words(line) >= 8 or _is_prose(line)


def _is_footer(line: str, *, tz: tzinfo | None) -> bool:
    """A "Source: ..." or "Last Updated: ..." line, read wherever it appears."""
    if _SOURCE_RE.match(line):
        return True
    m = _UPDATED_RE.match(line)
    return bool(m and line.lower().startswith("last") and parse_stated_time(m["rest"], tz=tz))


def _paragraphs(lines: list[str]) -> list[str]:
    """Blocks of lines (split at blank lines) -> paragraphs.

    Inside a block, a line that ends a sentence followed by one that starts
    like a sentence is a paragraph break (captures that separate paragraphs by
    single newlines), unless the block is hard-wrapped (three or more lines of
    about the same width, most not ending a sentence), whose lines are joined.
    """
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
    paragraphs: list[str] = []
    for block in blocks:
        widths = [len(line) for line in block[:-1]]
        ends = sum(1 for line in block[:-1] if _is_prose(line))
        wrapped = (
            len(block) >= 3
            and 50 <= max(widths) <= 100
            and min(widths) >= 0.7 * max(widths)
            and ends < len(widths) / 2
        )
        paragraph = [block[0]]
        for line in block[1:]:
            if not wrapped and _is_prose(paragraph[-1]) and _STARTS_SENTENCE_RE.match(line):
                paragraphs.append(" ".join(paragraph))
                paragraph = [line]
            else:
                paragraph.append(line)
        paragraphs.append(" ".join(paragraph))
    return paragraphs


def _is_author_bio(paragraph: str, byline: str) -> bool:
    """A closing note about the writer: "Jane Doe covers ...", "Reach her at ..."."""
    if _CONTACT_RE.search(paragraph):
        return True
    names = [n.strip() for n in re.split(r",| and ", byline) if _NAME_RE.fullmatch(n.strip())]
    return any(
        re.match(rf"{re.escape(name)} (?:is|was|covers|writes|reports|has)\b", paragraph)
        for name in names
    )


def parse_capture(text: str, *, tz: tzinfo | None = None) -> CaptureDraft:
    """Parse a plain-text page capture (all the text of a news page, pasted).

    Header: navigation, the title (often twice), a byline, stated times and a
    standfirst; then the body paragraphs; then trailing matter. Page furniture
    (share buttons, captions, "Read more" links, newsletter and cookie prompts,
    tag lists, copyright, agency trailers, author bios) is left out of the body
    and listed in ``boilerplate_lines``; "Source: ..." and "Last Updated: ..."
    are read wherever they are. A saved HTML page goes to ``parse_html``.
    """
    if looks_like_html(text):
        return parse_html(text, tz=tz)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_clean(raw) for raw in raw_lines]
    canonical = _take_canonical_url(lines)
    header = _read_header(lines, tz=tz)
    body = _read_body(lines, header, tz=tz)
    paragraphs = _paragraphs(body.kept)
    while paragraphs and (
        not _is_prose(paragraphs[-1]) or _is_author_bio(paragraphs[-1], header.byline)
    ):
        paragraphs.pop()  # headline lists and author notes after the last paragraph
    standfirst = header.standfirst
    if not standfirst and len(paragraphs) >= 2 and _is_standfirst(paragraphs[0]):
        standfirst = paragraphs.pop(0)
    credited = body.credited
    if not credited and paragraphs and (m := _DATELINE_AGENCY_RE.match(paragraphs[0])):
        credited = m["agency"]
    title = header.title
    if not title and paragraphs:  # a body with no header: name it by its first sentence
        title = re.split(r"(?<=[.!?])\s", paragraphs[0], maxsplit=1)[0][:200]
    return CaptureDraft(
        title=title,
        body="\n\n".join(paragraphs),
        standfirst=standfirst,
        byline=header.byline,
        published=header.published,
        last_updated=body.updated,
        credited_source=credited,
        canonical_url=canonical,
        boilerplate_lines=tuple(raw_lines[i].strip() for i in sorted(body.boilerplate)),
    )


def _take_canonical_url(lines: list[str]) -> str:
    """The page's address when it is the first line, taken out of ``lines``."""
    for i, line in enumerate(lines):
        if not line:
            continue
        if m := _URL_RE.match(line):
            lines[i] = ""
            return m["url"]
        break
    return ""


@dataclass
class _Body:
    """The lines of the article text, and what the lines among them said."""

    kept: list[str]
    boilerplate: set[int]  # indices of the lines left out, header lines too
    credited: str  # "Source: ..."
    updated: datetime | None  # "Last Updated: ...", else the header's


def _read_body(lines: list[str], header: _Header, *, tz: tzinfo | None) -> _Body:
    """The lines from ``header.end`` on without furniture, headline lists and the
    page's trailing matter; "Source:" and "Last Updated:" lines are read."""
    body = _Body(kept=[], boilerplate=set(header.dropped), credited="", updated=header.updated)
    mode = ""  # "links": skipping a list of headlines; "tail": the page's trailing matter
    for i in range(header.end, len(lines)):
        line = lines[i]
        if not line:
            body.kept.append("")
            if mode == "links" and body.kept[-2:] == ["", ""]:
                mode = ""
            continue
        if m := _SOURCE_RE.match(line):
            body.credited = body.credited or m["name"].strip()
            body.boilerplate.add(i)
            continue
        if (m := _UPDATED_RE.match(line)) and (when := parse_stated_time(m["rest"], tz=tz)):
            body.updated = when
            body.boilerplate.add(i)
            continue
        kind = furniture_kind(line) or ("line" if _RELATIVE_TIME_RE.match(line) else None)
        if kind in ("links", "tail"):
            mode = kind if mode != "tail" else mode
        if kind or mode == "tail" or (mode == "links" and not _is_prose(line)):
            body.boilerplate.add(i)
            continue
        mode = ""
        body.kept.append(line)
    return body


def _is_standfirst(paragraph: str) -> bool:
    """A short summary under the headline: no closing punctuation, one sentence's length."""
    words = paragraph.split()
    return len(words) <= 60 and not paragraph.rstrip().endswith(_TERMINAL)


def parse_html(html: str, *, tz: tzinfo | None = None) -> CaptureDraft:
    """Parse a saved HTML page: trafilatura for the main text, the page's own meta for the rest.

    The stated times come from ``article:published_time``/``modified_time``
    meta tags, else from the byline/dateline lines under the ``<h1>`` (which
    also give the byline when there is no author meta). The paragraphs pass
    the same furniture rules as a plain-text capture.
    """
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
    title = _clean(doc.get("title") or "")
    description = _clean(doc.get("description") or "")
    paragraphs = [p for p in (_clean(p) for p in text.split("\n")) if p and not furniture_kind(p)]
    if paragraphs and paragraphs[0] == title:
        paragraphs.pop(0)
    if paragraphs and description and paragraphs[0] == description:
        paragraphs.pop(0)
    while paragraphs and not _is_prose(paragraphs[-1]):
        paragraphs.pop()
    meta, lines = _html_meta_and_header(html)
    byline = _clean(doc.get("author") or "")
    published = parse_stated_time(meta.get("published", ""), tz=tz)
    updated = parse_stated_time(meta.get("modified", ""), tz=tz)
    for n, line in enumerate(lines):
        marker = _marker(line, lines[n + 1] if n + 1 < len(lines) else "", tz=tz) or {}
        byline = byline or _clean_byline(marker.get("byline", ""))
        published = published or marker.get("published")
        updated = updated or marker.get("updated")
    if published is None and doc.get("date"):
        published = parse_stated_time(doc["date"], tz=tz)
    if updated is not None and published is not None and updated <= published:
        updated = None
    return CaptureDraft(
        title=title,
        body="\n\n".join(paragraphs),
        standfirst=description,
        byline=byline,
        published=published,
        last_updated=updated,
        credited_source=_clean(doc.get("sitename") or ""),
        canonical_url=doc.get("url") or "",
    )


def _html_meta_and_header(html: str) -> tuple[dict[str, str], list[str]]:
    """The article's time meta tags, and the short text lines just under its ``<h1>``."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return {}, []
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        name = (element.get("property") or element.get("name") or "").lower()
        if name in ("article:published_time", "datepublished", "og:published_time"):
            meta.setdefault("published", element.get("content") or "")
        elif name in ("article:modified_time", "og:updated_time", "datemodified"):
            meta.setdefault("modified", element.get("content") or "")
    lines: list[str] = []
    h1 = next(root.iter("h1"), None)
    if h1 is not None:
        for element in h1.itersiblings():
            line = _clean(element.text_content())
            if line and _words(line) <= 20:
                lines.append(line)
            if len(lines) >= 6 or _words(line) > 20:
                break
    return meta, lines
