"""Fuzzing the annotation and correction services with any text a person could send:
each either does its work or refuses, with a ValidationError (bad input, 422 in the
API) or a Conflict (the object's state forbids it now, 409) that says why, and a
refusal writes nothing (no row in any table of the record or the review)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.services import RecordResult
from review import services
from review.models import Annotation, Correction

pytestmark = pytest.mark.django_db

#: Function-scoped fixtures (the seed, the users) are shared by a test's examples:
#: what one example writes the next one sees, as in a newsroom.
SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
shared_fixtures = settings(suppress_health_check=SHARED)

DISPUTED = "Putin asked for two Patriot batteries for the Kharkiv area"

#: What people paste: markup, quotes, NUL and control characters, right-to-left
#: text, emoji, very long runs, whitespace only.
texts = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "",
            "   \n\t ",
            "\x00",
            "before\x00after",
            "<script>alert(1)</script>",
            "مرحبا بالعالم",
            "😀" * 50,
            "x" * 5000,
            DISPUTED,
        ]
    ),
)
kinds = st.one_of(st.sampled_from(Annotation.Kind.values), st.text(max_size=12))
urls = st.one_of(
    st.sampled_from(["", "https://example.org/evidence", "javascript:alert(1)", "ftp://x"]),
    st.text(max_size=40),
)


def _rows() -> dict[str, int]:
    """How many rows each table of the record and the review holds."""
    models = [
        *apps.get_app_config("articles").get_models(),
        *apps.get_app_config("review").get_models(),
    ]
    return {model._meta.label: model.objects.count() for model in models}


def done_or_refused(action: Callable[[], Any]) -> Any:
    """Run a service: its result, or None after a refusal that says why and wrote nothing."""
    before = _rows()
    try:
        return action()
    except (ValidationError, services.Conflict) as refused:
        said = refused.messages if isinstance(refused, ValidationError) else [str(refused)]
        assert " ".join(said).strip()
        assert _rows() == before
        return None


@pytest.fixture
def dispute(recorded_seed: RecordResult, editor: User) -> Annotation:
    revision = recorded_seed.revision
    start = revision.body.index(DISPUTED)
    return services.annotation_create(
        revision=revision,
        author=editor,
        kind=Annotation.Kind.DISPUTED_ATTRIBUTION,
        start=start,
        end=start + len(DISPUTED),
        exact=DISPUTED,
        comment="In context it was Zelensky who asked.",
        proposed_speaker_text="Volodymyr Zelensky",
    )


@shared_fixtures
@given(
    kind=kinds,
    start=st.one_of(st.none(), st.integers(min_value=-5, max_value=6000)),
    length=st.integers(min_value=-3, max_value=300),
    exact=st.one_of(st.none(), texts),
    comment=texts,
    speaker=texts,
    url=urls,
    note=texts,
)
def test_annotating_any_selection_with_any_text_is_done_or_refused(
    recorded_seed: RecordResult,
    editor: User,
    kind: str,
    start: int | None,
    length: int,
    exact: str | None,
    comment: str,
    speaker: str,
    url: str,
    note: str,
) -> None:
    done_or_refused(
        lambda: services.annotation_create(
            revision=recorded_seed.revision,
            author=editor,
            kind=kind,
            start=start,
            end=None if start is None else start + length,
            exact=exact,
            comment=comment,
            proposed_speaker_text=speaker,
            evidence_url=url,
            evidence_note=note,
        )
    )


@shared_fixtures
@given(body=texts, edit=texts)
def test_commenting_and_editing_a_comment_with_any_text_is_done_or_refused(
    dispute: Annotation, copydesk: User, body: str, edit: str
) -> None:
    comment = done_or_refused(
        lambda: services.comment_add(annotation=dispute, author=copydesk, body=body)
    )
    if comment is not None:
        done_or_refused(lambda: services.comment_edit(comment=comment, editor=copydesk, body=edit))


@shared_fixtures
@given(move=st.sampled_from(["resolve", "reject", "reopen"]), reason=texts)
def test_moving_an_annotation_with_any_reason_is_done_or_refused(
    dispute: Annotation, editor: User, move: str, reason: str
) -> None:
    service = getattr(services, f"annotation_{move}")
    done_or_refused(lambda: service(annotation=dispute, actor=editor, reason=reason))


@shared_fixtures
@given(index=st.integers(min_value=-3, max_value=40), reason=texts)
def test_dismissing_any_flag_with_any_reason_is_done_or_refused(
    recorded_seed: RecordResult, editor: User, index: int, reason: str
) -> None:
    done_or_refused(
        lambda: services.flag_dismiss(
            revision=recorded_seed.revision, attribution_index=index, actor=editor, reason=reason
        )
    )


optional_texts = st.one_of(st.none(), texts)


@shared_fixtures
@given(
    kind=st.one_of(st.sampled_from(Correction.Kind.values), st.text(max_size=12)),
    note=texts,
    title=optional_texts,
    standfirst=optional_texts,
    byline=optional_texts,
    body=optional_texts,
    comment=texts,
)
def test_drafting_submitting_and_returning_any_correction_is_done_or_refused(
    dispute: Annotation,
    editor: User,
    copydesk: User,
    kind: str,
    note: str,
    title: str | None,
    standfirst: str | None,
    byline: str | None,
    body: str | None,
    comment: str,
) -> None:
    correction = done_or_refused(
        lambda: services.correction_draft(
            article=dispute.article,
            proposer=editor,
            annotations=[dispute],
            kind=kind,
            note=note,
            title=title,
            standfirst=standfirst,
            byline=byline,
            body=body,
        )
    )
    if correction is None:
        return
    submitted = done_or_refused(
        lambda: services.correction_submit(correction=correction, actor=editor)
    )
    if submitted is not None:
        done_or_refused(
            lambda: services.correction_return(
                correction=submitted, actor=copydesk, comment=comment
            )
        )


@settings(suppress_health_check=SHARED, max_examples=10)  # each one runs the pipeline
@given(body=texts, title=optional_texts)
def test_signing_off_a_correction_of_any_text_is_done_or_refused(
    dispute: Annotation, editor: User, copydesk: User, body: str, title: str | None
) -> None:
    """Publishing analyses the corrected text: any text, as a reporter may have typed it."""
    correction = done_or_refused(
        lambda: services.correction_draft_and_submit(
            article=dispute.article,
            proposer=editor,
            note="Corrected.",
            title=title,
            body=body,
        )
    )
    if correction is not None:
        done_or_refused(lambda: services.correction_sign_off(correction=correction, actor=copydesk))


# what the fuzzing found on PostgreSQL: a NUL character reached the database (a 500)


def test_a_comment_holding_a_nul_character_is_refused_by_the_api_with_a_422(
    dispute: Annotation, editor_client
) -> None:  # type: ignore[no-untyped-def]
    before = _rows()
    response = editor_client.post(
        f"/api/annotations/{dispute.pk}/comments",
        data={"body": "before\x00after"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"] == (
        "A comment contains a NUL character (\\x00), which text cannot hold."
    )
    assert _rows() == before


def test_a_correction_title_holding_a_nul_character_is_refused_naming_the_field(
    dispute: Annotation, editor: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.correction_draft(
            article=dispute.article, proposer=editor, note="A note.", title="Strike\x00 hits"
        )
    assert refused.value.message_dict == {
        "title": ["Contains a NUL character (\\x00), which text cannot hold; remove it."]
    }


def test_a_correction_body_longer_than_an_import_may_be_is_refused(
    dispute: Annotation, editor: User
) -> None:
    """Signing off analyses the body: the importer's limit holds for corrections too."""
    body = dispute.revision.body + "\n\n" + "word " * 30_000
    with pytest.raises(ValidationError) as refused:
        services.correction_draft(
            article=dispute.article, proposer=editor, note="A note.", body=body
        )
    words = len(body.split())
    assert refused.value.messages == [
        f"The body is {words:,} words long; bodies over 30,000 words are refused "
        "(they cannot be analysed in reasonable time)."
    ]
