"""The reading desk and the compare page: thin views over review.selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from articles.models import Article
from review import selectors
from review.forms import CompareForm


@require_GET
def article_read(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    picked = request.GET.get("r", "")
    if picked.isdigit():  # the revision picker, submitted without JavaScript
        return redirect("review:revision", slug=slug, number=int(picked))
    revision = selectors.revision_get(article, number)
    revisions = selectors.article_revisions(article)
    context = {
        "article": article,
        "revision": revision,
        "latest": revisions[-1],
        "history": selectors.history_for(revisions),
        "reading": selectors.reading_for(revision),
    }
    return render(request, "review/article.html", context)


def _compare_form(request: HttpRequest, numbers: list[int]) -> CompareForm:
    data = request.GET.copy()
    if len(numbers) >= 2:
        data.setdefault("from", str(numbers[-2]))
        data.setdefault("to", str(numbers[-1]))
    return CompareForm(data, numbers=numbers)


@require_GET
def article_compare(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
    revisions = selectors.article_revisions(article)
    numbers = [r.number for r in revisions]
    form = _compare_form(request, numbers)
    context: dict[str, object] = {
        "article": article,
        "form": form,
        "revisions": revisions,
        "latest": revisions[-1] if revisions else None,
    }
    status = 200
    if len(numbers) < 2:
        context["notice"] = "This article has only one revision: there is nothing to compare yet."
    elif form.is_valid():
        by_number = {r.number: r for r in revisions}
        old = by_number[form.cleaned_data["from_"]]
        new = by_number[form.cleaned_data["to"]]
        context.update(
            old=old, new=new, mode=form.cleaned_data["mode"], **selectors.compare(old, new)
        )
    else:
        status = 400
    template = "review/compare.html#compare" if request.htmx else "review/compare.html"
    return render(request, template, context, status=status)


@require_GET
def api_article_diff(request: HttpRequest, slug: str) -> JsonResponse:
    article = get_object_or_404(Article, slug=slug)
    revisions = selectors.article_revisions(article)
    numbers = [r.number for r in revisions]
    if len(numbers) < 2:
        return JsonResponse({"error": "This article has only one revision."}, status=400)
    form = _compare_form(request, numbers)
    if not form.is_valid():
        return JsonResponse({"error": "Invalid revision pair.", "fields": form.errors}, status=400)
    by_number = {r.number: r for r in revisions}
    old = by_number[form.cleaned_data["from_"]]
    new = by_number[form.cleaned_data["to"]]
    result = selectors.diff_for(old, new)
    return JsonResponse({"article": article.slug, "from": old.number, "to": new.number, **result})
