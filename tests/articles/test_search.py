"""Desk search: the newest revision's headline, standfirst and body."""

from __future__ import annotations

import pytest
from django.db import connection

from articles.ingest import CaptureDraft
from articles.selectors import article_list, article_search
from articles.services import revision_record

pytestmark = pytest.mark.django_db


def record(title: str, body: str, *, standfirst: str = "", source: str = "DPA"):
    return revision_record(
        draft=CaptureDraft(title=title, standfirst=standfirst, body=body, credited_source=source)
    ).article


def found(query: str) -> list[str]:
    return [a.slug for a in article_search(article_list(), query)]


def test_search_finds_a_word_of_the_body() -> None:
    article = record("Harbour reopens", "Fishing boats returned to the harbour on Monday.")
    record("Budget passes", "The budget passed on Tuesday.")
    assert found("boats") == [article.slug]


def test_search_finds_a_word_of_the_standfirst() -> None:
    article = record("Harbour reopens", "Text.", standfirst="Trawlers are back at sea.")
    assert found("trawlers") == [article.slug]


def test_search_reads_only_the_newest_revision() -> None:
    article = record("Harbour reopens", "Fishing boats returned to the harbour.")
    revision_record(
        draft=CaptureDraft(title="Harbour reopens", body="Ferries returned to the harbour."),
        article=article,
    )
    assert found("boats") == []
    assert found("ferries") == [article.slug]


def test_search_keeps_the_source_filter() -> None:
    record("Harbour reopens", "Boats returned.", source="DPA")
    other = record("Harbour closes", "Boats left.", source="AFP")
    matches = article_search(article_list(source_slug="afp"), "boats")
    assert [a.slug for a in matches] == [other.slug]


@pytest.mark.postgres
def test_postgres_ranks_a_headline_match_above_a_body_match() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("full-text ranking is PostgreSQL's; SQLite lists matches newest first")
    in_body = record("Harbour reopens", "Officials discussed the ceasefire at length.")
    in_headline = record("Ceasefire holds", "Quiet night in the city.")
    assert found("ceasefire") == [in_headline.slug, in_body.slug]


@pytest.mark.postgres
def test_postgres_matches_other_forms_of_a_word() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL full-text search's")
    article = record("Talks resume", "Negotiators negotiated through the night.")
    assert found("negotiate") == [article.slug]
