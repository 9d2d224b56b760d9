"""Imports as tasks, with the immediate backend (the default): chunks, idempotence,
the import page, lost tasks. The database backend with real workers is in
test_tasks.py (PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import ImportItem, Revision
from tests.articles.capture_variants import capture_texts, import_batch_of
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db


def test_captures_of_one_article_go_to_one_task_in_file_order() -> None:
    texts = capture_texts(3, 3)  # a1-r1, a1-r2, a1-r3, a2-r1, ...
    items = list(import_batch_of(texts).items.order_by("position"))
    chunks = services.import_chunks(items, size=4)
    by_id = {item.pk: item.filename for item in items}
    assert [[by_id[pk] for pk in chunk] for chunk in chunks] == [
        ["a00001-r1.txt", "a00001-r2.txt", "a00001-r3.txt"],
        ["a00002-r1.txt", "a00002-r2.txt", "a00002-r3.txt"],
        ["a00003-r1.txt", "a00003-r2.txt", "a00003-r3.txt"],
    ]


def test_recording_the_same_items_twice_records_each_capture_once() -> None:
    batch = import_batch_of(capture_texts(2, 2))
    ids = list(batch.items.values_list("pk", flat=True))
    first = services.import_items_record(item_ids=ids)
    second = services.import_items_record(item_ids=ids)
    assert first == {"recorded": 4}
    assert second == {}
    assert Revision.objects.count() == 4
    numbers = sorted(Revision.objects.values_list("article__slug", "number"))
    assert [n for _, n in numbers] == [1, 2, 1, 2]


def test_an_import_not_yet_analysed_shows_analysing_and_a_refresh_link(
    editor_client: Client,
) -> None:
    batch = import_batch_of(capture_texts(1, 2))
    response = editor_client.get(f"/import/{batch.pk}/")
    text = visible_text(response.content.decode())
    assert "Analysing… 0 of 2 captures recorded" in text
    assert f'href="/import/{batch.pk}/"' in response.content.decode()
    assert "a00001-r2.txt analysing…" in text


def test_a_bulk_import_page_lists_each_capture_with_its_result(editor_client: Client) -> None:
    batch = import_batch_of(capture_texts(1, 2))
    services.import_items_enqueue(items=list(batch.items.all()))
    response = editor_client.get(f"/import/{batch.pk}/")
    text = visible_text(response.content.decode())
    assert "Done: 2 recorded, 0 unchanged, 0 refused." in text
    assert "New revision:" in text
    assert "Analysing" not in text


def test_a_task_running_past_the_stale_time_is_lost_and_a_new_one_is_not() -> None:
    batch = import_batch_of(capture_texts(2, 1))
    old, new = batch.items.order_by("position")
    ImportItem.objects.filter(pk=old.pk).update(
        task_id="gone", enqueued_at=timezone.now() - timedelta(hours=1)
    )
    ImportItem.objects.filter(pk=new.pk).update(task_id="gone", enqueued_at=timezone.now())
    stale = services.import_items_stale(batch.items.all(), stale_seconds=600)
    assert [item.pk for item in stale] == [old.pk]


def test_a_refused_capture_stays_listed_with_the_reason(editor_client: Client) -> None:
    batch = import_batch_of(capture_texts(1, 1))
    item = batch.items.get()
    item.draft = {**item.draft, "body": ""}  # a revision must have a body
    item.save()
    services.import_items_enqueue(items=[item])
    item.refresh_from_db()
    assert item.status == ImportItem.Status.REFUSED
    response = editor_client.get(f"/import/{batch.pk}/")
    assert "could not be recorded: This field cannot be blank." in visible_text(
        response.content.decode()
    )
    assert Revision.objects.count() == 0
