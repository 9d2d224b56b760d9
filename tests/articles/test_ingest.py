"""Parsing page captures and saved web pages into revision drafts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from articles.ingest import (
    CaptureRefused,
    furniture_kind,
    parse_capture,
    parse_stated_time,
    read_capture,
)


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
        ("Mon 3 Jun 2024 17.01 BST", (2024, 6, 3, 17, 1)),
        ("June 3, 2024 at 5:01 p.m. EDT", (2024, 6, 3, 17, 1)),
        ("5:01 PM GMT+2, June 3, 2024", (2024, 6, 3, 17, 1)),
        ("2024-05-14T22:34:00Z", (2024, 5, 14, 22, 34)),
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


UTC = ZoneInfo("UTC")
HEAD = "A council votes to repair three bridges\nBy Maria Delgado\nJune 3, 2024 9:15 AM\n\n"


def test_an_iso_time_with_an_offset_keeps_the_offset() -> None:
    when = parse_stated_time("2024-05-14T22:34:00+02:00", tz=ZoneInfo("America/New_York"))
    assert when is not None and when.utcoffset().total_seconds() == 2 * 3600


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Facebook Twitter LinkedIn Email", "line"),
        ("Advertisement \u00b7 Scroll to continue", "line"),
        ("Read more: Ukraine's power grid operator orders blackouts", "line"),
        ("Tags: Riverton, City Council", "line"),
        ("Comments (14)", "line"),
        ("\u00a9 2024 Riverton Ledger. All rights reserved.", "line"),
        ("Reporting by Olena Harmash; Editing by Peter Graff", "line"),
        ("Sign up to First Edition, our free daily newsletter", "line"),
        ("We use cookies to improve your experience on our site.", "line"),
        ("Rescue workers in Antakya on Monday. Photo: AFP/Getty Images", "caption"),
        ("Soldiers near Bialowieza, Poland, May 9, 2024. (Reuters)", "caption"),
        ("A woman walks past a damaged building [Sergey Bobok/AFP]", "caption"),
        ("Related", "links"),
        ("Most read", "tail"),
        ("The minister said the bill would pass next week.", None),
        ("KYIV, June 3 (Reuters) - Ukraine said it had downed 30 drones.", None),
    ],
)
def test_furniture_lines_are_classified(line: str, kind: str | None) -> None:
    assert furniture_kind(line) == kind


def test_furniture_inside_the_body_is_dropped_and_listed() -> None:
    draft = parse_capture(
        HEAD + "The council voted 7-2 on Monday.\n\nAdvertisement\n\nShare\n\n"
        "Work starts in September, officials said.",
        tz=UTC,
    )
    assert draft.paragraphs == [
        "The council voted 7-2 on Monday.",
        "Work starts in September, officials said.",
    ]
    assert "Advertisement" in draft.boilerplate_lines


def test_a_related_heading_drops_the_headlines_under_it_but_not_the_next_paragraph() -> None:
    draft = parse_capture(
        HEAD + "The council voted 7-2 on Monday.\n\nRead more\nBridge closures hurt shops\n"
        "Mayor names new engineer\n\nWork starts in September, officials said.",
        tz=UTC,
    )
    assert draft.paragraphs == [
        "The council voted 7-2 on Monday.",
        "Work starts in September, officials said.",
    ]


def test_everything_after_a_trailing_heading_is_dropped() -> None:
    draft = parse_capture(
        HEAD + "The council voted 7-2 on Monday.\n\nYou may also like\nA teaser headline\n"
        "A teaser sentence that ends with a full stop.",
        tz=UTC,
    )
    assert draft.body == "The council voted 7-2 on Monday."


def test_footer_lines_after_a_trailing_heading_are_still_read() -> None:
    draft = parse_capture(
        HEAD + "The council voted 7-2 on Monday.\n\nMost read\nA headline\n\n"
        "Last Updated: Jun 4, 2024 9:12 AM",
        tz=UTC,
    )
    assert draft.last_updated == datetime(2024, 6, 4, 9, 12, tzinfo=UTC)


def test_a_dateline_paragraph_is_body_and_names_the_agency() -> None:
    draft = parse_capture(
        HEAD + "KYIV, June 3 (Reuters) - Ukraine said it had downed 30 drones.\n\n"
        "Reporting by Olena Harmash; Editing by Peter Graff",
        tz=UTC,
    )
    assert draft.body == "KYIV, June 3 (Reuters) - Ukraine said it had downed 30 drones."
    assert draft.credited_source == "Reuters"


def test_a_closing_author_bio_is_not_body() -> None:
    draft = parse_capture(
        HEAD + "The council voted 7-2 on Monday.\n\n"
        "Maria Delgado covers city government for the Ledger.",
        tz=UTC,
    )
    assert draft.body == "The council voted 7-2 on Monday."


def test_single_newlines_between_sentences_separate_paragraphs() -> None:
    draft = parse_capture(
        "A council votes to repair bridges\nBy Maria Delgado\nThe council voted on Monday.\n"
        "Work starts in September.\nThe mayor welcomed it.",
        tz=UTC,
    )
    assert draft.paragraphs == [
        "The council voted on Monday.",
        "Work starts in September.",
        "The mayor welcomed it.",
    ]


def test_a_hard_wrapped_paragraph_is_joined() -> None:
    draft = parse_capture(
        HEAD + "The council voted on Monday to repair the three\n"
        "bridges. Work starts in September and the mayor\n"
        "welcomed the plan in a short statement to reporters\n"
        "at city hall.",
        tz=UTC,
    )
    assert len(draft.paragraphs) == 1


def test_a_name_and_role_line_is_the_byline() -> None:
    draft = parse_capture(
        "Aftershocks rattle southern Turkey\nDaniel Ortiz | Reporter\n2 hours ago\n\n"
        "A series of aftershocks shook southern Turkey on Monday.",
        tz=UTC,
    )
    assert draft.byline == "Daniel Ortiz"
    assert draft.published is None


def test_a_bare_published_label_reads_the_date_on_the_next_line() -> None:
    draft = parse_capture(
        "Flood defences in York to be raised\nPublished\n14 May 2024\n\n"
        "The government will spend more on flood defences, ministers said.",
        tz=UTC,
    )
    assert draft.published == datetime(2024, 5, 14, tzinfo=UTC)


def test_a_standfirst_between_title_and_byline_is_read() -> None:
    draft = parse_capture(
        "World\nZelensky urges allies to speed up Patriot deliveries\n"
        "President says two more batteries would protect the city of Kharkiv\n"
        "By Shaun Walker\n\nVolodymyr Zelensky has urged allies to hurry.",
        tz=UTC,
    )
    assert draft.title == "Zelensky urges allies to speed up Patriot deliveries"
    assert draft.standfirst.startswith("President says")


def test_a_body_sentence_starting_with_by_is_not_a_byline() -> None:
    draft = parse_capture(
        "Astronomers spot a rare double eclipse\n\nAstronomers saw two planets transit.\n\n"
        "By studying such eclipses, scientists can measure each planet.",
        tz=UTC,
    )
    assert draft.byline == ""
    assert len(draft.paragraphs) == 2


def test_a_body_without_a_header_keeps_its_first_paragraph() -> None:
    text = "The council voted 7-2 on Monday to repair the bridges.\n\nWork starts in September."
    draft = parse_capture(text, tz=UTC)
    assert draft.body == text
    assert draft.title == "The council voted 7-2 on Monday to repair the bridges."


def test_parse_capture_hands_an_html_page_to_the_html_parser() -> None:
    html = (
        "<!doctype html><html><head><title>Ministers meet</title></head><body><article>"
        "<h1>Ministers meet</h1><p>European ministers met in Brussels on Tuesday to discuss "
        "the budget, officials said after the meeting.</p></article></body></html>"
    )
    assert parse_capture(html).body.startswith("European ministers met in Brussels")
