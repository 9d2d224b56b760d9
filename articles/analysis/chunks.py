"""Long texts cut into paragraph-aligned chunks, and the chunks' analyses joined.

Pure: plain strings and dicts. spaCy refuses a text longer than its
``max_length`` (E088), and its memory grows with the length of a document, so
:mod:`articles.analysis.pipeline` analyses such a text chunk by chunk and joins
the results with their offsets moved back into the whole text. A chunk ends
after a paragraph break (a blank line) where one is in reach, else after a
line break, a sentence end, a space, or at the limit; the chunks, joined, are
the text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from articles.analysis.types import Analysis, Attribution, Entity, Sentence, Span

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s+")
_SPACE = re.compile(r"\s+")


def paragraph_chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive chunks of ``text``, each at most ``limit``
    characters, together the whole text (one chunk when it fits)."""
    if limit < 1:
        raise ValueError(f"a chunk holds at least one character, not {limit}")
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + _cut(text[start : start + limit])
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def _cut(window: str) -> int:
    """Where in ``window`` (a chunk at its longest) the chunk should end: after
    the last paragraph break in it, else line break, sentence end or space."""
    paragraph = _last_end(_PARAGRAPH_BREAK, window)
    if paragraph:
        return paragraph
    line = window.rfind("\n") + 1
    if line:
        return line
    return _last_end(_SENTENCE_END, window) or _last_end(_SPACE, window) or len(window)


def _last_end(pattern: re.Pattern[str], window: str) -> int:
    """The end of the last match of ``pattern`` in ``window``, 0 when none."""
    end = 0
    for match in pattern.finditer(window):
        end = match.end()
    return end


def joined(parts: Iterable[tuple[int, Analysis]]) -> Analysis:
    """The analysis of a whole text from its chunks' ``(offset, analysis)``, in order."""
    whole: Analysis = {"sentences": [], "entities": [], "attributions": []}
    for offset, part in parts:
        whole["sentences"].extend(_sentence(s, offset) for s in part["sentences"])
        whole["entities"].extend(_entity(e, offset) for e in part["entities"])
        whole["attributions"].extend(_attribution(a, offset) for a in part["attributions"])
    return whole


def _sentence(sentence: Sentence, offset: int) -> Sentence:
    return {"start": sentence["start"] + offset, "end": sentence["end"] + offset}


def _entity(entity: Entity, offset: int) -> Entity:
    return {
        "start": entity["start"] + offset,
        "end": entity["end"] + offset,
        "label": entity["label"],
        "text": entity["text"],
    }


def _span(span: Span, offset: int) -> Span:
    return {"start": span["start"] + offset, "end": span["end"] + offset, "text": span["text"]}


def _attribution(attribution: Attribution, offset: int) -> Attribution:
    speaker = attribution["speaker"]
    return {
        "speaker": _span(speaker, offset) if speaker is not None else None,
        "cue": _span(attribution["cue"], offset),
        "content": _span(attribution["content"], offset),
        "kind": attribution["kind"],
        "speaker_name": attribution["speaker_name"],
        "flags": list(attribution["flags"]),
    }
