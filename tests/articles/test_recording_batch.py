"""An import task records its captures as one batch (articles.services.RecordingBatch):
the same record as one capture at a time, in far fewer queries, and a capture that
cannot be recorded sends the task back to one capture at a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.ingest import read_capture
from articles.models import Activity, Analysis, Article, ImportBatch, ImportItem, Revision
from tests.articles.capture_variants import capture_texts, import_batch_of

pytestmark = pytest.mark.django_db


def without_address(text: str) -> str:
    """The capture without its first line (its canonical URL): matched by headline."""
    return text.split("\n\n", 1)[1]


def headline_of(text: str) -> str:
    return without_address(text).split("\n", 1)[0]


def record_now() -> dict[str, Any]:
    """Everything recording writes, without ids or times (they differ between runs)."""
    articles = Article.objects.order_by("slug")
    fields = ["slug", "canonical_url", "source__name", "revision_count"]
    fields += ["minor_revision_count", "latest_revision__number", "first_published"]
    if connection.vendor == "postgresql":
        fields.append("search_document")
    revision_fields = ["article__slug", "number", "title", "standfirst", "byline", "body"]
    revision_fields += ["content_hash", "minor", "origin", "source_filename"]
    return {
        "articles": list(articles.values_list(*fields)),
        "revisions": list(
            Revision.objects.order_by("article__slug", "number").values_list(*revision_fields)
        ),
        "analyses": list(
            Analysis.objects.order_by("revision__article__slug", "revision__number").values_list(
                "revision__article__slug",
                "revision__number",
                "content_hash",
                "pipeline_version",
                "model",
                "sentences",
                "entities",
                "attributions",
                "flagged_count",
            )
        ),
        "activity": list(
            Activity.objects.order_by("pk").values_list(
                "verb", "article__slug", "revision__number", "summary", "detail"
            )
        ),
        "items": list(
            ImportItem.objects.order_by("batch_id", "position").values_list(
                "filename",
                "status",
                "outcome",
                "message",
                "revision__article__slug",
                "revision__number",
            )
        ),
    }


def recorded(batch: ImportBatch, *, bulk: bool, analyses: list[Any]) -> dict[str, Any]:
    """Record the batch's captures as one batch or one at a time, read the record,
    and undo it all (so that the other way starts from the same record)."""
    with transaction.atomic():
        items = list(batch.items.select_related("batch").order_by("position"))
        drafts = [services.draft_from_json(item.draft) for item in items]
        services._import_items_write(items=items, drafts=drafts, analyses=analyses, bulk=bulk)
        found = record_now()
        transaction.set_rollback(True)
    return found


def test_a_batch_records_exactly_what_one_capture_at_a_time_records() -> None:
    """New articles and new revisions, matched by address, by headline and by opening
    paragraph, of an article on record before and of ones the batch itself wrote; an
    unchanged capture and a minor revision: every row the same either way."""
    (a1r1, a1r2), (a2r1, a2r2, a2r3), (a3r1,) = (
        [text for _, text in capture_texts(3, 3)][start:end]
        for start, end in ((0, 2), (3, 6), (6, 7))
    )
    services.revision_record(draft=read_capture(a1r1.encode(), filename="a1-r1.txt"))
    a2r3_retitled = without_address(a2r3).replace(
        headline_of(a2r3), "A new headline over the same opening paragraph", 1
    )
    a3_minor = a3r1.replace("'", "\u2019").replace(" said.", " said .", 1)
    batch = import_batch_of(
        [
            ("a1-r2.txt", a1r2),
            ("a1-r2-again.txt", a1r2),
            ("a2-r1.txt", without_address(a2r1)),
            ("a2-r2.txt", without_address(a2r2)),
            ("a2-r3-retitled.txt", a2r3_retitled),
            ("a3-r1.txt", a3r1),
            ("a3-r1-typography.txt", a3_minor),
        ]
    )
    drafts = [services.draft_from_json(item.draft) for item in batch.items.order_by("position")]
    analyses = services.drafts_analyse(drafts)

    one_at_a_time = recorded(batch, bulk=False, analyses=analyses)
    as_a_batch = recorded(batch, bulk=True, analyses=analyses)

    assert as_a_batch == one_at_a_time
    items = {filename: rest for filename, *rest in as_a_batch["items"]}
    assert items["a1-r2.txt"][:2] == ["recorded", "new revision"]
    assert items["a1-r2-again.txt"][:2] == ["unchanged", "unchanged"]
    assert items["a2-r2.txt"][-1] == 2 and items["a2-r3-retitled.txt"][-1] == 3
    assert items["a2-r3-retitled.txt"][-2] == items["a2-r1.txt"][-2]  # matched by opening
    assert any(minor for *_, minor, _, _ in as_a_batch["revisions"])
    assert len(as_a_batch["analyses"]) == len(as_a_batch["revisions"]) == 7  # 1 before + 6


def test_a_capture_that_cannot_be_recorded_is_refused_and_the_others_are_recorded() -> None:
    """The batch's transaction is undone and the task records one capture at a time:
    nothing of the failed batch remains, and nothing is recorded twice."""
    batch = import_batch_of(capture_texts(2, 2))
    bad = batch.items.get(position=2)
    bad.draft = {**bad.draft, "body": ""}  # a revision must have a body
    bad.save()
    counts = services.import_items_record(item_ids=list(batch.items.values_list("pk", flat=True)))
    assert counts == {"recorded": 3, "refused": 1}
    assert Revision.objects.count() == Analysis.objects.count() == 3
    assert Activity.objects.filter(verb="revision.recorded").count() == 3
    bad.refresh_from_db()
    assert bad.status == ImportItem.Status.REFUSED
    assert bad.message == "could not be recorded: This field cannot be blank."
    latest = {a.slug: (a.revision_count, a.latest_revision.number) for a in Article.objects.all()}
    assert sorted(latest.values()) == [(1, 1), (2, 2)]


def queries_to_record(texts: list[tuple[str, str]]) -> int:
    batch = import_batch_of(texts)
    ids = list(batch.items.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        counts = services.import_items_record(item_ids=ids)
    assert counts == {"recorded": len(texts)}
    return len(queries)


def test_a_task_records_a_capture_in_five_queries_or_fewer() -> None:
    """Recorded one at a time a capture cost some sixteen queries. In a batch, a new
    article costs its matching and its rows, and each further revision of it only its
    matching, its insert and a share of the bulk writes: at most three, however many."""
    two = queries_to_record(capture_texts(4, 2, prefix="two"))
    four = queries_to_record(capture_texts(4, 4, prefix="four"))
    assert four - two <= 3 * 8
    assert four <= 5 * 16
