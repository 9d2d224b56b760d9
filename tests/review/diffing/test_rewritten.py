"""Rewritten passages: several sentences rewritten into several others (review.diffing.rewritten)."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from review.diffing import MAX_REWRITE, align, summarize

OPENING = "Floods hit the north on Sunday."
CLOSING = "Schools will stay closed on Monday."
# Two sentences rewritten into three: facts regrouped, most words kept.
OLD_PASSAGE = [
    "Rescue teams reached the village of Marden late on Sunday after the river fell,"
    " and they found twelve families still trapped in upper rooms.",
    "Police said two people were missing and that the army had sent boats and a helicopter"
    " to help the teams search the flooded fields.",
]
NEW_PASSAGE = [
    "Police said two people were missing in Marden.",
    "Rescue teams reached the village late on Sunday after the river fell and found twelve"
    " families trapped in upper rooms, while the army sent boats and a helicopter.",
    "The teams were still searching the flooded fields.",
]
OLD = [OPENING, *OLD_PASSAGE, CLOSING]
NEW = [OPENING, *NEW_PASSAGE, CLOSING]


def changes(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [op for op in ops if op["op"] != "equal"]


def rebuilt(tokens: list[dict[str, str]]) -> tuple[str, str]:
    old = "".join(t["text"] for t in tokens if t["op"] != "insert")
    new = "".join(t["text"] for t in tokens if t["op"] != "delete")
    return old, new


def test_a_rewritten_passage_is_one_changed_op_over_both_runs() -> None:
    (op,) = changes(align(OLD, NEW))
    assert (op["op"], op["old"], op["new"], op["changed"]) == ("changed", 1, 1, True)
    assert op["rewritten"] is True
    assert op["merged"] == [1, 2]
    assert op["split"] == [1, 2, 3]


def test_a_rewritten_passage_counts_once_as_changed() -> None:
    assert summarize(align(OLD, NEW)) == {
        "equal": 2,
        "changed": 1,
        "added": 0,
        "deleted": 0,
        "moved": 0,
    }


def test_a_rewritten_passage_carries_the_word_diff_of_its_runs() -> None:
    (op,) = changes(align(OLD, NEW))
    assert rebuilt(op["tokens"]) == (" ".join(OLD_PASSAGE), " ".join(NEW_PASSAGE))
    inserted = " ".join(t["text"] for t in op["tokens"] if t["op"] == "insert")
    assert "still searching" in inserted


def test_a_sentence_rewritten_into_four_lists_only_the_new_ones() -> None:
    """Beyond a split's three parts: one old sentence, four new ones, no "merged"."""
    old = [OPENING, " ".join(OLD_PASSAGE), CLOSING]
    new = [
        OPENING,
        NEW_PASSAGE[0],
        "Rescue teams reached the village late on Sunday after the river fell"
        " and found twelve families trapped in upper rooms.",
        "The army sent boats and a helicopter.",
        NEW_PASSAGE[2],
        CLOSING,
    ]
    (op,) = changes(align(old, new))
    assert op["rewritten"] is True
    assert "merged" not in op
    assert (op["old"], op["split"]) == (1, [1, 2, 3, 4])


def test_an_unrelated_sentence_added_beside_a_rewrite_stays_added() -> None:
    extra = "Forecasters expect more heavy rain across Wales by Thursday night."
    new = [OPENING, *NEW_PASSAGE, extra, CLOSING]
    ops = changes(align(OLD, new))
    assert [(op["op"], op.get("split"), op.get("merged")) for op in ops] == [
        ("changed", [1, 2, 3], [1, 2]),
        ("added", None, None),
    ]
    assert ops[1]["new"] == 4


def test_an_unrelated_deleted_sentence_beside_a_rewrite_stays_deleted() -> None:
    gone = "A charity concert planned for the weekend was called off by its organisers."
    old = [OPENING, gone, *OLD_PASSAGE, CLOSING]
    ops = changes(align(old, NEW))
    assert [(op["op"], op["old"]) for op in ops] == [("deleted", 1), ("changed", 2)]
    assert ops[1]["merged"] == [2, 3] and ops[1]["rewritten"] is True


def test_sentences_each_edited_in_place_stay_separate_changed_ops() -> None:
    old = [OPENING, "Putin asked for two Patriot batteries.", "Talks resumed in Geneva on Friday."]
    new = [
        OPENING,
        "Zelensky asked for two Patriot batteries.",
        "Talks resumed in Vienna on Friday.",
    ]
    ops = changes(align(old, new))
    assert [(op["op"], op["old"], op["new"]) for op in ops] == [
        ("changed", 1, 1),
        ("changed", 2, 2),
    ]
    assert not any(op.get("rewritten") for op in ops)


def test_a_passage_replaced_by_other_news_is_deleted_and_added() -> None:
    new = [
        OPENING,
        "Congress approved a large aid package for farmers on Friday.",
        "The vote in the Senate was close, with three members absent.",
        CLOSING,
    ]
    assert [op["op"] for op in changes(align(OLD, new))] == [
        "deleted",
        "deleted",
        "added",
        "added",
    ]


def clauses(count: int) -> tuple[list[str], list[str]]:
    """One sentence of ``count`` clauses, and the same cut into ``count`` sentences."""
    groups = [" ".join(f"{letter}{n}" for n in range(3)) for letter in "abcdefghijkl"[:count]]
    start, end = "Start here now.", "End here now."
    return [start, ", ".join(groups) + ".", end], [start, *[g + "." for g in groups], end]


def test_a_passage_up_to_the_limit_is_one_group() -> None:
    old, new = clauses(MAX_REWRITE)
    (op,) = changes(align(old, new))
    assert op["rewritten"] is True
    assert op["split"] == list(range(1, MAX_REWRITE + 1))


def test_a_passage_beyond_the_limit_is_grouped_up_to_the_limit_only() -> None:
    """No side of a group is longer than MAX_REWRITE; the rest shows as added."""
    old, new = clauses(MAX_REWRITE + 1)
    ops = changes(align(old, new))
    assert [(op["op"], op.get("split")) for op in ops] == [
        ("changed", list(range(1, MAX_REWRITE + 1))),
        ("added", None),
    ]


# --------------------------------------------------------------------------
# property: a text cut again at other sentence boundaries


@st.composite
def recut(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """One run of distinct words cut into sentences twice, at other places."""
    size = draw(st.integers(2, 36))
    words = [f"w{n}" for n in range(size)]

    def cut() -> list[str]:
        points = sorted(draw(st.sets(st.integers(1, size - 1), max_size=size // 3)))
        bounds = [0, *points, size]
        return [" ".join(words[a:b]) + "." for a, b in pairwise(bounds)]

    return cut(), cut()


@given(recut())
def test_a_text_cut_at_other_boundaries_has_no_deleted_or_added_sentence(
    pair: tuple[list[str], list[str]],
) -> None:
    old, new = pair
    ops = align(old, new)
    if len(old) <= MAX_REWRITE and len(new) <= MAX_REWRITE:
        assert not {op["op"] for op in ops} & {"added", "deleted"}
    olds: Counter[int] = Counter()
    news: Counter[int] = Counter()
    for op in ops:
        if op["op"] != "added":
            olds.update(op.get("merged", [op["old"]]))
        if op["op"] != "deleted":
            news.update(op.get("split", [op["new"]]))
        if op.get("rewritten"):
            joined = (
                " ".join(old[i] for i in op.get("merged", [op["old"]])),
                " ".join(new[j] for j in op.get("split", [op["new"]])),
            )
            assert rebuilt(op["tokens"]) == joined
    assert olds == Counter(range(len(old)))
    assert news == Counter(range(len(new)))
