"""Figures found in sentences and the ones a revision changed (review.diffing.numbers)."""

from __future__ import annotations

from review.diffing.numbers import changed_numbers, numbers


def test_numbers_keep_currency_scale_and_percent_with_the_figure() -> None:
    text = "Congress approved $61 billion, up 4.5% on 2022, and £3 million more."
    assert numbers(text) == ["$61 billion", "4.5%", "2022", "£3 million"]


def test_number_words_and_compounds_are_numbers() -> None:
    assert numbers("two batteries, twenty-five drones and dozens of shells") == [
        "two",
        "twenty-five",
        "dozens",
    ]


def test_ordinals_decades_and_times_are_numbers() -> None:
    assert numbers("the 3rd brigade in the 1990s, at 10:34") == ["3rd", "1990s", "10:34"]


def test_digits_inside_a_word_are_not_a_number() -> None:
    assert numbers("COVID19 and A320 jets") == []


def test_changed_numbers_counts_repeats() -> None:
    removed, added = changed_numbers("two, two and three", "two and four")
    assert (removed, added) == (["two", "three"], ["four"])


def test_changed_numbers_keeps_the_reading_order() -> None:
    assert changed_numbers("5 and 6 and 7", "7 and 8 and 9") == (["5", "6"], ["8", "9"])
