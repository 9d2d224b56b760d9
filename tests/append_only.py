"""The append-only record under test: one stored row of each protected table, every
ORM path that would change or delete a row, and a snapshot to prove nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import connection, models

from articles.models import Activity, Revision
from articles.services import RecordResult
from review import services
from review.models import Annotation, Comment, CommentVersion, CorrectionEvent, StatusChange

#: Each append-only model and a text column that an update would try to change.
APPEND_ONLY: dict[type[models.Model], str] = {
    Revision: "title",
    Activity: "summary",
    StatusChange: "reason",
    CommentVersion: "body",
    CorrectionEvent: "comment",
}

TAMPERED = "Tampered with"


@dataclass(frozen=True)
class History:
    """Stored rows of the protected tables, written by the services as a newsroom would."""

    annotation: Annotation
    comment: Comment

    def row(self, model: type[models.Model]) -> models.Model:
        return model.objects.order_by("pk").first()  # type: ignore[attr-defined]


def history_write(recorded: RecordResult, editor: User) -> History:
    """A dispute with a reworded comment, resolved, and a correction drafted for it."""
    annotation = services.annotation_create(
        revision=recorded.revision,
        author=editor,
        kind="disputed_attribution",
        start=None,
        end=None,
        exact="Putin asked for two Patriot batteries",
        comment="In context it was Zelensky who asked.",
        proposed_speaker_text="Volodymyr Zelensky",
    )
    comment = annotation.comments.get()
    services.comment_edit(comment=comment, editor=editor, body="It was Zelensky who asked.")
    services.correction_draft(
        article=recorded.article, proposer=editor, annotations=[annotation], note="Corrected."
    )
    services.annotation_resolve(annotation=annotation, actor=editor, reason="Checked the video.")
    history = History(annotation=annotation, comment=Comment.objects.get(pk=comment.pk))
    assert all(model.objects.exists() for model in APPEND_ONLY)  # type: ignore[attr-defined]
    return history


def snapshot() -> dict[str, list[dict[str, object]]]:
    """Every stored row of the protected tables (and the comments), column by column."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())  # type: ignore[attr-defined]
        for model in [*APPEND_ONLY, Comment]
    }


def rows_kept(before: dict[str, list[dict[str, object]]]) -> bool:
    """Every append-only row in ``before`` is still stored, unchanged, and every comment
    is still there (reworded perhaps); new rows may have been added."""
    after = snapshot()

    def kept(label: str) -> list[dict[str, object]]:
        ids = {row["id"] for row in before[label]}
        return [row for row in after[label] if row["id"] in ids]

    comments = Comment._meta.label
    return all(kept(m._meta.label) == before[m._meta.label] for m in APPEND_ONLY) and len(
        kept(comments)
    ) == len(before[comments])


def _changed(row: models.Model, field: str) -> models.Model:
    setattr(row, field, TAMPERED)
    return row


def _same_pk_new_instance(row: models.Model, field: str) -> None:
    """A fresh instance carrying a stored row's pk: a plain save() would UPDATE that row."""
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    type(row)(**{**values, field: TAMPERED}).save()


#: Every ORM path that would change a stored row: (row, the column to change) -> ...
ORM_CHANGES: dict[str, Callable[[models.Model, str], object]] = {
    "save": lambda row, field: _changed(row, field).save(),
    "save(update_fields)": lambda row, field: _changed(row, field).save(update_fields=[field]),
    "save(force_update)": lambda row, field: _changed(row, field).save(force_update=True),
    "save a new instance with the row's pk": _same_pk_new_instance,
    "queryset.update": lambda row, field: (
        type(row).objects.filter(pk=row.pk).update(**{field: TAMPERED})
    ),
    "bulk_update": lambda row, field: type(row).objects.bulk_update(
        [_changed(row, field)], [field]
    ),
    "bulk_create(update_conflicts)": lambda row, field: type(row).objects.bulk_create(
        [_changed(row, field)], update_conflicts=True, unique_fields=["id"], update_fields=[field]
    ),
    "update_or_create": lambda row, field: type(row).objects.update_or_create(
        pk=row.pk, defaults={field: TAMPERED}
    ),
}

#: Every ORM path that would delete a stored row.
ORM_DELETES: dict[str, Callable[[models.Model], object]] = {
    "instance.delete": lambda row: row.delete(),
    "queryset.delete": lambda row: type(row).objects.filter(pk=row.pk).delete(),
    "all().delete": lambda row: type(row).objects.all().delete(),
}


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the triggers exist only there (pgtrigger installs nothing on "
            "SQLite, where the application-level guard refuses instead)"
        )


def table_of(model: type[models.Model]) -> str:
    return model._meta.db_table
