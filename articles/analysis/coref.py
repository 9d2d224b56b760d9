"""Pronouns and group words resolved to the speaker they stand for.

Analysis internals, over spaCy tokens. "He"/"she" is the salient person
before it (the latest subject, else the latest mention), else the named
speaker of a recent attribution; "they" is the plural speaker just before;
"It said" is the body (a ministry, a company) that spoke just before.
He/she agree in gender with the person they stand for, as far as it is known:
from a courtesy title ("Mrs", "Sir") or a first name in the lexicon's name
lists; a person of unknown gender is never skipped. A thing ("the index",
"a speech": ``non_agents``) is never what "it" stands for as a speaker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from articles.analysis import lexicon
from articles.analysis.document import Document, Found

if TYPE_CHECKING:
    from spacy.tokens import Token

PERSON_PRONOUNS = lexicon.words("person_pronouns")
MASCULINE = lexicon.words("masculine_pronouns")
FEMININE = lexicon.words("feminine_pronouns")
NON_AGENTS = lexicon.words("non_agents")
_FIRST_NAMES = {
    **dict.fromkeys(lexicon.words("male_first_names"), "m"),
    **dict.fromkeys(lexicon.words("female_first_names"), "f"),
}
_TITLES = {
    **dict.fromkeys(lexicon.words("masculine_titles"), "m"),
    **dict.fromkeys(lexicon.words("feminine_titles"), "f"),
}


def name_gender(words: list[str]) -> str | None:
    """ "m", "f" or None (unknown) for a name's words, a title first if any.

    Pure: "Mrs Ortiz" is "f", "Tom Baker" "m", "Ortiz" and "Kim Lee" None.
    """
    for word in words[:2]:
        lower = word.lower()
        if lower in _TITLES:
            return _TITLES[lower]
        if lower.rstrip(".") in _FIRST_NAMES:
            return _FIRST_NAMES[lower.rstrip(".")]
        if not lower.endswith("."):
            break  # only a title (or an initial) comes before the first name
    return None


def pronoun_gender(pronoun: str) -> str | None:
    """ "m" for he/him/his, "f" for she/her/hers, None for any other word."""
    lower = pronoun.lower()
    return "m" if lower in MASCULINE else "f" if lower in FEMININE else None


def person_genders(d: Document) -> dict[str, str]:
    """The known gender of each person named in ``d``, by canonical name; a person
    named with both a man's and a woman's title or name is left out (unknown)."""
    if d.genders is not None:
        return d.genders
    seen: dict[str, set[str]] = {}
    for mention in d.entities.mentions:
        if mention.label != "PERSON":
            continue
        name = mention.canonical or d.entities.canonical_person(mention.text)
        words = [d.doc[mention.start - 1].text] if mention.start > 0 else []
        words = [w for w in words if w.lower() in _TITLES]
        gender = name_gender(words or name.split()) or name_gender(mention.text.split())
        if gender is not None:
            seen.setdefault(name, set()).add(gender)
    d.genders = {name: next(iter(g)) for name, g in seen.items() if len(g) == 1}
    return d.genders


def _a_thing(token: Token) -> bool:
    """A common noun naming a thing ("the index"), never a speaker."""
    return token.pos_ == "NOUN" and token.lemma_.lower() in NON_AGENTS


def agrees(d: Document, pronoun: Token, name: str | None) -> bool:
    """Whether ``pronoun`` can stand for the person ``name`` (unknown never blocks)."""
    wanted = pronoun_gender(pronoun.lower_)
    if wanted is None or name is None:
        return True
    known = person_genders(d).get(name)
    return known is None or known == wanted


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
            if not agrees(d, pronoun, name):
                continue  # "she" never stands for a man, "he" never for a woman
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
            and agrees(d, pronoun, item.speaker_name)
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
            and not _a_thing(d.doc[d.token_at(item.speaker[1] - 1)])
            and item.cue[0] < pronoun.idx
            and (best is None or item.cue[0] > best.cue[0])
        ):
            best = item
    return best.speaker_name if best else None
