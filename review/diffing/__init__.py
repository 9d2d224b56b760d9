"""Sentence-level alignment of two revisions, word-level diffs inside sentences.

Pure package: plain strings and dicts in and out, no Django, no spaCy.

- :mod:`~review.diffing.folding`: sentences folded for matching (whitespace,
  quote marks, dashes), word sets and their similarity;
- :mod:`~review.diffing.tokens`: the word-level diff inside two sentences;
- :mod:`~review.diffing.align`: the sentence alignment (exact matches, moves,
  similar pairs, splits and merges), with the heaviest in-order chain of
  links in :mod:`~review.diffing.chain`;
- :mod:`~review.diffing.rewritten`: a passage of several sentences rewritten
  into several others, as one op;
- :mod:`~review.diffing.numbers`: figures removed from and added to a sentence;
- :mod:`~review.diffing.entities`: entities removed from and added to a passage
  (figures left to the numbers);
- :mod:`~review.diffing.attributions`: attributions added, removed or changed;
- :mod:`~review.diffing.document`: the ``newsdesk.diff/1`` object.

Callers use the names below: ``from review import diffing; diffing.align(...)``.
docs/DIFF.md describes the rules.
"""

from __future__ import annotations

from review.diffing.align import (
    FULL_GAP_CELLS,
    GAP_BAND,
    INDEX_CANDIDATES,
    INDEX_MAX_POSTINGS,
    INDEX_WORDS,
    MAX_PARTS,
    MOVED_SIMILARITY_THRESHOLD,
    OPS,
    SIMILARITY_THRESHOLD,
    Op,
    align,
    summarize,
)
from review.diffing.attributions import (
    ALIGNED_BONUS,
    EDITED_CONTENT,
    HONORIFICS,
    OVERREACH_MIN_WORDS,
    SAME_CONTENT,
    SentencePairs,
    Span,
    attribution_changes,
)
from review.diffing.chain import heaviest_chain
from review.diffing.document import SCHEMA, diff_document
from review.diffing.entities import NUMERIC_LABELS, changed_entities
from review.diffing.folding import PART_CONTAINMENT, match_key, similarity
from review.diffing.numbers import changed_numbers, numbers
from review.diffing.rewritten import MAX_REWRITE, REWRITE_SIMILARITY, group_rewritten
from review.diffing.tokens import Segment, tokenize, word_diff

__all__ = [
    "ALIGNED_BONUS",
    "EDITED_CONTENT",
    "FULL_GAP_CELLS",
    "GAP_BAND",
    "HONORIFICS",
    "INDEX_CANDIDATES",
    "INDEX_MAX_POSTINGS",
    "INDEX_WORDS",
    "MAX_PARTS",
    "MAX_REWRITE",
    "MOVED_SIMILARITY_THRESHOLD",
    "NUMERIC_LABELS",
    "OPS",
    "OVERREACH_MIN_WORDS",
    "PART_CONTAINMENT",
    "REWRITE_SIMILARITY",
    "SAME_CONTENT",
    "SCHEMA",
    "SIMILARITY_THRESHOLD",
    "Op",
    "Segment",
    "SentencePairs",
    "Span",
    "align",
    "attribution_changes",
    "changed_entities",
    "changed_numbers",
    "diff_document",
    "group_rewritten",
    "heaviest_chain",
    "match_key",
    "numbers",
    "similarity",
    "summarize",
    "tokenize",
    "word_diff",
]
