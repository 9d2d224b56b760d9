"""The list pages issue a bounded number of queries, whatever the size of the archive.

Each page is counted on a small synthetic archive and again on a larger one
(``manage.py generate_corpus``), with an empty cache both times: a page whose
count grows with the data has an N+1.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.roles import COPY_DESK
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

#: Page -> the most queries it may issue (session, user, permissions included).
PAGES = {
    "/": 10,
    "/?q=talks": 10,
    "/annotations/": 12,
    # Filtered by where each note stands on its article's latest revision: one more
    # query, the check that nothing is left to place on a newer revision.
    "/annotations/?placement=attention": 13,
    "/annotations/?placement=changed": 13,
    "/annotations/?placement=orphaned": 13,
    "/annotations/?placement=carried": 13,
    "/annotations/?placement=original": 13,
    "/review/corrections/": 20,
    "/corrections/": 6,
}


def grow(count: int, seed: int) -> None:
    call_command("generate_corpus", count, templates=2, batch_size=50, seed=seed, stdout=StringIO())


def queries(client: Client, url: str) -> int:
    cache.clear()
    client.get("/corrections/")  # the session is read from the cache from here on
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    if "placement=" in url:  # a filter that lists nothing would prove nothing
        assert 'data-label="Placement"' in response.content.decode()
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_list_page_queries_do_not_grow_with_the_archive(
    url: str, make_user: Callable[..., object]
) -> None:
    client = client_for(make_user("desk", COPY_DESK))
    grow(8, seed=2)  # notes in every placement state, on the latest revision or not
    small = queries(client, url)
    grow(60, seed=1)
    assert Article.objects.count() == 68
    large = queries(client, url)
    assert large == small
    assert small <= PAGES[url]


def test_a_page_reads_the_session_and_the_permissions_in_one_query(
    make_user: Callable[..., object],
) -> None:
    """Sessions come from the cache; the user's and their groups' permissions are one
    query, then kept in the cache until a user, group or permission is written."""
    user = make_user("desk", COPY_DESK)
    client = client_for(user)
    client.get("/")
    cache.clear()  # as after a restart, or a write that retired the permissions
    client.get("/")  # the session is cached again from the database

    def lookups() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return [
            q["sql"]
            for q in captured
            if "django_session" in q["sql"] or "auth_permission" in q["sql"]
        ]

    assert lookups() == []  # both from the cache
    user.groups.add(Group.objects.get(name="Editors"))  # retires the cached permissions
    assert len(lookups()) == 1
