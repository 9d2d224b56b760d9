from __future__ import annotations

import hashlib

from django import forms

from articles.ingest import MAX_CAPTURE_BYTES, CaptureDraft, CaptureRefused, read_capture


class ImportForm(forms.Form):
    """Upload a capture file or paste its text; either gives a validated draft."""

    file = forms.FileField(
        required=False,
        label="Capture file",
        help_text="A plain-text page capture (.txt) or a saved web page (.html), up to 2 MB.",
    )
    text = forms.CharField(
        required=False,
        label="Or paste the capture",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        text = cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste text, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Choose a capture file or paste its text.")
        if upload:
            if upload.size > MAX_CAPTURE_BYTES:
                raise forms.ValidationError(
                    f"Refused: file is {upload.size / 1024 / 1024:.1f} MB; captures over 2 MB are refused."
                )
            data = upload.read()
            filename = upload.name or ""
        else:
            data = text.encode("utf-8")
            filename = ""
        try:
            draft: CaptureDraft = read_capture(data, filename=filename)
        except CaptureRefused as exc:
            raise forms.ValidationError(f"Refused: {exc}.") from exc
        cleaned["draft"] = draft
        cleaned["capture_sha256"] = hashlib.sha256(data).hexdigest()
        cleaned["filename"] = filename
        return cleaned


class ArticleFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search titles")
    source = forms.SlugField(required=False, label="Source")
