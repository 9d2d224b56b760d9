"""Attribution rules: who said what (speaker, cue, content) over a parsed text.

PARC / PolNeAR style. Analysis internals: the input is a spaCy ``Doc`` and the
entity post-pass from :mod:`articles.entities`; the output is plain dicts of
character offsets. The rules run in one linear pass over quotes and tokens,
using only the parse already computed (no re-parsing).

Rules, in order:

1. direct quotes (straight, curly and single quote marks): the cue is a
   reporting verb right after the quote (``"...," Blinken said``) or right
   before it (``Blinken said: "..."``); a quote that continues an attributed
   one in the same paragraph inherits its speaker; a quote with no speaker is
   kept with ``speaker: None`` and the flag ``unattributed-quote``; a quote that
   continues the cue's own clause (``wrote that the plan "fails renters"``) is
   left to rule 2 and comes out ``mixed``;
2. reporting verbs from a curated lexicon with their clause, object or
   preposition as content, and their subject as speaker (through conjunctions,
   participles, control verbs, passives with ``by`` and relative clauses);
3. ``according to X``;
4. noun cues: ``gave ... the assurance that ...`` and ``X's claim that ...``.

Speaker names resolve appositions ("Its chairman, Patrick Doyle"), he/she,
they (the plural speaker just before) and "It said" (the body just before).
docs/ANALYSIS.md describes the rules and their limits.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from articles.analysis import lexicon
from articles.entities import Entities, Mention, strip_name

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


# Reporting verbs and the contents they take: "clause" (ccomp / to-infinitive),
# "dobj" (a direct object), or prepositions (content is the prepositional phrase).
_CLAUSE = frozenset({"clause"})
_CLAUSE_DOBJ = frozenset({"clause", "dobj"})

REPORTING_VERBS: dict[str, frozenset[str]] = {
    lemma: frozenset(contents) for lemma, contents in lexicon.table("reporting_verbs").items()
}
_NEEDS_PARTICLE = {
    lemma: particle for lemma, (particle,) in lexicon.table("reporting_verb_particles").items()
}
_TO_CONTENT = lexicon.words("to_infinitive_verbs")
_FINITE_ONLY = lexicon.words("finite_clause_verbs")
_SPEECH_OBJECT_ONLY = lexicon.words("speech_object_verbs")
_SPEECH_OBJECTS = lexicon.words("speech_objects")
_PERSON_OBJECT = lexicon.words("person_object_verbs")
_STRONG_SAY = lexicon.words("strong_reporting_verbs")
_PLURAL_PRONOUNS = lexicon.words("plural_pronouns")
NOUN_CUES = lexicon.words("noun_cues")
LIGHT_VERBS = lexicon.words("light_verbs")
_SPEECH_EVENT_NOUNS = lexicon.words("speech_event_nouns")
_CONTROL_OBJECT_VERBS = lexicon.words("control_object_verbs")
_PERSON_PRONOUNS = lexicon.words("person_pronouns")
_WH_WORDS = lexicon.words("wh_words")
_HEARERS = lexicon.words("hearers")
_REFUSALS = lexicon.words("refusal_verbs")
# "the 39-year-old said": a definite description that refers back like a pronoun.
_AGE_NOUN = re.compile(r"^the \d+-year-old$", re.IGNORECASE)
_FRONTED_PLACE = lexicon.words("fronted_place_words")
_RELATIVE = lexicon.words("relative_words")
_CONTINUATION = re.compile(
    "^(" + "|".join(re.escape(term) for term in lexicon.terms("continuations")) + r")\b",
    re.IGNORECASE,
)
_OPEN_QUOTES = '“"«'
_CLOSE_QUOTES = '”"»'
_SENTENCE_END = frozenset({".", "!", "?"})
_MIN_QUOTE_WORDS = 4

Span = tuple[int, int]  # character offsets


@dataclass
class _Attribution:
    speaker: Span | None
    cue: Span
    content: Span
    kind: str
    speaker_name: str | None
    sentence: int
    speaker_is_person: bool = False
    speaker_plural: bool = False
    flags: set[str] = field(default_factory=set)


def _span(text: str, span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}


class _Rules:
    """One document's attribution pass."""

    def __init__(self, doc: Doc, entities: Entities) -> None:
        self.doc = doc
        self.text = doc.text
        self.entities = entities
        self.starts = [token.idx for token in doc]
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
        self.found: list[_Attribution] = []
        self.by_sentence: dict[int, list[_Attribution]] = {}

    # -- helpers ---------------------------------------------------------
    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def chars(self, first: int, last: int) -> Span:
        """Character span of tokens ``first..last`` inclusive."""
        return self.doc[first].idx, self.doc[last].idx + len(self.doc[last])

    def trimmed(self, first: int, last: int, drop_marks: bool = True) -> Span | None:
        doc = self.doc
        while first <= last and (
            doc[first].is_punct
            or doc[first].is_space
            or (drop_marks and doc[first].lower_ == "that")
            or doc[first].dep_ == "cc"
        ):
            if doc[first].text in _OPEN_QUOTES and first < last:
                break
            first += 1
        while last >= first and (
            doc[last].is_punct or doc[last].is_space or doc[last].dep_ == "cc"
        ):
            if doc[last].text in _CLOSE_QUOTES and any(
                doc[k].text in _OPEN_QUOTES for k in range(first, last)
            ):
                break
            last -= 1
        if first > last:
            return None
        return self.chars(first, last)

    def noun_phrase(self, token: Token) -> Span:
        """The phrase of a speaker: its subtree without relative clauses or appositions."""
        right = token.i
        if self.entities.person_at(token.i) is None:
            for child in token.rights:
                named = self.appositive_person(child)
                if named is not None:
                    # "Its chairman, Patrick Doyle": the name belongs to the speaker.
                    left = token.left_edge.i
                    while left < token.i and self.doc[left].is_punct:
                        left += 1
                    return self.chars(left, named.end - 1)
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
        while left < token.i and (self.doc[left].is_punct or self.doc[left].is_space):
            left += 1
        while right > token.i and (self.doc[right].is_punct or self.doc[right].is_space):
            right -= 1
        return self.chars(left, right)

    def is_cue_verb(self, token: Token) -> bool:
        lemma = token.lemma_.lower()
        if lemma not in REPORTING_VERBS or token.pos_ not in ("VERB", "AUX"):
            return False
        particle = _NEEDS_PARTICLE.get(lemma)
        if particle is not None:
            return any(c.dep_ == "prt" and c.lower_ == particle for c in token.children)
        return True

    def cue_span(self, token: Token) -> Span:
        last = token.i
        for child in token.rights:
            if child.dep_ == "prt" and child.i == last + 1:
                last = child.i
        return self.chars(token.i, last)

    # -- speakers --------------------------------------------------------
    def speaker_token(self, verb: Token, depth: int = 0) -> Token | None:
        """The token heading the speaker of ``verb`` (None when there is none)."""
        if depth > 6:
            return None
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
        if subject is not None:
            if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            if any(
                c.dep_ in ("amod", "advmod")
                and c.i == subject.left_edge.i
                and c.lower_ in _FRONTED_PLACE
                for c in subject.children
            ):
                appos = next((c for c in subject.rights if c.dep_ == "appos"), None)
                if appos is not None:
                    return appos
            if (
                subject.lower_ == "it"
                and any(c.dep_ == "ccomp" for c in verb.children)
                and not (verb.lemma_.lower() in _STRONG_SAY and subject.i < verb.i)
            ):
                return None  # "it emerged that ...", not "It said that ..."
            return subject
        if agent is not None:
            return agent
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return None
        head = verb.head
        if head is verb:
            return None
        if verb.dep_ == "conj":
            outer = self.reporting_head(head)
            if outer is not None and verb.lemma_.lower() in _STRONG_SAY:
                return self.speaker_token(outer, depth + 1)
            return self.speaker_token(head, depth + 1)
        if verb.dep_ == "xcomp":
            if head.lemma_.lower() in _CONTROL_OBJECT_VERBS:
                obj = next((c for c in head.children if c.dep_ in ("dobj", "dative")), None)
                if obj is not None:
                    return obj
            return self.speaker_token(head, depth + 1)
        if verb.dep_ in ("advcl", "acl") and verb.tag_ == "VBG":
            if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON"):
                return head
            ancestor = head
            steps = 0
            while steps < 6:
                if self.is_cue_verb(ancestor):
                    return self.speaker_token(ancestor, depth + 1)
                if ancestor.head is ancestor:
                    break
                ancestor = ancestor.head
                steps += 1
            ancestor = head
            for _ in range(6):
                subject = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
                if subject is not None:
                    return subject
                if ancestor.head is ancestor:
                    break
                ancestor = ancestor.head
        return None

    def reporting_head(self, clause: Token) -> Token | None:
        """The cue verb whose content clause ``clause`` is, if any."""
        if clause.dep_ in ("ccomp", "xcomp") and self.is_cue_verb(clause.head):
            return clause.head
        return None

    def speaker_person(self, token: Token) -> Mention | None:
        """The named person a speaker phrase stands for: the head or an apposition."""
        person = self.entities.person_at(token.i)
        if person is not None:
            return person
        for child in token.rights:
            if child.dep_ == "appos":
                return self.appositive_person(child)
        return None

    def appositive_person(self, child: Token) -> Mention | None:
        """The person an apposition names, also one level down ("The first witness,
        the charity's former chief executive Susan Thorne")."""
        if child.dep_ != "appos":
            return None
        person = self.entities.person_at(child.i)
        if person is None and child.pos_ == "NOUN":
            inner = next((c for c in child.rights if c.dep_ == "appos"), None)
            if inner is not None:
                person = self.entities.person_at(inner.i)
        return person

    def speaker_name(self, token: Token) -> tuple[str | None, bool]:
        """Canonical speaker name and whether it is a named person mention."""
        lower = token.lower_
        phrase = self.noun_phrase(token)
        if _AGE_NOUN.match(self.text[phrase[0] : phrase[1]]):
            return self.resolve_pronoun(token) or self.previous_speaker(token), False
        if token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$"):
            if lower in _PERSON_PRONOUNS:
                return self.resolve_pronoun(token) or self.previous_speaker(token), False
            if lower in _PLURAL_PRONOUNS:
                return self.previous_group(token), False
            if lower == "it":
                return self.previous_body(token), False
            return None, False
        person = self.speaker_person(token)
        if person is not None:
            return (person.canonical or self.entities.canonical_person(person.text)), True
        if lower in _SPEECH_EVENT_NOUNS:
            for child in token.children:
                if child.dep_ == "poss":
                    name, _ = self.speaker_name(child)
                    if name is not None:
                        return name, False
        mention = self.entities.by_token.get(token.i)
        if mention is not None and mention.canonical:
            return mention.canonical, False
        example = self.named_example(token)
        if example is not None:
            return example, True
        start, end = self.noun_phrase(token)
        return strip_name(self.text[start:end]) or None, False

    def named_example(self, token: Token) -> str | None:
        """The one person named as the example of a group speaker
        ("figures like Emmanuel Macron", "leaders such as X", "officials including X")."""
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("like", "including", "such", "as"):
                continue
            if prep.lower_ == "as" and self.doc[max(0, prep.i - 1)].lower_ != "such":
                continue
            heads = [prep, *(c for c in prep.children if c.lower_ == "as")]
            objects = [c for h in heads for c in h.children if c.dep_ == "pobj"]
            if len(objects) != 1 or any(c.dep_ == "conj" for c in objects[0].children):
                continue
            person = self.entities.person_at(objects[0].i)
            if person is not None:
                return person.canonical or self.entities.canonical_person(person.text)
        return None

    def resolve_pronoun(self, pronoun: Token) -> str | None:
        """The salient person before ``pronoun``: latest subject, else latest mention."""
        sentence = self.sent_of[pronoun.i]
        for number in range(sentence, max(-1, sentence - 4), -1):
            start, end = self.sent_bounds[number]
            end = min(end, pronoun.i)
            fallback = None
            for index in range(end - 1, start - 1, -1):
                mention = self.entities.person_at(index)
                if mention is None or index != mention.end - 1 or self.quoted[index]:
                    continue  # a name inside quoted words is not a referent
                head = self.doc[index]
                name = mention.canonical or self.entities.canonical_person(mention.text)
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

    def previous_speaker(self, pronoun: Token) -> str | None:
        """The named speaker of the nearest earlier attribution in the last sentences."""
        best: _Attribution | None = None
        for item in self.recent(pronoun, 5):
            if (
                item.speaker_name
                and item.speaker is not None
                and item.cue[0] < pronoun.idx
                and (
                    self.doc[self.token_at(item.speaker[1] - 1)].pos_ == "PROPN"
                    or self.text[item.speaker[0] : item.speaker[1]].lower() in _PERSON_PRONOUNS
                )
                and (best is None or item.cue[0] > best.cue[0])
            ):
                best = item
        return best.speaker_name if best else None

    def previous_group(self, pronoun: Token) -> str | None:
        """ "They said": the plural speaker of an attribution in this or the last sentence."""
        best: _Attribution | None = None
        for item in self.recent(pronoun, 1):
            if (
                item.speaker_plural
                and item.speaker_name
                and item.cue[0] < pronoun.idx
                and (best is None or item.cue[0] > best.cue[0])
            ):
                best = item
        return best.speaker_name if best else None

    def previous_body(self, pronoun: Token) -> str | None:
        """ "It said": the named non-person speaker (a ministry, a company) just before."""
        best: _Attribution | None = None
        for item in self.recent(pronoun, 1):
            if (
                not item.speaker_plural
                and not item.speaker_is_person
                and item.speaker_name
                and item.speaker is not None
                and self.doc[self.token_at(item.speaker[1] - 1)].pos_ in ("NOUN", "PROPN")
                and item.cue[0] < pronoun.idx
                and (best is None or item.cue[0] > best.cue[0])
            ):
                best = item
        return best.speaker_name if best else None

    # -- content ---------------------------------------------------------
    def content_of(self, verb: Token) -> Span | None:
        lemma = verb.lemma_.lower()
        allowed = REPORTING_VERBS[lemma]
        children = list(verb.children)
        if "clause" in allowed:
            for child in children:
                if child.i < verb.i or self.quoted[child.i]:
                    continue
                if child.dep_ == "xcomp" and lemma not in _TO_CONTENT:
                    continue
                if (
                    child.dep_ == "ccomp"
                    and lemma in _FINITE_ONLY
                    and child.pos_
                    not in (
                        "VERB",
                        "AUX",
                    )
                ):
                    continue
                if child.dep_ in ("ccomp", "xcomp"):
                    return self.clause_span(child)
            if lemma in _PERSON_OBJECT:
                # "told the jury she had signed off ...": the parser makes the clause a
                # relative clause of the listener; a real one would have a relative
                # pronoun or a gap, not a personal-pronoun or named subject of its own.
                for child in children:
                    if child.dep_ not in ("dobj", "dative") or child.i < verb.i:
                        continue
                    for clause in child.rights:
                        if clause.dep_ == "relcl" and _zero_that_clause(clause):
                            return self.clause_span(clause)
            # "said in a statement that ...": the clause hangs off the prepositional object.
            for child in children:
                if child.dep_ != "prep" or child.i < verb.i:
                    continue
                for pobj in child.children:
                    for clause in pobj.rights:
                        if clause.dep_ in ("acl", "ccomp") and _is_content_clause(clause):
                            return self.clause_span(clause)
                        if clause.dep_ == "relcl" and _marked_clause(clause):
                            # "told reporters in the capital that deputies would ..."
                            return self.clause_span(clause)
        if "clause" in allowed:
            # "Prices will rise, analysts say": the clause comes first.
            for child in children:
                if child.dep_ == "ccomp" and child.i < verb.i and not self.quoted[child.i]:
                    if lemma in _FINITE_ONLY and not any(
                        c.dep_ in ("nsubj", "nsubjpass") for c in child.children
                    ):
                        continue  # "..., study finds" needs a subject in its clause
                    return self.trimmed(child.left_edge.i, child.right_edge.i)
        if "clause" in allowed and lemma not in _FINITE_ONLY:
            # "The move, he said, was a mistake": the whole clause, around the cue.
            if verb.dep_ == "parataxis" and not self.quoted[verb.head.i]:
                return self.trimmed(verb.head.left_edge.i, verb.head.right_edge.i)
        for child in children:
            if child.dep_ == "prep" and child.lower_ in allowed and child.i > verb.i:
                return self.trimmed(child.i, child.right_edge.i, drop_marks=False)
        if "dobj" in allowed:
            for child in children:
                if child.dep_ == "dobj" and child.i > verb.i and child.pos_ != "PRON":
                    if lemma in _SPEECH_OBJECT_ONLY and child.lemma_.lower() not in _SPEECH_OBJECTS:
                        return None
                    return self.trimmed(child.left_edge.i, child.right_edge.i, drop_marks=False)
        if "clause" in allowed and lemma not in _FINITE_ONLY:
            return self.fronted_content(verb)
        return None

    def fronted_content(self, verb: Token) -> Span | None:
        """ "<content>, the agency said." when the parse gives the cue no clause.

        Only a cue ending its sentence, with its subject right after a comma, and
        no object: everything before that comma is the content.
        """
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
        subject = subjects[-1] if subjects else None
        if subject is None or any(c.dep_ in ("dobj", "ccomp") for c in verb.children):
            return None
        first = subject.left_edge.i
        sent_start, sent_end = self.sent_bounds[self.sent_of[verb.i]]
        if first - 1 <= sent_start or self.doc[first - 1].text != ",":
            return None
        for token in self.doc[verb.i + 1 : sent_end]:
            if not (
                token.is_punct or token.is_space or token.head.i == verb.i or token.head.i > verb.i
            ):
                return None
        if verb.right_edge.i < sent_end - 2:
            return None
        if not any(
            t.pos_ in ("VERB", "AUX") for t in self.doc[sent_start : first - 1]
        ) and not self.whole_line(sent_start, verb.right_edge.i):
            return None  # a verbless content only in a headline or bullet line
        return self.trimmed(sent_start, first - 2)

    def whole_line(self, first: int, last: int) -> bool:
        """Whether tokens ``first..last`` fill their line (a headline, a bullet point)."""
        while last > first and (self.doc[last].is_space or self.doc[last].is_punct):
            last -= 1
        start = self.doc[first].idx
        end = self.doc[last].idx + len(self.doc[last])
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end
        return (
            self.text[line_start:start].strip(" \t-–•*") == ""
            and self.text[end:line_end].strip(" \t.") == ""
        )

    def clause_span(self, head: Token) -> Span | None:
        """A clause's span, cut before a trailing clause that is an attribution of its own."""
        last = head.right_edge.i
        for child in head.rights:
            if child.dep_ in ("advcl", "conj") and self.is_cue_verb(child):
                if (
                    child.tag_ == "VBG"
                    or any(c.dep_ == "nsubj" for c in child.children)
                    or (child.dep_ == "conj" and child.lemma_.lower() in _STRONG_SAY)
                ):
                    last = child.left_edge.i - 1
                    break
        return self.trimmed(head.left_edge.i, last)

    def passive_content(self, verb: Token) -> Span | None:
        if "dobj" not in REPORTING_VERBS[verb.lemma_.lower()]:
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is None or not any(c.dep_ == "agent" for c in verb.children):
            return None
        if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
            # "The government, which was criticised by lawmakers, ...": the antecedent.
            start, end = self.noun_phrase(verb.head)
            return start, end
        return self.trimmed(subject.left_edge.i, subject.right_edge.i, drop_marks=False)

    # -- output ------------------------------------------------------------
    def add(
        self, speaker: Token | None, cue: Span, content: Span, kind: str, cue_token: int
    ) -> None:
        name: str | None = None
        is_person = False
        plural = False
        speaker_span: Span | None = None
        if speaker is not None:
            speaker_span = self.noun_phrase(speaker)
            name, is_person = self.speaker_name(speaker)
            plural = speaker.tag_ in ("NNS", "NNPS") or any(
                c.dep_ == "conj" for c in speaker.children
            )
        if kind == "indirect" and any(ch in self.text[content[0] : content[1]] for ch in '“”"«»'):
            kind = "mixed"
        self.remember(
            _Attribution(
                speaker=speaker_span,
                cue=cue,
                content=content,
                kind=kind,
                speaker_name=name,
                sentence=self.sent_of[cue_token],
                speaker_is_person=is_person,
                speaker_plural=plural,
            )
        )

    def remember(self, item: _Attribution) -> None:
        self.found.append(item)
        self.by_sentence.setdefault(item.sentence, []).append(item)

    def recent(self, token: Token, back: int) -> list[_Attribution]:
        """Attributions in the ``back`` sentences before ``token``'s and its own."""
        sentence = self.sent_of[token.i]
        first = sentence
        while first > 0 and self.wordy[sentence] - self.wordy[first - 1] <= back:
            first -= 1
        return [
            item
            for number in range(first, sentence + 1)
            for item in self.by_sentence.get(number, ())
        ]

    # -- rule 1: direct quotes ---------------------------------------------
    def quotes(self) -> list[tuple[int, int, bool]]:
        """Top-level quotations as (open mark, close mark or line end, closed)."""
        found: list[tuple[int, int, bool]] = []
        for line in re.finditer(r"[^\r\n]+", self.text):
            segment = line.group()
            base = line.start()
            pairs = _pair_quotes(segment, _OPEN_QUOTES, _CLOSE_QUOTES)
            if not pairs and "‘" in segment:
                pairs = _pair_single_quotes(segment)
            for open_at, close_at, closed in pairs:
                found.append((base + open_at, base + close_at, closed))
        return found

    def window_after(self, close_tok: int) -> list[Token]:
        tokens: list[Token] = []
        for token in self.doc[close_tok + 1 : close_tok + 16]:
            if token.is_space and ("\n" in token.text or "\r" in token.text):
                break
            if token.text in _OPEN_QUOTES or token.text in _SENTENCE_END:
                break
            tokens.append(token)
        return tokens

    def cue_after(self, close_tok: int) -> Token | None:
        window = self.window_after(close_tok)
        for position, token in enumerate(window):
            if not self.is_cue_verb(token):
                continue
            subject = self.speaker_token(token)
            for between in window[:position]:
                if between.is_punct or between.dep_ in ("advmod", "npadvmod", "aux", "neg"):
                    continue
                if subject is not None and subject.left_edge.i <= between.i <= subject.right_edge.i:
                    continue
                return None
            return token
        return None

    def cue_before(self, open_tok: int) -> Token | None:
        doc = self.doc
        steps = 0
        index = open_tok - 1
        while index >= 0 and steps < 10:
            token = doc[index]
            if token.is_space and ("\n" in token.text or "\r" in token.text):
                if index > 0 and doc[index - 1].text == ":":
                    index -= 1
                    continue
                return None
            if token.text in _SENTENCE_END or token.text in _CLOSE_QUOTES:
                return None
            if self.is_cue_verb(token):
                return token
            if token.pos_ in ("VERB", "AUX") and not token.is_punct:
                return None
            steps += 1
            index -= 1
        return None

    def direct_quotes(self) -> list[tuple[Span, int]]:
        """Attribute quotations; returns unattributed ones as (content, open mark)."""
        pending: list[tuple[Span, int]] = []
        previous: tuple[Token | None, Token, int, bool] | None = None
        for open_at, close_at, closed in self.quotes():
            content = _inner(self.text, open_at, close_at)
            if content is None:
                continue
            short = len(self.text[content[0] : content[1]].split()) < _MIN_QUOTE_WORDS
            if short and not (closed and self.text[open_at + 1 : close_at].rstrip()[-1:] in ",!?"):
                continue  # a scare quote or a fragment inside someone else's words
            open_tok = self.token_at(open_at)
            close_tok = self.token_at(close_at) if closed else self.token_at(content[1] - 1)
            for index in range(open_tok, close_tok + 1):
                self.quoted[index] = True
            self.quoted[open_tok] = self.quoted[close_tok] = False
            ends_sentence = self.text[content[0] : content[1]].rstrip()[-1:] == "."
            cue = self.cue_after(close_tok) if closed and not ends_sentence else None
            if cue is None and short:
                continue
            if cue is None:
                cue = self.cue_before(open_tok)
                if cue is not None and self.inside_clause(cue, open_tok):
                    # 'wrote that the budget "forgets renters"': a partial quote in
                    # reported speech; the verb rule gives the whole clause (mixed).
                    for index in range(open_tok, close_tok + 1):
                        self.quoted[index] = False
                    previous = None
                    continue
            line_start = self.text.rfind("\n", 0, open_at) + 1
            if cue is None and previous is not None:
                speaker_prev, cue_prev, line_prev, closed_prev = previous
                same_line = line_prev == line_start
                carried = not closed_prev and self.text[line_start:open_at].strip() == ""
                if same_line or carried:
                    self.add_quote(speaker_prev, cue_prev, content)
                    previous = (speaker_prev, cue_prev, line_start, closed)
                    continue
            if cue is None:
                if self.mid_sentence(open_tok):
                    # 'said wage growth was slowing and that it would not "overreact"':
                    # a partial quote inside reported speech; the verb rules see it.
                    for index in range(open_tok, close_tok + 1):
                        self.quoted[index] = False
                pending.append((content, open_at))
                previous = None
                continue
            speaker = self.speaker_token(cue)
            if speaker is None:
                speaker = next(
                    (t for t in self.window_after(cue.i - 1)[1:] if t.pos_ in ("PROPN", "PRON")),
                    None,
                )
            self.used_cues.add(cue.i)
            self.add_quote(speaker, cue, content)
            previous = (speaker, cue, line_start, closed)
        return pending

    def extend_report(self, open_tok: int, content: Span) -> bool:
        """A partial quote later in the sentence of a reported clause ('said wage growth
        was slowing and that it would not "overreact"') belongs to that report: its
        content runs on to the quote, and it becomes mixed."""
        if not self.mid_sentence(open_tok):
            return False
        sentence = self.sent_of[open_tok]
        before = [
            item
            for item in self.by_sentence.get(sentence, ())
            if item.kind != "direct"
            and item.speaker is not None
            and item.content[0] < content[0]
            and item.content[1] <= content[1]
        ]
        if not before:
            return False
        item = max(before, key=lambda a: a.content[1])
        if any(ch in self.text[item.content[1] : max(item.content[1], content[0])] for ch in ".;"):
            return False
        item.content = (item.content[0], content[1])
        item.kind = "mixed"
        return True

    def mid_sentence(self, open_tok: int) -> bool:
        """Whether a quote opens inside a sentence, after words of its own clause."""
        start, _ = self.sent_bounds[self.sent_of[open_tok]]
        before = [t for t in self.doc[start:open_tok] if not (t.is_space or t.is_punct)]
        return bool(before) and self.doc[open_tok - 1].text not in (":", ",")

    def inside_clause(self, cue: Token, open_tok: int) -> bool:
        """Whether a quote opening at ``open_tok`` continues the cue's own clause."""
        if self.doc[open_tok - 1].text in (":", ","):
            return False
        for child in cue.children:
            if child.dep_ == "ccomp" and cue.i < child.left_edge.i < open_tok:
                return child.right_edge.i >= open_tok
        return False

    def add_quote(self, speaker: Token | None, cue: Token, content: Span) -> None:
        self.add(speaker, self.cue_span(cue), content, "direct", cue.i)

    # -- rule 2-4: reporting verbs, according to, noun cues -----------------
    def verbs(self) -> None:
        for token in self.doc:
            if self.quoted[token.i] or token.i in self.used_cues:
                continue
            lower = token.lower_
            if lower == "according":
                self.according(token)
            elif token.pos_ == "NOUN" and lower in NOUN_CUES:
                self.noun_cue(token)
            elif self.is_cue_verb(token):
                self.verb_cue(token)

    def verb_cue(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _REFUSALS:
            return  # "declined to say whether ...": nothing was said
        if REPORTING_VERBS[lemma] == _CLAUSE and lemma not in _PERSON_OBJECT:
            # "added a third", "maintained the roads": an object makes it an action.
            if any(
                c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN", "NUM") and not self.quoted[c.i]
                for c in verb.children
            ):
                return
        if lemma == "add" and any(
            c.dep_ == "prep" and c.lower_ == "to" and c.i == verb.i + 1 for c in verb.children
        ):
            return  # "the study added to evidence that ...": an action
        passive = self.passive_content(verb)
        content = passive or self.content_of(verb)
        if content is None:
            return
        if self.open_question(verb, content):
            return  # "could not say when ...", "will show whether ...": nothing reported
        speaker = self.speaker_token(verb)
        if lemma == "hear":
            # "The court heard that ...": a receiver, the speaker is not named.
            if speaker is None or speaker.lemma_.lower() not in _HEARERS:
                return
            self.add(None, self.cue_span(verb), content, "indirect", verb.i)
            return
        if speaker is None:
            return
        if lemma == "show" and self.entities.person_at(speaker.i) is not None:
            return  # a person "showed" something: evidence, not a report
        self.add(speaker, self.cue_span(verb), content, "indirect", verb.i)

    def open_question(self, verb: Token, content: Span) -> bool:
        """A wh-clause after a negated or merely possible cue ("could not say when",
        "too early to say whether") or after find/show ("will show whether")."""
        first = self.doc[self.token_at(content[0])]
        if first.lower_ not in _WH_WORDS:
            return False
        if verb.lemma_.lower() in _FINITE_ONLY:
            return True
        negated = any(c.dep_ == "neg" for c in verb.children)
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        return negated or (infinitive and verb.head.pos_ == "ADJ")

    def according(self, token: Token) -> None:
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if to is None or source is None:
            return
        head = token.head if token.head is not token else token
        first, last = head.left_edge.i, head.right_edge.i
        if head is token:
            first, last = self.sent_bounds[self.sent_of[token.i]]
            last -= 1
        phrase_first, phrase_last = token.left_edge.i, max(token.i, to.right_edge.i)
        if phrase_first > first:
            content = self.trimmed(first, phrase_first - 1, drop_marks=False)
        else:
            content = self.trimmed(phrase_last + 1, last, drop_marks=False)
        if content is None:
            return
        self.add(source, self.chars(token.i, to.i), content, "indirect", token.i)

    def noun_cue(self, noun: Token) -> None:
        content = None
        for child in noun.children:
            if child.i > noun.i and child.dep_ in ("acl", "relcl", "ccomp"):
                if _is_content_clause(child) or any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in child.children
                ):
                    content = self.clause_span(child)
                    break
        if content is None:
            return
        verb = noun.head
        if noun.dep_ in ("dobj", "dative") and verb.lemma_.lower() in LIGHT_VERBS:
            if verb.i in self.used_cues:
                return
            speaker = self.speaker_token(verb)
            if speaker is not None:
                self.used_cues.add(verb.i)
                self.add(speaker, self.cue_span(verb), content, "indirect", verb.i)
            return
        possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
        if possessor is not None:
            self.add(possessor, self.chars(noun.i, noun.i), content, "indirect", noun.i)

    # -- flags -------------------------------------------------------------
    def flag(self) -> None:
        by_sentence: dict[int, list[_Attribution]] = {}
        for item in self.found:
            by_sentence.setdefault(item.sentence, []).append(item)
            if item.speaker_is_person and item.speaker_name:
                if self.entities.counts.get(item.speaker_name, 0) <= 1:
                    item.flags.add("speaker-mentioned-once")
        for number, items in by_sentence.items():
            if number == 0 or (number - 1) not in by_sentence:
                continue
            start, end = self.sent_bounds[number]
            opening = self.doc[start:end].text.lstrip(" \t\"“‘'")
            if not _CONTINUATION.match(opening):
                continue
            before = {_speaker_key(self.text, prev) for prev in by_sentence[number - 1]}
            before.discard(None)
            for item in items:
                key = _speaker_key(self.text, item)
                if key is not None and before and key not in before:
                    item.flags.add("speaker-switch")


def _is_content_clause(clause: Token) -> bool:
    """A "that"-clause stating something, not a relative clause ("a promise that broke")."""
    first = clause.left_edge
    if first.lower_ != "that":
        return any(
            c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in clause.children
        )
    if first.dep_ == "mark":
        return True
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i != first.i for c in clause.children)


def _marked_clause(clause: Token) -> bool:
    """A clause opened by the marker "that" with a subject of its own (no gap)."""
    first = clause.left_edge
    return (
        first.lower_ == "that"
        and first.dep_ == "mark"
        and any(c.dep_ in ("nsubj", "nsubjpass") and c.i != first.i for c in clause.children)
        and any(c.dep_ in ("dobj", "attr", "acomp", "ccomp", "xcomp") for c in clause.children)
    )


def _zero_that_clause(clause: Token) -> bool:
    """A clause with its own pronoun or named subject and no relative word."""
    if any(t.tag_ in ("WDT", "WP", "WP$", "WRB") or t.lower_ == "that" for t in clause.lefts):
        return False
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and (
        subject.lower_ in _PERSON_PRONOUNS | {"i", "we", "they", "it"} or subject.pos_ == "PROPN"
    )


def _speaker_key(text: str, item: _Attribution) -> str | None:
    if item.speaker_name:
        return item.speaker_name.lower()
    if item.speaker is not None:
        return text[item.speaker[0] : item.speaker[1]].lower()
    return None


def _pair_quotes(line: str, opens: str, closes: str) -> list[tuple[int, int, bool]]:
    pairs: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for index, char in enumerate(line):
        if open_at is None:
            if char in opens and (char != '"' or _opens_straight(line, index)):
                open_at = index
        elif char in closes:
            pairs.append((open_at, index, True))
            open_at = None
    if open_at is not None:
        pairs.append((open_at, len(line), False))
    return pairs


def _opens_straight(line: str, index: int) -> bool:
    return index + 1 < len(line) and not line[index + 1].isspace()


def _pair_single_quotes(line: str) -> list[tuple[int, int, bool]]:
    pairs: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for index, char in enumerate(line):
        before = line[index - 1] if index else " "
        after = line[index + 1] if index + 1 < len(line) else " "
        if open_at is None and char == "‘" and not before.isalnum() and not after.isspace():
            open_at = index
        elif open_at is not None and char == "’" and not (before.isalpha() and after.isalpha()):
            if not after.isalnum():
                pairs.append((open_at, index, True))
                open_at = None
    return pairs


def _inner(text: str, open_at: int, close_at: int) -> Span | None:
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if start >= end or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return start, end


def find_attributions(doc: Doc, entities: Entities) -> list[dict[str, Any]]:
    """All attributions in ``doc`` as plain dicts, ordered by cue position.

    The People / Sources registry reaches the rules through ``entities``.
    """
    rules = _Rules(doc, entities)
    pending = rules.direct_quotes()
    rules.verbs()
    contents = [item.content for item in rules.found]
    for content, open_at in pending:
        end = content[1]
        while end > content[0] and rules.text[end - 1] in ".,;:!?":
            end -= 1
        if any(c[0] <= content[0] and end <= c[1] for c in contents):
            continue
        open_tok = rules.token_at(open_at)
        if rules.extend_report(open_tok, content):
            continue
        rules.found.append(
            _Attribution(
                speaker=None,
                cue=(open_at, open_at + 1),
                content=content,
                kind="direct",
                speaker_name=None,
                sentence=rules.sent_of[open_tok],
                flags={"unattributed-quote"},
            )
        )
    rules.flag()
    seen: set[tuple[Span, Span]] = set()
    result: list[dict[str, Any]] = []
    for item in sorted(rules.found, key=lambda a: (a.cue[0], a.content[0])):
        if (item.cue, item.content) in seen:
            continue
        seen.add((item.cue, item.content))
        result.append(
            {
                "speaker": _span(rules.text, item.speaker),
                "cue": _span(rules.text, item.cue),
                "content": _span(rules.text, item.content),
                "kind": item.kind,
                "speaker_name": item.speaker_name,
                "flags": sorted(item.flags),
            }
        )
    return result
