"""`manage.py seed_demo`: the demo article and people, and accounts only in DEBUG."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from articles.models import Article, Person, Revision


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_accounts_in_debug(settings, capsys) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "New article" in first
    assert "already on record as revision 1" in second
    assert Article.objects.count() == 1 and Revision.objects.count() == 1
    assert Person.objects.get(name="Volodymyr Zelensky").aliases.filter(name="Zelensky").exists()
    for username, password in [
        ("editor", "editor-demo-pass"),
        ("copydesk", "copydesk-demo-pass"),
        ("admin", "admin-demo-pass"),
    ]:
        assert f"{username:<9} / {password}" in second
        # Through the login page, as a person would (django-axes checks every attempt).
        login = Client().post("/accounts/login/", {"username": username, "password": password})
        assert login.status_code == 302 and login["Location"] == "/"
    assert list(User.objects.get(username="copydesk").groups.values_list("name", flat=True)) == [
        "Copy desk"
    ]
    assert User.objects.get(username="admin").is_staff


@pytest.mark.django_db
def test_seed_demo_creates_no_accounts_without_debug(settings, capsys) -> None:
    settings.DEBUG = False
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "no demo accounts created" in out
    assert "demo-pass" not in out
    assert not User.objects.exists()
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_demo_registry_resolves_putin_to_his_full_name(settings, capsys) -> None:
    settings.DEBUG = False
    call_command("seed_demo")
    analysis = Revision.objects.get().analyses.get()
    putin = next(
        a for a in analysis.attributions if a["speaker"] and a["speaker"]["text"] == "Putin"
    )
    assert putin["speaker_name"] == "Vladimir Putin"
    assert "speaker-mentioned-once" in putin["flags"]


@pytest.mark.django_db
def test_seed_demo_does_not_revert_a_corrected_demo_article(settings, seed_text: str) -> None:
    from articles.ingest import read_capture
    from articles.services import revision_record
    from tests.conftest import corrected_seed_text

    settings.DEBUG = False
    call_command("seed_demo")
    revision_record(draft=read_capture(corrected_seed_text(seed_text).encode("utf-8")))
    call_command("seed_demo")
    assert list(Revision.objects.values_list("number", flat=True)) == [1, 2]
