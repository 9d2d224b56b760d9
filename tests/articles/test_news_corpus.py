"""The analysis against hand-made readings of wire-style news articles.

Each ``tests/data/news/NN_topic.txt`` has an ``NN_topic.expected.json``:

- ``attributions``: every one must be found. A produced attribution matches an
  expected one when the expected cue equals or lies inside its cue, the
  content snippet lies inside its content, the speaker snippet inside its
  speaker (``null``: no speaker), and ``speaker_name`` / ``kind`` are equal
  where given;
- ``entities``: every whole-word occurrence of the text lies inside an entity
  with an accepted label, and at least one occurrence is such an entity exactly
  (or widened only by lowercase words on the left: "about $1.1 billion");
- ``absent`` (optional): snippets inside which no cue may lie ("the said
  property", "he was told to leave").

Precision is bounded per article: at most ``MAX_SPURIOUS`` produced
attributions may match no expected one. The readings list what a careful
annotator marks; the rules may find a defensible extra (a nested source, a
declared emergency), so one per article is tolerated, not more.
Run with ``-s`` to print recall and precision over the corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from articles.analysis import analyse_texts

from .corpus import Corpus

NEWS = Path(__file__).resolve().parent.parent / "data" / "news"
CORPUS = Corpus(NEWS)
CASES = CORPUS.cases
MAX_SPURIOUS = 1

expected = CORPUS.expected
text_of = CORPUS.text_of
missing = CORPUS.missing
spurious = CORPUS.spurious
entity_problems = CORPUS.entity_problems


@pytest.fixture(scope="module")
def analyses() -> dict[str, dict[str, Any]]:
    texts = [text_of(name) for name in CASES]
    return dict(zip(CASES, analyse_texts(texts, batch_size=4), strict=True))


@pytest.mark.parametrize("name", CASES)
def test_every_expected_attribution_is_found(
    analyses: dict[str, dict[str, Any]], name: str
) -> None:
    assert missing(name, analyses[name]) == []


@pytest.mark.parametrize("name", CASES)
def test_few_attributions_beyond_the_expected_ones(
    analyses: dict[str, dict[str, Any]], name: str
) -> None:
    extra = spurious(name, analyses[name])
    assert len(extra) <= MAX_SPURIOUS, [
        (a["speaker"] and a["speaker"]["text"], a["cue"]["text"], a["content"]["text"])
        for a in extra
    ]


@pytest.mark.parametrize("name", CASES)
def test_no_cue_inside_a_non_attribution(analyses: dict[str, dict[str, Any]], name: str) -> None:
    text = text_of(name)
    for snippet in expected(name).get("absent", []):
        start = text.index(snippet)
        end = start + len(snippet)
        cues = [a["cue"] for a in analyses[name]["attributions"]]
        assert not [c for c in cues if start <= c["start"] and c["end"] <= end], snippet


@pytest.mark.parametrize("name", CASES)
def test_every_expected_entity_is_found(analyses: dict[str, dict[str, Any]], name: str) -> None:
    assert entity_problems(name, analyses[name]) == []


@pytest.mark.parametrize("name", CASES)
def test_offsets_index_the_text(analyses: dict[str, dict[str, Any]], name: str) -> None:
    text = text_of(name)
    analysis = analyses[name]
    spans = [*analysis["entities"]]
    for item in analysis["attributions"]:
        spans += [s for s in (item["speaker"], item["cue"], item["content"]) if s]
    assert all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    for sentence in analysis["sentences"]:
        assert "\n\n" not in text[sentence["start"] : sentence["end"]]


def test_corpus_figures(analyses: dict[str, dict[str, Any]]) -> None:
    """Print recall and precision over the corpus (run with ``-s``); asserts nothing else."""
    golds = produced = found = correct = entities = entities_found = 0
    for name in CASES:
        analysis = analyses[name]
        gold = expected(name)
        golds += len(gold["attributions"])
        found += len(gold["attributions"]) - len(missing(name, analysis))
        produced += len(analysis["attributions"])
        correct += len(analysis["attributions"]) - len(spurious(name, analysis))
        entities += len(gold["entities"])
        bad = {problem.split("'")[1] for problem in entity_problems(name, analysis)}
        entities_found += sum(1 for e in gold["entities"] if e["text"] not in bad)
    print(
        f"\nnews corpus: {len(CASES)} articles; attributions recall {found}/{golds} "
        f"= {found / golds:.3f}, precision {correct}/{produced} = {correct / max(1, produced):.3f}; "
        f"entities {entities_found}/{entities} = {entities_found / entities:.3f}"
    )
    assert golds > 0
