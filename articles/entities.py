"""Sentence spans and entity post-processing over a parsed spaCy ``Doc``.

Analysis internals: takes spaCy objects from :mod:`articles.nlp`, returns plain
offsets. The post-pass makes labels consistent across an article (one label
per name), applies the People / Sources registry, fixes nationality adjectives
to NORP and finds unlabelled repeats of names already known to be people.
Every pass is linear in the number of tokens.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Labels that name things; consistency voting only happens between these.
NAME_LABELS = frozenset(
    {"PERSON", "GPE", "LOC", "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LANGUAGE"}
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

DEMONYMS = frozenset(
    """
    afghan african albanian algerian american angolan arab arabian argentine argentinian
    armenian asian australian austrian azerbaijani bahraini bangladeshi belarusian belgian
    bolivian bosnian brazilian british bulgarian burmese cambodian cameroonian canadian
    chadian chilean chinese colombian congolese croatian cuban cypriot czech danish dutch
    ecuadorian egyptian emirati english eritrean estonian ethiopian european filipino finnish
    french georgian german ghanaian greek guatemalan haitian honduran hungarian icelandic
    indian indonesian iranian iraqi irish israeli italian ivorian jamaican japanese jordanian
    kazakh kenyan korean kosovar kurdish kuwaiti kyrgyz laotian latvian lebanese libyan
    lithuanian macedonian malaysian malian maltese mexican moldovan mongolian montenegrin
    moroccan mozambican namibian nepali nepalese nicaraguan nigerian nigerien norwegian omani
    pakistani palestinian panamanian paraguayan persian peruvian polish portuguese qatari
    romanian russian rwandan saudi scottish senegalese serbian sierra singaporean slovak
    slovenian somali sudanese spanish swedish swiss syrian taiwanese tajik tanzanian thai
    tibetan tunisian turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese
    welsh yemeni zambian zimbabwean western soviet
    """.split()
)
_DEMONYM_SUFFIX = re.compile(r"(ians?|eans?|ese|ish)$")

TITLES = frozenset(
    """
    mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame lord lady president vice prime
    minister secretary senator sen. sen rep rep. representative governor gov. gov mayor
    chancellor king queen prince princess pope general gen. gen colonel col. captain capt.
    lieutenant sergeant admiral commander chief judge justice ambassador envoy spokesman
    spokeswoman spokesperson premier sheikh emir ayatollah cardinal bishop rabbi imam
    chairman chairwoman chair ceo director deputy
    """.split()
)

# Prepositions after which a name is almost surely a place.
_LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "into", "across", "throughout", "inside", "outside", "around", "within"}
)
# "to X" / "from X" is a place after these heads.
_MOTION_HEADS = frozenset(
    """
    visit trip travel journey return flight go come fly arrive move flee head drive
    deploy send evacuate relocate road route way mission tour delegation
    """.split()
)
_LEADING_DROP = frozenset({"the", "a", "an"})
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

    def as_dict(self) -> dict[str, Any]:
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
        for full in self.full_names:
            if (full == name or full.endswith(" " + name)) and len(full) > len(best):
                best = full
        if best in self.registry:
            return self.registry[best]
        surname = best.split()[-1]
        hits = {canon for form, canon in self.registry.items() if form.split()[-1] == surname}
        if len(hits) == 1 and (" " not in name or name.split()[0] in next(iter(hits))):
            return next(iter(hits))
        return best


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


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of sentences, split at line breaks, whitespace trimmed."""
    text = doc.text
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        start = sent.start_char
        for piece in re.finditer(r"[^\r\n]+", text[start : sent.end_char]):
            raw = piece.group()
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            s = start + piece.start() + lead
            spans.append((s, s + len(stripped)))
    return spans


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
    if mention.label in ("PERSON", "GPE", "LOC") and head.dep_ == "pobj":
        prep = head.head.lower_
        if prep in _LOCATIVE_PREPS or (
            prep in ("to", "from") and head.head.head.lemma_.lower() in _MOTION_HEADS
        ):
            return ("GPE" if mention.label == "PERSON" else mention.label), 2
    return mention.label, 1


_TITLE_HEADS = {"secretary", "minister", "undersecretary", "commissioner", "chancellor"}


def _is_title_portfolio(doc: Doc, start: int, end: int) -> bool:
    """A one-word portfolio after a title ("Secretary of State"): not an entity of its own."""
    return (
        end - start == 1
        and start >= 2
        and doc[start - 1].lower_ == "of"
        and doc[start - 2].lower_ in _TITLE_HEADS
        and doc[start].ent_type_ in ("ORG", "GPE", "LOC")
    )


def find_entities(
    doc: Doc,
    known: Sequence[tuple[int, int, str, str]] = (),
    people: dict[str, str] | None = None,
) -> Entities:
    """Entity mentions of ``doc`` with one label per name across the article.

    ``known`` holds registry matches ``(start_token, end_token, label, canonical)``;
    ``people`` maps every registry form of a person (name, aliases) to its name.
    """
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for start, end, label, canonical in sorted(known, key=lambda k: (k[0] - k[1], k[0])):
        if any(_overlaps((start, end), t) for t in taken):
            continue
        taken.append((start, end))
        mentions.append(_make(doc, start, end, label, canonical=canonical, fixed=True))

    for ent in doc.ents:
        start, end = _trim(doc, ent.start, ent.end)
        if doc[start:end].text.strip() == "":
            continue
        overlapping = [m for m in mentions if m.fixed and _overlaps((start, end), (m.start, m.end))]
        if overlapping:
            inner = overlapping[0]
            if (
                len(overlapping) == 1
                and ent.label_ == inner.label
                and start <= inner.start
                and inner.end <= end
            ):
                mentions.remove(inner)  # keep the longer model span, remember the registry name
                mentions.append(_make(doc, start, end, ent.label_, canonical=None, fixed=True))
            continue
        if _is_title_portfolio(doc, start, end):
            continue  # "Secretary of State", "Minister of Defence": part of a title
        mentions.append(_make(doc, start, end, ent.label_))

    # Nationality adjectives are NORP, never GPE.
    covered: set[int] = set()
    for mention in mentions:
        covered.update(range(mention.start, mention.end))
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
        if token.i not in covered and token.text[:1].isupper():
            if lower in DEMONYMS or (lower.endswith("s") and lower[:-1] in DEMONYMS):
                mentions.append(_make(doc, token.i, token.i + 1, "NORP", fixed=True))
                covered.add(token.i)

    # Surname consistency: a name seen inside a multi-token PERSON is a person.
    person_forms: set[str] = set()
    full_names: list[str] = []
    for mention in mentions:
        if mention.label == "PERSON" and mention.end - mention.start > 1:
            name = strip_name(mention.text)
            if " " in name:
                full_names.append(name)
                person_forms.add(name)
                last = doc[mention.end - 1]
                if last.text[:1].isupper() and last.is_alpha:
                    person_forms.add(last.text)
    registry: dict[str, str] = dict(people or {})
    for mention in mentions:
        if mention.fixed and mention.canonical and mention.label == "PERSON":
            registry[mention.text] = mention.canonical
            person_forms.add(mention.text)
    for mention in mentions:
        if mention.fixed or mention.label not in NAME_LABELS:
            continue
        if strip_name(mention.text) in person_forms:
            mention.label = "PERSON"
            mention.fixed = True
    surnames = {form for form in person_forms if " " not in form}
    for token in doc:
        if (
            token.i not in covered
            and token.text in surnames
            and token.pos_ in ("PROPN", "NOUN", "X")
        ):
            mentions.append(_make(doc, token.i, token.i + 1, "PERSON", fixed=True))
            covered.add(token.i)

    # Unlabelled repeats of a name the model labelled elsewhere join the vote.
    names: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
    for mention in mentions:
        if mention.label in NAME_LABELS and mention.label != "NORP":
            words = tuple(t.text for t in doc[mention.start : mention.end])
            if words[0][:1].isupper():
                names[words[0]].setdefault(words, mention.label)
    for token in doc:
        if token.i in covered or token.pos_ != "PROPN" or token.text not in names:
            continue
        for words, label in sorted(names[token.text].items(), key=lambda w: -len(w[0])):
            end = token.i + len(words)
            if tuple(t.text for t in doc[token.i : end]) != words:
                continue
            if not any(i in covered for i in range(token.i, end)):
                mentions.append(_make(doc, token.i, end, label))
                covered.update(range(token.i, end))
            break

    # Majority vote over the remaining mentions of the same text.
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        if not mention.fixed and mention.label in NAME_LABELS:
            groups[strip_name(mention.text)].append(mention)
    for group in groups.values():
        votes: Counter[str] = Counter()
        first_seen: dict[str, int] = {}
        for order, mention in enumerate(sorted(group, key=lambda m: m.start)):
            label, weight = _context_vote(doc, mention)
            votes[label] += weight
            first_seen.setdefault(label, order)
        best = max(votes.items(), key=lambda item: (item[1], -first_seen[item[0]]))[0]
        for mention in group:
            mention.label = best

    mentions.sort(key=lambda m: (m.start, -m.end))
    result: list[Mention] = []
    last_end = -1
    for mention in mentions:
        if mention.start >= last_end:
            result.append(mention)
            last_end = mention.end
    entities = Entities(mentions=result, full_names=full_names, registry=registry)
    for mention in result:
        for index in range(mention.start, mention.end):
            entities.by_token[index] = mention
    for mention in result:
        if mention.label == "PERSON":
            canonical = mention.canonical or entities.canonical_person(mention.text)
            entities.counts[canonical] += 1
    return entities
