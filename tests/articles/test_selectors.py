"""Reads over the record: many revisions' analyses at once."""

from __future__ import annotations

from datetime import timedelta

from articles import analysis as nlp
from articles.models import Analysis
from articles.selectors import latest_analyses_for, latest_analysis_for


def stored_later(analysis: Analysis, *, pipeline_version: str) -> Analysis:
    """A copy of ``analysis`` under another pipeline version, stored after it."""
    copy = Analysis.objects.create(
        revision=analysis.revision,
        content_hash=analysis.content_hash,
        pipeline_version=pipeline_version,
        model=analysis.model,
        sentences=[],
    )
    Analysis.objects.filter(pk=copy.pk).update(created_at=analysis.created_at + timedelta(hours=1))
    return copy


def test_latest_analyses_prefer_the_current_pipeline_over_a_newer_older_one(
    recorded_correction,
) -> None:
    revisions = list(recorded_correction.article.revisions.all())
    for revision in revisions:
        stored_later(revision.analyses.get(), pipeline_version="0-old")
    found = latest_analyses_for(revisions)
    assert {pk: a.pk for pk, a in found.items()} == {
        r.pk: latest_analysis_for(r).pk
        for r in revisions  # type: ignore[union-attr]
    }
    assert {a.pipeline_version for a in found.values()} == {nlp.PIPELINE_VERSION}


def test_latest_analyses_fall_back_to_the_newest_stored(recorded_seed) -> None:
    revision = recorded_seed.revision
    current = revision.analyses.get()
    older = stored_later(current, pipeline_version="0-old")
    current.delete()
    assert latest_analyses_for([revision])[revision.pk].pk == older.pk


def test_latest_analyses_read_in_one_query(recorded_correction, django_assert_num_queries) -> None:
    revisions = list(recorded_correction.article.revisions.all())
    with django_assert_num_queries(1):
        found = latest_analyses_for(revisions)
    assert set(found) == {r.pk for r in revisions}
