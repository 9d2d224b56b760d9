"""The API as a whole: OpenAPI document, docs page, auth, CSRF and the error shape."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from ninja.errors import HttpError
from openapi_spec_validator import validate

from newsdesk.api import api, require_perm

pytestmark = pytest.mark.django_db

PATHS = ("/api/revisions/{revision_id}/analysis", "/api/articles/{slug}/diff")


def test_openapi_document_is_valid_and_lists_both_endpoints(editor_client: Client) -> None:
    response = editor_client.get("/api/openapi.json")
    document = json.loads(response.content)
    validate(document)
    assert document["info"] == {
        "title": "Newsdesk Review API",
        "version": "1",
        "description": api.description,
    }
    for path in PATHS:
        assert "get" in document["paths"][path]


def test_openapi_document_answers_anonymous_callers_401_json(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 401
    assert response.json() == {"error": "Authentication required: log in to use the API."}


@pytest.mark.parametrize("path", ["/api/", "/api/nothing/here", "/api/revisions/"])
def test_unknown_api_path_is_404_json(editor_client: Client, client: Client, path: str) -> None:
    for caller in (editor_client, client):
        response = caller.get(path)
        assert response.status_code == 404
        assert response.json() == {"error": f"No API endpoint at {path}."}


def test_wrong_method_is_405_json(editor_client: Client, recorded_seed) -> None:
    response = editor_client.delete(f"/api/revisions/{recorded_seed.revision.pk}/analysis")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {"error": "Method DELETE not allowed here (allowed: GET)."}


def test_docs_page_is_behind_the_login_page(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/docs"


def docs_assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_docs_page_loads_no_asset_from_another_host(editor_client: Client) -> None:
    html = editor_client.get("/api/docs").content.decode()
    assets = docs_assets(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert [a for a in assets if urlsplit(a).netloc or not a.startswith("/")] == []
    # Swagger UI's validator badge would load an image from another host.
    assert '"validatorUrl": null' in html


def test_docs_page_assets_are_served(editor_client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WHITENOISE_USE_FINDERS = True  # as in development; collectstatic in production
    html = editor_client.get("/api/docs").content.decode()
    for asset in docs_assets(html):
        response = editor_client.get(asset)
        assert response.status_code == 200, asset
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        response.close()


def session_post(user: User, *, token: bool):  # type: ignore[no-untyped-def]
    """A POST from a logged-in browser session, with or without the CSRF token."""
    factory = RequestFactory()
    request = factory.post("/api/example", {})
    request.user = user
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "session"
    if token:
        secret = get_token(factory.get("/"))
        request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
        request.META["HTTP_X_CSRFTOKEN"] = secret
    return request


def test_session_auth_refuses_a_post_without_csrf_token(editor: User) -> None:
    """The API's own authenticator, checked directly (each endpoint's CSRF test is
    with its endpoint: tests/review/test_api_annotations.py, test_api_corrections.py)."""
    (authenticate,) = api.auth  # type: ignore[misc]
    with pytest.raises(HttpError) as refused:
        authenticate(session_post(editor, token=False))
    assert refused.value.status_code == 403


def test_session_auth_accepts_a_post_with_csrf_token(editor: User) -> None:
    (authenticate,) = api.auth  # type: ignore[misc]
    assert authenticate(session_post(editor, token=True)) == editor


def test_require_perm_refuses_a_user_without_the_permission(reader: User) -> None:
    request = RequestFactory().get("/api/example")
    request.user = reader
    with pytest.raises(PermissionDenied, match=r"needs articles\.add_revision"):
        require_perm(request, "articles.add_revision")


def test_require_perm_lets_a_user_with_the_permission_through(editor: User) -> None:
    request = RequestFactory().get("/api/example")
    request.user = editor
    assert require_perm(request, "articles.add_revision") is None


def test_permission_denied_becomes_403_json() -> None:
    request = RequestFactory().get("/api/example")
    response = api.on_exception(request, PermissionDenied("You do not have permission."))
    assert response.status_code == 403
    assert json.loads(response.content) == {"error": "You do not have permission."}


def test_unexpected_error_becomes_500_json() -> None:
    request = RequestFactory().get("/api/example")
    response = api.on_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"error": "Internal server error."}


# --------------------------------------------------------------------------
# every endpoint answers JSON for 401 and 404, never a page or a redirect

#: One body that every write endpoint accepts (each reads its own keys), so that
#: a missing object, not bad input, is what the endpoint answers.
ANY_VALID_BODY = {
    "revision": 1,
    "kind": "fact",
    "comment": "A comment.",
    "body": "A body.",
    "reason": "A reason.",
    "assignee": None,
    "note": "A note.",
}


def _operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation in the OpenAPI document."""
    import newsdesk.urls  # noqa: F401 - mounts every app's router on the API

    document = api.get_openapi_schema(path_prefix="/api")
    return [
        (method, path) for path, operations in document["paths"].items() for method in operations
    ]


OPERATIONS = _operations()
#: The endpoints a client calls with an API key, not a session (docs/INTERFACE.md).
KEY_AUTHENTICATED = {("post", "/api/captures")}


def _call(client: Client, method: str, template: str) -> object:
    url = re.sub(r"\{slug\}", "no-such-article", template)
    url = re.sub(r"\{[a-z_]+\}", "999999", url)
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=ANY_VALID_BODY, content_type="application/json")


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_endpoint_answers_an_anonymous_caller_401_json(
    client: Client, method: str, path: str
) -> None:
    response = _call(client, method, path)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    if (method, path) in KEY_AUTHENTICATED:
        expected = "API key required: send it in the X-API-Key header."
    else:
        expected = "Authentication required: log in to use the API."
    assert response.json() == {"error": expected}


WITH_OBJECT = [(m, p) for m, p in OPERATIONS if "{" in p]


@pytest.mark.parametrize(("method", "path"), WITH_OBJECT, ids=[f"{m} {p}" for m, p in WITH_OBJECT])
def test_every_endpoint_answers_a_missing_object_404_json(
    editor_client: Client, method: str, path: str
) -> None:
    response = _call(editor_client, method, path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"error"}
    assert response.json()["error"].startswith("No ")


def test_a_body_its_content_type_misdescribes_is_a_400_json_not_a_500(editor: User) -> None:
    """Found by schemathesis: multipart/form-data without a boundary broke the CSRF check."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = client.post(
        "/api/notifications/read",
        data=b"{}",
        content_type="multipart/form-data",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "The request body cannot be read: Invalid boundary in multipart: None."
    }


def test_an_id_too_large_for_the_database_is_a_422_json_not_a_500(editor_client: Client) -> None:
    """Found by schemathesis: a 70-bit id in a list reached SQLite, which cannot bind it."""
    response = editor_client.post(
        "/api/notifications/read", data={"ids": [2**70]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "payload.ids.0": ["Input should be less than or equal to 9223372036854775807"]
    }
