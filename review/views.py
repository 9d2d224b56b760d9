"""The reading desk and the compare page: thin views over review.selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
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


@require_GET
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
    }
    status = 200
    if len(numbers) < 2:
        context["notice"] = "This article has only one revision: there is nothing to compare yet."
    elif valid:
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
