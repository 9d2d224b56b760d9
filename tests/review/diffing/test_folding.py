"""Sentences folded for matching, and their word similarity (review.diffing.folding)."""

from __future__ import annotations

import pytest

from review.diffing.folding import contained, key, match_key, similarity, words


def test_key_folds_runs_of_whitespace_only() -> None:
    assert key("  Kyiv\t said\n\nno. ") == "Kyiv said no."
    assert key("“Kyiv”") == "“Kyiv”"


@pytest.mark.parametrize(
    ("typographic", "plain"),
    [
        ("“We will win,” he said", '"We will win," he said'),
        ("Kyiv’s forces", "Kyiv's forces"),
        ("«Non»", '"Non"'),
        ("prices — and wages — rose", "prices-and wages-rose"),
        ("prices -- and wages - rose", "prices-and wages-rose"),
        ("wait…", "wait..."),
        ("co\u00adoperate", "cooperate"),
        ("zero\u200bwidth", "zerowidth"),
        ("non\u00a0breaking space", "non breaking space"),
        ("the 2022–2024 budget", "the 2022-2024 budget"),
    ],
)
def test_match_key_folds_typography(typographic: str, plain: str) -> None:
    assert match_key(typographic) == match_key(plain)


def test_match_key_keeps_words_and_letters_apart() -> None:
    assert match_key("Zelensky said") != match_key("Zelenskyy said")
    assert match_key("Éire") != match_key("Eire")


def test_words_are_case_folded_and_without_punctuation() -> None:
    assert words("The Mayor said: the MAYOR!") == frozenset({"the", "mayor", "said"})


def test_similarity_is_the_dice_coefficient_of_the_word_sets() -> None:
    assert similarity("a b c d", "a b c d") == 1.0
    assert similarity("a b c d", "e f g h") == 0.0
    assert similarity("a b c d", "a b x y") == 0.5
    assert similarity("", "") == 1.0


def test_contained_needs_half_the_words_of_the_part() -> None:
    whole = words("the council approved the budget on tuesday")
    assert contained(words("the council approved a plan"), whole)
    assert not contained(words("a plan for new roads"), whole)
    assert not contained(frozenset(), whole)
