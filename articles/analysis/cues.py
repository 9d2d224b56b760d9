"""Reporting verbs: which lemmas are cues, and what content each takes.

Analysis internals, over spaCy tokens. The verbs and their contents are the
lexicon table ``reporting_verbs``: "clause" (a ccomp or to-infinitive),
"dobj" (a direct object) or prepositions (the prepositional phrase).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from articles.analysis import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

CLAUSE_ONLY = frozenset({"clause"})

REPORTING_VERBS: dict[str, frozenset[str]] = {
    lemma: frozenset(contents) for lemma, contents in lexicon.table("reporting_verbs").items()
}
# Verbs that report only with their particle ("pointed out", "ruled out").
NEEDS_PARTICLE: dict[str, str] = {
    lemma: particle for lemma, (particle,) in lexicon.table("reporting_verb_particles").items()
}
# Strong reporting verbs: a subjectless one coordinated inside another cue's clause
# starts a report of its own ("denied that X and said Y").
STRONG_SAY = lexicon.words("strong_reporting_verbs")
# Cues only next to a quotation ("The senator continued: '...'").
QUOTE_CUES = lexicon.words("quote_cue_verbs")


def is_cue_verb(token: Token) -> bool:
    """Whether ``token`` is a reporting verb (with its particle where one is needed)."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    if lemma not in REPORTING_VERBS:
        return False
    particle = NEEDS_PARTICLE.get(lemma)
    if particle is not None:
        return any(c.dep_ == "prt" and c.lower_ == particle for c in token.children)
    return True


def reporting_head(clause: Token) -> Token | None:
    """The cue verb whose content clause ``clause`` is, if any."""
    if clause.dep_ in ("ccomp", "xcomp") and is_cue_verb(clause.head):
        return clause.head
    return None


def is_quote_cue(token: Token) -> bool:
    """Whether ``token`` can be the cue of a quotation next to it ("continued")."""
    return is_cue_verb(token) or (token.pos_ == "VERB" and token.lemma_.lower() in QUOTE_CUES)
