"""Where each note stands on its article's latest revision (``Annotation.latest_state``):
what the annotation queue filters by placement, kept exact through new revisions,
placements, archives and the synthetic corpus."""

from __future__ import annotations

import importlib
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from articles.ingest import read_capture
from articles.models import Article
from articles.services import RecordResult, revision_record
from review import selectors, services
from review.archive import archive_export, archive_restore
from review.models import Annotation, Placement
from tests.conftest import corrected_seed_text, visible_text
from tests.review.test_annotations import PUTIN, dispute
from tests.review.test_archive import empty_the_database

pytestmark = pytest.mark.django_db

PLACEMENTS = ["attention", "original", "carried", "changed", "orphaned"]


def queue(client: Client, placement: str) -> str:
    return visible_text(client.get(f"/annotations/?placement={placement}").content.decode())


def record(text: str, name: str) -> RecordResult:
    return revision_record(draft=read_capture(text.encode(), filename=name), filename=name)


def placed_on_latest(annotation: Annotation) -> str:
    """The definition, read from the placements: what the column must hold."""
    latest = Article.objects.get(pk=annotation.article_id).latest_revision_id
    if annotation.revision_id == latest:
        return "original"
    placement = Placement.objects.filter(annotation=annotation, revision_id=latest).first()
    return placement.state if placement is not None else ""


def test_a_note_is_on_the_latest_revision_until_a_newer_one_arrives(
    recorded_seed: RecordResult, editor, editor_client: Client, seed_text: str
) -> None:
    dispute(recorded_seed.revision, editor)
    assert PUTIN in queue(editor_client, "original")
    record(corrected_seed_text(seed_text), "corrected.txt")
    assert PUTIN not in queue(editor_client, "original")
    assert PUTIN in queue(editor_client, "changed")  # the queue placed it first


def test_a_note_settled_before_a_newer_revision_leaves_the_changed_filter(
    recorded_seed: RecordResult, editor, editor_client: Client, seed_text: str
) -> None:
    """A settled note is not placed on revisions after it: it stands nowhere on them."""
    note = dispute(recorded_seed.revision, editor)
    corrected = corrected_seed_text(seed_text)
    record(corrected, "corrected.txt")
    assert PUTIN in queue(editor_client, "attention")
    services.annotation_resolve(annotation=note, actor=editor, reason="Corrected in revision 2.")
    record(corrected + "\n\nThe talks continue on Friday.\n", "updated.txt")
    for placement in PLACEMENTS:
        assert PUTIN not in queue(editor_client, placement), placement
    assert PUTIN in visible_text(editor_client.get("/annotations/").content.decode())


def test_a_note_made_on_an_older_revision_is_placed_on_the_latest_at_once(
    recorded_seed: RecordResult, editor, seed_text: str
) -> None:
    second = record(corrected_seed_text(seed_text), "corrected.txt")
    note = services.annotation_create(
        revision=recorded_seed.revision,
        author=editor,
        kind="fact",
        start=None,
        end=None,
        exact="four trips to Kyiv",
        comment="Four or five?",
    )
    assert second.revision.number == 2
    assert list(selectors.annotation_queue(placement="carried")) == [note]


def generate(count: int) -> None:
    call_command("generate_corpus", count, templates=2, batch_size=10, seed=2, stdout=StringIO())


def test_every_generated_note_stands_where_its_placements_say() -> None:
    generate(30)
    notes = list(Annotation.objects.all())
    assert {n.latest_state for n in notes} == {"original", "carried", "changed", "orphaned"}
    assert [n.latest_state for n in notes] == [placed_on_latest(n) for n in notes]


def test_the_migration_fills_in_where_existing_notes_stand() -> None:
    generate(20)
    before = dict(Annotation.objects.values_list("pk", "latest_state"))
    Annotation.objects.update(latest_state="")
    migration = importlib.import_module("review.migrations.0007_annotation_latest_state")
    migration.latest_states_backfill(apps, None)
    assert dict(Annotation.objects.values_list("pk", "latest_state")) == before


def test_a_restored_archive_files_each_note_under_the_same_placement() -> None:
    generate(20)
    listed = {p: [a.exact for a in selectors.annotation_queue(placement=p)] for p in PLACEMENTS}
    document = json.loads(json.dumps(archive_export(articles=list(Article.objects.all()))))
    empty_the_database()
    archive_restore(document=document)
    assert {
        p: [a.exact for a in selectors.annotation_queue(placement=p)] for p in PLACEMENTS
    } == listed
