"""Quotation marks paired on plain strings: where each quotation opens and closes.

Pure: no spaCy. A quotation never runs over a line break; one left open at
the end of its line is reported as not closed (a quote that carries on into
the next paragraph). Straight double quotes open only before a non-space.
Curly single quotes are paired only on a line where no double quotes pair,
and an apostrophe inside a word ("Kyiv’s") never closes one. Some outlets
write quotes as two characters, ``''…''`` or ````…''``: they are paired on a
line where no one-character double quotes pair.
"""

from __future__ import annotations

import re

OPEN_QUOTES = '“"«'
CLOSE_QUOTES = '”"»'
#: Any double quote mark: a reported clause holding one is "mixed".
QUOTE_MARKS = '“”"«»'
#: Two-character quote marks ("``" opens; "''" opens or closes).
DOUBLE_MARKS = ("``", "''")
#: Token texts that open or close a quotation (a tokenizer keeps "``" and "''" whole).
OPEN_MARKS = frozenset(OPEN_QUOTES) | {"``", "''"}
CLOSE_MARKS = frozenset(CLOSE_QUOTES) | {"''"}

Offsets = tuple[int, int]  # character offsets, end exclusive
Quotation = tuple[int, int, bool]  # open mark, close mark (or line end), closed

_LINE = re.compile(r"[^\r\n]+")


def quotations(text: str) -> list[Quotation]:
    """Top-level quotations of ``text`` as (open mark, close mark or line end, closed)."""
    found: list[Quotation] = []
    for line in _LINE.finditer(text):
        segment = line.group()
        base = line.start()
        pairs = pair_quotes(segment, OPEN_QUOTES, CLOSE_QUOTES)
        if not pairs and any(mark in segment for mark in DOUBLE_MARKS):
            pairs = pair_double_marks(segment)
        if not pairs and "‘" in segment:
            pairs = pair_single_quotes(segment)
        for open_at, close_at, closed in pairs:
            found.append((base + open_at, base + close_at, closed))
    return found


def pair_quotes(line: str, opens: str, closes: str) -> list[Quotation]:
    """Double quotes of one line, paired left to right (no nesting)."""
    pairs: list[Quotation] = []
    open_at: int | None = None
    for index, char in enumerate(line):
        if open_at is None:
            if char in opens and (char != '"' or opens_straight(line, index)):
                open_at = index
        elif char in closes:
            pairs.append((open_at, index, True))
            open_at = None
    if open_at is not None:
        pairs.append((open_at, len(line), False))
    return pairs


def opens_straight(line: str, index: int) -> bool:
    """Whether the straight quote at ``index`` can open a quotation (a non-space follows)."""
    return index + 1 < len(line) and not line[index + 1].isspace()


def has_quote_mark(text: str) -> bool:
    """Whether ``text`` holds a double quote mark of any kind."""
    return any(ch in QUOTE_MARKS for ch in text) or any(mark in text for mark in DOUBLE_MARKS)


_DOUBLE_MARK = re.compile(r"``|''")


def pair_double_marks(line: str) -> list[Quotation]:
    """Two-character quote marks of one line, closed ones only. A pair is reported
    like a one-character one: its open position is the opening mark's last
    character and its close position the closing mark's first, so the words
    between are ``inner(line, open, close)``."""
    pairs: list[Quotation] = []
    open_at: int | None = None
    for mark in _DOUBLE_MARK.finditer(line):
        start, end = mark.span()
        if open_at is None:
            before = line[start - 1] if start else " "
            if end < len(line) and not line[end].isspace() and not before.isalnum():
                open_at = end - 1
        elif mark.group() == "''":
            pairs.append((open_at, start, True))
            open_at = None
    return pairs


def pair_single_quotes(line: str) -> list[Quotation]:
    """Curly single quotes of one line, closed ones only; apostrophes are skipped."""
    pairs: list[Quotation] = []
    open_at: int | None = None
    for index, char in enumerate(line):
        before = line[index - 1] if index else " "
        after = line[index + 1] if index + 1 < len(line) else " "
        if open_at is None and char == "‘" and not before.isalnum() and not after.isspace():
            open_at = index
        elif open_at is not None and char == "’" and not (before.isalpha() and after.isalpha()):
            if not after.isalnum():
                pairs.append((open_at, index, True))
                open_at = None
    return pairs


def inner(text: str, open_at: int, close_at: int) -> Offsets | None:
    """The quoted words between two marks: spaces and a trailing comma trimmed;
    None when nothing alphanumeric is inside."""
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if start >= end or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return start, end
