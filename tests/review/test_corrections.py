"""The correction workflow's services: states and transitions, four eyes, open
disputes, stale bases and rebase, publishing, bad input, two sign-offs at once."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import resolve

from articles import analysis as nlp
from articles.ingest import CaptureDraft, read_capture
from articles.models import Activity, Revision
from articles.roles import ADMINS, COPY_DESK, EDITORS
from articles.selectors import known_names, latest_analysis_for
from articles.services import RecordResult, revision_record
from review import selectors
from review import services as svc
from review.models import (
    Annotation,
    Correction,
    CorrectionEvent,
    Notification,
    Placement,
    StatusChange,
)
from review.roles import roles_ensure
from review.services import Conflict
from tests.conftest import PASSWORD, SEED_PATH, corrected_seed_text

States = Correction.State
DISPUTED = "Putin asked for two Patriot batteries"
NOTE = "An earlier version of this article said Putin asked for two Patriot batteries. It was Zelensky."

#: The seed's analysis, computed by the real model in the first test that records
#: the seed and reused after that (it depends only on the text and the registry).
_SEED_ANALYSIS: dict[str, Any] = {}


# --------------------------------------------------------------------------
# fixtures and helpers


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """These tests create several users each and never log in: skip the slow hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """conftest's ``make_user``, setting up the groups only when they are missing
    (after a transactional test's flush), not once per user."""

    def make(username: str, group: str | None = None, *, staff: bool = False) -> User:
        if Group.objects.filter(name__in=[ADMINS, COPY_DESK, EDITORS]).count() < 3:
            roles_ensure()
        user = User.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def seed(db: None, seed_draft: CaptureDraft) -> RecordResult:
    """The seed article recorded as revision 1 (analysed once per test session)."""
    result = revision_record(
        draft=seed_draft, filename=SEED_PATH.name, analysis=_SEED_ANALYSIS.get("seed")
    )
    if "seed" not in _SEED_ANALYSIS:
        analysis = latest_analysis_for(result.revision)
        assert analysis is not None
        _SEED_ANALYSIS["seed"] = analysis.as_dict()
    return result


def _with_email(user: User) -> User:
    user.email = f"{user.username}@newsroom.example"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def proposer(editor: User) -> User:
    return _with_email(editor)


@pytest.fixture
def signer(copydesk: User) -> User:
    return _with_email(copydesk)


@pytest.fixture
def annotator(make_user: Callable[..., User]) -> User:
    return _with_email(make_user("ann", "Editors"))


def dispute_on(
    revision: Revision, author: User, exact: str = DISPUTED, speaker: str = "Volodymyr Zelensky"
) -> Annotation:
    return svc.annotation_create(
        revision=revision,
        author=author,
        kind="disputed_attribution",
        start=None,
        end=None,
        exact=exact,
        comment="In context it was Zelensky who asked.",
        proposed_speaker_text=speaker,
    )


@pytest.fixture
def dispute(seed: RecordResult, annotator: User) -> Annotation:
    return dispute_on(seed.revision, annotator)


@pytest.fixture
def draft(seed: RecordResult, proposer: User, dispute: Annotation) -> Correction:
    return svc.correction_draft(
        article=seed.article, proposer=proposer, annotations=[dispute], note=NOTE
    )


def record_newer(revision: Revision, **fields: Any) -> Revision:
    """Record the next revision with only page fields changed (the same body, so
    the stored analysis is reused)."""
    analysis = latest_analysis_for(revision)
    assert analysis is not None
    values = {
        "title": revision.title,
        "body": revision.body,
        "standfirst": revision.standfirst,
        "byline": revision.byline,
        "published": revision.stated_published_at,
        **fields,
    }
    return revision_record(
        draft=CaptureDraft(**values),
        filename="newer.txt",
        analysis=analysis.as_dict(),
        article=revision.article,
    ).revision


def reload(correction: Correction) -> Correction:
    return Correction.objects.get(pk=correction.pk)


def events(correction: Correction) -> list[tuple[str, str]]:
    return [(e.old_state, e.new_state) for e in correction.events.order_by("id")]


def verbs(correction: Correction) -> list[str]:
    return list(
        Activity.objects.filter(detail__correction=correction.pk)
        .order_by("id")
        .values_list("verb", flat=True)
    )


def in_state(correction: Correction, state: str, *, proposer: User, signer: User) -> Correction:
    """Bring a fresh draft into ``state`` through the services."""
    if state == States.DRAFT:
        return correction
    if state == States.WITHDRAWN:
        return svc.correction_withdraw(correction=correction, actor=proposer)
    correction = svc.correction_submit(correction=correction, actor=proposer)
    if state == States.RETURNED:
        return svc.correction_return(correction=correction, actor=signer, comment="Cite a source.")
    if state == States.PUBLISHED:
        return svc.correction_sign_off(correction=correction, actor=signer)
    if state == States.SIGNED_OFF:
        # No service leaves a correction signed off (sign-off publishes in the same
        # transaction), so this state can only be met by writing it directly.
        Correction.objects.filter(pk=correction.pk).update(state=States.SIGNED_OFF)
        return reload(correction)
    assert state == States.SUBMITTED
    return correction


def world() -> dict[str, Any]:
    """Everything a refused action must leave as it was."""
    return {
        "corrections": list(Correction.objects.order_by("pk").values()),
        "settles": list(Correction.annotations.through.objects.order_by("pk").values()),
        "events": CorrectionEvent.objects.count(),
        "activity": Activity.objects.count(),
        "revisions": Revision.objects.count(),
        "notifications": Notification.objects.count(),
        "annotations": list(Annotation.objects.order_by("pk").values("pk", "status")),
        "status_changes": StatusChange.objects.count(),
        "placements": Placement.objects.count(),
    }


# --------------------------------------------------------------------------
# every transition, legal and illegal


def _edit(correction: Correction, actor: User) -> Correction:
    return svc.correction_update(
        correction=correction,
        actor=actor,
        note=NOTE + " We apologise for the error.",
        title=correction.title,
        standfirst=correction.standfirst,
        byline=correction.byline,
        body=correction.body,
    )


ACTIONS: dict[str, Callable[[Correction, User, User], Correction]] = {
    "submit": lambda c, proposer, signer: svc.correction_submit(correction=c, actor=proposer),
    "return": lambda c, proposer, signer: svc.correction_return(
        correction=c, actor=signer, comment="Which source says so?"
    ),
    "revise": lambda c, proposer, signer: svc.correction_revise(correction=c, actor=proposer),
    "withdraw": lambda c, proposer, signer: svc.correction_withdraw(
        correction=c, actor=proposer, reason="Not needed."
    ),
    "sign_off": lambda c, proposer, signer: svc.correction_sign_off(correction=c, actor=signer),
    "update": lambda c, proposer, signer: _edit(c, proposer),
    "rebase": lambda c, proposer, signer: svc.correction_rebase(correction=c, actor=proposer),
}

#: (state, action) -> (the state after, the CorrectionEvents written, the Activity verb)
LEGAL: dict[tuple[str, str], tuple[str, list[tuple[str, str]], str]] = {
    ("draft", "submit"): ("submitted", [("draft", "submitted")], "correction.submitted"),
    ("submitted", "return"): ("returned", [("submitted", "returned")], "correction.returned"),
    ("returned", "revise"): ("draft", [("returned", "draft")], "correction.revised"),
    ("draft", "withdraw"): ("withdrawn", [("draft", "withdrawn")], "correction.withdrawn"),
    ("returned", "withdraw"): ("withdrawn", [("returned", "withdrawn")], "correction.withdrawn"),
    ("submitted", "sign_off"): (
        "published",
        [("submitted", "signed_off"), ("signed_off", "published")],
        "correction.published",
    ),
    ("draft", "update"): ("draft", [], "correction.edited"),
    ("returned", "update"): ("draft", [("returned", "draft")], "correction.edited"),
    ("draft", "rebase"): ("draft", [], "correction.rebased"),
    ("returned", "rebase"): ("draft", [("returned", "draft")], "correction.rebased"),
    ("submitted", "rebase"): ("draft", [("submitted", "draft")], "correction.rebased"),
}
ILLEGAL = [(s, a) for s in States.values for a in ACTIONS if (s, a) not in LEGAL]
ACTION_WORDS = {
    "submit": "submitted",
    "return": "returned",
    "revise": "revised",
    "withdraw": "withdrawn",
    "sign_off": "signed off",
    "update": "edited",
    "rebase": "rebased",
}


def _prepare(correction: Correction, action: str) -> None:
    if action == "rebase":  # a rebase needs a newer revision to move onto
        latest = correction.article.revisions.order_by("-number").first()
        record_newer(latest, title="Blinken in Kyiv: aid is on its way")


@pytest.mark.parametrize(("state", "action"), list(LEGAL), ids=[f"{s}-{a}" for s, a in LEGAL])
def test_legal_transition(draft, proposer, signer, state: str, action: str) -> None:
    correction = in_state(draft, state, proposer=proposer, signer=signer)
    _prepare(correction, action)
    before = events(correction)
    expected_state, expected_events, verb = LEGAL[(state, action)]

    result = ACTIONS[action](correction, proposer, signer)

    assert result.state == expected_state
    assert reload(correction).state == expected_state
    assert events(correction)[len(before) :] == expected_events
    assert verbs(correction)[-1] == verb


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_illegal_transition_is_refused_and_changes_nothing(
    draft, proposer, signer, state: str, action: str
) -> None:
    correction = in_state(draft, state, proposer=proposer, signer=signer)
    _prepare(correction, action)
    label = States(state).label.lower()
    before = world()

    with pytest.raises(Conflict) as refused:
        ACTIONS[action](correction, proposer, signer)

    assert str(refused.value) == (
        f"This correction is {label}: it cannot be {ACTION_WORDS[action]}."
    )
    assert world() == before


def test_a_correction_has_the_six_states_of_the_workflow() -> None:
    assert States.values == [
        "draft",
        "submitted",
        "signed_off",
        "published",
        "returned",
        "withdrawn",
    ]


# --------------------------------------------------------------------------
# drafting and the proposed text


def test_draft_substitutes_the_proposed_speaker_in_place(draft, seed) -> None:
    assert "Zelensky asked for two Patriot batteries" in draft.body
    assert "Putin asked" not in draft.body
    assert draft.body == seed.revision.body.replace("Putin asked", "Zelensky asked")


def test_proposed_body_keeps_a_full_name_when_the_text_used_one(seed, annotator) -> None:
    annotation = dispute_on(
        seed.revision,
        annotator,
        exact="US Secretary of State Antony Blinken to pledge",
        speaker="Lloyd Austin",
    )
    body = svc.proposed_body(seed.revision, [annotation])
    assert "prompting Lloyd Austin to pledge unflinching support" in body


def test_draft_is_based_on_the_latest_revision_with_its_text(draft, seed) -> None:
    assert draft.state == States.DRAFT
    assert draft.base_revision == seed.revision
    assert (draft.title, draft.byline) == (seed.revision.title, seed.revision.byline)
    assert events(draft) == [("", "draft")]
    assert verbs(draft) == ["correction.drafted"]


def test_two_disputes_of_one_speaker_substitute_it_once(
    seed, proposer, annotator, make_user
) -> None:
    """Two editors dispute the same attribution; the correction settles both."""
    second = dispute_on(seed.revision, make_user("bo", "Editors"))
    first = dispute_on(seed.revision, annotator)
    correction = svc.correction_draft(
        article=seed.article, proposer=proposer, annotations=[first, second], note=NOTE
    )
    assert correction.body == seed.revision.body.replace("Putin asked", "Zelensky asked")


def test_disputes_proposing_different_speakers_for_one_speaker_are_refused(
    seed, proposer, annotator
) -> None:
    first = dispute_on(seed.revision, annotator)
    second = dispute_on(seed.revision, proposer, speaker="Dmytro Kuleba")
    with pytest.raises(ValidationError, match="different speakers"):
        svc.correction_draft(
            article=seed.article, proposer=proposer, annotations=[first, second], note=NOTE
        )
    assert not Correction.objects.exists()


def test_draft_places_an_annotation_of_an_older_revision_first(seed, proposer, dispute) -> None:
    """Revision 2 was recorded after the dispute and nobody has read it yet."""
    newer = record_newer(seed.revision, title="Blinken in Kyiv: aid is on its way")
    correction = svc.correction_draft(
        article=seed.article, proposer=proposer, annotations=[dispute], note=NOTE
    )
    assert correction.base_revision == newer
    assert correction.body == newer.body.replace("Putin asked", "Zelensky asked")


def test_draft_on_a_later_revision_finds_a_speaker_outside_the_selection(
    seed, proposer, annotator
) -> None:
    """The editor selected only the reported claim; the speaker lies just before it."""
    claim = dispute_on(seed.revision, annotator, exact="asked for two Patriot batteries")
    assert claim.attribution["speaker"]["text"] == "Putin"
    newer = record_newer(seed.revision, title="Blinken in Kyiv: aid is on its way")
    correction = svc.correction_draft(
        article=seed.article, proposer=proposer, annotations=[claim], note=NOTE
    )
    assert correction.body == newer.body.replace("Putin asked", "Zelensky asked")


# --------------------------------------------------------------------------
# bad input: a clear message, nothing written


def test_draft_without_a_note_is_refused(seed, proposer, dispute) -> None:
    before = world()
    with pytest.raises(ValidationError, match="A public note is required"):
        svc.correction_draft(
            article=seed.article, proposer=proposer, annotations=[dispute], note="  "
        )
    assert world() == before


def test_draft_with_an_unchanged_text_is_refused(seed, proposer) -> None:
    before = world()
    with pytest.raises(ValidationError, match="the same as revision 1"):
        svc.correction_draft(article=seed.article, proposer=proposer, note=NOTE)
    assert world() == before


def test_draft_with_an_annotation_of_another_article_is_refused(seed, proposer, annotator) -> None:
    other = revision_record(
        draft=read_capture(
            b"Harbour reopens\n\nThe harbour reopened on Monday, the port authority said.\n",
            filename="harbour.txt",
        ),
        filename="harbour.txt",
    )
    foreign = svc.annotation_create(
        revision=other.revision,
        author=annotator,
        kind="fact",
        start=None,
        end=None,
        exact="reopened on Monday",
        comment="It was Tuesday.",
    )
    before = world()
    with pytest.raises(ValidationError, match=f"Annotation {foreign.pk} belongs to another"):
        svc.correction_draft(
            article=seed.article,
            proposer=proposer,
            annotations=[foreign],
            note=NOTE,
            body=seed.revision.body.replace("Putin asked", "Zelensky asked"),
        )
    assert world() == before


def test_update_with_an_empty_note_is_refused(draft, proposer) -> None:
    before = world()
    with pytest.raises(ValidationError, match="A public note is required"):
        svc.correction_update(
            correction=draft,
            actor=proposer,
            note="",
            title=draft.title,
            standfirst=draft.standfirst,
            byline=draft.byline,
            body=draft.body,
        )
    assert world() == before


def test_update_back_to_the_base_text_is_refused(draft, proposer, seed) -> None:
    before = world()
    with pytest.raises(ValidationError, match="the same as revision 1"):
        svc.correction_update(
            correction=draft,
            actor=proposer,
            note=NOTE,
            title=draft.title,
            standfirst=draft.standfirst,
            byline=draft.byline,
            body=seed.revision.body,
        )
    assert world() == before


def test_return_without_a_comment_is_refused(draft, proposer, signer) -> None:
    submitted = svc.correction_submit(correction=draft, actor=proposer)
    before = world()
    with pytest.raises(ValidationError, match="A comment is required"):
        svc.correction_return(correction=submitted, actor=signer, comment=" ")
    assert world() == before
    assert reload(draft).state == States.SUBMITTED


def test_return_tells_the_proposer_why(draft, proposer, signer) -> None:
    submitted = svc.correction_submit(correction=draft, actor=proposer)
    svc.correction_return(correction=submitted, actor=signer, comment="Which source says so?")
    event = draft.events.order_by("id").last()
    assert (event.new_state, event.comment, event.by) == (
        "returned",
        "Which source says so?",
        signer,
    )
    note = Notification.objects.get(recipient=proposer, correction=draft)
    assert "Which source says so?" in note.summary


def test_annotations_by_ids_returns_them_in_the_order_given(seed, annotator) -> None:
    first = dispute_on(seed.revision, annotator)
    second = dispute_on(seed.revision, annotator, exact="Zelensky acknowledged Russian gains")
    found = selectors.annotations_by_ids(seed.article, [second.pk, first.pk, second.pk])
    assert found == [second, first]


def test_annotations_by_ids_names_the_unknown_ids(seed, dispute) -> None:
    missing = [dispute.pk + 1, dispute.pk + 2]
    with pytest.raises(ValidationError) as refused:
        selectors.annotations_by_ids(seed.article, [dispute.pk, *missing])
    assert refused.value.messages == [f"Unknown annotation(s): {missing[0]}, {missing[1]}."]


def test_annotations_by_ids_refuses_an_annotation_of_another_article(
    seed, dispute, annotator
) -> None:
    other = revision_record(
        draft=read_capture(
            b"Harbour reopens\n\nThe harbour reopened on Monday.\n", filename="h.txt"
        ),
        filename="h.txt",
    ).article
    with pytest.raises(ValidationError) as refused:
        selectors.annotations_by_ids(other, [dispute.pk])
    assert refused.value.messages == [f"Annotation {dispute.pk} belongs to another article."]


# --------------------------------------------------------------------------
# who may do what: four eyes


@pytest.fixture
def submitted(draft, proposer) -> Correction:
    return svc.correction_submit(correction=draft, actor=proposer)


def test_an_editor_cannot_sign_off(submitted, make_user) -> None:
    before = world()
    with pytest.raises(PermissionDenied, match="Only the copy desk and admins"):
        svc.correction_sign_off(correction=submitted, actor=make_user("ed2", "Editors"))
    assert world() == before


def test_an_editor_cannot_return(submitted, make_user) -> None:
    with pytest.raises(PermissionDenied):
        svc.correction_return(
            correction=submitted, actor=make_user("ed2", "Editors"), comment="No."
        )
    assert reload(submitted).state == States.SUBMITTED


def test_the_copy_desk_never_signs_off_its_own_correction(seed, signer, dispute) -> None:
    own = svc.correction_draft(
        article=seed.article, proposer=signer, annotations=[dispute], note=NOTE
    )
    svc.correction_submit(correction=own, actor=signer)
    before = world()
    with pytest.raises(PermissionDenied, match="own correction"):
        svc.correction_sign_off(correction=own, actor=signer)
    assert world() == before


def test_an_admin_never_signs_off_their_own_correction(seed, admin_user, dispute) -> None:
    own = svc.correction_draft(
        article=seed.article, proposer=admin_user, annotations=[dispute], note=NOTE
    )
    svc.correction_submit(correction=own, actor=admin_user)
    before = world()
    with pytest.raises(PermissionDenied, match="own correction"):
        svc.correction_sign_off(correction=own, actor=admin_user)
    assert world() == before


def test_nobody_returns_their_own_correction(seed, signer, dispute) -> None:
    own = svc.correction_draft(
        article=seed.article, proposer=signer, annotations=[dispute], note=NOTE
    )
    svc.correction_submit(correction=own, actor=signer)
    with pytest.raises(PermissionDenied, match="own correction"):
        svc.correction_return(correction=own, actor=signer, comment="Hm.")


def test_an_admin_signs_off_a_colleagues_correction(submitted, admin_user) -> None:
    published = svc.correction_sign_off(correction=submitted, actor=admin_user)
    assert (published.state, published.reviewer) == (States.PUBLISHED, admin_user)


def test_only_the_proposer_submits_a_draft(draft, make_user) -> None:
    with pytest.raises(PermissionDenied, match="Only the proposer"):
        svc.correction_submit(correction=draft, actor=make_user("ed2", "Editors"))
    assert reload(draft).state == States.DRAFT


def test_only_the_proposer_withdraws_a_draft(draft, signer) -> None:
    with pytest.raises(PermissionDenied, match="Only the proposer"):
        svc.correction_withdraw(correction=draft, actor=signer)
    assert reload(draft).state == States.DRAFT


def test_a_user_outside_the_newsroom_cannot_draft(seed, reader, dispute) -> None:
    with pytest.raises(PermissionDenied):
        svc.correction_draft(
            article=seed.article, proposer=reader, annotations=[dispute], note=NOTE
        )
    assert not Correction.objects.exists()


def test_the_database_refuses_a_signer_who_is_the_proposer(draft, proposer) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.filter(pk=draft.pk).update(reviewer=proposer)
    assert reload(draft).reviewer is None


# --------------------------------------------------------------------------
# other open disputes


@pytest.fixture
def other_dispute(seed, proposer) -> Annotation:
    return dispute_on(seed.revision, proposer, exact="Zelensky acknowledged Russian gains")


def test_sign_off_is_refused_while_another_dispute_is_open(
    submitted, signer, other_dispute
) -> None:
    before = world()
    with pytest.raises(Conflict) as refused:
        svc.correction_sign_off(correction=submitted, actor=signer)
    assert f"#{other_dispute.pk} “Zelensky acknowledged Russian gains”" in str(refused.value)
    assert "reason for overriding" in str(refused.value)
    assert world() == before


def test_sign_off_with_an_override_reason_publishes_and_records_it(
    submitted, signer, other_dispute
) -> None:
    reason = "The other dispute is about a different paragraph; it goes in a second correction."
    published = svc.correction_sign_off(
        correction=submitted, actor=signer, override_reason=f"  {reason} "
    )
    assert published.state == States.PUBLISHED
    assert reload(published).override_reason == reason
    activity = Activity.objects.get(verb="correction.published")
    assert activity.detail["override_reason"] == reason
    assert "overriding 1 open dispute" in activity.summary
    assert Annotation.objects.get(pk=other_dispute.pk).status == Annotation.Status.OPEN


def test_an_open_annotation_of_another_kind_does_not_block_sign_off(
    submitted, signer, seed, proposer
) -> None:
    svc.annotation_create(
        revision=seed.revision,
        author=proposer,
        kind="style",
        start=None,
        end=None,
        exact="aggressively waging retaliation",
        comment="Clumsy.",
    )
    assert svc.correction_sign_off(correction=submitted, actor=signer).state == States.PUBLISHED


def test_unsettled_disputes_lists_only_the_open_disputes_it_does_not_settle(
    draft, dispute, other_dispute
) -> None:
    assert svc.unsettled_disputes(draft) == [other_dispute]


# --------------------------------------------------------------------------
# a stale base, and rebase


def test_sign_off_on_a_stale_base_is_refused_with_a_clear_message(submitted, signer, seed):
    record_newer(seed.revision, title="Blinken in Kyiv: aid is on its way")
    before = world()
    with pytest.raises(Conflict) as refused:
        svc.correction_sign_off(correction=submitted, actor=signer)
    assert str(refused.value) == (
        "This correction is based on revision 1, but the latest is revision 2: "
        "rebase it onto the latest first."
    )
    assert world() == before


def test_a_rebased_correction_signs_off_and_keeps_the_later_revision(
    submitted, proposer, signer, seed
) -> None:
    newer = record_newer(seed.revision, title="Blinken in Kyiv: aid is on its way")
    rebased = svc.correction_rebase(correction=submitted, actor=proposer)
    assert (rebased.base_revision, rebased.state) == (newer, States.DRAFT)
    svc.correction_submit(correction=rebased, actor=proposer)

    published = svc.correction_sign_off(correction=rebased, actor=signer)

    revision = published.published_revision
    assert revision.number == 3
    assert revision.title == "Blinken in Kyiv: aid is on its way"
    assert revision.body == seed.revision.body.replace("Putin asked", "Zelensky asked")


def test_rebase_carries_a_hand_edit_onto_the_later_text(seed, proposer, dispute) -> None:
    """The proposer edited the text by hand; the later revision changed another paragraph."""
    base = seed.revision
    hand = base.body.replace("Putin asked", "Zelensky, however, asked")
    correction = svc.correction_draft(
        article=seed.article, proposer=proposer, annotations=[dispute], note=NOTE, body=hand
    )
    later_body = base.body.replace("halting the continued", "stopping the continued")
    later = revision_record(
        draft=CaptureDraft(title=base.title, body=later_body, byline=base.byline),
        filename="later.txt",
        article=seed.article,
    ).revision

    rebased = svc.correction_rebase(correction=correction, actor=proposer)

    assert rebased.base_revision == later
    assert rebased.body == later_body.replace("Putin asked", "Zelensky, however, asked")


def test_rebase_is_refused_when_the_later_revision_changed_the_same_passage(
    seed, proposer, dispute
) -> None:
    base = seed.revision
    correction = svc.correction_draft(
        article=seed.article,
        proposer=proposer,
        annotations=[dispute],
        note=NOTE,
        body=base.body.replace("Putin asked", "Zelensky, however, asked"),
    )
    revision_record(
        draft=CaptureDraft(
            title=base.title,
            body=base.body.replace("for the Kharkiv area, which", "for the Kharkiv region, which"),
            byline=base.byline,
        ),
        filename="later.txt",
        article=seed.article,
    )
    before = world()
    with pytest.raises(Conflict) as refused:
        svc.correction_rebase(correction=correction, actor=proposer)
    assert str(refused.value) == (
        "Revision 2 changed the same passage of the text as this correction: "
        "withdraw it and draft a new one on revision 2."
    )
    assert world() == before


def test_rebase_onto_a_revision_that_already_corrects_it_is_refused(
    draft, proposer, seed_text
) -> None:
    revision_record(
        draft=read_capture(corrected_seed_text(seed_text).encode(), filename="corrected.txt"),
        filename="corrected.txt",
        article=draft.article,
    )
    before = world()
    with pytest.raises(Conflict, match="already reads as this correction proposes"):
        svc.correction_rebase(correction=draft, actor=proposer)
    assert world() == before


def test_rebase_onto_the_same_revision_is_refused(draft, proposer) -> None:
    with pytest.raises(Conflict, match="already based on the latest revision"):
        svc.correction_rebase(correction=draft, actor=proposer)


# --------------------------------------------------------------------------
# publishing


@pytest.fixture
def published(submitted, signer, seed, proposer, django_capture_on_commit_callbacks) -> Correction:
    """Signed off with another (non-dispute) annotation open, e-mails sent after commit."""
    svc.annotation_create(
        revision=seed.revision,
        author=proposer,
        kind="fact",
        start=None,
        end=None,
        exact="$61 billion financial aid package for Ukraine",
        comment="Check the figure.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        return svc.correction_sign_off(correction=submitted, actor=signer)


def test_sign_off_publishes_a_correction_revision(published, seed, signer) -> None:
    revision = published.published_revision
    assert revision.number == 2
    assert revision.origin == Revision.Origin.CORRECTION
    assert revision.body == published.body
    assert "Zelensky asked for two Patriot batteries" in revision.body
    assert revision.note == NOTE
    assert revision.author == signer
    assert revision.title == seed.revision.title


def test_sign_off_ends_published_with_events_for_both_steps(published, signer) -> None:
    correction = reload(published)
    assert correction.state == States.PUBLISHED
    assert correction.reviewer == signer
    assert correction.published_at is not None
    assert events(correction)[-2:] == [("submitted", "signed_off"), ("signed_off", "published")]
    assert {e.by for e in correction.events.filter(new_state__in=["signed_off", "published"])} == {
        signer
    }


def test_publishing_resolves_the_settled_annotation(published, dispute, signer) -> None:
    annotation = Annotation.objects.get(pk=dispute.pk)
    assert annotation.status == Annotation.Status.RESOLVED
    change = StatusChange.objects.get(annotation=dispute)
    assert (change.old_status, change.new_status, change.by) == ("open", "resolved", signer)
    assert "revision 2" in change.reason


def test_publishing_places_the_other_open_annotations_on_the_new_revision(published) -> None:
    fact = Annotation.objects.get(kind="fact")
    placement = Placement.objects.get(annotation=fact, revision=published.published_revision)
    assert placement.state == Placement.State.CARRIED
    assert placement.text == "$61 billion financial aid package for Ukraine"
    assert not Placement.objects.filter(
        annotation__kind="disputed_attribution", revision=published.published_revision
    ).exists()


def test_every_action_is_in_the_activity_log(published, signer) -> None:
    assert verbs(published) == [
        "correction.drafted",
        "correction.submitted",
        "correction.published",
    ]
    activity = Activity.objects.get(verb="correction.published")
    assert (activity.actor, activity.revision) == (signer, published.published_revision)
    assert Activity.objects.filter(verb="annotation.resolved", actor=signer).count() == 1


def test_publishing_notifies_the_proposer_and_the_annotator_once_each(
    published, proposer, annotator
) -> None:
    since = published.published_at
    notified = Notification.objects.filter(created_at__gte=since).order_by("recipient__username")
    assert [(n.recipient, n.verb, n.correction) for n in notified] == [
        (annotator, Notification.Verb.CORRECTION, published),
        (proposer, Notification.Verb.CORRECTION, published),
    ]
    assert all(resolve(n.url.split("?")[0]) for n in notified)


def test_publishing_emails_the_proposer_and_the_annotator_once_each(published, mailoutbox) -> None:
    assert sorted(a for m in mailoutbox for a in m.to) == [
        "ann@newsroom.example",
        "eda@newsroom.example",
    ]
    assert all("published as revision 2" in m.subject for m in mailoutbox)


def test_publishing_notifies_a_commenter_of_the_settled_annotation(
    submitted, signer, dispute, make_user
) -> None:
    """Someone who only took part in the thread hears that the annotation was resolved."""
    commenter = make_user("cora", "Editors")
    svc.comment_add(annotation=dispute, author=commenter, body="Agreed, it was Zelensky.")
    svc.correction_sign_off(correction=submitted, actor=signer)
    assert list(
        Notification.objects.filter(recipient=commenter).values_list("verb", flat=True)
    ) == [Notification.Verb.STATUS]


def test_e_mail_waits_for_the_commit(
    submitted, signer, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svc.correction_sign_off(correction=submitted, actor=signer)
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert any("published as revision 2" in m.subject for m in mailoutbox)


def test_compare_shows_the_speaker_changed(published, seed) -> None:
    changes = selectors.compare(seed.revision, published.published_revision)["attribution_changes"]
    speaker_changes = [
        (c.old_speaker, c.new_speaker) for c in changes if c.kind == "speaker-changed"
    ]
    assert speaker_changes == [("Putin", "Zelensky")]


def test_a_correction_changed_after_its_analysis_is_not_published(submitted, signer) -> None:
    """Returned, reworked and resubmitted while the first sign-off analysed the old text."""
    before = world()
    with (
        pytest.raises(Conflict, match="changed while it was being signed off"),
        transaction.atomic(),
    ):
        svc._sign_off_locked(submitted, signer, "", "The text as it was analysed.", {})
    assert world() == before


# --------------------------------------------------------------------------
# two sign-offs at the same moment


def _submitted_on_postgres(make_user, seed_draft) -> tuple[Correction, list[User]]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op)")
    proposer = make_user("eda", "Editors")
    signers = [make_user("cal", "Copy desk"), make_user("cy", "Copy desk")]
    seed = revision_record(
        draft=seed_draft, filename=SEED_PATH.name, analysis=_SEED_ANALYSIS.get("seed")
    )
    correction = svc.correction_draft(
        article=seed.article,
        proposer=proposer,
        annotations=[dispute_on(seed.revision, proposer)],
        note=NOTE,
    )
    return svc.correction_submit(correction=correction, actor=proposer), signers


def _race(sign_offs: list[Callable[[], object]]) -> list[str]:
    """Run the calls in threads released together; each thread has its own connection."""
    barrier = threading.Barrier(len(sign_offs))
    outcomes: list[str] = []

    def run(sign_off: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            sign_off()
            outcomes.append("published")
        except Conflict as conflict:
            outcomes.append(f"Conflict: {conflict}")
        except Exception as error:  # any other outcome fails the caller's assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(s,)) for s in sign_offs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes)


def _published_once(correction: Correction, outcomes: list[str]) -> None:
    assert outcomes == [
        "Conflict: This correction is published: it cannot be signed off.",
        "published",
    ]
    assert Revision.objects.filter(article=correction.article, origin="correction").count() == 1
    assert reload(correction).state == States.PUBLISHED
    assert CorrectionEvent.objects.filter(correction=correction, new_state="published").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sign_offs_publish_once(make_user, seed_draft) -> None:
    correction, signers = _submitted_on_postgres(make_user, seed_draft)
    outcomes = _race(
        [
            functools.partial(svc.correction_sign_off, correction=correction, actor=signer)
            for signer in signers
        ]
    )
    _published_once(correction, outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sign_offs_inside_the_locked_section_at_once_publish_once(
    make_user, seed_draft
) -> None:
    """The analysis runs one at a time per process, so the race above rarely overlaps
    the writes; here both threads enter the locked section at the same moment."""
    correction, signers = _submitted_on_postgres(make_user, seed_draft)
    analysis = nlp.analyse_text(correction.body, known=known_names())

    def locked(signer: User) -> None:
        with transaction.atomic():
            svc._sign_off_locked(correction, signer, "", correction.body, analysis)

    outcomes = _race([functools.partial(locked, signer) for signer in signers])
    _published_once(correction, outcomes)
