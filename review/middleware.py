"""An article's old URLs keep working after an admin changed its slug."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse

from articles.selectors import article_by_retired_slug


class RetiredSlugRedirectMiddleware:
    """A page of the newsroom (``review:`` URLs with a ``slug``) that answers 404 for a
    retired slug is answered with a 301 to the same page under the article's current
    slug, query string kept. GET and HEAD only: a form posted to an old URL gets its 404.

    The view's permission check runs first, so only people who may read the article
    learn where it moved. The API takes current slugs only (its JSON 404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Http404) or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.namespace != "review" or "slug" not in match.kwargs:
            return None
        article = article_by_retired_slug(match.kwargs["slug"])
        if article is None:
            return None
        try:
            url = reverse(match.view_name, kwargs={**match.kwargs, "slug": article.slug})
        except NoReverseMatch:
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
