"""Every write to the record goes through here, one transaction each."""

from __future__ import annotations

import enum
import hashlib
import logging
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from articles import analysis as nlp
from articles import hooks
from articles.changes import FIELDS, is_minor_change
from articles.ingest import CaptureDraft, draft_from_json, draft_to_json, read_capture
from articles.models import (
    Activity,
    Analysis,
    ApiKey,
    Article,
    ImportBatch,
    ImportItem,
    RetiredSlug,
    Revision,
    Source,
    content_sha256,
)
from articles.selectors import SEARCH_CONFIG, known_names

logger = logging.getLogger(__name__)


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
    base = slugify(name)[:180].rstrip("-") or "source"  # room for a "-2" within the slug's 200
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
    """The title's slug, else the first of ``slug-2``, ``slug-3``… that no article has
    or had (a retired slug still redirects). Asked in growing batches, two queries
    each: a title printed every day ("Corrections") finds its thousandth free number
    in a few queries, not in two thousand."""
    base = slugify(title)
    if len(base) > 80:
        base = base[:81].rsplit("-", 1)[0]
    base = base.strip("-") or "article"
    first, size = 1, 4
    while True:
        candidates = [base if n == 1 else f"{base}-{n}" for n in range(first, first + size)]
        taken = set(Article.objects.filter(slug__in=candidates).values_list("slug", flat=True))
        taken.update(RetiredSlug.objects.filter(slug__in=candidates).values_list("slug", flat=True))
        for slug in candidates:
            if slug not in taken:
                return slug
        first, size = first + size, size * 4


# How many characters of a body the opening-paragraph match compares (and indexes).
OPENING_INDEXED = 200


def _first_paragraph(body: str) -> str:
    return body.split("\n\n", 1)[0].strip()


class MatchedBy(enum.StrEnum):
    CANONICAL_URL = "canonical URL"
    HEADLINE = "headline"
    OPENING = "opening paragraph"


@dataclass(frozen=True)
class ArticleMatch:
    article: Article
    by: MatchedBy


def article_match(*, draft: CaptureDraft, source: Source | None) -> ArticleMatch | None:
    """The article a capture belongs to, if it is already on record, and how it matched.

    Same canonical URL when the capture states one; otherwise the same credited
    source and the same title or the same opening paragraph as a revision.
    """
    if draft.canonical_url:
        found = Article.objects.filter(canonical_url=draft.canonical_url).first()
        if found is not None:
            return ArticleMatch(found, MatchedBy.CANONICAL_URL)
    candidates = Revision.objects.filter(article__source=source).select_related("article")
    if draft.canonical_url:
        candidates = candidates.filter(article__canonical_url="")
    by_title = candidates.filter(title=draft.title).order_by("-article__created_at").first()
    if by_title is not None:
        return ArticleMatch(by_title.article, MatchedBy.HEADLINE)
    opening = _first_paragraph(draft.body)
    if opening:
        # The body starts with the opening's first 200 characters: asked of the
        # body's first 200, which PostgreSQL finds through an index (migration 0011).
        openings = candidates.alias(start=Left("body", OPENING_INDEXED)).filter(
            start__startswith=opening[:OPENING_INDEXED]
        )
        for revision in openings.order_by("-id")[:20]:
            if _first_paragraph(revision.body) == opening:
                return ArticleMatch(revision.article, MatchedBy.OPENING)
    return None


class HeadlineMismatch(Exception):
    """A capture would become a new revision of an article whose headline differs:
    it matched by its opening paragraph alone. Nothing was written."""

    def __init__(self, *, draft: CaptureDraft, article: Article, latest: Revision) -> None:
        self.draft = draft
        self.article = article
        self.latest = latest
        self.content_hash = draft_content_hash(draft)
        source = f", {article.source.name}" if article.source else ""
        super().__init__(
            f"“{draft.title}” matched the article “{latest.title}” ({article.slug}{source}) "
            "by its opening paragraph only: the headlines differ"
        )


def headline_mismatch_find(*, draft: CaptureDraft) -> HeadlineMismatch | None:
    """The question ``revision_record(ask_on_headline_change=True)`` would raise for
    this capture, found without writing anything (before an import is queued)."""
    source = None
    if draft.credited_source:
        source = Source.objects.filter(name__iexact=draft.credited_source.strip()).first()
        if source is None:  # a new source: no article of it is on record
            return None
    found = article_match(draft=draft, source=source)
    if found is None or found.by is not MatchedBy.OPENING:
        return None
    latest = found.article.revisions.order_by("-number").first()
    if latest is None:
        return None
    return HeadlineMismatch(draft=draft, article=found.article, latest=latest)


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


def article_latest_set(
    *,
    article: Article,
    revision: Revision,
    created: bool = False,
    batch: RecordingBatch | None = None,
) -> None:
    """Point the article at its newest revision and count it, minor or not (inside
    the recording transaction). ``created``: the article was written in this
    transaction, so nothing of other apps hangs on it yet and their hooks are spared.
    In a ``batch`` the article is changed in memory and written at its flush."""
    if revision.number == 1:
        minor = 0  # a first revision is never minor
    elif revision.number == article.revision_count + 1:  # the next one: count on
        minor = article.minor_revision_count + (1 if revision.minor else 0)
    else:
        minor = article.revisions.filter(minor=True).count()
    article.latest_revision = revision
    article.revision_count = revision.number
    article.minor_revision_count = minor
    if batch is not None:
        batch.moved[article.pk] = article
        if created:
            batch.created.add(article.pk)
        return
    article.save(update_fields=_LATEST_FIELDS)
    search_documents_refresh(article_ids=[article.pk])
    if not created:
        hooks.latest_revision_set(article_ids=[article.pk])


_LATEST_FIELDS = ["latest_revision", "revision_count", "minor_revision_count"]


def analysis_store(*, revision: Revision, analysis: nlp.Analysis, new: bool = False) -> Analysis:
    """Store an analysis of a revision for the current pipeline version (replacing
    the stored one; ``new``: the revision was just written, so there is none)."""
    if new:
        row = _analysis_row(revision=revision, analysis=analysis)
        row.save(force_insert=True)
        return row
    values = _analysis_values(revision=revision, analysis=analysis)
    row, _ = Analysis.objects.update_or_create(
        revision=revision,
        pipeline_version=nlp.PIPELINE_VERSION,
        model=nlp.model_name(),
        defaults=values,
    )
    return row


def _analysis_row(*, revision: Revision, analysis: nlp.Analysis) -> Analysis:
    """The (unsaved) stored analysis of a just-written revision."""
    return Analysis(
        revision=revision,
        pipeline_version=nlp.PIPELINE_VERSION,
        model=nlp.model_name(),
        **_analysis_values(revision=revision, analysis=analysis),
    )


def _analysis_values(*, revision: Revision, analysis: nlp.Analysis) -> dict[str, Any]:
    return {
        "content_hash": revision.content_hash,
        "sentences": analysis["sentences"],
        "entities": analysis["entities"],
        "attributions": analysis["attributions"],
        "flagged_count": sum(1 for a in analysis["attributions"] if a.get("flags")),
        # When it was stored: a re-store is a new analysis for the pages' caches.
        "created_at": timezone.now(),
    }


def rows_insert(rows: Sequence[models.Model]) -> None:
    """INSERT these new rows of one model (their primary keys stay unset, and no
    ``post_save`` is sent) in one ``executemany``, which psycopg sends pipelined: one
    round trip. ``bulk_create`` on PostgreSQL spells the rows as one array per column,
    which psycopg builds in Python, character by character for text: for analyses
    (large JSON) that cost more than the round trips it saves."""
    if not rows:
        return
    meta = type(rows[0])._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Names from the model's own metadata, quoted; every value is a parameter.
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    values = [
        [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def rows_update(rows: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE these fields of these rows of one model, by primary key, in one
    ``executemany`` (no ``post_save``); cheaper to build than ``bulk_update``'s CASE."""
    if not rows:
        return
    meta = type(rows[0])._meta
    fields = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
    where = f"{quote(meta.pk.column)} = %s"
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {where}"  # noqa: S608
    values = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]  # type: ignore[union-attr]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


@dataclass
class RecordingBatch:
    """One transaction that records many captures, one after another (an import
    task): what it has looked up and locked so far, and the writes it defers.

    Recording a capture alone costs some sixteen round trips to the database; in a
    batch most are made once: the recording lock (held until the transaction ends),
    each credited source, and each article's row lock and newest revision (nobody
    else can change either before the commit: the row is locked, or written and not
    yet visible). What no later capture of the batch reads is written once, at
    ``flush``, in bulk: the articles' newest-revision pointers and counters, their
    full-text documents, the latest-revision hooks, the analyses, the log entries, and
    the hooks run after the commit (once for all the batch's revisions).
    The revisions themselves are written one by one, at once: matching the next
    capture reads them. Rows written in bulk send no ``post_save``; each belongs to
    an article whose revision, saved in the same transaction, did.

    A batch's transaction has no savepoint per capture: a capture that cannot be
    recorded breaks it, and the caller records the captures again one at a time
    (:func:`import_items_record`)."""

    locked: bool = False
    sources: dict[str, Source] = field(default_factory=dict)
    #: Articles locked or written in this transaction, with their newest revision.
    articles: dict[int, tuple[Article, Revision | None]] = field(default_factory=dict)
    #: Of those, the ones with a canonical URL, by it (unique when given).
    by_url: dict[str, Article] = field(default_factory=dict)
    #: Articles whose newest revision changed (written at ``flush``), by id.
    moved: dict[int, Article] = field(default_factory=dict)
    #: Of those, the ones written in this transaction.
    created: set[int] = field(default_factory=set)
    analyses: list[Analysis] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    #: The revisions written, in order (for the hooks run after the commit).
    recorded: list[int] = field(default_factory=list)

    def lock(self) -> None:
        if not self.locked:
            _recording_lock()
            self.locked = True

    def source(self, name: str) -> Source:
        key = name.strip()
        if key not in self.sources:
            self.sources[key] = source_get_or_create(name=key)
        return self.sources[key]

    def hold(self, article: Article, latest: Revision | None) -> None:
        self.articles[article.pk] = (article, latest)
        if article.canonical_url:
            self.by_url[article.canonical_url] = article

    def flush(self) -> None:
        """Make the deferred writes (inside the batch's transaction, before it ends)."""
        if self.moved:
            moved = list(self.moved.values())
            rows_update(moved, _LATEST_FIELDS)
            search_documents_refresh(article_ids=[article.pk for article in moved])
            earlier = [article.pk for article in moved if article.pk not in self.created]
            if earlier:
                hooks.latest_revision_set(article_ids=earlier)
        rows_insert(self.analyses)
        rows_insert(self.activities)
        hooks.revision_recorded(revision_ids=self.recorded)
        self.moved, self.created, self.analyses, self.activities = {}, set(), [], []
        self.recorded = []


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
    new_article: bool = False,
    ask_on_headline_change: bool = False,
    via: Mapping[str, object] | None = None,
    batch: RecordingBatch | None = None,
) -> RecordResult:
    """Record a capture: match its article, skip identical content, else write the
    next revision and its analysis. One transaction (``batch``: part of the caller's,
    see :class:`RecordingBatch`).

    ``article`` records it under that article, ``new_article`` as a new article
    (no matching). With ``ask_on_headline_change`` a capture that matched an
    article by its opening paragraph alone (its headline is none of the
    article's) raises ``HeadlineMismatch`` and writes nothing.

    A revision that differs from the previous one only in typography, furniture or
    a timestamp is marked ``minor`` (see ``articles.changes``). ``via`` says how the
    capture arrived (the watcher's URL, the API client); it goes into the log entry.

    The analysis is computed before the transaction opens (spaCy never runs while
    a row is locked): pass ``analysis`` when it is known, else call this outside
    any transaction of your own."""
    if analysis is None:
        analysis = drafts_analyse([draft])[0]
    # Alone: its own transaction, or a savepoint inside the caller's. In a batch: part
    # of the batch's transaction, with no savepoint (two round trips a capture).
    with transaction.atomic(savepoint=batch is None):
        return _revision_write(
            draft=draft,
            author=author,
            origin=origin,
            filename=filename,
            captured_at=captured_at,
            analysis=analysis,
            article=article,
            note=note,
            new_article=new_article,
            ask_on_headline_change=ask_on_headline_change,
            via=via,
            batch=batch,
        )


# Any constant bigint: the PostgreSQL advisory lock that serialises recordings.
RECORDING_LOCK_KEY = 0x6E6473_7265636F


def _recording_lock() -> None:
    """Serialise recordings until the transaction ends (PostgreSQL).

    Matching a capture to its article and numbering the revision must see every
    recording before it: two workers recording captures of the same new article
    would otherwise both create it. The write is short (the analysis is done
    before), so workers queue here only briefly. SQLite has one writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECORDING_LOCK_KEY])


def _revision_write(
    *,
    draft: CaptureDraft,
    author: AbstractBaseUser | None,
    origin: Revision.Origin,
    filename: str,
    captured_at: datetime | None,
    analysis: nlp.Analysis,
    article: Article | None,
    note: str,
    new_article: bool,
    ask_on_headline_change: bool,
    via: Mapping[str, object] | None,
    batch: RecordingBatch | None,
) -> RecordResult:
    if batch is not None:
        batch.lock()
        source = batch.source(draft.credited_source) if draft.credited_source else None
    else:
        _recording_lock()
        source = source_get_or_create(name=draft.credited_source) if draft.credited_source else None
    if article is None and not new_article:
        held_by_url = batch.by_url.get(draft.canonical_url) if batch is not None else None
        if held_by_url is not None:
            # What article_match's first query would find: the URL is unique (and a
            # held article is listed by its URL only when it has one).
            found: ArticleMatch | None = ArticleMatch(held_by_url, MatchedBy.CANONICAL_URL)
        else:
            found = article_match(draft=draft, source=source)
        article = found.article if found is not None else None
        if found is not None and found.by is MatchedBy.OPENING and ask_on_headline_change:
            latest = found.article.revisions.order_by("-number").first()
            assert latest is not None  # matched through one of its revisions
            raise HeadlineMismatch(draft=draft, article=found.article, latest=latest)
    content_hash = draft_content_hash(draft)
    minor = False
    if article is not None:
        held = batch.articles.get(article.pk) if batch is not None else None
        if held is not None:
            article, latest = held
        else:
            article = Article.objects.select_for_update().get(pk=article.pk)
            latest = article.revisions.order_by("-number").first()
            if batch is not None:
                batch.hold(article, latest)
        if latest is not None and latest.content_hash == content_hash:
            return RecordResult(RecordOutcome.UNCHANGED, article, latest)
        if latest is not None and origin != Revision.Origin.CORRECTION:
            minor = is_minor_change(_fields_of(latest), _fields_of(draft))
        number = (latest.number if latest is not None else 0) + 1
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
        # The slug was chosen free, and no article has this canonical URL when it
        # was matched above (under the recording lock): checking them again cost
        # three queries. Told to make a new article, the URL is still checked.
        article.full_clean(validate_unique=False, validate_constraints=new_article)
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
        minor=minor,
    )
    # The constraints (number unique per article, non-empty title and body) are the
    # database's own and refuse a bad row on insert, and the article was just locked or
    # written: validating them here first would cost five queries per revision, a
    # tenth of a bulk import's time.
    revision.full_clean(exclude=["article"], validate_constraints=False)
    revision.save()
    article_latest_set(
        article=article,
        revision=revision,
        created=outcome is RecordOutcome.NEW_ARTICLE,
        batch=batch,
    )
    if batch is not None:
        batch.hold(article, revision)
        batch.analyses.append(_analysis_row(revision=revision, analysis=analysis))
        batch.recorded.append(revision.pk)
    else:
        analysis_store(revision=revision, analysis=analysis, new=True)
        hooks.revision_recorded(revision_ids=[revision.pk])
    kind = f"{outcome.value}, minor" if minor else outcome.value
    detail: dict[str, object] = {
        "origin": origin,
        "filename": filename,
        "outcome": outcome.value,
        "minor": minor,
    }
    if via:
        detail["via"] = dict(via)
    entry = Activity(
        actor=author,
        verb="revision.recorded",
        article=article,
        revision=revision,
        summary=f"Recorded revision {number} of “{draft.title}” ({kind})"[:500],
        detail=detail,
    )
    if batch is not None:
        batch.activities.append(entry)
    else:
        entry.save(force_insert=True)
    return RecordResult(outcome, article, revision)


def _fields_of(version: Revision | CaptureDraft) -> dict[str, str]:
    return {name: getattr(version, name) for name in FIELDS}


def analyses_stored(*, content_hashes: Iterable[str]) -> dict[str, Analysis]:
    """The analyses on record (for the current pipeline) of these contents, by hash."""
    return {
        row.content_hash: row
        for row in Analysis.objects.filter(
            content_hash__in=set(content_hashes),
            pipeline_version=nlp.PIPELINE_VERSION,
            model=nlp.model_name(),
        )
    }


def drafts_analyse(drafts: Sequence[CaptureDraft]) -> list[nlp.Analysis]:
    """The analysis of each draft: the stored one when the same content is on record
    (for the current pipeline), else computed, all new ones in one batched spaCy pass.

    Call it outside any transaction: it is the slow part of recording."""
    if not drafts:
        return []
    hashes = [draft_content_hash(draft) for draft in drafts]
    stored = analyses_stored(content_hashes=hashes)
    fresh = [i for i, content_hash in enumerate(hashes) if content_hash not in stored]
    known = known_names() if fresh else ()
    if len(fresh) == 1:
        analysed = [nlp.analyse_text(drafts[fresh[0]].body, known=known)]
    else:
        analysed = list(nlp.analyse_texts([drafts[i].body for i in fresh], known=known))
    computed = dict(zip(fresh, analysed, strict=True))
    return [
        computed[i] if i in computed else stored[content_hash].as_dict()
        for i, content_hash in enumerate(hashes)
    ]


@dataclass(frozen=True)
class CaptureIn:
    """A parsed capture to import: its file name, the sha256 of its bytes, its draft."""

    filename: str
    capture_sha256: str
    draft: CaptureDraft

    @classmethod
    def read(cls, data: bytes, *, filename: str) -> CaptureIn:
        """The capture in a file's bytes (``CaptureRefused`` when they hold none)."""
        return cls(
            filename=filename,
            capture_sha256=hashlib.sha256(data).hexdigest(),
            draft=read_capture(data, filename=filename),
        )


@transaction.atomic
def import_batch_create(
    *, captures: Sequence[CaptureIn], author: AbstractBaseUser | None = None, label: str = ""
) -> ImportBatch:
    """Write an import batch and its captures, waiting to be analysed and recorded."""
    batch = ImportBatch(author=author, label=label[:300])
    batch.full_clean()
    batch.save()
    items = []
    for position, capture in enumerate(captures, start=1):
        item = ImportItem(
            batch=batch,
            position=position,
            filename=capture.filename[:300],
            capture_sha256=capture.capture_sha256,
            draft=draft_to_json(capture.draft),
        )
        item.full_clean(exclude=["batch"], validate_unique=False, validate_constraints=False)
        items.append(item)
    ImportItem.objects.bulk_create(items)
    return batch


def _article_key(draft: dict[str, Any]) -> str:
    """Captures with the same key are probably the same article: they go to one task,
    in file order, so that their revisions are numbered in that order."""
    if draft.get("canonical_url"):
        return "url:" + draft["canonical_url"]
    return "title:" + (draft.get("credited_source") or "").casefold() + "\n" + draft["title"]


def import_chunks(items: Sequence[ImportItem], size: int) -> list[list[int]]:
    """Item ids in tasks of about ``size`` captures, never splitting one article's."""
    groups: dict[str, list[int]] = {}
    for item in items:
        groups.setdefault(_article_key(item.draft), []).append(item.pk)
    chunks: list[list[int]] = [[]]
    for ids in groups.values():
        if chunks[-1] and len(chunks[-1]) + len(ids) > size:
            chunks.append([])
        chunks[-1].extend(ids)
    return [chunk for chunk in chunks if chunk]


def import_items_enqueue(
    *,
    items: Sequence[ImportItem],
    size: int | None = None,
    after_each: Callable[[], None] | None = None,
) -> int:
    """Enqueue tasks that analyse and record these captures; returns how many tasks.

    With the immediate backend each task runs here and now, so call this outside any
    transaction (the analysis must not run inside one). ``after_each`` is called after
    each task is enqueued (a progress bar's refresh)."""
    from articles.tasks import import_items_record_task

    size = size or settings.IMPORT_TASK_SIZE
    chunks = import_chunks(items, size)
    for ids in chunks:
        ImportItem.objects.filter(pk__in=ids, status=ImportItem.Status.PENDING).update(
            enqueued_at=timezone.now()
        )
        result = import_items_record_task.enqueue(item_ids=ids)
        ImportItem.objects.filter(pk__in=ids, status=ImportItem.Status.PENDING).update(
            task_id=str(result.id)
        )
        if after_each is not None:
            after_each()
    return len(chunks)


def import_items_stale(items: Iterable[ImportItem], *, stale_seconds: int) -> list[ImportItem]:
    """The pending captures whose task will not record them: it failed, finished, is
    unknown, or has been running longer than ``stale_seconds`` (its worker died).
    A task still waiting in the queue is not stale."""
    pending = [item for item in items if item.status == ImportItem.Status.PENDING]
    states: dict[str, tuple[TaskResultStatus, datetime | None] | None] = {}
    for task_id in {item.task_id for item in pending if item.task_id}:
        try:
            result = default_task_backend.get_result(task_id)
        except (TaskResultDoesNotExist, NotImplementedError):
            states[task_id] = None
        else:
            states[task_id] = (result.status, result.started_at)
    cutoff = timezone.now() - timedelta(seconds=stale_seconds)
    stale = []
    for item in pending:
        state = states.get(item.task_id)
        if state is None:
            lost = item.enqueued_at is None or item.enqueued_at <= cutoff
        else:
            status, started_at = state
            lost = status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL) or (
                status == TaskResultStatus.RUNNING and (started_at is None or started_at <= cutoff)
            )
        if lost:
            stale.append(item)
    return stale


def import_items_record(*, item_ids: Sequence[int]) -> dict[str, int]:
    """Analyse and record the pending captures among ``item_ids``: the analysis in one
    batched spaCy pass outside any transaction, then every capture recorded and marked
    done in one transaction, each under a lock on its item row, so that running this
    twice (or a killed worker's task again) records nothing twice.

    The captures are recorded as one :class:`RecordingBatch`. When one of them cannot
    be recorded (the database or a check refuses it), that transaction is rolled back
    and they are recorded again one at a time, each in a savepoint, so that the one
    refused is marked so and the others are recorded: the outcome is the same either
    way, the batch is only faster."""
    items = list(
        ImportItem.objects.filter(pk__in=item_ids, status=ImportItem.Status.PENDING)
        .select_related("batch")
        .order_by("batch_id", "position")
    )
    if not items:
        return {}
    drafts = [draft_from_json(item.draft) for item in items]
    started = time.perf_counter()
    analyses = drafts_analyse(drafts)
    analysed = time.perf_counter()
    try:
        counts = _import_items_write(items=items, drafts=drafts, analyses=analyses, bulk=True)
        how = "as one batch"
    except _REFUSALS:
        counts = _import_items_write(items=items, drafts=drafts, analyses=analyses, bulk=False)
        how = "one at a time (one was refused)"
    logger.info(
        "import: %d captures analysed in %.3f s, recorded %s in %.3f s",
        len(items),
        analysed - started,
        how,
        time.perf_counter() - analysed,
    )
    return counts


# What refuses one capture of an import (it is marked refused; the others are recorded).
_REFUSALS = (DatabaseError, ValueError, ValidationError)
_ITEM_DONE_FIELDS = ["status", "outcome", "message", "revision", "finished_at"]


def _import_items_write(
    *,
    items: Sequence[ImportItem],
    drafts: Sequence[CaptureDraft],
    analyses: Sequence[nlp.Analysis],
    bulk: bool,
) -> dict[str, int]:
    """Record the analysed captures in one transaction: as one batch (``bulk``; any
    refusal raises), else one at a time, each in a savepoint."""
    counts: Counter[str] = Counter()
    batch = RecordingBatch() if bulk else None
    with transaction.atomic():
        locked = {
            item.pk: item
            for item in ImportItem.objects.select_for_update()
            .filter(pk__in=[item.pk for item in items])
            .order_by("pk")  # one order for every worker: no deadlock between two
        }
        done: list[ImportItem] = []
        for item, draft, analysis in zip(items, drafts, analyses, strict=True):
            current = locked[item.pk]
            if current.status != ImportItem.Status.PENDING:
                continue  # recorded meanwhile by another run of the task
            status = _import_item_record(
                item=current, draft=draft, analysis=analysis, author=item.batch.author, batch=batch
            )
            counts[status] += 1
            done.append(current)
        if batch is not None:
            batch.flush()
            rows_update(done, _ITEM_DONE_FIELDS)
    return dict(counts)


def _import_item_record(
    *,
    item: ImportItem,
    draft: CaptureDraft,
    analysis: nlp.Analysis,
    author: AbstractBaseUser | None,
    batch: RecordingBatch | None,
) -> str:
    """Record one capture and mark its item (in a ``batch``, the item is written by
    the caller, and a refusal raises)."""
    try:
        result = revision_record(
            draft=draft, author=author, filename=item.filename, analysis=analysis, batch=batch
        )
    except _REFUSALS as exc:
        if batch is not None:
            raise
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        item.status = ImportItem.Status.REFUSED
        item.message = f"could not be recorded: {reason}"
    else:
        item.status = (
            ImportItem.Status.UNCHANGED
            if result.outcome is RecordOutcome.UNCHANGED
            else ImportItem.Status.RECORDED
        )
        item.outcome = result.outcome.value
        item.message = result.message
        item.revision = result.revision
    item.finished_at = timezone.now()
    item.full_clean(
        exclude=["batch", "revision"], validate_unique=False, validate_constraints=False
    )
    if batch is None:
        item.save(update_fields=_ITEM_DONE_FIELDS)
    return item.status


def draft_analyse(draft: CaptureDraft) -> nlp.Analysis | None:
    """One draft's analysis, run outside any transaction (the stored one when its
    content is on record for the current pipeline)."""
    return drafts_analyse([draft])[0]


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


# --------------------------------------------------------------------------
# capture: API keys and pushed captures


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    raw: str  # shown once, never stored


@transaction.atomic
def api_key_create(
    *,
    name: str,
    scope: str = ApiKey.Scope.CAPTURE,
    created_by: AbstractBaseUser | None = None,
    key: ApiKey | None = None,
) -> IssuedKey:
    """A new key for a client. Only its hash is stored; ``raw`` is the one chance to
    read it: ``nd_<prefix>_<secret>``. ``key``: an unsaved instance to fill (the
    admin's form instance), else a new one."""
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    raw = f"nd_{prefix}_{secrets.token_urlsafe(32)}"
    key = key if key is not None else ApiKey()
    if key.pk is not None:
        raise ValueError("A stored key cannot be issued again; create a new one.")
    key.name = name.strip()
    key.scope = scope
    key.prefix = prefix
    key.key_hash = ApiKey.hash_of(raw)
    key.created_by = created_by  # type: ignore[assignment]
    key.full_clean()
    key.save()
    return IssuedKey(key=key, raw=raw)


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: AbstractBaseUser) -> ApiKey:
    """Revoke a key for good (a revoked key is kept, for the log); logged."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    admin_change_record(actor=actor, obj=key, action=AdminAction.CHANGED, fields=["revoked_at"])
    return key


def api_key_find(*, raw: str) -> ApiKey | None:
    """The key a client sent, by its hash (revoked or not), else None."""
    return ApiKey.objects.filter(key_hash=ApiKey.hash_of(raw.strip())).first()


def api_key_touch(*, key: ApiKey, at: datetime | None = None) -> None:
    """Record a key's use (one UPDATE; not an editorial action, so not logged)."""
    key.last_used_at = at or timezone.now()
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=key.last_used_at)


def capture_push(*, key: ApiKey, draft: CaptureDraft) -> RecordResult:
    """Record a capture a client pushed, and log which client sent it (also when it
    records nothing). Analysed before the transaction; then one transaction."""
    analysis = draft_analyse(draft)
    with transaction.atomic():
        via = {"channel": "api", "client": key.name, "key": key.prefix, "key_id": key.pk}
        result = revision_record(draft=draft, analysis=analysis, via=via)
        minor = result.outcome is not RecordOutcome.UNCHANGED and result.revision.minor
        said = f"{result.outcome.value}, minor" if minor else result.outcome.value
        activity = Activity(
            verb="capture.pushed",
            article=result.article,
            revision=result.revision,
            summary=f"{key.name} pushed a capture of “{draft.title}”: {said}"[:500],
            detail={**via, "outcome": result.outcome.value},
        )
        activity.full_clean()
        activity.save()
    return result


@transaction.atomic
def article_slug_retire(*, article: Article, old_slug: str) -> RetiredSlug | None:
    """Keep an article's earlier slug after its slug changed, so that its old URLs
    redirect to the new ones. Taking back a retired slug of its own un-retires it.

    Call it in the transaction that saved the new slug."""
    RetiredSlug.objects.filter(article=article, slug=article.slug).delete()
    if not old_slug or old_slug == article.slug:
        return None
    retired = RetiredSlug(article=article, slug=old_slug)
    retired.full_clean()
    retired.save()
    return retired
