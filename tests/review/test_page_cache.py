"""The reading desk and compare are cached whole per reader (review/pagecache.py):
a repeated view costs no render, and every write they show is on the next view.

Each test views a page (which caches it), makes one kind of write the way the app
makes it (a service, a view, the admin's ORM), and views the page again: what a
reader would check is that the change is there, not a stale copy.
"""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.ingest import read_capture
from articles.models import Article, Person, PersonAlias
from articles.services import article_slug_retire, revision_record
from review import services
from review.models import Notification
from tests.conftest import client_for, corrected_seed_text, visible_text
from tests.review.test_annotations import putin_index

pytestmark = pytest.mark.django_db


def _view(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _warm(client: Client, url: str) -> str:
    """View twice: the first view sets the CSRF cookie, the second caches the page."""
    _view(client, url)
    return _view(client, url)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        _view(client, url)
    return len(captured.captured_queries)


def _note_on_patriot(revision, author, comment: str):  # type: ignore[no-untyped-def]
    """A style note on the word "Patriot", made through the service."""
    at = revision.body.index("Patriot")
    return services.annotation_create(
        revision=revision,
        author=author,
        kind="style",
        start=at,
        end=at + len("Patriot"),
        comment=comment,
    )


@pytest.fixture
def reading_url(recorded_correction) -> str:
    return f"/articles/{recorded_correction.article.slug}/"


@pytest.fixture
def compare_url(recorded_correction) -> str:
    return f"/articles/{recorded_correction.article.slug}/compare/?from=1&to=2"


@pytest.mark.parametrize("page", ["reading", "compare"])
def test_a_repeated_view_is_served_from_the_cache(
    editor_client: Client, request, page: str
) -> None:
    url = request.getfixturevalue(f"{page}_url")
    first = _warm(editor_client, url)
    assert _queries(editor_client, url) == 1  # the user; the session is in the cache
    assert _view(editor_client, url) == first


@pytest.mark.parametrize("page", ["reading", "compare"])
def test_without_the_page_cache_every_view_renders(
    editor_client: Client, request, settings, page: str
) -> None:
    settings.PAGE_CACHE = False
    url = request.getfixturevalue(f"{page}_url")
    _warm(editor_client, url)
    assert _queries(editor_client, url) > 3


def test_readers_do_not_share_pages(
    recorded_correction, editor, copydesk, reading_url: str
) -> None:
    editor_page = _warm(client_for(editor), reading_url)
    copydesk_page = _warm(client_for(copydesk), reading_url)
    assert "eda · Editors" in visible_text(editor_page)
    assert "cal · Copy desk" in visible_text(copydesk_page)
    assert "eda · Editors" not in visible_text(copydesk_page)


def test_another_editors_annotation_shows_on_the_next_view(
    recorded_correction, editor, copydesk, reading_url: str
) -> None:
    client = client_for(editor)
    _warm(client, reading_url)
    revision = recorded_correction.revision
    _note_on_patriot(
        revision, copydesk, "Check the battery count against the ministry's statement."
    )
    assert "Check the battery count" in _view(client, reading_url)


def test_a_comment_and_a_status_change_show_on_the_next_view(
    recorded_correction, editor, copydesk, reading_url: str
) -> None:
    revision = recorded_correction.revision
    note = _note_on_patriot(revision, editor, "First.")
    client = client_for(editor)
    _warm(client, reading_url)
    services.comment_add(annotation=note, author=copydesk, body="Seen by the copy desk.")
    assert "Seen by the copy desk." in _view(client, reading_url)
    services.annotation_resolve(annotation=note, actor=editor, reason="House style applied.")
    assert "House style applied." in _view(client, reading_url)


def test_a_dismissed_flag_shows_on_the_next_view(recorded_seed, editor, copydesk) -> None:
    url = f"/articles/{recorded_seed.article.slug}/"
    client = client_for(editor)
    assert "Dismissed by" not in _warm(client, url)
    services.flag_dismiss(
        revision=recorded_seed.revision,
        attribution_index=putin_index(recorded_seed.revision),
        actor=copydesk,
        reason="Checked with the desk: leave it.",
    )
    assert "Checked with the desk: leave it." in _view(client, url)


def test_a_new_revision_shows_on_the_next_view(
    recorded_correction, editor, seed_text: str, reading_url: str, compare_url: str
) -> None:
    client = client_for(editor)
    assert "three Patriot" not in _warm(client, reading_url)
    assert '<option value="3"' not in _warm(client, compare_url)
    body = corrected_seed_text(seed_text).replace("two Patriot", "three Patriot")
    revision_record(draft=read_capture(body.encode("utf-8"), filename="c.txt"), filename="c.txt")
    assert "three Patriot" in visible_text(_view(client, reading_url))
    assert '<option value="3"' in _view(client, compare_url)


def test_following_shows_on_the_next_view(
    recorded_correction, editor_client: Client, reading_url: str
) -> None:
    assert "Follow this article" in _warm(editor_client, reading_url)
    response = editor_client.post(
        f"{reading_url}follow/", {"action": "follow", "next": reading_url}
    )
    assert response.status_code == 302
    assert "Unfollow this article" in _view(editor_client, reading_url)


def test_the_unread_count_follows_notifications(
    recorded_correction, editor, copydesk, reading_url: str
) -> None:
    client = client_for(editor)
    assert "unread-count" not in _warm(client, reading_url)
    Notification.objects.create(
        recipient=editor,
        actor=copydesk,
        verb=Notification.Verb.MENTION,
        article=recorded_correction.article,
        summary="cal mentioned you",
        url=reading_url,
    )
    assert 'aria-label="1 unread"' in _view(client, reading_url)
    services.notifications_mark_read(user=editor)
    assert "unread-count" not in _view(client, reading_url)


def test_a_reader_removed_from_the_newsroom_is_refused_at_once(
    recorded_correction, editor, reading_url: str
) -> None:
    client = client_for(editor)
    _warm(client, reading_url)
    editor.groups.remove(Group.objects.get(name="Editors"))
    assert client.get(reading_url).status_code == 403


def test_a_deactivated_reader_is_logged_out_at_once(
    recorded_correction, editor, reading_url: str
) -> None:
    client = client_for(editor)
    _warm(client, reading_url)
    editor.is_active = False
    editor.save()
    response = client.get(reading_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_changed_slug_answers_its_old_url_with_a_redirect(
    recorded_correction, editor, admin_client_: Client, reading_url: str
) -> None:
    client = client_for(editor)
    _warm(client, reading_url)
    article = Article.objects.get(pk=recorded_correction.article.pk)
    old = article.slug
    article.slug = "patriot-batteries"  # as the admin saves it
    article.save()
    article_slug_retire(article=article, old_slug=old)
    response = client.get(reading_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/patriot-batteries/"


def test_a_registry_change_retires_every_page(recorded_seed, editor) -> None:
    url = f"/articles/{recorded_seed.article.slug}/"
    client = client_for(editor)
    _warm(client, url)
    assert _queries(client, url) == 1
    person = Person.objects.create(name="Volodymyr Zelensky")
    PersonAlias.objects.create(person=person, name="Zelenskyy")
    assert _queries(client, url) > 1  # rendered again: suggestions come from the registry


def test_a_message_shows_once_and_is_never_cached(
    recorded_correction, editor_client: Client, reading_url: str
) -> None:
    _warm(editor_client, reading_url)
    editor_client.post(f"{reading_url}follow/", {"action": "follow", "next": reading_url})
    first = _view(editor_client, reading_url)
    assert 'class="msg msg-success"' in first
    assert 'class="msg msg-success"' not in _view(editor_client, reading_url)


def _redis_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def test_with_a_shared_redis_cache_a_write_is_seen_through_each_process_copy(
    recorded_correction, editor, copydesk, settings, reading_url: str
) -> None:
    """Production: pages and stamps in Redis, each process's copy in local memory."""
    if not _redis_up():
        pytest.skip("needs Redis at 127.0.0.1:6379 (running on the CI machine)")
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"test-{connection.settings_dict['NAME']}",
        },
    }
    caches["default"].clear()
    caches["local"].clear()
    try:
        client = client_for(editor)
        _warm(client, reading_url)
        assert _queries(client, reading_url) == 1
        revision = recorded_correction.revision
        _note_on_patriot(revision, copydesk, "Seen through Redis.")
        assert "Seen through Redis." in _view(client, reading_url)
    finally:
        caches["default"].clear()
        caches["local"].clear()


def test_the_desk_is_cached_until_an_article_is_recorded(
    recorded_seed, editor, seed_text: str
) -> None:
    client = client_for(editor)
    assert "Odesa asks for Iris-T systems" not in _warm(client, "/")
    assert _queries(client, "/") == 1
    other = seed_text.replace("Patriot", "Iris-T").replace("Kyiv", "Odesa")
    draft = read_capture(other.encode("utf-8"), filename="other.txt")
    draft = replace(draft, title="Odesa asks for Iris-T systems")
    revision_record(draft=draft, filename="other.txt")
    assert "Odesa asks for Iris-T systems" in _view(client, "/")


def test_a_renamed_source_shows_on_the_desk(recorded_seed, editor) -> None:
    source = recorded_seed.article.source
    if source is None:
        pytest.skip("the seed capture names no source")
    client = client_for(editor)
    _warm(client, "/")
    source.name = "The Kyiv Ledger"
    source.save()
    assert "The Kyiv Ledger" in _view(client, "/")
