"""Revisions and the activity log are append-only: no ORM path changes or deletes a
stored row, and on PostgreSQL the database itself refuses raw SQL too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, models, transaction

from articles.models import Activity, ImmutableRevisionError, Revision
from tests.append_only import (
    APPEND_ONLY,
    ORM_CHANGES,
    ORM_DELETES,
    TAMPERED,
    needs_postgres,
    snapshot,
    table_of,
)

pytestmark = pytest.mark.django_db

MODELS = [Revision, Activity]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("path", ORM_CHANGES, ids=str)
def test_no_orm_path_changes_a_stored_row(recorded_seed, model, path: str) -> None:
    before = snapshot()
    change: Callable[[models.Model, str], object] = ORM_CHANGES[path]
    with pytest.raises(ImmutableRevisionError):
        change(model.objects.first(), APPEND_ONLY[model])
    assert snapshot() == before


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("path", ORM_DELETES, ids=str)
def test_no_orm_path_deletes_a_stored_row(recorded_seed, model, path: str) -> None:
    before = snapshot()
    with pytest.raises(ImmutableRevisionError):
        ORM_DELETES[path](model.objects.first())
    assert snapshot() == before


def test_an_article_with_revisions_cannot_be_deleted(recorded_seed) -> None:
    with pytest.raises(models.ProtectedError):
        recorded_seed.article.delete()
    assert Revision.objects.filter(article=recorded_seed.article).exists()


def test_new_rows_are_still_appended(recorded_seed) -> None:
    Activity.objects.create(verb="test.appended", summary="Appended")
    Activity.objects.bulk_create([Activity(verb="test.appended", summary="Appended in bulk")])
    assert Activity.objects.filter(verb="test.appended").count() == 2


@pytest.mark.postgres
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_postgres_refuses_a_raw_update(recorded_seed, model) -> None:
    needs_postgres()
    before = snapshot()
    row = model.objects.first()
    sql = f"UPDATE {table_of(model)} SET {APPEND_ONLY[model]} = %s WHERE id = %s"  # noqa: S608
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        connection.cursor().execute(sql, [TAMPERED, row.pk])
    assert snapshot() == before


@pytest.mark.postgres
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_postgres_refuses_a_raw_delete(recorded_seed, model) -> None:
    needs_postgres()
    before = snapshot()
    sql = f"DELETE FROM {table_of(model)}"  # noqa: S608
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"), transaction.atomic():
        connection.cursor().execute(sql)
    assert snapshot() == before
