"""The admin panel: who gets in, and that revisions stay read-only there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from articles.models import Activity, Person, Revision, Source
from tests.append_only import snapshot
from tests.conftest import client_for


def test_admin_refuses_editors(editor_client: Client) -> None:
    response = editor_client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_refuses_copy_desk(copydesk_client: Client) -> None:
    response = copydesk_client.get("/admin/articles/source/")
    assert response.status_code == 302


def test_admins_manage_sources_with_search_and_filters(admin_client_: Client) -> None:
    response = admin_client_.post(
        "/admin/articles/source/add/",
        {
            "name": "Agence France-Presse",
            "slug": "afp",
            "kind": "agency",
            "website": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert Source.objects.filter(slug="afp").exists()
    listing = admin_client_.get("/admin/articles/source/", {"q": "France"}).content.decode()
    assert "Agence France-Presse" in listing
    assert "By kind" in listing


def person_form(*aliases: str, **fields: str) -> dict[str, str]:
    """The admin's add-person POST: the person's fields and an inline row per alias."""
    data = {
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        **fields,
    }
    data.update({f"aliases-{n}-name": alias for n, alias in enumerate(aliases)})
    return data


def test_admins_add_people_with_aliases_inline(admin_client_: Client) -> None:
    response = admin_client_.post(
        "/admin/articles/person/add/",
        person_form(
            "Zelensky",
            "Zelenskyy",
            name="Volodymyr Zelensky",
            title="President of Ukraine",
            wikidata_id="Q3881980",
        ),
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Volodymyr Zelensky")
    assert sorted(a.name for a in person.aliases.all()) == ["Zelensky", "Zelenskyy"]
    found = admin_client_.get("/admin/articles/person/", {"q": "Zelenskyy"}).content.decode()
    assert "Volodymyr Zelensky" in found


def test_bad_wikidata_id_is_refused_with_a_message(admin_client_: Client) -> None:
    response = admin_client_.post(
        "/admin/articles/person/add/",
        person_form(name="Someone", wikidata_id="not-an-id"),
    )
    assert response.status_code == 200
    assert "A Wikidata id looks like Q123 (Q and digits)." in response.content.decode()
    assert not Person.objects.filter(name="Someone").exists()


def test_article_admin_shows_revisions_read_only(admin_client_: Client, recorded_seed) -> None:
    article = recorded_seed.article
    page = admin_client_.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert recorded_seed.revision.title in page
    assert 'name="revisions-0-title"' not in page  # shown, not an editable field


def test_revision_admin_cannot_change_add_or_delete(admin_client_: Client, recorded_seed) -> None:
    revision = recorded_seed.revision
    view = admin_client_.get(f"/admin/articles/revision/{revision.pk}/change/")
    assert view.status_code == 200
    assert 'name="body"' not in view.content.decode()
    posted = admin_client_.post(f"/admin/articles/revision/{revision.pk}/change/", {"body": "x"})
    assert posted.status_code == 403
    assert admin_client_.get("/admin/articles/revision/add/").status_code == 403
    deleted = admin_client_.post(f"/admin/articles/revision/{revision.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert Revision.objects.get(pk=revision.pk).body == revision.body


@pytest.mark.django_db
def test_superuser_also_cannot_edit_revisions(recorded_seed, django_user_model) -> None:
    root = django_user_model.objects.create_superuser("root", password="x-long-password-1")
    client = client_for(root)
    revision = recorded_seed.revision
    response = client.post(f"/admin/articles/revision/{revision.pk}/change/", {"body": "x"})
    assert response.status_code == 403


# --------------------------------------------------------------------------
# the append-only record in the admin: shown, never changed or deleted, even by a superuser

READ_ONLY = {"revision": Revision, "activity": Activity}


@pytest.fixture
def superuser_client(django_user_model) -> Client:
    return client_for(django_user_model.objects.create_superuser("root", password="x-long-pw-1"))


@pytest.mark.parametrize("name", READ_ONLY)
def test_superuser_cannot_post_a_change(superuser_client: Client, recorded_seed, name) -> None:
    row = READ_ONLY[name].objects.first()
    before = snapshot()
    response = superuser_client.post(
        f"/admin/articles/{name}/{row.pk}/change/", {"title": "x", "summary": "x"}
    )
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", READ_ONLY)
def test_superuser_cannot_delete(superuser_client: Client, recorded_seed, name) -> None:
    row = READ_ONLY[name].objects.first()
    before = snapshot()
    assert superuser_client.get(f"/admin/articles/{name}/{row.pk}/delete/").status_code == 403
    response = superuser_client.post(f"/admin/articles/{name}/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", READ_ONLY)
def test_superuser_cannot_add(superuser_client: Client, recorded_seed, name) -> None:
    assert superuser_client.get(f"/admin/articles/{name}/add/").status_code == 403


@pytest.mark.parametrize("name", READ_ONLY)
def test_the_list_offers_no_delete_action(superuser_client: Client, recorded_seed, name) -> None:
    page = superuser_client.get(f"/admin/articles/{name}/").content.decode()
    shown = {"revision": recorded_seed.revision.title, "activity": Activity.objects.get().summary}
    assert escape(shown[name]) in page  # the list is there
    assert "delete_selected" not in page


@pytest.mark.parametrize("name", READ_ONLY)
def test_posting_the_delete_action_deletes_nothing(
    superuser_client: Client, recorded_seed, name
) -> None:
    before = snapshot()
    superuser_client.post(
        f"/admin/articles/{name}/",
        {
            "action": "delete_selected",
            "_selected_action": [str(row.pk) for row in READ_ONLY[name].objects.all()],
            "post": "yes",
        },
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    "path",
    [
        "/admin/review/statuschange/",
        "/admin/review/commentversion/",
        "/admin/review/correctionevent/",
        "/admin/review/comment/",
    ],
)
def test_the_review_histories_are_not_in_the_admin(superuser_client: Client, path: str) -> None:
    assert superuser_client.get(path).status_code == 404
