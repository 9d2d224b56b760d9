"""GET /api/articles/<slug>/diff?from=&to=: two revisions' diff as JSON."""

from __future__ import annotations

import pytest
from django.test import Client

from review import selectors
from tests.conftest import assert_matches_openapi


@pytest.fixture
def slug(recorded_correction) -> str:
    return recorded_correction.article.slug


def diff_url(slug: str, query: str = "") -> str:
    return f"/api/articles/{slug}/diff{query}"


DIFF_PATH = "/api/articles/{slug}/diff"


def test_diff_api_serves_the_machine_schema(editor_client: Client, slug: str) -> None:
    data = editor_client.get(f"/api/articles/{slug}/diff?from=1&to=2").json()
    assert data["schema"] == "newsdesk.diff/1"
    assert [op["op"] for op in data["ops"]].count("changed") == 1
    (change,) = data["attribution_changes"]
    assert change["kind"] == "speaker-changed"
    assert change["old"]["speaker"]["text"] == "Putin"
    assert change["new"]["speaker"]["text"] == "Zelensky"
    new_text = data["new"]["text"]
    span = change["new"]["speaker"]
    assert new_text[span["start"] : span["end"]] == "Zelensky"


def test_diff_api_refuses_a_bad_pair(editor_client: Client, slug: str) -> None:
    response = editor_client.get(f"/api/articles/{slug}/diff?from=1&to=9")
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid revision pair."


def test_diff_api_serves_the_diff_unchanged(editor_client: Client, recorded_correction) -> None:
    """Every key and value of the diff, as before the API framework: nothing dropped, and
    no split/merged/typographic key added where the diff has none."""
    article = recorded_correction.article
    old, new = selectors.article_revisions(article)
    expected = {"article": article.slug, "from": 1, "to": 2, **selectors.diff_for(old, new)}
    response = editor_client.get(diff_url(article.slug, "?from=1&to=2"))
    assert response.json() == expected


def test_diff_api_defaults_to_previous_against_latest(editor_client: Client, slug: str) -> None:
    data = editor_client.get(diff_url(slug)).json()
    assert (data["from"], data["to"]) == (1, 2)


def test_diff_api_compares_in_either_direction(editor_client: Client, slug: str) -> None:
    data = editor_client.get(diff_url(slug, "?from=2&to=1")).json()
    assert (data["from"], data["to"]) == (2, 1)
    assert data["attribution_changes"][0]["new"]["speaker"]["text"] == "Putin"


def test_diff_api_response_matches_its_openapi_schema(editor_client: Client, slug: str) -> None:
    data = editor_client.get(diff_url(slug)).json()
    assert_matches_openapi(editor_client, DIFF_PATH, 200, data)


def test_diff_api_bad_pair_lists_the_field_at_fault(editor_client: Client, slug: str) -> None:
    response = editor_client.get(diff_url(slug, "?from=1&to=9"))
    assert response.json()["fields"] == {
        "to": ["Select a valid choice. 9 is not one of the available choices."]
    }


def test_diff_api_same_revision_twice_is_400(editor_client: Client, slug: str) -> None:
    response = editor_client.get(diff_url(slug, "?from=2&to=2"))
    assert response.status_code == 400
    assert response.json()["fields"] == {"__all__": ["Choose two different revisions to compare."]}


def test_diff_api_non_numeric_revision_is_422_with_a_message(
    editor_client: Client, slug: str
) -> None:
    response = editor_client.get(diff_url(slug, "?from=first&to=2"))
    assert response.status_code == 422
    data = response.json()
    assert data["error"].startswith("Invalid request: from: Input should be a valid integer")
    assert list(data["fields"]) == ["from"]
    assert_matches_openapi(editor_client, DIFF_PATH, 422, data)


def test_diff_api_article_with_one_revision_is_400(editor_client: Client, recorded_seed) -> None:
    response = editor_client.get(diff_url(recorded_seed.article.slug))
    assert response.status_code == 400
    assert response.json() == {"error": "This article has only one revision."}


def test_diff_api_unknown_article_is_404_json(editor_client: Client, recorded_seed) -> None:
    response = editor_client.get(diff_url("no-such-article"))
    assert response.status_code == 404
    assert response.json() == {"error": "No article with slug 'no-such-article'."}


def test_diff_api_answers_anonymous_callers_401_json(client: Client, slug: str) -> None:
    response = client.get(diff_url(slug, "?from=1&to=2"))
    assert response.status_code == 401
    assert response.json() == {"error": "Authentication required: log in to use the API."}


def test_diff_api_keeps_extension_keys_only_where_present(
    editor_client: Client, recorded_seed, seed_text: str
) -> None:
    from articles.ingest import read_capture
    from articles.services import revision_record

    straight = seed_text.replace("Blinken\u2019s pledge", "Blinken's pledge")
    revision_record(draft=read_capture(straight.encode("utf-8")))
    ops = editor_client.get(diff_url(recorded_seed.article.slug)).json()["ops"]
    assert [op["typographic"] for op in ops if "typographic" in op] == [True]
    assert not [op for op in ops if "split" in op or "merged" in op]


def test_diff_api_serves_a_rewritten_passage_as_one_op(
    editor_client: Client, rewritten_slug: str
) -> None:
    ops = editor_client.get(diff_url(rewritten_slug, "?from=1&to=2")).json()["ops"]
    (op,) = [op for op in ops if op["op"] != "equal"]
    assert op["rewritten"] is True
    assert (op["old"], op["merged"], op["new"], op["split"]) == (1, [1, 2], 1, [1, 2, 3])
    assert not [other for other in ops if "rewritten" in other and other is not op]


def test_diff_api_of_a_revision_not_yet_analysed_is_409_not_an_empty_diff(
    editor_client: Client, recorded_correction
) -> None:
    from articles.models import Analysis

    Analysis.objects.filter(revision=recorded_correction.revision).delete()  # still queued
    response = editor_client.get(diff_url(recorded_correction.article.slug, "?from=1&to=2"))
    assert response.status_code == 409
    assert response.json()["error"].startswith("Revision 2 is not analysed yet")
    assert_matches_openapi(editor_client, DIFF_PATH, 409, response.json())
