"""Minor revisions (typography, furniture, a timestamp): kept, but out of the way."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client

from articles.ingest import CaptureDraft
from articles.models import Revision
from articles.services import RecordResult, revision_record
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def minor(recorded_seed: RecordResult, seed_draft: CaptureDraft) -> Revision:
    """Revision 2 of the seed: its apostrophes straightened, nothing else."""
    assert "’" in seed_draft.body
    analysis = recorded_seed.revision.analyses.get().as_dict()  # same offsets
    result = revision_record(
        draft=replace(seed_draft, body=seed_draft.body.replace("’", "'")),
        analysis=analysis,
        article=recorded_seed.article,
    )
    return result.revision


def test_a_typography_only_revision_is_recorded_as_minor(minor: Revision) -> None:
    assert minor.number == 2
    assert minor.minor is True


def test_the_reading_desk_hides_minor_revisions_by_default(
    editor_client: Client, minor: Revision
) -> None:
    page = visible_text(
        editor_client.get(f"/articles/{minor.article.slug}/revisions/1/").content.decode()
    )
    assert "Revision 2" not in page
    assert "1 minor revision (typography, furniture or a timestamp) hidden" in page


def test_the_toggle_shows_minor_revisions_with_a_badge(
    editor_client: Client, minor: Revision
) -> None:
    html = editor_client.get(f"/articles/{minor.article.slug}/revisions/1/?minor=1").content
    page = visible_text(html.decode())
    assert "Revision 2 Imported minor" in page
    assert "Hide minor revisions" in page


def test_the_minor_revision_being_read_stays_in_the_list(
    editor_client: Client, minor: Revision
) -> None:
    page = visible_text(editor_client.get(f"/articles/{minor.article.slug}/").content.decode())
    assert "Revision 2 Imported minor" in page


def test_the_desk_does_not_count_minor_revisions_unless_asked(
    editor_client: Client, minor: Revision
) -> None:
    def revisions_cell(query: str) -> str:
        html = editor_client.get(f"/{query}").content.decode()
        row = html.split(f'href="/articles/{minor.article.slug}/"', 1)[1]
        return row.split('<td class="num" data-label="Revisions">', 1)[1].split("</td>", 1)[0]

    assert revisions_cell("") == "1"
    assert revisions_cell("?minor=on") == "2"


def test_the_history_page_hides_minor_revisions_entries_unless_asked(
    editor_client: Client, minor: Revision
) -> None:
    url = f"/articles/{minor.article.slug}/history/"
    page = visible_text(editor_client.get(url).content.decode())
    assert "revision 2" not in page and "revision 1" in page
    assert "1 entry of minor revisions (typography, furniture or a timestamp) hidden" in page
    shown = visible_text(editor_client.get(f"{url}?minor=1").content.decode())
    assert "revision 2" in shown
    assert "Hide minor revisions" in shown
