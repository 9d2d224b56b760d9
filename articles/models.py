"""The record: sources, people, articles and their immutable revisions."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.analysis import types as analysis_types


class ImmutableRevisionError(Exception):
    """Raised on any attempt to change or delete a recorded revision."""


class Source(models.Model):
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


class Person(models.Model):
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


class PersonAlias(models.Model):
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


class Article(models.Model):
    """A story; its text lives in its revisions."""

    slug = models.SlugField(max_length=120, unique=True)
    canonical_url = models.URLField(max_length=500, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    first_published = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_published", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="unique_canonical_url_when_given",
            )
        ]

    def __str__(self) -> str:
        return self.slug


def content_sha256(*, title: str, standfirst: str, byline: str, body: str) -> str:
    """The hash that decides whether two captures hold the same content."""
    payload = "\x1f".join([title.strip(), standfirst.strip(), byline.strip(), body.strip()])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AppendOnlyQuerySet(models.QuerySet):
    """Rows of an append-only table: bulk updates and deletes raise."""

    def update(self, **kwargs: object) -> int:
        raise ImmutableRevisionError(f"{self.model.__name__} rows are immutable; add a new one.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRevisionError(f"{self.model.__name__} rows cannot be deleted.")


class Revision(models.Model):
    """One immutable version of an article's text. A change is a new revision."""

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
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(condition=~Q(body=""), name="revision_body_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="revision_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} r{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None or not self._state.adding:
            raise ImmutableRevisionError("Revisions are immutable; record a new revision instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRevisionError("Revisions are immutable and cannot be deleted.")

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]


class Analysis(models.Model):
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


class Activity(models.Model):
    """Append-only log of every editorial action: who did what, when."""

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

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "activity"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}: {self.summary}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ImmutableRevisionError("The activity log is append-only.")
        super().save(*args, **kwargs)
