"""Recording captures: matching the article, skipping identical content, immutability."""

from __future__ import annotations

from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from articles.ingest import CaptureDraft
from articles.models import Activity, Analysis, Article, ImmutableRevisionError, Revision, Source
from articles.services import (
    RecordOutcome,
    RecordResult,
    analyses_stored,
    article_match,
    revision_record,
)


def test_first_capture_creates_article_revision_source_and_analysis(recorded_seed) -> None:
    assert recorded_seed.outcome is RecordOutcome.NEW_ARTICLE
    article = recorded_seed.article
    assert article.source == Source.objects.get(name="AFP")
    assert article.revisions.count() == 1
    revision = recorded_seed.revision
    assert revision.number == 1
    assert revision.stated_published_at is not None
    assert revision.stated_published_at.tzinfo is not None
    assert len(revision.content_hash) == 64
    analysis = Analysis.objects.get(revision=revision)
    assert len(analysis.sentences) == 19
    assert analysis.attributions
    assert Activity.objects.filter(revision=revision, verb="revision.recorded").exists()


def test_reimporting_identical_content_records_nothing(recorded_seed, seed_draft) -> None:
    again = revision_record(draft=seed_draft)
    assert again.outcome is RecordOutcome.UNCHANGED
    assert again.revision == recorded_seed.revision
    assert Revision.objects.count() == 1
    assert Article.objects.count() == 1
    assert "nothing recorded" in again.message


def test_changed_content_becomes_revision_two(recorded_seed, recorded_correction) -> None:
    assert recorded_correction.outcome is RecordOutcome.NEW_REVISION
    assert recorded_correction.article == recorded_seed.article
    assert recorded_correction.revision.number == 2
    assert "Zelensky asked" in recorded_correction.revision.body
    assert "Putin asked" in Revision.objects.get(number=1).body


def test_same_opening_paragraph_with_new_title_matches_the_article(
    recorded_seed, seed_draft: CaptureDraft
) -> None:
    retitled = replace(seed_draft, title="Blinken pledges support in Kyiv")
    result = revision_record(draft=retitled)
    assert result.outcome is RecordOutcome.NEW_REVISION
    assert result.article == recorded_seed.article


def test_same_title_from_another_source_is_a_different_article(
    recorded_seed, seed_draft: CaptureDraft
) -> None:
    result = revision_record(
        draft=replace(seed_draft, credited_source="Reuters", body="Other text.")
    )
    assert result.outcome is RecordOutcome.NEW_ARTICLE
    assert Article.objects.count() == 2


def test_canonical_url_decides_the_article(db) -> None:
    first = revision_record(
        draft=CaptureDraft(title="One", body="Body one.", canonical_url="https://ex.org/a")
    )
    second = revision_record(
        draft=CaptureDraft(
            title="Different title", body="Body two.", canonical_url="https://ex.org/a"
        )
    )
    assert second.article == first.article
    assert second.revision.number == 2


def test_saving_an_existing_revision_raises(recorded_seed) -> None:
    revision = Revision.objects.get(pk=recorded_seed.revision.pk)
    revision.body = "Tampered."
    with pytest.raises(ImmutableRevisionError):
        revision.save()
    assert Revision.objects.get(pk=revision.pk).body == recorded_seed.revision.body


def test_revisions_cannot_be_bulk_updated_or_deleted(recorded_seed) -> None:
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.filter(pk=recorded_seed.revision.pk).update(body="x")
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.all().delete()
    with pytest.raises(ImmutableRevisionError):
        recorded_seed.revision.delete()
    assert Revision.objects.count() == 1


def test_revision_number_is_unique_per_article(recorded_seed) -> None:
    duplicate = Revision(
        article=recorded_seed.article,
        number=1,
        title="t",
        body="b",
        captured_at=recorded_seed.revision.captured_at,
        content_hash="0" * 64,
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_a_failed_record_writes_nothing(db) -> None:
    """One transaction: a revision that fails validation leaves no article or source behind."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        revision_record(draft=CaptureDraft(title="T" * 600, body="Body.", credited_source="DPA"))
    assert Article.objects.count() == 0
    assert Revision.objects.count() == 0
    assert Source.objects.count() == 0


# Longer than the 200 characters the opening-paragraph match compares in the
# database, with the characters LIKE treats specially.
LONG_OPENING = (
    "The harbour authority said on Tuesday that the north quay would reopen to container "
    "ships next month, after eight weeks of repairs to the sea wall that storms had "
    "breached in January, and that fees would rise 5% for vessels_over 200 metres"
)


def captured(title: str, body: str, source: str = "DPA") -> RecordResult:
    return revision_record(draft=CaptureDraft(title=title, body=body, credited_source=source))


def test_an_opening_paragraph_matches_whole_beyond_the_part_the_database_compares(
    db,
) -> None:
    assert len(LONG_OPENING) > 200
    first = captured("North quay to reopen", f"{LONG_OPENING}.\n\nRepairs.")
    retitled = captured("Quay reopens next month", f"{LONG_OPENING}.\n\nRepairs and fees.")
    assert retitled.outcome is RecordOutcome.NEW_REVISION
    assert retitled.article == first.article
    # The same first 200 characters, another opening paragraph: another article.
    other = captured("Fees rise at the harbour", f"{LONG_OPENING}, officials said.\n\nRepairs.")
    assert other.outcome is RecordOutcome.NEW_ARTICLE


def test_a_short_opening_matches_only_the_same_paragraph_not_a_longer_one(db) -> None:
    first = captured("Boats return", "Boats returned.\n\nMore.", "AFP")
    longer = captured("Boats back in port", "Boats returned to the 5% quay.\n\nMore.", "AFP")
    assert longer.outcome is RecordOutcome.NEW_ARTICLE
    same = captured("Boats back", "Boats returned.\n\nLater.", "AFP")
    assert same.outcome is RecordOutcome.NEW_REVISION
    assert same.article == first.article


def plans_of(queries: CaptureQueriesContext) -> list[str]:
    """PostgreSQL's plan of each query captured."""
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.mark.postgres
def test_postgres_finds_what_recording_looks_up_in_an_archive_through_indexes(db) -> None:
    """In an archive, finding a capture's article by headline and by opening paragraph,
    and whether its content is analysed on record, reads an index, not every revision
    of the source or every analysis."""
    if connection.vendor != "postgresql":
        pytest.skip("the opening-paragraph index is PostgreSQL's")
    call_command("generate_corpus", 300, templates=2, batch_size=100, seed=4, stdout=StringIO())
    with connection.cursor() as cursor:
        for table in ("articles_revision", "articles_article", "articles_analysis"):
            cursor.execute(f"ANALYZE {table}")
    source = Source.objects.annotate(n=Count("articles")).order_by("-n").first()
    draft = CaptureDraft(
        title="A headline on no revision",
        body=f"{LONG_OPENING}.\n\nNothing else.",
        credited_source=source.name,
    )
    with CaptureQueriesContext(connection) as queries:
        assert article_match(draft=draft, source=source) is None
    plans = plans_of(queries)
    by_title = [plan for plan in plans if "title" in plan and "revision_title" in plan]
    by_opening = [plan for plan in plans if "revision_opening" in plan]
    assert len(by_title) == 1, plans
    assert len(by_opening) == 1, plans
    assert not any("Seq Scan on articles_revision" in plan for plan in plans), plans

    on_record = Revision.objects.filter(article__source=source).first()
    with CaptureQueriesContext(connection) as queries:
        found = analyses_stored(content_hashes=[on_record.content_hash, "0" * 64])
    assert list(found) == [on_record.content_hash]
    (plan,) = plans_of(queries)
    assert "analysis_content_hash" in plan, plan
