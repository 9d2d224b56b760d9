"""Named entities that a revision removed from or added to a passage.

Pure: plain dicts (``{"text", "label", ...}``, the analysis' entities). A
figure is a number first: an entity with a numeric label ("four" as CARDINAL,
"$61 billion" as MONEY) that holds a number already listed as changed
(:func:`review.diffing.numbers.changed_numbers`) is left out, so "four" ->
"five" is one number change, not also an entity change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from review.diffing.numbers import numbers

#: spaCy labels whose entities are figures. DATE and TIME are not: "May 14" ->
#: "May 15" stays an entity change as well as a number change (the date reads
#: better than the bare "14" -> "15").
NUMERIC_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})


def _listed_figures(entities: Iterable[Mapping[str, Any]], listed: frozenset[str]) -> set[str]:
    """Texts of the entities that are figures holding one of the ``listed`` numbers."""
    return {
        str(e["text"])
        for e in entities
        if str(e.get("label", "")) in NUMERIC_LABELS
        and any(number in listed for number in numbers(str(e["text"])))
    }


def changed_entities(
    old_entities: Iterable[Mapping[str, Any]],
    new_entities: Iterable[Mapping[str, Any]],
    *,
    numbers_removed: Sequence[str] = (),
    numbers_added: Sequence[str] = (),
) -> tuple[list[str], list[str]]:
    """Entity texts removed from and added to a passage, each list sorted.

    An entity counts by its text: one only on the old side is removed, one
    only on the new side added. Figures already in ``numbers_removed`` (old
    side) or ``numbers_added`` (new side) are left to the number change.
    """
    old, new = list(old_entities), list(new_entities)
    old_texts = {str(e["text"]) for e in old}
    new_texts = {str(e["text"]) for e in new}
    removed_figures = _listed_figures(old, frozenset(numbers_removed))
    added_figures = _listed_figures(new, frozenset(numbers_added))
    return (
        sorted(old_texts - new_texts - removed_figures),
        sorted(new_texts - old_texts - added_figures),
    )
