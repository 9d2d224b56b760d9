"""Reads for the public corrections log, its feed and each correction's page.

Only published corrections are ever returned: drafts, submitted, returned
and withdrawn corrections do not exist as far as the public is concerned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString

from review import selectors
from review.models import Correction

#: The page fields whose change a correction page shows beside the sentences
#: (stated times always change when a correction publishes, so they are left out).
PUBLIC_FIELDS = {"title", "standfirst", "byline"}


def published_corrections() -> QuerySet[Correction]:
    """Published corrections, newest first, with what the log shows of each."""
    return (
        Correction.objects.filter(state=Correction.State.PUBLISHED)
        .select_related("article", "published_revision")
        .order_by("-published_at", "-id")
    )


def published_correction_get(pk: int) -> Correction:
    """One published correction; 404 for any other state or none."""
    return get_object_or_404(published_corrections().select_related("base_revision"), pk=pk)


@dataclass(frozen=True)
class PublicChange:
    """A passage as it read before the correction and as it reads after it.

    ``label`` names a page field ("Headline") or is "" for a sentence of the
    body; ``op`` is the diff's (changed, added, deleted, moved) or "changed"
    for a field. The HTML is escaped, with ``<del>``/``<ins>`` marks.
    """

    label: str
    op: str
    old_html: SafeString
    new_html: SafeString


def correction_changes(correction: Correction) -> list[PublicChange]:
    """What the correction changed: the page fields, then the body's non-equal sentences."""
    old, new = correction.base_revision, correction.published_revision
    assert new is not None  # a published correction has its revision (a CheckConstraint)
    result: dict[str, Any] = selectors.compare_cached(old, new)
    changes = [
        PublicChange(label=f.label, op="changed", old_html=f.old_html, new_html=f.new_html)
        for f in result["field_changes"]
        if f.field in PUBLIC_FIELDS
    ]
    changes += [
        PublicChange(label="", op=row.op, old_html=row.old_html, new_html=row.new_html)
        for row in result["rows"]
        if row.op != "equal"
    ]
    return changes


def _iso(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def correction_json_ld(correction: Correction) -> dict[str, object]:
    """The schema.org description of the corrected article and its correction."""
    revision = correction.published_revision
    assert revision is not None and correction.published_at is not None
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": revision.title,
    }
    if correction.article.canonical_url:
        data["url"] = correction.article.canonical_url
    if correction.article.first_published is not None:
        data["datePublished"] = _iso(correction.article.first_published)
    data["dateModified"] = _iso(revision.stated_updated_at or correction.published_at)
    data["correction"] = {
        "@type": "CorrectionComment",
        "text": correction.note,
        "datePublished": _iso(correction.published_at),
    }
    return data
