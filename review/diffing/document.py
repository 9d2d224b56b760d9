"""The ``newsdesk.diff/1`` object of two analysed texts (DESIGN.md, machine interface).

Pure: plain strings and dicts. The sentences of both analyses are aligned
(:mod:`review.diffing.align`), and the attributions compared with the
sentence groups the alignment paired (:mod:`review.diffing.attributions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from review.diffing.align import align
from review.diffing.attributions import attribution_changes

SCHEMA = "newsdesk.diff/1"


def _sentence_spans(analysis: Mapping[str, Any]) -> list[dict[str, int]]:
    return [{"start": int(s["start"]), "end": int(s["end"])} for s in analysis.get("sentences", ())]


def diff_document(
    old_text: str,
    old_analysis: Mapping[str, Any],
    new_text: str,
    new_analysis: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``newsdesk.diff/1`` object for two analysed texts."""
    old_spans = _sentence_spans(old_analysis)
    new_spans = _sentence_spans(new_analysis)
    ops = align(
        [old_text[s["start"] : s["end"]] for s in old_spans],
        [new_text[s["start"] : s["end"]] for s in new_spans],
    )
    sentence_pairs = []
    for op in ops:
        if op["old"] is None or op["new"] is None:
            continue
        olds = [old_spans[i] for i in op.get("merged", [op["old"]])]
        news = [new_spans[j] for j in op.get("split", [op["new"]])]
        sentence_pairs.append(
            ((olds[0]["start"], olds[-1]["end"]), (news[0]["start"], news[-1]["end"]))
        )
    return {
        "schema": SCHEMA,
        "old": {"text": old_text, "sentences": old_spans},
        "new": {"text": new_text, "sentences": new_spans},
        "ops": ops,
        "attribution_changes": attribution_changes(
            old_text,
            old_analysis.get("attributions", ()),
            new_text,
            new_analysis.get("attributions", ()),
            sentence_pairs=sentence_pairs,
        ),
    }
