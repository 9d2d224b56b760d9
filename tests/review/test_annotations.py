"""Annotation services: anchoring, threads, status, flags, mentions and placements."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles.ingest import read_capture
from articles.models import Activity, Person
from articles.services import revision_record
from review import services
from review.models import (
    Annotation,
    Comment,
    CommentVersion,
    FlagDecision,
    Notification,
    Placement,
)
from review.services import Conflict
from tests.conftest import corrected_seed_text

pytestmark = pytest.mark.django_db

PUTIN = "Putin asked for two Patriot batteries"


def dispute(revision, author, **extra):
    values = {
        "kind": "disputed_attribution",
        "start": None,
        "end": None,
        "exact": PUTIN,
        "comment": "In context it was Zelensky who asked.",
        "proposed_speaker_text": "Volodymyr Zelensky",
    }
    values.update(extra)
    return services.annotation_create(revision=revision, author=author, **values)


def putin_index(revision) -> int:
    attributions = revision.analyses.first().attributions
    return next(
        i for i, a in enumerate(attributions) if (a["speaker"] or {}).get("text") == "Putin"
    )


def macron_index(revision) -> int:
    attributions = revision.analyses.first().attributions
    return next(i for i, a in enumerate(attributions) if a.get("speaker_name") == "Emmanuel Macron")


def test_a_dispute_keeps_the_attribution_as_written_and_the_proposed_speaker(
    recorded_seed, editor
) -> None:
    revision = recorded_seed.revision
    annotation = dispute(revision, editor)
    assert revision.body[annotation.start : annotation.end] == PUTIN
    assert annotation.attribution["speaker"]["text"] == "Putin"
    assert annotation.attribution["cue"]["text"] == "asked"
    assert annotation.proposed_speaker == "Volodymyr Zelensky"
    assert annotation.status == Annotation.Status.OPEN
    assert [c.body for c in annotation.comments.all()] == ["In context it was Zelensky who asked."]


def test_the_anchor_holds_exact_prefix_and_suffix(recorded_seed, editor) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    assert annotation.exact == PUTIN
    assert annotation.prefix.endswith("In particular, ")
    assert annotation.suffix.startswith(" for the Kharkiv area")


def test_a_dispute_can_propose_a_person_from_the_registry(recorded_seed, editor) -> None:
    zelensky = Person.objects.create(name="Volodymyr Zelensky")
    annotation = dispute(
        recorded_seed.revision, editor, proposed_person=zelensky, proposed_speaker_text=""
    )
    assert annotation.proposed_person == zelensky
    assert annotation.proposed_speaker == "Volodymyr Zelensky"


def test_each_action_writes_an_activity_row(recorded_seed, editor, copydesk) -> None:
    before = Activity.objects.count()
    annotation = dispute(recorded_seed.revision, editor)
    services.comment_add(annotation=annotation, author=copydesk, body="Agreed.")
    services.annotation_resolve(annotation=annotation, actor=editor, reason="Fixed upstream.")
    verbs = list(Activity.objects.order_by("id").values_list("verb", flat=True)[before:])
    assert verbs == ["annotation.created", "comment.added", "annotation.resolved"]
    created = Activity.objects.get(verb="annotation.created")
    assert created.summary.startswith("eda disputed the attribution “Putin asked")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"comment": "   "}, "A comment is required."),
        ({"start": 5, "end": 999_999, "exact": None}, "outside the text"),
        ({"start": 0, "end": 37, "exact": "Something the page never said at all"}, "has changed"),
        ({"exact": "Blinken"}, "occurs"),
        ({"exact": "Nobody wrote this"}, "does not occur"),
        ({"kind": "gossip"}, "Unknown kind"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    recorded_seed, editor, extra, message
) -> None:
    with pytest.raises(ValidationError) as error:
        dispute(recorded_seed.revision, editor, **extra)
    assert message in " ".join(error.value.messages)
    assert Annotation.objects.count() == 0
    assert Comment.objects.count() == 0
    assert not Activity.objects.filter(verb__startswith="annotation").exists()


def test_a_selection_whose_offsets_drifted_is_found_nearby(recorded_seed, editor) -> None:
    body = recorded_seed.revision.body
    at = body.index(PUTIN)
    annotation = dispute(recorded_seed.revision, editor, start=at + 3, end=at + 3 + len(PUTIN))
    assert (annotation.start, annotation.end) == (at, at + len(PUTIN))


def test_users_outside_the_newsroom_cannot_annotate(recorded_seed, reader) -> None:
    with pytest.raises(PermissionDenied):
        dispute(recorded_seed.revision, reader)
    assert Annotation.objects.count() == 0


def test_a_mention_notifies_that_user_and_nobody_else(recorded_seed, editor, copydesk) -> None:
    dispute(recorded_seed.revision, editor, comment="@cal can you check? @eda @nobody")
    notes = list(Notification.objects.values_list("recipient__username", "verb"))
    assert notes == [("cal", "mention")]


def test_participants_are_notified_of_replies_once(
    recorded_seed, editor, copydesk, make_user
) -> None:
    third = make_user("tom", "Editors")
    annotation = dispute(recorded_seed.revision, editor)
    services.comment_add(annotation=annotation, author=copydesk, body="Checking the wire copy.")
    services.comment_add(
        annotation=annotation, author=third, body="@cal the AFP text says Zelensky."
    )
    received = sorted(Notification.objects.values_list("recipient__username", "verb"))
    # eda: two replies; cal: mentioned (not also "replied") by tom.
    assert received == [("cal", "mention"), ("eda", "reply"), ("eda", "reply")]


def test_notification_email_goes_out_after_commit(
    recorded_seed, editor, copydesk, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    copydesk.email = "cal@newsroom.test"
    copydesk.save()
    with django_capture_on_commit_callbacks(execute=True):
        dispute(recorded_seed.revision, editor, comment="@cal please look")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["cal@newsroom.test"]
    assert "?annotation=" in mailoutbox[0].body


def test_an_assignee_is_notified(recorded_seed, editor, copydesk) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    services.annotation_assign(annotation=annotation, actor=editor, assignee=copydesk)
    assert Notification.objects.filter(recipient=copydesk, verb="assigned").count() == 1
    annotation.refresh_from_db()
    assert annotation.assignee == copydesk


def test_editing_a_comment_keeps_every_earlier_version(recorded_seed, editor) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    comment = annotation.comments.get()
    services.comment_edit(comment=comment, editor=editor, body="Zelensky asked: see AFP.")
    services.comment_edit(comment=comment, editor=editor, body="Zelensky asked: see AFP 14:02.")
    comment.refresh_from_db()
    assert comment.body == "Zelensky asked: see AFP 14:02."
    assert comment.edited_at is not None
    assert list(comment.versions.values_list("body", flat=True)) == [
        "In context it was Zelensky who asked.",
        "Zelensky asked: see AFP.",
    ]


def test_nobody_edits_another_persons_words(recorded_seed, editor, admin_user) -> None:
    comment = dispute(recorded_seed.revision, editor).comments.get()
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment=comment, editor=admin_user, body="Rewritten by the admin")
    comment.refresh_from_db()
    assert comment.body == "In context it was Zelensky who asked."
    assert CommentVersion.objects.count() == 0


def test_comments_and_their_versions_are_never_deleted(recorded_seed, editor) -> None:
    comment = dispute(recorded_seed.revision, editor).comments.get()
    services.comment_edit(comment=comment, editor=editor, body="Second wording")
    with pytest.raises(Exception, match="never deleted"):
        comment.delete()
    with pytest.raises(Exception, match="cannot be deleted"):
        CommentVersion.objects.all().delete()
    assert Comment.objects.count() == 1 and CommentVersion.objects.count() == 1


def test_resolve_reopen_and_reject_each_take_a_reason(recorded_seed, editor) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    with pytest.raises(ValidationError, match="reason"):
        services.annotation_resolve(annotation=annotation, actor=editor, reason=" ")
    services.annotation_resolve(annotation=annotation, actor=editor, reason="Corrected.")
    services.annotation_reopen(annotation=annotation, actor=editor, reason="Not corrected yet.")
    annotation = services.annotation_reject(
        annotation=annotation, actor=editor, reason="Duplicate."
    )
    assert annotation.status == Annotation.Status.REJECTED
    assert annotation.status_changed_by == editor and annotation.status_changed_at is not None
    history = list(annotation.status_changes.values_list("old_status", "new_status", "reason"))
    assert history == [
        ("open", "resolved", "Corrected."),
        ("resolved", "open", "Not corrected yet."),
        ("open", "rejected", "Duplicate."),
    ]


def test_a_resolved_annotation_cannot_be_resolved_again(recorded_seed, editor) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    services.annotation_resolve(annotation=annotation, actor=editor, reason="Done.")
    with pytest.raises(Conflict, match="resolved"):
        services.annotation_resolve(annotation=annotation, actor=editor, reason="Again.")


def test_only_author_assignee_or_admin_change_the_status(
    recorded_seed, editor, copydesk, admin_user
) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    with pytest.raises(PermissionDenied):
        services.annotation_reject(annotation=annotation, actor=copydesk, reason="Not mine to say")
    services.annotation_assign(annotation=annotation, actor=editor, assignee=copydesk)
    services.annotation_resolve(annotation=annotation, actor=copydesk, reason="Checked.")
    services.annotation_reopen(annotation=annotation, actor=admin_user, reason="Moderation.")
    annotation.refresh_from_db()
    assert annotation.status == Annotation.Status.OPEN


def test_status_changes_notify_the_participants(recorded_seed, editor, copydesk) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    services.comment_add(annotation=annotation, author=copydesk, body="Looks right to me.")
    services.annotation_resolve(annotation=annotation, actor=editor, reason="Corrected.")
    assert Notification.objects.filter(recipient=copydesk, verb="status").count() == 1


def test_a_dismissal_holds_for_the_same_attribution_in_later_revisions(
    recorded_seed, recorded_correction, editor
) -> None:
    first = recorded_seed.revision
    services.flag_dismiss(
        revision=first,
        attribution_index=macron_index(first),
        actor=editor,
        reason="Properly introduced.",
    )
    later = recorded_correction.revision
    attribution = later.analyses.first().attributions[macron_index(later)]
    from review.flags import attribution_key

    decision = FlagDecision.objects.get(article=later.article, key=attribution_key(attribution))
    assert decision.decision == "dismissed" and decision.reason == "Properly introduced."


def test_a_dismissal_needs_a_reason_and_a_flag(recorded_seed, editor) -> None:
    revision = recorded_seed.revision
    with pytest.raises(ValidationError, match="reason"):
        services.flag_dismiss(
            revision=revision, attribution_index=macron_index(revision), actor=editor, reason=""
        )
    unflagged = next(
        i for i, a in enumerate(revision.analyses.first().attributions) if not a["flags"]
    )
    with pytest.raises(ValidationError, match="no flag"):
        services.flag_dismiss(
            revision=revision, attribution_index=unflagged, actor=editor, reason="x"
        )
    with pytest.raises(ValidationError, match="no attribution"):
        services.flag_dismiss(revision=revision, attribution_index=999, actor=editor, reason="x")
    assert FlagDecision.objects.count() == 0


def test_the_edited_sentence_places_the_dispute_as_changed(
    recorded_seed, editor, seed_text
) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    draft = read_capture(corrected_seed_text(seed_text).encode(), filename="corrected.txt")
    later = revision_record(draft=draft).revision
    assert services.placements_ensure(revision=later) == 1
    placement = Placement.objects.get(annotation=annotation, revision=later)
    assert placement.state == Placement.State.CHANGED
    assert "Zelensky asked for two Patriot batteries" in placement.text
    assert services.placements_ensure(revision=later) == 0  # computed once, then kept


def test_an_untouched_passage_is_carried_at_its_new_offsets(
    recorded_seed, editor, seed_text
) -> None:
    annotation = services.annotation_create(
        revision=recorded_seed.revision,
        author=editor,
        kind="fact",
        start=None,
        end=None,
        exact="Blinken has made four trips to Kyiv",
        comment="Is it four or five?",
    )
    text = seed_text.replace("In Kyiv, Russian forces", "In Kyiv, on Tuesday, Russian forces")
    later = revision_record(draft=read_capture(text.encode(), filename="later.txt")).revision
    services.placements_ensure(revision=later)
    placement = Placement.objects.get(annotation=annotation, revision=later)
    assert placement.state == Placement.State.CARRIED
    assert later.body[placement.start : placement.end] == "Blinken has made four trips to Kyiv"
    assert placement.start == annotation.start + len("on Tuesday, ")


def test_an_annotation_made_on_an_old_revision_is_placed_on_the_later_ones(
    recorded_correction, editor
) -> None:
    first = recorded_correction.article.revisions.get(number=1)
    annotation = dispute(first, editor)
    assert Placement.objects.get(annotation=annotation).revision == recorded_correction.revision
