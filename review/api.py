"""Review's JSON API: the diff of two revisions of an article (newsdesk.diff/1)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from articles.api import Part, Span, TextSpan
from articles.models import Article
from newsdesk.api import ErrorOut, error_response
from review import selectors
from review.forms import CompareForm

router = Router(tags=["review"])


class DiffSide(Part):
    text: str
    sentences: list[Span]


class Token(Part):
    op: str  # equal | delete | insert
    text: str


class DiffOp(Part):
    op: str  # equal | changed | added | deleted | moved
    old: int | None
    new: int | None
    changed: bool
    tokens: list[Token]
    # Only on the ops that have them (an extension; see docs/INTERFACE.md):
    typographic: bool = False
    split: list[int] = []
    merged: list[int] = []


class AttributionSide(Part):
    speaker: TextSpan | None
    cue: TextSpan | None
    content: TextSpan | None


class AttributionChange(Part):
    kind: str  # speaker-changed | cue-changed | content-changed | added | removed
    old: AttributionSide | None
    new: AttributionSide | None
    parts: list[str] = []  # which of speaker/cue/content changed; not on added/removed


class DiffOut(Schema):
    """Two revisions' diff; ``old``/``new`` in an op are sentence indices."""

    article: str
    from_: int = Field(alias="from")
    to: int
    schema_: str = Field(alias="schema")  # "schema" itself shadows a BaseModel attribute
    old: DiffSide
    new: DiffSide
    ops: list[DiffOp]
    attribution_changes: list[AttributionChange]


@router.get(
    "/articles/{slug}/diff",
    response={200: DiffOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="article-diff",
    by_alias=True,
    exclude_unset=True,  # split/merged/typographic only where the diff has them
    summary="The diff of two revisions (default: previous against latest)",
)
def article_diff(
    request: HttpRequest,
    slug: str,
    from_: int | None = Query(None, alias="from"),
    to: int | None = None,
) -> object:
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise Http404(f"No article with slug {slug!r}.")
    revisions = selectors.article_revisions(article)
    numbers = [r.number for r in revisions]
    if len(numbers) < 2:
        raise HttpError(400, "This article has only one revision.")
    pair = {k: str(v) for k, v in (("from", from_), ("to", to)) if v is not None}
    form = CompareForm.for_revisions(pair, numbers=numbers)
    if not form.is_valid():
        return error_response(request, 400, "Invalid revision pair.", fields=form.errors)
    by_number = {r.number: r for r in revisions}
    old = by_number[form.cleaned_data["from_"]]
    new = by_number[form.cleaned_data["to"]]
    result = selectors.diff_for(old, new)
    return {"article": article.slug, "from": old.number, "to": new.number, **result}
