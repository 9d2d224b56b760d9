"""Three-way merge of texts, line by line: carry the changes one side made to a
common base onto the other side's version. Pure functions, no Django.

Used when a correction is rebased: the correction's edits of its base revision
are applied to the latest revision. Where both sides changed the same or
adjacent lines differently, there is no merge (``None``): a person decides.
"""

from __future__ import annotations

from difflib import SequenceMatcher

#: One side's change of the base: replace base lines [start, end) with these lines.
Change = tuple[int, int, list[str]]


def _changes(base: list[str], other: list[str]) -> list[Change]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def _clash(a: Change, b: Change) -> bool:
    """Overlapping or touching ranges (an insertion at the edge of an edit counts)."""
    return a[0] <= b[1] and b[0] <= a[1]


def merge3(base: str, ours: str, theirs: str) -> str | None:
    """``theirs`` with the changes that ``ours`` made to ``base``; ``None`` when
    both changed the same (or adjacent) lines differently."""
    if ours == base or ours == theirs:
        return theirs
    if theirs == base:
        return ours
    base_lines = base.splitlines(keepends=True)
    ours_changes = _changes(base_lines, ours.splitlines(keepends=True))
    theirs_changes = _changes(base_lines, theirs.splitlines(keepends=True))
    merged: list[Change] = list(theirs_changes)
    for change in ours_changes:
        clashing = [c for c in theirs_changes if _clash(change, c)]
        if not clashing:
            merged.append(change)
        elif clashing != [change]:  # both made exactly this change: keep it once
            return None
    lines = list(base_lines)
    for start, end, replacement in sorted(merged, key=lambda c: (c[0], c[1]), reverse=True):
        lines[start:end] = replacement
    return "".join(lines)
