"""Refuse request bodies over the limit before anything reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string


def too_large_message(limit: int) -> str:
    return (
        f"Refused: the request is larger than {limit / 1024 / 1024:.1f} MB; "
        f"captures over {settings.CAPTURE_MAX_BYTES / 1024 / 1024:.0f} MB are refused."
    )


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413: JSON under /api/ (the API's error shape), a page elsewhere."""
    message = too_large_message(limit)
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message}, status=413)
    html = render_to_string("413.html", {"message": message})
    return HttpResponse(html, status=413)


class RequestSizeLimitMiddleware:
    """A body over ``REQUEST_MAX_BYTES`` (by its Content-Length) is answered 413 unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)
