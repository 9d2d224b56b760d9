"""The desk and import over HTTP, per role."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, Revision
from tests.conftest import SEED_PATH, visible_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/import/",
        "/articles/some-article/",
        "/articles/some-article/revisions/1/",
        "/articles/some-article/compare/",
        "/api/docs",
        "/admin/",
    ],
)
def test_anonymous_users_are_sent_to_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_login_page_is_public(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_desk_lists_articles_newest_first(editor_client: Client, recorded_seed) -> None:
    from articles.ingest import CaptureDraft
    from articles.services import revision_record

    revision_record(draft=CaptureDraft(title="An undated later story", body="Text here."))
    response = editor_client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert recorded_seed.revision.title in content
    assert "AFP" in content


def test_desk_search_by_title_and_filter_by_source(editor_client: Client, recorded_seed) -> None:
    from articles.ingest import CaptureDraft
    from articles.services import revision_record

    revision_record(
        draft=CaptureDraft(
            title="Markets rally in Tokyo", body="Stocks rose.", credited_source="Reuters"
        )
    )
    found = editor_client.get("/", {"q": "blinken"}).content.decode()
    assert recorded_seed.revision.title in found and "Markets rally" not in found
    filtered = editor_client.get("/", {"source": "reuters"}).content.decode()
    assert "Markets rally" in filtered and recorded_seed.revision.title not in filtered


def test_desk_search_with_htmx_returns_only_the_results_fragment(
    editor_client: Client, recorded_seed
) -> None:
    response = editor_client.get("/", {"q": "Blinken"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="results">')
    assert "<html" not in content
    assert recorded_seed.revision.title in content


def test_importing_an_update_opens_the_compare_page(
    editor_client: Client, recorded_seed, seed_text: str
) -> None:
    from tests.conftest import corrected_seed_text

    response = editor_client.post("/import/", {"text": corrected_seed_text(seed_text)}, follow=True)
    slug = recorded_seed.article.slug
    assert response.redirect_chain[-1][0] == f"/articles/{slug}/compare/?from=1&to=2"
    text = visible_text(response.content.decode())
    assert "New revision" in text
    assert "speaker changed Putin → Zelensky" in text


def test_reader_without_a_group_cannot_import(reader) -> None:
    from tests.conftest import client_for

    client = client_for(reader)
    assert client.get("/import/").status_code == 403
    response = client.post("/import/", {"text": SEED_PATH.read_text(encoding="utf-8")})
    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_editor_imports_by_upload(editor_client: Client, editor) -> None:
    upload = SimpleUploadedFile("seed.txt", SEED_PATH.read_bytes(), content_type="text/plain")
    response = editor_client.post("/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    revision = Revision.objects.get()
    assert revision.author == editor
    assert "New article" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("review:article", args=[revision.article.slug])


def test_editor_imports_by_paste_and_reimport_says_unchanged(editor_client: Client) -> None:
    text = SEED_PATH.read_text(encoding="utf-8")
    editor_client.post("/import/", {"text": text})
    response = editor_client.post("/import/", {"text": text}, follow=True)
    assert "Unchanged" in response.content.decode()
    assert Revision.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "Choose a capture file or paste its text."),
        (
            {"text": "Only a headline"},
            "Refused: no article body found (no paragraph reads as prose",
        ),
        (
            {"file": SimpleUploadedFile("x.txt", b"\x00\x01binary")},
            "Refused: file is binary",
        ),
        (
            {"file": SimpleUploadedFile("big.txt", b"T\n\n" + b"w " * 1_100_000)},
            "captures over 2 MB are refused",
        ),
    ],
    ids=["nothing", "no-body", "binary", "too-big"],
)
def test_bad_import_shows_the_reason_on_the_form_and_writes_nothing(
    editor_client: Client, payload: dict, message: str
) -> None:
    response = editor_client.post("/import/", payload)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Article.objects.count() == 0


def test_article_page_shows_latest_revision_and_history(
    copydesk_client: Client, recorded_seed, recorded_correction
) -> None:
    slug = recorded_seed.article.slug
    content = visible_text(copydesk_client.get(f"/articles/{slug}/").content.decode())
    assert "In particular, Zelensky asked for two Patriot batteries" in content
    assert "Yagiz Efe Parmaksiz" in content
    assert "14 May 2024 22:34" in content and "3 Jun 2024 17:01" in content
    assert "Revision 1" in content and "Revision 2" in content
    assert "Captured" in content


def test_old_revision_page_shows_that_revision(editor_client: Client, recorded_correction) -> None:
    slug = recorded_correction.article.slug
    content = visible_text(editor_client.get(f"/articles/{slug}/revisions/1/").content.decode())
    assert "You are reading revision 1" in content
    assert "In particular, Putin asked for two Patriot batteries" in content


def test_revision_picker_without_javascript_redirects(
    editor_client: Client, recorded_correction
) -> None:
    slug = recorded_correction.article.slug
    response = editor_client.get(f"/articles/{slug}/", {"r": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{slug}/revisions/1/"


def test_unknown_revision_is_404(editor_client: Client, recorded_seed) -> None:
    slug = recorded_seed.article.slug
    assert editor_client.get(f"/articles/{slug}/revisions/9/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_view_accepts_a_write_to_an_article_or_revision(
    editor_client: Client, recorded_seed, method: str
) -> None:
    slug = recorded_seed.article.slug
    for url in (
        f"/articles/{slug}/",
        f"/articles/{slug}/revisions/1/",
        f"/api/revisions/{recorded_seed.revision.pk}/analysis",
    ):
        response = getattr(editor_client, method)(url, {"body": "Tampered."})
        assert response.status_code == 405
    assert Revision.objects.get().body == recorded_seed.revision.body


def test_desk_shows_how_many_attributions_are_flagged(editor_client: Client, recorded_seed) -> None:
    flagged = sum(1 for a in recorded_seed.revision.analyses.get().attributions if a["flags"])
    assert flagged >= 1
    text = visible_text(editor_client.get("/").content.decode())
    assert f"{flagged} flagged" in text


def test_forbidden_page_explains_what_to_do(reader) -> None:
    from tests.conftest import client_for

    response = client_for(reader).get("/import/")
    assert response.status_code == 403
    assert "Ask an administrator to add you to Editors or Copy desk" in response.content.decode()


def _record_budget_stories(count: int) -> None:
    from articles.ingest import CaptureDraft
    from articles.services import revision_record

    for n in range(count):
        revision_record(
            draft=CaptureDraft(
                title=f"Budget story {n:02d}", body=f"Text {n}.", credited_source="DPA"
            )
        )


def test_desk_search_pages_fifty_matches_at_a_time_keeping_the_filters(
    editor_client: Client,
) -> None:
    _record_budget_stories(55)
    first = editor_client.get("/", {"q": "budget"}).content.decode()
    assert "Articles matching “budget”, best match first." in visible_text(first)
    assert first.count("<tr>") == 50 + 1  # fifty rows and the header
    assert 'href="?q=budget&amp;page=2"' in first
    second = editor_client.get("/", {"q": "budget", "page": "2"}, HTTP_HX_REQUEST="true")
    assert second.content.decode().count("<tr>") == 5 + 1
    assert 'href="?q=budget&amp;page=1"' in second.content.decode()


def _link(html: str, rel: str) -> str:
    found = re.search(rf'<a href="\?([^"]+)"[^>]*rel="{rel}"', html)
    assert found, f"no {rel} link"
    return found.group(1).replace("&amp;", "&")


def _titles(html: str) -> list[str]:
    return re.findall(r'<td class="title"><a href="/articles/[^"]+/">([^<]+)</a></td>', html)


def test_desk_pages_newest_first_with_older_and_newer_links(editor_client: Client) -> None:
    """Keyset pages: "Older" after the last row shown, "Newer" back before the first."""
    _record_budget_stories(55)
    first = editor_client.get("/").content.decode()
    assert len(_titles(first)) == 50 and 'rel="prev"' not in first
    older = editor_client.get("/?" + _link(first, "next")).content.decode()
    assert len(_titles(older)) == 5
    assert not set(_titles(older)) & set(_titles(first))
    assert 'rel="next"' not in older
    newer = editor_client.get("/?" + _link(older, "prev")).content.decode()
    assert _titles(newer) == _titles(first)


def test_desk_older_link_keeps_the_count_minor_revisions_filter(editor_client: Client) -> None:
    _record_budget_stories(55)
    first = editor_client.get("/", {"minor": "on"}).content.decode()
    assert "minor=on" in _link(first, "next")


def test_desk_with_a_cursor_that_does_not_parse_shows_the_first_page(
    editor_client: Client,
) -> None:
    _record_budget_stories(3)
    response = editor_client.get("/", {"after": "not-a-cursor"})
    assert response.status_code == 200
    assert len(_titles(response.content.decode())) == 3


def test_desk_search_shows_each_article_revision_count_once(
    editor_client: Client, recorded_seed
) -> None:
    """Searching by a title that several revisions share does not multiply their count."""
    from articles.ingest import CaptureDraft
    from articles.services import revision_record

    article = recorded_seed.article
    for n in (2, 3):
        draft = CaptureDraft(title=recorded_seed.revision.title, body=f"Update {n}: Blinken spoke.")
        revision_record(draft=draft, article=article)
    assert article.revisions.filter(title__icontains="Blinken").count() == 3
    html = editor_client.get("/", {"q": "Blinken"}).content.decode()
    counts = re.findall(r'<td class="num" data-label="Revisions">(\d+)</td>', html)
    assert counts == ["3"]


def test_a_body_longer_than_the_model_accepts_is_recorded_in_full(
    editor_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """spaCy refuses a text over its max_length (E088, an HTTP 500 here before): the
    body is analysed in chunks. The limit is lowered so that the capture stays small."""
    from articles.analysis import pipeline

    monkeypatch.setattr(pipeline.get_nlp(), "max_length", 2_000)
    body = "\n\n".join(
        f"The bridge on route {n} will reopen in spring, the council said on Tuesday."
        for n in range(1, 61)
    )
    response = editor_client.post("/import/", {"text": f"Bridges to reopen\n\n{body}"})
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert len(revision.body) > 2 * 2_000
    analysis = revision.analyses.get()
    assert revision.body[analysis.sentences[-1]["start"] :].startswith("The bridge on route 60")
    said = [a for a in analysis.attributions if a["cue"]["text"] == "said"]
    assert len(said) == 60
    assert all(revision.body[a["cue"]["start"] : a["cue"]["end"]] == "said" for a in said)


def test_a_capture_of_a_million_characters_is_refused_for_its_length(
    editor_client: Client,
) -> None:
    """A 1.05 MB capture (under the 2 MB file limit) is far over the body's word limit:
    refused with the reason, nothing written. (Texts over spaCy's max_length are still
    analysed in chunks where they come in raw: tests/articles/analysis/test_long_texts.py.)"""
    from articles.analysis import pipeline
    from articles.ingest import MAX_BODY_WORDS

    paragraphs = [
        p.strip()
        for path in sorted((SEED_PATH.parent / "news").glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")[1:]
        if len(p.split()) > 8
    ]
    body: list[str] = []
    size = 0
    while size <= pipeline.get_nlp().max_length:
        body.append(paragraphs[len(body) % len(paragraphs)])
        size += len(body[-1]) + 2
    capture = "A very long report\n\n" + "\n\n".join(body)
    assert len(capture.encode("utf-8")) < 2 * 1024 * 1024
    response = editor_client.post("/import/", {"text": capture})
    assert response.status_code == 422
    assert f"bodies over {MAX_BODY_WORDS:,} words are refused" in response.content.decode()
    assert not Revision.objects.exists()
