"""The word-level diff inside a pair of sentences.

Pure: plain strings. Texts are cut into words, whitespace runs and single
other characters, so that the segments of a diff join back exactly.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

Segment = dict[str, str]

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Words, whitespace runs and single other characters; joins back exactly."""
    return _TOKEN_RE.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments ``{"op": "equal"|"delete"|"insert", "text"}`` turning old into new.

    Concatenating equal + delete texts gives ``old`` exactly, equal + insert
    gives ``new`` exactly. Whitespace left alone between two edits is folded
    into them so that the edits read as phrases, not word salad.
    """
    if old == new:
        return [{"op": "equal", "text": old}] if old else []
    return _segments(_opcodes(tokenize(old), tokenize(new)))


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, str, str]]:
    """``(kind, old text, new text)`` runs, kind "equal" or "edit"; common leading
    and trailing tokens are matched without difflib."""
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    raw: list[tuple[str, str, str]] = []
    if head:
        raw.append(("equal", "".join(a[:head]), "".join(b[:head])))
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    matcher = SequenceMatcher(None, a_mid, b_mid, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if tag == "equal" else "edit"
        raw.append((kind, "".join(a_mid[i1:i2]), "".join(b_mid[j1:j2])))
    if tail:
        raw.append(("equal", "".join(a[len(a) - tail :]), "".join(b[len(b) - tail :])))
    return raw


def _segments(raw: list[tuple[str, str, str]]) -> list[Segment]:
    """Runs as segments, whitespace alone between two edits folded into them."""
    segments: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted and "".join(deleted):
            segments.append({"op": "delete", "text": "".join(deleted)})
        if inserted and "".join(inserted):
            segments.append({"op": "insert", "text": "".join(inserted)})
        deleted.clear()
        inserted.clear()

    for index, (kind, old_text, new_text) in enumerate(raw):
        between_edits = 0 < index < len(raw) - 1
        if kind == "equal" and not (between_edits and old_text.isspace()):
            flush()
            if segments and segments[-1]["op"] == "equal":
                segments[-1]["text"] += old_text
            else:
                segments.append({"op": "equal", "text": old_text})
        else:
            deleted.append(old_text)
            inserted.append(new_text)
    flush()
    return segments
