"""The admin panel: who gets in, and that revisions stay read-only there."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
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


# --------------------------------------------------------------------------
# edits in the admin are written to the activity log, with the fields changed


class _FormFields(HTMLParser):
    """What a browser submits for a page's form: named inputs, selects and textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") != "checkbox" or "checked" in a:
                self.data[name] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:  # the browser drops the newline right after <textarea>
                self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None


def change_form(client: Client, url: str, **changes: str) -> dict[str, str]:
    """The admin change form at ``url`` as the browser would post it, with ``changes``."""
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    data = {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}
    return {**data, **changes}


@pytest.fixture
def ada(admin_user: User) -> User:
    admin_user.first_name, admin_user.last_name = "Ada", "Admin"
    admin_user.save()
    return admin_user


@pytest.fixture
def afp(db: None) -> Source:
    return Source.objects.create(name="AFP", slug="afp", kind="agency")


def admin_activity() -> list[Activity]:
    return list(Activity.objects.filter(verb__startswith="admin.").order_by("id"))


def test_changing_a_source_logs_who_and_which_fields(ada: User, afp: Source) -> None:
    client = client_for(ada)
    url = f"/admin/articles/source/{afp.pk}/change/"
    posted = client.post(
        url, change_form(client, url, website="https://www.afp.com", notes="French agency.")
    )
    assert posted.status_code == 302
    [activity] = admin_activity()
    assert activity.verb == "admin.changed"
    assert activity.actor == ada
    assert activity.summary == "Ada Admin changed the source “AFP”: website, notes"
    assert activity.detail == {
        "model": "articles.source",
        "pk": afp.pk,
        "name": "AFP",
        "fields": ["website", "notes"],
    }


def test_saving_a_source_unchanged_logs_nothing(ada: User, afp: Source) -> None:
    client = client_for(ada)
    url = f"/admin/articles/source/{afp.pk}/change/"
    assert client.post(url, change_form(client, url)).status_code == 302
    assert admin_activity() == []


def test_adding_a_source_is_logged(ada: User) -> None:
    client = client_for(ada)
    data = {"name": "Reuters", "slug": "reuters", "kind": "agency", "website": "", "notes": ""}
    assert client.post("/admin/articles/source/add/", data).status_code == 302
    [activity] = admin_activity()
    assert activity.verb == "admin.added"
    assert activity.summary == "Ada Admin added the source “Reuters”: name, slug"
    assert activity.detail["pk"] == Source.objects.get(slug="reuters").pk


def test_deleting_a_source_is_logged_with_its_name(ada: User, afp: Source) -> None:
    response = client_for(ada).post(f"/admin/articles/source/{afp.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Source.objects.filter(pk=afp.pk).exists()
    [activity] = admin_activity()
    assert (activity.verb, activity.summary) == (
        "admin.deleted",
        "Ada Admin deleted the source “AFP”",
    )
    assert activity.detail == {
        "model": "articles.source",
        "pk": afp.pk,
        "name": "AFP",
        "fields": [],
    }


def test_the_delete_action_logs_each_source(ada: User, afp: Source) -> None:
    reuters = Source.objects.create(name="Reuters", slug="reuters")
    response = client_for(ada).post(
        "/admin/articles/source/",
        {"action": "delete_selected", "_selected_action": [afp.pk, reuters.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Source.objects.exists()
    assert sorted(a.summary for a in admin_activity()) == [
        "Ada Admin deleted the source “AFP”",
        "Ada Admin deleted the source “Reuters”",
    ]


def test_a_refused_change_logs_nothing(ada: User) -> None:
    person = Person.objects.create(name="Volodymyr Zelensky")
    client = client_for(ada)
    url = f"/admin/articles/person/{person.pk}/change/"
    response = client.post(url, change_form(client, url, wikidata_id="not-an-id"))
    assert response.status_code == 200  # the form again, with the message
    assert admin_activity() == []


def test_changing_a_person_logs_the_aliases_added_and_deleted(ada: User) -> None:
    person = Person.objects.create(name="Volodymyr Zelensky")
    old = person.aliases.create(name="Zelenskiy")
    client = client_for(ada)
    url = f"/admin/articles/person/{person.pk}/change/"
    form = change_form(client, url, title="President of Ukraine")
    assert form["aliases-0-id"] == str(old.pk)  # the stored alias, then an empty row
    form.update({"aliases-0-DELETE": "on", "aliases-1-name": "Zelenskyy"})
    assert client.post(url, form).status_code == 302
    assert [a.name for a in person.aliases.all()] == ["Zelenskyy"]
    [activity] = admin_activity()
    assert activity.summary == (
        "Ada Admin changed the person “Volodymyr Zelensky”: "
        "title, aliases (added Zelenskyy; deleted Zelenskiy)"
    )
    assert activity.detail["fields"] == ["title", "aliases"]
    assert activity.detail["related"] == {
        "aliases": {"added": ["Zelenskyy"], "changed": [], "deleted": ["Zelenskiy"]}
    }


def test_an_alias_alone_changed_is_logged(ada: User) -> None:
    person = Person.objects.create(name="Volodymyr Zelensky")
    person.aliases.create(name="Zelenskiy")
    client = client_for(ada)
    url = f"/admin/articles/person/{person.pk}/change/"
    assert (
        client.post(url, change_form(client, url, **{"aliases-0-name": "Zelensky"})).status_code
        == 302
    )
    [activity] = admin_activity()
    assert activity.summary == (
        "Ada Admin changed the person “Volodymyr Zelensky”: aliases (changed Zelensky)"
    )


def test_changing_an_article_shows_in_its_history(ada: User, recorded_seed) -> None:
    article = recorded_seed.article
    client = client_for(ada)
    url = f"/admin/articles/article/{article.pk}/change/"
    form = change_form(client, url, canonical_url="https://www.example.org/blinken-kyiv")
    assert client.post(url, form).status_code == 302
    [activity] = admin_activity()
    assert activity.article == article
    assert activity.summary == (f"Ada Admin changed the article “{article.slug}”: canonical url")
    history = client.get(f"/articles/{article.slug}/history/").content.decode()
    assert escape(activity.summary) in history
