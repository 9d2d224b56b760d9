"""The capture parser against hand-made readings of page captures from different sites.

Each ``tests/data/captures/NN_site-style.txt`` (a plain-text page capture) or
``.html`` (a saved page) has an ``NN_site-style.expected.json``: the title,
byline, stated times (wall-clock as stated, read with the newsroom zone UTC),
standfirst, credited source, the first and last words of the body, its number
of paragraphs, and ``not_in_body``: page furniture that must not reach the body.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from articles.ingest import CaptureDraft, read_capture

CAPTURES = Path(__file__).resolve().parent.parent / "data" / "captures"
CASES = sorted(p.name for p in CAPTURES.iterdir() if p.suffix in {".txt", ".html"})


@cache
def draft_of(name: str) -> CaptureDraft:
    return read_capture((CAPTURES / name).read_bytes(), filename=name, tz=ZoneInfo("UTC"))


def expected(name: str) -> dict[str, Any]:
    path = CAPTURES / f"{Path(name).stem}.expected.json"
    return json.loads(path.read_text(encoding="utf-8"))


def stated(when: Any) -> str | None:
    return None if when is None else when.strftime("%Y-%m-%d %H:%M")


def test_every_capture_has_an_expected_reading() -> None:
    assert len(CASES) >= 12
    for name in CASES:
        assert (CAPTURES / f"{Path(name).stem}.expected.json").exists(), name


@pytest.mark.parametrize("name", CASES)
def test_title(name: str) -> None:
    assert draft_of(name).title == expected(name)["title"]


@pytest.mark.parametrize("name", CASES)
def test_byline(name: str) -> None:
    assert draft_of(name).byline == expected(name)["byline"]


@pytest.mark.parametrize("name", CASES)
def test_stated_times(name: str) -> None:
    draft, want = draft_of(name), expected(name)
    assert (stated(draft.published), stated(draft.last_updated)) == (
        want["published"],
        want["last_updated"],
    )
    for when in (draft.published, draft.last_updated):
        assert when is None or when.utcoffset() is not None


@pytest.mark.parametrize("name", CASES)
def test_standfirst(name: str) -> None:
    assert draft_of(name).standfirst == expected(name)["standfirst"]


@pytest.mark.parametrize("name", CASES)
def test_credited_source(name: str) -> None:
    assert draft_of(name).credited_source == expected(name)["credited_source"]


@pytest.mark.parametrize("name", CASES)
def test_body_starts_and_ends_with_the_article_text(name: str) -> None:
    body, want = draft_of(name).body, expected(name)
    assert body.startswith(want["body_first_words"]), body[:200]
    assert body.endswith(want["body_last_words"]), body[-200:]


@pytest.mark.parametrize("name", CASES)
def test_body_paragraph_count(name: str) -> None:
    paragraphs = draft_of(name).paragraphs
    assert len(paragraphs) == expected(name)["body_paragraphs"], paragraphs


@pytest.mark.parametrize("name", CASES)
def test_page_furniture_stays_out_of_the_body(name: str) -> None:
    body = draft_of(name).body
    assert [s for s in expected(name)["not_in_body"] if s in body] == []
