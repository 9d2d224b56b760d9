"""Rewritten passages: several sentences rewritten into several others, as one op.

Pure: plain strings and the ops of :func:`review.diffing.align.align`. After the
alignment, a run of in-place ops between two unchanged sentences that mixes
``deleted`` and ``added`` sentences (and maybe ``changed`` ones) is one
passage when its sentences say mostly the same words, cut differently:

- every deleted sentence has at least ``PART_CONTAINMENT`` of its words in the
  new side of the passage, every added one in the old side (a sentence that
  fails this is really deleted or added, and stays so);
- the two sides' words are at least ``REWRITE_SIMILARITY`` similar (Dice);
- each side is a run of consecutive sentences, at most ``MAX_REWRITE`` long.

The longest such runs of ops are taken first; an edited sentence at either
end of one is left out (a ``changed`` op of its own) when the passage holds
without it, so that a neighbouring edit is not swallowed.

Such a passage becomes one ``changed`` op over the two runs, with
``"rewritten": true``, ``"merged"`` listing its old sentences (when more than
one), ``"split"`` its new ones (when more than one), and the word diff of the
two runs joined by a space, like a split or a merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from review.diffing import folding
from review.diffing.tokens import word_diff

#: The two sides of a rewritten passage share at least this share of their
#: words (Dice coefficient over the word sets of all their sentences).
REWRITE_SIMILARITY = 0.6
#: A rewritten passage holds at most this many sentences on each side.
MAX_REWRITE = 8

Op = dict[str, Any]


def _member(op: Op) -> bool:
    """Whether an op may belong to a rewritten passage: in place and not equal."""
    if op["op"] in ("added", "deleted"):
        return True
    return op["op"] == "changed" and not op.get("typographic") and not op.get("rewritten")


def _olds(op: Op) -> list[int]:
    return [] if op["old"] is None else list(op.get("merged", [op["old"]]))


def _news(op: Op) -> list[int]:
    return [] if op["new"] is None else list(op.get("split", [op["new"]]))


def _consecutive(indices: list[int]) -> bool:
    return bool(indices) and indices == list(range(indices[0], indices[0] + len(indices)))


class _Passages:
    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        self.old = old
        self.new = new
        self._old_words: dict[int, frozenset[str]] = {}
        self._new_words: dict[int, frozenset[str]] = {}

    def old_words(self, i: int) -> frozenset[str]:
        if i not in self._old_words:
            self._old_words[i] = folding.words(self.old[i])
        return self._old_words[i]

    def new_words(self, j: int) -> frozenset[str]:
        if j not in self._new_words:
            self._new_words[j] = folding.words(self.new[j])
        return self._new_words[j]

    def qualifies(self, piece: Sequence[Op]) -> bool:
        """Whether ``piece`` (consecutive in-place ops) is one rewritten passage."""
        if not any(op["op"] in ("added", "deleted") for op in piece):
            return False  # edited sentences each paired: nothing to group
        olds = sorted(i for op in piece for i in _olds(op))
        news = sorted(j for op in piece for j in _news(op))
        if not (_consecutive(olds) and _consecutive(news)):
            return False
        if len(olds) > MAX_REWRITE or len(news) > MAX_REWRITE:
            return False
        old_union = frozenset().union(*(self.old_words(i) for i in olds))
        new_union = frozenset().union(*(self.new_words(j) for j in news))
        for op in piece:  # a sentence said nowhere on the other side is really gone or new
            if op["op"] == "deleted" and not folding.contained(
                self.old_words(op["old"]), new_union
            ):
                return False
            if op["op"] == "added" and not folding.contained(self.new_words(op["new"]), old_union):
                return False
        return folding.dice(old_union, new_union) >= REWRITE_SIMILARITY

    def pieces(self, run: list[Op]) -> list[tuple[int, int]]:
        """``(first, stop)`` positions in ``run`` of the rewritten passages in it.

        Longest first; an edited sentence (a paired op) at either end of a
        passage is left out when the passage holds without it.
        """
        sized = [len(_olds(op)) + len(_news(op)) for op in run]
        unpaired = [0]  # added and deleted ops before each position
        for op in run:
            unpaired.append(unpaired[-1] + (op["op"] in ("added", "deleted")))
        taken = [False] * len(run)
        found: list[tuple[int, int]] = []
        for length in range(min(len(run), 2 * MAX_REWRITE), 1, -1):
            for first in range(len(run) - length + 1):
                stop = first + length
                if unpaired[stop] == unpaired[first] or any(taken[first:stop]):
                    continue
                if sum(sized[first:stop]) > 2 * MAX_REWRITE:
                    continue
                if not self.qualifies(run[first:stop]):
                    continue
                while run[first]["op"] == "changed" and self.qualifies(run[first + 1 : stop]):
                    first += 1
                while run[stop - 1]["op"] == "changed" and self.qualifies(run[first : stop - 1]):
                    stop -= 1
                taken[first:stop] = [True] * (stop - first)
                found.append((first, stop))
        return sorted(found)

    def op(self, piece: list[Op]) -> Op:
        olds = sorted(i for op in piece for i in _olds(op))
        news = sorted(j for op in piece for j in _news(op))
        op: Op = {
            "op": "changed",
            "old": olds[0],
            "new": news[0],
            "changed": True,
            "tokens": word_diff(
                " ".join(self.old[i] for i in olds), " ".join(self.new[j] for j in news)
            ),
            "rewritten": True,
        }
        if len(olds) > 1:
            op["merged"] = olds
        if len(news) > 1:
            op["split"] = news
        return op


def group_rewritten(ops: Sequence[Op], old: Sequence[str], new: Sequence[str]) -> list[Op]:
    """``ops`` with each rewritten passage (see the module) made one op."""
    passages = _Passages(old, new)
    result: list[Op] = []
    position = 0
    while position < len(ops):
        if not _member(ops[position]):
            result.append(ops[position])
            position += 1
            continue
        stop = position
        while stop < len(ops) and _member(ops[stop]):
            stop += 1
        run = list(ops[position:stop])
        at = 0
        for first, piece_stop in passages.pieces(run):
            result.extend(run[at:first])
            result.append(passages.op(run[first:piece_stop]))
            at = piece_stop
        result.extend(run[at:])
        position = stop
    return result
