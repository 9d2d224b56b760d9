"""The blind round: revision pairs written before reading ``review/diffing.py``.

``tests/data/revisions_blind`` holds pairs in situations the tuned corpus
(``tests/data/revisions``) lacks: a long article with scattered corrections, a
new lede with swapped paragraphs, a name becoming a pronoun, a quote moved with
its speaker, an appended section, a split in three, merged paragraphs, a
respelt name, figures inside quotes, and a headline-only update (page
captures). Same expectation format and the same assertions as
``test_revision_corpus.py`` (see ``tests/review/revision_corpus.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.review import revision_corpus as rc
from tests.review.revision_corpus import Diff

CORPUS = Path(__file__).resolve().parent.parent / "data" / "revisions_blind"
CASES = rc.cases_of(CORPUS)


@pytest.fixture(scope="module")
def diffs() -> dict[str, Diff]:
    """Every pair's ``newsdesk.diff/1`` object, all texts analysed in one batch."""
    return rc.load_diffs(CORPUS, CASES)


def expected(case: str) -> dict[str, Any]:
    return rc.load_expected(CORPUS, case)


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
