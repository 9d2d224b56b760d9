"""Speakers: the token that speaks for a cue, its phrase, and the name it stands for.

Analysis internals, over spaCy tokens. The speaker of a verb is its subject
(the nearer one when the parse gives two), the agent of a passive, or the
speaker inherited through conjunctions, control verbs, participles and
relative clauses. Its name resolves appositions ("Its chairman, Patrick
Doyle"), registry names, named examples ("leaders such as X") and, through
:mod:`articles.analysis.coref`, pronouns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from articles.analysis import coref, lexicon
from articles.analysis.cues import STRONG_SAY, is_cue_verb, reporting_head
from articles.analysis.document import Document
from articles.analysis.entities import Mention, strip_name
from articles.analysis.quotes import Offsets

if TYPE_CHECKING:
    from spacy.tokens import Token

PERSON_PRONOUNS = coref.PERSON_PRONOUNS
PLURAL_PRONOUNS = lexicon.words("plural_pronouns")
# A possessor of these nouns is the speaker: "His discussions ... emphasized".
SPEECH_EVENT_NOUNS = lexicon.words("speech_event_nouns")
CONTROL_OBJECT_VERBS = lexicon.words("control_object_verbs")
# "the 39-year-old said": a definite description that refers back like a pronoun.
AGE_NOUN = re.compile(r"^the \d+-year-old$", re.IGNORECASE)
# Fronted adverbial words the parser makes a subject's modifier ("Outside court, a
# spokesperson ... said"): the apposition is the speaker.
FRONTED_PLACE = lexicon.words("fronted_place_words")
RELATIVE = lexicon.words("relative_words")
_MAX_DEPTH = 6


def noun_phrase(d: Document, token: Token) -> Offsets:
    """The phrase of a speaker: its subtree without relative clauses or appositions."""
    right = token.i
    if d.entities.person_at(token.i) is None:
        for child in token.rights:
            named = appositive_person(d, child)
            if named is not None:
                # "Its chairman, Patrick Doyle": the name belongs to the speaker.
                left = token.left_edge.i
                while left < token.i and d.doc[left].is_punct:
                    left += 1
                return d.chars(left, named.end - 1)
    for child in token.rights:
        if (
            child.dep_ == "appos"
            and child.i == right + 1
            and child.pos_ == "PROPN"
            and child.left_edge.i == child.i
        ):
            right = child.right_edge.i  # "The airport operator Aena": no comma
            continue
        if child.dep_ in ("relcl", "appos", "acl", "advcl", "punct", "case") or child.is_space:
            break
        right = child.right_edge.i
    left = token.left_edge.i
    while left < token.i and (d.doc[left].is_punct or d.doc[left].is_space):
        left += 1
    while right > token.i and (d.doc[right].is_punct or d.doc[right].is_space):
        right -= 1
    return d.chars(left, right)


def speaker_token(verb: Token, depth: int = 0) -> Token | None:
    """The token heading the speaker of ``verb`` (None when there is none)."""
    if depth > _MAX_DEPTH:
        return None
    subject, agent = _subject_and_agent(verb)
    if subject is not None:
        return _subject_speaker(verb, subject)
    if agent is not None:
        return agent
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return None
    if verb.head is verb:
        return None
    return _inherited_speaker(verb, depth)


def _subject_and_agent(verb: Token) -> tuple[Token | None, Token | None]:
    """The verb's subject and the object of its passive agent ("by ..."), if any."""
    agent = None
    subject = None
    for child in verb.children:
        # Two subjects is a parse error; the nearer one is the speaker
        # ("..., nearly three times the number ..., the health ministry said").
        if child.dep_ == "nsubj" and (
            subject is None or abs(child.i - verb.i) < abs(subject.i - verb.i)
        ):
            subject = child
        if child.dep_ == "agent":
            agent = next((g for g in child.children if g.dep_ == "pobj"), None)
    return subject, agent


def _subject_speaker(verb: Token, subject: Token) -> Token | None:
    """The speaker a subject stands for: a relative's antecedent, a fronted
    place's apposition, nobody for "it emerged that", else the subject."""
    if subject.lower_ in RELATIVE and verb.dep_ == "relcl":
        return verb.head
    if any(
        c.dep_ in ("amod", "advmod") and c.i == subject.left_edge.i and c.lower_ in FRONTED_PLACE
        for c in subject.children
    ):
        appos = next((c for c in subject.rights if c.dep_ == "appos"), None)
        if appos is not None:
            return appos
    if (
        subject.lower_ == "it"
        and any(c.dep_ == "ccomp" for c in verb.children)
        and not (verb.lemma_.lower() in STRONG_SAY and subject.i < verb.i)
    ):
        return None  # "it emerged that ...", not "It said that ..."
    return subject


def _inherited_speaker(verb: Token, depth: int) -> Token | None:
    """The speaker of a subjectless verb, from the verb it hangs off."""
    head = verb.head
    if verb.dep_ == "conj":
        outer = reporting_head(head)
        if outer is not None and verb.lemma_.lower() in STRONG_SAY:
            return speaker_token(outer, depth + 1)
        return speaker_token(head, depth + 1)
    if verb.dep_ == "xcomp":
        if head.lemma_.lower() in CONTROL_OBJECT_VERBS:
            obj = next((c for c in head.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                return obj
        return speaker_token(head, depth + 1)
    if verb.dep_ in ("advcl", "acl") and verb.tag_ == "VBG":
        return _participle_speaker(verb, depth)
    return None


def _participle_speaker(verb: Token, depth: int) -> Token | None:
    """ "..., adding that ...": the noun it modifies, the speaker of the cue above
    it, else the nearest subject up the tree."""
    head = verb.head
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return head
    ancestor = head
    steps = 0
    while steps < _MAX_DEPTH:
        if is_cue_verb(ancestor):
            return speaker_token(ancestor, depth + 1)
        if ancestor.head is ancestor:
            break
        ancestor = ancestor.head
        steps += 1
    ancestor = head
    for _ in range(_MAX_DEPTH):
        subject = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
        if ancestor.head is ancestor:
            break
        ancestor = ancestor.head
    return None


def speaker_person(d: Document, token: Token) -> Mention | None:
    """The named person a speaker phrase stands for: the head or an apposition."""
    person = d.entities.person_at(token.i)
    if person is not None:
        return person
    for child in token.rights:
        if child.dep_ == "appos":
            return appositive_person(d, child)
    return None


def appositive_person(d: Document, child: Token) -> Mention | None:
    """The person an apposition names, also one level down ("The first witness,
    the charity's former chief executive Susan Thorne")."""
    if child.dep_ != "appos":
        return None
    person = d.entities.person_at(child.i)
    if person is None and child.pos_ == "NOUN":
        inner = next((c for c in child.rights if c.dep_ == "appos"), None)
        if inner is not None:
            person = d.entities.person_at(inner.i)
    return person


def speaker_name(d: Document, token: Token) -> tuple[str | None, bool]:
    """Canonical speaker name and whether it is a named person mention."""
    lower = token.lower_
    phrase = noun_phrase(d, token)
    if AGE_NOUN.match(d.text[phrase[0] : phrase[1]]):
        return coref.resolve_pronoun(d, token) or coref.previous_speaker(d, token), False
    if token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$"):
        return _pronoun_name(d, token), False
    person = speaker_person(d, token)
    if person is not None:
        return (person.canonical or d.entities.canonical_person(person.text)), True
    if lower in SPEECH_EVENT_NOUNS:
        for child in token.children:
            if child.dep_ == "poss":
                name, _ = speaker_name(d, child)
                if name is not None:
                    return name, False
    mention = d.entities.by_token.get(token.i)
    if mention is not None and mention.canonical:
        return mention.canonical, False
    example = named_example(d, token)
    if example is not None:
        return example, True
    start, end = noun_phrase(d, token)
    return strip_name(d.text[start:end]) or None, False


def _pronoun_name(d: Document, token: Token) -> str | None:
    """The name a pronoun speaker stands for: a person, a group or a body."""
    lower = token.lower_
    if lower in PERSON_PRONOUNS:
        return coref.resolve_pronoun(d, token) or coref.previous_speaker(d, token)
    if lower in PLURAL_PRONOUNS:
        return coref.previous_group(d, token)
    if lower == "it":
        return coref.previous_body(d, token)
    return None


def named_example(d: Document, token: Token) -> str | None:
    """The one person named as the example of a group speaker
    ("figures like Emmanuel Macron", "leaders such as X", "officials including X")."""
    for prep in token.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("like", "including", "such", "as"):
            continue
        if prep.lower_ == "as" and d.doc[max(0, prep.i - 1)].lower_ != "such":
            continue
        heads = [prep, *(c for c in prep.children if c.lower_ == "as")]
        objects = [c for h in heads for c in h.children if c.dep_ == "pobj"]
        if len(objects) != 1 or any(c.dep_ == "conj" for c in objects[0].children):
            continue
        person = d.entities.person_at(objects[0].i)
        if person is not None:
            return person.canonical or d.entities.canonical_person(person.text)
    return None
