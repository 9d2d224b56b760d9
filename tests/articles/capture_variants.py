"""Many distinct page captures made by varying our own news texts (tests/data/news).

For the bulk-ingest tests and bench/bench_ingest.py. Deterministic (a fixed
seed): article ``i`` takes the paragraphs of one of the ten news texts, renames
its people and places, changes its figures and reorders some paragraphs; each
later revision of it edits a sentence, renames a speaker or adds a paragraph.
Every capture states its address on the first line, so captures of one article
are matched to it, and no two captures have the same content.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from articles.models import ImportBatch

NEWS = Path(__file__).resolve().parent.parent / "data" / "news"

FIRST = ["Anna", "Jonas", "Mira", "Pavel", "Leila", "Tomas", "Ines", "Kofi", "Sara", "Ravi"]
LAST = ["Berg", "Novak", "Okafor", "Lindqvist", "Moreau", "Haddad", "Ferreira", "Kowalski"]
PLACES = ["Lisbon", "Gdansk", "Porto", "Tampere", "Lyon", "Graz", "Bergen", "Utrecht"]
AGENCIES = ["AFP", "Reuters", "AP", "DPA", "EFE"]
ADDED = [
    "“We will publish the full figures next week,” {name} said in a statement on {day}.",
    "{name}, who has followed the case for years, said the decision was expected.",
    "Officials in {place} said they had not been consulted, according to local media.",
    "The ministry declined to comment when asked about the report on {day}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _paragraphs(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _renamed(text: str, rng: random.Random) -> str:
    """Figures changed and capitalised two-word names swapped for invented ones."""
    text = re.sub(r"\b\d+\b", lambda m: str(int(m[0]) + rng.randint(1, 9)), text)
    names: dict[str, str] = {}

    def swap(m: re.Match[str]) -> str:
        if m[0] not in names:
            names[m[0]] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        return names[m[0]]

    return re.sub(r"\b[A-Z][a-z]+ (?:van |de )?[A-Z][a-z]{2,}\b(?= said| told|,)", swap, text)


def _edited(paragraphs: list[str], rng: random.Random, revision: int) -> list[str]:
    """The next revision of an article's paragraphs: one edit of three kinds."""
    paragraphs = list(paragraphs)
    kind = revision % 3
    if kind == 0:
        index = rng.randrange(len(paragraphs))
        paragraphs[index] = paragraphs[index].replace(" said ", " told reporters ", 1)
        paragraphs[index] += f" (Updated in revision {revision}.)"
    elif kind == 1:
        index = rng.randrange(len(paragraphs))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        paragraphs[index] = re.sub(r"\b[A-Z][a-z]+ [A-Z][a-z]+(?= said)", name, paragraphs[index])
        paragraphs[index] += f" The figure was revised on {rng.choice(DAYS)}."
    else:
        template = rng.choice(ADDED)
        paragraphs.insert(
            rng.randrange(1, len(paragraphs) + 1),
            template.format(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                place=rng.choice(PLACES),
                day=rng.choice(DAYS),
            ),
        )
    return paragraphs


def capture_texts(
    articles: int, revisions: int, *, seed: int = 11, prefix: str = "story"
) -> list[tuple[str, str]]:
    """``articles`` x ``revisions`` captures as (file name, text), article by article,
    each article's revisions in order; ``prefix`` names the articles' addresses."""
    rng = random.Random(seed)
    bases = [_paragraphs(path) for path in sorted(NEWS.glob("*.txt"))]
    out: list[tuple[str, str]] = []
    for i in range(articles):
        base = bases[i % len(bases)]
        paragraphs = [_renamed(p, rng) for p in base]
        tail = paragraphs[2:]
        rng.shuffle(tail)
        paragraphs = paragraphs[:2] + tail
        words = paragraphs[0].split()
        title = " ".join(words[: rng.randint(8, 12)]).rstrip(",.;:") + f" ({i + 1})"
        agency = AGENCIES[i % len(AGENCIES)]
        reporter = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        for r in range(1, revisions + 1):
            if r > 1:
                paragraphs = _edited(paragraphs, rng, r)
            text = "\n\n".join(
                [
                    f"https://news.example.org/2026/{prefix}-{i + 1:05d}",
                    f"{title}\nBy {reporter}\nMay {1 + i % 28}, 2026 {1 + r}:00 PM",
                    *paragraphs,
                    f"Source: {agency}",
                ]
            )
            out.append((f"a{i + 1:05d}-r{r}.txt", text + "\n"))
    return out


def write_captures(
    directory: Path, articles: int, revisions: int, *, seed: int = 11, prefix: str = "story"
) -> list[Path]:
    """Write the captures as files (names sort in recording order); returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in capture_texts(articles, revisions, seed=seed, prefix=prefix):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def import_batch_of(texts: list[tuple[str, str]]) -> ImportBatch:
    """An import batch of these captures (file name, text), waiting to be recorded."""
    from articles import services

    captures = [services.CaptureIn.read(text.encode(), filename=name) for name, text in texts]
    return services.import_batch_create(captures=captures, label="test")
