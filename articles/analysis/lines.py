"""Attributions a whole line makes: transcript labels, signature lines, headlines.

Pure: plain strings in, character offsets (into the line) out; no spaCy. The
rules in :mod:`articles.analysis.rules` place them in the text.

- A *transcript label* opens a line: an all-capitals label (or ``Q``/``A``)
  and a colon, then what was said ("MODERATOR: Do you accept the result?").
  Labels that name a part of the page ("UPDATE:", "READ MORE:") are not
  speakers (``transcript_labels_not_speakers``).
- A *signature line* follows a quotation: a dash and a name, then perhaps a
  comma and a description ("— Dana Whitfield, a nurse in Leeds").
- A *title-case headline* is a line of capitalised words without a full stop,
  with a cue word from ``headline_cues``: "Mayor Says Budget Will Balance by
  Spring" or "Budget Will Balance by Spring, Mayor Says".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.analysis import lexicon

Offsets = tuple[int, int]

NOT_SPEAKERS = lexicon.words("transcript_labels_not_speakers")
HEADLINE_CUES = lexicon.words("headline_cues")

_LABEL = re.compile(
    r"^(?P<lead>\s*)(?P<label>Q|A|[A-Z][A-Z.'’\-]*(?: [A-Z][A-Z.'’\-]*){0,3})"
    r"\s*:[ \t]+(?P<rest>\S.*?)\s*$"
)
_SIGNATURE = re.compile(
    r"^\s*(?P<dash>[—–―]|--?)\s*"
    r"(?P<name>[A-Z][\w.'’\-]*(?: (?:[A-Z][\w.'’\-]*|de|da|van|von|der|del|al|bin|le|la)){0,4})"
    r"\s*(?:,.*)?$"
)
_WORD = re.compile(r"[\w'’.\-]+")
# Short words a title-case headline may leave in lower case.
_MINOR = frozenset(
    "a an and as at but by for from in into of on or over the to up with vs via nor per".split()
)
_MAX_HEADLINE_WORDS = 16


@dataclass(frozen=True)
class LineAttribution:
    """Who said what on one line: offsets into the line."""

    speaker: Offsets
    cue: Offsets
    content: Offsets


def transcript_label(line: str) -> LineAttribution | None:
    """ "MODERATOR: Do you accept the result?": the label speaks, the colon is the
    cue, the rest of the line is the content (at least two words)."""
    match = _LABEL.match(line)
    if match is None:
        return None
    label = match.group("label")
    if label.lower().rstrip(".") in NOT_SPEAKERS or not any(ch.isalpha() for ch in label):
        return None
    rest = match.group("rest")
    if len(_WORD.findall(rest)) < 2:
        return None
    colon = line.index(":", match.end("label"))
    return LineAttribution(
        speaker=match.span("label"), cue=(colon, colon + 1), content=match.span("rest")
    )


def signature(line: str) -> tuple[Offsets, Offsets] | None:
    """ "— Dana Whitfield, a nurse in Leeds": (the dash, the name) in the line."""
    match = _SIGNATURE.match(line)
    if match is None:
        return None
    return match.span("dash"), match.span("name")


def _title_case(words: list[re.Match[str]]) -> bool:
    """Whether every word but short function words is capitalised (3 words or more)."""
    if not 3 <= len(words) <= _MAX_HEADLINE_WORDS:
        return False
    for word in words:
        text = word.group()
        if text[0].isalpha() and not text[0].isupper() and text.lower() not in _MINOR:
            return False
    return sum(word.group()[0].isupper() for word in words) >= 3


def headline(line: str) -> LineAttribution | None:
    """A title-case headline with a cue word: speaker before it and content after
    ("Mayor Says Budget Will Balance"), or content, a comma, speaker and cue last
    ("Budget Will Balance, Mayor Says")."""
    text = line.rstrip()
    if not text or text[-1] == "." or "\n" in text:
        return None
    words = list(_WORD.finditer(text))
    if not _title_case(words):
        return None
    for n, word in enumerate(words):
        if word.group().lower() not in HEADLINE_CUES:
            continue
        if n == len(words) - 1:
            comma = text.rfind(",", 0, word.start())
            speaker_words = [w for w in words[:n] if w.start() > comma]
            if comma < 0 or not 1 <= len(speaker_words) <= 5:
                return None
            return LineAttribution(
                speaker=(speaker_words[0].start(), speaker_words[-1].end()),
                cue=word.span(),
                content=(words[0].start(), comma),
            )
        if 1 <= n <= 5 and len(words) - n - 1 >= 2 and "," not in text[: word.start()]:
            return LineAttribution(
                speaker=(words[0].start(), words[n - 1].end()),
                cue=word.span(),
                content=(words[n + 1].start(), len(text)),
            )
        return None
    return None
