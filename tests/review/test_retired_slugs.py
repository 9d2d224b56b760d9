"""A slug changed in the admin keeps the article's old URLs working (301 to the new)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Activity, Article, RetiredSlug
from articles.services import RecordResult, _unique_article_slug, article_slug_retire
from tests.articles.test_admin import change_form
from tests.conftest import client_for

NEW_SLUG = "blinken-in-kyiv"


def rename(admin: User, article: Article, slug: str) -> Client:
    client = client_for(admin)
    url = f"/admin/articles/article/{article.pk}/change/"
    response = client.post(url, change_form(client, url, slug=slug))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.fixture
def renamed(admin_user: User, recorded_correction: RecordResult) -> tuple[str, Article]:
    article = recorded_correction.article
    old = article.slug
    rename(admin_user, article, NEW_SLUG)
    article.refresh_from_db()
    return old, article


def test_changing_the_slug_in_the_admin_keeps_the_old_one(renamed: tuple[str, Article]) -> None:
    old, article = renamed
    assert article.slug == NEW_SLUG
    assert list(article.retired_slugs.values_list("slug", flat=True)) == [old]


def test_the_slug_change_is_in_the_activity_log(renamed: tuple[str, Article]) -> None:
    _, article = renamed
    activity = Activity.objects.get(verb="admin.changed", article=article)
    assert activity.detail["fields"] == ["slug"]


@pytest.mark.parametrize(
    ("old_path", "new_path"),
    [
        ("/articles/{old}/", "/articles/{new}/"),
        ("/articles/{old}/revisions/1/", "/articles/{new}/revisions/1/"),
        ("/articles/{old}/compare/?from=1&to=2", "/articles/{new}/compare/?from=1&to=2"),
        ("/articles/{old}/history/", "/articles/{new}/history/"),
        ("/articles/{old}/?annotation=3", "/articles/{new}/?annotation=3"),
    ],
)
def test_old_urls_redirect_permanently_to_the_new_slug(
    renamed: tuple[str, Article], editor_client: Client, old_path: str, new_path: str
) -> None:
    old, article = renamed
    response = editor_client.get(old_path.format(old=old))
    assert response.status_code == 301
    assert response["Location"] == new_path.format(new=article.slug)
    assert editor_client.get(response["Location"]).status_code == 200


def test_an_old_url_does_not_tell_anonymous_users_where_it_moved(
    renamed: tuple[str, Article],
) -> None:
    old, _ = renamed
    response = Client().get(f"/articles/{old}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_form_posted_to_an_old_url_is_not_redirected(
    renamed: tuple[str, Article], editor_client: Client
) -> None:
    old, _ = renamed
    response = editor_client.post(f"/articles/{old}/corrections/preview/", {})
    assert response.status_code == 404


def test_an_unknown_slug_is_still_a_404(
    renamed: tuple[str, Article], editor_client: Client
) -> None:
    assert editor_client.get("/articles/never-was-here/").status_code == 404


def test_a_second_rename_redirects_both_old_slugs(
    renamed: tuple[str, Article], admin_user: User, editor_client: Client
) -> None:
    first, article = renamed
    rename(admin_user, article, "blinken-kyiv-visit")
    for old in (first, NEW_SLUG):
        response = editor_client.get(f"/articles/{old}/")
        assert response["Location"] == "/articles/blinken-kyiv-visit/"


def test_taking_back_an_old_slug_stops_retiring_it(
    renamed: tuple[str, Article], admin_user: User, editor_client: Client
) -> None:
    first, article = renamed
    rename(admin_user, article, first)
    assert list(RetiredSlug.objects.values_list("slug", flat=True)) == [NEW_SLUG]
    assert editor_client.get(f"/articles/{first}/").status_code == 200


def test_another_article_cannot_take_a_retired_slug(
    renamed: tuple[str, Article], admin_user: User
) -> None:
    old, _ = renamed
    other = Article.objects.create(slug="another-story")
    client = client_for(admin_user)
    url = f"/admin/articles/article/{other.pk}/change/"
    response = client.post(url, change_form(client, url, slug=old))
    assert response.status_code == 200  # the form again, with the message
    assert "old URLs still redirect there" in response.content.decode()
    other.refresh_from_db()
    assert other.slug == "another-story"


def test_a_new_article_never_gets_a_retired_slug(db: None) -> None:
    article = Article.objects.create(slug="kyiv-talks-2")
    article_slug_retire(article=article, old_slug="kyiv-talks")
    assert _unique_article_slug("Kyiv talks") == "kyiv-talks-3"


def test_a_title_printed_every_day_finds_its_free_slug_in_a_few_queries(db: None) -> None:
    Article.objects.bulk_create(
        [Article(slug="corrections")] + [Article(slug=f"corrections-{n}") for n in range(2, 400)]
    )
    article_slug_retire(
        article=Article.objects.get(slug="corrections-2"), old_slug="corrections-400"
    )
    with CaptureQueriesContext(connection) as queries:
        slug = _unique_article_slug("Corrections")
    assert slug == "corrections-401"
    assert len(queries) <= 10
    Article.objects.filter(slug="corrections-7").update(slug="corrections-seven")
    assert _unique_article_slug("Corrections") == "corrections-7"
