"""Benchmark of ``review.diffing.align`` on synthetic news-like revisions.

    .venv/bin/python bench/bench_diff.py            # table for docs/PERFORMANCE.md
    .venv/bin/python bench/bench_diff.py --check    # exit 1 if 5k words >= 30 ms

A revision pair is a list of generated sentences (fixed seed, a vocabulary of
news words and names) and a copy in which 10% of the sentences were edited
(one or two words replaced), moved elsewhere, or added. Sentences are
pre-split: ``align`` takes sentence lists. The baseline is a plain
``difflib.SequenceMatcher`` over the same sentence lists, timed in the same run
(it finds equal runs only: no moves, no pairing of edited sentences, no word
diffs). Two worst cases follow: a 50,000-word article rewritten (no sentence
in common) and every sentence edited (one word each: nothing unchanged to
anchor on). A last table times ``align`` with and without its rewritten-passage
pass (:mod:`review.diffing.rewritten`), interleaved, in CPU time.
"""

from __future__ import annotations

import argparse
import difflib
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from review.diffing import align, summarize

SEED = 20240514
BUDGET_MS = 30.0  # 5,000 words, median

NAMES = (
    "Blinken Zelensky Putin Kuleba Macron Scholz Stoltenberg Shmyhal Syrskyi Austin "
    "Kyiv Kharkiv Moscow Washington Brussels Odesa Donetsk Vovchansk Berlin Paris"
).split()
WORDS = (
    "the a of to in and on for with by from at as after before during amid over "
    "said says told added warned declared insisted pledged announced confirmed "
    "officials forces troops government ministry president minister secretary "
    "support aid package billion million funding weapons air defense systems "
    "missiles drones artillery shells batteries border region area city town "
    "villages residents civilians evacuation strikes attack offensive advance "
    "counteroffensive front line positions gains losses casualties talks visit "
    "meeting summit allies partners security sovereignty freedom war conflict "
    "invasion military Russian Ukrainian American European NATO Congress "
    "approved delivered urgent faster needed promised week month year Tuesday "
    "Monday morning overnight local authorities reported according statement "
    "continued remained tense heavy fighting shelling infrastructure energy "
    "grid power plants damaged repaired reconstruction sanctions economy budget"
).split()


def sentence(rng: random.Random) -> str:
    words = [
        rng.choice(NAMES if rng.random() < 0.15 else WORDS) for _ in range(rng.randint(12, 28))
    ]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 99)}")
    return words[0][0].upper() + " ".join(words)[1:] + "."


def article(words: int, rng: random.Random) -> list[str]:
    sentences: list[str] = []
    count = 0
    while count < words:
        sentences.append(sentence(rng))
        count += len(sentences[-1].split())
    return sentences


def revise(old: list[str], rng: random.Random, share: float = 0.10) -> list[str]:
    """A new revision: ``share`` of the sentences edited, moved or added (a third each)."""
    new = list(old)
    touched = rng.sample(range(len(old)), max(3, round(len(old) * share)))
    edits, moves, adds = touched[0::3], touched[1::3], touched[2::3]
    for index in edits:
        words = new[index].split()
        for _ in range(rng.randint(1, 2)):
            words[rng.randrange(len(words))] = rng.choice(WORDS + NAMES)
        new[index] = " ".join(words)
    moved = [new[index] for index in moves]
    for index in sorted(moves, reverse=True):
        del new[index]
    for text in moved:
        new.insert(rng.randrange(len(new) + 1), text)
    for _ in adds:
        new.insert(rng.randrange(len(new) + 1), sentence(rng))
    return new


def edited_everywhere(old: list[str], rng: random.Random) -> list[str]:
    """Every sentence with one word replaced: no sentence is left the same to
    anchor the alignment on (a copy-edit pass over a whole article)."""
    new = []
    for text in old:
        words = text.split()
        index = rng.randrange(len(words))
        words[index] = next(w for w in rng.sample(WORDS, 3) if w != words[index])
        new.append(" ".join(words))
    return new


def median_ms(function: Callable[[], object], repeats: int) -> float:
    function()  # warm up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def align_and_difflib_ms(old: list[str], new: list[str], repeats: int) -> tuple[float, float]:
    """Median ms of ``align`` and of the difflib baseline on the same pair."""
    ours = median_ms(lambda: align(old, new), repeats)
    baseline = median_ms(lambda: difflib.SequenceMatcher(None, old, new).get_opcodes(), repeats)
    return ours, baseline


def pair(words: int) -> tuple[list[str], list[str]]:
    rng = random.Random(f"{SEED}-{words}")
    old = article(words, rng)
    return old, revise(old, rng)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail if 5k words take >= 30 ms")
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()

    print(f"python {platform.python_version()}, {platform.machine()}, {time.strftime('%Y-%m-%d')}")
    old, new = pair(5_000)
    target = median_ms(lambda: align(old, new), args.repeats)
    counts = summarize(align(old, new))
    print(f"\n5,000 words, {len(old)} -> {len(new)} sentences, ops {counts}")
    print(f"align median of {args.repeats}: {target:.1f} ms (budget {BUDGET_MS:.0f} ms)\n")

    print(
        "| words | sentences (old/new) | align (ms) | difflib (ms) | align/difflib | align µs/sentence |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for words in (1_000, 5_000, 10_000, 50_000):
        old, new = pair(words)
        repeats = args.repeats if words <= 10_000 else max(5, args.repeats // 3)
        ours, baseline = align_and_difflib_ms(old, new, repeats)
        print(
            f"| {words:,} | {len(old):,}/{len(new):,} | {ours:.1f} | {baseline:.1f} | "
            f"{ours / baseline:.1f}x | {ours * 1000 / len(old):.0f} |"
        )

    rng = random.Random(SEED)
    old, new = article(50_000, rng), article(50_000, rng)
    rewritten, baseline = align_and_difflib_ms(old, new, 3)
    print(
        f"\nworst case, 50,000 words rewritten (no sentence in common, {len(old):,}/{len(new):,}): "
        f"align {rewritten:.0f} ms, difflib {baseline:.0f} ms"
    )
    for words in (5_000, 50_000):
        rng = random.Random(f"{SEED}-edited-{words}")
        old = article(words, rng)
        new = edited_everywhere(old, rng)
        ours, baseline = align_and_difflib_ms(old, new, args.repeats if words <= 10_000 else 3)
        print(
            f"every sentence edited, {words:,} words (no sentence unchanged, {len(old):,} "
            f"sentences): align {ours:.0f} ms, difflib {baseline:.0f} ms, ops "
            f"{summarize(align(old, new))}"
        )
    rewritten_pass_cost(args.repeats)
    if args.check and target >= BUDGET_MS:
        print(f"FAIL: {target:.1f} ms >= {BUDGET_MS:.0f} ms", file=sys.stderr)
        return 1
    return 0


def rewritten_pass_cost(repeats: int) -> None:
    """align() with and without its last pass (rewritten passages), interleaved,
    in CPU time of this process: the pass's share of the cost."""
    import importlib

    module = importlib.import_module("review.diffing.align")
    with_pass = module.group_rewritten

    def without_pass(ops: list, old: list, new: list, **words: object) -> list:
        return ops

    rng = random.Random(SEED)
    cases = {
        "5,000 words": pair(5_000),
        "50,000 words": pair(50_000),
        "50,000 words rewritten": (article(50_000, rng), article(50_000, rng)),
    }
    print("\nrewritten-passage pass (CPU ms, median, interleaved):")
    print("| case | align without the pass | align | ratio |")
    print("|---|---:|---:|---:|")
    for name, (old, new) in cases.items():
        runs = repeats if name == "5,000 words" else max(3, repeats // 3)
        samples: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(runs):
            for enabled in (False, True):
                module.group_rewritten = with_pass if enabled else without_pass
                started = time.process_time()
                align(old, new)
                samples[enabled].append((time.process_time() - started) * 1000.0)
        module.group_rewritten = with_pass
        off, on = statistics.median(samples[False]), statistics.median(samples[True])
        print(f"| {name} | {off:.1f} | {on:.1f} | {on / off:.2f}x |")


if __name__ == "__main__":
    raise SystemExit(main())
