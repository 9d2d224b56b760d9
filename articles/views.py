"""Thin views over the record: import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from articles import selectors, services
from articles.forms import ImportConfirmForm, ImportForm
from articles.models import ImportBatch, ImportItem


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_revision", raise_exception=True)
def article_import(request: HttpRequest) -> HttpResponse:
    """Import a capture: recorded by a background task (an "analysing…" page follows
    it when it is not done at once). One that matched an article by its opening
    paragraph alone (the headlines differ) is not recorded: the page shows the
    article it matched and asks; the answer comes back here with ``decision`` and
    is recorded at once."""
    if request.method == "GET":
        return render(request, "articles/import.html", {"form": ImportForm()})
    if "decision" in request.POST:
        return _import_confirmed(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "articles/import.html", {"form": form}, status=422)
    mismatch = services.headline_mismatch_find(draft=form.cleaned_data["draft"])
    if mismatch is not None:
        confirm = ImportConfirmForm.for_mismatch(
            mismatch, capture=form.cleaned_data["capture"], filename=form.cleaned_data["filename"]
        )
        return _confirm_page(request, confirm, mismatch)
    filename = form.cleaned_data["filename"]
    batch = services.import_batch_create(
        captures=[
            services.CaptureIn(
                filename=filename,
                capture_sha256=form.cleaned_data["capture_sha256"],
                draft=form.cleaned_data["draft"],
            )
        ],
        author=request.user,
        label=filename or "pasted capture",
    )
    # The immediate backend records it here and now; a worker does it later.
    services.import_items_enqueue(items=list(batch.items.all()))
    if batch.items.filter(status=ImportItem.Status.PENDING).exists():
        return redirect("articles:import_status", batch_id=batch.pk)
    return _import_answer(request, batch)


def _import_confirmed(request: HttpRequest) -> HttpResponse:
    confirm = ImportConfirmForm(request.POST)
    if not confirm.is_valid():
        context = {"form": ImportForm(), "confirm_errors": confirm.non_field_errors()}
        return render(request, "articles/import.html", context, status=422)
    data = confirm.cleaned_data
    as_revision = data["decision"] == ImportConfirmForm.REVISION
    result = services.revision_record(
        draft=data["draft"],
        author=request.user,
        filename=data["filename"],
        article=data["article"] if as_revision else None,
        new_article=not as_revision,
    )
    return _recorded(request, result)


def _confirm_page(
    request: HttpRequest, confirm: ImportConfirmForm, mismatch: services.HeadlineMismatch
) -> HttpResponse:
    """The question: nothing is written until the answer comes back."""
    context = {
        "confirm": confirm,
        "draft": mismatch.draft,
        "matched": mismatch.article,
        "matched_latest": mismatch.latest,
    }
    return render(request, "articles/import.html", context)


def _recorded(request: HttpRequest, result: services.RecordResult) -> HttpResponse:
    messages.success(request, result.message)
    if result.outcome is services.RecordOutcome.NEW_REVISION:
        # An update: show what changed against the previous revision.
        number = result.revision.number
        compare = reverse("review:compare", kwargs={"slug": result.article.slug})
        return redirect(f"{compare}?from={number - 1}&to={number}")
    return redirect("review:article", slug=result.article.slug)


@require_GET
@permission_required("articles.add_revision", raise_exception=True)
def import_status(request: HttpRequest, batch_id: int) -> HttpResponse:
    """An import being analysed ("analysing…", refreshed by htmx), or where it went."""
    return _import_answer(request, get_object_or_404(ImportBatch, pk=batch_id))


def _import_answer(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    progress = selectors.import_progress(batch)
    if progress.done and progress.total == 1 and progress.items[0].revision is not None:
        url = _result_url(progress.items[0])
        messages.success(request, progress.items[0].message)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
    template = "articles/import_status.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, {"batch": batch, "progress": progress})


def _result_url(item: ImportItem) -> str:
    revision = item.revision
    assert revision is not None
    slug = revision.article.slug
    if item.outcome == services.RecordOutcome.NEW_REVISION.value:
        # An update: show what changed against the previous revision.
        compare = reverse("review:compare", kwargs={"slug": slug})
        return f"{compare}?from={revision.number - 1}&to={revision.number}"
    return reverse("review:article", kwargs={"slug": slug})
