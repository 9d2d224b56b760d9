from __future__ import annotations

import hashlib

from django import forms
from django.core import signing

from articles.ingest import MAX_CAPTURE_BYTES, CaptureDraft, CaptureRefused, read_capture
from articles.models import Article
from articles.services import HeadlineMismatch, draft_content_hash

CONFIRM_SALT = "articles.import-confirm"


class ImportForm(forms.Form):
    """Upload a capture file or paste its text; either gives a validated draft."""

    file = forms.FileField(
        required=False,
        allow_empty_file=True,  # clean() refuses it as "the file is empty", not "choose a file"
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
            content_type = upload.content_type or ""
        else:
            data = text.encode("utf-8")
            filename = content_type = ""
        try:
            draft: CaptureDraft = read_capture(data, filename=filename, content_type=content_type)
        except CaptureRefused as exc:
            raise forms.ValidationError(f"Refused: {exc}.") from exc
        cleaned["draft"] = draft
        cleaned["capture_sha256"] = hashlib.sha256(data).hexdigest()
        cleaned["filename"] = filename
        cleaned["capture"] = data.decode("utf-8-sig")  # read_capture decoded it already
        return cleaned


class ImportConfirmForm(forms.Form):
    """The answer to "record it as a new revision of the article it matched?".

    The capture travels back as its text; the signed token holds the matched
    article and the capture's content hash, so neither can be swapped on the way."""

    REVISION = "revision"
    ARTICLE = "article"

    capture = forms.CharField(widget=forms.HiddenInput, strip=False)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    token = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[(REVISION, "Record as a new revision"), (ARTICLE, "Record as a new article")]
    )

    @classmethod
    def for_mismatch(
        cls, mismatch: HeadlineMismatch, *, capture: str, filename: str
    ) -> ImportConfirmForm:
        token = signing.dumps(
            {"article": mismatch.article.pk, "hash": mismatch.content_hash}, salt=CONFIRM_SALT
        )
        return cls(initial={"capture": capture, "filename": filename, "token": token})

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.errors:
            raise forms.ValidationError("The confirmation is incomplete; import the capture again.")
        try:
            signed = signing.loads(cleaned["token"], salt=CONFIRM_SALT)
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                "The confirmation is not valid; import the capture again."
            ) from exc
        try:
            draft = read_capture(cleaned["capture"].encode("utf-8"), filename=cleaned["filename"])
        except CaptureRefused as exc:
            raise forms.ValidationError(f"Refused: {exc}.") from exc
        if draft_content_hash(draft) != signed["hash"]:
            raise forms.ValidationError(
                "The capture changed after you were asked; import it again."
            )
        article = Article.objects.filter(pk=signed["article"]).first()
        if article is None:
            raise forms.ValidationError("The matched article is gone; import the capture again.")
        cleaned["draft"] = draft
        cleaned["article"] = article
        return cleaned


class ArticleFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search articles")
    source = forms.SlugField(required=False, label="Source")
    minor = forms.BooleanField(required=False, label="Count minor revisions")
