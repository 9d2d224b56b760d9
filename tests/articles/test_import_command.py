"""`manage.py import_articles`: summary, refusals, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Revision
from tests.conftest import SEED_PATH, corrected_seed_text


def run_import(*paths: Path, capsys) -> tuple[str, int]:
    try:
        call_command("import_articles", *map(str, paths), "--no-progress")
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return capsys.readouterr().out, code


@pytest.mark.django_db
def test_import_new_then_unchanged(capsys) -> None:
    out, code = run_import(SEED_PATH, capsys=capsys)
    assert code == 0
    assert "1 new article, 0 new revision, 0 unchanged, 0 refused" in out
    out, code = run_import(SEED_PATH, capsys=capsys)
    assert code == 0
    assert "0 new article, 0 new revision, 1 unchanged, 0 refused" in out
    assert Revision.objects.count() == 1


@pytest.mark.django_db
def test_import_changed_capture_gives_revision_two(tmp_path: Path, seed_text: str, capsys) -> None:
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(corrected_seed_text(seed_text), encoding="utf-8")
    out, code = run_import(SEED_PATH, corrected, capsys=capsys)
    assert code == 0
    assert "1 new article, 1 new revision, 0 unchanged, 0 refused" in out
    assert list(Article.objects.get().revisions.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_refused_files_are_listed_with_reasons_and_exit_non_zero(tmp_path: Path, capsys) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00binary")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 title\n\nBody text.".encode("latin-1"))
    big = tmp_path / "big.txt"
    big.write_bytes(b"Title\n\n" + b"word " * 500_000)
    untitled = tmp_path / "blank.txt"
    untitled.write_text("\n\n\n", encoding="utf-8")
    bodyless = tmp_path / "bodyless.txt"
    bodyless.write_text("Just a headline", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    out, code = run_import(
        SEED_PATH, binary, latin, big, untitled, bodyless, missing, capsys=capsys
    )
    assert code == 1
    assert "1 new article, 0 new revision, 0 unchanged, 6 refused" in out
    assert f"refused       {binary}: file is binary" in out
    assert f"{latin}: file is not valid UTF-8" in out
    assert f"{big}: file is 2.4 MB; captures over 2 MB are refused" in out
    assert f"{untitled}: the file is empty" in out
    assert f"{bodyless}: no article body found" in out
    assert f"{missing}: cannot read file" in out
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_import_of_only_refused_files_writes_nothing(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    _, code = run_import(bad, capsys=capsys)
    assert code == 1
    assert Article.objects.count() == 0


def _look_alike(tmp_path: Path, seed_text: str) -> Path:
    """Another story opening with the seed's first paragraph, under another headline."""
    old = "US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances"
    path = tmp_path / "kharkiv.txt"
    path.write_text(
        seed_text.replace(old, "Kharkiv evacuations widen as Russian shelling intensifies"),
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_a_look_alike_capture_is_refused_saying_what_it_matched(
    tmp_path: Path, seed_text: str, capsys
) -> None:
    run_import(SEED_PATH, capsys=capsys)
    article = Article.objects.get()
    out, code = run_import(_look_alike(tmp_path, seed_text), capsys=capsys)
    assert code == 1
    assert (
        "“Kharkiv evacuations widen as Russian shelling intensifies” matched the article "
        "“US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances” "
        f"({article.slug}, AFP) by its opening paragraph only: the headlines differ; "
        "nothing recorded (--yes records it as a new revision of it)"
    ) in out
    assert "0 new article, 0 new revision, 0 unchanged, 1 refused" in out
    assert Revision.objects.count() == 1


@pytest.mark.django_db
def test_yes_records_a_look_alike_as_the_next_revision(
    tmp_path: Path, seed_text: str, capsys
) -> None:
    run_import(SEED_PATH, capsys=capsys)
    call_command("import_articles", str(_look_alike(tmp_path, seed_text)), "--no-progress", "--yes")
    assert "0 new article, 1 new revision, 0 unchanged, 0 refused" in capsys.readouterr().out
    assert list(Article.objects.get().revisions.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_folders_other_files_are_named_as_skipped(tmp_path: Path, seed_text: str, capsys) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "seed.txt").write_text(seed_text, encoding="utf-8")
    (folder / "statement.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / ".DS_Store").write_bytes(b"\0")
    call_command("import_articles", str(folder), "--no-progress")
    err = capsys.readouterr().err
    assert "Skipped 1 file(s)" in err and "statement.pdf" in err
    assert ".DS_Store" not in err
    assert Revision.objects.count() == 1
