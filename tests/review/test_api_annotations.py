"""The annotations API: the per-revision list (newsdesk.annotations/1), annotating,
threads, status, assignment, flag dismissal, the queue and notifications."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.ingest import read_capture
from articles.models import Person
from articles.services import RecordResult, revision_record
from review import services
from review.models import (
    Annotation,
    Comment,
    CommentVersion,
    FlagDecision,
    Notification,
    Placement,
    StatusChange,
)
from tests.conftest import assert_matches_openapi, client_for, corrected_seed_text

pytestmark = pytest.mark.django_db

PUTIN = "Putin asked for two Patriot batteries"
WHY = "In context it was Zelensky who asked."
LIST_PATH = "/api/articles/{slug}/annotations"


def post_json(client: Client, url: str, data: object = None, **extra: object):  # type: ignore[no-untyped-def]
    """A JSON POST (no body at all when ``data`` is None)."""
    body = "" if data is None else data
    return client.post(url, body, content_type="application/json", **extra)  # type: ignore[arg-type]


def patch_json(client: Client, url: str, data: object):  # type: ignore[no-untyped-def]
    return client.patch(url, data, content_type="application/json")


def csrf_client(user: User) -> tuple[Client, str]:
    """A logged-in browser session that enforces CSRF, and its token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = get_token(RequestFactory().get("/"))
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return client, token


def dispute(revision, author, **extra) -> Annotation:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "kind": "disputed_attribution",
        "start": None,
        "end": None,
        "exact": PUTIN,
        "comment": WHY,
        "proposed_speaker_text": "Volodymyr Zelensky",
    }
    values.update(extra)
    return services.annotation_create(revision=revision, author=author, **values)


def fact(revision, author, exact: str = "Blinken has made four trips to Kyiv") -> Annotation:  # type: ignore[no-untyped-def]
    return services.annotation_create(
        revision=revision,
        author=author,
        kind="fact",
        start=None,
        end=None,
        exact=exact,
        comment="Is it four or five?",
    )


def record_corrected(recorded: RecordResult, seed_text: str) -> RecordResult:
    """Record revision 2 of the seed: "Zelensky asked" where it said "Putin asked"."""
    draft = read_capture(corrected_seed_text(seed_text).encode(), filename="corrected.txt")
    return revision_record(draft=draft, filename="corrected.txt")


def attribution_index(revision, speaker_name: str) -> int:  # type: ignore[no-untyped-def]
    attributions = revision.analyses.first().attributions
    return next(i for i, a in enumerate(attributions) if a.get("speaker_name") == speaker_name)


def annotate_payload(**extra: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "revision": 1,
        "start": None,
        "end": None,
        "exact": PUTIN,
        "kind": "disputed_attribution",
        "comment": WHY,
        "proposed_speaker": "Volodymyr Zelensky",
    }
    payload.update(extra)
    return payload


def nothing_written() -> bool:
    return (
        Annotation.objects.count() == 0
        and Comment.objects.count() == 0
        and FlagDecision.objects.count() == 0
        and Notification.objects.count() == 0
    )


@pytest.fixture
def slug(recorded_seed: RecordResult) -> str:
    return recorded_seed.article.slug


@pytest.fixture
def annotations_url(slug: str) -> str:
    return f"/api/articles/{slug}/annotations"


# --------------------------------------------------------------------------
# GET /api/articles/{slug}/annotations


def test_list_serves_each_annotation_with_its_anchor_placement_and_thread(
    recorded_seed, editor, editor_client, annotations_url
) -> None:
    revision = recorded_seed.revision
    annotation = dispute(revision, editor)
    data = editor_client.get(f"{annotations_url}?revision=1").json()
    start = revision.body.index(PUTIN)
    comment = annotation.comments.get()
    created_at = data["annotations"][0]["comments"][0]["created_at"]
    # ISO 8601 to the millisecond
    assert datetime.fromisoformat(created_at) == comment.created_at.replace(
        microsecond=comment.created_at.microsecond // 1000 * 1000
    )
    assert data == {
        "schema": "newsdesk.annotations/1",
        "revision": 1,
        "annotations": [
            {
                "id": annotation.pk,
                "kind": "disputed_attribution",
                "status": "open",
                "author": "eda",
                "revision": 1,
                "quote": {
                    "exact": PUTIN,
                    "prefix": annotation.prefix,
                    "suffix": annotation.suffix,
                    "start": start,
                    "end": start + len(PUTIN),
                },
                "placement": {
                    "state": "original",
                    "start": start,
                    "end": start + len(PUTIN),
                    "text": PUTIN,
                },
                "proposed_speaker": "Volodymyr Zelensky",
                "comments": [
                    {
                        "id": comment.pk,
                        "author": "eda",
                        "body": WHY,
                        "created_at": created_at,
                        "edited": False,
                        "versions": [],
                    }
                ],
            }
        ],
    }
    assert annotation.prefix.endswith("In particular, ")


def test_list_response_matches_its_openapi_schema(
    recorded_seed, editor, editor_client, annotations_url
) -> None:
    dispute(recorded_seed.revision, editor)
    fact(recorded_seed.revision, editor)
    data = editor_client.get(annotations_url).json()
    assert len(data["annotations"]) == 2
    assert_matches_openapi(editor_client, LIST_PATH, 200, data)


def test_list_defaults_to_the_latest_revision_and_places_older_annotations_on_it(
    recorded_seed, editor, editor_client, annotations_url, seed_text
) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    later = record_corrected(recorded_seed, seed_text).revision
    assert not Placement.objects.exists()  # nobody has opened revision 2 yet
    data = editor_client.get(annotations_url).json()
    assert data["revision"] == 2
    (listed,) = data["annotations"]
    assert listed["revision"] == 1
    assert listed["placement"]["state"] == "changed"
    assert "Zelensky asked for two Patriot batteries" in listed["placement"]["text"]
    start, end = listed["placement"]["start"], listed["placement"]["end"]
    assert later.body[start:end] == listed["placement"]["text"]
    assert Placement.objects.get(annotation=annotation).revision == later


def test_list_leaves_out_annotations_made_on_a_later_revision(
    recorded_correction, editor, editor_client
) -> None:
    fact(recorded_correction.revision, editor)
    url = f"/api/articles/{recorded_correction.article.slug}/annotations"
    assert editor_client.get(f"{url}?revision=1").json()["annotations"] == []
    assert len(editor_client.get(f"{url}?revision=2").json()["annotations"]) == 1


def test_list_leaves_out_annotations_settled_before_the_revision_existed(
    recorded_seed, editor, editor_client, annotations_url, seed_text
) -> None:
    settled = fact(recorded_seed.revision, editor)
    services.annotation_resolve(annotation=settled, actor=editor, reason="Four is right.")
    still_open = dispute(recorded_seed.revision, editor)
    record_corrected(recorded_seed, seed_text)
    listed = editor_client.get(f"{annotations_url}?revision=2").json()["annotations"]
    assert [a["id"] for a in listed] == [still_open.pk]
    on_first = editor_client.get(f"{annotations_url}?revision=1").json()["annotations"]
    assert {a["id"] for a in on_first} == {settled.pk, still_open.pk}


def test_list_shows_an_edited_comment_with_its_earlier_wordings(
    recorded_seed, editor, editor_client, annotations_url
) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    comment = annotation.comments.get()
    services.comment_edit(comment=comment, editor=editor, body="It was Zelensky who asked.")
    (listed,) = editor_client.get(annotations_url).json()["annotations"]
    (thread,) = listed["comments"]
    assert thread["body"] == "It was Zelensky who asked."
    assert thread["edited"] is True
    assert [v["body"] for v in thread["versions"]] == [WHY]


def test_list_of_an_unknown_revision_is_404(editor_client, annotations_url) -> None:
    response = editor_client.get(f"{annotations_url}?revision=9")
    assert response.status_code == 404
    assert response.json() == {"error": "No such revision."}


def test_list_of_an_unknown_article_is_404(editor_client, recorded_seed) -> None:
    response = editor_client.get("/api/articles/no-such-story/annotations")
    assert response.status_code == 404
    assert response.json() == {"error": "No article with slug 'no-such-story'."}


def test_list_answers_anonymous_callers_401(client: Client, annotations_url) -> None:
    response = client.get(annotations_url)
    assert response.status_code == 401
    assert response.json() == {"error": "Authentication required: log in to use the API."}


def test_list_refuses_a_user_in_no_group(reader, annotations_url) -> None:
    response = client_for(reader).get(annotations_url)
    assert response.status_code == 403
    assert response.json() == {
        "error": "You do not have permission to do this (needs review.view_annotation)."
    }


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def annotate_words(revision, author, count: int) -> None:  # type: ignore[no-untyped-def]
    """``count`` style notes, one on each of the first words, each with a reply."""
    for word in list(re.finditer(r"\w+", revision.body))[:count]:
        annotation = services.annotation_create(
            revision=revision,
            author=author,
            kind="style",
            start=word.start(),
            end=word.end(),
            comment=f"Check “{word.group()}”.",
        )
        services.comment_add(annotation=annotation, author=author, body="And again.")


def test_the_list_reads_in_the_same_number_of_queries_for_2_or_20_annotations(
    recorded_seed, editor, editor_client, annotations_url
) -> None:
    annotate_words(recorded_seed.revision, editor, 2)
    few = queries_for(editor_client, annotations_url)
    annotate_words(recorded_seed.revision, editor, 20)
    assert queries_for(editor_client, annotations_url) == few


# --------------------------------------------------------------------------
# POST /api/articles/{slug}/annotations


def test_annotating_answers_201_with_the_annotation_as_the_list_shows_it(
    editor_client, annotations_url
) -> None:
    response = post_json(editor_client, annotations_url, annotate_payload())
    assert response.status_code == 201
    created = response.json()
    annotation = Annotation.objects.get()
    assert created["id"] == annotation.pk
    assert created["quote"]["exact"] == PUTIN
    assert annotation.attribution["speaker"]["text"] == "Putin"
    assert annotation.proposed_speaker_text == "Volodymyr Zelensky"
    (listed,) = editor_client.get(annotations_url).json()["annotations"]
    assert created == listed


def test_annotating_answer_matches_its_openapi_schema(editor_client, annotations_url) -> None:
    data = post_json(editor_client, annotations_url, annotate_payload()).json()
    assert_matches_openapi(editor_client, LIST_PATH, 201, data, method="post")


def test_annotating_by_offsets_anchors_that_range(
    recorded_seed, editor_client, annotations_url
) -> None:
    body = recorded_seed.revision.body
    start = body.index("Blinken has made four trips")
    payload = {
        "revision": 1,
        "start": start,
        "end": start + 7,
        "kind": "fact",
        "comment": "Check the count.",
    }
    created = post_json(editor_client, annotations_url, payload).json()
    assert created["quote"]["exact"] == "Blinken"
    assert created["placement"] == {
        "state": "original",
        "start": start,
        "end": start + 7,
        "text": "Blinken",
    }
    assert created["proposed_speaker"] is None


def test_annotating_can_propose_a_person_from_the_registry(editor_client, annotations_url) -> None:
    zelensky = Person.objects.create(name="Volodymyr Zelensky")
    payload = annotate_payload(proposed_speaker={"person": zelensky.pk})
    response = post_json(editor_client, annotations_url, payload)
    assert response.status_code == 201
    assert response.json()["proposed_speaker"] == "Volodymyr Zelensky"
    assert Annotation.objects.get().proposed_person == zelensky


def test_annotating_with_an_unknown_person_is_422_and_writes_nothing(
    editor_client, annotations_url
) -> None:
    payload = annotate_payload(proposed_speaker={"person": 987654321})
    response = post_json(editor_client, annotations_url, payload)
    assert response.status_code == 422
    assert response.json()["error"] == "Unknown person: there is no person 987654321."
    assert response.json()["fields"] == {
        "proposed_speaker": ["Unknown person: there is no person 987654321."]
    }
    assert nothing_written()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"comment": "  "}, "A comment is required."),
        (
            {"exact": None, "start": 5, "end": 999_999},
            "The selection 5–999999 is outside the text of revision 1",
        ),
        (
            {"exact": "Putin asked for three Patriot batteries", "start": 1017, "end": 1056},
            "The text has changed since you selected it",
        ),
        ({"exact": "Putin asked for three Patriot batteries"}, "does not occur in revision 1"),
        ({"revision": 7}, "Unknown revision: article"),
        ({"kind": "rumour"}, "Unknown kind “rumour”"),
        ({"evidence_url": "not a link"}, "Enter a valid URL."),
    ],
    ids=[
        "empty-comment",
        "range-outside",
        "stale-exact",
        "absent-exact",
        "unknown-revision",
        "unknown-kind",
        "bad-evidence-url",
    ],
)
def test_bad_input_is_422_with_a_message_and_writes_nothing(
    editor_client, annotations_url, change: dict[str, object], message: str
) -> None:
    response = post_json(editor_client, annotations_url, annotate_payload(**change))
    assert response.status_code == 422
    assert message in response.json()["error"]
    assert nothing_written()


def test_a_request_of_the_wrong_shape_is_422_naming_the_field(
    editor_client, annotations_url
) -> None:
    payload = annotate_payload()
    del payload["comment"]
    response = post_json(editor_client, annotations_url, payload)
    assert response.status_code == 422
    assert response.json()["fields"] == {"payload.comment": ["Field required"]}
    assert nothing_written()


def test_annotating_can_assign_a_colleague_who_is_notified(
    editor_client, annotations_url, copydesk
) -> None:
    response = post_json(editor_client, annotations_url, annotate_payload(assignee="cal"))
    assert response.status_code == 201
    assert Annotation.objects.get().assignee == copydesk
    assert Notification.objects.get(recipient=copydesk).verb == "assigned"


@pytest.mark.parametrize(
    ("assignee", "message"),
    [
        ("nobody-here", "Unknown user “nobody-here”."),
        ("rex", "rex is not in the newsroom's groups."),
    ],
)
def test_annotating_refuses_an_assignee_outside_the_newsroom(
    editor_client, annotations_url, reader, assignee: str, message: str
) -> None:
    response = post_json(editor_client, annotations_url, annotate_payload(assignee=assignee))
    assert response.status_code == 422
    assert response.json()["error"] == message
    assert nothing_written()


def test_annotating_an_unknown_article_is_404(editor_client, recorded_seed) -> None:
    response = post_json(
        editor_client, "/api/articles/no-such-story/annotations", annotate_payload()
    )
    assert response.status_code == 404
    assert nothing_written()


def test_annotating_without_the_csrf_token_is_403(editor, annotations_url) -> None:
    client, _ = csrf_client(editor)
    response = post_json(client, annotations_url, annotate_payload())
    assert response.status_code == 403
    assert response.json() == {"error": "CSRF check Failed"}
    assert nothing_written()


def test_annotating_with_the_csrf_token_is_201(editor, annotations_url) -> None:
    client, token = csrf_client(editor)
    response = post_json(client, annotations_url, annotate_payload(), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert Annotation.objects.count() == 1


def test_annotating_answers_anonymous_callers_401(client: Client, annotations_url) -> None:
    response = post_json(client, annotations_url, annotate_payload())
    assert response.status_code == 401
    assert nothing_written()


@pytest.mark.parametrize("role", ["editor", "copydesk", "admin_user"])
def test_every_newsroom_role_annotates(
    request: pytest.FixtureRequest, annotations_url, role: str
) -> None:
    user = request.getfixturevalue(role)
    response = post_json(client_for(user), annotations_url, annotate_payload())
    assert response.status_code == 201
    assert Annotation.objects.get().author == user


def test_a_user_in_no_group_cannot_annotate(reader, annotations_url) -> None:
    response = post_json(client_for(reader), annotations_url, annotate_payload())
    assert response.status_code == 403
    assert response.json()["error"] == (
        "You do not have permission to do this (needs review.add_annotation)."
    )
    assert nothing_written()


# --------------------------------------------------------------------------
# comments


@pytest.fixture
def disputed(recorded_seed, editor) -> Annotation:
    return dispute(recorded_seed.revision, editor)


def test_a_reply_is_201_with_the_comment(copydesk, disputed) -> None:
    response = post_json(
        client_for(copydesk), f"/api/annotations/{disputed.pk}/comments", {"body": "Agreed."}
    )
    assert response.status_code == 201
    comment = disputed.comments.get(author=copydesk)
    assert response.json() == {
        "id": comment.pk,
        "author": "cal",
        "body": "Agreed.",
        "created_at": response.json()["created_at"],
        "edited": False,
        "versions": [],
    }
    assert Notification.objects.get(recipient__username="eda").verb == "reply"


def test_a_reply_answer_matches_its_openapi_schema(copydesk_client, disputed) -> None:
    url = f"/api/annotations/{disputed.pk}/comments"
    data = post_json(copydesk_client, url, {"body": "Agreed."}).json()
    path = "/api/annotations/{annotation_id}/comments"
    assert_matches_openapi(copydesk_client, path, 201, data, method="post")


def test_an_empty_reply_is_422_and_writes_nothing(copydesk_client, disputed) -> None:
    response = post_json(copydesk_client, f"/api/annotations/{disputed.pk}/comments", {"body": ""})
    assert response.status_code == 422
    assert response.json()["error"] == "A comment is required."
    assert disputed.comments.count() == 1


def test_a_reply_to_an_unknown_annotation_is_404(copydesk_client, disputed) -> None:
    response = post_json(
        copydesk_client, "/api/annotations/987654321/comments", {"body": "Agreed."}
    )
    assert response.status_code == 404
    assert response.json() == {"error": "No annotation with id 987654321."}


def test_a_user_in_no_group_cannot_reply(reader, disputed) -> None:
    url = f"/api/annotations/{disputed.pk}/comments"
    response = post_json(client_for(reader), url, {"body": "Me too."})
    assert response.status_code == 403
    assert disputed.comments.count() == 1


def test_the_author_rewords_a_comment_and_the_earlier_wording_is_kept(
    editor_client, disputed
) -> None:
    comment = disputed.comments.get()
    response = patch_json(editor_client, f"/api/comments/{comment.pk}", {"body": "Zelensky asked."})
    assert response.status_code == 200
    data = response.json()
    assert (data["body"], data["edited"]) == ("Zelensky asked.", True)
    assert [v["body"] for v in data["versions"]] == [WHY]
    assert_matches_openapi(editor_client, "/api/comments/{comment_id}", 200, data, method="patch")


def test_nobody_else_rewords_a_comment(admin_client_, disputed) -> None:
    comment = disputed.comments.get()
    response = patch_json(admin_client_, f"/api/comments/{comment.pk}", {"body": "Rewritten."})
    assert response.status_code == 403
    assert response.json() == {"error": "Only the author of a comment can edit it."}
    comment.refresh_from_db()
    assert comment.body == WHY
    assert not CommentVersion.objects.exists()


def test_rewording_a_comment_to_the_same_words_is_422(editor_client, disputed) -> None:
    comment = disputed.comments.get()
    response = patch_json(editor_client, f"/api/comments/{comment.pk}", {"body": WHY})
    assert response.status_code == 422
    assert response.json()["error"] == "The comment is unchanged."


# --------------------------------------------------------------------------
# status and assignment


@pytest.mark.parametrize(("action", "status"), [("resolve", "resolved"), ("reject", "rejected")])
def test_the_author_settles_an_annotation_with_a_reason(
    editor_client, disputed, action: str, status: str
) -> None:
    url = f"/api/annotations/{disputed.pk}/{action}"
    response = post_json(editor_client, url, {"reason": "Checked the transcript."})
    assert response.status_code == 200
    assert response.json()["status"] == status
    change = StatusChange.objects.get(annotation=disputed)
    assert (change.new_status, change.reason) == (status, "Checked the transcript.")
    path = f"/api/annotations/{{annotation_id}}/{action}"
    assert_matches_openapi(editor_client, path, 200, response.json(), method="post")


def test_a_settled_annotation_is_reopened_with_a_reason(editor, editor_client, disputed) -> None:
    services.annotation_resolve(annotation=disputed, actor=editor, reason="Fixed.")
    url = f"/api/annotations/{disputed.pk}/reopen"
    response = post_json(editor_client, url, {"reason": "Not fixed after all."})
    assert response.status_code == 200
    assert response.json()["status"] == "open"


def test_settling_without_a_reason_is_422(editor_client, disputed) -> None:
    response = post_json(editor_client, f"/api/annotations/{disputed.pk}/resolve", {"reason": " "})
    assert response.status_code == 422
    assert response.json()["error"] == "A reason is required."
    disputed.refresh_from_db()
    assert disputed.status == "open"


def test_resolving_a_resolved_annotation_is_409(editor, editor_client, disputed) -> None:
    services.annotation_resolve(annotation=disputed, actor=editor, reason="Fixed.")
    url = f"/api/annotations/{disputed.pk}/resolve"
    response = post_json(editor_client, url, {"reason": "Fixed again."})
    assert response.status_code == 409
    assert response.json() == {"error": "This annotation is resolved: it cannot be resolved."}
    assert StatusChange.objects.count() == 1


def test_a_colleague_who_is_neither_author_nor_assignee_cannot_settle_it(
    copydesk_client, disputed
) -> None:
    url = f"/api/annotations/{disputed.pk}/reject"
    response = post_json(copydesk_client, url, {"reason": "Disagree."})
    assert response.status_code == 403
    assert response.json()["error"] == (
        "Only the author, the assignee or an admin can change this annotation's status."
    )
    disputed.refresh_from_db()
    assert disputed.status == "open"


def test_an_admin_settles_anyones_annotation(admin_client_, disputed) -> None:
    url = f"/api/annotations/{disputed.pk}/reject"
    response = post_json(admin_client_, url, {"reason": "Duplicate."})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"


def test_a_user_in_no_group_cannot_settle_an_annotation(reader, disputed) -> None:
    url = f"/api/annotations/{disputed.pk}/resolve"
    response = post_json(client_for(reader), url, {"reason": "Done."})
    assert response.status_code == 403
    assert not StatusChange.objects.exists()


def test_a_status_answer_places_the_annotation_on_the_latest_revision(
    recorded_seed, editor_client, disputed, seed_text
) -> None:
    record_corrected(recorded_seed, seed_text)
    url = f"/api/annotations/{disputed.pk}/resolve"
    data = post_json(editor_client, url, {"reason": "Corrected in revision 2."}).json()
    assert data["revision"] == 1
    assert data["placement"]["state"] == "changed"
    assert "Zelensky asked" in data["placement"]["text"]


def test_assigning_hands_the_annotation_to_a_colleague_who_is_notified(
    editor_client, disputed, copydesk
) -> None:
    url = f"/api/annotations/{disputed.pk}/assign"
    response = post_json(editor_client, url, {"assignee": "cal"})
    assert response.status_code == 200
    assert response.json()["id"] == disputed.pk
    disputed.refresh_from_db()
    assert disputed.assignee == copydesk
    assert Notification.objects.get(recipient=copydesk).verb == "assigned"


def test_assigning_nobody_takes_the_annotation_back(
    editor, editor_client, disputed, copydesk
) -> None:
    services.annotation_assign(annotation=disputed, actor=editor, assignee=copydesk)
    response = post_json(
        editor_client, f"/api/annotations/{disputed.pk}/assign", {"assignee": None}
    )
    assert response.status_code == 200
    disputed.refresh_from_db()
    assert disputed.assignee is None


@pytest.mark.parametrize(
    ("assignee", "message"),
    [
        ("nobody-here", "Unknown user “nobody-here”."),
        ("rex", "rex is not in the newsroom's groups."),
        ("ca\x00l", "Unknown user “ca\\x00l”."),  # PostgreSQL cannot compare text with NUL
    ],
)
def test_assigning_outside_the_newsroom_is_422(
    editor_client, disputed, reader, assignee: str, message: str
) -> None:
    url = f"/api/annotations/{disputed.pk}/assign"
    response = post_json(editor_client, url, {"assignee": assignee})
    assert response.status_code == 422
    assert response.json()["error"] == message
    disputed.refresh_from_db()
    assert disputed.assignee is None


def test_a_user_in_no_group_cannot_assign(reader, disputed) -> None:
    url = f"/api/annotations/{disputed.pk}/assign"
    response = post_json(client_for(reader), url, {"assignee": "eda"})
    assert response.status_code == 403


# --------------------------------------------------------------------------
# flag dismissal


def dismiss_url(slug: str, number: int, index: int) -> str:
    return f"/api/articles/{slug}/revisions/{number}/attributions/{index}/dismiss"


DISMISS_PATH = "/api/articles/{slug}/revisions/{number}/attributions/{index}/dismiss"


def test_dismissing_a_flag_is_201_with_the_decision(recorded_seed, editor_client, slug) -> None:
    index = attribution_index(recorded_seed.revision, "Emmanuel Macron")
    url = dismiss_url(slug, 1, index)
    response = post_json(editor_client, url, {"reason": "Properly introduced."})
    assert response.status_code == 201
    assert response.json() == {
        "decision": "dismissed",
        "reason": "Properly introduced.",
        "by": "eda",
        "speaker": "prominent figures like French President Emmanuel Macron",
        "cue": "denounce",
        "content": "the violence’s increase",
    }
    assert FlagDecision.objects.get().decision == "dismissed"
    assert_matches_openapi(editor_client, DISMISS_PATH, 201, response.json(), method="post")


def test_dismissing_without_a_reason_is_422_and_writes_nothing(
    recorded_seed, editor_client, slug
) -> None:
    index = attribution_index(recorded_seed.revision, "Emmanuel Macron")
    response = post_json(editor_client, dismiss_url(slug, 1, index), {"reason": ""})
    assert response.status_code == 422
    assert response.json()["error"] == "A reason is required."
    assert nothing_written()


@pytest.mark.parametrize(
    ("index", "message"),
    [(0, "This attribution carries no flag to dismiss."), (99, "There is no attribution 99")],
)
def test_dismissing_what_is_not_a_flag_is_422(
    editor_client, slug, index: int, message: str
) -> None:
    response = post_json(editor_client, dismiss_url(slug, 1, index), {"reason": "Fine."})
    assert response.status_code == 422
    assert message in response.json()["error"]
    assert nothing_written()


def test_dismissing_a_decided_flag_again_is_409(recorded_seed, editor_client, slug) -> None:
    index = attribution_index(recorded_seed.revision, "Emmanuel Macron")
    post_json(editor_client, dismiss_url(slug, 1, index), {"reason": "Fine."})
    response = post_json(editor_client, dismiss_url(slug, 1, index), {"reason": "Still fine."})
    assert response.status_code == 409
    assert response.json() == {"error": "This flag has already been decided."}
    assert FlagDecision.objects.get().reason == "Fine."


def test_dismissing_on_an_unknown_revision_is_404(editor_client, slug) -> None:
    response = post_json(editor_client, dismiss_url(slug, 5, 0), {"reason": "Fine."})
    assert response.status_code == 404


def test_a_user_in_no_group_cannot_dismiss_a_flag(recorded_seed, reader, slug) -> None:
    index = attribution_index(recorded_seed.revision, "Emmanuel Macron")
    response = post_json(client_for(reader), dismiss_url(slug, 1, index), {"reason": "Fine."})
    assert response.status_code == 403
    assert nothing_written()


# --------------------------------------------------------------------------
# GET /api/annotations: the queue


def test_the_queue_lists_the_newsrooms_annotations_newest_first(
    recorded_seed, editor, copydesk, editor_client
) -> None:
    first = dispute(recorded_seed.revision, editor)
    second = fact(recorded_seed.revision, copydesk)
    data = editor_client.get("/api/annotations").json()
    assert (data["count"], data["page"]) == (2, 1)
    assert [a["id"] for a in data["annotations"]] == [second.pk, first.pk]
    assert data["annotations"][0]["author"] == "cal"
    assert data["annotations"][0]["placement"]["state"] == "original"
    assert_matches_openapi(editor_client, "/api/annotations", 200, data)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=fact", ["fact", "resolved"]),
        ("status=resolved", ["resolved"]),
        ("author=cal", ["fact"]),
        ("assignee=cal", ["assigned"]),
        ("assignee=-", ["fact", "resolved"]),
    ],
)
def test_the_queue_filters(
    recorded_seed, editor, copydesk, editor_client, query: str, expected: list[str]
) -> None:
    revision = recorded_seed.revision
    made = {
        "assigned": dispute(revision, editor, assignee=copydesk),
        "fact": fact(revision, copydesk),
        "resolved": fact(revision, editor, exact="Dmytro Kuleba"),
    }
    services.annotation_resolve(annotation=made["resolved"], actor=editor, reason="Checked.")
    listed = editor_client.get(f"/api/annotations?{query}").json()["annotations"]
    names = {a.pk: name for name, a in made.items()}
    assert sorted(names[a["id"]] for a in listed) == expected


def test_the_queue_places_open_annotations_on_a_revision_nobody_opened_yet(
    recorded_seed, editor, editor_client, seed_text
) -> None:
    disputed = dispute(recorded_seed.revision, editor)
    fact(recorded_seed.revision, editor)  # untouched by revision 2: carried
    record_corrected(recorded_seed, seed_text)
    data = editor_client.get("/api/annotations?placement=attention").json()
    assert [a["id"] for a in data["annotations"]] == [disputed.pk]
    assert data["annotations"][0]["placement"]["state"] == "changed"


def test_an_annotation_settled_before_the_latest_revision_has_no_placement_in_the_queue(
    recorded_seed, editor, editor_client, seed_text
) -> None:
    settled = fact(recorded_seed.revision, editor)
    services.annotation_resolve(annotation=settled, actor=editor, reason="Checked.")
    record_corrected(recorded_seed, seed_text)
    (listed,) = editor_client.get("/api/annotations").json()["annotations"]
    assert listed["placement"] is None


def test_the_queue_is_paged_by_50(recorded_seed, editor, editor_client) -> None:
    revision = recorded_seed.revision
    words = list(re.finditer(r"\w+", revision.body))[:51]
    for word in words:
        services.annotation_create(
            revision=revision,
            author=editor,
            kind="style",
            start=word.start(),
            end=word.end(),
            comment=f"Check “{word.group()}”.",
        )
    first = editor_client.get("/api/annotations").json()
    second = editor_client.get("/api/annotations?page=2").json()
    assert (first["count"], len(first["annotations"])) == (51, 50)
    assert (second["page"], len(second["annotations"])) == (2, 1)
    assert second["annotations"][0]["quote"]["exact"] == words[0].group()  # the oldest, last
    assert editor_client.get("/api/annotations?page=3").status_code == 404


def test_the_queue_reads_in_the_same_number_of_queries_for_2_or_20_annotations(
    recorded_seed, editor, editor_client
) -> None:
    annotate_words(recorded_seed.revision, editor, 2)
    few = queries_for(editor_client, "/api/annotations")
    annotate_words(recorded_seed.revision, editor, 20)
    assert queries_for(editor_client, "/api/annotations") == few


def test_an_invalid_queue_filter_is_422_naming_it(editor_client, recorded_seed) -> None:
    response = editor_client.get("/api/annotations?placement=lost")
    assert response.status_code == 422
    assert response.json() == {
        "error": "Invalid filter.",
        "fields": {
            "placement": ["Select a valid choice. lost is not one of the available choices."]
        },
    }


def test_a_user_in_no_group_cannot_read_the_queue(reader) -> None:
    response = client_for(reader).get("/api/annotations")
    assert response.status_code == 403


def test_the_queue_answers_anonymous_callers_401(client: Client) -> None:
    assert client.get("/api/annotations").status_code == 401


# --------------------------------------------------------------------------
# notifications


@pytest.fixture
def notified(disputed, editor, copydesk, admin_user) -> list[Notification]:
    """Two notifications for the copy desk (assigned, then mentioned), one for the admin."""
    services.annotation_assign(annotation=disputed, actor=editor, assignee=copydesk)
    services.comment_add(annotation=disputed, author=editor, body="@cal @ada have a look.")
    return list(Notification.objects.order_by("pk"))


def test_notifications_list_the_users_own_newest_first(notified, copydesk_client, copydesk) -> None:
    data = copydesk_client.get("/api/notifications").json()
    mine = [n for n in notified if n.recipient == copydesk]
    assert (data["count"], data["unread"], data["page"]) == (2, 2, 1)
    assert [n["id"] for n in data["notifications"]] == [n.pk for n in reversed(mine)]
    assert data["notifications"][0]["verb"] == "mention"
    assert data["notifications"][0]["actor"] == "eda"
    assert data["notifications"][0]["read"] is False
    assert_matches_openapi(copydesk_client, "/api/notifications", 200, data)


def test_unread_notifications_only(notified, copydesk, copydesk_client) -> None:
    first, second = (n for n in notified if n.recipient == copydesk)
    services.notifications_mark_read(user=copydesk, ids=[first.pk])
    data = copydesk_client.get("/api/notifications?unread=1").json()
    assert [n["id"] for n in data["notifications"]] == [second.pk]
    assert (data["count"], data["unread"]) == (1, 1)


def test_marking_read_without_ids_marks_all_of_the_users_own(
    notified, copydesk_client, admin_user
) -> None:
    response = post_json(copydesk_client, "/api/notifications/read")
    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert copydesk_client.get("/api/notifications?unread=1").json()["notifications"] == []
    assert Notification.objects.filter(recipient=admin_user, read_at__isnull=True).count() == 1


def test_marking_read_by_ids_marks_only_those(notified, copydesk, copydesk_client) -> None:
    first, *_ = (n for n in notified if n.recipient == copydesk)
    others = [n.pk for n in notified if n.recipient != copydesk]
    response = post_json(copydesk_client, "/api/notifications/read", {"ids": [first.pk, *others]})
    assert response.json() == {"marked": 1}  # another user's notification is not theirs to mark
    assert copydesk_client.get("/api/notifications").json()["unread"] == 1


def test_marking_read_without_the_csrf_token_is_403(notified, copydesk) -> None:
    client, _ = csrf_client(copydesk)
    response = post_json(client, "/api/notifications/read", {})
    assert response.status_code == 403
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_notifications_answer_anonymous_callers_401(client: Client) -> None:
    assert client.get("/api/notifications").status_code == 401
    assert post_json(client, "/api/notifications/read", {}).status_code == 401


# --------------------------------------------------------------------------
# the OpenAPI document


def test_the_openapi_document_lists_the_annotation_endpoints(editor_client) -> None:
    paths = editor_client.get("/api/openapi.json").json()["paths"]
    expected: dict[str, set[str]] = {
        "/api/articles/{slug}/annotations": {"get", "post"},
        "/api/annotations": {"get"},
        "/api/annotations/{annotation_id}/comments": {"post"},
        "/api/comments/{comment_id}": {"patch"},
        "/api/annotations/{annotation_id}/resolve": {"post"},
        "/api/annotations/{annotation_id}/reject": {"post"},
        "/api/annotations/{annotation_id}/reopen": {"post"},
        "/api/annotations/{annotation_id}/assign": {"post"},
        DISMISS_PATH: {"post"},
        "/api/notifications": {"get"},
        "/api/notifications/read": {"post"},
    }
    assert {path: set(paths[path]) for path in expected} == expected
