"""Synthetic news text for benchmarks and load tests (``manage.py generate_corpus``).

Pure functions on plain data, seeded: the same seed gives the same corpus. A
*template* is a short wire story (paragraphs with direct quotes, reported speech
and "according to"), and its *variants* are what later revisions of it look
like: an edit (a figure changed, a paragraph moved, one added), an attribution
change (a quote given to someone else, as a correction would), an update.
Articles reuse templates, so only the templates' variants need analysing.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

FIRST = (
    "Anna", "Oleh", "Maria", "Pierre", "Sofia", "Daniel", "Amira", "Jonas", "Lucia", "Kenji",
    "Ines", "Tomas", "Leila", "Marco", "Hanna", "Viktor", "Nadia", "Samuel", "Elena", "Rafael",
)  # fmt: skip
LAST = (
    "Kovalenko", "Dubois", "Moreau", "Schmidt", "Rossi", "Novak", "Haddad", "Tanaka", "Silva",
    "Jensen", "Okafor", "Lindqvist", "Petrov", "Garcia", "Weber", "Costa", "Nowak", "Ibrahim",
    "Fischer", "Laurent",
)  # fmt: skip
ROLES = (
    "foreign minister", "defence minister", "mayor", "spokesperson", "central bank governor",
    "union leader", "health minister", "chief executive", "prosecutor", "energy minister",
)  # fmt: skip
PLACES = (
    "Kharkiv", "Geneva", "Brussels", "Warsaw", "Nairobi", "Lisbon", "Jakarta", "Lima",
    "Ottawa", "Seoul", "Cairo", "Oslo", "Manila", "Bogota", "Tunis", "Hanoi",
)  # fmt: skip
TOPICS = (
    "grain exports", "air defence", "the budget", "port strikes", "vaccine supplies",
    "border crossings", "power cuts", "interest rates", "flood relief", "fishing quotas",
    "the ceasefire", "rail tariffs", "wheat prices", "gas storage", "refugee housing",
)  # fmt: skip
OUTLETS = (
    "AFP", "Reuters", "AP", "DPA", "EFE", "ANSA", "Kyodo", "PAP", "Xinhua", "Yonhap",
    "Anadolu", "TASS", "Ukrinform", "Belga", "ANP", "Lusa", "CTK", "MTI", "NTB", "TT",
)  # fmt: skip
VERBS = ("said", "told reporters", "added", "warned", "insisted")
HEADLINE_VERBS = ("seeks", "rejects", "backs", "warns over", "defends", "questions", "pledges")


def people(count: int) -> list[tuple[str, str]]:
    """``count`` distinct (name, role) pairs, in a fixed order."""
    names = [f"{first} {last}" for last in LAST for first in FIRST]
    return [(names[i], ROLES[i % len(ROLES)]) for i in range(min(count, len(names)))]


def sources(count: int) -> list[str]:
    """``count`` distinct outlet names: the agencies, then numbered regional outlets."""
    names = list(OUTLETS)
    n = 1
    while len(names) < count:
        names.append(f"Regional Press {n}")
        n += 1
    return names[:count]


@dataclass
class Template:
    """A story and the bodies of its later revisions (``variants[0]`` is the first)."""

    topic: str
    place: str
    speakers: list[str]
    variants: list[str] = field(default_factory=list)
    #: Why each variant differs from the one before ("" for the first).
    changes: list[str] = field(default_factory=list)


def _quote_paragraph(rng: random.Random, speaker: str, role: str, topic: str, place: str) -> str:
    figure = rng.randint(2, 90)
    verb = rng.choice(VERBS)
    shapes = (
        f"“We need {figure} more days to settle {topic},” {speaker}, the {role}, {verb} in {place}.",
        f"{speaker} {verb} that {topic} would dominate talks in {place} for at least {figure} weeks.",
        f"According to {speaker}, {figure} delegations are expected in {place} to discuss {topic}.",
        f"“There is no agreement on {topic} yet,” {speaker} {verb}. “Talks continue.”",
        f"Officials in {place} said {figure} percent of the proposals on {topic} had been accepted.",
    )
    return rng.choice(shapes)


def _background(rng: random.Random, topic: str, place: str) -> str:
    year = rng.randint(2015, 2024)
    return rng.choice(
        (
            f"The dispute over {topic} dates back to {year}, when talks in {place} first stalled.",
            f"Markets reacted calmly to the news from {place} on Tuesday.",
            f"Several delegations left {place} without commenting on {topic}.",
            f"Analysts expect a decision on {topic} before the end of the year.",
        )
    )


def template_make(rng: random.Random, cast: list[tuple[str, str]], *, revisions: int) -> Template:
    """A story of 5-7 paragraphs and ``revisions`` bodies of it."""
    topic, place = rng.choice(TOPICS), rng.choice(PLACES)
    chosen = rng.sample(cast, k=min(4, len(cast)))
    speakers = [name for name, _ in chosen]
    paragraphs = [
        _quote_paragraph(rng, name, role, topic, place)
        for name, role in chosen[: rng.randint(3, 4)]
    ]
    for _ in range(rng.randint(2, 3)):
        paragraphs.insert(rng.randint(1, len(paragraphs)), _background(rng, topic, place))
    template = Template(topic=topic, place=place, speakers=speakers)
    template.variants.append("\n\n".join(paragraphs))
    template.changes.append("")
    for number in range(2, revisions + 1):
        paragraphs, change = _revise(rng, paragraphs, number, chosen, topic, place)
        template.variants.append("\n\n".join(paragraphs))
        template.changes.append(change)
    return template


def _revise(
    rng: random.Random,
    paragraphs: list[str],
    number: int,
    cast: list[tuple[str, str]],
    topic: str,
    place: str,
) -> tuple[list[str], str]:
    """The next revision's paragraphs: edit + move + addition, attribution change (and,
    in some stories, a quoted paragraph cut), update."""
    out = list(paragraphs)
    kind = ("edit", "attribution", "update")[(number - 2) % 3]
    if kind == "edit":
        i = rng.randrange(len(out))
        out[i] = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), out[i], count=1)
        moved = out.pop(len(out) - 1)
        out.insert(1, moved)
        name, role = rng.choice(cast)
        out.append(_quote_paragraph(rng, name, role, topic, place))
        return out, "edit"
    if kind == "attribution":
        names = [name for name, _ in cast]
        for i, paragraph in enumerate(out):
            said = [n for n in names if n in paragraph]
            if said:
                other = next(n for n in names if n != said[0])
                out[i] = paragraph.replace(said[0], other, 1)
                change = f"attribution: {said[0]} -> {other}"
                quoted = [j for j, p in enumerate(out) if j != i and any(n in p for n in names)]
                if quoted and rng.random() < 0.5:  # and a quote cut: its notes are orphaned
                    del out[rng.choice(quoted)]
                    change += ", a paragraph cut"
                return out, change
        return [*out, _background(rng, topic, place)], "addition"
    out.append(f"Update: {_background(rng, topic, place)}")
    return out, "update"


def headline(rng: random.Random, speaker: str, topic: str, place: str) -> str:
    return f"{speaker.split()[-1]} {rng.choice(HEADLINE_VERBS)} {topic} plan in {place}"


def standfirst(rng: random.Random, topic: str, place: str) -> str:
    return rng.choice(
        (
            f"Talks on {topic} resume in {place} as pressure grows.",
            f"Delegations in {place} remain divided over {topic}.",
            f"A new proposal on {topic} is expected from {place} this week.",
        )
    )
