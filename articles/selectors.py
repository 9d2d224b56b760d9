"""Reads over the record that are more than a one-line query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from articles import analysis as nlp
from articles.analysis import KnownName
from articles.models import Analysis, Article, ImportBatch, ImportItem, Person, Revision, Source


def article_list(*, query: str = "", source_slug: str = "") -> QuerySet[Article]:
    """Articles newest first, with their latest title and revision count."""
    latest = Revision.objects.filter(article=OuterRef("pk")).order_by("-number")
    latest_flags = (
        Analysis.objects.filter(revision__article=OuterRef("pk"))
        .order_by("-revision__number", "-created_at")
        .values("flagged_count")[:1]
    )
    articles = (
        Article.objects.select_related("source")
        .annotate(
            revision_count=Count("revisions"),
            latest_title=Subquery(latest.values("title")[:1]),
            latest_number=Max("revisions__number"),
            last_stated_update=Subquery(latest.values("stated_updated_at")[:1]),
            last_captured=Max("revisions__captured_at"),
            flagged=Subquery(latest_flags),
        )
        .order_by("-first_published", "-created_at")
    )
    if query:
        # A subquery, not a join through revisions: a join would multiply the
        # revision count by the number of matching revisions.
        matching = Revision.objects.filter(title__icontains=query).values("article_id")
        articles = articles.filter(Q(pk__in=matching) | Q(slug__icontains=query))
    if source_slug:
        articles = articles.filter(source__slug=source_slug)
    return articles


def sources_in_use() -> QuerySet[Source]:
    return Source.objects.filter(articles__isnull=False).distinct().order_by("name")


def known_names() -> tuple[KnownName, ...]:
    """The People and Sources registries as plain data for the analysis."""
    people = [
        KnownName(
            name=person.name,
            label="PERSON",
            aliases=tuple(alias.name for alias in person.aliases.all()),
        )
        for person in Person.objects.prefetch_related("aliases")
    ]
    sources = [KnownName(name=source.name, label="ORG") for source in Source.objects.all()]
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
