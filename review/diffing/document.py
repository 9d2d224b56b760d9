"""The ``newsdesk.diff/1`` object of two analysed texts (DESIGN.md, machine interface).

Pure: plain strings and dicts. The sentences of both analyses are aligned
(:mod:`review.diffing.align`), and the attributions compared with the
sentence groups the alignment paired (:mod:`review.diffing.attributions`).
An analysis that is not of the ``newsdesk.analysis/1`` shape is refused with a
``ValueError`` naming what is wrong (``check_analysis``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from review.diffing.align import align
from review.diffing.attributions import attribution_changes

SCHEMA = "newsdesk.diff/1"


def _offset(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer, got {value!r}")
    return value


def _list(value: object, what: str) -> Sequence[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValueError(f"{what} must be a list, got {type(value).__name__}")
    return value


def _check_span(span: object, what: str, *, length: int | None = None) -> None:
    """A ``{"start", "end"}`` mapping with 0 <= start <= end (<= length when given)."""
    if not isinstance(span, Mapping):
        raise ValueError(f"{what} must be a span (start, end), got {type(span).__name__}")
    start = _offset(span.get("start"), f"{what}: start")
    end = _offset(span.get("end"), f"{what}: end")
    if not 0 <= start <= end or (length is not None and end > length):
        limit = f" <= {length}" if length is not None else ""
        raise ValueError(f"{what}: need 0 <= start <= end{limit}, got start={start}, end={end}")


def check_analysis(text: str, analysis: object, what: str) -> None:
    """Refuse (ValueError) an analysis that is not of the ``newsdesk.analysis/1`` shape:
    sentences inside ``text``, attributions with a cue, a content and maybe a speaker."""
    if not isinstance(text, str):
        raise ValueError(f"{what}: the text must be a string, got {type(text).__name__}")
    if not isinstance(analysis, Mapping):
        raise ValueError(f"{what}: the analysis must be a mapping, got {type(analysis).__name__}")
    sentences = _list(analysis.get("sentences", ()), f"{what}: sentences")
    for n, sentence in enumerate(sentences):
        _check_span(sentence, f"{what}: sentences[{n}]", length=len(text))
    attributions = _list(analysis.get("attributions", ()), f"{what}: attributions")
    for n, attribution in enumerate(attributions):
        if not isinstance(attribution, Mapping):
            raise ValueError(f"{what}: attributions[{n}] must be a mapping")
        for role in ("cue", "content"):
            _check_span(attribution.get(role), f"{what}: attributions[{n}].{role}")
        if attribution.get("speaker") is not None:
            _check_span(attribution["speaker"], f"{what}: attributions[{n}].speaker")
        for key in ("speaker_name", "kind"):
            value = attribution.get(key)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{what}: attributions[{n}].{key} must be a string or null")


def _sentence_spans(analysis: Mapping[str, Any]) -> list[dict[str, int]]:
    return [{"start": int(s["start"]), "end": int(s["end"])} for s in analysis.get("sentences", ())]


def diff_document(
    old_text: str,
    old_analysis: Mapping[str, Any],
    new_text: str,
    new_analysis: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``newsdesk.diff/1`` object for two analysed texts (ValueError on a malformed one)."""
    check_analysis(old_text, old_analysis, "old")
    check_analysis(new_text, new_analysis, "new")
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
