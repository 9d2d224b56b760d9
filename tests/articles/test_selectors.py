"""Reads over the record: many revisions' analyses at once."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import analysis as nlp
from articles.analysis.types import KnownName
from articles.models import Analysis, Person, PersonAlias, Source
from articles.selectors import known_names, latest_analyses_for, latest_analysis_for


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


def test_known_names_give_each_person_their_own_aliases_and_every_source(db) -> None:
    zelensky = Person.objects.create(name="Volodymyr Zelensky")
    PersonAlias.objects.create(person=zelensky, name="Zelenskyy")
    PersonAlias.objects.create(person=zelensky, name="Zelensky")
    blinken = Person.objects.create(name="Antony Blinken")
    PersonAlias.objects.create(person=blinken, name="Blinken")
    Person.objects.create(name="Dana Whitfield")
    Source.objects.create(name="Reuters", slug="reuters")
    Source.objects.create(name="AFP", slug="afp")
    with CaptureQueriesContext(connection) as queries:
        names = known_names()
    assert names == (
        KnownName(name="Antony Blinken", label="PERSON", aliases=("Blinken",)),
        KnownName(name="Dana Whitfield", label="PERSON", aliases=()),
        KnownName(name="Volodymyr Zelensky", label="PERSON", aliases=("Zelensky", "Zelenskyy")),
        KnownName(name="AFP", label="ORG"),
        KnownName(name="Reuters", label="ORG"),
    )
    assert len(queries) == 3  # people, aliases, sources: however many there are
