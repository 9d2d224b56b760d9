"""The JSON API: one NinjaAPI for the site, session auth with CSRF, JSON errors.

Each app keeps its endpoints in a router in its own ``api.py``; newsdesk/urls.py
mounts them on ``api`` (``api.add_router("", router)``) before it includes
``urls()`` at ``/api/``. Every error under /api/ is JSON ``{"error": "<message>"}``
(plus ``"fields"`` for bad input); see docs/INTERFACE.md, "JSON API".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.security import django_auth
from pydantic import Field

from newsdesk.middleware import too_large_message

logger = logging.getLogger("django.request")

LOGIN_MESSAGE = "Authentication required: log in to use the API."

View = Callable[..., HttpResponse]


#: An object's id in a request body: a primary key (a 64-bit integer), so that a
#: larger number is bad input (422), not a database error (SQLite cannot bind it).
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    """Every error under /api/: a human message, and for bad input the fields at fault."""

    error: str
    fields: dict[str, list[str]] | None = None


#: What any endpoint may answer besides its success: 400 a body that cannot be read
#: (malformed JSON or multipart), 401 no session, 403 no permission or no CSRF token,
#: 404 no such object, 422 bad input (a path or query parameter included).
READ_REFUSALS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}
#: ... and an endpoint that changes something, 409 when the object's state forbids it.
REFUSALS: dict[int, type[Schema]] = {**READ_REFUSALS, 409: ErrorOut}


def _login_required_json(view: View) -> View:
    """openapi.json for logged-in users only: anonymous callers get a JSON 401."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return error_response(request, 401, LOGIN_MESSAGE)
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="Newsdesk Review API",
    version="1",
    description=(
        "The record's analyses and diffs as JSON, for logged-in users (session auth); "
        "captures pushed by a newsroom's CMS with an API key (POST /api/captures)."
    ),
    urls_namespace="api",
    auth=django_auth,  # the session cookie; CSRF enforced for unsafe methods
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS), no CDN;
    # no validator badge (it would load an image from another host).
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=_login_required_json,
)


def error_response(request: HttpRequest, status: int, message: str, **extra: Any) -> HttpResponse:
    """The API's error shape: ``{"error": message, **extra}`` with that status."""
    return api.create_response(request, {"error": message, **extra}, status=status)


def require_perm(request: HttpRequest, perm: str) -> None:
    """Refuse (403 JSON) a user who lacks ``perm`` ("app_label.codename")."""
    if not request.user.has_perm(perm):
        raise PermissionDenied(f"You do not have permission to do this (needs {perm}).")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own: 401 (no session), 403 (CSRF check failed), 429, and HttpError(status, msg).
    message = LOGIN_MESSAGE if isinstance(exc, AuthenticationError) else exc.message
    return error_response(request, exc.status_code, message)


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # ("query", "from") -> "from"; ("body", "payload", "title") -> "payload.title"
    return ".".join(str(part) for part in loc[1:]) or str(loc[0])


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error["loc"]), []).append(str(error["msg"]))
    summary = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
    return error_response(request, 422, f"Invalid request: {summary}.", fields=fields)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # A service refused the input (bad input: 422, as the HTML forms answer).
    extra = {"fields": exc.message_dict} if hasattr(exc, "error_dict") else {}
    return error_response(request, 422, " ".join(exc.messages), **extra)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or "You do not have permission to do this.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, str(exc) or "Not found.")


@api.exception_handler(MultiPartParserError)
def _unreadable_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # request.POST read (for the CSRF token) from a body its Content-Type misdescribes.
    return error_response(request, 400, f"The request body cannot be read: {exc}.")


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # A body with no Content-Length (so past RequestSizeLimitMiddleware) read over the limit.
    return error_response(request, 413, too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return error_response(request, 500, "Internal server error.")


@csrf_exempt
def _no_endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(request, 404, f"No API endpoint at {request.path}.")


def _json_method_not_allowed(view: View) -> View:
    """ninja answers a wrong method with a plain-text 405; make it the JSON error shape."""

    @wraps(view)  # keeps csrf_exempt: ninja checks CSRF itself, in django_auth
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            json_response = error_response(
                request, 405, f"Method {request.method} not allowed here (allowed: {allowed})."
            )
            json_response["Allow"] = allowed
            return json_response
        return response

    return wrapped


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """``api.urls`` for ``path("api/", ...)``, answering JSON instead of redirecting.

    LoginRequiredMiddleware would send anonymous callers to the login page: every
    API view is exempt from it and authenticates itself (401 JSON). The docs page
    is HTML for people and stays behind the login page. Unknown paths under
    /api/ are a JSON 404. Mount every router before calling this.
    """
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name == "openapi-view":
            continue
        if pattern.name == "api-root":
            pattern.callback = _no_endpoint  # ninja's own raises a bare Http404
        pattern.callback = login_not_required(_json_method_not_allowed(pattern.callback))
    patterns.append(re_path(r"", login_not_required(_no_endpoint), name="no-endpoint"))
    return patterns, app_name, namespace
