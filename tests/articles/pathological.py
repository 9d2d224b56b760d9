"""Pathological captures, made here (deterministic, our own words): what a broken
export, a paste gone wrong or a hostile upload could hand the importer.

Used by tests/articles/test_pathological.py (each is recorded or refused with a
clear message) and bench/bench_pathological.py (time and peak memory of each).
"""

from __future__ import annotations

import random

TITLE = "Pathological capture: {name}"

_SENTENCES = [
    "The council met on Tuesday to discuss the budget for the coming year.",
    "Officials said the bridge would reopen next week after repairs.",
    "“We will not back down,” said Jane Smith, the mayor of the city.",
    "The minister told reporters that talks would resume in Brussels.",
    "According to the agency, prices rose by 3 percent in March.",
    "Protesters gathered outside parliament as the vote was held.",
    "She said the decision had been taken after long consultation.",
    "The company added 300 jobs, and its shares rose on Monday.",
]
_WORDS = (
    "council budget minister bridge talks agency prices vote parliament mayor city "
    "officials week repairs reporters decision company jobs shares market river road "
    "school hospital election report court police weather harbour train station"
).split()
_ARABIC = "قال الوزير إن المحادثات ستستأنف الأسبوع المقبل في بروكسل بعد اجتماع طويل".split()
_HEBREW = "אמר השר כי השיחות יתחדשו בשבוע הבא בבריסל לאחר פגישה ארוכה".split()
_EMOJI = ["😀", "🚀", "🇺🇦", "👩‍💻", "🔥", "📰", "✅", "🌍", "🎉", "🙏🏽"]

#: The capture limit is 2 MiB; the single paragraph stays just under it.
SINGLE_PARAGRAPH_BYTES = 1_900_000


def _paragraphs(sentences: list[str], per_paragraph: int) -> str:
    return "\n\n".join(
        " ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)
    )


def _news_sentences(words: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(_SENTENCES)
        out.append(sentence)
        count += len(sentence.split())
    return out


def words_100k() -> str:
    """100,000 words of news-like prose in paragraphs of five sentences."""
    return _paragraphs(_news_sentences(100_000, random.Random(1)), 5)


def no_punctuation() -> str:
    """20,000 words without a single punctuation mark, in paragraphs of 200 words."""
    rng = random.Random(2)
    words = [rng.choice(_WORDS) for _ in range(20_000)]
    return "\n\n".join(" ".join(words[i : i + 200]) for i in range(0, len(words), 200))


def only_quotations() -> str:
    """2,000 quotations and nothing else: no speaker, no cue."""
    rng = random.Random(3)
    quotes = [f"“{rng.choice(_SENTENCES).strip('“”')}”" for _ in range(2_000)]
    return _paragraphs(quotes, 2)


def emoji() -> str:
    """10,000 emoji (flags, skin tones, joined sequences) between words."""
    rng = random.Random(4)
    tokens = [rng.choice(_EMOJI) if i % 2 else rng.choice(_WORDS) for i in range(20_000)]
    return "\n\n".join(" ".join(tokens[i : i + 100]) + "." for i in range(0, len(tokens), 100))


def right_to_left() -> str:
    """10,000 words of Arabic and Hebrew, with a few English names in between."""
    rng = random.Random(5)
    paragraphs = []
    for n in range(500):
        words = _ARABIC if n % 2 else _HEBREW
        body = " ".join(rng.choice(words) for _ in range(19))
        paragraphs.append(f"{body} Kharkiv.")
    return "\n\n".join(paragraphs)


def single_paragraph() -> str:
    """Prose with no paragraph break (no newline at all) filling 1.9 MB."""
    rng = random.Random(6)
    parts: list[str] = []
    size = 0
    while size < SINGLE_PARAGRAPH_BYTES - 200:
        sentence = rng.choice(_SENTENCES)
        parts.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
    return " ".join(parts)


CASES = {
    "100,000 words": words_100k,
    "no punctuation": no_punctuation,
    "only quotations": only_quotations,
    "emoji": emoji,
    "right-to-left": right_to_left,
    "1.9 MB single paragraph": single_paragraph,
}


def capture(name: str) -> bytes:
    """The case as a plain-text page capture: its headline, a blank line, its body."""
    body = CASES[name]()
    return f"{TITLE.format(name=name)}\n\n{body}\n".encode()
