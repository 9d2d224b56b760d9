"""The real pipeline (spaCy analysis, then the diff) on realistic news revision pairs.

Each pair in ``tests/data/revisions`` is ``NN_name.old.txt`` / ``NN_name.new.txt``
with ``NN_name.expected.json``: what an editor would say changed, by sentence
snippets (whitespace-normalised substrings). Keys of the expectation file:

- ``ops``: ``{"op": "changed"|"moved"|"added"|"deleted", "old", "new"}``
  (``"changed": bool`` on a move; ``"numbers": [removed, added]`` checks
  ``changed_numbers``; ``"punctuation_only": true`` says the token diff may
  touch no word), ``{"op": "split", "old", "new": [a, b]}``,
  ``{"op": "merge", "old": [a, b], "new"}``;
- ``exhaustive``: every op not expected is ``equal``;
- ``attributions``: ``{"kind", "old_speaker", "new_speaker", "old_cue",
  "new_cue", "content"}`` (all but ``kind`` optional; ``content`` is found in
  the old or the new content), each must be found; a ``speaker-changed`` not
  listed is an error;
- ``attributions_exhaustive``: every attribution change found is expected;
- ``no_attribution_changes``: the list must be empty.

``tests/data/revisions_blind`` holds the blind round in the same format. All
texts of a corpus go through one ``analyse_texts`` batch. The helpers and the
assertions live in ``tests/review/revision_corpus.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.review import revision_corpus as rc
from tests.review.revision_corpus import Diff

DATA = Path(__file__).resolve().parent.parent / "data"
# The tuned corpus, and the blind round written before reading review/diffing.py
# (a long article with scattered corrections, a new lede with swapped
# paragraphs, a name becoming a pronoun, a quote moved with its speaker, an
# appended section, a split in three, merged paragraphs, a respelt name, figures
# inside quotes, a headline-only update of page captures).
CORPORA = ("revisions", "revisions_blind")
CASES = [f"{corpus}/{case}" for corpus in CORPORA for case in rc.cases_of(DATA / corpus)]


@pytest.fixture(scope="module")
def diffs() -> dict[str, Diff]:
    """Every pair's ``newsdesk.diff/1`` object, keyed ``corpus/case``."""
    loaded: dict[str, Diff] = {}
    for corpus in CORPORA:
        cases = rc.cases_of(DATA / corpus)
        for case, diff in rc.load_diffs(DATA / corpus, cases).items():
            loaded[f"{corpus}/{case}"] = diff
    return loaded


def expected(case: str) -> dict[str, Any]:
    corpus, name = case.split("/", 1)
    return rc.load_expected(DATA / corpus, name)


@pytest.mark.parametrize("case", CASES)
def test_expected_ops_are_found(case: str, diffs: dict[str, Diff]) -> None:
    rc.check_expected_ops_are_found(diffs[case], expected(case))


@pytest.mark.parametrize("case", CASES)
def test_every_other_sentence_is_equal(case: str, diffs: dict[str, Diff]) -> None:
    """With ``exhaustive``, nothing but the expected ops is reported."""
    rc.check_every_other_sentence_is_equal(diffs[case], expected(case))


@pytest.mark.parametrize("case", CASES)
def test_edits_are_not_reported_as_deleted_and_added(case: str, diffs: dict[str, Diff]) -> None:
    rc.check_edits_are_not_reported_as_deleted_and_added(diffs[case], expected(case))


@pytest.mark.parametrize("case", CASES)
def test_ops_account_for_every_sentence_once_and_tokens_rebuild(
    case: str, diffs: dict[str, Diff]
) -> None:
    rc.check_ops_account_for_every_sentence_once_and_tokens_rebuild(diffs[case])


@pytest.mark.parametrize("case", CASES)
def test_changed_numbers_of_corrected_figures(case: str, diffs: dict[str, Diff]) -> None:
    rc.check_changed_numbers_of_corrected_figures(diffs[case], expected(case))


@pytest.mark.parametrize("case", CASES)
def test_typography_edits_touch_no_word(case: str, diffs: dict[str, Diff]) -> None:
    """Quotes, dashes and spaces edited: the token diff inserts and deletes no word."""
    rc.check_typography_edits_touch_no_word(diffs[case], expected(case))


@pytest.mark.parametrize("case", CASES)
def test_expected_attribution_changes_are_found(case: str, diffs: dict[str, Diff]) -> None:
    rc.check_expected_attribution_changes_are_found(diffs[case], expected(case))


@pytest.mark.parametrize("case", CASES)
def test_no_speaker_change_that_an_editor_would_not_see(case: str, diffs: dict[str, Diff]) -> None:
    rc.check_no_speaker_change_that_an_editor_would_not_see(diffs[case], expected(case))


@pytest.mark.parametrize("case", [c for c in CASES if expected(c).get("attributions_exhaustive")])
def test_no_attribution_change_that_is_not_expected(case: str, diffs: dict[str, Diff]) -> None:
    """Where the expectation is exhaustive, every change reported is an expected one."""
    rc.check_no_attribution_change_that_is_not_expected(diffs[case], expected(case))
