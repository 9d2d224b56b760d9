"""/articles/<slug>/revisions/feed/: an article's revision history as Atom."""

from __future__ import annotations

from dataclasses import replace
from xml.etree import ElementTree

import pytest
from django.test import Client

from articles.ingest import CaptureDraft
from articles.services import RecordResult, revision_record

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    return [
        {
            "title": entry.findtext(f"{ATOM}title") or "",
            "summary": entry.findtext(f"{ATOM}summary") or "",
            "link": entry.find(f"{ATOM}link").get("href", ""),  # type: ignore[union-attr]
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


@pytest.fixture
def three(recorded_correction: RecordResult, seed_draft: CaptureDraft) -> RecordResult:
    """The seed, its Zelensky correction, then a minor revision (apostrophes only)."""
    corrected = recorded_correction.revision
    draft = replace(
        seed_draft,
        body=corrected.body.replace("’", "'"),
    )
    return revision_record(
        draft=draft,
        analysis=corrected.analyses.get().as_dict(),
        article=recorded_correction.article,
    )


def test_the_feed_lists_the_revisions_newest_first_with_what_changed(
    editor_client: Client, three: RecordResult
) -> None:
    slug = three.article.slug
    found = entries(editor_client, f"/articles/{slug}/revisions/feed/")
    assert [e["title"].split(":")[0] for e in found] == ["Revision 2", "Revision 1"]
    assert found[0]["summary"] == "Imported; 1 changed."
    assert found[0]["link"].endswith(f"/articles/{slug}/compare/?from=1&to=2")
    assert found[1]["link"].endswith(f"/articles/{slug}/revisions/1/")


def test_the_feed_shows_minor_revisions_when_asked(
    editor_client: Client, three: RecordResult
) -> None:
    found = entries(editor_client, f"/articles/{three.article.slug}/revisions/feed/?minor=1")
    assert found[0]["title"].startswith("Revision 3 (minor): ")


def test_the_reading_desk_links_to_the_feed(editor_client: Client, three: RecordResult) -> None:
    slug = three.article.slug
    page = editor_client.get(f"/articles/{slug}/").content.decode()
    assert f'href="/articles/{slug}/revisions/feed/"' in page
