"""Thin views over the record: the desk (article list) and import."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from articles import selectors, services
from articles.forms import ArticleFilterForm, ImportForm

PER_PAGE = 50


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    query = filters.get("q", "")
    source = filters.get("source", "")
    paginator = Paginator(selectors.article_list(query=query, source_slug=source), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "articles": page.object_list,
        "page": page,
        "filter_query": urlencode({k: v for k, v in (("q", query), ("source", source)) if v}),
        "sources": selectors.sources_in_use(),
        "query": query,
        "source": source,
    }
    if request.htmx:
        return render(request, "articles/article_list.html#results", context)
    return render(request, "articles/article_list.html", context)


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
