"""Sentences folded for matching, and compared by their words.

Pure: plain strings. Two sentences are "the same" when they differ only in
whitespace, quote marks, dashes, the ellipsis or invisible characters; ops
and token diffs always keep the exact texts. Similarity is the Dice
coefficient of the two sets of case-folded words.
"""

from __future__ import annotations

import re
import unicodedata

#: Each half of a split (or merge) must share this share of its words with the
#: sentence on the other side.
PART_CONTAINMENT = 0.5

WORD_RE = re.compile(r"\w+")

#: Typographic variants folded for matching: curly quotes and primes, dashes,
#: the ellipsis, invisible characters (soft hyphen, zero-width spaces, BOM).
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u2026": "...",
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
    }
)
_DASH_RE = re.compile(r"\s*-{2,}\s*|\s+-\s*|\s*-\s+")


def key(sentence: str) -> str:
    """Whitespace-normalised form used to recognise identical sentences."""
    return " ".join(sentence.split())


def match_key(sentence: str) -> str:
    """The form under which two sentences are "the same" for matching.

    Whitespace runs, quote marks, dashes (spaced or not, "--" or an em dash)
    and the ellipsis are folded, so a typographic revision still matches.
    Only for matching: ops and token diffs always keep the exact texts.
    """
    return fold(" ".join(sentence.split()))


def fold(normalised: str) -> str:
    """``match_key`` of a whitespace-normalised ``key`` (itself when plain ASCII)."""
    if not normalised.isascii():
        normalised = " ".join(
            unicodedata.normalize("NFKC", normalised.translate(_TYPOGRAPHY)).split()
        )
    return _DASH_RE.sub("-", normalised) if "-" in normalised else normalised


def words(text: str) -> frozenset[str]:
    """The case-folded words of ``text``."""
    return frozenset(WORD_RE.findall(text.casefold()))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two word sets (1.0 for two empty ones)."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    return 2.0 * len(a & b) / total


def contained(part: frozenset[str], whole: frozenset[str]) -> bool:
    """Whether at least ``PART_CONTAINMENT`` of ``part``'s words are in ``whole``."""
    return bool(part) and len(part & whole) >= PART_CONTAINMENT * len(part)


def similarity(a: str, b: str) -> float:
    """Word-set similarity of two sentences in [0, 1] (Dice coefficient)."""
    return dice(words(a), words(b))
