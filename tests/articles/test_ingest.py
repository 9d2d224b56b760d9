"""Parsing page captures and saved web pages into revision drafts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from articles.ingest import CaptureRefused, parse_capture, parse_stated_time, read_capture


def test_seed_page_fields_equal_the_gold(seed_bytes: bytes, gold: dict) -> None:
    draft = read_capture(seed_bytes, filename="seed.txt", tz=ZoneInfo("UTC"))
    page = gold["page"]
    assert draft.title == page["title"]
    assert draft.byline == page["byline"]
    assert draft.published is not None and draft.last_updated is not None
    assert draft.published.strftime("%Y-%m-%d %H:%M") == page["published"]
    assert draft.last_updated.strftime("%Y-%m-%d %H:%M") == page["last_updated"]
    assert draft.standfirst == page["standfirst"]
    assert draft.credited_source == page["credited_source"]
    assert list(draft.boilerplate_lines) == page["boilerplate_lines"]
    assert draft.body.startswith(page["body_first_words"])
    assert draft.body.endswith(page["body_last_words"])
    assert len(draft.paragraphs) == page["body_paragraphs"]


def test_boilerplate_never_reaches_the_body(seed_draft) -> None:
    for line in ("Skip to content", "Source: AFP", "Last Updated", seed_draft.title, "By Yagiz"):
        assert line not in seed_draft.body


def test_stated_times_are_timezone_aware_in_the_newsroom_zone() -> None:
    zone = ZoneInfo("Europe/Istanbul")
    when = parse_stated_time("May 14, 2024 10:34 PM", tz=zone)
    assert when == datetime(2024, 5, 14, 22, 34, tzinfo=zone)
    assert when.utcoffset() is not None


def test_newsroom_time_zone_setting_is_used(settings, seed_bytes: bytes) -> None:
    settings.NEWSROOM_TIME_ZONE = "America/New_York"
    draft = read_capture(seed_bytes)
    assert draft.published is not None
    assert draft.published.utcoffset().total_seconds() == -4 * 3600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jun 3, 2024 5:01 PM", (2024, 6, 3, 17, 1)),
        ("14 May 2024 22:34", (2024, 5, 14, 22, 34)),
        ("2024-05-14 22:34", (2024, 5, 14, 22, 34)),
        ("Sept. 2, 2023", (2023, 9, 2, 0, 0)),
    ],
)
def test_common_date_formats_are_read(text: str, expected: tuple[int, ...]) -> None:
    when = parse_stated_time(text, tz=ZoneInfo("UTC"))
    assert when is not None
    assert (when.year, when.month, when.day, when.hour, when.minute) == expected


def test_a_sentence_is_not_a_date() -> None:
    assert parse_stated_time("May the force be with you") is None


def test_last_updated_with_no_break_spaces_is_read() -> None:
    draft = parse_capture(
        "Title here\nBy A Writer\nMay 1, 2024 9:00 AM\n\nBody sentence one.\n\n"
        "Last Updated:\u00a0\u00a0May 2, 2024 10:15 AM",
        tz=ZoneInfo("UTC"),
    )
    assert draft.last_updated == datetime(2024, 5, 2, 10, 15, tzinfo=ZoneInfo("UTC"))
    assert draft.body == "Body sentence one."


def test_canonical_url_line_is_kept_out_of_the_body() -> None:
    draft = parse_capture(
        "URL: https://news.example.org/a/1\nA headline\n\nFirst paragraph of text.\n\nSecond one."
    )
    assert draft.canonical_url == "https://news.example.org/a/1"
    assert draft.title == "A headline"
    assert "https://" not in draft.body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 headline\n\nBody.".encode("latin-1"), "not valid UTF-8"),
        (b"x" * (2 * 1024 * 1024 + 1), "over 2 MB"),
        (b"Only a title line", "no article body"),
        (b"\n\n   \n", "empty"),
    ],
    ids=["empty", "binary", "undecodable", "too-big", "no-body", "blank"],
)
def test_bad_captures_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(CaptureRefused, match=reason):
        read_capture(data, filename="bad.txt")


def test_html_page_is_parsed_with_title_body_and_author() -> None:
    html = """<!doctype html><html><head><title>Ministers meet in Brussels | Example News</title>
    <meta property="og:title" content="Ministers meet in Brussels">
    <meta name="author" content="Jane Reporter">
    <meta property="article:published_time" content="2024-05-14T22:34:00">
    <meta property="og:url" content="https://news.example.org/ministers">
    </head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Ministers meet in Brussels</h1>
    <p>European ministers met in Brussels on Tuesday to discuss the budget, officials said.</p>
    <p>"We will find an agreement," the Belgian minister told reporters after the meeting ended.</p>
    <p>Talks are expected to resume next week, according to a spokesperson for the council.</p>
    </article><footer>Copyright Example News</footer></body></html>"""
    draft = read_capture(html.encode("utf-8"), filename="page.html")
    assert draft.title == "Ministers meet in Brussels"
    assert draft.byline == "Jane Reporter"
    assert draft.canonical_url == "https://news.example.org/ministers"
    assert draft.body.startswith("European ministers met in Brussels")
    assert len(draft.paragraphs) == 3
    assert "Copyright" not in draft.body and "Home" not in draft.body


def test_a_stated_utc_offset_wins_over_the_newsroom_zone() -> None:
    when = parse_stated_time("June 3, 2024 5:01 PM GMT+1", tz=ZoneInfo("America/New_York"))
    assert when is not None
    assert when.utcoffset().total_seconds() == 3600
    assert (when.hour, when.minute) == (17, 1)


def test_an_ambiguous_zone_abbreviation_uses_the_newsroom_zone() -> None:
    zone = ZoneInfo("Europe/London")
    when = parse_stated_time("June 3, 2024 5:01 PM BST", tz=zone)
    assert when == datetime(2024, 6, 3, 17, 1, tzinfo=zone)


def test_section_label_above_the_headline_is_not_the_title() -> None:
    capture = (
        "Skip to main content\n\nWorld\nEurope\n\n"
        "Ukraine says air defences downed 30 drones overnight\n"
        "By Jane Doe and John Roe\n"
        "June 3, 2024 5:01 PM GMT+1\n"
        "Updated 2 hours ago\n\n"
        "KYIV, June 3 (Reuters) - Ukraine's air force said on Monday it had downed 30 drones.\n\n"
        "The attack targeted energy sites in the west, officials said.\n"
    )
    draft = parse_capture(capture, tz=ZoneInfo("UTC"))
    assert draft.title == "Ukraine says air defences downed 30 drones overnight"
    assert draft.byline == "Jane Doe and John Roe"
    assert draft.published is not None and draft.published.utcoffset().total_seconds() == 3600
    assert draft.body.startswith("KYIV, June 3 (Reuters)")
    assert len(draft.paragraphs) == 2
    assert "World" in draft.boilerplate_lines and "Updated 2 hours ago" in draft.boilerplate_lines


def test_capture_without_byline_or_date_takes_the_first_line_as_title() -> None:
    draft = parse_capture("A plain headline\n\nFirst paragraph here.\n\nSecond paragraph here.")
    assert draft.title == "A plain headline"
    assert draft.paragraphs == ["First paragraph here.", "Second paragraph here."]


def test_wrapped_lines_within_a_paragraph_are_joined() -> None:
    draft = parse_capture("Headline\n\nThe first line of a paragraph\ncontinues here.\n\nNext one.")
    assert draft.paragraphs == ["The first line of a paragraph continues here.", "Next one."]
