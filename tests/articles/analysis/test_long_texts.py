"""Texts longer than spaCy's max_length: analysed in paragraph-aligned chunks.

The limit is lowered on the loaded pipeline so that a text of a few thousand
characters stands for one over a million (spaCy's default; E088 above it).
The real pipeline runs (``pipeline.analyse_text``, not the session cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from articles.analysis import pipeline
from articles.analysis.chunks import joined, paragraph_chunks
from articles.analysis.types import Analysis

NEWS = Path(__file__).resolve().parents[2] / "data" / "news"
LIMIT = 3_000
CLOSING = '"We will rebuild the bridge before winter," Mayor Ana Ruiz told reporters.'


def news_text(chars: int) -> str:
    """Paragraphs of the news corpus, blank lines between, up to ``chars``, then CLOSING."""
    paragraphs = [
        p.strip()
        for path in sorted(NEWS.glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    ]
    out: list[str] = []
    size = 0
    for paragraph in paragraphs:
        if size + len(paragraph) > chars:
            break
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join([*out, CLOSING])


def lowered(limit: int) -> pytest.MonkeyPatch:
    """A monkeypatch holding the loaded pipeline's max_length at ``limit`` until undone."""
    patch = pytest.MonkeyPatch()
    patch.setattr(pipeline.get_nlp(), "max_length", limit)
    return patch


@pytest.fixture
def low_limit() -> Iterator[int]:
    patch = lowered(LIMIT)
    yield LIMIT
    patch.undo()


@pytest.fixture(scope="module")
def long_text() -> str:
    text = news_text(4 * LIMIT)
    assert len(text) > 3 * LIMIT
    return text


@pytest.fixture(scope="module")
def chunked(long_text: str) -> Analysis:
    """The long text's analysis under the lowered limit (computed once)."""
    patch = lowered(LIMIT)
    try:
        return pipeline.analyse_text(long_text)
    finally:
        patch.undo()


def round_trips(text: str, result: Analysis) -> bool:
    spans = [*result["entities"]] + [
        span
        for a in result["attributions"]
        for span in (a["speaker"], a["cue"], a["content"])
        if span is not None
    ]
    return all(text[s["start"] : s["end"]] == s["text"] for s in spans)


def test_the_lowered_limit_is_one_spacy_refuses(low_limit: int, long_text: str) -> None:
    with pytest.raises(ValueError, match="E088"):
        pipeline.get_nlp()(long_text)


def test_a_long_text_gets_the_analysis_of_its_chunks_at_their_offsets(
    chunked: Analysis, long_text: str
) -> None:
    spans = paragraph_chunks(long_text, LIMIT)
    assert len(spans) >= 4
    parts = [(start, pipeline.analyse_text(long_text[start:end])) for start, end in spans]
    assert chunked == joined(parts)


def test_offsets_index_the_whole_long_text(chunked: Analysis, long_text: str) -> None:
    assert round_trips(long_text, chunked)
    sentences = [(s["start"], s["end"]) for s in chunked["sentences"]]
    assert all(a < b <= c for (a, b), (c, _) in pairwise(sentences))
    assert long_text[sentences[-1][0] : sentences[-1][1]] == CLOSING


def test_an_attribution_in_the_last_chunk_keeps_its_place(
    chunked: Analysis, long_text: str
) -> None:
    last = chunked["attributions"][-1]
    assert last["content"]["start"] == long_text.rindex("We will rebuild")
    assert last["content"]["text"] == "We will rebuild the bridge before winter"
    assert last["cue"]["text"] == "told"
    assert last["speaker_name"] == "Ana Ruiz"


def test_no_sentence_runs_over_a_chunk_boundary(chunked: Analysis, long_text: str) -> None:
    cuts = {start for start, _ in paragraph_chunks(long_text, LIMIT)}
    assert not any(s["start"] < cut < s["end"] for s in chunked["sentences"] for cut in cuts)


def test_long_and_short_texts_in_one_batch_keep_their_order(
    low_limit: int, long_text: str, chunked: Analysis
) -> None:
    short = "The council met on Tuesday."
    results = list(pipeline.analyse_texts([short, long_text, short], batch_size=2))
    assert [len(r["sentences"]) for r in results[::2]] == [1, 1]
    assert results[1] == chunked


def test_chunks_are_kept_to_max_chunk_chars_under_a_higher_limit(
    monkeypatch: pytest.MonkeyPatch, long_text: str, chunked: Analysis
) -> None:
    """Only the length of spaCy's limit decides whether to cut; the chunks are no
    longer than MAX_CHUNK_CHARS (here the lowered limit), as memory grows with them."""
    monkeypatch.setattr(pipeline.get_nlp(), "max_length", len(long_text) - 1)
    monkeypatch.setattr(pipeline, "MAX_CHUNK_CHARS", LIMIT)
    assert pipeline.analyse_text(long_text) == chunked
