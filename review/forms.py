from __future__ import annotations

from collections.abc import Mapping

from django import forms


class CompareForm(forms.Form):
    """Which two revisions to compare, and how to show them."""

    MODES = [("side", "Side by side"), ("inline", "Inline")]

    from_ = forms.TypedChoiceField(label="From", coerce=int)
    to = forms.TypedChoiceField(label="To", coerce=int)
    mode = forms.ChoiceField(choices=MODES, required=False)
    # ?changes=1: show only the sentences that changed.
    changes = forms.BooleanField(label="Changes only", required=False)

    def __init__(self, *args: object, numbers: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(n, f"Revision {n}") for n in numbers]
        self.fields["from_"].choices = choices
        self.fields["to"].choices = choices

    @classmethod
    def for_revisions(cls, data: Mapping[str, str], *, numbers: list[int]) -> CompareForm:
        """Bound to ``data``; ``from``/``to`` default to the previous and the latest revision."""
        values = dict(data.items())
        if len(numbers) >= 2:
            values.setdefault("from", str(numbers[-2]))
            values.setdefault("to", str(numbers[-1]))
        return cls(values, numbers=numbers)

    def add_prefix(self, field_name: str) -> str:
        # The query string says ?from=1&to=2; "from" is a Python keyword.
        return "from" if field_name == "from_" else super().add_prefix(field_name)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("from_") is not None and cleaned.get("from_") == cleaned.get("to"):
            raise forms.ValidationError("Choose two different revisions to compare.")
        cleaned["mode"] = cleaned.get("mode") or "side"
        return cleaned
