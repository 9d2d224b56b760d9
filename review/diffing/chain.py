"""The heaviest chain of sentence links that keeps both texts in order.

Pure. A link pairs a run of old sentences with a run of new ones (one to one,
a split, or a merge) and has a weight (its similarity). A chain is a set of
links each wholly after the one before on both sides; the heaviest chain
is a weighted longest increasing subsequence, found in O(k log k) for k links
with a Fenwick tree of prefix maxima over the new side.
"""

from __future__ import annotations

from collections.abc import Sequence

#: (old first, old last, new first, new last, weight); indices inclusive.
Link = tuple[int, int, int, int, float]


def heaviest_chain(links: Sequence[Link]) -> list[int]:
    """Indices into ``links`` of a chain of greatest total weight, in text order.

    Links are taken in (old first, new first, old last, new last) order, ties
    in the order given; of chains of equal weight the one ending at the
    earliest link wins, and each link extends the earliest best chain before it.
    """
    if not links:
        return []
    order = sorted(range(len(links)), key=lambda k: _position(links[k]))
    items = [links[k] for k in order]
    size = max(item[3] for item in items) + 1
    tree: list[tuple[float, int]] = [(0.0, -1)] * (size + 1)  # prefix max over new last
    total: list[float] = [0.0] * len(items)
    back: list[int] = [-1] * len(items)
    by_old_last = sorted(range(len(items)), key=lambda k: items[k][1])
    inserted = 0
    for k, (old_first, _, new_first, _, weight) in enumerate(items):
        # links wholly before this one on the old side become available
        while inserted < len(by_old_last) and items[by_old_last[inserted]][1] < old_first:
            done = by_old_last[inserted]
            _raise(tree, items[done][3] + 1, (total[done], done))
            inserted += 1
        best = _prefix_max(tree, new_first)  # chains ending before new_first
        total[k] = best[0] + weight
        back[k] = best[1]
    k = max(range(len(items)), key=lambda index: (total[index], -index))
    chain: list[int] = []
    while k >= 0:
        chain.append(order[k])
        k = back[k]
    chain.reverse()
    return chain


def _position(link: Link) -> tuple[int, int, int, int]:
    old_first, old_last, new_first, new_last, _ = link
    return old_first, new_first, old_last, new_last


def _raise(tree: list[tuple[float, int]], position: int, entry: tuple[float, int]) -> None:
    """Offer ``entry`` (total, link) to every node covering ``position``."""
    while position < len(tree):
        if entry[0] > tree[position][0]:
            tree[position] = entry
        position += position & -position


def _prefix_max(tree: list[tuple[float, int]], position: int) -> tuple[float, int]:
    """The best (total, link) at positions 1..``position``; (0.0, -1) when none."""
    best: tuple[float, int] = (0.0, -1)
    while position > 0:
        if tree[position][0] > best[0]:
            best = tree[position]
        position -= position & -position
    return best
