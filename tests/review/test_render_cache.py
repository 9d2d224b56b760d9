"""Cached fragments of immutable data never hide a change of what they are made of."""

from __future__ import annotations

from django.test import Client

from articles.services import analysis_store


def test_reading_desk_shows_a_new_analysis_of_a_revision(
    editor_client: Client, recorded_seed
) -> None:
    url = f"/articles/{recorded_seed.article.slug}/"
    assert 'class="ent ent-PERSON"' in editor_client.get(url).content.decode()
    stored = recorded_seed.revision.analyses.get()
    analysis_store(
        revision=recorded_seed.revision,
        analysis={"sentences": stored.sentences, "entities": [], "attributions": []},
    )
    assert 'class="ent ent-PERSON"' not in editor_client.get(url).content.decode()


def test_compare_page_shows_a_new_analysis_of_a_revision(
    editor_client: Client, recorded_correction
) -> None:
    article = recorded_correction.article
    url = f"/articles/{article.slug}/compare/?from=1&to=2"
    assert "speaker changed" in editor_client.get(url).content.decode()
    for revision in article.revisions.all():
        stored = revision.analyses.get()
        analysis_store(
            revision=revision,
            analysis={"sentences": stored.sentences, "entities": [], "attributions": []},
        )
    assert "speaker changed" not in editor_client.get(url).content.decode()
