"""A capture that matched an article by its opening paragraph alone (its headline is
different) is recorded only once the person importing it confirms."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Activity, Article, Revision, Source
from articles.services import RecordResult
from tests.conftest import visible_text

OLD_TITLE = "US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances"
NEW_TITLE = "Kharkiv evacuations widen as Russian shelling intensifies"


@pytest.fixture
def look_alike(seed_text: str) -> str:
    """Another story that opens with the seed's first paragraph, under its own headline."""
    text = seed_text.replace(OLD_TITLE, NEW_TITLE)
    assert NEW_TITLE in text
    return text.replace("Blinken has made four trips to Kyiv", "evacuations have doubled")


def counts() -> tuple[int, int, int, int]:
    return (
        Article.objects.count(),
        Revision.objects.count(),
        Activity.objects.count(),
        Source.objects.count(),
    )


def test_pasting_a_look_alike_asks_before_recording(
    editor_client: Client, recorded_seed: RecordResult, look_alike: str
) -> None:
    before = counts()
    response = editor_client.post("/import/", {"text": look_alike})
    assert response.status_code == 200
    page = visible_text(response.content.decode())
    assert "Is this the same article?" in page
    assert f"The capture “{NEW_TITLE}” (AFP)" in page
    assert f"It matched {OLD_TITLE} Source AFP" in page
    for button in ("Record as a new revision", "Record as a new article", "Cancel"):
        assert button in page
    assert counts() == before


def test_uploading_a_look_alike_asks_before_recording(
    editor_client: Client, recorded_seed: RecordResult, look_alike: str
) -> None:
    before = counts()
    upload = SimpleUploadedFile("kharkiv.txt", look_alike.encode("utf-8"), "text/plain")
    response = editor_client.post("/import/", {"file": upload})
    assert "Is this the same article?" in visible_text(response.content.decode())
    assert counts() == before


def ask(client: Client, text: str) -> dict[str, str]:
    """The confirmation form's hidden fields, as the page carries them."""
    response = client.post("/import/", {"text": text})
    form = response.context["confirm"]
    return {name: form[name].value() for name in ("capture", "filename", "token")}


def test_confirming_records_a_new_revision_of_the_matched_article(
    editor_client: Client, recorded_seed: RecordResult, look_alike: str
) -> None:
    answer = ask(editor_client, look_alike)
    response = editor_client.post("/import/", {**answer, "decision": "revision"})
    assert response.status_code == 302
    article = recorded_seed.article
    assert response["Location"] == f"/articles/{article.slug}/compare/?from=1&to=2"
    assert list(article.revisions.values_list("title", flat=True)) == [OLD_TITLE, NEW_TITLE]


def test_choosing_a_new_article_records_it_apart(
    editor_client: Client, recorded_seed: RecordResult, look_alike: str
) -> None:
    answer = ask(editor_client, look_alike)
    response = editor_client.post("/import/", {**answer, "decision": "article"})
    assert response.status_code == 302
    new = Article.objects.exclude(pk=recorded_seed.article.pk).get()
    assert response["Location"] == f"/articles/{new.slug}/"
    assert [r.title for r in new.revisions.all()] == [NEW_TITLE]
    assert recorded_seed.article.revisions.count() == 1


def test_cancel_goes_back_to_the_import_form_having_written_nothing(
    editor_client: Client, recorded_seed: RecordResult, look_alike: str
) -> None:
    before = counts()
    response = editor_client.post("/import/", {"text": look_alike})
    assert '<a href="/import/" class="button">Cancel</a>' in response.content.decode()
    assert counts() == before


def test_a_capture_swapped_after_the_question_is_refused(
    editor_client: Client, recorded_seed: RecordResult, look_alike: str
) -> None:
    answer = ask(editor_client, look_alike)
    answer["capture"] = answer["capture"].replace("doubled", "tripled")
    before = counts()
    response = editor_client.post("/import/", {**answer, "decision": "revision"})
    assert response.status_code == 422
    assert "The capture changed after you were asked" in visible_text(response.content.decode())
    assert counts() == before


def test_a_forged_token_is_refused(
    editor_client: Client, recorded_seed: RecordResult, look_alike: str
) -> None:
    answer = ask(editor_client, look_alike)
    before = counts()
    response = editor_client.post(
        "/import/", {**answer, "token": answer["token"] + "x", "decision": "revision"}
    )
    assert response.status_code == 422
    assert "The confirmation is not valid" in visible_text(response.content.decode())
    assert counts() == before


def test_a_new_headline_at_the_same_canonical_url_is_recorded_without_asking(
    editor_client: Client, recorded_seed: RecordResult, look_alike: str
) -> None:
    """The publisher's own URL says it is the same story: a headline change is an update."""
    article = recorded_seed.article
    article.canonical_url = "https://news.example.org/blinken-kyiv"
    article.save(update_fields=["canonical_url"])
    html = (
        "<html><head><title>{t}</title>"
        '<link rel="canonical" href="https://news.example.org/blinken-kyiv"></head>'
        "<body><article><h1>{t}</h1><p>{p}</p></article></body></html>"
    ).format(t=NEW_TITLE, p="Some text of the story that is long enough to be read. " * 5)
    upload = SimpleUploadedFile("page.html", html.encode("utf-8"), "text/html")
    response = editor_client.post("/import/", {"file": upload})
    assert response.status_code == 302
    assert article.revisions.count() == 2


def test_the_same_headline_is_recorded_without_asking(
    editor_client: Client, recorded_seed: RecordResult, seed_text: str
) -> None:
    updated = seed_text.replace("four trips", "five trips")
    response = editor_client.post("/import/", {"text": updated})
    assert response.status_code == 302
    assert recorded_seed.article.revisions.count() == 2
