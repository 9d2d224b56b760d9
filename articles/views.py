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
from articles.forms import ImportForm
from articles.models import ImportBatch, ImportItem


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_revision", raise_exception=True)
def article_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
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
        return render(request, "articles/import.html", {"form": form}, status=422)
    return render(request, "articles/import.html", {"form": ImportForm()})


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
