"""Tests for `manage.py analyse`: the machine interface of DESIGN.md."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from articles.management.commands import analyse as analyse_command

SEED = Path(__file__).resolve().parent.parent / "data" / "000_8118fbd42351acfa.txt"
KEYS = {"path", "schema", "model", "text", "sentences", "entities", "attributions"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    call_command("analyse", *args)
    return capsys.readouterr().out


@pytest.mark.django_db
def test_raw_single_path_prints_one_object_with_offsets_into_the_exact_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Smith said the talks failed.\r\n\r\nJones said they would resume.\r\n")
    result = json.loads(run(capsys, "--raw", "--format", "json", str(path)))
    assert set(result) == KEYS
    assert result["schema"] == "newsdesk.analysis/1"
    assert result["text"] == path.read_bytes().decode()
    spans = [result["text"][s["start"] : s["end"]] for s in result["sentences"]]
    assert spans == ["Smith said the talks failed.", "Jones said they would resume."]


@pytest.mark.django_db
def test_json_with_several_paths_prints_an_array_in_path_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text("Paris is big.", encoding="utf-8")
    second.write_text("Apple said it would grow.", encoding="utf-8")
    results = json.loads(run(capsys, "--raw", "--format", "json", str(first), str(second)))
    assert [r["path"] for r in results] == [str(first), str(second)]
    assert results[1]["attributions"][0]["cue"]["text"] == "said"


@pytest.mark.django_db
def test_jsonl_prints_one_object_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for number in range(3):
        path = tmp_path / f"{number}.txt"
        path.write_text(f"Article {number} said nothing new.", encoding="utf-8")
        paths.append(str(path))
    lines = run(capsys, "--raw", "--format", "jsonl", *paths).splitlines()
    assert [json.loads(line)["path"] for line in lines] == paths


@pytest.mark.django_db
def test_capture_is_parsed_to_its_body_without_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "seed.txt"
    shutil.copy(SEED, path)
    result = json.loads(run(capsys, "--format", "json", str(path)))
    assert result["text"].startswith("In Kyiv, Russian forces claimed")
    assert result["text"].endswith("growing difficulties on the battlefield.")
    assert len(result["attributions"]) == 17


@pytest.mark.django_db
def test_people_registry_gives_canonical_speaker_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from articles.models import Person

    person = Person.objects.create(name="Volodymyr Zelensky")
    person.aliases.create(name="Zelenskyy")
    path = tmp_path / "a.txt"
    path.write_text("Zelenskyy said the front line was holding.", encoding="utf-8")
    result = json.loads(run(capsys, "--raw", "--format", "json", str(path)))
    assert result["attributions"][0]["speaker_name"] == "Volodymyr Zelensky"


def test_command_works_when_the_registry_tables_are_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> Any:
        raise DatabaseError("no such table: articles_person")

    monkeypatch.setattr("articles.selectors.known_names", broken)
    assert analyse_command.registry() == ()
    path = tmp_path / "a.txt"
    path.write_text("Smith said the talks failed.", encoding="utf-8")
    result = json.loads(run(capsys, "--raw", "--format", "json", str(path)))
    assert result["attributions"][0]["speaker"]["text"] == "Smith"
