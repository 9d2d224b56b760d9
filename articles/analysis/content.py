"""Contents: the span of what was said, for a reporting verb.

Analysis internals, over spaCy tokens. In order: the clause after the verb
(a "that"-clause or to-infinitive where the verb takes one), a clause the
parser hung off the listener ("told the jury she had ...") or off a
prepositional object ("said in a statement that ..."), a clause before the
verb ("Prices will rise, analysts say"), the clause around a parenthetical
cue ("The move, he said, was a mistake"), a prepositional phrase, a direct
object, and last what comes before "..., the agency said." on its line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from articles.analysis import lexicon
from articles.analysis.coref import PERSON_PRONOUNS
from articles.analysis.cues import REPORTING_VERBS, STRONG_SAY, is_cue_verb
from articles.analysis.document import Document
from articles.analysis.quotes import Offsets
from articles.analysis.speakers import RELATIVE, noun_phrase

if TYPE_CHECKING:
    from spacy.tokens import Token

# A to-infinitive is content only after these ("vowed to fight"); elsewhere it is an
# action ("agreed to buy", "declined to comment").
TO_CONTENT = lexicon.words("to_infinitive_verbs")
# Verbs that report only when their clause is a full finite clause ("found that ...").
FINITE_ONLY = lexicon.words("finite_clause_verbs")
# These take an object as content only when it is something said ("rejected the claims").
SPEECH_OBJECT_ONLY = lexicon.words("speech_object_verbs")
SPEECH_OBJECTS = lexicon.words("speech_objects")
# Clause-only verbs that still report with a person object ("told reporters that").
PERSON_OBJECT = lexicon.words("person_object_verbs")
# Words opening an open question: "could not say when ...", "will show whether ...".
WH_WORDS = lexicon.words("wh_words")


def content_of(d: Document, verb: Token) -> Offsets | None:
    """What ``verb`` reports, or None when it takes no content here."""
    lemma = verb.lemma_.lower()
    allowed = REPORTING_VERBS[lemma]
    if "clause" in allowed:
        clause = _clause_after(d, verb, lemma)
        if clause is not None:
            return clause_span(d, clause, verb)
        before = _clause_before(d, verb, lemma)
        if before is not None:
            # "Prices will rise, analysts say": the clause comes first.
            return d.trimmed(before.left_edge.i, before.right_edge.i)
        if lemma not in FINITE_ONLY and verb.dep_ == "parataxis" and not d.quoted[verb.head.i]:
            # "The move, he said, was a mistake": the whole clause, around the cue.
            return d.trimmed(verb.head.left_edge.i, verb.head.right_edge.i)
    children = list(verb.children)
    for child in children:
        if child.dep_ == "prep" and child.lower_ in allowed and child.i > verb.i:
            return _prepositional_content(d, verb, child)
    if "dobj" in allowed:
        for child in children:
            if child.dep_ == "dobj" and child.i > verb.i and child.pos_ != "PRON":
                if lemma in SPEECH_OBJECT_ONLY and child.lemma_.lower() not in SPEECH_OBJECTS:
                    return None
                return d.trimmed(child.left_edge.i, child.right_edge.i, drop_marks=False)
    if "clause" in allowed and lemma not in FINITE_ONLY:
        return fronted_content(d, verb)
    return None


def _prepositional_content(d: Document, verb: Token, prep: Token) -> Offsets | None:
    """ "warned of delays": the phrase; "called on the board to resign": the object
    and the to-infinitive after it, without the preposition."""
    clause = next(
        (c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.i > prep.right_edge.i),
        None,
    )
    if prep.lower_ not in ("on", "upon"):
        clause = None  # "called for a fund to buy shells": the phrase is the content
    if clause is not None:
        return d.trimmed(prep.i + 1, clause.right_edge.i, drop_marks=False)
    return d.trimmed(prep.i, prep.right_edge.i, drop_marks=False)


def naming_content(d: Document, verb: Token) -> Offsets | None:
    """ "called the plan 'a disaster'", "blasted the ruling as unfair": the object
    and what it is called; None without a complement (just "called the police")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or (obj.pos_ == "PRON" and obj.lower_ in ("it", "this", "that")):
        return None
    complement = next(
        (
            c
            for c in verb.children
            if c.i > obj.i
            and (c.dep_ in ("oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as"))
        ),
        None,
    )
    if complement is None:
        complement = next(
            (
                c
                for c in obj.rights
                if c.dep_ in ("appos", "oprd") or (c.dep_ == "prep" and c.lower_ == "as")
            ),
            None,
        )
    if complement is None:
        return None
    found = d.trimmed(obj.left_edge.i, complement.right_edge.i, drop_marks=False)
    if found is None:
        return None
    start, end = found
    opened = {"'": "'", "’": "‘", '"': '"', "”": "“"}
    mark = d.text[end : end + 1]
    if mark in opened:
        inner = d.text[start:end]
        count = inner.count(mark) if opened[mark] == mark else inner.count(opened[mark])
        if count % 2 if opened[mark] == mark else count > inner.count(mark):
            end += 1  # "'a disaster'": the closing mark of a quotation opened inside
    return start, end


def as_content(d: Document, verb: Token) -> Offsets | None:
    """ "As one trader put it, ...", "..., as police have said": the clause the
    "as" clause hangs off, without the "as" clause."""
    if verb.dep_ != "advcl" or not any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    ):
        return None
    head = verb.head
    if verb.i < head.i:
        return d.trimmed(verb.right_edge.i + 1, head.right_edge.i, drop_marks=False)
    return d.trimmed(head.left_edge.i, verb.left_edge.i - 1, drop_marks=False)


def _clause_after(d: Document, verb: Token, lemma: str) -> Token | None:
    """The head of a content clause after the verb: its own, the listener's or a
    prepositional object's."""
    clause = _clause_child(d, verb, lemma)
    if clause is None and lemma in PERSON_OBJECT:
        clause = _listener_clause(verb)
    if clause is None:
        clause = _prepositional_clause(verb)
    return clause


def _clause_child(d: Document, verb: Token, lemma: str) -> Token | None:
    """The verb's own ccomp or to-infinitive after it (a finite one for find/show)."""
    for child in verb.children:
        if child.i < verb.i or d.quoted[child.i]:
            continue
        if child.dep_ == "xcomp" and lemma not in TO_CONTENT:
            continue
        if child.dep_ == "ccomp" and lemma in FINITE_ONLY and child.pos_ not in ("VERB", "AUX"):
            continue
        if child.dep_ in ("ccomp", "xcomp"):
            return child
    return None


def _listener_clause(verb: Token) -> Token | None:
    """ "told the jury she had signed off ...": the parser makes the clause a relative
    clause of the listener; a real one would have a relative pronoun or a gap, not a
    personal-pronoun or named subject of its own."""
    for child in verb.children:
        if child.dep_ not in ("dobj", "dative") or child.i < verb.i:
            continue
        for clause in child.rights:
            if clause.dep_ == "relcl" and _zero_that_clause(clause):
                return clause
    return None


def _prepositional_clause(verb: Token) -> Token | None:
    """ "said in a statement that ...": the clause hangs off the prepositional object."""
    for child in verb.children:
        if child.dep_ != "prep" or child.i < verb.i:
            continue
        for pobj in child.children:
            for clause in pobj.rights:
                if clause.dep_ in ("acl", "ccomp") and is_content_clause(clause):
                    return clause
                if clause.dep_ == "relcl" and _marked_clause(clause):
                    # "told reporters in the capital that deputies would ..."
                    return clause
    return None


def _clause_before(d: Document, verb: Token, lemma: str) -> Token | None:
    """A ccomp before the verb, not quoted (with a subject of its own for find/show)."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i < verb.i and not d.quoted[child.i]:
            if lemma in FINITE_ONLY and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in child.children
            ):
                continue  # "..., study finds" needs a subject in its clause
            return child
    return None


def fronted_content(d: Document, verb: Token) -> Offsets | None:
    """ "<content>, the agency said." when the parse gives the cue no clause.

    Only a cue ending its sentence, with its subject right after a comma, and
    no object: everything before that comma is the content.
    """
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    subject = subjects[-1] if subjects else None
    if subject is None or any(c.dep_ in ("dobj", "ccomp") for c in verb.children):
        return None
    first = subject.left_edge.i
    sent_start, sent_end = d.sent_bounds[d.sent_of[verb.i]]
    if first - 1 <= sent_start or d.doc[first - 1].text != ",":
        return None
    for token in d.doc[verb.i + 1 : sent_end]:
        if not (
            token.is_punct or token.is_space or token.head.i == verb.i or token.head.i > verb.i
        ):
            return None
    if verb.right_edge.i < sent_end - 2:
        return None
    if not any(t.pos_ in ("VERB", "AUX") for t in d.doc[sent_start : first - 1]) and not whole_line(
        d, sent_start, verb.right_edge.i
    ):
        return None  # a verbless content only in a headline or bullet line
    return d.trimmed(sent_start, first - 2)


def whole_line(d: Document, first: int, last: int) -> bool:
    """Whether tokens ``first..last`` fill their line (a headline, a bullet point)."""
    while last > first and (d.doc[last].is_space or d.doc[last].is_punct):
        last -= 1
    start = d.doc[first].idx
    end = d.doc[last].idx + len(d.doc[last])
    line_start = d.text.rfind("\n", 0, start) + 1
    line_end = d.text.find("\n", end)
    line_end = len(d.text) if line_end < 0 else line_end
    return (
        d.text[line_start:start].strip(" \t-–•*") == "" and d.text[end:line_end].strip(" \t.") == ""
    )


def clause_span(d: Document, head: Token, cue: Token | None = None) -> Offsets | None:
    """A clause's span, cut before a trailing clause that is an attribution of its own;
    never the cue itself ("the memo, which officials said was leaked": from "was")."""
    last = head.right_edge.i
    first = head.left_edge.i
    if cue is not None and first <= cue.i < head.i:
        first = cue.i + 1
    for child in head.rights:
        if child.dep_ in ("advcl", "conj") and is_cue_verb(child):
            if (
                child.tag_ == "VBG"
                or any(c.dep_ == "nsubj" for c in child.children)
                or (child.dep_ == "conj" and child.lemma_.lower() in STRONG_SAY)
            ):
                last = child.left_edge.i - 1
                break
    return d.trimmed(first, last)


def passive_content(d: Document, verb: Token) -> Offsets | None:
    """ "The plan was criticised by lawmakers": the passive subject is the content."""
    if "dobj" not in REPORTING_VERBS[verb.lemma_.lower()]:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is None or not any(c.dep_ == "agent" for c in verb.children):
        return None
    if subject.lower_ in RELATIVE and verb.dep_ == "relcl":
        # "The government, which was criticised by lawmakers, ...": the antecedent.
        start, end = noun_phrase(d, verb.head)
        return start, end
    return d.trimmed(subject.left_edge.i, subject.right_edge.i, drop_marks=False)


def open_question(d: Document, verb: Token, content: Offsets) -> bool:
    """A wh-clause after a negated or merely possible cue ("could not say when",
    "too early to say whether") or after find/show ("will show whether")."""
    first = d.doc[d.token_at(content[0])]
    if first.lower_ not in WH_WORDS:
        return False
    if verb.lemma_.lower() in FINITE_ONLY:
        return True
    negated = any(c.dep_ == "neg" for c in verb.children)
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return negated or (infinitive and verb.head.pos_ == "ADJ")


def is_content_clause(clause: Token) -> bool:
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
        subject.lower_ in PERSON_PRONOUNS | {"i", "we", "they", "it"} or subject.pos_ == "PROPN"
    )
