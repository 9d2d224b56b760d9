"""Flags on attributions: what an editor should look at (docs/ANALYSIS.md).

Analysis internals. ``speaker-mentioned-once``: a named person quoted but
named only once in the article. ``speaker-switch``: a sentence that reads as
a continuation of the one before ("In particular, ...", "He also ...") has
another speaker. (``unattributed-quote`` is set by the quote rule itself.)
"""

from __future__ import annotations

import re

from articles.analysis import lexicon
from articles.analysis.document import Document, Found

CONTINUATION = re.compile(
    "^(" + "|".join(re.escape(term) for term in lexicon.terms("continuations")) + r")\b",
    re.IGNORECASE,
)


def flag(d: Document) -> None:
    """Add the flags to every attribution found in ``d``."""
    by_sentence: dict[int, list[Found]] = {}
    for item in d.found:
        by_sentence.setdefault(item.sentence, []).append(item)
        if item.speaker_is_person and item.speaker_name:
            if d.entities.counts.get(item.speaker_name, 0) <= 1:
                item.flags.add("speaker-mentioned-once")
    for number, items in by_sentence.items():
        if number == 0 or (number - 1) not in by_sentence:
            continue
        start, end = d.sent_bounds[number]
        opening = d.doc[start:end].text.lstrip(" \t\"“‘'")
        if not CONTINUATION.match(opening):
            continue
        before = {_speaker_key(d.text, prev) for prev in by_sentence[number - 1]}
        before.discard(None)
        for item in items:
            key = _speaker_key(d.text, item)
            if key is not None and before and key not in before:
                item.flags.add("speaker-switch")


def _speaker_key(text: str, item: Found) -> str | None:
    if item.speaker_name:
        return item.speaker_name.lower()
    if item.speaker is not None:
        return text[item.speaker[0] : item.speaker[1]].lower()
    return None
