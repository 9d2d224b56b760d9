"""The word lists of the analysis rules, as data files beside this module.

Each ``<name>.txt`` holds one term a line; ``#`` starts a comment (a whole
line or the end of one) and blank lines are skipped. A term may be several
words ("in particular"); runs of whitespace inside it count as one space. A
*table* file gives, on each line, a key and then its values ("warn clause of
against about"). Every file is read once per process (``functools.cache``),
and a term (or a table key) given twice is an error: in a Python set the
second one would silently win.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

DIRECTORY = Path(__file__).resolve().parent


class LexiconError(ValueError):
    """A lexicon file that repeats a term or a key."""


def parse(text: str) -> list[str]:
    """The terms of a lexicon file's text, in file order (comments and blanks dropped)."""
    found: list[str] = []
    for line in text.splitlines():
        term = " ".join(line.split("#", 1)[0].split())
        if term:
            found.append(term)
    return found


def repeated(items: Iterable[str]) -> list[str]:
    """The items that occur more than once, in order of first occurrence."""
    counts = Counter(items)
    return [item for item, count in counts.items() if count > 1]


def names() -> list[str]:
    """Every lexicon in this directory, by file name without ``.txt``."""
    return sorted(path.stem for path in DIRECTORY.glob("*.txt"))


@functools.cache
def terms(name: str) -> tuple[str, ...]:
    """The terms of ``<name>.txt`` in file order; a repeated term raises LexiconError."""
    found = parse((DIRECTORY / f"{name}.txt").read_text(encoding="utf-8"))
    twice = repeated(found)
    if twice:
        raise LexiconError(f"{name}.txt repeats {', '.join(twice)}")
    return tuple(found)


@functools.cache
def words(name: str) -> frozenset[str]:
    """The terms of ``<name>.txt`` as a set."""
    return frozenset(terms(name))


@functools.cache
def table(name: str) -> Mapping[str, tuple[str, ...]]:
    """``<name>.txt`` read as lines of a key and its values; a repeated key raises."""
    rows = [term.split() for term in terms(name)]
    twice = repeated(row[0] for row in rows)
    if twice:
        raise LexiconError(f"{name}.txt repeats {', '.join(twice)}")
    return MappingProxyType({row[0]: tuple(row[1:]) for row in rows})
