"""Thin views over the record: import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from articles import services
from articles.forms import ImportForm


@require_http_methods(["GET", "POST"])
@permission_required("articles.add_revision", raise_exception=True)
def article_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = services.revision_record(
                draft=form.cleaned_data["draft"],
                author=request.user,
                filename=form.cleaned_data["filename"],
            )
            messages.success(request, result.message)
            if result.outcome is services.RecordOutcome.NEW_REVISION:
                # An update: show what changed against the previous revision.
                number = result.revision.number
                compare = reverse("review:compare", kwargs={"slug": result.article.slug})
                return redirect(f"{compare}?from={number - 1}&to={number}")
            return redirect("review:article", slug=result.article.slug)
        return render(request, "articles/import.html", {"form": form}, status=422)
    return render(request, "articles/import.html", {"form": ImportForm()})
