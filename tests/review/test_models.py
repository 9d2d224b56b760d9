"""The histories of the editorial work are append-only (status changes, earlier
wordings of comments, correction events) and comments are never deleted: no ORM path
does it, and on PostgreSQL the database itself refuses raw SQL too."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from articles.models import ImmutableRevisionError
from review.models import Comment, CommentVersion, CorrectionEvent, StatusChange
from tests.append_only import (
    APPEND_ONLY,
    ORM_CHANGES,
    ORM_DELETES,
    TAMPERED,
    History,
    history_write,
    needs_postgres,
    snapshot,
    table_of,
)

pytestmark = pytest.mark.django_db

MODELS = [StatusChange, CommentVersion, CorrectionEvent]


@pytest.fixture
def history(recorded_seed, editor) -> History:
    return history_write(recorded_seed, editor)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("path", ORM_CHANGES, ids=str)
def test_no_orm_path_changes_a_stored_row(history: History, model, path: str) -> None:
    before = snapshot()
    with pytest.raises(ImmutableRevisionError):
        ORM_CHANGES[path](history.row(model), APPEND_ONLY[model])
    assert snapshot() == before


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("path", ORM_DELETES, ids=str)
def test_no_orm_path_deletes_a_stored_row(history: History, model, path: str) -> None:
    before = snapshot()
    with pytest.raises(ImmutableRevisionError):
        ORM_DELETES[path](history.row(model))
    assert snapshot() == before


@pytest.mark.parametrize("path", ORM_DELETES, ids=str)
def test_no_orm_path_deletes_a_comment(history: History, path: str) -> None:
    before = snapshot()
    with pytest.raises(ImmutableRevisionError, match="never deleted"):
        ORM_DELETES[path](history.comment)
    assert snapshot() == before


def test_a_comment_is_still_reworded_by_its_author(history: History, editor) -> None:
    from review import services

    services.comment_edit(comment=history.comment, editor=editor, body="Third wording.")
    assert Comment.objects.get(pk=history.comment.pk).body == "Third wording."
    assert list(CommentVersion.objects.values_list("body", flat=True)) == [
        "In context it was Zelensky who asked.",
        "It was Zelensky who asked.",
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_postgres_refuses_a_raw_update(history: History, model) -> None:
    needs_postgres()
    before = snapshot()
    sql = f"UPDATE {table_of(model)} SET {APPEND_ONLY[model]} = %s WHERE id = %s"  # noqa: S608
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        connection.cursor().execute(sql, [TAMPERED, history.row(model).pk])
    assert snapshot() == before


@pytest.mark.postgres
@pytest.mark.parametrize("model", [*MODELS, Comment], ids=lambda m: m.__name__)
def test_postgres_refuses_a_raw_delete(history: History, model) -> None:
    needs_postgres()
    before = snapshot()
    sql = f"DELETE FROM {table_of(model)} WHERE id = %s"  # noqa: S608
    with pytest.raises(DatabaseError, match=r"Cannot .* rows from"), transaction.atomic():
        connection.cursor().execute(sql, [history.row(model).pk])
    assert snapshot() == before


@pytest.mark.postgres
def test_postgres_lets_a_comment_row_be_reworded(history: History) -> None:
    """Comments are edited in place (the earlier wording is kept as a CommentVersion)."""
    needs_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE review_comment SET body = %s WHERE id = %s", ["Reworded.", history.comment.pk]
        )
    assert Comment.objects.get(pk=history.comment.pk).body == "Reworded."
