"""The analysis as plain data: the one vocabulary ``articles`` and ``review`` share.

An analysis is JSON-ready dicts and lists with character offsets (Python
``str`` indices) into the analysed text; this module only names their shapes.
The machine interface (``manage.py analyse``, DESIGN.md) prints these objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

__all__ = [
    "Analysis",
    "Attribution",
    "AttributionKind",
    "Entity",
    "KnownName",
    "Sentence",
    "Span",
]

AttributionKind = Literal["direct", "indirect", "mixed"]


class Sentence(TypedDict):
    """A sentence: whitespace trimmed, never across a line break."""

    start: int
    end: int


class Span(TypedDict):
    """A stretch of the text and the text itself (``text == analysed[start:end]``)."""

    start: int
    end: int
    text: str


class Entity(TypedDict):
    """A named-entity mention with its spaCy label (PERSON, ORG, GPE, NORP, MONEY...)."""

    start: int
    end: int
    label: str
    text: str


class Attribution(TypedDict):
    """Who (speaker) said (cue) what (content); flags ask an editor for a look."""

    speaker: Span | None
    cue: Span
    content: Span
    kind: AttributionKind
    speaker_name: str | None
    flags: list[str]


class Analysis(TypedDict):
    """Sentences, entities and attributions of one text, in text order."""

    sentences: list[Sentence]
    entities: list[Entity]
    attributions: list[Attribution]


@dataclass(frozen=True)
class KnownName:
    """A name from the People / Sources registry, fed to NER and resolution."""

    name: str
    label: str = "PERSON"
    aliases: tuple[str, ...] = ()
