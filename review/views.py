"""The reading desk and the compare page: thin views over review.selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from articles import selectors as articles_selectors
from articles.forms import ArticleFilterForm
from articles.models import Article, Revision, Source
from articles.pagination import BoundedPage, KeysetPage, bounded_page, keyset_page, page_links
from review import selectors, services
from review.forms import (
    AnnotationForm,
    AssignForm,
    CommentForm,
    CompareForm,
    CorrectionForm,
    DismissForm,
    QueueFilterForm,
    ReasonForm,
    ReturnForm,
    SignOffForm,
)
from review.models import Annotation, Comment, Correction
from review.pagecache import page_cached
from review.services import Conflict

DESK_PER_PAGE = 50
#: Search results are ranked: a few pages of the best matches, never a deep OFFSET.
SEARCH_PAGES = 10


@require_GET
@page_cached  # first: a cached page is keyed by its reader and the stamp of permissions
@permission_required("articles.view_article", raise_exception=True)
def desk(request: HttpRequest) -> HttpResponse:
    """The desk: articles newest first, with their open annotations and waiting corrections."""
    form = ArticleFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    query = filters.get("q", "")
    source = filters.get("source", "")
    minor = bool(filters.get("minor"))
    rows = selectors.desk_rows(
        articles_selectors.article_list(source_slug=source, include_minor=minor)
    )
    page: KeysetPage | BoundedPage
    if query:
        rows = articles_selectors.article_search(rows, query)
        page = bounded_page(
            rows, number=request.GET.get("page", ""), size=DESK_PER_PAGE, max_pages=SEARCH_PAGES
        )
    else:
        page = keyset_page(
            rows,
            field="listed_at",
            size=DESK_PER_PAGE,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
    previous, following = page_links(
        {"q": query, "source": source, "minor": "on" if minor else ""}, page
    )
    context = {
        "form": form,
        "articles": page.rows,
        "page": page,
        "previous_query": previous,
        "next_query": following,
        "sources": articles_selectors.sources_in_use(),
        "query": query,
        "source": source,
        "minor": minor,
        "show_waiting": request.user.has_perm("review.sign_off_correction"),
    }
    template = "review/desk.html#results" if request.htmx else "review/desk.html"
    return render(request, template, context)


@require_GET
@page_cached  # first: a cached page is keyed by its reader and the stamp of permissions
@permission_required("articles.view_article", raise_exception=True)
def article_read(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    picked = request.GET.get("r", "")
    if picked.isdigit():  # the revision picker, submitted without JavaScript
        return redirect("review:revision", slug=slug, number=int(picked))
    revisions = selectors.article_revisions(article)  # one query, the shown revision among them
    revision = next((r for r in revisions if r.number == number), None)
    if revision is None and (number is not None or not revisions):
        raise Http404("No such revision.")
    revision = revision or revisions[-1]
    revision.article = article
    selected = _int_param(request.GET.get("annotation"))
    annotations = selectors.annotations_for(revision, user=request.user, selected=selected)
    if any(
        v.annotation.is_open
        and v.state == "other"
        and v.annotation.revision.number < revision.number
        for v in annotations
    ):
        # First shown since it arrived: place the open notes of older revisions, once.
        services.placements_ensure(revision=revision)
        annotations = selectors.annotations_for(revision, user=request.user, selected=selected)
    reading = selectors.reading_cached(
        revision, annotations=selectors.annotation_marks(annotations)
    )
    decisions = selectors.flag_decisions(article)
    panel = selectors.attribution_panel(
        reading, decisions, selected=_int_param(request.GET.get("attribution"))
    )
    show_minor = request.GET.get("minor") == "1"
    history = selectors.history_for(revisions)
    context = {
        # The attributions panel is cached as HTML under everything it shows: the
        # reading, the decisions, the viewer's permissions and CSRF secret (its forms).
        "panel_key": selectors.cache_key(
            "panel",
            reading.key,
            sorted(
                (d.pk, d.decision, d.reason, d.by_id, d.annotation_id) for d in decisions.values()
            ),
            _int_param(request.GET.get("attribution")),
            request.user.has_perm("review.add_annotation"),
            request.user.has_perm("review.add_flagdecision"),
            get_token(request) and request.META.get("CSRF_COOKIE", ""),
        ),
        "article": article,
        "revision": revision,
        "latest": revisions[-1],
        "history": history,
        "history_shown": selectors.history_shown(
            history, show_minor=show_minor, reading=revision.number
        ),
        "show_minor": show_minor,
        "following": selectors.follow_state(request.user, article),
        "minor_count": sum(1 for h in history if h.revision.minor),
        "reading": reading,
        "panel": panel,
        "decided_count": sum(1 for row in panel if row.view.flags and row.decision),
        "annotations": annotations,
        "open_count": sum(1 for a in annotations if a.annotation.is_open),
        "assignees": selectors.newsroom_users(),
    }
    return render(request, "review/article.html", context)


@require_GET
@page_cached  # first: a cached page is keyed by its reader and the stamp of permissions
@permission_required("articles.view_article", raise_exception=True)
def article_compare(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    revisions = selectors.article_revisions(article)
    numbers = [r.number for r in revisions]
    form = CompareForm.for_revisions(request.GET, numbers=numbers)
    valid = form.is_valid()
    context: dict[str, object] = {
        "article": article,
        "form": form,
        "revisions": revisions,
        "latest": revisions[-1] if revisions else None,
        "changes_only": form.cleaned_data.get("changes", False),
        # Without ?mode= narrow screens switch to inline (app.js); an explicit mode wins.
        "mode_explicit": bool(request.GET.get("mode")),
    }
    status = 200
    if len(numbers) < 2:
        context["notice"] = "This article has only one revision: there is nothing to compare yet."
    elif valid:
        by_number = {r.number: r for r in revisions}
        old = by_number[form.cleaned_data["from_"]]
        new = by_number[form.cleaned_data["to"]]
        context.update(
            old=old,
            new=new,
            mode=form.cleaned_data["mode"],
            **selectors.compare_cached(old, new),
        )
    else:
        status = 400
    template = "review/compare.html#compare" if request.htmx else "review/compare.html"
    return render(request, template, context, status=status)


# --------------------------------------------------------------------------
# annotations


def _int_param(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _reading_url(revision: Revision, **params: object) -> str:
    url = reverse(
        "review:revision", kwargs={"slug": revision.article.slug, "number": revision.number}
    )
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{url}?{query}" if query else url


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    """After a write: back to the page, with a message (htmx reloads it)."""
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _refused(request: HttpRequest, url: str, error: Exception) -> HttpResponse:
    message = error.messages[0] if isinstance(error, ValidationError) else str(error)
    status = (
        403 if isinstance(error, PermissionDenied) else 409 if isinstance(error, Conflict) else 422
    )
    if request.htmx:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    messages.error(request, message)
    return redirect(url)


def _revision(slug: str, number: int) -> Revision:
    return get_object_or_404(
        Revision.objects.select_related("article__source"), article__slug=slug, number=number
    )


def _annotation_form_context(
    revision: Revision,
    form: AnnotationForm,
    reading: selectors.AttributionView | None,
) -> dict[str, object]:
    return {
        "article": revision.article,
        "revision": revision,
        "form": form,
        "attribution": reading,
    }


def _attribution_view(revision: Revision, index: int | None) -> selectors.AttributionView | None:
    if index is None:
        return None
    reading = selectors.reading_for(revision)
    return next((a for a in reading.attributions if a.index == index), None)


@require_GET
@permission_required("review.add_annotation", raise_exception=True)
def annotation_new(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The annotate form for a selection (start, end, exact) or an attribution."""
    revision = _revision(slug, number)
    index = _int_param(request.GET.get("attribution"))
    attribution = _attribution_view(revision, index)
    initial: dict[str, object] = {
        "start": _int_param(request.GET.get("start")),
        "end": _int_param(request.GET.get("end")),
        "exact": request.GET.get("exact", ""),
        "kind": request.GET.get("kind") or Annotation.Kind.DISPUTED_ATTRIBUTION,
    }
    if attribution is not None:
        span = selectors.attribution_span(revision, attribution.index)
        initial.update(start=span[0], end=span[1], exact=revision.body[span[0] : span[1]])
        initial["attribution"] = attribution.index
        person = selectors.person_for(attribution.suggested_speaker)
        if person is not None:
            initial["proposed_person"] = person.pk
        elif attribution.suggested_speaker:
            initial["proposed_speaker_text"] = attribution.suggested_speaker
    elif not (initial["exact"] or "").strip():
        initial["kind"] = request.GET.get("kind") or Annotation.Kind.FACT
    form = AnnotationForm(initial=initial, assignees=selectors.newsroom_users())
    context = _annotation_form_context(revision, form, attribution)
    template = "review/annotate.html#annotate-form" if request.htmx else "review/annotate.html"
    return render(request, template, context)


@require_POST
@permission_required("review.add_annotation", raise_exception=True)
def annotation_create(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    revision = _revision(slug, number)
    form = AnnotationForm(request.POST, assignees=selectors.newsroom_users())
    attribution = _attribution_view(revision, _int_param(request.POST.get("attribution")))
    if form.is_valid():
        data = form.cleaned_data
        try:
            annotation = services.annotation_create(
                revision=revision,
                author=request.user,
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                exact=data["exact"],
                comment=data["comment"],
                attribution_index=data["attribution"],
                proposed_person=data["proposed_person"],
                proposed_speaker_text=data["proposed_speaker_text"],
                evidence_url=data["evidence_url"],
                evidence_note=data["evidence_note"],
                assignee=data["assignee"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(
                request,
                _reading_url(revision, annotation=annotation.pk),
                f"Annotation {annotation.pk} saved.",
            )
    context = _annotation_form_context(revision, form, attribution)
    template = "review/annotate.html#annotate-form" if request.htmx else "review/annotate.html"
    return render(request, template, context, status=422)


def _annotation(pk: int) -> Annotation:
    return get_object_or_404(Annotation.objects.select_related("article", "revision"), pk=pk)


def _back(request: HttpRequest, annotation: Annotation) -> str:
    """The reading desk of the revision the editor was looking at, this annotation selected."""
    number = _int_param(request.POST.get("revision") or request.GET.get("revision"))
    revision = annotation.article.revisions.filter(number=number).first() if number else None
    return _reading_url(revision or annotation.revision, annotation=annotation.pk)


@require_POST
@permission_required("review.add_comment", raise_exception=True)
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = _annotation(pk)
    form = CommentForm(request.POST)
    back = _back(request, annotation)
    if not form.is_valid():
        return _refused(request, back, ValidationError(form.errors["body"][0]))
    try:
        services.comment_add(
            annotation=annotation, author=request.user, body=form.cleaned_data["body"]
        )
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, back, error)
    return _done(request, back, "Reply posted.")


@require_http_methods(["GET", "POST"])
@permission_required("review.add_comment", raise_exception=True)
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("annotation__article", "annotation__revision"), pk=pk
    )
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the author of a comment can edit it.")
    back = _back(request, comment.annotation)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment, editor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return _done(request, back, "Comment edited; the earlier wording is kept.")
    status = 422 if request.method == "POST" else 200
    # The revision the editor came from, kept through the form for "back".
    revision = request.POST.get("revision") or request.GET.get("revision", "")
    return render(
        request,
        "review/comment_edit.html",
        {"comment": comment, "form": form, "back": back, "revision": revision},
        status=status,
    )


@require_POST
@login_required
def annotation_status(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = _annotation(pk)
    form = ReasonForm(request.POST)
    back = _back(request, annotation)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _refused(request, back, ValidationError(first))
    action = {
        "resolve": services.annotation_resolve,
        "reject": services.annotation_reject,
        "reopen": services.annotation_reopen,
    }[form.cleaned_data["action"]]
    try:
        annotation = action(
            annotation=annotation, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied, Conflict) as error:
        return _refused(request, back, error)
    return _done(
        request,
        back,
        f"Annotation {annotation.pk} is now {annotation.get_status_display().lower()}.",
    )


@require_POST
@permission_required("review.add_annotation", raise_exception=True)
def annotation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = _annotation(pk)
    form = AssignForm(request.POST, assignees=selectors.newsroom_users())
    back = _back(request, annotation)
    if not form.is_valid():
        return _refused(request, back, ValidationError("Choose a member of the newsroom."))
    assignee = form.cleaned_data["assignee"]
    try:
        services.annotation_assign(annotation=annotation, actor=request.user, assignee=assignee)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, back, error)
    who = assignee.get_full_name() or assignee.username if assignee else "nobody"
    return _done(request, back, f"Annotation {annotation.pk} assigned to {who}.")


@require_POST
@permission_required("review.add_flagdecision", raise_exception=True)
def flag_dismiss(request: HttpRequest, slug: str, number: int, index: int) -> HttpResponse:
    revision = _revision(slug, number)
    form = DismissForm(request.POST)
    back = _reading_url(revision, attribution=index)
    if not form.is_valid():
        return _refused(request, back, ValidationError(form.errors["reason"][0]))
    try:
        services.flag_dismiss(
            revision=revision,
            attribution_index=index,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied, Conflict) as error:
        return _refused(request, back, error)
    return _done(request, back, "Flag dismissed: it stays dismissed in later revisions.")


QUEUE_PER_PAGE = 50


def _annotation_page(request: HttpRequest, filters: dict[str, str]) -> KeysetPage:
    return keyset_page(
        selectors.annotation_queue(**filters),
        field="created_at",
        size=QUEUE_PER_PAGE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )


@require_GET
@permission_required("review.view_annotation", raise_exception=True)
def annotation_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    # A newer revision arrived and nobody has opened it yet: place its notes first,
    # so that "changed" and "orphaned" are filtered (all of them) and shown (the
    # page's) as of the latest revision.
    if filters.get("placement"):
        for revision in selectors.stale_placements():
            services.placements_ensure(revision=revision)
    page = _annotation_page(request, filters)
    stale = selectors.stale_placements(articles={a.article_id for a in page.rows})
    if stale:
        for revision in stale:
            services.placements_ensure(revision=revision)
        page = _annotation_page(request, filters)
    previous, following = page_links(filters, page)
    context = {
        "form": form,
        "page": page,
        "annotations": page.rows,
        "previous_query": previous,
        "next_query": following,
        "sources": articles_selectors.sources_in_use(),
        "users": selectors.newsroom_users(),
    }
    template = "review/annotations.html#queue" if request.htmx else "review/annotations.html"
    return render(request, template, context)


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "unread")
    rows = selectors.notifications_for(request.user, unread_only=show == "unread")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "follows": selectors.follows_of(request.user)}
    return render(request, "review/notifications.html", context)


def _follow(request: HttpRequest, **target: Article | Source) -> HttpResponse:
    (thing,) = target.values()
    following = request.POST.get("action") != "unfollow"
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("review:notifications")
    services.follow_set(user=request.user, following=following, **target)
    name = f"“{thing}”" if isinstance(thing, Source) else "this article"
    verb = "Following" if following else "No longer following"
    return _done(request, back, f"{verb} {name}: new revisions that are not minor are notified.")


@require_POST
@permission_required("articles.view_article", raise_exception=True)
def article_follow(request: HttpRequest, slug: str) -> HttpResponse:
    return _follow(request, article=get_object_or_404(Article, slug=slug))


@require_POST
@permission_required("articles.view_article", raise_exception=True)
def source_follow(request: HttpRequest, slug: str) -> HttpResponse:
    return _follow(request, source=get_object_or_404(Source, slug=slug))


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    ident = _int_param(request.POST.get("id"))
    count = services.notifications_mark_read(user=request.user, ids=[ident] if ident else None)
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("review:notifications")


# --------------------------------------------------------------------------
# corrections


def _annotation_ids(request: HttpRequest) -> list[int]:
    values = request.POST.getlist("annotation") if request.method == "POST" else []
    values = values or request.GET.getlist("annotation")
    return [int(v) for v in values if v.isdigit()]


def _correction_form_context(
    article: Article, base: Revision, form: CorrectionForm, annotations: list, paragraphs: list
) -> dict[str, object]:
    return {
        "article": article,
        "base": base,
        "form": form,
        "annotations": annotations,
        "paragraphs": paragraphs,
    }


@require_http_methods(["GET", "POST"])
@permission_required("review.add_correction", raise_exception=True)
def correction_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Draft a correction of the latest revision, from annotations or from scratch."""
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    base = selectors.revision_get(article, None)
    try:
        annotations = selectors.annotations_by_ids(article, _annotation_ids(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("review:article", slug=slug)
    if services.placements_pending(base):
        services.placements_ensure(revision=base)
    proposed = services.proposed_body(base, annotations)
    marked = selectors.affected_paragraphs(base, annotations)
    if request.method == "POST":
        texts = request.POST.getlist("paragraph")
        form = CorrectionForm(request.POST, paragraphs=texts)
        paragraphs = _paragraph_rows(texts, marked)
        if form.is_valid():
            data = form.cleaned_data
            action = (
                services.correction_draft_and_submit
                if "submit" in request.POST
                else services.correction_draft
            )
            try:
                correction = action(
                    article=article,
                    proposer=request.user,
                    annotations=annotations,
                    kind=data["kind"],
                    note=data["note"],
                    title=data["title"],
                    standfirst=data["standfirst"],
                    byline=data["byline"],
                    body=data["body"],
                )
            except (ValidationError, PermissionDenied, Conflict) as error:
                form.add_error(None, _message(error))
            else:
                done = "submitted for sign-off" if "submit" in request.POST else "saved as a draft"
                messages.success(request, f"Correction {correction.pk} {done}.")
                return redirect("review:correction", pk=correction.pk)
        context = _correction_form_context(article, base, form, annotations, paragraphs)
        return render(request, "review/correction_form.html", context, status=422)
    kind = request.GET.get("kind") or Correction.Kind.CORRECTION
    form = CorrectionForm(
        initial={
            "kind": kind,
            "title": base.title,
            "standfirst": base.standfirst,
            "byline": base.byline,
            "note": selectors.suggested_note(kind, annotations),
        }
    )
    paragraphs = _paragraph_rows(_split_paragraphs(proposed), marked)
    context = _correction_form_context(article, base, form, annotations, paragraphs)
    return render(request, "review/correction_form.html", context)


def _split_paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def _paragraph_rows(texts: list[str], marked: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Each proposed paragraph, open when the base paragraph in its place holds an
    annotated passage; paragraphs beyond the base's are kept (never cut off)."""
    return [(text, i < len(marked) and marked[i][1]) for i, text in enumerate(texts)]


def _message(error: Exception) -> str:
    return error.messages[0] if isinstance(error, ValidationError) else str(error)


@require_POST
@permission_required("review.add_correction", raise_exception=True)
def correction_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The live diff preview of a proposed correction (htmx): the compare engine and rendering."""
    article = get_object_or_404(Article, slug=slug)
    base = selectors.revision_get(article, _int_param(request.POST.get("base")))
    body = "\n\n".join(p.strip() for p in request.POST.getlist("paragraph") if p.strip())
    proposal = selectors.proposal_revision(
        base,
        title=request.POST.get("title", base.title),
        standfirst=request.POST.get("standfirst", base.standfirst),
        byline=request.POST.get("byline", base.byline),
        body=body or base.body,
    )
    context = {
        "article": article,
        "old": base,
        "new": proposal,
        "mode": "side",
        "preview": True,
        "changes_only": True,
        **selectors.correction_preview(base, proposal),
    }
    return render(request, "review/compare.html#changes", context)


@require_GET
@permission_required("review.view_correction", raise_exception=True)
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    correction = selectors.correction_get(pk)
    latest = selectors.revision_get(correction.article, None)
    user = request.user
    own = correction.proposer_id == user.pk
    context = {
        "correction": correction,
        "article": correction.article,
        "old": correction.base_revision,
        "new": correction.published_revision
        or selectors.proposal_revision(correction.base_revision),
        "mode": "side",
        "changes_only": True,
        "preview": not correction.published_revision_id,
        "latest": latest,
        "stale": latest.pk != correction.base_revision_id and not correction.published_revision_id,
        "own": own,
        "can_sign": user.has_perm("review.sign_off_correction") and not own,
        "unsettled": services.unsettled_disputes(correction)
        if correction.state == Correction.State.SUBMITTED
        else [],
        **selectors.correction_diff(correction),
    }
    return render(request, "review/correction.html", context)


def _submit(request: HttpRequest, correction: Correction) -> str:
    services.correction_submit(correction=correction, actor=request.user)
    return "Submitted for sign-off."


def _withdraw(request: HttpRequest, correction: Correction) -> str:
    reason = request.POST.get("reason", "")
    services.correction_withdraw(correction=correction, actor=request.user, reason=reason)
    return "Withdrawn."


def _rebase(request: HttpRequest, correction: Correction) -> str:
    correction = services.correction_rebase(correction=correction, actor=request.user)
    return f"Rebased onto revision {correction.base_revision.number}: check the text."


def _revise(request: HttpRequest, correction: Correction) -> str:
    services.correction_revise(correction=correction, actor=request.user)
    return "Back to draft: edit it and submit again."


def _sign_off(request: HttpRequest, correction: Correction) -> str:
    form = SignOffForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    correction = services.correction_sign_off(
        correction=correction, actor=request.user, override_reason=reason
    )
    return f"Signed off and published as revision {correction.published_revision.number}."


def _return(request: HttpRequest, correction: Correction) -> str:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["comment"][0])
    services.correction_return(
        correction=correction, actor=request.user, comment=form.cleaned_data["comment"]
    )
    return "Returned to the proposer with your comment."


CORRECTION_ACTIONS = {
    "submit": _submit,
    "withdraw": _withdraw,
    "rebase": _rebase,
    "revise": _revise,
    "sign-off": _sign_off,
    "return": _return,
}


@require_POST
@login_required
def correction_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, withdraw, rebase, revise, sign off or return a correction: one service each."""
    correction = get_object_or_404(Correction, pk=pk)
    perform = CORRECTION_ACTIONS.get(action)
    if perform is None:
        raise Http404("No such action.")
    back = request.POST.get("next") or reverse("review:correction", kwargs={"pk": pk})
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("review:correction", kwargs={"pk": pk})
    try:
        done = perform(request, correction)
    except (ValidationError, PermissionDenied, Conflict) as error:
        return _refused(request, back, error)
    return _done(request, back, done)


@require_http_methods(["GET", "POST"])
@permission_required("review.add_correction", raise_exception=True)
def correction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    correction = selectors.correction_get(pk)
    base = correction.base_revision
    annotations = list(correction.annotations.all())
    marked = selectors.affected_paragraphs(base, annotations)
    if request.method == "POST":
        texts = request.POST.getlist("paragraph")
        form = CorrectionForm(request.POST, paragraphs=texts)
        if form.is_valid():
            data = form.cleaned_data
            action = (
                services.correction_update_and_submit
                if "submit" in request.POST
                else services.correction_update
            )
            try:
                action(
                    correction=correction,
                    actor=request.user,
                    note=data["note"],
                    title=data["title"],
                    standfirst=data["standfirst"],
                    byline=data["byline"],
                    body=data["body"],
                    kind=data["kind"],
                )
            except (ValidationError, PermissionDenied, Conflict) as error:
                form.add_error(None, _message(error))
            else:
                messages.success(
                    request,
                    "Submitted for sign-off." if "submit" in request.POST else "Draft saved.",
                )
                return redirect("review:correction", pk=pk)
        paragraphs = _paragraph_rows(texts, marked)
        context = _correction_form_context(correction.article, base, form, annotations, paragraphs)
        context["correction"] = correction
        return render(request, "review/correction_form.html", context, status=422)
    form = CorrectionForm(
        initial={
            "kind": correction.kind,
            "title": correction.title,
            "standfirst": correction.standfirst,
            "byline": correction.byline,
            "note": correction.note,
        }
    )
    paragraphs = _paragraph_rows(_split_paragraphs(correction.body), marked)
    context = _correction_form_context(correction.article, base, form, annotations, paragraphs)
    context["correction"] = correction
    return render(request, "review/correction_form.html", context)


#: Corrections per page of the copy desk's queue (each shows its diff).
CORRECTIONS_PER_PAGE = 10


@require_GET
@permission_required("review.view_correction", raise_exception=True)
def correction_queue(request: HttpRequest) -> HttpResponse:
    """The copy desk's queue: submitted corrections, oldest first, each with its diff."""
    paginator = Paginator(selectors.correction_queue(), CORRECTIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    corrections = list(page.object_list)
    diffs = selectors.correction_diffs(corrections)
    items = [{"correction": c, "diff": d} for c, d in zip(corrections, diffs, strict=True)]
    context = {
        "items": items,
        "page": page,
        "mine": selectors.corrections_of(request.user)[:CORRECTIONS_PER_PAGE],
        "can_sign": request.user.has_perm("review.sign_off_correction"),
    }
    return render(request, "review/corrections_queue.html", context)


@require_GET
@permission_required("articles.view_article", raise_exception=True)
def article_history(request: HttpRequest, slug: str) -> HttpResponse:
    """The article's history in plain language: every recorded and editorial action."""
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    show_minor = request.GET.get("minor") == "1"
    rows = selectors.article_activity(article, show_minor=show_minor)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    latest = selectors.revision_get(article, None)
    context = {
        "article": article,
        "page": page,
        "latest": latest,
        "revision": latest,
        "show_minor": show_minor,
        "minor_count": selectors.minor_activity_count(article),
    }
    return render(request, "review/history.html", context)
