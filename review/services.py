"""Every editorial write: annotations, comments, flag decisions, placements,
corrections and notifications. One transaction each, an Activity row per action.

Services check the actor's permission themselves (a view or API endpoint
cannot forget to), raise ``ValidationError`` for bad input, ``PermissionDenied``
for a role refusal and ``Conflict`` for a state that does not allow the action.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from articles import analysis as nlp
from articles import services as record
from articles.ingest import MAX_BODY_WORDS, CaptureDraft
from articles.models import Activity, Article, Person, Revision, Source
from articles.selectors import known_names, latest_analysis_for
from review import anchoring, diffing, merging, pagecache, selectors
from review.flags import attribution_key
from review.models import (
    Annotation,
    Comment,
    CommentVersion,
    Correction,
    CorrectionEvent,
    FlagDecision,
    Follow,
    Notification,
    Placement,
    StatusChange,
)
from review.permissions import can_change_status
from review.tasks import notification_mail_send_task

User = get_user_model()
logger = logging.getLogger(__name__)

MENTION_RE = re.compile(r"(?<![\w@])@([\w.+-]+)")
REASON_MAX = 2000


class Conflict(Exception):
    """The object's state does not allow this action now (HTTP 409)."""


# --------------------------------------------------------------------------
# helpers


def _require(actor: AbstractBaseUser, perm: str, message: str) -> None:
    if not actor.is_authenticated or not actor.has_perm(perm):
        raise PermissionDenied(message)


def _display(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "The system"
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _activity(
    *,
    actor: AbstractBaseUser | None,
    verb: str,
    article: Article,
    summary: str,
    revision: Revision | None = None,
    **detail: Any,
) -> None:
    Activity.objects.create(
        actor=actor,
        verb=verb,
        article=article,
        revision=revision,
        summary=summary[:500],
        detail=detail,
    )


def _required_text(value: str, what: str, limit: int = REASON_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"{what} is required.")
    if len(value) > limit:
        raise ValidationError(f"{what} is too long ({len(value)} characters; at most {limit}).")
    if "\x00" in value:
        raise ValidationError(f"{what} contains a NUL character (\\x00), which text cannot hold.")
    return value


def annotation_url(annotation: Annotation) -> str:
    return f"{reverse('review:article', kwargs={'slug': annotation.article.slug})}?annotation={annotation.pk}"


def mentioned_users(text: str) -> list[AbstractBaseUser]:
    """The active users named as @username in a text, in order of first mention."""
    names = list(dict.fromkeys(MENTION_RE.findall(text or "")))
    if not names:
        return []
    found = {u.username.lower(): u for u in User.objects.filter(username__in=names, is_active=True)}
    return [found[n.lower()] for n in names if n.lower() in found]


def participants(annotation: Annotation) -> list[AbstractBaseUser]:
    """Who takes part in an annotation: its author, assignee and everyone who commented."""
    ids = {annotation.author_id}
    if annotation.assignee_id:
        ids.add(annotation.assignee_id)
    ids.update(annotation.comments.values_list("author_id", flat=True))
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def _notify(
    *,
    recipients: Iterable[AbstractBaseUser],
    actor: AbstractBaseUser | None,
    verb: str,
    article: Article,
    summary: str,
    url: str,
    annotation: Annotation | None = None,
    correction: Correction | None = None,
    skip: Iterable[int] = (),
) -> list[int]:
    """Write notifications (never to the actor) and e-mail them after commit."""
    skipped = set(skip)
    if actor is not None:
        skipped.add(actor.pk)
    sent: list[int] = []
    emails: list[str] = []
    for user in recipients:
        if user.pk in skipped or user.pk in sent:
            continue
        Notification.objects.create(
            recipient=user,
            actor=actor,
            verb=verb,
            article=article,
            annotation=annotation,
            correction=correction,
            summary=summary[:500],
            url=url,
        )
        sent.append(user.pk)
        if getattr(user, "email", ""):
            emails.append(user.email)  # type: ignore[attr-defined]
    if emails:
        subject = f"[Newsdesk Review] {_clip(summary, 120)}"
        link = settings.SITE_URL.rstrip("/") + url
        message = f"{summary}\n\n{link}\n"
        transaction.on_commit(
            lambda: notification_mail_send_task.enqueue(
                subject=subject, message=message, recipients=emails
            )
        )
    return sent


# --------------------------------------------------------------------------
# annotations


def _attribution_for(
    analysis: dict[str, Any], *, index: int | None, start: int, end: int
) -> tuple[int | None, dict[str, Any]]:
    attributions = analysis.get("attributions") or []
    if index is not None:
        if not 0 <= index < len(attributions):
            raise ValidationError(f"There is no attribution {index} in this revision.")
        return index, attributions[index]
    for i, attribution in enumerate(attributions):
        parts = [attribution.get(r) for r in ("speaker", "cue", "content")]
        spans = [p for p in parts if isinstance(p, dict)]
        if any(p["start"] < end and start < p["end"] for p in spans):
            return i, attribution
    return None, {}


def _analysis(revision: Revision) -> dict[str, Any]:
    analysis = latest_analysis_for(revision)
    return analysis.as_dict() if analysis is not None else {"sentences": [], "attributions": []}


@transaction.atomic
def annotation_create(
    *,
    revision: Revision,
    author: AbstractBaseUser,
    kind: str,
    start: int | None,
    end: int | None,
    comment: str,
    exact: str | None = None,
    attribution_index: int | None = None,
    proposed_person: Person | None = None,
    proposed_speaker_text: str = "",
    evidence_url: str = "",
    evidence_note: str = "",
    assignee: AbstractBaseUser | None = None,
) -> Annotation:
    """Anchor a new annotation to text of a revision, with its first comment."""
    _require(author, "review.add_annotation", "Only editors and the copy desk annotate.")
    if kind not in Annotation.Kind.values:
        raise ValidationError(
            f"Unknown kind “{kind}”: use one of {', '.join(Annotation.Kind.values)}."
        )
    text = revision.body
    start, end = selection_resolve(text, start=start, end=end, exact=exact, number=revision.number)
    try:
        quote = anchoring.quote_for(text, start, end)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    body = _required_text(comment, "A comment")
    analysis = _analysis(revision)
    index, attribution = (None, {})
    if kind == Annotation.Kind.DISPUTED_ATTRIBUTION or attribution_index is not None:
        index, attribution = _attribution_for(
            analysis, index=attribution_index, start=start, end=end
        )
    proposed_speaker_text = (proposed_speaker_text or "").strip()
    if proposed_person is not None and proposed_speaker_text:
        proposed_speaker_text = ""
    annotation = Annotation(
        article=revision.article,
        revision=revision,
        kind=kind,
        exact=quote["exact"],
        prefix=quote["prefix"],
        suffix=quote["suffix"],
        start=quote["start"],
        end=quote["end"],
        attribution_index=index,
        attribution=attribution,
        proposed_person=proposed_person,
        proposed_speaker_text=proposed_speaker_text,
        evidence_url=(evidence_url or "").strip(),
        evidence_note=(evidence_note or "").strip(),
        author=author,
        assignee=assignee,
    )
    annotation.full_clean()
    annotation.save()
    first = Comment(annotation=annotation, author=author, body=body)
    first.full_clean()
    first.save()
    if attribution and kind == Annotation.Kind.DISPUTED_ATTRIBUTION:
        _flag_decision_record(
            revision=revision,
            attribution=attribution,
            decision=FlagDecision.Decision.DISPUTED,
            actor=author,
            annotation=annotation,
            reason=body,
        )
    what = annotation.get_kind_display().lower()
    if kind == Annotation.Kind.DISPUTED_ATTRIBUTION:
        summary = f"{_display(author)} disputed the attribution “{_clip(quote['exact'])}”"
        if annotation.proposed_speaker:
            summary += f" (proposed speaker: {annotation.proposed_speaker})"
    else:
        summary = f"{_display(author)} flagged “{_clip(quote['exact'])}” ({what})"
    _activity(
        actor=author,
        verb="annotation.created",
        article=revision.article,
        revision=revision,
        summary=summary,
        annotation=annotation.pk,
        kind=kind,
    )
    url = annotation_url(annotation)
    mentioned = _notify(
        recipients=mentioned_users(body),
        actor=author,
        verb=Notification.Verb.MENTION,
        article=revision.article,
        annotation=annotation,
        summary=f"{_display(author)} mentioned you on “{_clip(quote['exact'])}”",
        url=url,
    )
    if assignee is not None:
        _notify(
            recipients=[assignee],
            actor=author,
            verb=Notification.Verb.ASSIGNED,
            article=revision.article,
            annotation=annotation,
            summary=f"{_display(author)} assigned you “{_clip(quote['exact'])}”",
            url=url,
            skip=mentioned,
        )
    for later in revision.article.revisions.filter(number__gt=revision.number):
        _place(annotation, later)
    annotation_latest_states_refresh(article_ids=[revision.article_id])
    return annotation


#: How far from the given position a selected passage may be found (the page's
#: offsets can be off by the width of markup the browser does not count).
SELECTION_SLACK = 200


def selection_resolve(
    text: str, *, start: int | None, end: int | None, exact: str | None, number: int
) -> tuple[int, int]:
    """The (start, end) of a selection: the given range when it holds the given
    passage; else the occurrence of the passage nearest to it; with no range,
    the passage's only occurrence."""
    if start is None or end is None:
        passage = exact or ""
        if not passage.strip():
            raise ValidationError("Select a passage of the text to annotate.")
        found = [m.start() for m in re.finditer(re.escape(passage), text)]
        if not found:
            raise ValidationError(f"The passage does not occur in revision {number}.")
        if len(found) > 1:
            raise ValidationError(
                f"The passage occurs {len(found)} times in revision {number}: select a longer one."
            )
        return found[0], found[0] + len(passage)
    if not (0 <= start < end <= len(text)):
        raise ValidationError(
            f"The selection {start}–{end} is outside the text of revision {number} (0–{len(text)})."
        )
    if exact is None or text[start:end] == exact:
        return start, end
    near = (
        [
            m.start()
            for m in re.finditer(re.escape(exact), text)
            if abs(m.start() - start) <= SELECTION_SLACK
        ]
        if exact
        else []
    )
    if not near:
        raise ValidationError(
            "The text has changed since you selected it: reload the page and select it again."
        )
    best = min(near, key=lambda at: abs(at - start))
    return best, best + len(exact)


def _load_for_update(annotation: Annotation) -> Annotation:
    return Annotation.objects.select_for_update().select_related("article").get(pk=annotation.pk)


@transaction.atomic
def comment_add(*, annotation: Annotation, author: AbstractBaseUser, body: str) -> Comment:
    """Reply in an annotation's thread; participants and @mentions are notified."""
    _require(author, "review.add_comment", "Only editors and the copy desk comment.")
    text = _required_text(body, "A comment")
    annotation = _load_for_update(annotation)
    before = participants(annotation)
    comment = Comment(annotation=annotation, author=author, body=text)
    comment.full_clean()
    comment.save()
    quote = _clip(annotation.exact)
    _activity(
        actor=author,
        verb="comment.added",
        article=annotation.article,
        revision=annotation.revision,
        summary=f"{_display(author)} commented on “{quote}”",
        annotation=annotation.pk,
        comment=comment.pk,
    )
    url = annotation_url(annotation)
    mentioned = _notify(
        recipients=mentioned_users(text),
        actor=author,
        verb=Notification.Verb.MENTION,
        article=annotation.article,
        annotation=annotation,
        summary=f"{_display(author)} mentioned you on “{quote}”",
        url=url,
    )
    _notify(
        recipients=before,
        actor=author,
        verb=Notification.Verb.REPLY,
        article=annotation.article,
        annotation=annotation,
        summary=f"{_display(author)} replied on “{quote}”",
        url=url,
        skip=mentioned,
    )
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, editor: AbstractBaseUser, body: str) -> Comment:
    """Reword one's own comment; the earlier wording is kept."""
    comment = (
        Comment.objects.select_for_update().select_related("annotation__article").get(pk=comment.pk)
    )
    if comment.author_id != editor.pk:
        raise PermissionDenied("Only the author of a comment can edit it.")
    text = _required_text(body, "A comment")
    if text == comment.body:
        raise ValidationError("The comment is unchanged.")
    CommentVersion.objects.create(
        comment=comment, body=comment.body, written_at=comment.edited_at or comment.created_at
    )
    comment.body = text
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["body", "edited_at"])
    _activity(
        actor=editor,
        verb="comment.edited",
        article=comment.annotation.article,
        summary=f"{_display(editor)} edited a comment on “{_clip(comment.annotation.exact)}”",
        annotation=comment.annotation_id,
        comment=comment.pk,
    )
    return comment


_STATUS_VERBS = {
    Annotation.Status.RESOLVED: "resolved",
    Annotation.Status.REJECTED: "rejected",
    Annotation.Status.OPEN: "reopened",
}


def _status_set(
    *,
    annotation: Annotation,
    actor: AbstractBaseUser,
    reason: str,
    new: str,
    allowed: set[str],
    by_correction: bool = False,
    skip: Iterable[int] = (),
) -> Annotation:
    annotation = _load_for_update(annotation)
    if not by_correction and not can_change_status(actor, annotation):
        raise PermissionDenied(
            "Only the author, the assignee or an admin can change this annotation's status."
        )
    text = _required_text(reason, "A reason")
    if annotation.status not in allowed:
        raise Conflict(
            f"This annotation is {annotation.get_status_display().lower()}: it cannot be "
            f"{_STATUS_VERBS[new]}."
        )
    StatusChange.objects.create(
        annotation=annotation, old_status=annotation.status, new_status=new, by=actor, reason=text
    )
    annotation.status = new
    annotation.status_changed_by = actor
    annotation.status_changed_at = timezone.now()
    annotation.status_reason = text
    annotation.full_clean()
    annotation.save(
        update_fields=["status", "status_changed_by", "status_changed_at", "status_reason"]
    )
    verb = _STATUS_VERBS[new]
    summary = f"{_display(actor)} {verb} “{_clip(annotation.exact)}”: {_clip(text, 120)}"
    _activity(
        actor=actor,
        verb=f"annotation.{verb}",
        article=annotation.article,
        revision=annotation.revision,
        summary=summary,
        annotation=annotation.pk,
    )
    _notify(
        recipients=participants(annotation),
        actor=actor,
        verb=Notification.Verb.STATUS,
        article=annotation.article,
        annotation=annotation,
        summary=summary,
        url=annotation_url(annotation),
        skip=skip,
    )
    return annotation


#: Each status service: the status it sets and the statuses it may leave.
_STATUS_MOVES = {
    "resolve": (Annotation.Status.RESOLVED, {Annotation.Status.OPEN}),
    "reject": (Annotation.Status.REJECTED, {Annotation.Status.OPEN}),
    "reopen": (
        Annotation.Status.OPEN,
        {Annotation.Status.RESOLVED, Annotation.Status.REJECTED},
    ),
}


def _status_move(
    move: str, annotation: Annotation, actor: AbstractBaseUser, reason: str
) -> Annotation:
    new, allowed = _STATUS_MOVES[move]
    with transaction.atomic():
        return _status_set(
            annotation=annotation, actor=actor, reason=reason, new=new, allowed=allowed
        )


def annotation_resolve(
    *, annotation: Annotation, actor: AbstractBaseUser, reason: str
) -> Annotation:
    return _status_move("resolve", annotation, actor, reason)


def annotation_reject(
    *, annotation: Annotation, actor: AbstractBaseUser, reason: str
) -> Annotation:
    return _status_move("reject", annotation, actor, reason)


def annotation_reopen(
    *, annotation: Annotation, actor: AbstractBaseUser, reason: str
) -> Annotation:
    return _status_move("reopen", annotation, actor, reason)


@transaction.atomic
def annotation_assign(
    *, annotation: Annotation, actor: AbstractBaseUser, assignee: AbstractBaseUser | None
) -> Annotation:
    """Hand an annotation on to a colleague (or take it back: ``assignee=None``)."""
    _require(actor, "review.add_annotation", "Only editors and the copy desk assign annotations.")
    annotation = _load_for_update(annotation)
    if assignee is not None and not assignee.has_perm("review.add_annotation"):
        raise ValidationError(f"{assignee.get_username()} is not in the newsroom's groups.")
    if (assignee.pk if assignee else None) == annotation.assignee_id:
        raise ValidationError("The annotation is already assigned that way.")
    annotation.assignee = assignee
    annotation.full_clean()
    annotation.save(update_fields=["assignee"])
    who = _display(assignee) if assignee else "nobody"
    _activity(
        actor=actor,
        verb="annotation.assigned",
        article=annotation.article,
        summary=f"{_display(actor)} assigned “{_clip(annotation.exact)}” to {who}",
        annotation=annotation.pk,
        assignee=assignee.pk if assignee else None,
    )
    if assignee is not None:
        _notify(
            recipients=[assignee],
            actor=actor,
            verb=Notification.Verb.ASSIGNED,
            article=annotation.article,
            annotation=annotation,
            summary=f"{_display(actor)} assigned you “{_clip(annotation.exact)}”",
            url=annotation_url(annotation),
        )
    return annotation


# --------------------------------------------------------------------------
# machine flags


def _flag_decision_record(
    *,
    revision: Revision,
    attribution: dict[str, Any],
    decision: str,
    actor: AbstractBaseUser,
    reason: str,
    annotation: Annotation | None = None,
) -> FlagDecision:
    key = attribution_key(attribution)
    existing = FlagDecision.objects.filter(article=revision.article, key=key).first()
    if existing is not None:
        return existing

    def text(role: str) -> str:
        part = attribution.get(role)
        return str(part["text"]) if isinstance(part, dict) else ""

    row = FlagDecision(
        article=revision.article,
        revision=revision,
        key=key,
        speaker_text=text("speaker")[:300],
        cue_text=text("cue")[:300],
        content_text=text("content"),
        flags=list(attribution.get("flags") or []),
        decision=decision,
        reason=reason,
        annotation=annotation,
        by=actor,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def flag_dismiss(
    *, revision: Revision, attribution_index: int, actor: AbstractBaseUser, reason: str
) -> FlagDecision:
    """Record that a flagged attribution is not a misattribution; holds in later revisions."""
    _require(actor, "review.add_flagdecision", "Only editors and the copy desk decide on flags.")
    text = _required_text(reason, "A reason", limit=500)
    attributions = _analysis(revision).get("attributions") or []
    if not 0 <= attribution_index < len(attributions):
        raise ValidationError(f"There is no attribution {attribution_index} in this revision.")
    attribution = attributions[attribution_index]
    if not attribution.get("flags"):
        raise ValidationError("This attribution carries no flag to dismiss.")
    key = attribution_key(attribution)
    Article.objects.select_for_update().filter(pk=revision.article_id).first()
    if FlagDecision.objects.filter(article=revision.article, key=key).exists():
        raise Conflict("This flag has already been decided.")
    row = _flag_decision_record(
        revision=revision,
        attribution=attribution,
        decision=FlagDecision.Decision.DISMISSED,
        actor=actor,
        reason=text,
    )
    speaker = row.speaker_text or "(no speaker)"
    _activity(
        actor=actor,
        verb="flag.dismissed",
        article=revision.article,
        revision=revision,
        summary=f"{_display(actor)} dismissed the flag on “{speaker} {row.cue_text} …”: {_clip(text, 120)}",
        flags=row.flags,
    )
    return row


# --------------------------------------------------------------------------
# placements on later revisions


def _sentence_texts(text: str, sentences: Sequence[dict[str, int]]) -> list[str]:
    return [text[s["start"] : s["end"]] for s in sentences]


def _place(annotation: Annotation, revision: Revision, ops_cache: dict | None = None) -> Placement:
    old = annotation.revision
    old_sents = _analysis(old).get("sentences") or []
    new_sents = _analysis(revision).get("sentences") or []
    key = (old.pk, revision.pk)
    ops = None
    if ops_cache is not None:
        ops = ops_cache.get(key)
    if ops is None:
        ops = diffing.align(
            _sentence_texts(old.body, old_sents), _sentence_texts(revision.body, new_sents)
        )
        if ops_cache is not None:
            ops_cache[key] = ops
    quote: anchoring.Quote = {
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "start": annotation.start,
        "end": annotation.end,
    }
    placed = anchoring.place(
        quote,
        old_text=old.body,
        old_sentences=old_sents,
        new_text=revision.body,
        new_sentences=new_sents,
        ops=ops,
    )
    row, _ = Placement.objects.get_or_create(
        annotation=annotation,
        revision=revision,
        defaults={
            "state": placed["state"],
            "start": placed["start"],
            "end": placed["end"],
            "text": placed["text"] or "",
        },
    )
    return row


def annotation_latest_states_refresh(*, article_ids: Sequence[int]) -> None:
    """Recompute where each annotation of these articles stands on its article's
    latest revision (``Annotation.latest_state``), in one UPDATE: "original" when
    made on it, else its placement's state there, else "" (not placed there yet).

    Called inside every transaction that changes an article's latest revision (a
    hook of ``article_latest_set``), places annotations or makes one."""
    if not article_ids:
        return
    if not Annotation.objects.filter(article_id__in=list(article_ids)).exists():
        return  # most recordings (a new article, say): skip planning the UPDATE below
    latest = Article.objects.filter(pk=OuterRef("article_id")).values("latest_revision")[:1]
    placed = Placement.objects.filter(
        annotation=OuterRef("pk"),
        revision_id=Subquery(
            Article.objects.filter(pk=OuterRef(OuterRef("article_id"))).values("latest_revision")[
                :1
            ]
        ),
    ).values("state")[:1]
    Annotation.objects.filter(article_id__in=list(article_ids)).update(
        latest_state=Case(
            When(revision_id=Subquery(latest), then=Value(Annotation.LatestState.ORIGINAL)),
            default=Coalesce(Subquery(placed), Value("")),
        )
    )


@transaction.atomic
def placements_ensure(*, revision: Revision) -> int:
    """Place every open annotation of an older revision on this one, once. Returns how many."""
    pending = (
        Annotation.objects.filter(
            article_id=revision.article_id,
            status=Annotation.Status.OPEN,
            revision__number__lt=revision.number,
        )
        .exclude(placements__revision=revision)
        .select_related("revision")
    )
    cache: dict = {}
    count = 0
    for annotation in pending:
        _place(annotation, revision, cache)
        count += 1
    if count:
        annotation_latest_states_refresh(article_ids=[revision.article_id])
    return count


def placements_pending(revision: Revision) -> bool:
    return (
        Annotation.objects.filter(
            article_id=revision.article_id,
            status=Annotation.Status.OPEN,
            revision__number__lt=revision.number,
        )
        .exclude(placements__revision=revision)
        .exists()
    )


# --------------------------------------------------------------------------
# notifications


@transaction.atomic
def notifications_mark_read(*, user: AbstractBaseUser, ids: Sequence[int] | None = None) -> int:
    """Mark the user's notifications read (all of them, or those ids)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    count = unread.update(read_at=timezone.now())
    if count:
        pagecache.user_retire(user.pk)  # update() sends no signal: the header's count
    return count


# --------------------------------------------------------------------------
# corrections

Kinds = Correction.Kind
States = Correction.State


def _latest(article: Article) -> Revision:
    return article.revisions.order_by("-number").first()  # type: ignore[return-value]


def proposed_body(base: Revision, annotations: Sequence[Annotation]) -> str:
    """The base text with each disputed speaker replaced by the proposed one.

    An annotation of an older revision is found through its placement on the base
    (see ``placements_ensure``). Two annotations of one speaker that propose the
    same speaker substitute it once; proposing different speakers is refused.
    """
    edits: dict[tuple[int, int], tuple[str, Annotation]] = {}
    for annotation in annotations:
        speaker = (annotation.attribution or {}).get("speaker")
        proposed = annotation.proposed_speaker
        if not (annotation.kind == Annotation.Kind.DISPUTED_ATTRIBUTION and proposed and speaker):
            continue
        span = _speaker_on(base, annotation, speaker)
        if span is None:
            continue
        replacement = _short_name(proposed, speaker["text"])
        for (start, end), (earlier, other) in edits.items():
            if start < span[1] and span[0] < end:
                if (start, end) == span and earlier == replacement:
                    break
                raise ValidationError(
                    f"Annotations {other.pk} and {annotation.pk} propose different speakers "
                    f"for “{speaker['text']}”: settle them in separate corrections."
                )
        else:
            edits[span] = (replacement, annotation)
    body = base.body
    for (start, end), (replacement, _) in sorted(edits.items(), reverse=True):
        body = body[:start] + replacement + body[end:]
    return body


def _speaker_on(
    base: Revision, annotation: Annotation, speaker: dict[str, Any]
) -> tuple[int, int] | None:
    """Where the annotated attribution's speaker is in the base text, if it is there."""
    text = speaker["text"]
    if annotation.revision_id == base.pk:
        start = speaker["start"]
    else:
        placement = annotation.placements.filter(revision=base).first()
        if placement is None or placement.state == Placement.State.ORPHANED:
            return None
        # The speaker sits where it sat relative to the passage (it may lie outside
        # the selection); failing that, it is looked for inside the placed passage.
        start = placement.start + (speaker["start"] - annotation.start)
        if base.body[start : start + len(text)] != text:
            start = base.body.find(text, placement.start, placement.end)
    if start < 0 or base.body[start : start + len(text)] != text:
        return None
    return start, start + len(text)


def _short_name(proposed: str, written: str) -> str:
    """Match the form the text used: a bare surname stays a bare surname."""
    if " " not in written.strip() and " " in proposed.strip():
        return proposed.split()[-1]
    return proposed


def _check_annotations(article: Article, annotations: Sequence[Annotation]) -> None:
    for annotation in annotations:
        if annotation.article_id != article.pk:
            raise ValidationError(f"Annotation {annotation.pk} belongs to another article.")


def _check_changed(base: Revision, *, title: str, standfirst: str, byline: str, body: str) -> None:
    if not title.strip():
        raise ValidationError("The headline cannot be empty.")
    if not body.strip():
        raise ValidationError("The body cannot be empty.")
    words = len(body.split())
    if words > MAX_BODY_WORDS:
        raise ValidationError(
            f"The body is {words:,} words long; bodies over {MAX_BODY_WORDS:,} words are "
            "refused (they cannot be analysed in reasonable time)."
        )
    same = (
        title.strip() == base.title.strip()
        and standfirst.strip() == base.standfirst.strip()
        and byline.strip() == base.byline.strip()
        and body.strip() == base.body.strip()
    )
    if same:
        raise ValidationError(
            f"The proposed text is the same as revision {base.number}: change the text to correct it."
        )


def _event(
    correction: Correction, *, old: str, new: str, by: AbstractBaseUser, comment: str = ""
) -> None:
    CorrectionEvent.objects.create(
        correction=correction, old_state=old, new_state=new, by=by, comment=comment
    )


def correction_url(correction: Correction) -> str:
    """Where a notification about a correction links: its page in the newsroom."""
    return reverse("review:correction", kwargs={"pk": correction.pk})


@transaction.atomic
def correction_draft(
    *,
    article: Article,
    proposer: AbstractBaseUser,
    annotations: Sequence[Annotation] = (),
    kind: str = Kinds.CORRECTION,
    note: str,
    title: str | None = None,
    standfirst: str | None = None,
    byline: str | None = None,
    body: str | None = None,
) -> Correction:
    """Draft a correction of the latest revision; text defaults to the base's,
    with proposed speakers substituted."""
    _require(proposer, "review.add_correction", "Only editors and the copy desk draft corrections.")
    if kind not in Kinds.values:
        raise ValidationError(f"Unknown kind “{kind}”: use one of {', '.join(Kinds.values)}.")
    _check_annotations(article, annotations)
    base = _latest(article)
    note = _required_text(note, "A public note", limit=4000)
    if any(a.revision_id != base.pk for a in annotations):
        placements_ensure(revision=base)  # the base may be newer than anyone has read
    values = {
        "title": base.title if title is None else title.strip(),
        "standfirst": base.standfirst if standfirst is None else standfirst.strip(),
        "byline": base.byline if byline is None else byline.strip(),
        "body": proposed_body(base, annotations) if body is None else body.strip(),
    }
    _check_changed(base, **values)
    correction = Correction(
        article=article, base_revision=base, kind=kind, note=note, proposer=proposer, **values
    )
    correction.full_clean()
    correction.save()
    correction.annotations.set(annotations)
    _event(correction, old="", new=States.DRAFT, by=proposer)
    _activity(
        actor=proposer,
        verb="correction.drafted",
        article=article,
        revision=base,
        summary=f"{_display(proposer)} drafted a {correction.get_kind_display().lower()} of revision {base.number}",
        correction=correction.pk,
    )
    return correction


def _lock(correction: Correction) -> Correction:
    return (
        Correction.objects.select_for_update()
        .select_related("article", "base_revision")
        .get(pk=correction.pk)
    )


def _transition(correction: Correction, allowed: Iterable[str], action: str) -> None:
    if correction.state not in set(allowed):
        raise Conflict(
            f"This correction is {correction.get_state_display().lower()}: it cannot be {action}."
        )


def _own(correction: Correction, actor: AbstractBaseUser, action: str) -> None:
    if correction.proposer_id != actor.pk and not actor.has_perm("review.moderate_annotation"):
        raise PermissionDenied(f"Only the proposer can {action} this correction.")


@transaction.atomic
def correction_update(
    *,
    correction: Correction,
    actor: AbstractBaseUser,
    note: str,
    title: str,
    standfirst: str,
    byline: str,
    body: str,
    kind: str | None = None,
) -> Correction:
    """Edit a draft (a returned correction goes back to draft when edited)."""
    correction = _lock(correction)
    _own(correction, actor, "edit")
    _transition(correction, {States.DRAFT, States.RETURNED}, "edited")
    if kind is not None and kind not in Kinds.values:
        raise ValidationError(f"Unknown kind “{kind}”.")
    values = {
        "title": title.strip(),
        "standfirst": standfirst.strip(),
        "byline": byline.strip(),
        "body": body.strip(),
    }
    _check_changed(correction.base_revision, **values)
    correction.note = _required_text(note, "A public note", limit=4000)
    for field, value in values.items():
        setattr(correction, field, value)
    if kind is not None:
        correction.kind = kind
    if correction.state == States.RETURNED:
        _event(correction, old=States.RETURNED, new=States.DRAFT, by=actor)
        correction.state = States.DRAFT
    correction.full_clean()
    correction.save()
    _activity(
        actor=actor,
        verb="correction.edited",
        article=correction.article,
        summary=f"{_display(actor)} edited correction #{correction.pk}",
        correction=correction.pk,
    )
    return correction


@transaction.atomic
def correction_revise(*, correction: Correction, actor: AbstractBaseUser) -> Correction:
    """A returned correction back to draft, for the proposer to rework."""
    correction = _lock(correction)
    _own(correction, actor, "revise")
    _transition(correction, {States.RETURNED}, "revised")
    _event(correction, old=correction.state, new=States.DRAFT, by=actor)
    correction.state = States.DRAFT
    correction.save(update_fields=["state", "updated_at"])
    _activity(
        actor=actor,
        verb="correction.revised",
        article=correction.article,
        summary=f"{_display(actor)} took correction #{correction.pk} back to draft",
        correction=correction.pk,
    )
    return correction


@transaction.atomic
def correction_submit(*, correction: Correction, actor: AbstractBaseUser) -> Correction:
    """Send a draft to the copy desk for sign-off."""
    correction = _lock(correction)
    _own(correction, actor, "submit")
    _transition(correction, {States.DRAFT}, "submitted")
    if not correction.note.strip():
        raise ValidationError("A public note is required to submit a correction.")
    _check_changed(
        correction.base_revision,
        title=correction.title,
        standfirst=correction.standfirst,
        byline=correction.byline,
        body=correction.body,
    )
    _event(correction, old=correction.state, new=States.SUBMITTED, by=actor)
    correction.state = States.SUBMITTED
    correction.submitted_at = timezone.now()
    correction.save(update_fields=["state", "submitted_at", "updated_at"])
    _activity(
        actor=actor,
        verb="correction.submitted",
        article=correction.article,
        summary=f"{_display(actor)} submitted correction #{correction.pk} for sign-off",
        correction=correction.pk,
    )
    signers = User.objects.filter(
        groups__permissions__codename="sign_off_correction", is_active=True
    ).distinct()
    _notify(
        recipients=signers,
        actor=actor,
        verb=Notification.Verb.CORRECTION,
        article=correction.article,
        correction=correction,
        summary=f"{_display(actor)} submitted a {correction.get_kind_display().lower()} for sign-off",
        url=correction_url(correction),
    )
    return correction


@transaction.atomic
def correction_return(
    *, correction: Correction, actor: AbstractBaseUser, comment: str
) -> Correction:
    """The copy desk sends a submitted correction back to its proposer, saying why."""
    _require(actor, "review.sign_off_correction", "Only the copy desk returns corrections.")
    text = _required_text(comment, "A comment")
    correction = _lock(correction)
    if correction.proposer_id == actor.pk:
        raise PermissionDenied("You cannot review your own correction (four eyes).")
    _transition(correction, {States.SUBMITTED}, "returned")
    _event(correction, old=correction.state, new=States.RETURNED, by=actor, comment=text)
    correction.state = States.RETURNED
    correction.reviewer = actor
    correction.reviewed_at = timezone.now()
    correction.full_clean()
    correction.save(update_fields=["state", "reviewer", "reviewed_at", "updated_at"])
    summary = f"{_display(actor)} returned correction #{correction.pk}: {_clip(text, 120)}"
    _activity(
        actor=actor,
        verb="correction.returned",
        article=correction.article,
        summary=summary,
        correction=correction.pk,
    )
    _notify(
        recipients=[correction.proposer],
        actor=actor,
        verb=Notification.Verb.CORRECTION,
        article=correction.article,
        correction=correction,
        summary=summary,
        url=correction_url(correction),
    )
    return correction


@transaction.atomic
def correction_withdraw(
    *, correction: Correction, actor: AbstractBaseUser, reason: str = ""
) -> Correction:
    correction = _lock(correction)
    _own(correction, actor, "withdraw")
    _transition(correction, {States.DRAFT, States.RETURNED}, "withdrawn")
    _event(correction, old=correction.state, new=States.WITHDRAWN, by=actor, comment=reason.strip())
    correction.state = States.WITHDRAWN
    correction.save(update_fields=["state", "updated_at"])
    _activity(
        actor=actor,
        verb="correction.withdrawn",
        article=correction.article,
        summary=f"{_display(actor)} withdrew correction #{correction.pk}",
        correction=correction.pk,
    )
    return correction


@transaction.atomic
def correction_rebase(*, correction: Correction, actor: AbstractBaseUser) -> Correction:
    """Move a correction onto the article's latest revision.

    The correction's changes of its old base are carried onto the latest text
    (``review.merging.merge3``, line by line); when the body is the old base with
    the proposed speakers substituted, they are substituted again in the latest
    body. Refused (Conflict) when the latest revision changed a passage that the
    correction also changed, or already reads as the correction proposes. A
    submitted or returned correction goes back to draft: its text changed.
    """
    correction = _lock(correction)
    _own(correction, actor, "rebase")
    _transition(correction, {States.DRAFT, States.RETURNED, States.SUBMITTED}, "rebased")
    old_base = correction.base_revision
    latest = _latest(correction.article)
    if latest.pk == old_base.pk:
        raise Conflict(
            f"This correction is already based on the latest revision ({latest.number})."
        )
    annotations = list(correction.annotations.all())
    values: dict[str, str] = {}
    for field in ("title", "standfirst", "byline", "body"):
        ours = getattr(correction, field)
        if field == "body" and ours.strip() == proposed_body(old_base, annotations).strip():
            placements_ensure(revision=latest)
            values[field] = proposed_body(latest, annotations)
            continue
        merged = merging.merge3(getattr(old_base, field), ours, getattr(latest, field))
        if merged is None:
            what = "text" if field == "body" else Revision._meta.get_field(field).verbose_name
            raise Conflict(
                f"Revision {latest.number} changed the same passage of the {what} as this "
                f"correction: withdraw it and draft a new one on revision {latest.number}."
            )
        values[field] = merged
    if all(values[f].strip() == getattr(latest, f).strip() for f in values):
        raise Conflict(
            f"Revision {latest.number} already reads as this correction proposes: "
            "nothing is left to correct; withdraw it."
        )
    for field, value in values.items():
        setattr(correction, field, value)
    if correction.state != States.DRAFT:
        _event(correction, old=correction.state, new=States.DRAFT, by=actor, comment="rebased")
        correction.state = States.DRAFT
    correction.base_revision = latest
    correction.full_clean()
    correction.save()
    _activity(
        actor=actor,
        verb="correction.rebased",
        article=correction.article,
        summary=f"{_display(actor)} rebased correction #{correction.pk} from revision {old_base.number} onto {latest.number}",
        correction=correction.pk,
    )
    return correction


def unsettled_disputes(correction: Correction) -> list[Annotation]:
    """Open disputed attributions of the article that this correction does not settle."""
    settled = set(correction.annotations.values_list("pk", flat=True))
    return [
        a
        for a in Annotation.objects.filter(
            article=correction.article,
            status=Annotation.Status.OPEN,
            kind=Annotation.Kind.DISPUTED_ATTRIBUTION,
        ).order_by("pk")
        if a.pk not in settled
    ]


def correction_sign_off(
    *, correction: Correction, actor: AbstractBaseUser, override_reason: str = ""
) -> Correction:
    """Sign off a submitted correction and publish it: the corrected revision with
    its public note, the settled annotations resolved, in one transaction.

    The checks run before the text is analysed (a refusal costs no analysis) and
    again under the row lock; spaCy never runs under the lock, and the lock makes
    two simultaneous sign-offs publish once.
    """
    _require(
        actor, "review.sign_off_correction", "Only the copy desk and admins sign off corrections."
    )
    reason = override_reason.strip()
    snapshot = Correction.objects.select_related("article", "base_revision").get(pk=correction.pk)
    _sign_off_checks(snapshot, actor, reason)
    analysis = nlp.analyse_text(snapshot.body, known=known_names())
    with transaction.atomic():
        return _sign_off_locked(correction, actor, reason, snapshot.body, analysis)


def _sign_off_checks(
    correction: Correction, actor: AbstractBaseUser, override_reason: str
) -> list[Annotation]:
    """Refuse a sign-off that four eyes, the state, the base or open disputes forbid;
    return the open disputes that the override reason overrides."""
    if correction.proposer_id == actor.pk:
        raise PermissionDenied("You cannot sign off your own correction (four eyes).")
    _transition(correction, {States.SUBMITTED}, "signed off")
    latest = _latest(correction.article)
    if latest.pk != correction.base_revision_id:
        raise Conflict(
            f"This correction is based on revision {correction.base_revision.number}, but the "
            f"latest is revision {latest.number}: rebase it onto the latest first."
        )
    others = unsettled_disputes(correction)
    if others and not override_reason:
        listed = "; ".join(f"#{a.pk} “{_clip(a.exact, 40)}”" for a in others)
        raise Conflict(
            f"The article has other open disputed attributions that this correction does not "
            f"settle ({listed}). Settle them, or sign off with a reason for overriding."
        )
    return others


def _sign_off_locked(
    correction: Correction,
    actor: AbstractBaseUser,
    override_reason: str,
    analysed_body: str,
    analysis: dict[str, Any],
) -> Correction:
    correction = _lock(correction)
    others = _sign_off_checks(correction, actor, override_reason)
    override_reason = override_reason if others else ""
    if correction.body != analysed_body:  # reworked and resubmitted while it was analysed
        raise Conflict("The correction changed while it was being signed off: sign off again.")
    now = timezone.now()
    base = correction.base_revision
    result = record.revision_record(
        draft=CaptureDraft(
            title=correction.title,
            body=correction.body,
            standfirst=correction.standfirst,
            byline=correction.byline,
            published=base.stated_published_at,
            last_updated=now,
            canonical_url=correction.article.canonical_url,
        ),
        author=actor,
        origin=Revision.Origin.CORRECTION,
        filename=f"correction-{correction.pk}",
        captured_at=now,
        analysis=analysis,
        article=correction.article,
        note=correction.note,
    )
    if result.outcome is record.RecordOutcome.UNCHANGED:
        raise Conflict(
            "The corrected text is identical to the latest revision: nothing to publish."
        )
    revision = result.revision
    _event(
        correction, old=States.SUBMITTED, new=States.SIGNED_OFF, by=actor, comment=override_reason
    )
    _event(correction, old=States.SIGNED_OFF, new=States.PUBLISHED, by=actor)
    correction.state = States.PUBLISHED
    correction.reviewer = actor
    correction.reviewed_at = now
    correction.published_at = now
    correction.published_revision = revision
    correction.override_reason = override_reason
    correction.full_clean()
    correction.save()
    label = correction.get_kind_display().lower()
    summary = (
        f"{_display(actor)} signed off the {label} by {_display(correction.proposer)}; "
        f"published as revision {revision.number}"
    )
    if others:
        summary += f" (overriding {len(others)} open dispute(s): {_clip(override_reason, 80)})"
    _activity(
        actor=actor,
        verb="correction.published",
        article=correction.article,
        revision=revision,
        summary=summary,
        correction=correction.pk,
        override_reason=override_reason,
    )
    settled = list(correction.annotations.select_related("author"))
    annotators = [correction.proposer, *(a.author for a in settled)]
    for annotation in settled:
        if annotation.status == Annotation.Status.OPEN:
            _status_set(
                annotation=annotation,
                actor=actor,
                reason=f"Settled by the {label} published as revision {revision.number}.",
                new=Annotation.Status.RESOLVED,
                allowed={Annotation.Status.OPEN},
                by_correction=True,
                skip=[u.pk for u in annotators],  # they hear of it once, just below
            )
    placements_ensure(revision=revision)
    _notify(
        recipients=annotators,
        actor=actor,
        verb=Notification.Verb.CORRECTION,
        article=correction.article,
        correction=correction,
        summary=summary,
        url=correction_url(correction),
    )
    return correction


def correction_draft_and_submit(**draft: Any) -> Correction:
    """Draft a correction and send it to the copy desk, in one transaction."""
    with transaction.atomic():
        correction = correction_draft(**draft)
        return correction_submit(correction=correction, actor=draft["proposer"])


def correction_update_and_submit(**changes: Any) -> Correction:
    """Save the proposer's edits and send the correction to the copy desk, in one transaction."""
    with transaction.atomic():
        correction = correction_update(**changes)
        return correction_submit(correction=correction, actor=changes["actor"])


# --------------------------------------------------------------------------
# follows and revision alerts


@transaction.atomic
def follow_set(
    *,
    user: AbstractBaseUser,
    following: bool,
    article: Article | None = None,
    source: Source | None = None,
) -> Follow | None:
    """Follow (or stop following) an article or a source; idempotent."""
    _require(user, "articles.view_article", "Only the newsroom can follow articles.")
    if (article is None) == (source is None):
        raise ValidationError("Follow an article or a source, not both or neither.")
    existing = Follow.objects.filter(user=user, article=article, source=source)
    if not following:
        existing.delete()
        return None
    found = existing.first()
    if found is not None:
        return found
    follow = Follow(user=user, article=article, source=source)
    follow.full_clean()
    follow.save()
    return follow


def revision_alerts_send(*, revision_ids: Sequence[int]) -> list[int]:
    """Tell the followers of each revision's article or source of it (never of a
    minor one, never its own author); a speaker change is said first. Returns the
    recipients' ids, revision by revision. Called by articles' REVISION_RECORDED_HOOKS
    after the commit that recorded them (all the revisions of an import task at once).

    Most revisions are minor or of an article nobody follows: that is found out in
    two narrow queries for all of them, before any revision is loaded. A revision
    whose alert fails is logged and does not keep the others' from going out."""
    heads = list(
        Revision.objects.filter(pk__in=list(revision_ids), minor=False)
        .order_by("pk")
        .values_list("pk", "article_id", "article__source_id")
    )
    if not heads:
        return []
    articles, sources = selectors.followed_among(
        article_ids={article_id for _, article_id, _ in heads},
        source_ids={source_id for _, _, source_id in heads if source_id is not None},
    )
    recipients: list[int] = []
    for revision_id, article_id, source_id in heads:
        if article_id not in articles and source_id not in sources:
            continue
        try:
            recipients.extend(_revision_alerts_notify(revision_id=revision_id))
        except Exception:
            logger.exception("The alert of revision %s could not be sent", revision_id)
    return recipients


@transaction.atomic
def _revision_alerts_notify(*, revision_id: int) -> list[int]:
    revision = Revision.objects.select_related("article__source", "author").get(pk=revision_id)
    followers = list(selectors.followers_of(revision))
    if not followers:
        return []
    alert = selectors.revision_alert(revision)
    return _notify(
        recipients=followers,
        actor=revision.author,
        verb=alert.verb,
        article=revision.article,
        summary=alert.summary,
        url=alert.url,
    )
