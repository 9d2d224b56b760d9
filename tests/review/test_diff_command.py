"""``manage.py diff`` on the seed article and a copy with the misattribution fixed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

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
