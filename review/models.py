"""Editorial work on the record: annotations, their threads and placements,
decisions on machine flags, corrections and notifications.

Every write goes through ``review.services``; the models hold the invariants
that the database can enforce.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from articles.models import (
    AppendOnlyModel,
    Article,
    ImmutableRevisionError,
    NulFreeText,
    Person,
    Revision,
    Source,
    append_only_trigger,
)


class CommentQuerySet(models.QuerySet):
    """Comments may be reworded (each earlier wording kept), never deleted."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRevisionError("Comments are never deleted.")


class Annotation(NulFreeText, models.Model):
    """A note anchored to text of one revision (W3C TextQuote + TextPosition)."""

    class Kind(models.TextChoices):
        DISPUTED_ATTRIBUTION = "disputed_attribution", "Disputed attribution"
        FACT = "fact", "Fact"
        STYLE = "style", "Style"
        LEGAL = "legal", "Legal"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        REJECTED = "rejected", "Rejected"

    class LatestState(models.TextChoices):
        ORIGINAL = "original", "On the latest revision"
        CARRIED = "carried", "Carried"
        CHANGED = "changed", "Changed: re-check"
        ORPHANED = "orphaned", "Orphaned"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="annotations")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="annotations")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    # The anchor: TextQuoteSelector (exact, prefix, suffix) + TextPositionSelector.
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # A disputed attribution: the attribution as written and the proposed speaker.
    attribution_index = models.PositiveIntegerField(null=True, blank=True)
    attribution = models.JSONField(default=dict, blank=True)
    proposed_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_speaker_text = models.CharField(max_length=200, blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_annotations",
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    #: Where it stands on its article's latest revision: "original" (made on it), a
    #: placement's state there, or "" (not placed there). Derived, kept by
    #: ``services.annotation_latest_states_refresh`` in the transaction that changes
    #: the latest revision or places annotations on it; the queue filters on it.
    latest_state = models.CharField(
        max_length=20, choices=LatestState.choices, blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("moderate_annotation", "Can resolve or reject any annotation")]
        indexes = [
            models.Index(fields=["article", "status"], name="annotation_article_status"),
            # The queue filtered by placement: an index scan, newest first, with LIMIT.
            models.Index(
                fields=["latest_state", "-created_at", "-id"], name="annotation_latest_state"
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(latest_state__in=["changed", "orphaned"]),
                name="annotation_needs_recheck",
            ),
            # Open notes not yet placed on their article's latest revision (few or none).
            models.Index(
                fields=["article"],
                condition=Q(status="open", latest_state=""),
                name="annotation_unplaced_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="annotation_range_not_empty"
            ),
            models.CheckConstraint(condition=~Q(exact=""), name="annotation_exact_not_empty"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} on {self.revision}"

    @property
    def proposed_speaker(self) -> str:
        if self.proposed_person_id is not None:
            return self.proposed_person.name
        return self.proposed_speaker_text

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class StatusChange(AppendOnlyModel):
    """One change of an annotation's status, with its reason."""

    annotation = models.ForeignKey(
        Annotation, on_delete=models.PROTECT, related_name="status_changes"
    )
    old_status = models.CharField(max_length=20, choices=Annotation.Status.choices)
    new_status = models.CharField(max_length=20, choices=Annotation.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="status_change_reason_given")
        ]
        triggers = [append_only_trigger()]

    def __str__(self) -> str:
        return f"{self.old_status} -> {self.new_status} on annotation #{self.annotation_id}"


class Comment(NulFreeText, models.Model):
    """One message in an annotation's thread. Edits keep every earlier version."""

    annotation = models.ForeignKey(Annotation, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]
        # Rewording updates the row (the earlier wording goes to CommentVersion first).
        triggers = [pgtrigger.Protect(name="comment_never_deleted", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Comment #{self.pk} on annotation #{self.annotation_id}"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRevisionError("Comments are never deleted.")


class CommentVersion(AppendOnlyModel):
    """An earlier wording of a comment, kept when its author edits it."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="versions")
    body = models.TextField()
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]
        triggers = [append_only_trigger()]

    def __str__(self) -> str:
        return f"Earlier wording of comment #{self.comment_id}"


class Placement(NulFreeText, models.Model):
    """Where an annotation lands on a later revision: computed once, then kept."""

    class State(models.TextChoices):
        CARRIED = "carried", "Carried"
        CHANGED = "changed", "Changed: re-check"
        ORPHANED = "orphaned", "Orphaned"

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="placements")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="placements")
    state = models.CharField(max_length=20, choices=State.choices)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["revision__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "revision"], name="one_placement_per_revision"
            ),
            models.CheckConstraint(
                condition=Q(state="orphaned", start__isnull=True, end__isnull=True)
                | (~Q(state="orphaned") & Q(start__isnull=False, end__gt=F("start"))),
                name="placement_span_matches_state",
            ),
        ]

    def __str__(self) -> str:
        return f"Annotation #{self.annotation_id} on {self.revision}: {self.state}"


class FlagDecision(NulFreeText, models.Model):
    """An editor's decision on a machine flag, keyed by the attribution's text so
    that it holds for the same attribution in later revisions."""

    class Decision(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed"
        DISPUTED = "disputed", "Disputed"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="flag_decisions")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64, help_text="sha256 of speaker, cue and content text.")
    speaker_text = models.CharField(max_length=300, blank=True)
    cue_text = models.CharField(max_length=300)
    content_text = models.TextField()
    flags = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField(blank=True)
    annotation = models.ForeignKey(
        Annotation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="one_decision_per_attribution"),
            models.CheckConstraint(
                condition=~Q(decision="dismissed") | ~Q(reason=""),
                name="dismissal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.speaker_text} {self.cue_text}"


class Correction(NulFreeText, models.Model):
    """A proposed fix of an article, signed off by the copy desk and published
    as a new revision with a public note."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        EDITORS_NOTE = "editors_note", "Editor's note"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SIGNED_OFF = "signed_off", "Signed off"
        PUBLISHED = "published", "Published"
        RETURNED = "returned", "Returned"
        WITHDRAWN = "withdrawn", "Withdrawn"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="corrections")
    base_revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    annotations = models.ManyToManyField(Annotation, blank=True, related_name="corrections")
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    byline = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    note = models.TextField(blank=True, help_text="The public correction note.")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_corrections"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_corrections",
    )
    override_reason = models.TextField(blank=True)
    published_revision = models.OneToOneField(
        Revision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("sign_off_correction", "Can sign off or return corrections")]
        indexes = [
            # The copy desk's queue: submitted, oldest first.
            models.Index(fields=["state", "submitted_at", "id"], name="correction_state_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("proposer")),
                name="correction_four_eyes",
                violation_error_message="Nobody signs off their own correction.",
            ),
            models.CheckConstraint(
                condition=~Q(state="published")
                | Q(published_revision__isnull=False, published_at__isnull=False),
                name="published_correction_has_revision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_state_display()})"


class CorrectionEvent(AppendOnlyModel):
    """One transition of a correction: who, when, and the comment given."""

    correction = models.ForeignKey(Correction, on_delete=models.PROTECT, related_name="events")
    old_state = models.CharField(max_length=20, choices=Correction.State.choices, blank=True)
    new_state = models.CharField(max_length=20, choices=Correction.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        triggers = [append_only_trigger()]

    def __str__(self) -> str:
        return f"Correction #{self.correction_id}: {self.old_state or '-'} -> {self.new_state}"


class Notification(NulFreeText, models.Model):
    """Something a user should see: a mention, a reply, an assignment, a status change."""

    class Verb(models.TextChoices):
        MENTION = "mention", "mentioned you"
        REPLY = "reply", "replied"
        ASSIGNED = "assigned", "assigned you"
        STATUS = "status", "changed the status"
        CORRECTION = "correction", "updated a correction"
        SPEAKER = "speaker", "speaker changed"
        REVISION = "revision", "new revision"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    annotation = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    correction = models.ForeignKey(
        Correction, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"To {self.recipient_id}: {self.summary}"


class Follow(models.Model):
    """An editor follows an article or a source: notified of each new revision that
    is not minor (a followed source: of its new articles too)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, source__isnull=True)
                | Q(article__isnull=True, source__isnull=False),
                name="follow_article_or_source",
                violation_error_message="Follow an article or a source, not both or neither.",
            ),
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="unique_follow_per_article",
            ),
            models.UniqueConstraint(
                fields=["user", "source"],
                condition=Q(source__isnull=False),
                name="unique_follow_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.article or self.source}"
