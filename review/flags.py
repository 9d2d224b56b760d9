"""Plain-language explanations of the analysis' machine flags, built from their evidence.

Pure: a revision's stored analysis (plain dicts with offsets) in, sentences and a
suggested speaker out. No Django, no spaCy.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Sentences either side of a flagged attribution read as its context.
CONTEXT_SENTENCES = 2
#: The previous speaker counts as context this many sentences back at most.
PREVIOUS_SENTENCES = 3

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FlagExplanation:
    code: str
    text: str


@dataclass(frozen=True)
class FlagReading:
    explanations: list[FlagExplanation]
    #: Who the context points to (a resolved name), when it is someone else.
    suggested_speaker: str | None


def _part(attribution: Mapping[str, Any], role: str) -> str:
    part = attribution.get(role)
    return str(part["text"]) if isinstance(part, Mapping) else ""


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def attribution_key(attribution: Mapping[str, Any]) -> str:
    """The identity of an attribution across revisions: its speaker, cue and content text."""
    payload = "\x1f".join(_norm(_part(attribution, r)) for r in ("speaker", "cue", "content"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _sentence_of(offset: int, sentences: Sequence[Mapping[str, Any]]) -> int | None:
    for index, sentence in enumerate(sentences):
        if sentence["start"] <= offset < sentence["end"]:
            return index
    return None


def _name(attribution: Mapping[str, Any]) -> str | None:
    return attribution.get("speaker_name") or (_part(attribution, "speaker") or None)


def _people(analysis: Mapping[str, Any]) -> set[str]:
    return {str(e["text"]) for e in analysis.get("entities") or [] if e.get("label") == "PERSON"}


def _is_person(attribution: Mapping[str, Any], people: set[str]) -> bool:
    """A named person spoke (not a group such as "Ukrainian officials", not a pronoun)."""
    speaker = attribution.get("speaker")
    if not isinstance(speaker, Mapping):
        return False
    name = _name(attribution) or ""
    return any(p in str(speaker["text"]) or p in name or name.endswith(p) for p in people)


def _previous_speaker(
    attributions: Sequence[Mapping[str, Any]],
    sentences: Sequence[Mapping[str, Any]],
    index: int,
    own: str | None,
    people: set[str],
) -> str | None:
    """The named person of the nearest attribution before this one, a few sentences back at most."""
    cue_start = attributions[index]["cue"]["start"]
    here = _sentence_of(cue_start, sentences)
    before = [
        a
        for a in attributions
        if a["cue"]["start"] < cue_start
        and _name(a) != own
        and _is_person(a, people)
        and (
            here is None
            or here - (_sentence_of(a["cue"]["start"], sentences) or 0) <= PREVIOUS_SENTENCES
        )
    ]
    if not before:
        return None
    return _name(max(before, key=lambda a: a["cue"]["start"]))


def _context_speaker(
    attributions: Sequence[Mapping[str, Any]],
    sentences: Sequence[Mapping[str, Any]],
    index: int,
    own: str | None,
    people: set[str],
) -> str | None:
    """The person most often attributed in the sentences around this one (not itself)."""
    here = _sentence_of(attributions[index]["cue"]["start"], sentences)
    if here is None:
        return None
    counts: Counter[str] = Counter()
    for other, attribution in enumerate(attributions):
        if other == index or not _is_person(attribution, people):
            continue
        at = _sentence_of(attribution["cue"]["start"], sentences)
        name = _name(attribution)
        if at is not None and name and name != own and abs(at - here) <= CONTEXT_SENTENCES:
            counts[name] += 1
    return counts.most_common(1)[0][0] if counts else None


def explain(analysis: Mapping[str, Any], index: int) -> FlagReading:
    """Why the attribution at ``index`` is flagged, in words an editor reads at a glance."""
    attributions = analysis.get("attributions") or []
    sentences = analysis.get("sentences") or []
    attribution = attributions[index]
    own = _name(attribution)
    written = _part(attribution, "speaker")
    speaker = written if 0 < len(written.split()) <= 3 else (own or written)
    people = _people(analysis)
    previous = _previous_speaker(attributions, sentences, index, own, people)
    around = _context_speaker(attributions, sentences, index, own, people) or previous
    out: list[FlagExplanation] = []
    for code in attribution.get("flags") or []:
        out.append(FlagExplanation(code, _sentence(code, speaker, previous, around)))
    suggested = around or previous
    return FlagReading(
        explanations=out, suggested_speaker=suggested if attribution.get("flags") else None
    )


def _sentence(code: str, speaker: str, previous: str | None, around: str | None) -> str:
    if code == "speaker-mentioned-once":
        text = f"{speaker} is named only here"
        if around and previous == around:
            return f"{text}; the sentences around it are about {around}, the speaker of the previous attribution."
        if around:
            return f"{text}; the sentences around it are about {around}."
        return f"{text}: check that this is who said it."
    if code == "speaker-switch":
        if previous:
            return (
                f"This sentence reads as a continuation of the previous one, whose speaker is "
                f"{previous}, but it names {speaker} as the speaker."
            )
        return f"This sentence reads as a continuation, but it names a new speaker, {speaker}."
    if code == "unattributed-quote":
        return "A quotation with no speaker found: say who said it, or mark it as not a quote."
    return f"Flagged by the analysis ({code})."
