"""schemathesis against /api/openapi.json: generated requests to every operation, as a
logged-in editor with the seed article recorded, annotated and a correction drafted.

No answer is a server error, and every answer (status code, content type, body)
is one the OpenAPI document describes. The requests go through Django's WSGI
application in the test's own transaction, so nothing they write outlives the test.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from articles.services import RecordResult
from review import services
from review.models import Annotation, Correction
from tests.conftest import client_for

DISPUTED = "Putin asked for two Patriot batteries for the Kharkiv area"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def known_objects(recorded_seed: RecordResult, editor: User) -> dict[str, object]:
    """Path parameters that name real objects: the seed, a dispute, a comment, a draft."""
    revision = recorded_seed.revision
    start = revision.body.index(DISPUTED)
    dispute = services.annotation_create(
        revision=revision,
        author=editor,
        kind=Annotation.Kind.DISPUTED_ATTRIBUTION,
        start=start,
        end=start + len(DISPUTED),
        exact=DISPUTED,
        comment="In context it was Zelensky who asked.",
        proposed_speaker_text="Volodymyr Zelensky",
    )
    correction: Correction = services.correction_draft(
        article=revision.article,
        proposer=editor,
        annotations=[dispute],
        note="It was Zelensky who asked.",
    )
    return {
        "slug": revision.article.slug,
        "revision_id": revision.pk,
        "number": revision.number,
        "index": 0,
        "annotation_id": dispute.pk,
        "comment_id": dispute.comments.get().pk,
        "correction_id": correction.pk,
    }


@pytest.fixture
def same_connection(db: None) -> Iterator[None]:
    """The WSGI application's requests stay on the test's connection (and transaction).

    Django closes the connection when a request starts and finishes; the test client
    avoids that, and so does this, for the duration of the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _document() -> dict[str, object]:
    """What /api/openapi.json serves (the same function answers it)."""
    import newsdesk.urls  # noqa: F401 - mounts every app's router on the API
    from newsdesk.api import api

    return api.get_openapi_schema()


#: The fuzzing phase only (generated requests, max_examples each); the coverage phase
#: (every boundary value of every parameter) would take minutes on every run.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "examples": {"enabled": False}}}
)
schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)
schema.app = WSGIHandler()  # requests go to Django in this process, no server


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_answer_is_described_by_the_openapi_document(
    case: schemathesis.Case,
    editor: User,
    known_objects: dict[str, object],
    same_connection: None,
) -> None:
    session_cookie = client_for(editor).cookies["sessionid"].value
    token = _get_new_csrf_string()
    if case.path_parameters:
        # Half the generated cases name the real objects; the others whatever was generated.
        if zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 2 == 0:
            case.path_parameters.update(
                {k: v for k, v in known_objects.items() if k in case.path_parameters}
            )
    response = case.call(
        cookies={"sessionid": session_cookie, "csrftoken": token},
        headers={"X-CSRFToken": token},
    )
    case.validate_response(response, checks=CHECKS)
