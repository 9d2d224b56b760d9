from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from articles.models import Person
from review.models import Annotation, Correction

User = get_user_model()


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


class AnnotationForm(forms.Form):
    """A new annotation on a passage of one revision."""

    kind = forms.ChoiceField(
        choices=Annotation.Kind.choices, initial=Annotation.Kind.DISPUTED_ATTRIBUTION
    )
    exact = forms.CharField(
        label="Passage",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The text you selected. Without a selection, paste the passage: it must occur once.",
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    attribution = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    proposed_person = forms.ModelChoiceField(
        queryset=Person.objects.order_by("name"),
        required=False,
        label="Proposed speaker",
        empty_label="— from the registry —",
        error_messages={"invalid_choice": "Unknown person: choose one from the registry."},
    )
    proposed_speaker_text = forms.CharField(
        required=False,
        max_length=200,
        label="…or name the speaker",
        help_text="When they are not in the registry.",
    )
    evidence_url = forms.URLField(required=False, max_length=500, label="Evidence link")
    evidence_note = forms.CharField(
        required=False, label="Evidence note", widget=forms.Textarea(attrs={"rows": 2})
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="@username notifies a colleague.",
        error_messages={"required": "Write a comment: say what is wrong."},
    )
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="— nobody —", label="Assign to"
    )

    def __init__(self, *args: Any, assignees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if assignees is not None:
            self.fields["assignee"].queryset = assignees


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write a comment first."},
    )


class ReasonForm(forms.Form):
    ACTIONS = [("resolve", "Resolve"), ("reject", "Reject"), ("reopen", "Reopen")]

    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(
        max_length=2000, error_messages={"required": "Give a reason."}, label="Reason"
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Why is this not a misattribution?",
        error_messages={"required": "Give a short reason for dismissing the flag."},
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="— nobody —", label="Assign to"
    )

    def __init__(self, *args: Any, assignees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if assignees is not None:
            self.fields["assignee"].queryset = assignees


class QueueFilterForm(forms.Form):
    PLACEMENTS = [
        ("", "Any placement"),
        ("attention", "Needs attention (changed or orphaned)"),
        ("original", "On the latest revision"),
        ("carried", "Carried"),
        ("changed", "Changed: re-check"),
        ("orphaned", "Orphaned"),
    ]

    kind = forms.ChoiceField(choices=[("", "Any kind"), *Annotation.Kind.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Annotation.Status.choices], required=False
    )
    author = forms.CharField(required=False, max_length=150)
    assignee = forms.CharField(required=False, max_length=150)
    source = forms.SlugField(required=False)
    article = forms.SlugField(required=False, max_length=120)
    placement = forms.ChoiceField(choices=PLACEMENTS, required=False)


class CorrectionForm(forms.Form):
    """A proposed correction: the text (paragraph by paragraph) and the public note."""

    kind = forms.ChoiceField(choices=Correction.Kind.choices, initial=Correction.Kind.CORRECTION)
    title = forms.CharField(label="Headline", max_length=500, strip=False)
    standfirst = forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    byline = forms.CharField(required=False, max_length=300)
    note = forms.CharField(
        label="Public note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was wrong, what is right, and when. Published with the correction.",
        error_messages={"required": "Write the public note: a correction is never silent."},
    )

    def __init__(self, *args: Any, paragraphs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paragraphs = paragraphs

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [p.strip() for p in (self.paragraphs or []) if p.strip()]
        if not parts:
            raise forms.ValidationError("The body cannot be empty.")
        cleaned["body"] = "\n\n".join(parts)
        return cleaned


class ReturnForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you return it: the proposer needs to know."},
    )


class SignOffForm(forms.Form):
    override_reason = forms.CharField(required=False, max_length=2000)
