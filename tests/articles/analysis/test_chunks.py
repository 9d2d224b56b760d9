"""Long texts cut into paragraph-aligned chunks, and chunk analyses joined (plain strings)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.analysis.chunks import joined, paragraph_chunks
from articles.analysis.types import Analysis


def pieces(text: str, limit: int) -> list[str]:
    return [text[start:end] for start, end in paragraph_chunks(text, limit)]


def test_a_text_that_fits_is_one_chunk() -> None:
    assert paragraph_chunks("One paragraph.\n\nTwo.", 100) == [(0, 20)]
    assert paragraph_chunks("", 10) == [(0, 0)]


def test_a_chunk_ends_after_the_last_paragraph_break_in_reach() -> None:
    text = "First para.\n\nSecond para.\n\nThird paragraph here."
    assert pieces(text, 30) == ["First para.\n\nSecond para.\n\n", "Third paragraph here."]


def test_a_run_of_blank_lines_stays_with_the_chunk_before() -> None:
    text = "Alpha beta.\n\n\n\n  Gamma delta epsilon."
    assert pieces(text, 24) == ["Alpha beta.\n\n\n\n", "  Gamma delta epsilon."]


def test_without_a_paragraph_break_a_chunk_ends_after_a_line_break() -> None:
    text = "Line one here.\r\nLine two here.\nLine three."
    assert pieces(text, 32) == ["Line one here.\r\nLine two here.\n", "Line three."]


def test_inside_one_paragraph_a_chunk_ends_after_a_sentence() -> None:
    text = 'He said "No." Then he left the room and went home.'
    assert pieces(text, 30)[0] == 'He said "No." '


def test_in_one_long_sentence_a_chunk_ends_after_a_space() -> None:
    assert pieces("alpha beta gamma delta", 12) == ["alpha beta ", "gamma delta"]


def test_a_text_without_spaces_is_cut_at_the_limit() -> None:
    assert pieces("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_a_limit_below_one_character_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one character"):
        paragraph_chunks("text", 0)


@given(
    st.text(alphabet="ab .\n\r", max_size=300),
    st.integers(min_value=1, max_value=40),
)
def test_chunks_rebuild_the_text_and_keep_to_the_limit(text: str, limit: int) -> None:
    spans = paragraph_chunks(text, limit)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(0 < b - a <= limit for a, b in spans) or text == ""
    assert all(b == c for (_, b), (c, _) in pairwise(spans))


def part(start: int, text: str) -> Analysis:
    """A one-sentence analysis of ``text`` whose words are an entity and an attribution."""
    end = start + len(text)
    span = {"start": start, "end": end, "text": text}
    return {
        "sentences": [{"start": start, "end": end}],
        "entities": [{"start": start, "end": end, "label": "PERSON", "text": text}],
        "attributions": [
            {
                "speaker": None,
                "cue": dict(span),
                "content": dict(span),
                "kind": "direct",
                "speaker_name": None,
                "flags": ["unattributed-quote"],
            }
        ],
    }


def test_joined_moves_every_offset_by_its_chunk_start_and_keeps_the_texts() -> None:
    whole = joined([(0, part(0, "Ana")), (10, part(2, "Ruiz"))])
    assert whole["sentences"] == [{"start": 0, "end": 3}, {"start": 12, "end": 16}]
    assert [(e["start"], e["end"], e["text"]) for e in whole["entities"]] == [
        (0, 3, "Ana"),
        (12, 16, "Ruiz"),
    ]
    second = whole["attributions"][1]
    assert second["cue"] == second["content"] == {"start": 12, "end": 16, "text": "Ruiz"}
    assert second["speaker"] is None and second["flags"] == ["unattributed-quote"]


def test_joined_leaves_the_chunk_analyses_as_they_were() -> None:
    chunk = part(2, "Ruiz")
    joined([(10, chunk)])
    assert chunk == part(2, "Ruiz")
