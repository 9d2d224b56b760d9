"""Entity post-processing over a parsed spaCy ``Doc``.

Analysis internals: takes the parse from :mod:`articles.analysis.pipeline`,
returns mentions with plain offsets. The passes (``PASSES``, in the order they
run) apply the People / Sources registry, fix nationality adjectives to NORP,
find amounts, organisations and people the model missed, find unlabelled
repeats of names already known to be people, and make labels consistent
across an article (one label per name). Every pass is linear in the number
of tokens.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from articles.analysis import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from articles.analysis.types import Entity

# Labels that name things; consistency voting only happens between these.
NAME_LABELS = frozenset(
    {"PERSON", "GPE", "LOC", "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LANGUAGE"}
)

DEMONYMS = lexicon.words("demonyms")
_DEMONYM_SUFFIX = re.compile(r"(ians?|eans?|ese|ish)$")

TITLES = lexicon.words("titles")

# Lowercase role nouns before a name make it a person ("Villa boss Unai Emery").
ROLE_NOUNS = lexicon.words("role_nouns")
# The last word of a name that makes it a facility ("Edinburgh Airport") or an
# organisation ("Network Rail", "Apex Advisory"), whatever the model said.
_FACILITY_HEADS = lexicon.words("facility_heads")
_ORG_HEADS = lexicon.words("org_heads")
# Lowercase organisation nouns before a name make it an organisation ("agency AFAD").
ORG_NOUNS = lexicon.words("org_nouns")
# Words that mark a proper-noun run as an organisation, not a person.
_ORG_WORDS = lexicon.words("org_words")
_SAY_LEMMAS = lexicon.words("speaking_verbs")
CURRENCIES = lexicon.words("currencies")
_SCALES = lexicon.words("scales")
_NUMERIC_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})

# Prepositions after which a name is almost surely a place.
_LOCATIVE_PREPS = lexicon.words("locative_prepositions")
# A name modifying one of these is a place ("the Málaga coast", "Kharkiv region").
_PLACE_NOUNS = lexicon.words("place_nouns")
# A name modifying one of these is an organisation ("the RIA news agency").
_MEDIA_NOUNS = lexicon.words("media_nouns")
_CURRENCY_SIGNS = lexicon.words("currency_signs")
# "to X" / "from X" is a place after these heads.
_MOTION_HEADS = lexicon.words("motion_heads")
_LEADING_DROP = lexicon.words("determiners")
# A name opening with a common first name is a person ("Elena Varga"), not a thing.
FIRST_NAMES = lexicon.words("female_first_names") | lexicon.words("male_first_names")
# A city or country playing a game is a team: "Toronto beat Boston 3-1".
_SPORTS_VERBS = lexicon.words("sports_verbs")
_SPORTS_WORDS = lexicon.words("sports_words")
_SCORE = re.compile(r"(?<![\d.])\d{1,3} ?[-–] ?\d{1,3}(?![\d.])")
# "Abbott-Baxter" alone: two capitalised parts joined by a hyphen.
_HYPHENATED = re.compile(r"^[A-Z][a-z]+-[A-Z][a-z]+$")
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


@dataclass
class Mention:
    """One entity mention: token range, char range and label."""

    start: int  # token index
    end: int  # token index, exclusive
    label: str
    start_char: int
    end_char: int
    text: str
    canonical: str | None = None  # registry canonical name when matched
    fixed: bool = False  # label decided by the registry or a hard rule
    anchored: bool = False  # label decided by the registry or the words around it

    def as_dict(self) -> Entity:
        return {
            "start": self.start_char,
            "end": self.end_char,
            "label": self.label,
            "text": self.text,
        }


@dataclass
class Entities:
    """The article's entity mentions plus lookups used by the attribution rules."""

    mentions: list[Mention]
    by_token: dict[int, Mention] = field(default_factory=dict)
    full_names: list[str] = field(default_factory=list)  # multi-token PERSON texts
    registry: dict[str, str] = field(default_factory=dict)  # form -> canonical (people)
    counts: Counter[str] = field(default_factory=Counter)  # person canonical -> mentions
    # registry canonicals by the last word of their forms, made on first use
    _by_surname: dict[str, set[str]] | None = field(default=None, init=False, repr=False)

    def person_at(self, index: int) -> Mention | None:
        mention = self.by_token.get(index)
        return mention if mention is not None and mention.label == "PERSON" else None

    def canonical_person(self, text: str) -> str:
        """The article's full name for a person mention, registry name first."""
        name = strip_name(text)
        if not name:
            return text
        if name in self.registry:
            return self.registry[name]
        best = name
        folded = name.casefold()
        for full in self.full_names:
            lower = full.casefold()
            if (lower == folded or lower.endswith(" " + folded)) and len(full) > len(best):
                best = full  # "Van Leeuwen" -> "Dirk van Leeuwen"
        if best in self.registry:
            return self.registry[best]
        hits = self._registry_by_surname().get(best.split()[-1], set())
        if len(hits) == 1 and (" " not in name or name.split()[0] in next(iter(hits))):
            return next(iter(hits))
        return best

    def _registry_by_surname(self) -> dict[str, set[str]]:
        """The registry's canonical names by the last word of each form: one pass over
        a registry of hundreds of people per article, not one per mention."""
        if self._by_surname is None:
            self._by_surname = {}
            for form, canon in self.registry.items():
                self._by_surname.setdefault(form.split()[-1], set()).add(canon)
        return self._by_surname


def strip_name(text: str) -> str:
    """Drop a possessive ending and leading titles from a name."""
    text = text.strip()
    for ending in ("'s", "’s", "'", "’"):
        if text.endswith(ending):
            text = text[: -len(ending)]
            break
    words = text.split()
    while len(words) > 1 and words[0].lower() in TITLES:
        words.pop(0)
    return " ".join(words)


def is_demonym(token: Token) -> bool:
    lower = token.lower_
    if lower in DEMONYMS or (lower.endswith("s") and lower[:-1] in DEMONYMS):
        return True
    return bool(
        token.tag_ in ("JJ", "NNPS") and token.text[:1].isupper() and _DEMONYM_SUFFIX.search(lower)
    )


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while end - start > 1 and (doc[start].lower_ in _LEADING_DROP or doc[start].is_punct):
        start += 1
    while end - start > 1 and (
        doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        end -= 1
    return start, end


def _make(doc: Doc, start: int, end: int, label: str, **extra: Any) -> Mention:
    span = doc[start:end]
    return Mention(start, end, label, span.start_char, span.end_char, span.text, **extra)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _context_vote(doc: Doc, mention: Mention) -> tuple[str, int]:
    """The label a mention votes for, and the weight of the vote."""
    head = doc[mention.end - 1]
    if mention.start > 0 and doc[mention.start - 1].lower_.rstrip(".") in TITLES:
        return "PERSON", 3
    if (
        mention.label in ("PERSON", "GPE", "LOC")
        and head.dep_ == "compound"
        and head.head.text.islower()
        and head.head.lower_ in _PLACE_NOUNS
    ):
        return ("GPE" if mention.label == "PERSON" else mention.label), 2
    if mention.label in ("PERSON", "GPE", "LOC") and head.dep_ == "conj":
        head = head.head  # "between Málaga and Seville": the first conjunct's preposition
    if mention.label in ("PERSON", "GPE", "LOC") and head.dep_ == "pobj":
        prep = head.head.lower_
        if prep in _LOCATIVE_PREPS or (
            prep in ("to", "from") and head.head.head.lemma_.lower() in _MOTION_HEADS
        ):
            return ("GPE" if mention.label == "PERSON" else mention.label), 2
    return mention.label, 1


_TITLE_HEADS = lexicon.words("title_heads")


def _is_title_portfolio(doc: Doc, start: int, end: int) -> bool:
    """A one-word portfolio after a title ("Secretary of State"): not an entity of its own."""
    return (
        end - start == 1
        and start >= 2
        and doc[start - 1].lower_ == "of"
        and doc[start - 2].lower_ in _TITLE_HEADS
        and doc[start].ent_type_ in ("ORG", "GPE", "LOC")
    )


def _is_role(token: Token) -> bool:
    lower = token.lower_
    if token.text.islower():
        return lower in ROLE_NOUNS or (token.pos_ == "NOUN" and lower.endswith("ist"))
    return lower.rstrip(".") in TITLES or lower in ROLE_NOUNS


_NAME_PARTICLES = lexicon.words("name_particles")


def _name_like(doc: Doc, start: int, end: int) -> bool:
    """Capitalised words (and inner particles: "Anouk de Vries", inner hyphens:
    "Lee-Gomez Partners"), at most four words."""
    words = [t for t in doc[start:end] if not (t.text == "-" and start < t.i < end - 1)]
    return (
        0 < len(words) <= 4
        and doc[start].text[:1].isupper()
        and all(
            (t.text[:1].isupper() and (t.is_alpha or t.text.endswith(".") or "-" in t.text))
            or (t.i > start and t.lower_ in _NAME_PARTICLES)
            for t in words
        )
    )


def _context_label(doc: Doc, start: int, end: int, label: str) -> str | None:
    """A label forced by the words around a name, or None.

    A title or role right before a name makes it a person ("EU antitrust chief
    Helena Varga"), an organisation noun an organisation ("technology company
    Lumora"), unless the name itself modifies a following noun ("chief Kremlin
    spokesman"); a two-word "person" followed by a role is the employer
    ("Manchester United manager Erik Lindqvist").
    """
    if label not in NAME_LABELS or label == "NORP" or not _name_like(doc, start, end):
        return None
    after = doc[end] if end < len(doc) else None
    if (
        label == "PERSON"
        and end - start > 1
        and after is not None
        and (after.lower_ in ROLE_NOUNS or (after.text.istitle() and after.lower_ in TITLES))
    ):
        return "ORG"
    if _names_a_medium(doc, end):
        return "ORG"  # "the Tasnim news agency", "the Khabar television channel"
    last = doc[end - 1]
    if (
        last.dep_ == "appos"
        and last.head.i < start
        and last.head.text.islower()
        and last.head.lower_ in ORG_NOUNS
    ):
        return "ORG"  # "the country's statistics agency, Geostat,"
    if after is not None and after.text.islower() and after.pos_ == "NOUN":
        return None  # a modifier: "chief Kremlin spokesman"
    if start > 0:
        before = doc[start - 1]
        if before.text.islower() and before.lower_ in ORG_NOUNS:
            return "ORG"
        if _is_role(before) and not _is_title_portfolio(doc, start, end):
            return "PERSON"
    head = doc[end - 1]
    if end - start > 1 and label != "NORP":
        last = head.lower_
        if last in _FACILITY_HEADS and label != "FAC":
            return "FAC"
        if last in _ORG_HEADS and label != "ORG":
            return "ORG"
    if label in ("ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART") and (
        _has_age(doc, end) or _first_name_first(doc, start, end)
    ):
        return "PERSON"  # "Graham Pollard, 58,"; "Alasdair MacLeod was 24 when ..."
    if end - start > 1 and (
        (head.dep_ == "appos" and _is_role(head.head) and head.head.i < start)
        or any(c.dep_ == "appos" and c.i >= end and _is_role(c) for c in head.children)
    ):
        return "PERSON"  # "a police spokeswoman, Anouk de Vries"; "Laura Smit, a researcher"
    return None


def _first_name_first(doc: Doc, start: int, end: int) -> bool:
    """Two or three words, the first a common first name: "Elena Varga"."""
    return (
        2 <= end - start <= 3
        and doc[start].lower_ in FIRST_NAMES
        and _full_name_like(doc, start, end)
    )


def _has_age(doc: Doc, end: int) -> bool:
    """A person's age right after a two- or three-word name: ", 58," or "was 24 when"."""
    head = doc[end - 1]
    if head.dep_ != "nsubj" or end + 2 >= len(doc):
        return False
    after = doc[end]
    if after.text == "," and doc[end + 1].like_num and doc[end + 2].text == ",":
        return True
    return (
        after.lemma_ == "be"
        and after.i == head.head.i
        and doc[end + 1].like_num
        and doc[end + 1].text.isdigit()
        and 15 < int(doc[end + 1].text) < 110
        and doc[end + 2].lower_ in ("when", "and", ",", ".")
    )


def _numeric_spans(doc: Sequence[Token]) -> list[tuple[int, int, str]]:
    """Amounts the model tends to miss: "42 billion euro", "18.50 euros", "34%"."""
    found: list[tuple[int, int, str]] = []
    for token in doc:
        if not (token.like_num and token.text[:1].isdigit()):
            continue
        if token.i > 0 and doc[token.i - 1].text in _CURRENCY_SIGNS:
            end = token.i + 1  # "$1.07", "£3 billion"
            if end < len(doc) and doc[end].lower_ in _SCALES:
                end += 1
            found.append((token.i - 1, end, "MONEY"))
            continue
        end = token.i + 1
        if end < len(doc) and doc[end].lower_ in _SCALES:
            end += 1
        if end < len(doc) and doc[end].text == "%":
            found.append((token.i, end + 1, "PERCENT"))
        elif end < len(doc) and doc[end].lower_ in CURRENCIES:
            found.append((token.i, end + 1, "MONEY"))
    return found


def _unlabelled_speakers(
    doc: Sequence[Token], covered: set[int], speaking: set[str] = frozenset()
) -> list[tuple[int, int]]:
    """Runs of 2-3 capitalised proper nouns, not yet an entity, that are the subject of
    "say"/"tell"... ("… ," Dennis Omondi told reporters), or whose last word alone is
    such a subject elsewhere ("Ama Boateng does ..."; "Boateng says"): people."""
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(doc):
        token = doc[index]
        if token.pos_ != "PROPN" or index in covered or not token.is_title:
            index += 1
            continue
        end = index
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
            end += 1
        last = doc[end - 1]
        if (
            2 <= end - index <= 3
            and not any(i in covered for i in range(index, end))
            and all(t.is_alpha and t.lower_ not in _ORG_WORDS for t in doc[index:end])
            and (
                (last.dep_ == "nsubj" and last.head.lemma_.lower() in _SAY_LEMMAS)
                or last.text in speaking
            )
            and (index == 0 or doc[index - 1].lower_ not in ("the", "a", "an"))
        ):
            found.append((index, end))
        index = end
    return found


def _full_name_like(doc: Doc, start: int, end: int) -> bool:
    """Two or three capitalised words, hyphenated parts allowed ("Kassym-Jomart Tokayev")."""
    words = [t for t in doc[start:end] if t.text != "-"]
    return (
        2 <= len(words) <= 3
        and doc[start].text != "-"
        and doc[end - 1].text != "-"
        and all(t.is_alpha and t.is_title for t in words)
        and not any(
            t.lower_ in _ORG_WORDS or t.lower_ in _ORG_HEADS or t.lower_ in _FACILITY_HEADS
            for t in words
        )
    )


def _names_a_medium(doc: Sequence[Token], end: int) -> bool:
    """Whether the name ending before ``end`` modifies "news agency", "channel"...."""
    last = doc[end - 1]
    after = doc[end] if end < len(doc) else None
    return (
        after is not None
        and last.dep_ == "compound"
        and after.text.islower()
        and (after.lower_ in _MEDIA_NOUNS or after.head.lower_ in _MEDIA_NOUNS)
        and last.head.lower_ in _MEDIA_NOUNS | {"news", "television", "radio"}
    )


def _named_organisations(doc: Sequence[Token], covered: set[int]) -> list[tuple[int, int]]:
    """Unlabelled proper nouns the words around make organisations: a name before
    "news agency" / "television channel" ("the RIA news agency"), in apposition to
    an organisation noun ("Spain's weather agency, Aemet"), or a capitalised run
    ending in an organisation word ("Baker Heart and Diabetes Institute")."""
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(doc):
        token = doc[index]
        if index in covered or token.pos_ != "PROPN" or not token.text[:1].isupper():
            index += 1
            continue
        end = index
        while (
            end < len(doc)
            and end not in covered
            and (
                (doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper())
                or (
                    doc[end].lower_ in ("and", "of", "&")
                    and end + 1 < len(doc)
                    and doc[end + 1].text[:1].isupper()
                )
            )
        ):
            end += 1
        last = doc[end - 1]
        if (
            _names_a_medium(doc, end)
            or (
                last.dep_ == "appos"
                and last.head.text.islower()
                and last.head.lower_ in ORG_NOUNS
                and last.head.i < index
            )
            or (end - index > 1 and last.lower_ in _ORG_HEADS)
        ):
            found.append((index, end))
        index = end
    return found


def _speaking_surnames(doc: Sequence[Token]) -> set[str]:
    """Single capitalised words that are the subject of "say"/"tell"... ("Boateng says")."""
    return {
        token.text
        for token in doc
        if token.dep_ == "nsubj"
        and token.pos_ == "PROPN"
        and token.is_title
        and token.head.lemma_.lower() in _SAY_LEMMAS
        and not any(c.dep_ == "compound" for c in token.children)
        and (token.i == 0 or not doc[token.i - 1].is_title)
    }


def _org_name_start(doc: Doc, start: int) -> int:
    """Where an organisation name ending in "Institute", "Council"... really starts:
    the capitalised words (and inner "and"/"of") the model left out before it."""
    index = start
    while index > 0:
        before = doc[index - 1]
        if before.ent_type_ or not before.text[:1].isupper() or before.pos_ != "PROPN":
            if (
                before.lower_ in ("and", "of", "&")
                and index >= 2
                and doc[index - 2].pos_ == "PROPN"
                and doc[index - 2].text[:1].isupper()
                and not doc[index - 2].ent_type_
            ):
                index -= 1
                continue
            break
        index -= 1
    return index if doc[index].pos_ == "PROPN" else start


def _is_first_name(doc: Doc, index: int, name: int) -> bool:
    """An unlabelled capitalised compound right before a one-word person name."""
    if index < 0:
        return False
    token = doc[index]
    return (
        token.pos_ == "PROPN"
        and token.dep_ == "compound"
        and token.head.i == name
        and token.is_alpha
        and token.is_title
        and not token.ent_type_
        and token.lower_ not in TITLES
        and token.lower_ not in ROLE_NOUNS
        and token.lower_ not in _ORG_WORDS
        and not is_demonym(token)
        and (index == 0 or not doc[index - 1].is_title or doc[index - 1].is_sent_start)
    )


def _promote_quoted_full_names(doc: Doc, mentions: list[Mention], speakers: set[str]) -> None:
    """A full name the model took for a thing, whose last word alone is elsewhere the
    subject of "say"/"tell"... ("Ama Boateng ..." then "Boateng says"), is a person:
    organisations are not referred to by their last word alone."""
    for mention in mentions:
        if (
            mention.label not in ("PERSON", "NORP")
            and mention.label in NAME_LABELS
            and mention.canonical is None
            and not (mention.anchored and mention.label == "ORG")
            and doc[mention.end - 1].text in speakers
            and _full_name_like(doc, mention.start, mention.end)
        ):
            mention.label = "PERSON"
            mention.fixed = mention.anchored = True


@dataclass
class _Pass:
    """What the entity passes share while they run over one document."""

    doc: Doc
    known: Sequence[tuple[int, int, str, str]]
    people: dict[str, str]
    text: str
    # The doc's tokens, made once: spaCy makes a new Token object at every
    # ``doc[i]`` and every step over the doc, and the passes read each many times.
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)  # tokens inside a mention
    speaking: set[str] = field(default_factory=set)  # surnames that speak alone
    person_forms: set[str] = field(default_factory=set)
    full_names: list[str] = field(default_factory=list)
    registry: dict[str, str] = field(default_factory=dict)

    def add(self, start: int, end: int, label: str, **extra: Any) -> None:
        """A mention of tokens ``start..end`` that later passes leave alone."""
        self.mentions.append(_make(self.doc, start, end, label, **extra))
        self.covered.update(range(start, end))


def _registry_names(state: _Pass) -> None:
    """People / Sources registry matches first, longest first, never overlapping."""
    taken: list[tuple[int, int]] = []
    for start, end, label, canonical in sorted(state.known, key=lambda k: (k[0] - k[1], k[0])):
        if any(_overlaps((start, end), t) for t in taken):
            continue
        taken.append((start, end))
        state.mentions.append(_make(state.doc, start, end, label, canonical=canonical, fixed=True))


def _model_entities(state: _Pass) -> None:
    """The model's entities, trimmed and relabelled by the words around them; a
    registry match inside a longer model span of its label gives way to it."""
    doc = state.doc
    for ent in doc.ents:
        span = _model_span(doc, ent.start, ent.end, ent.label_)
        if span is None:
            continue
        start, end = span
        overlapping = [
            m for m in state.mentions if m.fixed and _overlaps((start, end), (m.start, m.end))
        ]
        if overlapping:
            inner = overlapping[0]
            if (
                len(overlapping) == 1
                and ent.label_ == inner.label
                and start <= inner.start
                and inner.end <= end
            ):
                state.mentions.remove(inner)  # keep the longer model span
                state.mentions.append(
                    _make(doc, start, end, ent.label_, canonical=None, fixed=True)
                )
            continue
        if _is_title_portfolio(doc, start, end):
            continue  # "Secretary of State", "Minister of Defence": part of a title
        forced = _context_label(doc, start, end, ent.label_)
        if forced is not None:
            state.mentions.append(_make(doc, start, end, forced, fixed=True, anchored=True))
        else:
            state.mentions.append(_make(doc, start, end, ent.label_))


def _model_span(doc: Doc, start: int, end: int, label: str) -> tuple[int, int] | None:
    """A model entity's tokens: articles and possessives trimmed, a leading role
    dropped, an organisation's left-out words and a person's first name joined."""
    start, end = _trim(doc, start, end)
    if doc[start:end].text.strip() == "":
        return None
    if (
        label == "PERSON"
        and end - start > 2
        and doc[start].is_title
        and doc[start].lower_ in ROLE_NOUNS
    ):
        start += 1  # "Farmer Iain Robertson": the role is not part of the name
    if label == "ORG" and doc[end - 1].lower_ in _ORG_HEADS:
        start = _org_name_start(doc, start)  # "Baker Heart and Diabetes Institute"
    if label == "PERSON" and end - start == 1 and _is_first_name(doc, start - 1, start):
        start -= 1  # "Ama Boateng" with only "Boateng" labelled: the first name joins
    return start, end


def _amounts(state: _Pass) -> None:
    """Amounts with a currency word or a percent sign the model missed or cut short."""
    doc = state.doc
    at_token = {i: m for m in state.mentions for i in range(m.start, m.end)}
    dropped: set[int] = set()
    for start, end, label in _numeric_spans(state.tokens):
        clash = list({id(m): m for i in range(start, end) if (m := at_token.get(i))}.values())
        if any(m.label not in _NUMERIC_LABELS or m.fixed for m in clash):
            continue
        if any(m.start <= start and end <= m.end and m.label == label for m in clash):
            continue
        for mention in clash:
            start, end = min(start, mention.start), max(end, mention.end)
            dropped.add(id(mention))
        added = _make(doc, start, end, label, fixed=True)
        state.mentions.append(added)
        at_token.update((i, added) for i in range(start, end))
    if dropped:
        state.mentions = [m for m in state.mentions if id(m) not in dropped]


def _nationalities(state: _Pass) -> None:
    """Nationality adjectives are NORP, never GPE; unlabelled ones are added."""
    doc = state.tokens
    for mention in state.mentions:
        state.covered.update(range(mention.start, mention.end))
        if (
            not mention.fixed
            and mention.end - mention.start == 1
            and mention.label in NAME_LABELS
            and is_demonym(doc[mention.start])
        ):
            mention.label = "NORP"
            mention.fixed = True
    for token in doc:
        lower = token.lower_
        if token.i not in state.covered and token.text[:1].isupper():
            if lower in DEMONYMS or (lower.endswith("s") and lower[:-1] in DEMONYMS):
                state.add(token.i, token.i + 1, "NORP", fixed=True)


def _organisations(state: _Pass) -> None:
    """Unlabelled names the words around make organisations ("the RIA news agency")."""
    for start, end in _named_organisations(state.tokens, state.covered):
        state.add(start, end, "ORG", fixed=True, anchored=True)


def _speaking_people(state: _Pass) -> None:
    """Full names whose surname speaks alone elsewhere are people, and so are
    unlabelled runs of capitalised words that speak ("Dennis Omondi told ...")."""
    state.speaking = _speaking_surnames(state.tokens)
    _promote_quoted_full_names(state.doc, state.mentions, state.speaking)
    for start, end in _unlabelled_speakers(state.tokens, state.covered, state.speaking):
        state.add(start, end, "PERSON")


def _person_forms(state: _Pass) -> None:
    """Surname consistency: a name seen inside a multi-token PERSON is a person,
    and so is a registry person's form."""
    doc = state.doc
    for mention in state.mentions:
        if mention.label == "PERSON" and mention.end - mention.start > 1:
            name = strip_name(mention.text)
            if " " in name:
                state.full_names.append(name)
                state.person_forms.add(name)
                last = doc[mention.end - 1]
                if last.text[:1].isupper() and last.is_alpha:
                    state.person_forms.add(last.text)
                surname = name.split()[-1]
                if "-" in surname and surname[:1].isupper():
                    state.person_forms.add(surname)  # "Sarah Ellis-Hart": "Ellis-Hart"
    state.registry = dict(state.people)
    for mention in state.mentions:
        if mention.fixed and mention.canonical and mention.label == "PERSON":
            state.registry[mention.text] = mention.canonical
            state.person_forms.add(mention.text)
    for mention in state.mentions:
        if mention.fixed or mention.label not in NAME_LABELS:
            continue
        if strip_name(mention.text) in state.person_forms:
            mention.label = "PERSON"
            mention.fixed = True


def _surnames(state: _Pass) -> None:
    """Unlabelled repeats of a person's surname are that person."""
    surnames = {form for form in state.person_forms if " " not in form}
    for token in state.tokens:
        if (
            token.i not in state.covered
            and token.text in surnames
            and token.pos_ in ("PROPN", "NOUN", "X")
        ):
            state.add(token.i, token.i + 1, "PERSON", fixed=True)


def _repeats(state: _Pass) -> None:
    """Unlabelled repeats of a name the model labelled elsewhere join the vote."""
    doc = state.tokens
    names: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
    for mention in state.mentions:
        if mention.label in NAME_LABELS and mention.label != "NORP":
            words = tuple(t.text for t in doc[mention.start : mention.end])
            if words[0][:1].isupper():
                names[words[0]].setdefault(words, mention.label)
    for token in doc:
        if token.i in state.covered or token.pos_ != "PROPN" or token.text not in names:
            continue
        for words, label in sorted(names[token.text].items(), key=lambda w: -len(w[0])):
            end = token.i + len(words)
            if tuple(t.text for t in doc[token.i : end]) != words:
                continue
            if not any(i in state.covered for i in range(token.i, end)):
                state.add(token.i, end, label)
            break


def _hyphenated_companies(state: _Pass) -> None:
    """ "Abbott-Baxter reported a loss": a lone hyphenated name the model took for
    a person, with no first name, title or role around it, and no full name of a
    person ending in it, is a company. ("Sarah Ellis-Hart ... Ellis-Hart said"
    stays a person: the full name made it one in ``_person_forms``.)"""
    doc = state.doc
    for mention in state.mentions:
        if (
            mention.label == "PERSON"
            and not mention.fixed
            and _HYPHENATED.match(mention.text)
            and mention.text not in state.person_forms
            and not any(name.endswith(" " + mention.text) for name in state.full_names)
            and not (mention.start > 0 and _is_role(doc[mention.start - 1]))
            and not any(c.dep_ == "appos" and _is_role(c) for c in doc[mention.end - 1].children)
        ):
            mention.label = "ORG"


def _sports_teams(state: _Pass) -> None:
    """A city or country that beats, hosts or loses to another in a sentence with a
    score or a sports word is a team ("Toronto beat Boston 3-1"): ORG. A score the
    model joined to the name ("Ottawa 4-3") is cut off."""
    doc = state.doc
    for mention in state.mentions:
        end = mention.end
        while end - mention.start > 1 and (doc[end - 1].like_num or doc[end - 1].text in "-–"):
            end -= 1
        if end < mention.end and _SCORE.search(doc[end : mention.end].text):
            span = doc[mention.start : end]
            mention.end, mention.end_char, mention.text = end, span.end_char, span.text
            mention.label = "GPE" if mention.label == "PERSON" else mention.label
            mention.fixed = mention.anchored = False  # the score misled the label
    for mention in list(state.mentions):
        if mention.label not in ("GPE", "ORG") or (mention.fixed and mention.label == "GPE"):
            continue
        verb = _game_verb(doc[mention.end - 1])
        if verb is not None and _about_a_game(verb.sent):
            mention.label = "ORG"
            mention.fixed = True
            _other_side(state, verb)


def _other_side(state: _Pass, verb: Token) -> None:
    """The opponent the model left unlabelled ("Winnipeg lost to Vancouver"): a lone
    capitalised proper noun on the other side of the game verb is a team too."""
    for token in verb.subtree:
        if (
            token.i not in state.covered
            and token.pos_ == "PROPN"
            and token.is_title
            and getattr(_game_verb(token), "i", None) == verb.i
            and not any(m.start <= token.i < m.end for m in state.mentions)
        ):
            state.add(token.i, token.i + 1, "ORG", fixed=True)


def _game_verb(token: Token) -> Token | None:
    """The sports verb whose subject or object (direct, or after to/over/against/
    with) ``token`` is, through a conjunction."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in ("to", "over", "against", "with"):
        head = head.head
    elif token.dep_ not in ("nsubj", "dobj", "npadvmod"):
        return None  # ("npadvmod": "edged Ottawa 4-3", the score misleads the parse)
    return head if head.lemma_.lower() in _SPORTS_VERBS and head.pos_ == "VERB" else None


def _about_a_game(sent: Span) -> bool:
    return bool(_SCORE.search(sent.text)) or any(t.lower_ in _SPORTS_WORDS for t in sent)


def _capital_lines(state: _Pass) -> None:
    """Names on an all-capitals line ("LUKASHENKO WARNS NEIGHBOURS") that the
    article names in ordinary case ("Alexander Lukashenko") take that label; the
    model's other guesses on such a line (any run of capitals looks like a name
    to it) are dropped, registry matches kept."""
    doc = state.doc
    lines = _capital_line_spans(state.text)
    if not lines:
        return
    inside = {t.i for t in doc if any(a <= t.idx < b for a, b in lines)}
    known = _names_in_ordinary_case(state, inside)
    state.mentions = [
        m
        for m in state.mentions
        if m.start not in inside or m.canonical is not None or m.label not in NAME_LABELS
    ]
    taken = {i for m in state.mentions for i in range(m.start, m.end)}
    for index in sorted(inside):
        for size in (3, 2, 1):
            span = doc[index : index + size]
            label = known.get(span.text.casefold())
            if (
                label is not None
                and span.text.isupper()
                and len(span.text) > 2
                and all(i in inside and i not in taken for i in range(index, index + size))
            ):
                state.add(index, index + size, label, fixed=True)
                taken.update(range(index, index + size))
                break


def _names_in_ordinary_case(state: _Pass, inside: set[int]) -> dict[str, str]:
    """Casefolded names (and a person's surname) outside the capitals lines, with labels."""
    known: dict[str, str] = {}
    for mention in state.mentions:
        if mention.label in NAME_LABELS and mention.start not in inside:
            known.setdefault(mention.text.casefold(), mention.label)
            words = mention.text.split()
            if mention.label == "PERSON" and len(words) > 1:
                known.setdefault(words[-1].casefold(), "PERSON")
    return known


def _capital_line_spans(text: str) -> list[tuple[int, int]]:
    """Lines of three words or more, every one in capitals."""
    found: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\r\n]+", text):
        if not line.group().isupper():
            continue  # a lower-case letter anywhere: not a capitals line
        if len(re.findall(r"[^\W\d_]+", line.group())) >= 3:
            found.append(line.span())
    return found


def _vote(state: _Pass) -> None:
    """Majority vote over the remaining mentions of the same text; a label the
    context forced elsewhere in the article wins outright."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    anchors: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in state.mentions:
        if mention.anchored:
            anchors[strip_name(mention.text)][mention.label] += 1
        elif not mention.fixed and mention.label in NAME_LABELS:
            groups[strip_name(mention.text)].append(mention)
    for key, group in groups.items():
        if key in anchors:
            best = anchors[key].most_common(1)[0][0]
        else:
            best = _majority(state.doc, group)
        for mention in group:
            mention.label = best


def _majority(doc: Doc, group: list[Mention]) -> str:
    """The label with the heaviest context votes; on a tie, the one seen first."""
    votes: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for order, mention in enumerate(sorted(group, key=lambda m: m.start)):
        label, weight = _context_vote(doc, mention)
        votes[label] += weight
        first_seen.setdefault(label, order)
    return max(votes.items(), key=lambda item: (item[1], -first_seen[item[0]]))[0]


#: The entity passes, in the order they run; each reads and extends the
#: mentions the ones before it found.
PASSES: tuple[Callable[[_Pass], None], ...] = (
    _registry_names,
    _model_entities,
    _amounts,
    _nationalities,
    _organisations,
    _speaking_people,
    _person_forms,
    _surnames,
    _repeats,
    _hyphenated_companies,
    _sports_teams,
    _capital_lines,
    _vote,
)


def find_entities(
    doc: Doc,
    known: Sequence[tuple[int, int, str, str]] = (),
    people: dict[str, str] | None = None,
    *,
    text: str | None = None,
) -> Entities:
    """Entity mentions of ``doc`` with one label per name across the article.

    ``known`` holds registry matches ``(start_token, end_token, label, canonical)``;
    ``people`` maps every registry form of a person (name, aliases) to its name;
    ``text`` is ``doc.text``, passed when known (spaCy builds it token by token).
    """
    state = _Pass(
        doc=doc,
        known=known,
        people=dict(people or {}),
        text=doc.text if text is None else text,
        tokens=list(doc),
    )
    for step in PASSES:
        step(state)
    return _entities(state)


def _entities(state: _Pass) -> Entities:
    """The mentions in text order without overlaps, with the lookups the rules use."""
    mentions = sorted(state.mentions, key=lambda m: (m.start, -m.end))
    result: list[Mention] = []
    last_end = -1
    for mention in mentions:
        if mention.start >= last_end:
            result.append(mention)
            last_end = mention.end
    entities = Entities(mentions=result, full_names=state.full_names, registry=state.registry)
    for mention in result:
        for index in range(mention.start, mention.end):
            entities.by_token[index] = mention
    for mention in result:
        if mention.label == "PERSON":
            canonical = mention.canonical or entities.canonical_person(mention.text)
            entities.counts[canonical] += 1
    return entities
