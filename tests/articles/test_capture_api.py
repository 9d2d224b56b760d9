"""POST /api/captures: a client's CMS pushes each published version with an API key."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from articles.models import Activity, ApiKey, Article, Revision
from articles.services import IssuedKey, api_key_create, api_key_revoke
from tests.conftest import SEED_PATH, assert_matches_openapi, corrected_seed_text

pytestmark = pytest.mark.django_db

URL = "/api/captures"

STORY = {
    "title": "Council approves the new tram line",
    "standfirst": "The vote ends two years of debate.",
    "byline": "Jo Reporter",
    "body": (
        "The city council approved the tram line on Tuesday by 31 votes to 12.\n\n"
        "“This is a good day for the city,” said the mayor, Ana Costa."
    ),
    "canonical_url": "https://news.example.org/tram-line",
    "source": "Example Wire",
    "published": "2024-05-14T22:34:00Z",
}

HTML_PAGE = """<!doctype html>
<html><head><title>Harbour bridge to close for repairs</title>
<meta property="article:published_time" content="2024-06-01T08:00:00+00:00">
<link rel="canonical" href="https://news.example.org/harbour-bridge">
</head><body><article>
<h1>Harbour bridge to close for repairs</h1>
<p>The harbour bridge will close for six weeks from Monday while engineers replace its
expansion joints, the port authority said on Saturday.</p>
<p>“The work cannot wait another winter,” said the authority's chief engineer, Lee Park,
adding that ferries would run every ten minutes during the closure.</p>
<p>Traders near the bridge said they feared losing customers during the busiest
weeks of the summer season.</p>
</article></body></html>"""


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()  # the per-key request counts live in the cache


@pytest.fixture
def issued(admin_user: User) -> IssuedKey:
    return api_key_create(name="CMS production", created_by=admin_user)


def push(key: str | None, body: object, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    headers = {"HTTP_X_API_KEY": key} if key is not None else {}
    data = json.dumps(body) if content_type == "application/json" else body
    return Client().post(URL, data, content_type=content_type, **headers)


def test_a_json_capture_with_a_valid_key_records_a_new_article(issued: IssuedKey) -> None:
    response = push(issued.raw, STORY)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["outcome"] == "new article"
    assert data["revision"] == 1
    assert data["compare_url"] is None
    article = Article.objects.get(slug=data["article"])
    assert article.canonical_url == STORY["canonical_url"]
    assert article.source is not None and article.source.name == "Example Wire"
    revision = article.revisions.get()
    assert revision.title == STORY["title"]
    assert revision.byline == "Jo Reporter"
    assert revision.paragraphs[1].startswith("“This is a good day")


def test_the_same_capture_pushed_again_records_nothing(issued: IssuedKey) -> None:
    assert push(issued.raw, STORY).status_code == 201
    response = push(issued.raw, STORY)
    assert response.status_code == 200
    assert response.json()["outcome"] == "unchanged"
    assert Revision.objects.count() == 1


def test_a_changed_version_is_a_new_revision_with_a_compare_link(issued: IssuedKey) -> None:
    push(issued.raw, STORY)
    changed = {**STORY, "body": STORY["body"].replace("31 votes to 12", "31 votes to 14")}
    response = push(issued.raw, changed)
    assert response.status_code == 201
    data = response.json()
    assert data["outcome"] == "new revision"
    assert data["revision"] == 2
    assert data["minor"] is False
    assert data["compare_url"] == f"/articles/{data['article']}/compare/?from=1&to=2"


def test_a_version_differing_only_in_typography_is_recorded_as_minor(issued: IssuedKey) -> None:
    push(issued.raw, STORY)
    curly = {**STORY, "body": STORY["body"].replace("“", '"').replace("”", '"')}
    data = push(issued.raw, curly).json()
    assert data["outcome"] == "new revision"
    assert data["minor"] is True
    assert Revision.objects.get(number=2).minor is True


def test_an_html_document_is_read_like_a_saved_page(issued: IssuedKey) -> None:
    response = push(issued.raw, HTML_PAGE, "text/html")
    assert response.status_code == 201, response.content
    revision = Revision.objects.get()
    assert revision.title == "Harbour bridge to close for repairs"
    assert "expansion joints" in revision.body
    assert revision.article.canonical_url == "https://news.example.org/harbour-bridge"


def test_a_page_capture_is_read_like_an_imported_file(issued: IssuedKey) -> None:
    response = push(issued.raw, SEED_PATH.read_bytes(), "text/plain")
    assert response.status_code == 201, response.content
    revision = Revision.objects.get()
    assert "Putin asked for two Patriot batteries" in revision.body
    assert revision.article.source is not None and revision.article.source.name == "AFP"


def test_the_corrected_page_capture_is_a_new_revision_of_the_same_article(
    issued: IssuedKey, seed_text: str
) -> None:
    push(issued.raw, SEED_PATH.read_bytes(), "text/plain")
    response = push(issued.raw, corrected_seed_text(seed_text).encode(), "text/plain")
    assert response.json()["outcome"] == "new revision"
    assert Article.objects.count() == 1
    assert "Zelensky asked" in Revision.objects.get(number=2).body


def test_every_capture_logs_the_client_that_sent_it(issued: IssuedKey) -> None:
    push(issued.raw, STORY)
    push(issued.raw, STORY)  # unchanged: logged too
    pushed = Activity.objects.filter(verb="capture.pushed").order_by("id")
    assert [a.detail["outcome"] for a in pushed] == ["new article", "unchanged"]
    assert all(a.detail["client"] == "CMS production" for a in pushed)
    assert all(a.detail["key"] == issued.key.prefix for a in pushed)
    assert "CMS production pushed a capture" in pushed[0].summary


def test_a_key_records_when_it_was_last_used(issued: IssuedKey) -> None:
    assert issued.key.last_used_at is None
    push(issued.raw, STORY)
    issued.key.refresh_from_db()
    assert issued.key.last_used_at is not None


def test_a_missing_key_is_refused_with_401(issued: IssuedKey) -> None:
    response = push(None, STORY)
    assert response.status_code == 401
    assert "X-API-Key" in response.json()["error"]
    assert Revision.objects.count() == 0


def test_an_unknown_key_is_refused_with_401(issued: IssuedKey) -> None:
    response = push(issued.raw + "x", STORY)
    assert response.status_code == 401
    assert response.json()["error"] == "Unknown API key."
    assert Revision.objects.count() == 0


def test_a_revoked_key_is_refused_with_401(issued: IssuedKey, admin_user: User) -> None:
    api_key_revoke(key=issued.key, actor=admin_user)
    response = push(issued.raw, STORY)
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]
    assert Revision.objects.count() == 0


def test_a_key_of_another_scope_is_refused_with_403(admin_user: User) -> None:
    reader_key = api_key_create(name="Dashboard", scope=ApiKey.Scope.READ, created_by=admin_user)
    response = push(reader_key.raw, STORY)
    assert response.status_code == 403
    assert "not scoped for capture" in response.json()["error"]
    assert Revision.objects.count() == 0


def test_a_session_is_not_a_key(editor_client: Client) -> None:
    """A logged-in editor cannot push through the API without a key."""
    response = editor_client.post(URL, json.dumps(STORY), content_type="application/json")
    assert response.status_code == 401
    assert Revision.objects.count() == 0


def test_only_the_keys_hash_is_stored(issued: IssuedKey) -> None:
    stored = ApiKey.objects.filter(pk=issued.key.pk).values()[0]
    assert issued.raw not in {str(v) for v in stored.values()}
    assert stored["key_hash"] == ApiKey.hash_of(issued.raw)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"title": ""}, "title", "at least 1 character"),
        ({"body": ""}, "body", "at least 1 character"),
        ({"published": "2024-05-14T22:34:00"}, "published", "timezone"),
        ({"canonical_url": "not a url"}, "canonical_url", "match pattern"),
        ({"title": "x" * 501}, "title", "at most 500 characters"),
    ],
    ids=["no-title", "no-body", "naive-time", "bad-url", "long-title"],
)
def test_bad_fields_are_refused_with_422_naming_them(
    issued: IssuedKey, change: dict[str, str], field: str, reason: str
) -> None:
    response = push(issued.raw, {**STORY, **change})
    assert response.status_code == 422
    data = response.json()
    assert reason in " ".join(data["fields"][field])
    assert Revision.objects.count() == 0


def test_a_body_of_blank_lines_is_refused_with_422(issued: IssuedKey) -> None:
    response = push(issued.raw, {**STORY, "body": "\n\n   \n"})
    assert response.status_code == 422
    assert response.json()["error"] == "Refused: no article body found."


def test_updated_before_published_is_refused_with_422(issued: IssuedKey) -> None:
    response = push(issued.raw, {**STORY, "updated": "2024-05-01T00:00:00Z"})
    assert response.status_code == 422
    assert response.json()["error"] == "Refused: updated is before published."


def test_a_binary_body_is_refused_with_422(issued: IssuedKey) -> None:
    response = push(issued.raw, b"\x00\x01\x02 not text", "text/plain")
    assert response.status_code == 422
    assert "binary" in response.json()["error"]


def test_an_html_page_without_an_article_is_refused_with_422(issued: IssuedKey) -> None:
    response = push(issued.raw, "<html><body><p>Menu</p></body></html>", "text/html")
    assert response.status_code == 422
    assert response.json()["error"].startswith("Refused: no ")


def test_malformed_json_is_refused_with_422(issued: IssuedKey) -> None:
    response = push(issued.raw, "{not json", "application/json")
    assert response.status_code == 422
    assert Revision.objects.count() == 0


def test_another_content_type_is_refused_with_415(issued: IssuedKey) -> None:
    response = push(issued.raw, "a,b,c", "text/csv")
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]


def test_a_key_over_its_rate_is_refused_with_429_and_retry_after(
    issued: IssuedKey, admin_user: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.CAPTURE_API_RATE = "2/min"
    assert push(issued.raw, STORY).status_code == 201
    assert push(issued.raw, STORY).status_code == 200
    refused = push(issued.raw, {**STORY, "title": "Another story"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert Article.objects.count() == 1
    other = api_key_create(name="CMS staging", created_by=admin_user)
    assert push(other.raw, {**STORY, "title": "Another story"}).status_code == 201


def test_the_endpoint_is_described_in_the_openapi_document(
    editor_client: Client, issued: IssuedKey
) -> None:
    spec = editor_client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/captures"]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/json",
        "text/html",
        "text/plain",
    }
    assert operation["security"] == [{"CaptureKeyAuth": []}]
    scheme = spec["components"]["securitySchemes"]["CaptureKeyAuth"]
    assert scheme == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    response = push(issued.raw, STORY)
    assert_matches_openapi(editor_client, "/api/captures", 201, response.json(), "post")


def test_an_admin_creates_a_key_and_sees_it_once(admin_client_: Client) -> None:
    response = admin_client_.post(
        "/admin/articles/apikey/add/", {"name": "CMS production", "scope": "capture"}
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="CMS production")
    page = response.content.decode()
    raw = page.split('id="api-key" type="text" readonly size="70" value="', 1)[1].split('"')[0]
    assert raw.startswith(f"nd_{key.prefix}_")
    assert ApiKey.hash_of(raw) == key.key_hash
    assert "no-store" in response["Cache-Control"]
    assert raw not in admin_client_.get(f"/admin/articles/apikey/{key.pk}/change/").content.decode()
    assert push(raw, STORY).status_code == 201


def test_an_admin_revokes_keys_with_the_action(admin_client_: Client, issued: IssuedKey) -> None:
    response = admin_client_.post(
        "/admin/articles/apikey/",
        {"action": "revoke", "_selected_action": [issued.key.pk]},
    )
    assert response.status_code == 302
    issued.key.refresh_from_db()
    assert issued.key.revoked_at is not None
    assert push(issued.raw, STORY).status_code == 401
    assert Activity.objects.filter(verb="admin.changed", summary__contains="API key").exists()


def test_editors_cannot_open_the_api_keys(editor_client: Client) -> None:
    response = editor_client.get("/admin/articles/apikey/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
