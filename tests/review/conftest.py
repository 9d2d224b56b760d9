"""Fixtures of the review tests: an article whose revisions rewrite a passage."""

from __future__ import annotations

import pytest

REWRITE_OLD = (
    "Floods hit the north on Sunday.\n\n"
    "Rescue teams reached the village of Marden late on Sunday after the river fell,"
    " and they found twelve families still trapped in upper rooms. Police said two people"
    " were missing and that the army had sent boats and a helicopter to help the teams"
    " search the flooded fields.\n\n"
    "Schools will stay closed on Monday."
)
REWRITE_NEW = (
    "Floods hit the north on Sunday.\n\n"
    "Police said two people were missing in Marden. Rescue teams reached the village late"
    " on Sunday after the river fell and found twelve families trapped in upper rooms,"
    " while the army sent boats and a helicopter. The teams were still searching the"
    " flooded fields.\n\n"
    "Schools will stay closed on Monday."
)


@pytest.fixture
def rewritten_slug(db: None) -> str:
    """An article whose second revision rewrites a paragraph of two sentences into three."""
    from articles.ingest import CaptureDraft
    from articles.services import revision_record

    title = "Floods in the north"
    article = revision_record(draft=CaptureDraft(title=title, body=REWRITE_OLD)).article
    revision_record(draft=CaptureDraft(title=title, body=REWRITE_NEW), article=article)
    return article.slug
