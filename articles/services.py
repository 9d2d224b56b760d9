"""Every write to the record goes through here, one transaction each."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from articles import analysis as nlp
from articles.ingest import CaptureDraft
from articles.models import Activity, Analysis, Article, Revision, Source, content_sha256
from articles.selectors import SEARCH_CONFIG, known_names


class RecordOutcome(enum.StrEnum):
    NEW_ARTICLE = "new article"
    NEW_REVISION = "new revision"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RecordResult:
    outcome: RecordOutcome
    article: Article
    revision: Revision

    @property
    def message(self) -> str:
        title = self.revision.title
        if self.outcome is RecordOutcome.UNCHANGED:
            return f"Unchanged: “{title}” is identical to revision {self.revision.number}; nothing recorded."
        if self.outcome is RecordOutcome.NEW_ARTICLE:
            return f"New article: “{title}” recorded as revision 1."
        return f"New revision: “{title}” recorded as revision {self.revision.number}."


def source_get_or_create(*, name: str) -> Source:
    """The credited source by name (case-insensitive), created if new."""
    name = name.strip()
    existing = Source.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    base = slugify(name) or "source"
    slug = base
    n = 2
    while Source.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    source = Source(name=name, slug=slug, kind=Source.Kind.AGENCY)
    source.full_clean()
    source.save()
    return source


def draft_content_hash(draft: CaptureDraft) -> str:
    return content_sha256(
        title=draft.title, standfirst=draft.standfirst, byline=draft.byline, body=draft.body
    )


def _unique_article_slug(title: str) -> str:
    base = slugify(title)
    if len(base) > 80:
        base = base[:81].rsplit("-", 1)[0]
    base = base.strip("-") or "article"
    slug = base
    n = 2
    while Article.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _first_paragraph(body: str) -> str:
    return body.split("\n\n", 1)[0].strip()


def article_match(*, draft: CaptureDraft, source: Source | None) -> Article | None:
    """The article a capture belongs to, if it is already on record.

    Same canonical URL when the capture states one; otherwise the same credited
    source and the same title or the same opening paragraph as a revision.
    """
    if draft.canonical_url:
        found = Article.objects.filter(canonical_url=draft.canonical_url).first()
        if found is not None:
            return found
    candidates = Revision.objects.filter(article__source=source).select_related("article")
    if draft.canonical_url:
        candidates = candidates.filter(article__canonical_url="")
    by_title = candidates.filter(title=draft.title).order_by("-article__created_at").first()
    if by_title is not None:
        return by_title.article
    opening = _first_paragraph(draft.body)
    if opening:
        for revision in candidates.filter(body__startswith=opening[:200]).order_by("-id")[:20]:
            if _first_paragraph(revision.body) == opening:
                return revision.article
    return None


# The newest revision's headline (weight A), standfirst (B) and body (D) as one
# tsvector; read by articles.selectors.article_list through the GIN index.
_SEARCH_DOCUMENT_SQL = """
UPDATE articles_article AS a
SET search_document =
    setweight(to_tsvector(%(config)s::regconfig, coalesce(r.title, '')), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(r.standfirst, '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(r.body, '')), 'D')
FROM articles_revision AS r
WHERE r.id = a.latest_revision_id AND a.id = ANY(%(ids)s)
"""


def search_documents_refresh(*, article_ids: Sequence[int]) -> None:
    """Rebuild the full-text documents of these articles from their newest revisions.

    PostgreSQL only: elsewhere search reads the newest revision itself (icontains)."""
    if connection.vendor != "postgresql" or not article_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(_SEARCH_DOCUMENT_SQL, {"config": SEARCH_CONFIG, "ids": list(article_ids)})


def article_latest_set(*, article: Article, revision: Revision) -> None:
    """Point the article at its newest revision (inside the recording transaction)."""
    article.latest_revision = revision
    article.revision_count = revision.number
    article.save(update_fields=["latest_revision", "revision_count"])
    search_documents_refresh(article_ids=[article.pk])


def analysis_store(*, revision: Revision, analysis: nlp.Analysis) -> Analysis:
    """Store an analysis of a revision for the current pipeline version."""
    row, _ = Analysis.objects.update_or_create(
        revision=revision,
        pipeline_version=nlp.PIPELINE_VERSION,
        model=nlp.model_name(),
        defaults={
            "content_hash": revision.content_hash,
            "sentences": analysis["sentences"],
            "entities": analysis["entities"],
            "attributions": analysis["attributions"],
            "flagged_count": sum(1 for a in analysis["attributions"] if a.get("flags")),
            # When it was stored: a re-store is a new analysis for the pages' caches.
            "created_at": timezone.now(),
        },
    )
    return row


@transaction.atomic
def revision_record(
    *,
    draft: CaptureDraft,
    author: AbstractBaseUser | None = None,
    origin: Revision.Origin = Revision.Origin.IMPORTED,
    filename: str = "",
    captured_at: datetime | None = None,
    analysis: nlp.Analysis | None = None,
    article: Article | None = None,
    note: str = "",
) -> RecordResult:
    """Record a capture: match its article, skip identical content, else write the
    next revision and its analysis. One transaction."""
    source = source_get_or_create(name=draft.credited_source) if draft.credited_source else None
    if article is None:
        article = article_match(draft=draft, source=source)
    content_hash = draft_content_hash(draft)
    if article is not None:
        article = Article.objects.select_for_update().get(pk=article.pk)
        latest = article.revisions.order_by("-number").first()
        if latest is not None and latest.content_hash == content_hash:
            return RecordResult(RecordOutcome.UNCHANGED, article, latest)
        number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        outcome = RecordOutcome.NEW_REVISION
        if draft.canonical_url and not article.canonical_url:
            article.canonical_url = draft.canonical_url
            article.full_clean()
            article.save(update_fields=["canonical_url"])
    else:
        article = Article(
            slug=_unique_article_slug(draft.title),
            canonical_url=draft.canonical_url,
            source=source,
            first_published=draft.published,
            listed_at=draft.published or timezone.now(),
        )
        article.full_clean()
        article.save()
        number = 1
        outcome = RecordOutcome.NEW_ARTICLE

    revision = Revision(
        article=article,
        number=number,
        title=draft.title,
        standfirst=draft.standfirst,
        byline=draft.byline,
        body=draft.body,
        stated_published_at=draft.published,
        stated_updated_at=draft.last_updated,
        captured_at=captured_at or timezone.now(),
        content_hash=content_hash,
        origin=origin,
        author=author,
        source_filename=filename[:300],
        note=note,
    )
    revision.full_clean()
    revision.save()
    article_latest_set(article=article, revision=revision)
    if analysis is None:
        analysis = nlp.analyse_text(revision.body, known=known_names())
    analysis_store(revision=revision, analysis=analysis)
    Activity.objects.create(
        actor=author,
        verb="revision.recorded",
        article=article,
        revision=revision,
        summary=f"Recorded revision {number} of “{draft.title}” ({outcome.value})",
        detail={"origin": origin, "filename": filename, "outcome": outcome.value},
    )
    return RecordResult(outcome, article, revision)


def drafts_analyse(
    drafts: Sequence[CaptureDraft],
) -> list[nlp.Analysis | None]:
    """Analyse, in one batched spaCy pass, the drafts whose content is not on record.

    A draft identical to a stored revision gets None: recording it usually
    records nothing, and ``revision_record`` analyses it itself if it does.
    """
    hashes = [draft_content_hash(draft) for draft in drafts]
    on_record = set(
        Revision.objects.filter(content_hash__in=set(hashes)).values_list("content_hash", flat=True)
    )
    fresh = [i for i, content_hash in enumerate(hashes) if content_hash not in on_record]
    analysed = nlp.analyse_texts([drafts[i].body for i in fresh], known=known_names())
    results: list[nlp.Analysis | None] = [None] * len(drafts)
    for index, analysis in zip(fresh, analysed, strict=True):
        results[index] = analysis
    return results


def revisions_reanalyse(*, revisions: Iterable[Revision], batch_size: int = 32) -> int:
    """Recompute and store analyses for the current pipeline; returns how many."""
    known = known_names()
    count = 0
    batch: list[Revision] = []

    def flush() -> None:
        nonlocal count
        results = nlp.analyse_texts([r.body for r in batch], known=known, batch_size=batch_size)
        for revision, analysis in zip(batch, results, strict=True):
            with transaction.atomic():
                analysis_store(revision=revision, analysis=analysis)
            count += 1
        batch.clear()

    for revision in revisions:
        batch.append(revision)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return count


class AdminAction(enum.StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    DELETED = "deleted"


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " ")
    return str(getattr(field, "verbose_name", None) or name.replace("_", " "))


def _rows_said(rows: dict[str, list[str]]) -> str:
    """``{"added": ["Zelenskyy"], "deleted": ["Zelenskiy"]}`` -> "added Zelenskyy; deleted Zelenskiy"."""
    return "; ".join(f"{what} {', '.join(names)}" for what, names in rows.items() if names)


@transaction.atomic
def admin_change_record(
    *,
    actor: AbstractBaseUser,
    obj: models.Model,
    action: AdminAction,
    fields: Sequence[str] = (),
    related: dict[str, dict[str, list[str]]] | None = None,
) -> Activity:
    """Write an edit made in the admin panel to the activity log: who, which object,
    which fields (``related``: inline rows by relation name, e.g.
    ``{"aliases": {"added": [...], "changed": [...], "deleted": [...]}}``).

    Call it inside the transaction of the change; for a deletion, before deleting
    (the log keeps the object's pk and name)."""
    related = {name: rows for name, rows in (related or {}).items() if any(rows.values())}
    model = type(obj)
    labels = [_field_label(model, name) for name in fields]
    labels += [
        f"{_field_label(model, name)} ({_rows_said(rows)})" for name, rows in related.items()
    ]
    who = actor.get_full_name() or actor.get_username()  # type: ignore[attr-defined]
    summary = f"{who} {action.value} the {model._meta.verbose_name} “{obj}”"
    if labels:
        summary += ": " + ", ".join(labels)
    detail: dict[str, object] = {
        "model": model._meta.label_lower,
        "pk": obj.pk,
        "name": str(obj),
        "fields": [*fields, *related],
    }
    if related:
        detail["related"] = related
    article = obj if isinstance(obj, Article) and action is not AdminAction.DELETED else None
    activity = Activity(
        actor=actor,
        verb=f"admin.{action.value}",
        article=article,
        summary=summary[:500],
        detail=detail,
    )
    activity.full_clean()
    activity.save()
    return activity
