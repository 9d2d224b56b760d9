"""Pronouns and group words resolved to the speaker they stand for.

Analysis internals, over spaCy tokens. "He"/"she" is the salient person
before it (the latest subject, else the latest mention), else the named
speaker of a recent attribution; "they" is the plural speaker just before;
"It said" is the body (a ministry, a company) that spoke just before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from articles.analysis import lexicon
from articles.analysis.document import Document, Found

if TYPE_CHECKING:
    from spacy.tokens import Token

PERSON_PRONOUNS = lexicon.words("person_pronouns")


def recent(d: Document, token: Token, back: int) -> list[Found]:
    """Attributions in the ``back`` sentences before ``token``'s and its own."""
    sentence = d.sent_of[token.i]
    first = sentence
    while first > 0 and d.wordy[sentence] - d.wordy[first - 1] <= back:
        first -= 1
    return [item for number in range(first, sentence + 1) for item in d.by_sentence.get(number, ())]


def resolve_pronoun(d: Document, pronoun: Token) -> str | None:
    """The salient person before ``pronoun``: latest subject, else latest mention."""
    sentence = d.sent_of[pronoun.i]
    for number in range(sentence, max(-1, sentence - 4), -1):
        start, end = d.sent_bounds[number]
        end = min(end, pronoun.i)
        fallback = None
        for index in range(end - 1, start - 1, -1):
            mention = d.entities.person_at(index)
            if mention is None or index != mention.end - 1 or d.quoted[index]:
                continue  # a name inside quoted words is not a referent
            head = d.doc[index]
            name = mention.canonical or d.entities.canonical_person(mention.text)
            if head.dep_ in ("nsubj", "nsubjpass") or (
                head.dep_ in ("poss", "appos") and head.head.dep_ in ("nsubj", "nsubjpass")
            ):
                return name
            fallback = fallback or name
        if fallback is not None and number < sentence:
            return fallback
        if fallback is not None and number == sentence:
            return fallback
    return None


def previous_speaker(d: Document, pronoun: Token) -> str | None:
    """The named speaker of the nearest earlier attribution in the last sentences."""
    best: Found | None = None
    for item in recent(d, pronoun, 5):
        if (
            item.speaker_name
            and item.speaker is not None
            and item.cue[0] < pronoun.idx
            and (
                d.doc[d.token_at(item.speaker[1] - 1)].pos_ == "PROPN"
                or d.text[item.speaker[0] : item.speaker[1]].lower() in PERSON_PRONOUNS
            )
            and (best is None or item.cue[0] > best.cue[0])
        ):
            best = item
    return best.speaker_name if best else None


def previous_group(d: Document, pronoun: Token) -> str | None:
    """ "They said": the plural speaker of an attribution in this or the last sentence."""
    best: Found | None = None
    for item in recent(d, pronoun, 1):
        if (
            item.speaker_plural
            and item.speaker_name
            and item.cue[0] < pronoun.idx
            and (best is None or item.cue[0] > best.cue[0])
        ):
            best = item
    return best.speaker_name if best else None


def previous_body(d: Document, pronoun: Token) -> str | None:
    """ "It said": the named non-person speaker (a ministry, a company) just before."""
    best: Found | None = None
    for item in recent(d, pronoun, 1):
        if (
            not item.speaker_plural
            and not item.speaker_is_person
            and item.speaker_name
            and item.speaker is not None
            and d.doc[d.token_at(item.speaker[1] - 1)].pos_ in ("NOUN", "PROPN")
            and item.cue[0] < pronoun.idx
            and (best is None or item.cue[0] > best.cue[0])
        ):
            best = item
    return best.speaker_name if best else None
