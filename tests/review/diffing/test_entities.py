"""Entities a revision removed from or added to a passage (review.diffing.entities)."""

from __future__ import annotations

from review.diffing import changed_entities, changed_numbers


def entity(text: str, label: str) -> dict[str, object]:
    return {"text": text, "label": label, "start": 0, "end": len(text)}


def test_a_changed_figure_is_a_number_change_not_an_entity_change() -> None:
    removed, added = changed_numbers("Four soldiers died.", "Five soldiers died.")
    assert (removed, added) == (["Four"], ["Five"])
    assert changed_entities(
        [entity("Four", "CARDINAL")],
        [entity("Five", "CARDINAL")],
        numbers_removed=removed,
        numbers_added=added,
    ) == ([], [])


def test_a_changed_sum_of_money_is_left_to_the_numbers() -> None:
    removed, added = changed_numbers("It cost $61 billion.", "It cost $95 billion.")
    assert changed_entities(
        [entity("$61 billion", "MONEY")],
        [entity("$95 billion", "MONEY")],
        numbers_removed=removed,
        numbers_added=added,
    ) == ([], [])


def test_a_changed_name_beside_a_changed_figure_is_still_an_entity_change() -> None:
    removed, added = changed_numbers("Putin sent four envoys.", "Zelensky sent five envoys.")
    assert changed_entities(
        [entity("Putin", "PERSON"), entity("four", "CARDINAL")],
        [entity("Zelensky", "PERSON"), entity("five", "CARDINAL")],
        numbers_removed=removed,
        numbers_added=added,
    ) == (["Putin"], ["Zelensky"])


def test_a_figure_entity_whose_number_did_not_change_is_listed() -> None:
    """Only figures the number list already shows are left out."""
    assert changed_entities(
        [entity("two", "CARDINAL")], [], numbers_removed=[], numbers_added=[]
    ) == (["two"], [])


def test_a_date_keeps_its_entity_change_beside_the_number_change() -> None:
    removed, added = changed_numbers("They met on May 14.", "They met on May 15.")
    assert changed_entities(
        [entity("May 14", "DATE")],
        [entity("May 15", "DATE")],
        numbers_removed=removed,
        numbers_added=added,
    ) == (["May 14"], ["May 15"])


def test_a_figure_repeated_on_the_new_side_is_not_an_added_entity() -> None:
    """Four ... four -> four ... five: one number change, no entity change."""
    removed, added = changed_numbers(
        "Four ministers met four envoys.", "Four ministers met five envoys."
    )
    assert changed_entities(
        [entity("Four", "CARDINAL"), entity("four", "CARDINAL")],
        [entity("Four", "CARDINAL"), entity("five", "CARDINAL")],
        numbers_removed=removed,
        numbers_added=added,
    ) == ([], [])
