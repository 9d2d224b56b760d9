"""Thin views over the record: import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from articles import services
from articles.forms import ImportConfirmForm, ImportForm


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_revision", raise_exception=True)
def article_import(request: HttpRequest) -> HttpResponse:
    """Import a capture. One that matched an article by its opening paragraph alone
    (the headlines differ) is not recorded: the page shows the article it matched and
    asks; the answer comes back here with ``decision``."""
    if request.method == "GET":
        return render(request, "articles/import.html", {"form": ImportForm()})
    if "decision" in request.POST:
        return _import_confirmed(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "articles/import.html", {"form": form}, status=422)
    try:
        result = services.revision_record(
            draft=form.cleaned_data["draft"],
            author=request.user,
            filename=form.cleaned_data["filename"],
            ask_on_headline_change=True,
        )
    except services.HeadlineMismatch as mismatch:
        confirm = ImportConfirmForm.for_mismatch(
            mismatch, capture=form.cleaned_data["capture"], filename=form.cleaned_data["filename"]
        )
        return _confirm_page(request, confirm, mismatch)
    return _recorded(request, result)


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
