"""Analyses are stored per revision and pipeline version; reanalyse recomputes them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from articles import analysis as nlp
from articles.models import Analysis


def test_recording_stores_one_analysis_for_the_current_pipeline(recorded_seed) -> None:
    analysis = Analysis.objects.get(revision=recorded_seed.revision)
    assert analysis.pipeline_version == nlp.PIPELINE_VERSION
    assert analysis.model == nlp.model_name()
    assert analysis.content_hash == recorded_seed.revision.content_hash


def test_reanalyse_missing_only_fills_gaps(recorded_seed, capsys) -> None:
    call_command("reanalyse", "--missing")
    assert "Analysed 0 revisions" in capsys.readouterr().out
    Analysis.objects.all().delete()
    call_command("reanalyse", "--missing")
    assert "Analysed 1 revision " in capsys.readouterr().out
    assert Analysis.objects.filter(revision=recorded_seed.revision).count() == 1


def test_a_pipeline_change_adds_a_new_analysis_and_keeps_the_old(
    recorded_seed, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(nlp, "PIPELINE_VERSION", nlp.PIPELINE_VERSION + "-next")
    call_command("reanalyse")
    assert "Analysed 1 revision " in capsys.readouterr().out
    versions = set(Analysis.objects.values_list("pipeline_version", flat=True))
    assert versions == {nlp.PIPELINE_VERSION, nlp.PIPELINE_VERSION.removesuffix("-next")}


@pytest.mark.django_db
def test_pages_never_analyse_while_rendering(editor_client: Client, recorded_seed) -> None:
    Analysis.objects.all().delete()
    response = editor_client.get(f"/articles/{recorded_seed.article.slug}/")
    assert response.status_code == 200
    assert "has not been analysed yet" in response.content.decode()
    assert Analysis.objects.count() == 0
