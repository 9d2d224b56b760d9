"""The record: sources, people, articles and their immutable revisions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import pgtrigger
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from articles.analysis import types as analysis_types


class ImmutableRevisionError(Exception):
    """Raised on any attempt to change or delete a recorded revision."""


NUL_MESSAGE = "Contains a NUL character (\\x00), which text cannot hold; remove it."


class NulFreeText:
    """``full_clean()`` refuses a NUL character in any text field (PostgreSQL cannot
    store one; SQLite would, and the two must answer the same). Django's form fields
    refuse it too; this covers the services called from the API and commands."""

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        skip = set(exclude or ())
        errors = {
            field.name: [NUL_MESSAGE]
            for field in self._meta.concrete_fields  # type: ignore[attr-defined]
            if isinstance(field, (models.CharField, models.TextField))
            and field.name not in skip
            and "\x00" in (getattr(self, field.attname) or "")
        }
        if errors:
            raise ValidationError(errors)
        super().clean_fields(exclude=exclude)  # type: ignore[misc]


class Source(NulFreeText, models.Model):
    """An agency or outlet credited on articles (AFP, Reuters, ...)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", "News agency"
        OUTLET = "outlet", "Outlet"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(NulFreeText, models.Model):
    """Someone who is quoted. Names and aliases feed entity and speaker resolution."""

    name = models.CharField(max_length=200, unique=True, help_text="Full canonical name.")
    title = models.CharField(max_length=200, blank=True, help_text="Title or role.")
    organisation = models.CharField(max_length=200, blank=True)
    wikidata_id = models.CharField(
        max_length=20, blank=True, help_text="Optional Wikidata id, e.g. Q3874799."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[0-9]+$"),
                name="person_wikidata_id_format",
                violation_error_message="A Wikidata id looks like Q123 (Q and digits).",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PersonAlias(NulFreeText, models.Model):
    """Another way a person is named ("Zelensky", "Zelenskyy")."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="unique_alias_per_person")
        ]

    def __str__(self) -> str:
        return self.name


class Article(NulFreeText, models.Model):
    """A story; its text lives in its revisions."""

    slug = models.SlugField(max_length=120, unique=True)
    canonical_url = models.URLField(max_length=500, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    first_published = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept by the recording service (revisions are immutable, articles are not):
    # the newest revision, how many there are and how many of them are minor
    # (the desk leaves those out of its count unless asked), where the desk lists the article
    # (its first publication, else when it was recorded) and, on PostgreSQL, the
    # full-text document of the newest revision's headline, standfirst and body.
    latest_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revision_count = models.PositiveIntegerField(default=0)
    minor_revision_count = models.PositiveIntegerField(default=0)
    listed_at = models.DateTimeField(default=timezone.now)
    search_document = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-listed_at", "-id"]
        indexes = [
            models.Index(F("listed_at").desc(), F("id").desc(), name="article_listed"),
            models.Index(
                "source", F("listed_at").desc(), F("id").desc(), name="article_source_listed"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="unique_canonical_url_when_given",
            )
        ]

    def __str__(self) -> str:
        return self.slug


class RetiredSlug(models.Model):
    """An article's earlier slug: its old URLs answer a permanent redirect to the new one.

    Written when an admin changes an article's slug; a slug taken again by its own
    article stops being retired. No other article may take a retired slug."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="retired_slugs")
    slug = models.SlugField(max_length=120, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-retired_at", "-id"]

    def __str__(self) -> str:
        return f"{self.slug} → {self.article.slug}"


def content_sha256(*, title: str, standfirst: str, byline: str, body: str) -> str:
    """The hash that decides whether two captures hold the same content."""
    payload = "\x1f".join([title.strip(), standfirst.strip(), byline.strip(), body.strip()])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AppendOnlyQuerySet(models.QuerySet):
    """Rows of an append-only table: updates and deletes in bulk raise."""

    def update(self, **kwargs: object) -> int:
        raise ImmutableRevisionError(f"{self.model.__name__} rows are immutable; add a new one.")

    def bulk_update(self, objs: object, fields: object, batch_size: int | None = None) -> int:
        raise ImmutableRevisionError(f"{self.model.__name__} rows are immutable; add a new one.")

    def bulk_create(self, objs: Iterable[models.Model], *args: object, **kwargs: Any) -> list:
        if kwargs.get("update_conflicts"):
            raise ImmutableRevisionError(
                f"{self.model.__name__} rows are immutable: no upsert over an existing row."
            )
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRevisionError(f"{self.model.__name__} rows cannot be deleted.")


def append_only_trigger() -> pgtrigger.Protect:
    """On PostgreSQL the database itself refuses to UPDATE or DELETE the table's rows.

    A row-level trigger: TRUNCATE (the test suite's flush) is not an UPDATE or DELETE.
    """
    return pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


class AppendOnlyModel(NulFreeText, models.Model):
    """A row that is written once and never changed or deleted.

    ``save()`` only ever INSERTs a new row (an instance that has a pk, as a stored row
    has, raises rather than overwriting it); the manager's queryset refuses updates,
    upserts and deletes;
    each concrete model adds ``append_only_trigger()`` to its ``Meta.triggers``.
    """

    change_refused = "{model} rows are append-only."
    delete_refused = "{model} rows cannot be deleted."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = not self._state.adding or self.pk is not None
        if stored or kwargs.get("update_fields") or kwargs.get("force_update"):
            raise ImmutableRevisionError(self.change_refused.format(model=type(self).__name__))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRevisionError(self.delete_refused.format(model=type(self).__name__))


class Revision(AppendOnlyModel):
    """One immutable version of an article's text. A change is a new revision."""

    change_refused = "Revisions are immutable; record a new revision instead."
    delete_refused = "Revisions are immutable and cannot be deleted."

    class Origin(models.TextChoices):
        IMPORTED = "imported", "Imported"
        CORRECTION = "correction", "Correction"
        EDIT = "edit", "Edit"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    byline = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    stated_published_at = models.DateTimeField(null=True, blank=True)
    stated_updated_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64, db_index=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.IMPORTED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
    )
    source_filename = models.CharField(max_length=300, blank=True)
    note = models.TextField(
        blank=True, help_text="The public note of the correction this revision published."
    )
    minor = models.BooleanField(
        default=False,
        help_text="Differs from the previous revision only in typography, page "
        "furniture or a timestamp (set when recorded).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        triggers = [append_only_trigger()]
        # Matching a capture to its article by headline (services.article_match); the
        # opening-paragraph match has its own index on PostgreSQL (migration 0011).
        indexes = [models.Index(fields=["title"], name="revision_title")]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(condition=~Q(body=""), name="revision_body_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="revision_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} r{self.number}"

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]


class Analysis(NulFreeText, models.Model):
    """Sentences, entities and attributions of one revision, computed once.

    Keyed by the revision's content hash and the pipeline version, so a pipeline
    change (``manage.py reanalyse``) adds a new row rather than editing history.
    """

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="analyses")
    content_hash = models.CharField(max_length=64)
    pipeline_version = models.CharField(max_length=40)
    model = models.CharField(max_length=100)
    sentences = models.JSONField(default=list)
    entities = models.JSONField(default=list)
    attributions = models.JSONField(default=list)
    flagged_count = models.PositiveIntegerField(
        default=0, help_text="Attributions carrying at least one flag."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "analyses"
        # A capture whose content is on record reuses its analysis (services.drafts_analyse).
        indexes = [models.Index(fields=["content_hash"], name="analysis_content_hash")]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "pipeline_version", "model"],
                name="unique_analysis_per_pipeline",
            )
        ]

    def __str__(self) -> str:
        return f"Analysis of {self.revision} ({self.model} v{self.pipeline_version})"

    def as_dict(self) -> analysis_types.Analysis:
        return {
            "sentences": self.sentences,
            "entities": self.entities,
            "attributions": self.attributions,
        }


class Activity(AppendOnlyModel):
    """Append-only log of every editorial action: who did what, when."""

    change_refused = "The activity log is append-only."
    delete_refused = "The activity log is append-only: entries are never deleted."

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    verb = models.CharField(max_length=60)
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    summary = models.CharField(max_length=500)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "activity"
        triggers = [append_only_trigger()]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}: {self.summary}"


class ApiKey(models.Model):
    """A client's key for the push API. Only its SHA-256 is stored: the key itself
    is shown once, when an Admin creates it, and never again."""

    class Scope(models.TextChoices):
        CAPTURE = "capture", "Push captures (POST /api/captures)"
        READ = "read", "Read only (no endpoint takes a key for reading yet)"

    name = models.CharField(
        max_length=200, help_text="The client holding the key, e.g. “CMS production”."
    )
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.CAPTURE)
    prefix = models.CharField(
        max_length=16, unique=True, editable=False, help_text="Identifies the key in logs."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_of(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class Polled(models.Model):
    """A URL the watcher fetches, with what its last fetches said."""

    url = models.URLField(max_length=500, unique=True, verbose_name="URL")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Credited on the articles this URL gives (else what the page states).",
    )
    interval_minutes = models.PositiveIntegerField(
        default=15, validators=[MinValueValidator(1)], help_text="Poll every this many minutes."
    )
    active = models.BooleanField(default=True, help_text="Untick to stop polling it.")
    # What the last fetches said (kept by the watcher, read-only in the admin).
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_status = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="The last HTTP status."
    )
    last_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(
        default=0, editable=False, help_text="Errors in a row; each doubles the wait."
    )
    next_poll_at = models.DateTimeField(
        null=True, blank=True, editable=False, db_index=True, help_text="Empty: due now."
    )
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.url


class Feed(Polled):
    """An RSS or Atom feed: each entry's page is watched (a WatchedPage with this feed)."""

    class Meta:
        ordering = ["url"]


class WatchedPage(Polled):
    """A single page the watcher fetches; a feed's entries become watched pages too."""

    feed = models.ForeignKey(
        Feed,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pages",
        editable=False,
        help_text="The feed it was found in (empty: added by hand).",
    )
    watch_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Stop polling after this time (a feed's pages: some days after "
        "the feed last listed them). Empty: for as long as it is active.",
    )
    gone_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it last answered 404 or 410."
    )

    class Meta:
        ordering = ["url"]


class ImportBatch(models.Model):
    """One import: a single upload, or the files of one `import_articles` run.

    Its captures (items) are recorded by background tasks; the batch is how the
    page and the command follow their progress."""

    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.label or 'upload'})"


class ImportItem(models.Model):
    """One capture of an import, parsed and waiting to be analysed and recorded.

    Recording it and marking it done are one transaction, under a lock on this row,
    so an item is recorded at most once however often its task runs."""

    class Status(models.TextChoices):
        PENDING = "pending", "analysing"
        RECORDED = "recorded", "recorded"
        UNCHANGED = "unchanged", "unchanged"
        REFUSED = "refused", "refused"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    filename = models.CharField(max_length=300, blank=True)
    capture_sha256 = models.CharField(
        max_length=64, db_index=True, help_text="Of the capture file's bytes."
    )
    draft = models.JSONField(help_text="The parsed capture (articles.ingest.CaptureDraft).")
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    outcome = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="unique_import_position"),
        ]

    def __str__(self) -> str:
        return f"{self.filename or 'capture'} ({self.get_status_display()})"

    @property
    def done(self) -> bool:
        return self.status != self.Status.PENDING
