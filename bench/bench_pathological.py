"""Pathological captures: time and peak memory of reading, analysing and rendering each.

Run: `.venv/bin/python bench/bench_pathological.py [--case NAME] [--timeout 900]`

Each case of tests/articles/pathological.py (100,000 words, no punctuation, only
quotations, emoji, right-to-left text, a 1.9 MB single paragraph) and, as the
baseline, the seed article run in a process of their own, so that the peak RSS
is the case's. In each process, after Django and the spaCy pipeline are loaded:

- read: `read_capture()` (the importer's parser; a refusal is reported as such);
- analyse: `analyse_text()` on the body (the pipeline, chunked when long);
- render: `render_paragraphs()` on the body with its analysis (the reading desk's
  marked-up text).

Prints one Markdown table row per case: words, characters, seconds per stage,
peak RSS, and time and RSS as ratios of the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE = "seed article (baseline)"


def _measure(name: str) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from articles import analysis as nlp
    from articles.ingest import CaptureRefused, read_capture
    from review.highlight import render_paragraphs
    from tests.articles import pathological

    if name == BASELINE:
        data = (ROOT / "tests" / "data" / "000_8118fbd42351acfa.txt").read_bytes()
    else:
        data = pathological.capture(name)
    nlp.analyse_text("Warm up: the pipeline loads here, not in the timings.")
    result: dict[str, object] = {"case": name, "bytes": len(data)}
    started = time.perf_counter()
    try:
        draft = read_capture(data, filename="capture.txt")
    except CaptureRefused as refused:
        result["refused"] = str(refused)
        result["read_s"] = time.perf_counter() - started
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result
    result["read_s"] = time.perf_counter() - started
    body = draft.body
    result["words"] = len(body.split())
    result["chars"] = len(body)
    started = time.perf_counter()
    analysis = nlp.analyse_text(body)
    result["analyse_s"] = time.perf_counter() - started
    result["sentences"] = len(analysis["sentences"])
    result["attributions"] = len(analysis["attributions"])
    started = time.perf_counter()
    render_paragraphs(
        body,
        sentences=analysis["sentences"],
        entities=analysis["entities"],
        attributions=analysis["attributions"],
    )
    result["render_s"] = time.perf_counter() - started
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _run(name: str, timeout: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--case", name, "--json"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"case": name, "timeout": timeout}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _seconds(row: dict[str, object], key: str) -> str:
    value = row.get(key)
    return f"{value:.2f}" if isinstance(value, float) else "—"


def main() -> int:
    from tests.articles import pathological

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help="one case only (by name)")
    parser.add_argument("--json", action="store_true", help="measure in this process, print JSON")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per case")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(_measure(args.case)))
        return 0
    names = [args.case] if args.case else [BASELINE, *pathological.CASES]
    if BASELINE not in names:
        names.insert(0, BASELINE)
    rows = [_run(name, args.timeout) for name in names]
    base = rows[0]
    base_time = sum(float(base.get(k, 0)) for k in ("read_s", "analyse_s", "render_s"))
    base_rss = float(base["peak_rss_mb"])
    print(
        "| case | words | characters | read (s) | analyse (s) | render (s) | total / baseline "
        "| peak RSS (MB) | RSS / baseline | outcome |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        if "timeout" in row:
            print(f"| {row['case']} | | | | | | | | | over {row['timeout']} s |")
            continue
        total = sum(float(row.get(k, 0)) for k in ("read_s", "analyse_s", "render_s"))
        outcome = f"refused: {row['refused']}" if "refused" in row else "analysed"
        rss = float(row["peak_rss_mb"])
        print(
            f"| {row['case']} | {row.get('words', 0):,} | {row.get('chars', row['bytes']):,} "
            f"| {_seconds(row, 'read_s')} | {_seconds(row, 'analyse_s')} "
            f"| {_seconds(row, 'render_s')} | {total / base_time:,.0f}x | {rss:,.0f} "
            f"| {rss / base_rss:.1f}x | {outcome} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
