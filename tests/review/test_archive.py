"""Archives (newsdesk.archive/1): export_article, the admin's export action and
import_archive, whose round trip gives the same document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from articles.ingest import read_capture
from articles.models import Activity, Article, Person, Revision
from articles.selectors import article_list
from articles.services import RecordResult, article_slug_retire, revision_record
from review import services
from review.archive import ArchiveError, archive_export, archive_restore
from review.models import Annotation, Comment, CommentVersion, Correction, Placement
from tests.conftest import corrected_seed_text
from tests.review.test_annotations import dispute, macron_index

pytestmark = pytest.mark.django_db

NOTE = "Correction: an earlier version misattributed the request for Patriot batteries."


@pytest.fixture
def worked(recorded_seed: RecordResult, editor: User, copydesk: User) -> Article:
    """The seed with a year's work on it: a dispute with a thread (one reply reworded),
    a fact note resolved, a style note carried to revision 2, a dismissed flag, a published correction (revision 2) with
    the notes placed on it, and an earlier slug."""
    article = recorded_seed.article
    revision = recorded_seed.revision
    zelensky = Person.objects.create(name="Volodymyr Zelensky", title="President of Ukraine")
    zelensky.aliases.create(name="Zelensky")
    disputed = dispute(revision, editor, proposed_speaker_text="", proposed_person=zelensky)
    reply = services.comment_add(annotation=disputed, author=copydesk, body="Checking the tape.")
    services.comment_edit(comment=reply, editor=copydesk, body="Checked the tape: Zelensky.")
    fact = services.annotation_create(
        revision=revision,
        author=copydesk,
        kind="fact",
        start=None,
        end=None,
        exact="four trips to Kyiv",
        comment="Five, counting March?",
    )
    services.annotation_create(
        revision=revision,
        author=editor,
        kind="style",
        start=None,
        end=None,
        exact="declared in a speech",
        comment="“Said” will do.",
    )
    services.annotation_assign(annotation=fact, actor=copydesk, assignee=editor)
    services.annotation_resolve(annotation=fact, actor=editor, reason="Four is right.")
    services.flag_dismiss(
        revision=revision,
        attribution_index=macron_index(revision),
        actor=editor,
        reason="Macron did say it.",
    )
    correction = services.correction_draft(
        article=article, proposer=editor, annotations=[disputed], note=NOTE
    )
    services.correction_submit(correction=correction, actor=editor)
    services.correction_sign_off(correction=correction, actor=copydesk)
    services.placements_ensure(revision=article.revisions.get(number=2))
    article_slug_retire(article=article, old_slug="blinken-in-kyiv")
    return article


def test_the_archive_holds_the_whole_record_of_the_article(worked: Article) -> None:
    document = archive_export(articles=[worked])
    assert document["schema"] == "newsdesk.archive/1"
    [article] = document["articles"]
    assert [r["number"] for r in article["revisions"]] == [1, 2]
    assert article["revisions"][1]["origin"] == "correction"
    summary = article["revisions"][0]["analyses"][0]["summary"]
    assert summary["attributions"] == len(article["revisions"][0]["analyses"][0]["attributions"])
    assert summary["flagged"] >= 1
    disputed, fact, style = article["annotations"]
    assert disputed["proposed_person"] == "Volodymyr Zelensky"
    [_, reply] = disputed["comments"]
    assert reply["body"] == "Checked the tape: Zelensky."
    assert [v["body"] for v in reply["versions"]] == ["Checking the tape."]
    assert [(p["revision"], p["state"]) for p in style["placements"]] == [(2, "carried")]
    assert [(c["old_status"], c["new_status"]) for c in fact["status_changes"]] == [
        ("open", "resolved")
    ]
    [correction] = article["corrections"]
    assert (correction["state"], correction["published_revision"]) == ("published", 2)
    assert correction["annotations"] == [1]
    assert [e["new_state"] for e in correction["events"]][-1] == "published"
    assert [(d["decision"], d["annotation"]) for d in article["flag_decisions"]] == [
        ("disputed", 1),
        ("dismissed", None),
    ]
    assert len(article["activity"]) == Activity.objects.filter(article=worked).count()
    assert article["retired_slugs"][0]["slug"] == "blinken-in-kyiv"
    assert {u["username"] for u in document["users"]} == {"eda", "cal"}
    assert document["people"][0]["aliases"] == ["Zelensky"]


def empty_the_database() -> None:
    """A fresh database: every table emptied (TRUNCATE on PostgreSQL), as after migrate."""
    if connection.vendor == "postgresql":  # TRUNCATE waits for no deferred FK checks
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def test_export_import_export_gives_the_same_document(worked: Article) -> None:
    first = archive_export(articles=[worked])
    empty_the_database()
    [restored] = archive_restore(document=json.loads(json.dumps(first)))
    assert archive_export(articles=[restored]) == first


def test_the_restored_record_reads_like_the_original(
    worked: Article, editor_client: Client
) -> None:
    document = archive_export(articles=[worked])
    counts = [m.objects.count() for m in (Revision, Annotation, Comment, CommentVersion, Placement)]
    empty_the_database()
    archive_restore(document=document)
    assert [
        m.objects.count() for m in (Revision, Annotation, Comment, CommentVersion, Placement)
    ] == counts
    correction = Correction.objects.get()
    assert correction.published_revision == Revision.objects.get(number=2)
    assert list(correction.annotations.values_list("exact", flat=True)) == [
        "Putin asked for two Patriot batteries"
    ]


def test_the_desk_lists_a_restored_article_under_its_newest_headline(worked: Article) -> None:
    newest = worked.revisions.order_by("-number").first()
    document = archive_export(articles=[worked])
    empty_the_database()
    archive_restore(document=document)
    [row] = article_list(include_minor=True)
    assert (row.latest_title, row.counted_revisions) == (newest.title, newest.number)


def test_restore_refuses_a_database_that_holds_articles(worked: Article) -> None:
    document = archive_export(articles=[worked])
    before = Activity.objects.count(), Revision.objects.count()
    with pytest.raises(ArchiveError, match="restored only into an empty database"):
        archive_restore(document=document)
    assert (Activity.objects.count(), Revision.objects.count()) == before


def test_a_broken_archive_restores_nothing_at_all(worked: Article) -> None:
    document = archive_export(articles=[worked])
    document["articles"][0]["annotations"][1]["revision"] = 9
    empty_the_database()
    with pytest.raises(ArchiveError, match="names revision 9, not in the archive"):
        archive_restore(document=document)
    assert not Article.objects.exists()
    assert not User.objects.exists()


def test_another_schema_is_refused(db: None) -> None:
    with pytest.raises(ArchiveError, match=r"not a newsdesk\.archive/1 document"):
        archive_restore(document={"schema": "newsdesk.analysis/1"})


def test_the_commands_round_trip_through_a_file(worked: Article, tmp_path: Path, capsys) -> None:
    path = tmp_path / "archive.json"
    call_command("export_article", worked.slug, "--output", str(path))
    first = path.read_text(encoding="utf-8")
    empty_the_database()
    call_command("import_archive", str(path))
    assert "Restored 1 article(s) with 2 revision(s)" in capsys.readouterr().out
    again = tmp_path / "again.json"
    call_command("export_article", worked.slug, "--output", str(again))
    assert again.read_text(encoding="utf-8") == first


def test_export_article_names_an_unknown_slug(db: None) -> None:
    with pytest.raises(CommandError, match="No article with slug 'nothing-here'"):
        call_command("export_article", "nothing-here")


def test_export_article_takes_an_earlier_slug(worked: Article, capsys) -> None:
    call_command("export_article", "blinken-in-kyiv")
    document = json.loads(capsys.readouterr().out)
    assert document["articles"][0]["slug"] == worked.slug


def test_import_archive_refuses_a_non_empty_database_with_a_message(
    worked: Article, tmp_path: Path
) -> None:
    path = tmp_path / "archive.json"
    call_command("export_article", worked.slug, "--output", str(path))
    with pytest.raises(CommandError, match="restored only into an empty database"):
        call_command("import_archive", str(path))


def test_import_archive_refuses_a_file_that_is_not_json(db: None, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("Dear archivist,", encoding="utf-8")
    with pytest.raises(CommandError, match="is not a JSON document"):
        call_command("import_archive", str(path))


def test_the_admin_exports_several_articles_as_one_download(
    worked: Article, admin_client_: Client
) -> None:
    other = Article.objects.create(slug="another-story")
    response = admin_client_.post(
        "/admin/articles/article/",
        {"action": "export_archive", "_selected_action": [worked.pk, other.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="newsdesk-archive-')
    document = json.loads(response.content)
    assert [a["slug"] for a in document["articles"]] == sorted([worked.slug, "another-story"])
    assert document == archive_export(articles=[worked, other])


@pytest.fixture
def with_a_minor_revision(recorded_seed: RecordResult, seed_text: str) -> Article:
    """The seed, then the same story with straight quotes (minor), then corrected."""
    assert "“" in seed_text
    straight = seed_text.replace("“", '"').replace("”", '"')
    for text, name in ((straight, "straight.txt"), (corrected_seed_text(straight), "fixed.txt")):
        revision_record(draft=read_capture(text.encode(), filename=name), filename=name)
    article = recorded_seed.article
    assert list(article.revisions.values_list("minor", flat=True)) == [False, True, False]
    return article


def test_a_minor_revision_stays_minor_through_the_archive(with_a_minor_revision: Article) -> None:
    document = archive_export(articles=[with_a_minor_revision])
    assert [r["minor"] for r in document["articles"][0]["revisions"]] == [False, True, False]
    empty_the_database()
    [restored] = archive_restore(document=json.loads(json.dumps(document)))
    assert list(restored.revisions.values_list("minor", flat=True)) == [False, True, False]
    assert archive_export(articles=[restored]) == document


def test_an_archive_written_before_minor_was_carried_decides_it_as_recording_does(
    with_a_minor_revision: Article,
) -> None:
    """Older archives have no "minor": each revision is compared with the one before."""
    document = archive_export(articles=[with_a_minor_revision])
    for revision in document["articles"][0]["revisions"]:
        del revision["minor"]
    empty_the_database()
    [restored] = archive_restore(document=document)
    assert list(restored.revisions.values_list("minor", flat=True)) == [False, True, False]
    restored.refresh_from_db()
    assert (restored.revision_count, restored.minor_revision_count) == (3, 1)
