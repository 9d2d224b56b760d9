"""No page and no API endpoint changes or deletes a row of the append-only record
(revisions, the activity log, status changes, earlier comment wordings, correction
events) or deletes a comment: methods they do not declare are refused, and the ones
they do declare only ever add rows."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from articles.models import ImportBatch
from review.models import CommentVersion, Correction
from tests.append_only import History, history_write, rows_kept, snapshot
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

UNSAFE = ("put", "patch", "delete")
#: The only PATCH endpoints: rewording a comment (its earlier wording is kept) and
#: editing a correction that is not yet published (corrections are not append-only).
PATCHABLE = {"/api/comments/{comment_id}", "/api/corrections/{correction_id}"}


@pytest.fixture
def history(recorded_seed, editor) -> History:
    return history_write(recorded_seed, editor)


@pytest.fixture
def superuser_client(django_user_model) -> Client:
    return client_for(django_user_model.objects.create_superuser("root", password="x-long-pw-1"))


def values_for(history: History) -> dict[str, str]:
    """A real value for every parameter a URL takes, pointing at the stored history."""
    article = history.annotation.article
    return {
        "slug": article.slug,
        "revision_id": str(history.annotation.revision_id),
        "number": "1",
        "index": "0",
        "annotation_id": str(history.annotation.pk),
        "pk": str(history.annotation.pk),
        "comment_id": str(history.comment.pk),
        "correction_id": str(Correction.objects.get().pk),
        "action": "withdraw",
        "batch_id": str(ImportBatch.objects.get_or_create(label="an upload")[0].pk),
    }


def filled(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}|<(?:\w+:)?(\w+)>", lambda m: values[m[1] or m[2]], template)


def api_operations(client: Client) -> dict[str, set[str]]:
    document = client.get("/api/openapi.json").json()
    return {path: set(methods) for path, methods in document["paths"].items()}


def page_routes() -> list[str]:
    """Every route of the site outside the admin and the API, as a template."""

    def walk(patterns: list, prefix: str) -> list[str]:
        routes: list[str] = []
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route not in {"admin/", "api/"}:
                    routes += walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                routes.append("/" + prefix + route)
        return routes

    return walk(get_resolver().url_patterns, "")


def test_the_api_declares_no_put_or_delete_and_patch_only_where_expected(
    superuser_client: Client,
) -> None:
    operations = api_operations(superuser_client)
    assert not [path for path, methods in operations.items() if methods & {"put", "delete"}]
    assert {path for path, methods in operations.items() if "patch" in methods} == PATCHABLE


def test_every_api_path_refuses_the_methods_it_does_not_declare(
    superuser_client: Client, history: History
) -> None:
    before = snapshot()
    answers = {
        (path, method): getattr(superuser_client, method)(
            filled(path, values_for(history)), "{}", content_type="application/json"
        ).status_code
        for path, methods in api_operations(superuser_client).items()
        for method in UNSAFE
        if method not in methods
    }
    assert answers  # every path was tried with every undeclared method
    assert {key: status for key, status in answers.items() if status != 405} == {}
    assert snapshot() == before


def test_every_page_refuses_put_patch_and_delete(
    superuser_client: Client, history: History
) -> None:
    before = snapshot()
    answers = {
        (route, method): getattr(superuser_client, method)(
            filled(route, values_for(history))
        ).status_code
        for route in page_routes()
        for method in UNSAFE
    }
    assert len(answers) > 20 * len(UNSAFE)
    assert {key: status for key, status in answers.items() if status != 405} == {}
    assert snapshot() == before


def test_rewording_a_comment_through_the_api_only_adds_a_version(history: History, editor) -> None:
    before = snapshot()
    response = client_for(editor).patch(
        f"/api/comments/{history.comment.pk}",
        {"body": "Zelensky asked, on video."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert rows_kept(before)
    assert CommentVersion.objects.filter(comment=history.comment).count() == 2
