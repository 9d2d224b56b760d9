"""Is a new version of an article only a minor change of the previous one?

Pure functions over plain strings (no Django, no spaCy): ``articles`` decides
this when it records a revision, so it cannot use ``review.diffing``. A change
is minor when, after folding, the two versions read the same:

- typography: curly and straight quotes, dashes, ellipses, spaces (non-breaking,
  thin, doubled), soft hyphens and zero-width characters, Unicode compatibility
  forms, and a comma before a space or at the end;
- page furniture: paragraphs ``articles.ingest.furniture_kind`` calls furniture
  ("Advertisement", "Share on Facebook", ...);
- timestamps: the dates and times in a short paragraph that says what they are
  ("Updated 3 June 2024 17:01 BST", "This article was last updated on ..."). A date in a sentence of the story is never folded: "the talks
  on 3 June" becoming "the talks on 4 June" is a real change.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

from articles.ingest import furniture_kind

#: The fields whose differences count (the ones the content hash covers).
FIELDS = ("title", "standfirst", "byline", "body")

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_SPACE_RE = re.compile(r"\s+")
_SPACED_DASH_RE = re.compile(r"\s*-{1,3}\s*")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([.,;:!?)])")
_COMMA_RE = re.compile(r",(?=\s|$)")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?"
_TIMESTAMP_RES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:z|[+-]\d{2}:?\d{2})?)?\b",
        rf"\b{_WEEKDAY},?\s",
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?",
        rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?",
        r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
        r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+\(?(?:[a-z]{2,5}|(?:gmt|utc)[+-]\d{1,2}(?::?\d{2})?)\)?)?",
        r"\b\d{1,2}\s*[ap]\.?m\b\.?",
        r"\b\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?)\s+ago\b",
    )
)
#: A paragraph that, without its dates and times, has at most this many words and
#: says what the time is ("Last updated at", "Published") is a timestamp line.
TIMESTAMP_LINE_WORDS = 8
_TIMESTAMP_WORDS_RE = re.compile(
    r"\b(?:updated?|published|posted|modified|edited|revised|first|last|as of|time)\b",
    re.IGNORECASE,
)


def fold_typography(text: str) -> str:
    """``text`` with the differences that are only typography taken out."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = _SPACE_RE.sub(" ", text).strip()
    text = _SPACED_DASH_RE.sub("-", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    return _COMMA_RE.sub("", text)


def _without_timestamps(paragraph: str) -> str:
    for pattern in _TIMESTAMP_RES:
        paragraph = pattern.sub(" ", paragraph)
    return _SPACE_RE.sub(" ", paragraph).strip()


def fold_timestamp_line(paragraph: str) -> str:
    """A timestamp paragraph with its dates and times taken out; others unchanged."""
    bare = _without_timestamps(paragraph)
    if (
        bare != paragraph.strip()
        and len(bare.split()) <= TIMESTAMP_LINE_WORDS
        and _TIMESTAMP_WORDS_RE.search(bare)
    ):
        return bare + " <time>"
    return paragraph


@functools.lru_cache(maxsize=4096)
def _folded_paragraph(paragraph: str) -> str | None:
    """One paragraph folded, or None when it does not count (empty, furniture).

    Cached: a revision shares most paragraphs with the one before, so recording
    a run of revisions folds each paragraph once (eight timestamp patterns and
    the furniture patterns per paragraph were a tenth of a recording's time)."""
    paragraph = fold_typography(paragraph)
    if not paragraph or furniture_kind(paragraph):
        return None
    return fold_timestamp_line(paragraph)


def fold_paragraphs(text: str) -> list[str]:
    """The paragraphs that count, each folded: furniture dropped, typography and
    timestamp lines folded."""
    return [folded for folded in map(_folded_paragraph, text.split("\n\n")) if folded is not None]


def is_minor_change(old: Mapping[str, str], new: Mapping[str, str]) -> bool:
    """True when ``new`` differs from ``old`` (dicts of FIELDS) only in typography,
    furniture or timestamps. Identical versions are not a change at all: False."""
    if all((old.get(f) or "").strip() == (new.get(f) or "").strip() for f in FIELDS):
        return False
    return all(
        fold_paragraphs(old.get(f) or "") == fold_paragraphs(new.get(f) or "") for f in FIELDS
    )
