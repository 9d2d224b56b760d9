"""Reads over the record that are more than a one-line query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from articles import analysis as nlp
from articles.analysis import KnownName
from articles.models import (
    Analysis,
    Article,
    ImportBatch,
    ImportItem,
    Person,
    PersonAlias,
    RetiredSlug,
    Revision,
    Source,
)

#: The text search configuration of the search documents (PostgreSQL).
SEARCH_CONFIG = "english"


#: Ranked search orders at most this many of the newest matches (ranking every
#: match of a common word over the whole archive would read them all).
SEARCH_CANDIDATES = 500


def article_list(*, source_slug: str = "", include_minor: bool = False) -> QuerySet[Article]:
    """Articles with their newest revision's title, stated update and flag count, and
    ``counted_revisions``: their revision count, minor revisions left out unless
    ``include_minor``.

    Every column comes from the article row and its newest revision (kept by
    ``articles.services.article_latest_set``): no aggregate over all revisions."""
    counted = (
        F("revision_count") if include_minor else F("revision_count") - F("minor_revision_count")
    )
    latest_flags = (
        Analysis.objects.filter(revision_id=OuterRef("latest_revision_id"))
        .order_by("-created_at")
        .values("flagged_count")[:1]
    )
    articles = (
        Article.objects.select_related("source")
        .only(
            "slug",
            "first_published",
            "listed_at",
            "revision_count",
            "minor_revision_count",
            "source",
        )
        .annotate(
            latest_title=F("latest_revision__title"),
            last_stated_update=F("latest_revision__stated_updated_at"),
            counted_revisions=counted,
            flagged=Subquery(latest_flags),
        )
    )
    if source_slug:
        articles = articles.filter(source__slug=source_slug)
    return articles


def article_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """The articles whose newest revision's headline, standfirst or body matches.

    PostgreSQL: full-text search (``websearch`` syntax) over the GIN-indexed
    search document, ranked (headline over standfirst over body), among the
    newest ``SEARCH_CANDIDATES`` matches. Elsewhere: a case-insensitive
    substring of those fields or of the slug, newest first."""
    if connection.vendor == "postgresql":
        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        candidates = (
            Article.objects.filter(search_document=search)
            .order_by("-listed_at", "-id")
            .values("pk")[:SEARCH_CANDIDATES]
        )
        return (
            articles.filter(pk__in=Subquery(candidates))
            .annotate(rank=SearchRank(F("search_document"), search))
            .order_by("-rank", "-listed_at", "-id")
        )
    matching = (
        Q(latest_revision__title__icontains=query)
        | Q(latest_revision__standfirst__icontains=query)
        | Q(latest_revision__body__icontains=query)
        | Q(slug__icontains=query)
    )
    return articles.filter(matching).order_by("-listed_at", "-id")


def sources_in_use() -> QuerySet[Source]:
    return Source.objects.filter(Exists(Article.objects.filter(source=OuterRef("pk")))).order_by(
        "name"
    )


def known_names() -> tuple[KnownName, ...]:
    """The People and Sources registries as plain data for the analysis (read as rows,
    not model instances: every analysis task reads them, and a registry holds
    thousands of people)."""
    aliases: dict[int, list[str]] = {}
    for person_id, alias in PersonAlias.objects.order_by("name").values_list("person_id", "name"):
        aliases.setdefault(person_id, []).append(alias)
    people = [
        KnownName(name=name, label="PERSON", aliases=tuple(aliases.get(pk, ())))
        for pk, name in Person.objects.order_by("name").values_list("pk", "name")
    ]
    sources = [
        KnownName(name=name, label="ORG")
        for name in Source.objects.order_by("name").values_list("name", flat=True)
    ]
    return tuple(people + sources)


def analysis_for(revision: Revision) -> Analysis | None:
    """The stored analysis of a revision for the current pipeline, if any."""
    return (
        Analysis.objects.filter(
            revision=revision, pipeline_version=nlp.PIPELINE_VERSION, model=nlp.model_name()
        )
        .order_by("-created_at")
        .first()
    )


def latest_analysis_for(revision: Revision) -> Analysis | None:
    """The current pipeline's analysis, else the newest one stored."""
    return analysis_for(revision) or revision.analyses.order_by("-created_at").first()


def latest_analyses_for(revisions: Iterable[Revision]) -> dict[int, Analysis]:
    """``latest_analysis_for()`` of many revisions in one query, by revision id."""
    current = (nlp.PIPELINE_VERSION, nlp.model_name())
    found: dict[int, Analysis] = {}
    rows = Analysis.objects.filter(revision__in=[r.pk for r in revisions]).order_by("-created_at")
    for analysis in rows:  # newest first: keep the newest current one, else the newest
        best = found.get(analysis.revision_id)
        is_current = (analysis.pipeline_version, analysis.model) == current
        if best is None or (is_current and (best.pipeline_version, best.model) != current):
            found[analysis.revision_id] = analysis
    return found


def article_by_retired_slug(slug: str) -> Article | None:
    """The article that once had ``slug`` (an admin changed it since), if any."""
    retired = RetiredSlug.objects.select_related("article").filter(slug=slug).first()
    return retired.article if retired is not None else None


@dataclass(frozen=True)
class ImportProgress:
    """How far an import is: its captures by status, and the finished ones in order."""

    total: int
    pending: int
    recorded: int
    unchanged: int
    refused: int
    items: list[ImportItem]

    @property
    def finished(self) -> int:
        return self.total - self.pending

    @property
    def done(self) -> bool:
        return self.pending == 0


def import_progress(batch: ImportBatch, *, listed: int = 200) -> ImportProgress:
    """The progress of an import (one counting query), with its first ``listed`` items."""
    counts = {
        row["status"]: row["n"]
        for row in batch.items.values("status").annotate(n=Count("id")).order_by()
    }
    items = list(batch.items.select_related("revision__article").order_by("position")[:listed])
    return ImportProgress(
        total=sum(counts.values()),
        pending=counts.get(ImportItem.Status.PENDING, 0),
        recorded=counts.get(ImportItem.Status.RECORDED, 0),
        unchanged=counts.get(ImportItem.Status.UNCHANGED, 0),
        refused=counts.get(ImportItem.Status.REFUSED, 0),
        items=items,
    )
