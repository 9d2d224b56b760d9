"""Three-way merge of texts (what a rebased correction carries onto the latest revision)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from review.merging import merge3

BASE = "Headline\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def test_changes_in_different_paragraphs_are_both_kept() -> None:
    ours = BASE.replace("First", "Corrected first")
    theirs = BASE.replace("Third", "Updated third")
    assert merge3(BASE, ours, theirs) == (
        "Headline\n\nCorrected first paragraph.\n\nSecond paragraph.\n\nUpdated third paragraph.\n"
    )


def test_different_changes_of_one_paragraph_do_not_merge() -> None:
    ours = BASE.replace("Second paragraph", "Second, corrected paragraph")
    theirs = BASE.replace("Second paragraph", "Second, updated paragraph")
    assert merge3(BASE, ours, theirs) is None


def test_changes_of_adjacent_lines_do_not_merge() -> None:
    base = "one\ntwo\nthree\n"
    assert merge3(base, "one\nTWO\nthree\n", "one\ntwo\nTHREE\n") is None


def test_the_same_change_on_both_sides_is_kept_once() -> None:
    both = BASE.replace("Second", "Better second")
    theirs = both.replace("Third", "Updated third")
    assert merge3(BASE, both, theirs) == theirs


def test_an_added_paragraph_is_carried_over() -> None:
    ours = BASE + "\nA correction was made.\n"
    theirs = BASE.replace("First", "Updated first")
    assert merge3(BASE, ours, theirs) == theirs + "\nA correction was made.\n"


#: Distinct lines, like a body's paragraphs (an edit of a repeated line is ambiguous).
lines = st.lists(
    st.text(alphabet="abc ", min_size=1, max_size=6), min_size=4, max_size=12, unique=True
)


@given(lines, st.data())
def test_edits_of_distant_lines_merge_in_either_order(base_lines: list[str], data) -> None:
    """Editing line i on one side and line j (not adjacent) on the other keeps both edits."""
    i = data.draw(st.integers(0, len(base_lines) - 3))
    j = data.draw(st.integers(i + 2, len(base_lines) - 1))
    base = "\n".join(base_lines) + "\n"
    ours_lines = [*base_lines]
    ours_lines[i] = "OURS"
    theirs_lines = [*base_lines]
    theirs_lines[j] = "THEIRS"
    ours = "\n".join(ours_lines) + "\n"
    theirs = "\n".join(theirs_lines) + "\n"
    both = [*base_lines]
    both[i], both[j] = "OURS", "THEIRS"
    expected = "\n".join(both) + "\n"
    assert merge3(base, ours, theirs) == expected
    assert merge3(base, theirs, ours) == expected


@given(st.text(max_size=40), st.text(max_size=40))
def test_an_unchanged_side_yields_the_other(base: str, other: str) -> None:
    assert merge3(base, base, other) == other
    assert merge3(base, other, base) == other
