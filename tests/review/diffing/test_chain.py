"""The heaviest in-order chain of sentence links (review.diffing.chain), on plain tuples."""

from __future__ import annotations

from itertools import combinations, pairwise

from hypothesis import given
from hypothesis import strategies as st

from review.diffing.chain import Link, heaviest_chain


def weight(links: list[Link], chosen: list[int]) -> float:
    return sum(links[k][4] for k in chosen)


def in_order(links: list[Link], chosen: list[int]) -> bool:
    """Each link wholly after the one before, on the old side and on the new side."""
    ordered = sorted((links[k] for k in chosen), key=lambda link: link[0])
    return all(a[1] < b[0] and a[3] < b[2] for a, b in pairwise(ordered))


def test_no_links_give_an_empty_chain() -> None:
    assert heaviest_chain([]) == []


def test_links_in_order_on_both_sides_are_all_kept() -> None:
    links: list[Link] = [(0, 0, 0, 0, 0.9), (1, 1, 1, 1, 0.6), (2, 2, 3, 3, 0.7)]
    assert heaviest_chain(links) == [0, 1, 2]


def test_of_two_crossing_links_the_heavier_is_kept() -> None:
    links: list[Link] = [(0, 0, 1, 1, 0.6), (1, 1, 0, 0, 0.9)]
    assert heaviest_chain(links) == [1]


def test_two_light_links_in_order_beat_one_heavier_link_crossing_both() -> None:
    links: list[Link] = [(0, 0, 2, 2, 0.9), (1, 1, 0, 0, 0.6), (2, 2, 1, 1, 0.6)]
    assert heaviest_chain(links) == [1, 2]


def test_a_split_link_excludes_links_into_the_sentences_it_covers() -> None:
    """Old 0 split into new 0-1 (0.8) against old 0 -> new 0 and old 1 -> new 1."""
    split: Link = (0, 0, 0, 1, 0.8)
    links: list[Link] = [(0, 0, 0, 0, 0.5), split, (1, 1, 1, 1, 0.5)]
    assert heaviest_chain(links) == [0, 2]
    links[2] = (1, 1, 1, 1, 0.2)
    assert heaviest_chain(links) == [1]


def test_a_merge_link_is_in_order_with_the_links_around_it() -> None:
    links: list[Link] = [(0, 1, 0, 0, 0.7), (2, 2, 1, 1, 0.9), (3, 4, 2, 2, 0.6)]
    assert heaviest_chain(links) == [0, 1, 2]


def test_of_equal_chains_the_one_ending_earliest_wins() -> None:
    links: list[Link] = [(0, 0, 1, 1, 0.5), (1, 1, 0, 0, 0.5)]
    assert heaviest_chain(links) == [0]


def test_the_chain_is_in_text_order_whatever_the_order_of_the_links() -> None:
    links: list[Link] = [(2, 2, 2, 2, 0.7), (0, 0, 0, 0, 0.9), (1, 1, 1, 1, 0.6)]
    assert heaviest_chain(links) == [1, 2, 0]


links_strategy = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 2),
        st.integers(0, 5),
        st.integers(0, 2),
        st.integers(1, 9),
    ).map(lambda t: (t[0], t[0] + t[1], t[2], t[2] + t[3], t[4] / 10)),
    max_size=7,
)


@given(links_strategy)
def test_the_chain_is_in_order_and_as_heavy_as_the_best_of_all_subsets(links: list[Link]) -> None:
    chosen = heaviest_chain(links)
    assert in_order(links, chosen)
    best = max(
        (
            weight(links, list(subset))
            for size in range(len(links) + 1)
            for subset in combinations(range(len(links)), size)
            if in_order(links, list(subset))
        ),
        default=0.0,
    )
    assert abs(weight(links, chosen) - best) < 1e-9
