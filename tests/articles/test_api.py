"""GET /api/revisions/<id>/analysis: a revision's stored analysis as JSON."""

from __future__ import annotations

from django.test import Client

from articles.models import Analysis
from tests.conftest import assert_matches_openapi


def analysis_url(revision_id: int) -> str:
    return f"/api/revisions/{revision_id}/analysis"


def test_analysis_api_serves_the_machine_schema(editor_client: Client, recorded_seed) -> None:
    revision = recorded_seed.revision
    data = editor_client.get(f"/api/revisions/{revision.pk}/analysis").json()
    assert data["schema"] == "newsdesk.analysis/1"
    assert data["text"] == revision.body
    for key in ("sentences", "entities", "attributions", "model"):
        assert key in data
    first = data["entities"][0]
    assert data["text"][first["start"] : first["end"]] == first["text"]


def test_analysis_api_serves_the_stored_analysis_unchanged(
    editor_client: Client, recorded_seed
) -> None:
    """Every stored key and value, as before the API framework: nothing dropped or added
    by the response schema. (Key order inside objects is not content: PostgreSQL's
    jsonb stores keys in its own order.)"""
    revision = recorded_seed.revision
    analysis = revision.analyses.get()
    expected = {
        "schema": "newsdesk.analysis/1",
        "revision": revision.pk,
        "article": revision.article.slug,
        "number": 1,
        "model": analysis.model,
        "pipeline_version": analysis.pipeline_version,
        "text": revision.body,
        "sentences": analysis.sentences,
        "entities": analysis.entities,
        "attributions": analysis.attributions,
    }
    assert editor_client.get(analysis_url(revision.pk)).json() == expected


def test_analysis_api_response_matches_its_openapi_schema(
    editor_client: Client, recorded_seed
) -> None:
    data = editor_client.get(analysis_url(recorded_seed.revision.pk)).json()
    assert_matches_openapi(editor_client, "/api/revisions/{revision_id}/analysis", 200, data)


def test_analysis_api_answers_anonymous_callers_401_json(client: Client, recorded_seed) -> None:
    response = client.get(analysis_url(recorded_seed.revision.pk))
    assert response.status_code == 401
    assert response.json() == {"error": "Authentication required: log in to use the API."}


def test_analysis_api_unknown_revision_is_404_json(editor_client: Client, recorded_seed) -> None:
    missing = recorded_seed.revision.pk + 100
    response = editor_client.get(analysis_url(missing))
    assert response.status_code == 404
    assert response.json() == {"error": f"No revision with id {missing}."}


def test_analysis_api_revision_id_must_be_a_number(editor_client: Client, recorded_seed) -> None:
    response = editor_client.get("/api/revisions/first/analysis")
    assert response.status_code == 422
    message = "Input should be a valid integer, unable to parse string as an integer"
    assert response.json() == {
        "error": f"Invalid request: revision_id: {message}.",
        "fields": {"revision_id": [message]},
    }


def test_analysis_api_unanalysed_revision_is_404_json(editor_client: Client, recorded_seed) -> None:
    Analysis.objects.filter(revision=recorded_seed.revision).delete()
    response = editor_client.get(analysis_url(recorded_seed.revision.pk))
    assert response.status_code == 404
    assert response.json() == {"error": "This revision has not been analysed yet."}
