"""The record's JSON API: a revision's stored analysis (newsdesk.analysis/1), and the
push API through which a client's CMS records each published version."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.security import APIKeyHeader
from ninja.throttling import AuthRateThrottle
from pydantic import AwareDatetime, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from articles import selectors, services
from articles.ingest import CaptureDraft, CaptureRefused, draft_from_fields, read_capture
from articles.models import ApiKey, Revision
from newsdesk.api import READ_REFUSALS, ErrorOut, require_perm

router = Router(tags=["articles"])


class Part(Schema):
    """A piece of the machine interface; keys added by later versions are passed through."""

    model_config = ConfigDict(extra="allow")


class Span(Part):
    start: int
    end: int


class TextSpan(Span):
    text: str


class Entity(Span):
    label: str
    text: str


class Attribution(Part):
    speaker: TextSpan | None
    cue: TextSpan
    content: TextSpan
    kind: str  # direct | indirect | mixed
    speaker_name: str | None
    flags: list[str]


class AnalysisOut(Schema):
    """A revision's analysis; offsets are str indices into ``text``."""

    schema_: str = Field(alias="schema")  # "schema" itself shadows a BaseModel attribute
    revision: int
    article: str
    number: int
    model: str
    pipeline_version: str
    text: str
    sentences: list[Span]
    entities: list[Entity]
    attributions: list[Attribution]


@router.get(
    "/revisions/{revision_id}/analysis",
    response={200: AnalysisOut, **READ_REFUSALS},
    url_name="revision-analysis",
    by_alias=True,
    summary="A revision's stored analysis",
)
def revision_analysis(request: HttpRequest, revision_id: int) -> dict[str, object]:
    require_perm(request, "articles.view_article")
    revision = Revision.objects.select_related("article").filter(pk=revision_id).first()
    if revision is None:
        raise Http404(f"No revision with id {revision_id}.")
    analysis = selectors.latest_analysis_for(revision)
    if analysis is None:
        raise Http404("This revision has not been analysed yet.")
    return {
        "schema": "newsdesk.analysis/1",
        "revision": revision.pk,
        "article": revision.article.slug,
        "number": revision.number,
        "model": analysis.model,
        "pipeline_version": analysis.pipeline_version,
        "text": revision.body,
        **analysis.as_dict(),
    }


# --------------------------------------------------------------------------
# The push API: a client's CMS sends each published version.


class CaptureKeyAuth(APIKeyHeader):
    """A client's API key in the ``X-API-Key`` header, scoped to capture."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey:
        if not key:
            raise HttpError(401, "API key required: send it in the X-API-Key header.")
        found = services.api_key_find(raw=key)
        if found is None:
            raise HttpError(401, "Unknown API key.")
        if found.revoked_at is not None:
            raise HttpError(401, "This API key has been revoked.")
        if found.scope != ApiKey.Scope.CAPTURE:
            raise HttpError(403, "This API key is not scoped for capture.")
        services.api_key_touch(key=found)
        return found


class CaptureKeyThrottle(AuthRateThrottle):
    """At most ``settings.CAPTURE_API_RATE`` ("60/min") captures per key."""

    scope = "capture"

    def __init__(self) -> None:
        pass  # the rate is read on each request, so that settings can change it

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.CAPTURE_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        key = getattr(request, "auth", None)
        return f"throttle_capture_key_{key.pk}" if isinstance(key, ApiKey) else None


class CaptureIn(Schema):
    """A capture as fields. Paragraphs of ``body`` are separated by a blank line."""

    title: str = Field(min_length=1, max_length=500)
    body: str = Field(min_length=1)
    standfirst: str = ""
    byline: str = ""
    canonical_url: str = Field("", max_length=500, pattern=r"^(https?://\S+)?$")
    source: str = Field("", max_length=200, description="The credited source (agency/outlet).")
    published: AwareDatetime | None = None
    updated: AwareDatetime | None = None


class CaptureOut(Schema):
    outcome: str  # "new article" | "new revision" | "unchanged"
    article: str
    revision: int
    minor: bool
    compare_url: str | None


#: Content types the endpoint reads, and the filename that tells read_capture the form.
CAPTURE_BODIES = {
    "application/json": "",
    "text/html": "capture.html",
    "application/xhtml+xml": "capture.html",
    "text/plain": "capture.txt",
}

_CAPTURE_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": CaptureIn.model_json_schema()},
            "text/html": {"schema": {"type": "string", "description": "An HTML document."}},
            "text/plain": {"schema": {"type": "string", "description": "A page capture."}},
        },
    }
}


def _draft_from_request(request: HttpRequest) -> CaptureDraft:
    content_type = request.content_type or ""
    if content_type not in CAPTURE_BODIES:
        allowed = ", ".join(CAPTURE_BODIES)
        raise HttpError(
            415, f"Unsupported Content-Type {content_type or '(none)'}: send {allowed}."
        )
    try:
        if content_type != "application/json":
            return read_capture(request.body, filename=CAPTURE_BODIES[content_type])
        try:
            fields = CaptureIn.model_validate_json(request.body)
        except PydanticValidationError as exc:
            raise ValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
            ) from exc
        return draft_from_fields(**fields.model_dump())
    except CaptureRefused as exc:
        raise HttpError(422, f"Refused: {exc}.") from exc


@router.post(
    "/captures",
    auth=CaptureKeyAuth(),
    throttle=[CaptureKeyThrottle()],
    response={
        200: CaptureOut,
        201: CaptureOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    url_name="capture-push",
    summary="Push a capture (API key)",
    openapi_extra=_CAPTURE_OPENAPI,
)
def capture_push(request: HttpRequest) -> Status:
    """Record one published version: JSON fields, an HTML document or a page capture,
    by Content-Type. 201 when something was recorded, 200 when it was unchanged."""
    draft = _draft_from_request(request)
    result = services.capture_push(key=request.auth, draft=draft)  # type: ignore[attr-defined]
    compare_url = None
    if result.outcome is services.RecordOutcome.NEW_REVISION:
        number = result.revision.number
        compare = reverse("review:compare", kwargs={"slug": result.article.slug})
        compare_url = f"{compare}?from={number - 1}&to={number}"
    status = 200 if result.outcome is services.RecordOutcome.UNCHANGED else 201
    return Status(
        status,
        {
            "outcome": result.outcome.value,
            "article": result.article.slug,
            "revision": result.revision.number,
            "minor": result.revision.minor,
            "compare_url": compare_url,
        },
    )
