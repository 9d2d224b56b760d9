"""Review's JSON API: the diff of two revisions of an article (newsdesk.diff/1);
annotations, their threads, flag dismissals and the queue (newsdesk.annotations/1);
corrections (newsdesk.correction/1); the user's notifications.

Endpoints parse, look up and call one service (review.services): a service's
``ValidationError`` is a 422, ``PermissionDenied`` a 403, ``Conflict`` a 409.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from articles.api import Part, Span, TextSpan
from articles.models import Article, Person, Revision
from articles.selectors import latest_analyses_for
from newsdesk.api import READ_REFUSALS, REFUSALS, ObjectId, api, error_response, require_perm
from review import selectors, services
from review.forms import CompareForm, QueueFilterForm
from review.models import Annotation, Comment, Correction, Notification
from review.services import Conflict

router = Router(tags=["review"])


class DiffSide(Part):
    text: str
    sentences: list[Span]


class Token(Part):
    op: str  # equal | delete | insert
    text: str


class DiffOp(Part):
    op: str  # equal | changed | added | deleted | moved
    old: int | None
    new: int | None
    changed: bool
    tokens: list[Token]
    # Only on the ops that have them (an extension; see docs/INTERFACE.md):
    typographic: bool = False
    split: list[int] = []
    merged: list[int] = []
    rewritten: bool = False


class AttributionSide(Part):
    speaker: TextSpan | None
    cue: TextSpan | None
    content: TextSpan | None


class AttributionChange(Part):
    kind: str  # speaker-changed | cue-changed | content-changed | added | removed
    old: AttributionSide | None
    new: AttributionSide | None
    parts: list[str] = []  # which of speaker/cue/content changed; not on added/removed


class DiffOut(Schema):
    """Two revisions' diff; ``old``/``new`` in an op are sentence indices."""

    article: str
    from_: int = Field(alias="from")
    to: int
    schema_: str = Field(alias="schema")  # "schema" itself shadows a BaseModel attribute
    old: DiffSide
    new: DiffSide
    ops: list[DiffOp]
    attribution_changes: list[AttributionChange]


@router.get(
    "/articles/{slug}/diff",
    response={200: DiffOut, **REFUSALS},
    url_name="article-diff",
    by_alias=True,
    exclude_unset=True,  # split/merged/typographic/rewritten only where the diff has them
    summary="The diff of two revisions (default: previous against latest)",
)
def article_diff(
    request: HttpRequest,
    slug: str,
    from_: int | None = Query(None, alias="from"),
    to: int | None = None,
) -> object:
    require_perm(request, "articles.view_article")
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise Http404(f"No article with slug {slug!r}.")
    revisions = selectors.article_revisions(article)
    numbers = [r.number for r in revisions]
    if len(numbers) < 2:
        raise HttpError(400, "This article has only one revision.")
    pair = {k: str(v) for k, v in (("from", from_), ("to", to)) if v is not None}
    form = CompareForm.for_revisions(pair, numbers=numbers)
    if not form.is_valid():
        return error_response(request, 400, "Invalid revision pair.", fields=form.errors)
    by_number = {r.number: r for r in revisions}
    old = by_number[form.cleaned_data["from_"]]
    new = by_number[form.cleaned_data["to"]]
    analysed = latest_analyses_for([old, new])
    for revision in (old, new):
        if revision.pk not in analysed:  # an empty diff would read as "nothing changed"
            return error_response(
                request,
                409,
                f"Revision {revision.number} is not analysed yet: its diff is not available "
                "until it is (manage.py reanalyse --missing analyses it).",
            )
    result = selectors.diff_for(old, new)
    return {"article": article.slug, "from": old.number, "to": new.number, **result}


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    # The object's state does not allow the action now (review.services.Conflict).
    return error_response(request, 409, str(exc))


def _refuse(field: str, message: str) -> DjangoValidationError:
    """Bad input, before any service is called: 422 ``{"error", "fields": {field: [message]}}``."""
    return DjangoValidationError({field: [message]})


def _article(slug: str) -> Article:
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise Http404(f"No article with slug {slug!r}.")
    return article


# --------------------------------------------------------------------------
# annotations (newsdesk.annotations/1)

AnnotationKind = Literal["disputed_attribution", "fact", "style", "legal", "other"]
AnnotationStatus = Literal["open", "resolved", "rejected"]
PlacementState = Literal["original", "carried", "changed", "orphaned"]


class QuoteOut(Schema):
    """The anchor as made: W3C TextQuote (exact, prefix, suffix) + TextPosition (start, end)
    in the text of the revision the annotation was made on."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class PlacementOut(Schema):
    """Where the annotation stands in the text of the revision it is seen from."""

    state: PlacementState
    start: int | None  # null when orphaned
    end: int | None
    text: str


class CommentVersionOut(Schema):
    body: str
    written_at: datetime


class CommentOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime
    edited: bool
    versions: list[CommentVersionOut]  # earlier wordings, oldest first


class AnnotationOut(Schema):
    id: int
    kind: AnnotationKind
    status: AnnotationStatus
    author: str
    revision: int  # the number of the revision it was made on
    quote: QuoteOut
    # null only outside the per-revision list: not placed on the article's latest
    # revision (settled before that revision was recorded).
    placement: PlacementOut | None
    proposed_speaker: str | None
    comments: list[CommentOut]


class AnnotationsOut(Schema):
    schema_: str = Field(alias="schema")
    revision: int
    annotations: list[AnnotationOut]


class PersonRef(Schema):
    person: int  # a Person's id in the registry


class AnnotationIn(Schema):
    revision: int
    start: int | None = None
    end: int | None = None
    kind: str
    comment: str
    proposed_speaker: PersonRef | str | None = None
    exact: str | None = None
    attribution: int | None = None
    evidence_url: str = ""
    evidence_note: str = ""
    assignee: str | None = None  # a username


class CommentIn(Schema):
    body: str


class ReasonIn(Schema):
    reason: str


class AssignIn(Schema):
    assignee: str | None  # a username, or null to unassign


class DismissIn(Schema):
    reason: str


class FlagDecisionOut(Schema):
    decision: Literal["dismissed", "disputed"]
    reason: str
    by: str
    speaker: str | None
    cue: str
    content: str


class QueueOut(Schema):
    count: int
    page: int
    annotations: list[AnnotationOut]


def _comment_out(comment: Comment) -> dict[str, object]:
    return {
        "id": comment.pk,
        "author": comment.author.get_username(),
        "body": comment.body,
        "created_at": comment.created_at,
        "edited": comment.edited_at is not None,
        "versions": [{"body": v.body, "written_at": v.written_at} for v in comment.versions.all()],
    }


def _annotation_out(view: selectors.AnnotationView) -> dict[str, object]:
    annotation = view.annotation
    placement = (
        None
        if view.state == "other"
        else {"state": view.state, "start": view.start, "end": view.end, "text": view.text}
    )
    return {
        "id": annotation.pk,
        "kind": annotation.kind,
        "status": annotation.status,
        "author": annotation.author.get_username(),
        "revision": annotation.revision.number,
        "quote": {
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
            "start": annotation.start,
            "end": annotation.end,
        },
        "placement": placement,
        "proposed_speaker": annotation.proposed_speaker or None,
        "comments": [_comment_out(c) for c in annotation.comments.all()],
    }


def _place_on_latest(article: Article) -> None:
    """Place the article's open annotations on its latest revision, if nobody has yet
    (as the reading desk does when it first shows a revision)."""
    latest = selectors.revision_get(article, None)
    if services.placements_pending(latest):
        services.placements_ensure(revision=latest)


def _as_of_latest(annotation: Annotation) -> dict[str, object]:
    """The annotation as the queue shows it: placed on its article's latest revision."""
    _place_on_latest(annotation.article)  # e.g. reopened after a newer revision arrived
    (view,) = selectors.annotation_views([annotation.pk])
    return _annotation_out(view)


def _annotation(pk: int) -> Annotation:
    annotation = Annotation.objects.select_related("article", "revision").filter(pk=pk).first()
    if annotation is None:
        raise Http404(f"No annotation with id {pk}.")
    return annotation


def _proposed(value: PersonRef | str | None) -> tuple[Person | None, str]:
    if isinstance(value, PersonRef):
        person = Person.objects.filter(pk=value.person).first()
        if person is None:
            raise _refuse("proposed_speaker", f"Unknown person: there is no person {value.person}.")
        return person, ""
    return None, value or ""


def _user_named(username: str, field: str) -> AbstractBaseUser:
    # No user name holds a NUL, and PostgreSQL refuses to compare text with one.
    user = None
    if "\x00" not in username:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        shown = username.replace("\x00", "\\x00")
        raise _refuse(field, f"Unknown user “{shown}”.")
    return user


@router.get(
    "/articles/{slug}/annotations",
    response={200: AnnotationsOut, **READ_REFUSALS},
    url_name="article-annotations",
    by_alias=True,
    summary="An article's annotations as placed on one revision (default: the latest)",
)
def article_annotations(request: HttpRequest, slug: str, revision: int | None = None) -> object:
    require_perm(request, "review.view_annotation")
    shown = selectors.revision_get(_article(slug), revision)
    if services.placements_pending(shown):  # first shown since it arrived: place open notes
        services.placements_ensure(revision=shown)
    views = selectors.annotations_for(shown, user=request.user)
    return {
        "schema": "newsdesk.annotations/1",
        "revision": shown.number,
        "annotations": [_annotation_out(v) for v in views if v.state != "other"],
    }


@router.post(
    "/articles/{slug}/annotations",
    response={201: AnnotationOut, **REFUSALS},
    url_name="annotation-create",
    summary="Annotate a passage of one revision, with a first comment",
)
def annotation_create(request: HttpRequest, slug: str, payload: AnnotationIn) -> object:
    require_perm(request, "review.add_annotation")
    article = _article(slug)
    revision = article.revisions.filter(number=payload.revision).first()
    if revision is None:
        raise _refuse(
            "revision", f"Unknown revision: article {slug!r} has no revision {payload.revision}."
        )
    person, speaker_text = _proposed(payload.proposed_speaker)
    assignee = None
    if payload.assignee:
        assignee = _user_named(payload.assignee, "assignee")
        if not assignee.has_perm("review.add_annotation"):
            raise _refuse("assignee", f"{payload.assignee} is not in the newsroom's groups.")
    annotation = services.annotation_create(
        revision=revision,
        author=request.user,
        kind=payload.kind,
        start=payload.start,
        end=payload.end,
        exact=payload.exact,
        comment=payload.comment,
        attribution_index=payload.attribution,
        proposed_person=person,
        proposed_speaker_text=speaker_text,
        evidence_url=payload.evidence_url,
        evidence_note=payload.evidence_note,
        assignee=assignee,
    )
    (view,) = selectors.annotation_views([annotation.pk], revision=revision)
    return Status(201, _annotation_out(view))


@router.post(
    "/annotations/{annotation_id}/comments",
    response={201: CommentOut, **REFUSALS},
    url_name="comment-create",
    summary="Reply in an annotation's thread",
)
def comment_create(request: HttpRequest, annotation_id: int, payload: CommentIn) -> object:
    require_perm(request, "review.add_comment")
    annotation = _annotation(annotation_id)
    comment = services.comment_add(annotation=annotation, author=request.user, body=payload.body)
    return Status(201, _comment_out(comment))


@router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, **REFUSALS},
    url_name="comment-edit",
    summary="Reword one's own comment (the earlier wording is kept)",
)
def comment_edit(request: HttpRequest, comment_id: int, payload: CommentIn) -> object:
    require_perm(request, "review.add_comment")
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise Http404(f"No comment with id {comment_id}.")
    services.comment_edit(comment=comment, editor=request.user, body=payload.body)
    return _comment_out(
        Comment.objects.select_related("author").prefetch_related("versions").get(pk=comment_id)
    )


def _status_endpoint(action: str, service: Callable[..., Annotation], summary: str) -> None:
    @router.post(
        f"/annotations/{{annotation_id}}/{action}",
        response={200: AnnotationOut, **REFUSALS},
        url_name=f"annotation-{action}",
        operation_id=f"review_api_annotation_{action}",
        summary=summary,
    )
    def change_status(request: HttpRequest, annotation_id: int, payload: ReasonIn) -> object:
        require_perm(request, "review.view_annotation")
        annotation = _annotation(annotation_id)
        _place_on_latest(annotation.article)  # while it is open: a settled one is not placed
        service(annotation=annotation, actor=request.user, reason=payload.reason)
        return _as_of_latest(annotation)


_status_endpoint("resolve", services.annotation_resolve, "Resolve an open annotation, saying why")
_status_endpoint("reject", services.annotation_reject, "Reject an open annotation, saying why")
_status_endpoint("reopen", services.annotation_reopen, "Reopen a settled annotation, saying why")


@router.post(
    "/annotations/{annotation_id}/assign",
    response={200: AnnotationOut, **REFUSALS},
    url_name="annotation-assign",
    summary="Assign an annotation to a member of the newsroom (null: nobody)",
)
def annotation_assign(request: HttpRequest, annotation_id: int, payload: AssignIn) -> object:
    require_perm(request, "review.add_annotation")
    annotation = _annotation(annotation_id)
    assignee = _user_named(payload.assignee, "assignee") if payload.assignee else None
    services.annotation_assign(annotation=annotation, actor=request.user, assignee=assignee)
    return _as_of_latest(annotation)


@router.post(
    "/articles/{slug}/revisions/{number}/attributions/{index}/dismiss",
    response={201: FlagDecisionOut, **REFUSALS},
    url_name="flag-dismiss",
    summary="Dismiss the machine flag on an attribution (it stays dismissed in later revisions)",
)
def flag_dismiss(
    request: HttpRequest, slug: str, number: int, index: int, payload: DismissIn
) -> object:
    require_perm(request, "review.add_flagdecision")
    revision = Revision.objects.filter(article__slug=slug, number=number).first()
    if revision is None:
        raise Http404(f"No revision {number} of an article with slug {slug!r}.")
    row = services.flag_dismiss(
        revision=revision, attribution_index=index, actor=request.user, reason=payload.reason
    )
    return Status(
        201,
        {
            "decision": row.decision,
            "reason": row.reason,
            "by": row.by.get_username(),
            "speaker": row.speaker_text or None,
            "cue": row.cue_text,
            "content": row.content_text,
        },
    )


QUEUE_PER_PAGE = 50


@router.get(
    "/annotations",
    response={200: QueueOut, **READ_REFUSALS},
    url_name="annotation-queue",
    summary="The newsroom's annotations, newest first, filtered (50 a page)",
)
def annotation_queue(
    request: HttpRequest,
    kind: str = "",
    status: str = "",
    author: str = "",
    assignee: str = "",
    source: str = "",
    article: str = "",
    placement: str = "",
    page: int = Query(1, ge=1),
) -> object:
    require_perm(request, "review.view_annotation")
    query = {
        "kind": kind,
        "status": status,
        "author": author,
        "assignee": assignee,
        "source": source,
        "article": article,
        "placement": placement,
    }
    form = QueueFilterForm(query)
    if not form.is_valid():
        return error_response(request, 422, "Invalid filter.", fields=form.errors)
    # A newer revision arrived and nobody has opened it yet: place its notes first,
    # so that placements are as of the latest revision.
    for revision in selectors.stale_placements():
        services.placements_ensure(revision=revision)
    paginator = Paginator(selectors.annotation_queue(**form.cleaned_data), QUEUE_PER_PAGE)
    try:
        shown = paginator.page(page)
    except EmptyPage as error:
        raise Http404(f"No page {page}: there are {paginator.num_pages}.") from error
    ids = [a.pk for a in shown.object_list]
    return {
        "count": paginator.count,
        "page": page,
        "annotations": [_annotation_out(v) for v in selectors.annotation_views(ids)],
    }


# --------------------------------------------------------------------------
# notifications


class NotificationOut(Schema):
    id: int
    verb: Literal["mention", "reply", "assigned", "status", "correction"]
    actor: str | None
    article: str  # the article's slug
    annotation: int | None
    correction: int | None
    summary: str
    url: str
    created_at: datetime
    read: bool


class NotificationsOut(Schema):
    count: int
    unread: int
    page: int
    notifications: list[NotificationOut]


class MarkReadIn(Schema):
    ids: list[ObjectId] | None = None  # none: all of them


class MarkedOut(Schema):
    marked: int


NOTIFICATIONS_PER_PAGE = 50


@router.get(
    "/notifications",
    response={200: NotificationsOut, **READ_REFUSALS},
    url_name="notifications",
    summary="The logged-in user's notifications, newest first (50 a page)",
)
def notification_list(
    request: HttpRequest, unread: bool = False, page: int = Query(1, ge=1)
) -> object:
    rows = Notification.objects.filter(recipient=request.user).select_related("actor", "article")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    paginator = Paginator(rows, NOTIFICATIONS_PER_PAGE)
    try:
        shown = paginator.page(page)
    except EmptyPage as error:
        raise Http404(f"No page {page}: there are {paginator.num_pages}.") from error
    return {
        "count": paginator.count,
        "unread": selectors.unread_count(request.user),
        "page": page,
        "notifications": [
            {
                "id": n.pk,
                "verb": n.verb,
                "actor": n.actor.get_username() if n.actor else None,
                "article": n.article.slug,
                "annotation": n.annotation_id,
                "correction": n.correction_id,
                "summary": n.summary,
                "url": n.url,
                "created_at": n.created_at,
                "read": n.read_at is not None,
            }
            for n in shown.object_list
        ],
    }


@router.post(
    "/notifications/read",
    response={200: MarkedOut, **READ_REFUSALS},
    url_name="notifications-read",
    summary="Mark the user's notifications read (all, or those ids)",
)
def notifications_read(request: HttpRequest, payload: MarkReadIn | None = None) -> object:
    ids = payload.ids if payload is not None else None
    return {"marked": services.notifications_mark_read(user=request.user, ids=ids)}


# --------------------------------------------------------------------------
# corrections (newsdesk.correction/1)


class CorrectionOut(Schema):
    schema_: str = Field(alias="schema")
    id: int
    state: Literal["draft", "submitted", "signed_off", "published", "returned", "withdrawn"]
    kind: Literal["correction", "clarification", "editors_note"]
    note: str
    base_revision: int  # numbers, not ids
    published_revision: int | None
    proposer: str
    reviewer: str | None
    annotations: list[int]


class CorrectionIn(Schema):
    annotations: list[ObjectId] = []
    body: str | None = None  # none: the latest revision's, proposed speakers substituted
    title: str | None = None  # none: the latest revision's
    standfirst: str | None = None
    byline: str | None = None
    note: str
    kind: str = "correction"


class CorrectionPatch(Schema):
    """Only the fields given change."""

    note: str | None = None
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    body: str | None = None
    kind: str | None = None


class SignOffIn(Schema):
    override_reason: str = ""


class ReturnIn(Schema):
    comment: str


class WithdrawIn(Schema):
    reason: str = ""


def _correction_out(pk: int) -> dict[str, object]:
    correction = (
        Correction.objects.select_related(
            "base_revision", "published_revision", "proposer", "reviewer"
        )
        .prefetch_related("annotations")
        .get(pk=pk)
    )
    published = correction.published_revision
    return {
        "schema": "newsdesk.correction/1",
        "id": correction.pk,
        "state": correction.state,
        "kind": correction.kind,
        "note": correction.note,
        "base_revision": correction.base_revision.number,
        "published_revision": published.number if published else None,
        "proposer": correction.proposer.get_username(),
        "reviewer": correction.reviewer.get_username() if correction.reviewer else None,
        "annotations": sorted(a.pk for a in correction.annotations.all()),
    }


def _correction(request: HttpRequest, pk: int, perm: str = "review.view_correction") -> Correction:
    require_perm(request, perm)
    correction = Correction.objects.select_related("article").filter(pk=pk).first()
    if correction is None:
        raise Http404(f"No correction with id {pk}.")
    return correction


@router.post(
    "/articles/{slug}/corrections",
    response={201: CorrectionOut, **REFUSALS},
    url_name="correction-draft",
    by_alias=True,
    summary="Draft a correction of the article's latest revision",
)
def correction_draft(request: HttpRequest, slug: str, payload: CorrectionIn) -> object:
    require_perm(request, "review.add_correction")
    article = _article(slug)
    try:
        annotations = selectors.annotations_by_ids(article, payload.annotations)
    except DjangoValidationError as error:
        raise _refuse("annotations", error.messages[0]) from error
    correction = services.correction_draft(
        article=article,
        proposer=request.user,
        annotations=annotations,
        kind=payload.kind,
        note=payload.note,
        title=payload.title,
        standfirst=payload.standfirst,
        byline=payload.byline,
        body=payload.body,
    )
    return Status(201, _correction_out(correction.pk))


@router.get(
    "/corrections/{correction_id}",
    response={200: CorrectionOut, **READ_REFUSALS},
    url_name="correction",
    by_alias=True,
    summary="A correction: its state, note, base revision and the annotations it settles",
)
def correction_get(request: HttpRequest, correction_id: int) -> object:
    return _correction_out(_correction(request, correction_id).pk)


@router.patch(
    "/corrections/{correction_id}",
    response={200: CorrectionOut, **REFUSALS},
    url_name="correction-update",
    by_alias=True,
    summary="Edit a draft or returned correction (a returned one goes back to draft)",
)
def correction_update(request: HttpRequest, correction_id: int, payload: CorrectionPatch) -> object:
    correction = _correction(request, correction_id, "review.add_correction")

    def given(field: str) -> str:
        value = getattr(payload, field)
        return getattr(correction, field) if value is None else value

    services.correction_update(
        correction=correction,
        actor=request.user,
        note=given("note"),
        title=given("title"),
        standfirst=given("standfirst"),
        byline=given("byline"),
        body=given("body"),
        kind=payload.kind,
    )
    return _correction_out(correction.pk)


@router.post(
    "/corrections/{correction_id}/submit",
    response={200: CorrectionOut, **REFUSALS},
    url_name="correction-submit",
    by_alias=True,
    summary="Send a draft to the copy desk for sign-off",
)
def correction_submit(request: HttpRequest, correction_id: int) -> object:
    correction = _correction(request, correction_id, "review.add_correction")
    services.correction_submit(correction=correction, actor=request.user)
    return _correction_out(correction.pk)


@router.post(
    "/corrections/{correction_id}/sign-off",
    response={200: CorrectionOut, **REFUSALS},
    url_name="correction-sign-off",
    by_alias=True,
    summary="Sign off a submitted correction: publishes the corrected revision and its note",
)
def correction_sign_off(
    request: HttpRequest, correction_id: int, payload: SignOffIn | None = None
) -> object:
    correction = _correction(request, correction_id)
    services.correction_sign_off(
        correction=correction,
        actor=request.user,
        override_reason=payload.override_reason if payload is not None else "",
    )
    return _correction_out(correction.pk)


@router.post(
    "/corrections/{correction_id}/return",
    response={200: CorrectionOut, **REFUSALS},
    url_name="correction-return",
    by_alias=True,
    summary="Send a submitted correction back to its proposer, saying why",
)
def correction_return(request: HttpRequest, correction_id: int, payload: ReturnIn) -> object:
    correction = _correction(request, correction_id)
    services.correction_return(correction=correction, actor=request.user, comment=payload.comment)
    return _correction_out(correction.pk)


@router.post(
    "/corrections/{correction_id}/withdraw",
    response={200: CorrectionOut, **REFUSALS},
    url_name="correction-withdraw",
    by_alias=True,
    summary="Withdraw a draft or returned correction",
)
def correction_withdraw(
    request: HttpRequest, correction_id: int, payload: WithdrawIn | None = None
) -> object:
    correction = _correction(request, correction_id, "review.add_correction")
    services.correction_withdraw(
        correction=correction,
        actor=request.user,
        reason=payload.reason if payload is not None else "",
    )
    return _correction_out(correction.pk)


@router.post(
    "/corrections/{correction_id}/rebase",
    response={200: CorrectionOut, **REFUSALS},
    url_name="correction-rebase",
    by_alias=True,
    summary="Move a correction onto the article's latest revision",
)
def correction_rebase(request: HttpRequest, correction_id: int) -> object:
    correction = _correction(request, correction_id, "review.add_correction")
    services.correction_rebase(correction=correction, actor=request.user)
    return _correction_out(correction.pk)
