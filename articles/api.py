"""The record's JSON API: a revision's stored analysis (newsdesk.analysis/1)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from articles import selectors
from articles.models import Revision
from newsdesk.api import READ_REFUSALS, require_perm

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
