"""``manage.py diff`` on the seed article and a copy with the misattribution fixed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from review.diffing import summarize

SEED = Path(__file__).resolve().parent.parent / "data" / "000_8118fbd42351acfa.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected(tmp_path: Path) -> Path:
    """The seed with "Putin asked" changed to "Zelensky asked"."""
    text = SEED.read_text(encoding="utf-8")
    assert text.count("Putin asked") == 1
    path = tmp_path / "corrected.txt"
    path.write_text(text.replace("Putin asked", "Zelensky asked"), encoding="utf-8")
    return path


def run_diff(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    call_command("diff", *args)
    return json.loads(capsys.readouterr().out)


def test_correction_changes_exactly_one_sentence(
    corrected: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    diff = run_diff(capsys, str(SEED), str(corrected), "--format", "json")
    assert diff["schema"] == "newsdesk.diff/1"
    counts = summarize(diff["ops"])
    assert counts["changed"] == 1
    assert counts == {
        "equal": len(diff["ops"]) - 1,
        "changed": 1,
        "added": 0,
        "deleted": 0,
        "moved": 0,
    }


def test_correction_is_reported_as_a_speaker_change_from_putin_to_zelensky(
    corrected: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    diff = run_diff(capsys, str(SEED), str(corrected), "--format", "json")
    speaker_changes = [c for c in diff["attribution_changes"] if c["kind"] == "speaker-changed"]
    assert [
        (c["old"]["speaker"]["text"], c["new"]["speaker"]["text"]) for c in speaker_changes
    ] == [("Putin", "Zelensky")]


def test_without_raw_the_capture_body_is_compared(
    corrected: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    diff = run_diff(capsys, str(SEED), str(corrected), "--format", "json")
    assert "Skip to content" not in diff["old"]["text"]
    assert "Putin asked" in diff["old"]["text"]


def test_raw_compares_the_exact_file_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_bytes(b"Putin asked for two Patriot batteries.\r\nKyiv is calm.\r\n")
    new.write_bytes(b"Zelensky asked for two Patriot batteries.\r\nKyiv is calm.\r\n")
    diff = run_diff(capsys, str(old), str(new), "--raw", "--format", "json")
    assert diff["old"]["text"] == old.read_bytes().decode()
    assert diff["new"]["text"] == new.read_bytes().decode()


def test_pairs_print_one_line_per_pair_with_both_paths(
    corrected: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(f"{SEED}\t{corrected}\n{corrected}\t{SEED}\n", encoding="utf-8")
    call_command("diff", "--pairs", str(pairs), "--format", "jsonl")
    lines = capsys.readouterr().out.splitlines()
    objects = [json.loads(line) for line in lines]
    assert [(o["old_path"], o["new_path"]) for o in objects] == [
        (str(SEED), str(corrected)),
        (str(corrected), str(SEED)),
    ]
    assert [summarize(o["ops"])["changed"] for o in objects] == [1, 1]


# --------------------------------------------------------------------------
# --article SLUG --from N --to M: two stored revisions, their stored analyses

ROOT = Path(__file__).resolve().parents[2]


def test_stored_revisions_print_what_the_api_serves(
    recorded_correction, editor_client, capsys: pytest.CaptureFixture[str]
) -> None:
    slug = recorded_correction.article.slug
    diff = run_diff(capsys, "--article", slug, "--from", "1", "--to", "2", "--format", "json")
    assert diff == editor_client.get(f"/api/articles/{slug}/diff?from=1&to=2").json()
    assert (diff["article"], diff["from"], diff["to"]) == (slug, 1, 2)


def test_stored_rewritten_passage_prints_the_api_extension_keys(
    rewritten_slug: str, editor_client, capsys: pytest.CaptureFixture[str]
) -> None:
    diff = run_diff(capsys, "--article", rewritten_slug, "--from", "1", "--to", "2")
    assert diff == editor_client.get(f"/api/articles/{rewritten_slug}/diff?from=1&to=2").json()
    assert [op["rewritten"] for op in diff["ops"] if "rewritten" in op] == [True]


def test_stored_revisions_default_to_previous_against_latest(
    recorded_correction, capsys: pytest.CaptureFixture[str]
) -> None:
    diff = run_diff(capsys, "--article", recorded_correction.article.slug)
    assert (diff["from"], diff["to"]) == (1, 2)


def test_stored_revisions_compare_in_either_direction_as_one_jsonl_line(
    recorded_correction, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "diff", "--article", recorded_correction.article.slug, "--from", "2", "--to", "1",
        "--format", "jsonl",
    )  # fmt: skip
    (line,) = capsys.readouterr().out.splitlines()
    diff = json.loads(line)
    assert (diff["from"], diff["to"]) == (2, 1)
    assert "Zelensky asked" in diff["old"]["text"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--article", "no-such-article"], "No article with slug 'no-such-article'."),
        (["--from", "1", "--to", "9"], "has no revision 9 (it has 1, 2)."),
        (["--from", "2", "--to", "2"], "Choose two different revisions to compare"),
    ],
    ids=["unknown-slug", "unknown-revision", "same-revision"],
)
def test_bad_stored_revision_pair_is_refused_with_a_message_and_no_output(
    recorded_correction, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    if args[0] != "--article":
        args = ["--article", recorded_correction.article.slug, *args]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("diff", *args)
    assert capsys.readouterr().out == ""


def test_an_article_with_one_revision_is_refused(
    recorded_seed, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="has only one revision"):
        call_command("diff", "--article", recorded_seed.article.slug)
    assert capsys.readouterr().out == ""


def test_from_and_to_need_an_article(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match="--from and --to go with --article SLUG"):
        call_command("diff", str(SEED), str(SEED), "--from", "1", "--to", "2")
    assert capsys.readouterr().out == ""


def database_url_for_a_subprocess(tmp_path: Path) -> str:
    """The test database, as a ``DATABASE_URL`` another process can open (SQLite's
    test database lives in memory: it is copied to a file)."""
    import sqlite3

    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        return (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}"
            f":{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    assert connection.vendor == "sqlite"
    connection.ensure_connection()
    target = tmp_path / "copy.sqlite3"
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    return f"sqlite:///{target}"


def run_manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in a fresh process on the test database; ``-X importtime``
    lists every module it imports on stderr, and a spaCy model that does not
    exist makes any load of the pipeline fail."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_a_subprocess(tmp_path),
        "SPACY_MODEL": "no_such_spacy_model",
    }
    return subprocess.run(
        [sys.executable, "-X", "importtime", "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


SPACY_IMPORT = re.compile(r"\|\s+(spacy|thinc|en_core_web_\w+)(\.|$)", re.MULTILINE)


@pytest.mark.django_db(transaction=True)
def test_stored_revisions_are_diffed_without_loading_spacy(
    recorded_correction, tmp_path: Path
) -> None:
    slug = recorded_correction.article.slug
    result = run_manage(tmp_path, "diff", "--article", slug, "--from", "1", "--to", "2")
    assert result.returncode == 0, result.stderr[-2000:]
    diff = json.loads(result.stdout)
    assert [c["kind"] for c in diff["attribution_changes"]] == ["speaker-changed"]
    assert "import time:" in result.stderr  # the import log is there ...
    assert SPACY_IMPORT.findall(result.stderr) == []  # ... and names no spaCy module


@pytest.mark.django_db(transaction=True)
def test_unknown_slug_exits_non_zero_with_the_message_on_stderr_only(
    recorded_correction, tmp_path: Path
) -> None:
    result = run_manage(tmp_path, "diff", "--article", "no-such-article")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "No article with slug 'no-such-article'." in result.stderr


def test_a_revision_without_its_analysis_is_refused_with_what_to_run(
    recorded_correction, capsys: pytest.CaptureFixture[str]
) -> None:
    from articles.models import Analysis

    Analysis.objects.filter(revision=recorded_correction.revision).delete()
    with pytest.raises(CommandError, match=r"Revision 2 of '.*' is not analysed yet"):
        call_command("diff", "--article", recorded_correction.article.slug)
    assert capsys.readouterr().out == ""
