"""Attribution forms that a whole line makes, placed in the parsed text.

Analysis internals: :mod:`articles.analysis.lines` finds the forms on plain
strings; this module turns them into attributions of the document (a
``Found`` each) and keeps the rules that read tokens off their words.

- transcript labels ("MODERATOR: Do you accept the result?"): the content is
  marked as quoted, so no rule reads a cue inside it;
- signature lines after a quotation ("— Dana Whitfield, a nurse in Leeds");
- title-case headlines ("Mayor Says Budget Will Balance by Spring").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from articles.analysis import lexicon, lines
from articles.analysis.document import Document, Found
from articles.analysis.entities import strip_name
from articles.analysis.quotes import Offsets

if TYPE_CHECKING:
    from articles.analysis.types import AttributionKind

_LINE = re.compile(r"[^\r\n]+")
# Labels that name a speaker by role ("MODERATOR:", "HOST:"); any label counts when
# the text has two label lines or more (a transcript), a lone one only by role.
_ROLE_LABELS = (
    lexicon.words("role_nouns") | lexicon.words("titles") | lexicon.words("transcript_role_labels")
)


def span_name(d: Document, span: Offsets) -> tuple[str | None, bool]:
    """The name a speaker span stands for: a person named in it, else its words."""
    first, last = d.token_at(span[0]), d.token_at(span[1] - 1)
    for index in range(last, first - 1, -1):
        person = d.entities.person_at(index)
        if person is not None:
            return person.canonical or d.entities.canonical_person(person.text), True
    return strip_name(d.text[span[0] : span[1]]) or None, False


def label_name(d: Document, label: str) -> str | None:
    """The person a transcript label names by surname ("ADLER" for Naomi Adler)."""
    last = label.split()[-1].casefold() if label.split() else ""
    for mention in d.entities.mentions:
        if mention.label == "PERSON":
            name = mention.canonical or d.entities.canonical_person(mention.text)
            if " " in name and name.split()[-1].casefold() == last:
                return name
    return None


def record(
    d: Document, speaker: Offsets, cue: Offsets, content: Offsets, kind: AttributionKind
) -> Found:
    """Remember an attribution whose speaker is a span of the text."""
    name, is_person = span_name(d, speaker)
    if not is_person:
        person = label_name(d, d.text[speaker[0] : speaker[1]])
        name, is_person = (person, True) if person is not None else (name, False)
    found = Found(
        speaker=speaker,
        cue=cue,
        content=content,
        kind=kind,
        speaker_name=name,
        sentence=d.sent_of[d.token_at(cue[0])],
        speaker_is_person=is_person,
    )
    d.remember(found)
    return found


def transcripts(d: Document) -> None:
    """Transcript label lines: the label speaks, the rest of its line is content."""
    found: list[tuple[int, lines.LineAttribution]] = []
    for line in _LINE.finditer(d.text):
        form = lines.transcript_label(line.group())
        if form is not None:
            found.append((line.start(), form))
    for base, form in found:
        label = d.text[base + form.speaker[0] : base + form.speaker[1]]
        if len(found) < 2 and not _role_label(label):
            continue  # a lone "NEW DELHI:" is a dateline, not a speaker
        content = (base + form.content[0], base + form.content[1])
        record(
            d,
            (base + form.speaker[0], base + form.speaker[1]),
            (base + form.cue[0], base + form.cue[1]),
            content,
            "direct",
        )
        for index in range(d.token_at(content[0]), d.token_at(content[1] - 1) + 1):
            d.quoted[index] = True


def _role_label(label: str) -> bool:
    words = label.lower().replace(".", "").split()
    return bool(words) and words[-1] in _ROLE_LABELS


def signed_quote(d: Document, close_at: int, inside: Offsets) -> bool:
    """A quotation that ends its line, followed by a signature line ("— Dana
    Whitfield, a nurse in Leeds"): the signed name is the speaker."""
    line_end = d.text.find("\n", close_at)
    if line_end < 0 or d.text[close_at + 1 : line_end].strip(" \t.,") != "":
        return False
    line_start = line_end + 1
    while line_start < len(d.text) and d.text[line_start] in "\r\n":
        line_start += 1
    next_end = d.text.find("\n", line_start)
    next_end = len(d.text) if next_end < 0 else next_end
    form = lines.signature(d.text[line_start:next_end])
    if form is None:
        return False
    dash, name = form
    record(
        d,
        (line_start + name[0], line_start + name[1]),
        (line_start + dash[0], line_start + dash[1]),
        inside,
        "direct",
    )
    return True


def headlines(d: Document) -> None:
    """Title-case headline lines with a cue word and no attribution found on them."""
    for line in _LINE.finditer(d.text):
        form = lines.headline(line.group())
        if form is None:
            continue
        start, end = line.span()
        if any(start <= item.cue[0] < end for item in d.found):
            continue
        base = start
        record(
            d,
            (base + form.speaker[0], base + form.speaker[1]),
            (base + form.cue[0], base + form.cue[1]),
            (base + form.content[0], base + form.content[1]),
            "indirect",
        )
