"""Helpers shared by the corpus tests: hand-made readings of news articles.

A corpus is a directory of ``NN_topic.txt`` files, each with an
``NN_topic.expected.json``:

- ``attributions``: a produced attribution matches an expected one when the
  expected cue equals or lies inside its cue, the content snippet lies inside
  its content, the speaker snippet inside its speaker (``null``: no speaker),
  and ``speaker_name`` / ``kind`` are equal where given;
- ``entities``: every whole-word occurrence of the text lies inside an entity
  with an accepted label, and at least one occurrence is such an entity exactly
  (or widened only by lowercase words on the left: "about $1.1 billion");
- ``absent`` (optional): snippets inside which no cue may lie ("the said
  property", "he was told to leave");
- ``category`` (optional, per expected attribution): the form it shows
  ("mental-state", "transcript", ...), for recall per form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Corpus:
    directory: Path

    @property
    def cases(self) -> list[str]:
        return sorted(path.stem for path in self.directory.glob("*.txt"))

    def expected(self, name: str) -> dict[str, Any]:
        path = self.directory / f"{name}.expected.json"
        return json.loads(path.read_text(encoding="utf-8"))

    def text_of(self, name: str) -> str:
        return (self.directory / f"{name}.txt").read_text(encoding="utf-8")

    def missing(
        self, name: str, analysis: dict[str, Any], *, spans_only: bool = False
    ) -> list[dict[str, Any]]:
        """Expected attributions nothing matches (``spans_only``: speaker, cue and
        content alone, whatever the speaker's name and the kind)."""
        found = analysis["attributions"]
        golds = self.expected(name)["attributions"]
        return [g for g in golds if not any(matches(f, loosened(g, spans_only)) for f in found)]

    def spurious(self, name: str, analysis: dict[str, Any]) -> list[dict[str, Any]]:
        golds = self.expected(name)["attributions"]
        return [f for f in analysis["attributions"] if not any(matches(f, g) for g in golds)]

    def misplaced_cues(self, name: str, analysis: dict[str, Any]) -> list[str]:
        """The ``absent`` snippets that hold a produced cue."""
        text = self.text_of(name)
        cues = [a["cue"] for a in analysis["attributions"]]
        bad = []
        for snippet in self.expected(name).get("absent", []):
            start = text.index(snippet)
            end = start + len(snippet)
            if [c for c in cues if start <= c["start"] and c["end"] <= end]:
                bad.append(snippet)
        return bad

    def entity_problems(self, name: str, analysis: dict[str, Any]) -> list[str]:
        return [problem for _, problem in self._entity_checks(name, analysis)]

    def missed_entities(self, name: str, analysis: dict[str, Any]) -> set[str]:
        """The expected entity texts with at least one problem."""
        return {text for text, _ in self._entity_checks(name, analysis)}

    def _entity_checks(self, name: str, analysis: dict[str, Any]) -> list[tuple[str, str]]:
        text = self.text_of(name)
        entities = analysis["entities"]
        problems = []
        for gold in self.expected(name)["entities"]:
            labels = set(gold["labels"])
            exact = False
            for occurrence in re.finditer(rf"(?<!\w){re.escape(gold['text'])}(?!\w)", text):
                start, end = occurrence.span()
                cover = [e for e in entities if e["start"] <= start and end <= e["end"]]
                if not any(e["label"] in labels for e in cover):
                    got = [(e["text"], e["label"]) for e in cover]
                    problems.append(
                        (gold["text"], f"{gold['text']!r} at {start}: {got or 'no entity'}")
                    )
                exact = exact or any(
                    e["label"] in labels
                    and e["end"] == end
                    and (e["start"] == start or text[e["start"] : start].islower())
                    for e in cover
                )
            if not exact:
                problems.append((gold["text"], f"{gold['text']!r}: never an entity of its own"))
        return problems

    def snippet_problems(self, name: str) -> list[str]:
        """Expected snippets that do not occur in the text (typos in a reading)."""
        text = self.text_of(name)
        gold = self.expected(name)
        problems = [
            f"{field} {item[field]!r}"
            for item in gold["attributions"]
            for field in ("speaker", "cue", "content")
            if item[field] is not None and item[field] not in text
        ]
        problems += [
            f"entity {item['text']!r}"
            for item in gold["entities"]
            if not re.search(rf"(?<!\w){re.escape(item['text'])}(?!\w)", text)
        ]
        problems += [f"absent {s!r}" for s in gold.get("absent", []) if s not in text]
        return problems

    def figures(
        self, analyses: dict[str, dict[str, Any]], names: Iterable[str] | None = None
    ) -> dict[str, tuple[int, int]]:
        """(hits, total) for recall, precision, speaker names and entities.

        Over every article, or over ``names`` only (one style, say).
        """
        golds = produced = found = correct = entities = entities_found = 0
        names_total = names_right = 0
        for name in self.cases if names is None else names:
            analysis = analyses[name]
            gold = self.expected(name)
            golds += len(gold["attributions"])
            found += len(gold["attributions"]) - len(self.missing(name, analysis))
            produced += len(analysis["attributions"])
            correct += len(analysis["attributions"]) - len(self.spurious(name, analysis))
            entities += len(gold["entities"])
            bad = self.missed_entities(name, analysis)
            entities_found += sum(1 for e in gold["entities"] if e["text"] not in bad)
            for item in gold["attributions"]:
                if "speaker_name" not in item:
                    continue
                loose = {k: v for k, v in item.items() if k not in ("speaker_name", "kind")}
                candidates = [f for f in analysis["attributions"] if matches(f, loose)]
                if candidates:
                    names_total += 1
                    names_right += any(
                        f["speaker_name"] == item["speaker_name"] for f in candidates
                    )
        return {
            "recall": (found, golds),
            "precision": (correct, produced),
            "speaker_name": (names_right, names_total),
            "entities": (entities_found, entities),
        }

    def recall_by(
        self,
        analyses: dict[str, dict[str, Any]],
        group: Callable[[str, dict[str, Any]], str],
        *,
        spans_only: bool = False,
    ) -> dict[str, tuple[int, int]]:
        """(found, expected) attributions per ``group(article name, expected item)``."""
        counts: dict[str, tuple[int, int]] = {}
        for name in self.cases:
            missed = self.missing(name, analyses[name], spans_only=spans_only)
            for item in self.expected(name)["attributions"]:
                key = group(name, item)
                found, total = counts.get(key, (0, 0))
                counts[key] = (found + (item not in missed), total + 1)
        return counts


def loosened(gold: dict[str, Any], spans_only: bool) -> dict[str, Any]:
    if not spans_only:
        return gold
    return {k: v for k, v in gold.items() if k not in ("speaker_name", "kind")}


def matches(found: dict[str, Any], gold: dict[str, Any]) -> bool:
    speaker = found["speaker"]
    if gold["speaker"] is None:
        speaker_ok = speaker is None
    else:
        speaker_ok = speaker is not None and gold["speaker"] in speaker["text"]
    return (
        speaker_ok
        and gold["cue"] in found["cue"]["text"]
        and gold["content"] in found["content"]["text"]
        and ("speaker_name" not in gold or gold["speaker_name"] == found["speaker_name"])
        and ("kind" not in gold or gold["kind"] == found["kind"])
    )


def describe(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Produced attributions, short enough for an assertion message."""
    return [
        (a["speaker"] and a["speaker"]["text"], a["cue"]["text"], a["content"]["text"])
        for a in items
    ]


def offset_problems(text: str, analysis: dict[str, Any]) -> list[str]:
    spans = [*analysis["entities"]]
    for item in analysis["attributions"]:
        spans += [s for s in (item["speaker"], item["cue"], item["content"]) if s]
    problems = [repr(s) for s in spans if text[s["start"] : s["end"]] != s["text"]]
    for sentence in analysis["sentences"]:
        if "\n\n" in text[sentence["start"] : sentence["end"]]:
            problems.append(f"sentence {sentence} crosses a paragraph break")
    return problems
