"""``manage.py generate_corpus N``: the synthetic archive for benchmarks."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Activity, Analysis, Article, Person, Revision
from review import services
from review.models import Annotation, Correction, Placement

pytestmark = pytest.mark.django_db


def generate(count: int = 24) -> str:
    out = StringIO()
    call_command("generate_corpus", count, templates=2, batch_size=10, seed=3, stdout=out)
    return out.getvalue()


def test_writes_n_articles_each_with_the_requested_revisions() -> None:
    generate(24)
    assert Article.objects.count() == 24
    assert sorted(set(Revision.objects.values_list("number", flat=True))) == [1, 2, 3]
    assert Revision.objects.count() == 72


def test_each_article_points_at_its_newest_revision() -> None:
    generate()
    for article in Article.objects.select_related("latest_revision"):
        newest = article.revisions.order_by("-number").first()
        assert article.latest_revision == newest
        assert article.revision_count == newest.number


def test_later_revisions_differ_by_edits_moves_additions_and_attributions() -> None:
    generate()
    article = Article.objects.first()
    first, second, third = article.revisions.order_by("number")
    assert first.body != second.body != third.body
    paragraphs = first.paragraphs
    # an added paragraph, and a paragraph of the first revision moved up
    assert len(second.paragraphs) == len(paragraphs) + 1
    assert second.paragraphs[1] == paragraphs[-1]


def test_every_revision_has_an_analysis_of_its_own_text() -> None:
    generate()
    assert Analysis.objects.count() == Revision.objects.count()
    for analysis in Analysis.objects.select_related("revision")[:30]:
        body = analysis.revision.body
        assert analysis.sentences and analysis.sentences[-1]["end"] <= len(body)
        for entity in analysis.entities:
            assert body[entity["start"] : entity["end"]] == entity["text"]


def test_every_revision_is_in_the_activity_log() -> None:
    generate()
    assert Activity.objects.filter(verb="revision.recorded").count() == Revision.objects.count()


def test_annotations_quote_their_revision_in_every_status() -> None:
    generate(60)
    annotations = list(Annotation.objects.select_related("revision"))
    assert {a.status for a in annotations} == set(Annotation.Status.values)
    for annotation in annotations:
        assert annotation.revision.body[annotation.start : annotation.end] == annotation.exact


def test_open_annotations_are_already_placed_on_later_revisions() -> None:
    """The reading desk and the queue find nothing left to place."""
    generate()
    assert Placement.objects.exists()
    for revision in Revision.objects.filter(number__gt=1):
        assert not services.placements_pending(revision)


def test_corrections_exist_in_every_state() -> None:
    generate(40)
    assert set(Correction.objects.values_list("state", flat=True)) == set(Correction.State.values)


def test_a_published_correction_is_the_revision_that_published_it() -> None:
    generate(40)
    for correction in Correction.objects.filter(state=Correction.State.PUBLISHED):
        revision = correction.published_revision
        assert revision.origin == Revision.Origin.CORRECTION
        assert revision.note == correction.note
        assert correction.reviewer_id != correction.proposer_id


def test_many_sources_and_people_are_credited_and_quoted() -> None:
    generate(40)
    assert Article.objects.values("source").distinct().count() >= 10
    assert Person.objects.count() >= 100


def test_zero_articles_is_refused_and_writes_nothing() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_corpus", 0, stdout=StringIO())
    assert not Article.objects.exists()
