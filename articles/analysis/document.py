"""One parsed text as the attribution rules see it, and what they found so far.

Analysis internals: holds the spaCy ``Doc`` (never returned from the
package) with the lookups the rules share: token starts, sentence of each
token, which tokens are inside a quotation, the cues already used and the
attributions found so far (which pronoun resolution reads back).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from articles.analysis import lexicon
from articles.analysis.quotes import CLOSE_MARKS, OPEN_MARKS, Offsets

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from articles.analysis.entities import Entities
    from articles.analysis.types import AttributionKind


@dataclass
class Found:
    """An attribution found by a rule, in character offsets."""

    speaker: Offsets | None
    cue: Offsets
    content: Offsets
    kind: AttributionKind
    speaker_name: str | None
    sentence: int
    speaker_is_person: bool = False
    speaker_plural: bool = False
    flags: set[str] = field(default_factory=set)


# Verb forms the model lemmatises wrongly ("hopes" -> "hop"), and their lemma.
LEMMA_FIXES = {form: lemma for form, (lemma,) in lexicon.table("verb_lemma_fixes").items()}
_LEMMA_FIX_FORMS = re.compile(
    r"\b(?:" + "|".join(re.escape(form) for form in LEMMA_FIXES) + r")\b", re.IGNORECASE
)


class Document:
    """One document's attribution pass: the parse, its lookups and the findings."""

    def __init__(self, doc: Doc, entities: Entities, *, text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text
        self.entities = entities
        # The doc's tokens, made once (spaCy makes a new Token at every ``doc[i]``).
        self.tokens = list(doc)
        self.starts = [token.idx for token in self.tokens]
        if _LEMMA_FIX_FORMS.search(self.text):
            for token in self.tokens:
                if token.lower_ in LEMMA_FIXES and token.pos_ == "VERB":
                    token.lemma_ = LEMMA_FIXES[token.lower_]
        self.sent_of: list[int] = [0] * len(doc)
        self.sent_bounds: list[tuple[int, int]] = []
        # Number of sentences with words up to each sentence: a closing quote mark
        # the parser splits off ('"' + paragraph break) is not a sentence back.
        self.wordy: list[int] = []
        for number, sent in enumerate(doc.sents):
            self.sent_bounds.append((sent.start, sent.end))
            has_words = any(t.is_alpha or t.like_num for t in sent)
            self.wordy.append((self.wordy[-1] if self.wordy else 0) + has_words)
            for index in range(sent.start, sent.end):
                self.sent_of[index] = number
        self.quoted: list[bool] = [False] * len(doc)
        self.used_cues: set[int] = set()
        self.found: list[Found] = []
        self.by_sentence: dict[int, list[Found]] = {}
        # Known gender of each person by canonical name (coref.person_genders).
        self.genders: dict[str, str] | None = None

    def token_at(self, char: int) -> int:
        """The token holding character ``char`` (or the last one starting before it)."""
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def chars(self, first: int, last: int) -> Offsets:
        """Character span of tokens ``first..last`` inclusive."""
        tokens = self.tokens
        return tokens[first].idx, tokens[last].idx + len(tokens[last])

    def trimmed(self, first: int, last: int, drop_marks: bool = True) -> Offsets | None:
        """Tokens ``first..last`` without punctuation, spaces and conjunctions at the
        edges (and a leading "that" with ``drop_marks``); quote marks that open or
        close a quotation inside are kept."""
        doc = self.tokens
        while first <= last and (
            doc[first].is_punct
            or doc[first].is_space
            or (drop_marks and doc[first].lower_ == "that")
            or doc[first].dep_ == "cc"
        ):
            if doc[first].text in OPEN_MARKS and first < last:
                break
            first += 1
        while last >= first and (
            doc[last].is_punct or doc[last].is_space or doc[last].dep_ == "cc"
        ):
            if doc[last].text in CLOSE_MARKS and any(
                doc[k].text in OPEN_MARKS for k in range(first, last)
            ):
                break
            last -= 1
        if first > last:
            return None
        return self.chars(first, last)

    def remember(self, item: Found) -> None:
        self.found.append(item)
        self.by_sentence.setdefault(item.sentence, []).append(item)
