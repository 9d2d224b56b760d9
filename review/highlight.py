"""Mark up a revision's text with its sentences, entities and attributions.

Pure: plain text and offset dicts in, HTML strings out (every piece of text
escaped). The text is cut at every span boundary, and each piece carries the
classes of all spans that cover it, so overlapping spans never break nesting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

Span = Mapping[str, object]

ROLES = ("speaker", "cue", "content")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    html: str


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by blank lines."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for block in text.split("\n\n"):
        start = pos
        pos += len(block) + 2
        stripped = block.strip()
        if not stripped:
            continue
        lead = len(block) - len(block.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))
    return spans


def _int(span: Span, key: str) -> int:
    value = span[key]
    assert isinstance(value, int)
    return value


def render_paragraphs(
    text: str,
    *,
    sentences: Sequence[Span],
    entities: Sequence[Span] = (),
    attributions: Sequence[Mapping[str, object]] = (),
    annotations: Sequence[tuple[int, int, int, int]] = (),
) -> list[Paragraph]:
    """Paragraphs of HTML with sentence anchors, entity marks, attribution roles and
    annotation marks.

    ``annotations`` are ``(start, end, id, number)``: the text is underlined (not
    only coloured) and a numbered marker follows the end of each annotated span.
    Markers carry ``data-skip`` so that offsets computed from the page's text
    (selection -> annotate) ignore them.
    """
    cuts: set[int] = set()
    anno_ranges = [(s, e, i, n) for s, e, i, n in annotations if 0 <= s < e <= len(text)]
    for start, end, _, _ in anno_ranges:
        cuts.update((start, end))
    ent_ranges: list[tuple[int, int, str]] = []
    for ent in entities:
        start, end = _int(ent, "start"), _int(ent, "end")
        ent_ranges.append((start, end, str(ent["label"])))
        cuts.update((start, end))
    role_ranges: list[tuple[int, int, str, int]] = []
    for index, attribution in enumerate(attributions):
        for role in ROLES:
            part = attribution.get(role)
            if isinstance(part, Mapping):
                start, end = _int(part, "start"), _int(part, "end")
                role_ranges.append((start, end, role, index))
                cuts.update((start, end))
    sentence_ranges = [(_int(s, "start"), _int(s, "end")) for s in sentences]
    for start, end in sentence_ranges:
        cuts.update((start, end))

    paragraphs: list[Paragraph] = []
    for p_start, p_end in paragraph_spans(text):
        points = sorted({p_start, p_end, *(c for c in cuts if p_start < c < p_end)})
        p_sentences = [
            (i, s, e) for i, (s, e) in enumerate(sentence_ranges) if s < p_end and e > p_start
        ]
        p_ents = [r for r in ent_ranges if r[0] < p_end and r[1] > p_start]
        p_roles = [r for r in role_ranges if r[0] < p_end and r[1] > p_start]
        p_annos = [r for r in anno_ranges if r[0] < p_end and r[1] > p_start]
        ends: dict[int, list[tuple[int, int]]] = {}
        for _start, end, ident, number in p_annos:
            ends.setdefault(min(end, p_end), []).append((ident, number))
        out: list[str] = []
        open_sentence: int | None = None
        for a, b in pairwise(points):
            sentence = next((i for i, s, e in p_sentences if s <= a and b <= e), None)
            if sentence != open_sentence:
                if open_sentence is not None:
                    out.append("</span>")
                if sentence is not None:
                    out.append(f'<span class="sent" id="s{sentence}" data-s="{sentence}">')
                open_sentence = sentence
            out.append(_annotated(_piece(text[a:b], a, b, p_ents, p_roles), a, b, p_annos))
            for ident, number in ends.get(b, ()):
                out.append(
                    f'<a class="anno-mark" href="#annotation-{ident}" data-anno-mark="{ident}" '
                    f'data-skip aria-label="Annotation {number}">{number}</a>'
                )
        if open_sentence is not None:
            out.append("</span>")
        paragraphs.append(Paragraph(p_start, p_end, "".join(out)))
    return paragraphs


def _piece(
    chunk: str,
    a: int,
    b: int,
    ent_ranges: Sequence[tuple[int, int, str]],
    role_ranges: Sequence[tuple[int, int, str, int]],
) -> str:
    label = next((lab for s, e, lab in ent_ranges if s <= a and b <= e), None)
    roles = [(role, index) for s, e, role, index in role_ranges if s <= a and b <= e]
    html = escape(chunk, quote=False)
    if roles:
        classes = " ".join(sorted({f"att-{role}" for role, _ in roles}))
        ids = " ".join(str(index) for _, index in roles)
        html = f'<span class="att {classes}" data-att="{ids}">{html}</span>'
    if label is not None:
        safe = escape(label)
        html = f'<mark class="ent ent-{safe}" title="{safe}">{html}</mark>'
    return html


def _annotated(html: str, a: int, b: int, annos: Sequence[tuple[int, int, int, int]]) -> str:
    ids = [str(ident) for s, e, ident, _ in annos if s <= a and b <= e]
    if not ids:
        return html
    return f'<span class="anno" data-anno="{" ".join(ids)}">{html}</span>'


def render_tokens(tokens: Sequence[Mapping[str, object]], *, side: str) -> str:
    """Word-level diff of one sentence: ``side`` is "old", "new" or "inline"."""
    out: list[str] = []
    for token in tokens:
        op = token.get("op")
        chunk = escape(str(token.get("text", "")), quote=False)
        if op == "equal":
            out.append(chunk)
        elif op == "delete" and side in {"old", "inline"}:
            out.append(f"<del>{chunk}</del>")
        elif op == "insert" and side in {"new", "inline"}:
            out.append(f"<ins>{chunk}</ins>")
    return "".join(out)
