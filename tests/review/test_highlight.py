"""Marking up text with sentences, entities and attribution roles (pure)."""

from __future__ import annotations

import re
from html import unescape

from hypothesis import given
from hypothesis import strategies as st

from review.highlight import paragraph_spans, render_paragraphs, render_tokens

TEXT = "Smith said the plan <works>.\n\nJones & Co denied it."
SENTENCES = [{"start": 0, "end": 28}, {"start": 30, "end": 51}]
ENTITIES = [
    {"start": 0, "end": 5, "label": "PERSON", "text": "Smith"},
    {"start": 30, "end": 40, "label": "ORG", "text": "Jones & Co"},
]
ATTRIBUTIONS = [
    {
        "speaker": {"start": 0, "end": 5, "text": "Smith"},
        "cue": {"start": 6, "end": 10, "text": "said"},
        "content": {"start": 11, "end": 27, "text": "the plan <works>"},
    }
]


def strip_tags(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_paragraphs_keep_their_text_exactly() -> None:
    paragraphs = render_paragraphs(
        TEXT, sentences=SENTENCES, entities=ENTITIES, attributions=ATTRIBUTIONS
    )
    assert [strip_tags(p.html) for p in paragraphs] == [
        "Smith said the plan <works>.",
        "Jones & Co denied it.",
    ]


def test_text_is_escaped() -> None:
    html = render_paragraphs(TEXT, sentences=SENTENCES)[0].html
    assert "&lt;works&gt;" in html and "<works>" not in html


def test_entities_are_marked_with_their_label() -> None:
    html = render_paragraphs(TEXT, sentences=SENTENCES, entities=ENTITIES)[1].html
    assert '<mark class="ent ent-ORG" title="ORG">Jones &amp; Co</mark>' in html


def test_attribution_roles_carry_the_attribution_index() -> None:
    html = render_paragraphs(
        TEXT, sentences=SENTENCES, entities=ENTITIES, attributions=ATTRIBUTIONS
    )[0].html
    assert '<span class="att att-cue" data-att="0">said</span>' in html
    assert 'class="att att-speaker" data-att="0">Smith</span>' in html
    assert '<span class="sent" id="s0" data-s="0">' in html


def test_paragraph_spans_skip_blank_blocks() -> None:
    text = "a b\n\n\n\n c d "
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["a b", "c d"]


@given(st.lists(st.text(alphabet="ab .\n", min_size=1, max_size=12), min_size=1, max_size=5))
def test_rendering_never_loses_or_adds_text(blocks: list[str]) -> None:
    text = "\n\n".join(blocks)
    rendered = "".join(strip_tags(p.html) for p in render_paragraphs(text, sentences=[]))
    expected = "".join(text[s:e] for s, e in paragraph_spans(text))
    assert rendered == expected


def test_tokens_render_per_side() -> None:
    tokens = [
        {"op": "equal", "text": "In particular, "},
        {"op": "delete", "text": "Putin"},
        {"op": "insert", "text": "Zelensky"},
        {"op": "equal", "text": " asked."},
    ]
    assert render_tokens(tokens, side="old") == "In particular, <del>Putin</del> asked."
    assert render_tokens(tokens, side="new") == "In particular, <ins>Zelensky</ins> asked."
    assert (
        render_tokens(tokens, side="inline")
        == "In particular, <del>Putin</del><ins>Zelensky</ins> asked."
    )
