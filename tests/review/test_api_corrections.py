"""The corrections API (newsdesk.correction/1): draft, edit, submit, return,
withdraw, rebase and sign off, with every refusal."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.ingest import CaptureDraft
from articles.models import Revision
from articles.services import RecordResult, revision_record
from review import services
from review.models import Annotation, Correction, CorrectionEvent
from tests.conftest import assert_matches_openapi, client_for
from tests.review.test_api_annotations import (
    PUTIN,
    csrf_client,
    dispute,
    patch_json,
    post_json,
    record_corrected,
)

pytestmark = pytest.mark.django_db

NOTE = "An earlier version said Putin asked for two Patriot batteries; it was Zelensky."
CORRECTION_PATH = "/api/corrections/{correction_id}"


@pytest.fixture
def slug(recorded_seed: RecordResult) -> str:
    return recorded_seed.article.slug


@pytest.fixture
def corrections_url(slug: str) -> str:
    return f"/api/articles/{slug}/corrections"


@pytest.fixture
def disputed(recorded_seed: RecordResult, editor: User) -> Annotation:
    return dispute(recorded_seed.revision, editor)


def draft_by(user: User, disputed: Annotation, **extra: object) -> Correction:
    return services.correction_draft(
        article=disputed.article, proposer=user, annotations=[disputed], note=NOTE, **extra
    )


@pytest.fixture
def drafted(editor: User, disputed: Annotation) -> Correction:
    """The editor's draft: the seed with "Zelensky asked" for "Putin asked"."""
    return draft_by(editor, disputed)


@pytest.fixture
def submitted(editor: User, drafted: Correction) -> Correction:
    return services.correction_submit(correction=drafted, actor=editor)


def url_of(correction: Correction, action: str = "") -> str:
    return f"/api/corrections/{correction.pk}" + (f"/{action}" if action else "")


def state_of(correction: Correction) -> str:
    correction.refresh_from_db()
    return correction.state


# --------------------------------------------------------------------------
# POST /api/articles/{slug}/corrections


def test_drafting_is_201_with_the_correction(editor_client, corrections_url, disputed) -> None:
    payload = {"annotations": [disputed.pk], "note": NOTE, "kind": "correction"}
    response = post_json(editor_client, corrections_url, payload)
    assert response.status_code == 201
    correction = Correction.objects.get()
    assert response.json() == {
        "schema": "newsdesk.correction/1",
        "id": correction.pk,
        "state": "draft",
        "kind": "correction",
        "note": NOTE,
        "base_revision": 1,
        "published_revision": None,
        "proposer": "eda",
        "reviewer": None,
        "annotations": [disputed.pk],
    }


def test_a_draft_without_a_body_substitutes_the_proposed_speaker(
    editor_client, corrections_url, disputed
) -> None:
    post_json(editor_client, corrections_url, {"annotations": [disputed.pk], "note": NOTE})
    body = Correction.objects.get().body
    assert "Zelensky asked for two Patriot batteries" in body
    assert PUTIN not in body


def test_a_draft_takes_the_text_it_is_given(recorded_seed, editor_client, corrections_url) -> None:
    payload = {
        "annotations": [],
        "title": "Blinken reaffirms support for Ukraine",
        "note": "The headline was shortened.",
        "kind": "clarification",
    }
    response = post_json(editor_client, corrections_url, payload)
    assert response.status_code == 201
    assert response.json()["kind"] == "clarification"
    correction = Correction.objects.get()
    assert correction.title == "Blinken reaffirms support for Ukraine"
    assert correction.body == recorded_seed.revision.body


def test_the_draft_answer_matches_its_openapi_schema(
    editor_client, corrections_url, disputed
) -> None:
    data = post_json(editor_client, corrections_url, {"annotations": [disputed.pk], "note": NOTE})
    path = "/api/articles/{slug}/corrections"
    assert_matches_openapi(editor_client, path, 201, data.json(), method="post")


def another_articles_annotation(editor: User) -> Annotation:
    body = "The mayor said the bridge would reopen on Monday."
    other = revision_record(
        draft=CaptureDraft(title="Bridge to reopen", body=body),
        analysis={
            "sentences": [{"start": 0, "end": len(body)}],
            "entities": [],
            "attributions": [],
        },
    ).revision
    return services.annotation_create(
        revision=other,
        author=editor,
        kind="fact",
        start=None,
        end=None,
        exact="on Monday",
        comment="Tuesday?",
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"note": " "}, "A public note is required."),
        ({"note": NOTE, "annotations": []}, "The proposed text is the same as revision 1"),
        (
            {"note": NOTE, "annotations": [987654312, 987654313]},
            "Unknown annotation(s): 987654312, 987654313.",
        ),
        ({"note": NOTE, "kind": "retraction"}, "Unknown kind “retraction”"),
        ({"note": NOTE, "body": " "}, "The body cannot be empty."),
    ],
    ids=["empty-note", "unchanged-text", "unknown-annotations", "unknown-kind", "empty-body"],
)
def test_bad_drafts_are_422_with_a_message_and_write_nothing(
    editor_client, corrections_url, disputed, payload: dict[str, object], message: str
) -> None:
    payload = {"annotations": [disputed.pk], **payload}
    response = post_json(editor_client, corrections_url, payload)
    assert response.status_code == 422
    assert message in response.json()["error"]
    assert not Correction.objects.exists()


def test_drafting_with_another_articles_annotation_is_422(
    editor, editor_client, corrections_url, disputed
) -> None:
    elsewhere = another_articles_annotation(editor)
    payload = {"annotations": [disputed.pk, elsewhere.pk], "note": NOTE}
    response = post_json(editor_client, corrections_url, payload)
    assert response.status_code == 422
    assert response.json()["error"] == f"Annotation {elsewhere.pk} belongs to another article."
    assert not Correction.objects.exists()


def test_drafting_on_an_unknown_article_is_404(editor_client, disputed) -> None:
    url = "/api/articles/no-such-story/corrections"
    response = post_json(editor_client, url, {"annotations": [disputed.pk], "note": NOTE})
    assert response.status_code == 404
    assert not Correction.objects.exists()


@pytest.mark.parametrize("role", ["editor", "copydesk", "admin_user"])
def test_every_newsroom_role_drafts(
    request: pytest.FixtureRequest, corrections_url, disputed, role: str
) -> None:
    user = request.getfixturevalue(role)
    payload = {"annotations": [disputed.pk], "note": NOTE}
    response = post_json(client_for(user), corrections_url, payload)
    assert response.status_code == 201
    assert Correction.objects.get().proposer == user


def test_a_user_in_no_group_cannot_draft(reader, corrections_url, disputed) -> None:
    payload = {"annotations": [disputed.pk], "note": NOTE}
    response = post_json(client_for(reader), corrections_url, payload)
    assert response.status_code == 403
    assert response.json()["error"] == (
        "You do not have permission to do this (needs review.add_correction)."
    )
    assert not Correction.objects.exists()


def test_drafting_without_the_csrf_token_is_403(editor, corrections_url, disputed) -> None:
    client, _ = csrf_client(editor)
    response = post_json(client, corrections_url, {"annotations": [disputed.pk], "note": NOTE})
    assert response.status_code == 403
    assert response.json() == {"error": "CSRF check Failed"}
    assert not Correction.objects.exists()


def test_drafting_with_the_csrf_token_is_201(editor, corrections_url, disputed) -> None:
    client, token = csrf_client(editor)
    payload = {"annotations": [disputed.pk], "note": NOTE}
    response = post_json(client, corrections_url, payload, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_drafting_answers_anonymous_callers_401(client: Client, corrections_url, disputed) -> None:
    response = post_json(client, corrections_url, {"annotations": [disputed.pk], "note": NOTE})
    assert response.status_code == 401
    assert not Correction.objects.exists()


# --------------------------------------------------------------------------
# GET and PATCH /api/corrections/{id}


def test_a_correction_is_read_in_its_shape(copydesk_client, drafted, disputed) -> None:
    response = copydesk_client.get(url_of(drafted))
    assert response.status_code == 200
    data = response.json()
    assert (data["schema"], data["id"], data["state"]) == (
        "newsdesk.correction/1",
        drafted.pk,
        "draft",
    )
    assert data["annotations"] == [disputed.pk]
    assert_matches_openapi(copydesk_client, CORRECTION_PATH, 200, data)


def test_an_unknown_correction_is_404(editor_client, recorded_seed) -> None:
    response = editor_client.get("/api/corrections/987654321")
    assert response.status_code == 404
    assert response.json() == {"error": "No correction with id 987654321."}


def test_a_user_in_no_group_cannot_read_a_correction(reader, drafted) -> None:
    response = client_for(reader).get(url_of(drafted))
    assert response.status_code == 403
    assert response.json()["error"] == (
        "You do not have permission to do this (needs review.view_correction)."
    )


def test_reading_a_correction_answers_anonymous_callers_401(client: Client, drafted) -> None:
    assert client.get(url_of(drafted)).status_code == 401


def test_the_proposer_edits_a_draft_and_only_the_fields_given_change(
    editor_client, drafted
) -> None:
    body = drafted.body
    response = patch_json(editor_client, url_of(drafted), {"note": "Zelensky asked, not Putin."})
    assert response.status_code == 200
    assert response.json()["note"] == "Zelensky asked, not Putin."
    drafted.refresh_from_db()
    assert (drafted.note, drafted.body) == ("Zelensky asked, not Putin.", body)
    assert_matches_openapi(editor_client, CORRECTION_PATH, 200, response.json(), method="patch")


def test_editing_a_returned_correction_takes_it_back_to_draft(
    editor_client, copydesk, submitted
) -> None:
    services.correction_return(correction=submitted, actor=copydesk, comment="Say where.")
    response = patch_json(editor_client, url_of(submitted), {"note": NOTE + " (In Kharkiv.)"})
    assert response.status_code == 200
    assert response.json()["state"] == "draft"


def test_nobody_else_edits_a_draft(copydesk_client, drafted) -> None:
    response = patch_json(copydesk_client, url_of(drafted), {"note": "Mine now."})
    assert response.status_code == 403
    assert response.json() == {"error": "Only the proposer can edit this correction."}
    drafted.refresh_from_db()
    assert drafted.note == NOTE


def test_editing_a_submitted_correction_is_409(editor_client, submitted) -> None:
    response = patch_json(editor_client, url_of(submitted), {"note": "Late change."})
    assert response.status_code == 409
    assert response.json() == {"error": "This correction is submitted: it cannot be edited."}


def test_editing_a_draft_back_to_the_base_text_is_422(
    recorded_seed, editor_client, drafted
) -> None:
    response = patch_json(editor_client, url_of(drafted), {"body": recorded_seed.revision.body})
    assert response.status_code == 422
    assert "The proposed text is the same as revision 1" in response.json()["error"]
    drafted.refresh_from_db()
    assert "Zelensky asked" in drafted.body


# --------------------------------------------------------------------------
# submit, return, withdraw


def test_the_proposer_submits_a_draft(editor_client, drafted) -> None:
    response = post_json(editor_client, url_of(drafted, "submit"))
    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    assert state_of(drafted) == "submitted"


def test_submitting_twice_is_409(editor_client, submitted) -> None:
    response = post_json(editor_client, url_of(submitted, "submit"))
    assert response.status_code == 409
    assert response.json() == {"error": "This correction is submitted: it cannot be submitted."}


def test_nobody_else_submits_a_draft(copydesk_client, drafted) -> None:
    response = post_json(copydesk_client, url_of(drafted, "submit"))
    assert response.status_code == 403
    assert response.json() == {"error": "Only the proposer can submit this correction."}
    assert state_of(drafted) == "draft"


def test_a_user_in_no_group_cannot_submit(reader, drafted) -> None:
    assert post_json(client_for(reader), url_of(drafted, "submit")).status_code == 403
    assert state_of(drafted) == "draft"


def test_submitting_without_the_csrf_token_is_403(editor, drafted) -> None:
    client, _ = csrf_client(editor)
    assert post_json(client, url_of(drafted, "submit")).status_code == 403
    assert state_of(drafted) == "draft"


def test_the_copy_desk_returns_a_submitted_correction_saying_why(
    copydesk_client, submitted
) -> None:
    response = post_json(copydesk_client, url_of(submitted, "return"), {"comment": "Say where."})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reviewer"]) == ("returned", "cal")
    event = CorrectionEvent.objects.filter(correction=submitted).last()
    assert (event.new_state, event.comment) == ("returned", "Say where.")


def test_returning_without_a_comment_is_422(copydesk_client, submitted) -> None:
    response = post_json(copydesk_client, url_of(submitted, "return"), {"comment": ""})
    assert response.status_code == 422
    assert response.json()["error"] == "A comment is required."
    assert state_of(submitted) == "submitted"


def test_an_editor_cannot_return_a_correction(make_user, submitted) -> None:
    other_editor = make_user("eve", "Editors")
    url = url_of(submitted, "return")
    response = post_json(client_for(other_editor), url, {"comment": "No."})
    assert response.status_code == 403
    assert response.json() == {"error": "Only the copy desk returns corrections."}
    assert state_of(submitted) == "submitted"


def test_nobody_returns_their_own_correction(copydesk, copydesk_client, disputed) -> None:
    own = services.correction_submit(correction=draft_by(copydesk, disputed), actor=copydesk)
    response = post_json(copydesk_client, url_of(own, "return"), {"comment": "Hmm."})
    assert response.status_code == 403
    assert response.json() == {"error": "You cannot review your own correction (four eyes)."}
    assert state_of(own) == "submitted"


def test_returning_a_draft_is_409(copydesk_client, drafted) -> None:
    response = post_json(copydesk_client, url_of(drafted, "return"), {"comment": "Not yet."})
    assert response.status_code == 409
    assert response.json() == {"error": "This correction is draft: it cannot be returned."}


def test_the_proposer_withdraws_a_draft(editor_client, drafted) -> None:
    response = post_json(editor_client, url_of(drafted, "withdraw"), {"reason": "Duplicate."})
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    assert CorrectionEvent.objects.filter(correction=drafted).last().comment == "Duplicate."


def test_withdrawing_needs_no_body(editor_client, drafted) -> None:
    assert post_json(editor_client, url_of(drafted, "withdraw")).status_code == 200
    assert state_of(drafted) == "withdrawn"


def test_withdrawing_a_submitted_correction_is_409(editor_client, submitted) -> None:
    response = post_json(editor_client, url_of(submitted, "withdraw"))
    assert response.status_code == 409
    assert state_of(submitted) == "submitted"


# --------------------------------------------------------------------------
# rebase


@pytest.fixture
def retitled(editor: User, recorded_seed: RecordResult) -> Correction:
    """A draft of revision 1 that changes only the headline."""
    return services.correction_draft(
        article=recorded_seed.article,
        proposer=editor,
        title="Blinken reaffirms support for Ukraine",
        note="The headline was shortened.",
    )


def test_rebasing_moves_a_draft_onto_the_latest_revision(
    recorded_seed, editor_client, retitled, seed_text
) -> None:
    latest = record_corrected(recorded_seed, seed_text).revision
    response = post_json(editor_client, url_of(retitled, "rebase"))
    assert response.status_code == 200
    assert response.json()["base_revision"] == 2
    retitled.refresh_from_db()
    assert retitled.title == "Blinken reaffirms support for Ukraine"
    assert retitled.body == latest.body


def test_rebasing_a_correction_already_on_the_latest_revision_is_409(
    editor_client, retitled
) -> None:
    response = post_json(editor_client, url_of(retitled, "rebase"))
    assert response.status_code == 409
    assert response.json() == {
        "error": "This correction is already based on the latest revision (1)."
    }


def test_nobody_else_rebases_a_draft(recorded_seed, copydesk_client, retitled, seed_text) -> None:
    record_corrected(recorded_seed, seed_text)
    response = post_json(copydesk_client, url_of(retitled, "rebase"))
    assert response.status_code == 403
    retitled.refresh_from_db()
    assert retitled.base_revision.number == 1


# --------------------------------------------------------------------------
# sign-off (each publishes, or is refused, after the corrected text is analysed)


def test_the_copy_desk_signs_off_and_the_correction_is_published(
    copydesk_client, submitted, disputed
) -> None:
    response = post_json(copydesk_client, url_of(submitted, "sign-off"), {})
    assert response.status_code == 200
    data = response.json()
    assert (data["state"], data["published_revision"], data["reviewer"]) == (
        "published",
        2,
        "cal",
    )
    published = Revision.objects.get(article=disputed.article, number=2)
    assert (published.origin, published.note) == ("correction", NOTE)
    assert "Zelensky asked for two Patriot batteries" in published.body
    disputed.refresh_from_db()
    assert disputed.status == "resolved"
    assert_matches_openapi(
        copydesk_client, "/api/corrections/{correction_id}/sign-off", 200, data, method="post"
    )


def test_nobody_signs_off_their_own_correction(copydesk, copydesk_client, disputed) -> None:
    own = services.correction_submit(correction=draft_by(copydesk, disputed), actor=copydesk)
    response = post_json(copydesk_client, url_of(own, "sign-off"))
    assert response.status_code == 403
    assert response.json() == {"error": "You cannot sign off your own correction (four eyes)."}
    assert state_of(own) == "submitted"
    assert Revision.objects.count() == 1


def test_an_editor_cannot_sign_off(make_user, submitted) -> None:
    other_editor = make_user("eve", "Editors")
    response = post_json(client_for(other_editor), url_of(submitted, "sign-off"))
    assert response.status_code == 403
    assert response.json() == {"error": "Only the copy desk and admins sign off corrections."}
    assert state_of(submitted) == "submitted"


def test_signing_off_a_correction_of_an_older_revision_is_409(
    recorded_seed, admin_client_, submitted, seed_text
) -> None:
    record_corrected(recorded_seed, seed_text)
    response = post_json(admin_client_, url_of(submitted, "sign-off"))
    assert response.status_code == 409
    assert response.json()["error"] == (
        "This correction is based on revision 1, but the latest is revision 2: "
        "rebase it onto the latest first."
    )
    assert state_of(submitted) == "submitted"
    assert Revision.objects.count() == 2


def test_signing_off_with_other_open_disputes_needs_a_reason_for_overriding(
    recorded_seed, editor, copydesk_client, submitted
) -> None:
    macron = "prominent figures like French President Emmanuel Macron denounce"
    other = dispute(recorded_seed.revision, editor, exact=macron, proposed_speaker_text="")
    refused = post_json(copydesk_client, url_of(submitted, "sign-off"))
    assert refused.status_code == 409
    assert f"#{other.pk}" in refused.json()["error"]
    assert state_of(submitted) == "submitted"
    reason = "The Macron quote is checked separately."
    response = post_json(
        copydesk_client, url_of(submitted, "sign-off"), {"override_reason": reason}
    )
    assert response.status_code == 200
    assert response.json()["state"] == "published"
    submitted.refresh_from_db()
    assert submitted.override_reason == reason


def test_signing_off_a_draft_is_409(copydesk_client, drafted) -> None:
    response = post_json(copydesk_client, url_of(drafted, "sign-off"))
    assert response.status_code == 409
    assert response.json() == {"error": "This correction is draft: it cannot be signed off."}


# --------------------------------------------------------------------------
# the OpenAPI document


def test_the_openapi_document_lists_the_correction_endpoints(editor_client) -> None:
    paths = editor_client.get("/api/openapi.json").json()["paths"]
    expected: dict[str, set[str]] = {
        "/api/articles/{slug}/corrections": {"post"},
        CORRECTION_PATH: {"get", "patch"},
        **{
            f"{CORRECTION_PATH}/{action}": {"post"}
            for action in ("submit", "sign-off", "return", "withdraw", "rebase")
        },
    }
    assert {path: set(paths[path]) for path in expected} == expected
