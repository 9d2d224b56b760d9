"""Thin views over the record: import and the analysis API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from articles import selectors, services
from articles.forms import ImportForm
from articles.models import Revision

PER_PAGE = 50


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


@require_GET
def api_revision_analysis(request: HttpRequest, revision_id: int) -> JsonResponse:
    revision = get_object_or_404(Revision.objects.select_related("article"), pk=revision_id)
    analysis = selectors.latest_analysis_for(revision)
    if analysis is None:
        return JsonResponse({"error": "This revision has not been analysed yet."}, status=404)
    return JsonResponse(
        {
            "schema": "newsdesk.analysis/1",
            "revision": revision.pk,
            "article": revision.article.slug,
            "number": revision.number,
            "model": analysis.model,
            "pipeline_version": analysis.pipeline_version,
            "text": revision.body,
            **analysis.as_dict(),
        }
    )
