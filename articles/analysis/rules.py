"""Attribution rules: who said what (speaker, cue, content) over a parsed text.

PARC / PolNeAR style. Analysis internals: the input is a spaCy ``Doc`` and the
entity post-pass from :mod:`articles.analysis.entities`; the output is plain
dicts of character offsets. The rules run in one linear pass over quotes and
tokens, using only the parse already computed (no re-parsing).

Rules, in order:

1. direct quotes (straight, curly and single quote marks): the cue is a
   reporting verb right after the quote (``"...," Blinken said``) or right
   before it (``Blinken said: "..."``); a quote that continues an attributed
   one in the same paragraph inherits its speaker; a quote with no speaker is
   kept with ``speaker: None`` and the flag ``unattributed-quote``; a quote that
   continues the cue's own clause (``wrote that the plan "fails renters"``) is
   left to rule 2 and comes out ``mixed``;
2. reporting verbs from a curated lexicon with their clause, object or
   preposition as content (:mod:`~articles.analysis.content`), and their
   subject as speaker (:mod:`~articles.analysis.speakers`: through
   conjunctions, participles, control verbs, passives with ``by`` and
   relative clauses);
3. ``according to X``;
4. noun cues: ``gave ... the assurance that ...`` and ``X's claim that ...``;
5. naming verbs (``called the plan 'a disaster'``) and ``as X put it``;
6. line forms (:mod:`~articles.analysis.forms`): transcript labels first (their
   turns read as quoted), signature lines with the quotes, headlines last.

A quote split by its cue (``"A," she said. "B."``) is one attribution; a
reported attribution inside the content of one by the same speaker is dropped.

Speaker names resolve appositions ("Its chairman, Patrick Doyle"), he/she,
they (the plural speaker just before) and "It said" (the body just before):
:mod:`~articles.analysis.coref`. Flags come last (:mod:`~articles.analysis.flags`).
docs/ANALYSIS.md describes the rules and their limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from articles.analysis import content, coref, flags, forms, lexicon, quotes, speakers
from articles.analysis.cues import CLAUSE_ONLY, REPORTING_VERBS, is_cue_verb, is_quote_cue
from articles.analysis.document import Document, Found
from articles.analysis.quotes import CLOSE_MARKS, OPEN_MARKS, Offsets

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from articles.analysis.entities import Entities
    from articles.analysis.types import Attribution, AttributionKind, Span

# Nouns that carry an attribution: "the assurance that ...", "X's claim that ...".
NOUN_CUES = lexicon.words("noun_cues")
# Light verbs whose object noun is the cue: "gave ... the assurance that".
LIGHT_VERBS = lexicon.words("light_verbs")
# Subjects of "heard that": a court hears evidence, the speaker is not named.
HEARERS = lexicon.words("hearers")
# A cue under these is not reported ("declined to say whether ...").
REFUSALS = lexicon.words("refusal_verbs")
# Evaluative and naming verbs: "called the plan 'a disaster'".
NAMING_VERBS = lexicon.words("naming_verbs")
# Mental states and intentions ("fears the vote will be delayed").
MENTAL = lexicon.words("mental_verbs")
_SENTENCE_END = frozenset({".", "!", "?"})
_MIN_QUOTE_WORDS = 4
_WINDOW = 15  # tokens after a closing quote where its cue may be
_BACK_STEPS = 10  # tokens before an opening quote where its cue may be


def find_attributions(
    doc: Doc, entities: Entities, *, text: str | None = None
) -> list[Attribution]:
    """All attributions in ``doc`` as plain dicts, ordered by cue position.

    The People / Sources registry reaches the rules through ``entities``; ``text``
    is ``doc.text``, passed when known (spaCy builds it token by token).
    """
    d = Document(doc, entities, text=text)
    forms.transcripts(d)
    pending = direct_quotes(d)
    verbs(d)
    unattributed(d, pending)
    forms.headlines(d)
    drop_nested(d)
    flags.flag(d)
    seen: set[tuple[Offsets, Offsets]] = set()
    result: list[Attribution] = []
    for item in sorted(d.found, key=lambda a: (a.cue[0], a.content[0])):
        if (item.cue, item.content) in seen:
            continue
        seen.add((item.cue, item.content))
        result.append(_plain(d.text, item))
    return result


def drop_nested(d: Document) -> None:
    """Drop a reported attribution that sits wholly inside the content of another
    one by the same speaker ("said she thought the plan would fail"): it is part
    of that statement, not one of its own. One by someone else ("said the police
    had found that ...") is a separate statement and stays."""
    kept: list[Found] = []
    for item in d.found:
        first = min(item.cue[0], item.content[0], *(item.speaker or item.cue))
        last = max(item.cue[1], item.content[1], *(item.speaker or item.cue))
        if item.kind == "direct" or not any(
            outer is not item
            and outer.sentence == item.sentence
            and outer.content[0] <= first
            and last <= outer.content[1]
            and not item.content[0] <= outer.cue[0] < item.content[1]
            and _same_speaker(d, outer, item)
            for outer in d.found
        ):
            kept.append(item)
    if len(kept) < len(d.found):
        d.found[:] = kept
        d.by_sentence.clear()
        for item in kept:
            d.by_sentence.setdefault(item.sentence, []).append(item)


def _same_speaker(d: Document, outer: Found, inner: Found) -> bool:
    """Whether ``inner`` is said by ``outer``'s speaker: the same name, or a
    pronoun that names nobody else."""
    if inner.speaker is None:
        return False
    if inner.speaker_name is not None and outer.speaker_name is not None:
        return inner.speaker_name.casefold() == outer.speaker_name.casefold()
    words = d.text[inner.speaker[0] : inner.speaker[1]].lower()
    return words in coref.PERSON_PRONOUNS or words in ("i", "we")


def _plain(text: str, item: Found) -> Attribution:
    return {
        "speaker": _span(text, item.speaker) if item.speaker is not None else None,
        "cue": _span(text, item.cue),
        "content": _span(text, item.content),
        "kind": item.kind,
        "speaker_name": item.speaker_name,
        "flags": sorted(item.flags),
    }


def _span(text: str, span: Offsets) -> Span:
    return {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}


def add(
    d: Document,
    speaker: Token | None,
    cue: Offsets,
    said: Offsets,
    kind: AttributionKind,
    cue_token: int,
) -> None:
    """Record an attribution, with its speaker's phrase and name."""
    name: str | None = None
    is_person = False
    plural = False
    speaker_span: Offsets | None = None
    if speaker is not None:
        speaker_span = speakers.noun_phrase(d, speaker)
        name, is_person = speakers.speaker_name(d, speaker)
        plural = speaker.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in speaker.children)
    if kind == "indirect" and quotes.has_quote_mark(d.text[said[0] : said[1]]):
        kind = "mixed"
    d.remember(
        Found(
            speaker=speaker_span,
            cue=cue,
            content=said,
            kind=kind,
            speaker_name=name,
            sentence=d.sent_of[cue_token],
            speaker_is_person=is_person,
            speaker_plural=plural,
        )
    )


def cue_span(d: Document, token: Token) -> Offsets:
    """A cue verb with its particle ("pointed out")."""
    last = token.i
    for child in token.rights:
        if child.dep_ == "prt" and child.i == last + 1:
            last = child.i
    return d.chars(token.i, last)


# -- rule 1: direct quotes ---------------------------------------------------


@dataclass
class _Previous:
    """The quotation attributed last, which the next one on its line may continue."""

    speaker: Token | None
    cue: Token
    line_start: int
    closed: bool
    found: Found
    close_tok: int


def direct_quotes(d: Document) -> list[tuple[Offsets, int]]:
    """Attribute quotations; returns unattributed ones as (content, open mark)."""
    pending: list[tuple[Offsets, int]] = []
    previous: _Previous | None = None
    for quotation in quotes.quotations(d.text):
        previous = _one_quote(d, quotation, previous, pending)
    return pending


def _one_quote(
    d: Document,
    quotation: quotes.Quotation,
    previous: _Previous | None,
    pending: list[tuple[Offsets, int]],
) -> _Previous | None:
    """Attribute one quotation; returns what the next quotation may continue."""
    open_at, close_at, closed = quotation
    inside = quotes.inner(d.text, open_at, close_at)
    if inside is None:
        return previous
    short = len(d.text[inside[0] : inside[1]].split()) < _MIN_QUOTE_WORDS
    if short and not (closed and d.text[open_at + 1 : close_at].rstrip()[-1:] in ",!?"):
        return previous  # a scare quote or a fragment inside someone else's words
    open_tok = d.token_at(open_at)
    close_tok = d.token_at(close_at) if closed else d.token_at(inside[1] - 1)
    for index in range(open_tok, close_tok + 1):
        d.quoted[index] = True
    d.quoted[open_tok] = d.quoted[close_tok] = False
    ends_sentence = d.text[inside[0] : inside[1]].rstrip()[-1:] == "."
    cue = cue_after(d, close_tok) if closed and not ends_sentence else None
    if cue is None and short:
        return previous
    if cue is None:
        cue = cue_before(d, open_tok)
        if cue is not None and inside_clause(cue, open_tok):
            # 'wrote that the budget "forgets renters"': a partial quote in
            # reported speech; the verb rule gives the whole clause (mixed).
            _unquote(d, open_tok, close_tok)
            return None
    line_start = d.text.rfind("\n", 0, open_at) + 1
    if cue is not None and previous is not None and cue.i == previous.cue.i:
        cue = None  # '"A," she said, "B."': the second half of a split quote
    if cue is None and previous is not None:
        carried = _continued(d, previous, open_tok, inside, line_start, closed)
        if carried is not None:
            return carried
    if cue is None:
        if not (closed and forms.signed_quote(d, close_at, inside)):
            if mid_sentence(d, open_tok):
                # 'said wage growth was slowing and that it would not "overreact"':
                # a partial quote inside reported speech; the verb rules see it.
                _unquote(d, open_tok, close_tok)
            pending.append((inside, open_at))
        return None
    speaker = speakers.speaker_token(cue)
    if speaker is None:
        speaker = next(
            (t for t in window_after(d, cue.i - 1)[1:] if t.pos_ in ("PROPN", "PRON")),
            None,
        )
    d.used_cues.add(cue.i)
    add_quote(d, speaker, cue, inside)
    return _Previous(speaker, cue, line_start, closed, d.found[-1], close_tok)


def _continued(
    d: Document,
    previous: _Previous,
    open_tok: int,
    inside: Offsets,
    line_start: int,
    closed: bool,
) -> _Previous | None:
    """A quotation with no cue of its own that carries on the previous one: the
    second half of a split quote ('"A," she said. "B."') widens that attribution;
    a later quote on its line, or one opening the next paragraph of an unclosed
    quotation, is another attribution of the same speaker."""
    same_line = previous.line_start == line_start
    carried = not previous.closed and d.text[line_start : d.doc[open_tok].idx].strip() == ""
    if not (same_line or carried):
        return None
    if same_line and _interrupts(d, previous, open_tok):
        previous.found.content = (previous.found.content[0], inside[1])
        # A third quotation on the line is another attribution again.
        return _Previous(
            previous.speaker, previous.cue, line_start, closed, previous.found, open_tok
        )
    add_quote(d, previous.speaker, previous.cue, inside)
    return _Previous(
        previous.speaker, previous.cue, line_start, closed, d.found[-1], d.token_at(inside[1])
    )


def _interrupts(d: Document, previous: _Previous, open_tok: int) -> bool:
    """Whether only the previous quotation's cue (its speaker, adverbs and
    punctuation) stands between it and a quotation opening at ``open_tok``."""
    cue = previous.cue
    if not previous.close_tok < cue.i < open_tok:
        return False
    for token in d.doc[previous.close_tok + 1 : open_tok]:
        if token.is_punct or token.is_space or token.i == cue.i:
            continue
        if cue not in token.ancestors:
            return False
    return True


def _unquote(d: Document, open_tok: int, close_tok: int) -> None:
    for index in range(open_tok, close_tok + 1):
        d.quoted[index] = False


def unattributed(d: Document, pending: list[tuple[Offsets, int]]) -> None:
    """Quotes with no cue that no reported clause covers: kept, speaker None,
    flagged ``unattributed-quote``; one later in a reported clause's sentence
    extends that report instead."""
    contents = [item.content for item in d.found]
    for inside, open_at in pending:
        end = inside[1]
        while end > inside[0] and d.text[end - 1] in ".,;:!?":
            end -= 1
        if any(c[0] <= inside[0] and end <= c[1] for c in contents):
            continue
        open_tok = d.token_at(open_at)
        if extend_report(d, open_tok, inside):
            continue
        d.found.append(
            Found(
                speaker=None,
                cue=(open_at, open_at + 1),
                content=inside,
                kind="direct",
                speaker_name=None,
                sentence=d.sent_of[open_tok],
                flags={"unattributed-quote"},
            )
        )


def window_after(d: Document, close_tok: int) -> list[Token]:
    """The tokens after a closing quote, to the end of its sentence or line."""
    tokens: list[Token] = []
    for token in d.doc[close_tok + 1 : close_tok + 1 + _WINDOW]:
        if token.is_space and ("\n" in token.text or "\r" in token.text):
            break
        if token.text in OPEN_MARKS or token.text in _SENTENCE_END:
            break
        tokens.append(token)
    return tokens


def cue_after(d: Document, close_tok: int) -> Token | None:
    """A cue verb right after a quote, with only its subject and adverbs between."""
    window = window_after(d, close_tok)
    for position, token in enumerate(window):
        if not is_quote_cue(token):
            continue
        subject = speakers.speaker_token(token)
        for between in window[:position]:
            if between.is_punct or between.dep_ in ("advmod", "npadvmod", "aux", "neg"):
                continue
            if subject is not None and subject.left_edge.i <= between.i <= subject.right_edge.i:
                continue
            return None
        return token
    return None


def cue_before(d: Document, open_tok: int) -> Token | None:
    """A cue verb just before a quote, in its sentence (or the line ending in ":")."""
    doc = d.doc
    steps = 0
    index = open_tok - 1
    while index >= 0 and steps < _BACK_STEPS:
        token = doc[index]
        if token.is_space and ("\n" in token.text or "\r" in token.text):
            if index > 0 and doc[index - 1].text == ":":
                index -= 1
                continue
            return None
        if token.text in _SENTENCE_END or token.text in CLOSE_MARKS:
            return None
        if is_quote_cue(token):
            return token
        if token.pos_ in ("VERB", "AUX") and not token.is_punct:
            return None
        steps += 1
        index -= 1
    return None


def extend_report(d: Document, open_tok: int, inside: Offsets) -> bool:
    """A partial quote later in the sentence of a reported clause ('said wage growth
    was slowing and that it would not "overreact"') belongs to that report: its
    content runs on to the quote, and it becomes mixed."""
    if not mid_sentence(d, open_tok):
        return False
    sentence = d.sent_of[open_tok]
    before = [
        item
        for item in d.by_sentence.get(sentence, ())
        if item.kind != "direct"
        and item.speaker is not None
        and item.content[0] < inside[0]
        and item.content[1] <= inside[1]
    ]
    if not before:
        return False
    item = max(before, key=lambda a: a.content[1])
    if any(ch in d.text[item.content[1] : max(item.content[1], inside[0])] for ch in ".;"):
        return False
    item.content = (item.content[0], inside[1])
    item.kind = "mixed"
    return True


def mid_sentence(d: Document, open_tok: int) -> bool:
    """Whether a quote opens inside a sentence, after words of its own clause."""
    start, _ = d.sent_bounds[d.sent_of[open_tok]]
    before = [t for t in d.doc[start:open_tok] if not (t.is_space or t.is_punct)]
    return bool(before) and d.doc[open_tok - 1].text not in (":", ",")


def inside_clause(cue: Token, open_tok: int) -> bool:
    """Whether a quote opening at ``open_tok`` continues the cue's own clause."""
    if cue.doc[open_tok - 1].text in (":", ","):
        return False
    for child in cue.children:
        if child.dep_ == "ccomp" and cue.i < child.left_edge.i < open_tok:
            return child.right_edge.i >= open_tok
    return False


def add_quote(d: Document, speaker: Token | None, cue: Token, inside: Offsets) -> None:
    add(d, speaker, cue_span(d, cue), inside, "direct", cue.i)


# -- rules 2-4: reporting verbs, according to, noun cues ---------------------


def verbs(d: Document) -> None:
    """Rules 2-4 over every token outside quotations not already a quote's cue."""
    for token in d.tokens:
        if d.quoted[token.i] or token.i in d.used_cues:
            continue
        lower = token.lower_
        pos = token.pos_
        if lower == "according":
            according(d, token)
        elif pos == "NOUN" and lower in NOUN_CUES:
            noun_cue(d, token)
        elif pos not in ("VERB", "AUX"):
            continue  # what follows needs a verb (is_cue_verb: a verb or an auxiliary)
        elif pos == "VERB" and token.lemma_.lower() in NAMING_VERBS and naming_cue(d, token):
            continue
        elif pos == "VERB" and lower in ("put", "puts") and as_cue(d, token):
            continue
        elif is_cue_verb(token):
            verb_cue(d, token)


def _agent(d: Document, speaker: Token | None) -> bool:
    """Whether ``speaker`` can say or think something (not "the index", "a speech")."""
    if speaker is None:
        return False
    if speaker.lower_ in speakers.SPEECH_EVENT_NOUNS and any(
        c.dep_ == "poss" for c in speaker.children
    ):
        return True  # "Her remarks ... stressed": the possessor speaks
    if speaker.pos_ != "NOUN" or d.entities.by_token.get(speaker.i) is not None:
        return True  # "Hannah Price said": a name is someone, whatever its words
    return speaker.lemma_.lower() not in coref.NON_AGENTS


def naming_cue(d: Document, verb: Token) -> bool:
    """ "Ortiz called the plan 'a disaster'": the object and its name are the content."""
    found = content.naming_content(d, verb)
    speaker = speakers.speaker_token(verb)
    if found is None or not _agent(d, speaker):
        return False
    add(d, speaker, cue_span(d, verb), found, "indirect", verb.i)
    return True


def as_cue(d: Document, verb: Token) -> bool:
    """ "As one trader put it, ..." / "..., as police have said": the main clause is
    the content (direct when it is one quotation)."""
    if verb.dep_ != "advcl":
        return False  # only a clause under "as" ("as police have said")
    if verb.lower_ in ("put", "puts") and not any(
        c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children
    ):
        return False
    if any(c.dep_ == "dobj" and c.lower_ != "it" for c in verb.children):
        return False  # "as he said goodbye": an action
    quoted = _quotation_after(d, verb)
    found = quoted or content.as_content(d, verb)
    speaker = speakers.speaker_token(verb)
    if found is None or not _agent(d, speaker):
        return False
    whole = quoted or _one_quotation(d, found)
    kind: AttributionKind = "direct" if whole is not None else "indirect"
    d.used_cues.add(verb.i)
    add(d, speaker, cue_span(d, verb), whole or found, kind, verb.i)
    return True


def _quotation_after(d: Document, verb: Token) -> Offsets | None:
    """ "..., as he puts it, 'no idea what loneliness was.'": a quotation right after
    the "as" clause is what was said."""
    if verb.dep_ != "advcl" or not any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    ):
        return None
    index = verb.right_edge.i + 1
    while index < len(d.doc) and d.doc[index].text in (",", ":"):
        index += 1
    if index >= len(d.doc) or d.doc[index].text not in OPEN_MARKS:
        return None
    start = d.doc[index].idx
    for open_at, close_at, closed in quotes.quotations(d.text):
        if open_at <= start + 1 and start <= open_at and closed:
            return quotes.inner(d.text, open_at, close_at)
    return None


def _one_quotation(d: Document, span: Offsets) -> Offsets | None:
    """The quoted words when ``span`` is exactly one quotation (marks and end stop)."""
    for open_at, close_at, closed in quotes.quotations(d.text[span[0] : span[1]]):
        if closed and open_at == 0 and d.text[span[0] + close_at + 1 : span[1]].strip(".,") == "":
            inside = quotes.inner(d.text, span[0] + open_at, span[0] + close_at)
            return inside
    return None


def verb_cue(d: Document, verb: Token) -> None:
    """A reporting verb with its content and speaker."""
    lemma = verb.lemma_.lower()
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in REFUSALS:
        return  # "declined to say whether ...": nothing was said
    if as_cue(d, verb) or _an_action(d, verb, lemma):
        return
    found = content.passive_content(d, verb) or content.content_of(d, verb)
    if found is None:
        return
    if content.open_question(d, verb, found):
        return  # "could not say when ...", "will show whether ...": nothing reported
    speaker = speakers.speaker_token(verb)
    if lemma == "hear":
        # "The court heard that ...": a receiver, the speaker is not named.
        if speaker is None or speaker.lemma_.lower() not in HEARERS:
            return
        add(d, None, cue_span(d, verb), found, "indirect", verb.i)
        return
    if not _agent(d, speaker) or speaker is None:
        return
    if lemma in MENTAL and speaker.lower_ == "it":
        return  # "it hopes": a state of mind needs someone to hold it
    if lemma == "show" and d.entities.person_at(speaker.i) is not None:
        return  # a person "showed" something: evidence, not a report
    add(d, speaker, cue_span(d, verb), found, "indirect", verb.i)


def _an_action(d: Document, verb: Token, lemma: str) -> bool:
    """ "added a third", "maintained the roads", "added to evidence that ...":
    a clause-only verb with a noun object (not a listener), or "add to"."""
    if REPORTING_VERBS[lemma] == CLAUSE_ONLY and lemma not in content.PERSON_OBJECT:
        if any(
            c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN", "NUM") and not d.quoted[c.i]
            for c in verb.children
        ):
            return True
    return lemma == "add" and any(
        c.dep_ == "prep" and c.lower_ == "to" and c.i == verb.i + 1 for c in verb.children
    )


def according(d: Document, token: Token) -> None:
    """ "according to X": X is the speaker, the rest of the clause the content."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
    if to is None or source is None:
        return
    head = token.head if token.head is not token else token
    first, last = head.left_edge.i, head.right_edge.i
    if head is token:
        first, last = d.sent_bounds[d.sent_of[token.i]]
        last -= 1
    phrase_first, phrase_last = token.left_edge.i, max(token.i, to.right_edge.i)
    if phrase_first > first:
        found = d.trimmed(first, phrase_first - 1, drop_marks=False)
    else:
        found = d.trimmed(phrase_last + 1, last, drop_marks=False)
    if found is None:
        return
    add(d, source, d.chars(token.i, to.i), found, "indirect", token.i)


def noun_cue(d: Document, noun: Token) -> None:
    """ "gave ... the assurance that ..." (a light verb's speaker), "X's claim that ..."."""
    found = None
    for child in noun.children:
        if child.i > noun.i and child.dep_ in ("acl", "relcl", "ccomp"):
            if content.is_content_clause(child) or any(
                c.dep_ == "aux" and c.lower_ == "to" for c in child.children
            ):
                found = content.clause_span(d, child)
                break
    if found is None:
        return
    verb = noun.head
    if noun.dep_ in ("dobj", "dative") and verb.lemma_.lower() in LIGHT_VERBS:
        if verb.i in d.used_cues:
            return
        speaker = speakers.speaker_token(verb)
        if speaker is not None:
            d.used_cues.add(verb.i)
            add(d, speaker, cue_span(d, verb), found, "indirect", verb.i)
        return
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is not None:
        add(d, possessor, d.chars(noun.i, noun.i), found, "indirect", noun.i)
