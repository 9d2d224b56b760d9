"""Who may open what: every URL pattern of the site, tried by every role.

The table below has one entry per URL name that the resolver knows (recursively
through includes; the admin is one row, its index). A new view with no entry
fails ``test_every_url_pattern_is_in_the_table``: add it to the table, saying
what each role gets.

Each probe is tried as anonymous, a logged-in user in no group (``reader``),
an editor, the copy desk and an admin, against a small world built through the
real services: the seed article (one revision), an editor's dispute on it, a
reply, and the editor's draft correction. Page writes are sent as htmx requests
so that a refusal answers its status (403/409/422) instead of a redirect with a
message, and a success answers 200 with an ``HX-Redirect``. A refused request
writes nothing: the rows and the states of the world are compared before and
after.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from articles.ingest import read_capture
from articles.models import Activity, Analysis, Article, ImportBatch, Revision
from articles.services import CaptureIn, import_batch_create
from review import services
from review.models import (
    Annotation,
    Comment,
    CommentVersion,
    Correction,
    FlagDecision,
    Follow,
    Notification,
    Placement,
)
from tests.conftest import SEED_PATH, client_for, corrected_seed_text
from tests.review.test_annotations import dispute, putin_index

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reader", "editor", "copydesk", "admin")
NOTE = "Correction: an earlier version misattributed the request for Patriot batteries."

# What a role gets. LOGIN: a redirect to the login page (anonymous on a page).
LOGIN = "login"
ADMIN_LOGIN = "admin-login"
# The statuses of a refusal: nothing may be written when one of these answers.
REFUSED = {LOGIN, ADMIN_LOGIN, 401, 403, 404, 405, 409, 422}
HTMX = {"HTTP_HX_REQUEST": "true"}


def anyone(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def roles(anonymous: int | str, reader: int | str, **others: int | str) -> dict[str, int | str]:
    """Anonymous and reader as given; editor, copy desk and admin ``newsroom=`` unless named."""
    newsroom = others.pop("newsroom", None)
    expected = {"anonymous": anonymous, "reader": reader}
    for role in ("editor", "copydesk", "admin"):
        expected[role] = others.get(role, newsroom)  # type: ignore[assignment]
    assert all(v is not None for v in expected.values()), expected
    return expected


def page(**statuses: int | str) -> dict[str, int | str]:
    """A page behind the login: anonymous users are sent to log in."""
    return roles(LOGIN, **statuses)  # type: ignore[arg-type]


def api(**statuses: int | str) -> dict[str, int | str]:
    """An API endpoint: anonymous callers get a JSON 401."""
    return roles(401, **statuses)  # type: ignore[arg-type]


@dataclass
class World:
    slug: str
    number: int
    annotation: Annotation
    comment: Comment
    correction: Correction
    flagged: int  # the index of the seed's flagged "Putin asked" attribution
    users: dict[str, User]
    batch_id: int  # an import still being analysed

    def kwargs(self) -> dict[str, object]:
        """Every URL kwarg a pattern of this site takes, filled from the world."""
        return {
            "slug": self.slug,
            "number": self.number,
            "revision_id": self.annotation.revision_id,
            "index": self.flagged,
            "pk": None,  # depends on the pattern: see Probe.pk
            "annotation_id": self.annotation.pk,
            "comment_id": self.comment.pk,
            "correction_id": self.correction.pk,
            "action": "submit",
            "batch_id": self.batch_id,
        }


@dataclass(frozen=True)
class Probe:
    """One request to try: method, a path (format fields from World.kwargs), data."""

    method: str
    path: str
    expected: dict[str, int | str]
    data: dict[str, object] | Callable[[World], dict[str, object]] = field(default_factory=dict)
    json: bool = False  # an API body: sent as JSON
    pk: str = ""  # what {pk} is: "annotation", "comment" or "correction"


def _assign_to_cal(world: World) -> dict[str, object]:
    return {"assignee": world.users["copydesk"].pk}


def _draft(world: World) -> dict[str, object]:
    return {"annotations": [world.annotation.pk], "note": NOTE}


def _edited(world: World) -> dict[str, object]:
    correction = world.correction
    return {
        "kind": correction.kind,
        "title": correction.title,
        "standfirst": correction.standfirst,
        "byline": correction.byline,
        "note": NOTE + " It was Zelensky.",
        "paragraph": correction.body.split("\n\n"),
    }


def _api_annotation(world: World) -> dict[str, object]:
    return {
        "revision": world.number,
        "kind": "fact",
        "exact": "two Patriot batteries",
        "comment": "How many exactly?",
    }


# Statuses, as a person checking each row would state them.
NEWSROOM_PAGE = page(reader=403, newsroom=200)
NEWSROOM_API = api(reader=403, newsroom=200)
# Only the author of a thing (the editor) or a moderator (admin) may change it.
OWNER_OR_MODERATOR_PAGE = page(reader=403, editor=200, copydesk=403, admin=200)
OWNER_OR_MODERATOR_API = api(reader=403, editor=200, copydesk=403, admin=200)

TABLE: dict[str, list[Probe]] = {
    # accounts
    "login": [Probe("GET", "/accounts/login/", anyone(200))],
    "logout": [Probe("POST", "/accounts/logout/", anyone(LOGIN))],
    # the admin: staff only (the Admins group)
    "admin:index": [
        Probe("GET", "/admin/", roles(ADMIN_LOGIN, ADMIN_LOGIN, newsroom=ADMIN_LOGIN, admin=200))
    ],
    # the record
    "articles:import": [
        Probe("GET", "/import/", NEWSROOM_PAGE),
        Probe("POST", "/import/", page(reader=403, newsroom=422)),
    ],
    "articles:import_status": [
        Probe("GET", "/import/{batch_id}/", NEWSROOM_PAGE),
    ],
    # reading and comparing
    "review:desk": [Probe("GET", "/", NEWSROOM_PAGE)],
    "review:article": [Probe("GET", "/articles/{slug}/", NEWSROOM_PAGE)],
    "review:revision": [Probe("GET", "/articles/{slug}/revisions/{number}/", NEWSROOM_PAGE)],
    "review:compare": [Probe("GET", "/articles/{slug}/compare/", NEWSROOM_PAGE)],
    "review:history": [Probe("GET", "/articles/{slug}/history/", NEWSROOM_PAGE)],
    "review:revisions-feed": [Probe("GET", "/articles/{slug}/revisions/feed/", NEWSROOM_PAGE)],
    # annotations
    "review:annotation-new": [
        Probe("GET", "/articles/{slug}/revisions/{number}/annotate/", NEWSROOM_PAGE)
    ],
    "review:annotation-create": [
        # An empty form: refused for its fields, past the permission gate.
        Probe(
            "POST",
            "/articles/{slug}/revisions/{number}/annotations/",
            page(reader=403, newsroom=422),
        )
    ],
    "review:flag-dismiss": [
        # The editor disputed that flag: past the gate, it cannot also be dismissed (409).
        Probe(
            "POST",
            "/articles/{slug}/revisions/{number}/attributions/{index}/dismiss/",
            page(reader=403, newsroom=409),
            data={"reason": "Checked against the wire copy."},
        )
    ],
    "review:annotations": [Probe("GET", "/annotations/", NEWSROOM_PAGE)],
    "review:comment-create": [
        Probe(
            "POST",
            "/annotations/{pk}/comments/",
            NEWSROOM_PAGE,
            data={"body": "Agreed."},
            pk="annotation",
        )
    ],
    "review:annotation-status": [
        Probe(
            "POST",
            "/annotations/{pk}/status/",
            OWNER_OR_MODERATOR_PAGE,
            data={"action": "resolve", "reason": "Checked."},
            pk="annotation",
        )
    ],
    "review:annotation-assign": [
        Probe(
            "POST",
            "/annotations/{pk}/assign/",
            NEWSROOM_PAGE,
            data=_assign_to_cal,
            pk="annotation",
        )
    ],
    "review:comment-edit": [
        Probe(
            "GET",
            "/comments/{pk}/edit/",
            page(reader=403, editor=200, copydesk=403, admin=403),
            pk="comment",
        ),
        Probe(
            "POST",
            "/comments/{pk}/edit/",
            page(reader=403, editor=200, copydesk=403, admin=403),
            data={"body": "Agreed, on reflection."},
            pk="comment",
        ),
    ],
    # notifications: one's own, for anyone logged in
    "review:notifications": [Probe("GET", "/notifications/", page(reader=200, newsroom=200))],
    # following: any newsroom role (a success redirects htmx to the notifications page)
    "review:article-follow": [Probe("POST", "/articles/{slug}/follow/", NEWSROOM_PAGE)],
    "review:source-follow": [Probe("POST", "/sources/afp/follow/", NEWSROOM_PAGE)],
    "review:notifications-read": [
        Probe("POST", "/notifications/read/", page(reader=302, newsroom=302))
    ],
    # corrections
    "review:correction-new": [
        Probe("GET", "/articles/{slug}/corrections/new/", NEWSROOM_PAGE),
        Probe("POST", "/articles/{slug}/corrections/new/", page(reader=403, newsroom=422)),
    ],
    "review:correction-preview": [
        Probe("POST", "/articles/{slug}/corrections/preview/", NEWSROOM_PAGE)
    ],
    "review:corrections-queue": [Probe("GET", "/review/corrections/", NEWSROOM_PAGE)],
    "review:correction": [
        Probe("GET", "/review/corrections/{pk}/", NEWSROOM_PAGE, pk="correction")
    ],
    "review:correction-edit": [
        # Anyone who drafts corrections may open the form; only the proposer saves it.
        Probe("GET", "/review/corrections/{pk}/edit/", NEWSROOM_PAGE, pk="correction"),
        # Saved (a redirect to the correction) by its proposer and admins; the form
        # says no to anyone else.
        Probe(
            "POST",
            "/review/corrections/{pk}/edit/",
            page(reader=403, editor=302, copydesk=422, admin=302),
            data=_edited,
            pk="correction",
        ),
    ],
    "review:correction-action": [
        Probe(
            "POST",
            "/review/corrections/{pk}/{action}/",
            OWNER_OR_MODERATOR_PAGE,
            pk="correction",
        )
    ],
    # the public corrections log: open to all; a correction not yet published is not there
    "review:corrections-log": [Probe("GET", "/corrections/", anyone(200))],
    "review:corrections-feed": [Probe("GET", "/corrections/feed/", anyone(200))],
    "review:correction-public": [Probe("GET", "/corrections/{pk}/", anyone(404), pk="correction")],
    # the JSON API
    "api:openapi-json": [Probe("GET", "/api/openapi.json", api(reader=200, newsroom=200))],
    "api:openapi-view": [Probe("GET", "/api/docs", page(reader=200, newsroom=200))],
    "api:api-root": [Probe("GET", "/api/", anyone(404))],
    "api:no-endpoint": [Probe("GET", "/api/no-such-endpoint", anyone(404))],
    # The push API takes an API key, never a session: without one, 401 for everyone.
    "api:capture-push": [Probe("POST", "/api/captures", anyone(401), data={}, json=True)],
    "api:revision-analysis": [Probe("GET", "/api/revisions/{revision_id}/analysis", NEWSROOM_API)],
    # One revision: past the gate, there is nothing to compare (400).
    "api:article-diff": [Probe("GET", "/api/articles/{slug}/diff", api(reader=403, newsroom=400))],
    "api:article-annotations": [Probe("GET", "/api/articles/{slug}/annotations", NEWSROOM_API)],
    "api:annotation-create": [
        Probe(
            "POST",
            "/api/articles/{slug}/annotations",
            api(reader=403, newsroom=201),
            data=_api_annotation,
            json=True,
        )
    ],
    "api:comment-create": [
        Probe(
            "POST",
            "/api/annotations/{annotation_id}/comments",
            api(reader=403, newsroom=201),
            data={"body": "Agreed."},
            json=True,
        )
    ],
    "api:comment-edit": [
        Probe(
            "PATCH",
            "/api/comments/{comment_id}",
            api(reader=403, editor=200, copydesk=403, admin=403),
            data={"body": "Agreed, on reflection."},
            json=True,
        )
    ],
    "api:annotation-resolve": [
        Probe(
            "POST",
            "/api/annotations/{annotation_id}/resolve",
            OWNER_OR_MODERATOR_API,
            data={"reason": "Checked."},
            json=True,
        )
    ],
    "api:annotation-reject": [
        Probe(
            "POST",
            "/api/annotations/{annotation_id}/reject",
            OWNER_OR_MODERATOR_API,
            data={"reason": "Not a misattribution."},
            json=True,
        )
    ],
    "api:annotation-reopen": [
        # It is open: past the gate, there is nothing to reopen (409).
        Probe(
            "POST",
            "/api/annotations/{annotation_id}/reopen",
            api(reader=403, editor=409, copydesk=403, admin=409),
            data={"reason": "Another look."},
            json=True,
        )
    ],
    "api:annotation-assign": [
        Probe(
            "POST",
            "/api/annotations/{annotation_id}/assign",
            NEWSROOM_API,
            data={"assignee": "cal"},
            json=True,
        )
    ],
    "api:flag-dismiss": [
        Probe(
            "POST",
            "/api/articles/{slug}/revisions/{number}/attributions/{index}/dismiss",
            api(reader=403, newsroom=409),
            data={"reason": "Checked against the wire copy."},
            json=True,
        )
    ],
    "api:annotation-queue": [Probe("GET", "/api/annotations", NEWSROOM_API)],
    "api:notifications": [Probe("GET", "/api/notifications", api(reader=200, newsroom=200))],
    "api:notifications-read": [
        Probe("POST", "/api/notifications/read", api(reader=200, newsroom=200), json=True)
    ],
    "api:correction-draft": [
        Probe(
            "POST",
            "/api/articles/{slug}/corrections",
            api(reader=403, newsroom=201),
            data=_draft,
            json=True,
        )
    ],
    "api:correction": [Probe("GET", "/api/corrections/{correction_id}", NEWSROOM_API)],
    "api:correction-update": [
        Probe(
            "PATCH",
            "/api/corrections/{correction_id}",
            OWNER_OR_MODERATOR_API,
            data={"note": NOTE + " It was Zelensky."},
            json=True,
        )
    ],
    "api:correction-submit": [
        Probe("POST", "/api/corrections/{correction_id}/submit", OWNER_OR_MODERATOR_API, json=True)
    ],
    # A draft: the copy desk and admins are past the gate, but there is nothing to sign (409).
    "api:correction-sign-off": [
        Probe(
            "POST",
            "/api/corrections/{correction_id}/sign-off",
            api(reader=403, editor=403, copydesk=409, admin=409),
            json=True,
        )
    ],
    "api:correction-return": [
        Probe(
            "POST",
            "/api/corrections/{correction_id}/return",
            api(reader=403, editor=403, copydesk=409, admin=409),
            data={"comment": "Say who asked."},
            json=True,
        )
    ],
    "api:correction-withdraw": [
        Probe(
            "POST", "/api/corrections/{correction_id}/withdraw", OWNER_OR_MODERATOR_API, json=True
        )
    ],
    # On the latest revision already: past the gate, nothing to rebase onto (409).
    "api:correction-rebase": [
        Probe(
            "POST",
            "/api/corrections/{correction_id}/rebase",
            api(reader=403, editor=409, copydesk=403, admin=409),
            json=True,
        )
    ],
}


def url_names() -> list[str]:
    """Every URL name the resolver knows, namespaced; the admin's as one, its index."""

    def walk(patterns: list, namespace: str) -> list[str]:
        names = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if inner == "admin:":
                    names.append("admin:index")
                    continue
                names.extend(walk(pattern.url_patterns, inner))
            else:
                assert isinstance(pattern, URLPattern)
                names.append(f"{namespace}{pattern.name}")
        return names

    return walk(get_resolver().url_patterns, "")


def test_every_url_pattern_is_in_the_table() -> None:
    for name in url_names():
        assert name in TABLE, f"no expected statuses for URL name {name}: add it to the table"


def test_the_table_has_no_url_name_the_site_does_not_have() -> None:
    stale = set(TABLE) - set(url_names())
    assert not stale, f"no such URL name any more: {sorted(stale)}"


@pytest.fixture
def world(recorded_seed, editor, copydesk, admin_user, reader) -> World:
    revision = recorded_seed.revision
    annotation = dispute(revision, editor)
    comment = services.comment_add(annotation=annotation, author=editor, body="Checking the tape.")
    correction = services.correction_draft(
        article=recorded_seed.article, proposer=editor, annotations=[annotation], note=NOTE
    )
    return World(
        slug=recorded_seed.article.slug,
        number=revision.number,
        annotation=annotation,
        comment=comment,
        correction=correction,
        flagged=putin_index(revision),
        users={"reader": reader, "editor": editor, "copydesk": copydesk, "admin": admin_user},
        batch_id=_pending_import(editor).pk,
    )


def _pending_import(author: User) -> ImportBatch:
    """An upload of the corrected seed, written but not yet analysed by a worker."""
    draft = read_capture(corrected_seed_text(SEED_PATH.read_text(encoding="utf-8")).encode())
    capture = CaptureIn(filename="corrected.txt", capture_sha256="0" * 64, draft=draft)
    return import_batch_create(captures=[capture], author=author, label="corrected.txt")


def snapshot() -> dict[str, object]:
    """What a write would change: the rows of the record and review, and their states."""
    counted = (
        Article,
        Revision,
        Analysis,
        Activity,
        Annotation,
        Comment,
        CommentVersion,
        Correction,
        FlagDecision,
        Follow,
        Notification,
        Placement,
    )
    return {
        "counts": {model.__name__: model.objects.count() for model in counted},
        "annotations": list(Annotation.objects.values_list("pk", "status", "assignee_id")),
        "comments": list(Comment.objects.values_list("pk", "body")),
        "corrections": list(Correction.objects.values_list("pk", "state", "note", "base_revision")),
        "unread": Notification.objects.filter(read_at__isnull=True).count(),
    }


def send(client: Client, probe: Probe, world: World) -> object:
    kwargs = world.kwargs()
    kwargs["pk"] = getattr(world, probe.pk).pk if probe.pk else None
    path = probe.path.format(**kwargs)
    data = probe.data(world) if callable(probe.data) else probe.data
    method = getattr(client, probe.method.lower())
    if probe.json:
        return method(path, json.dumps(data), content_type="application/json")
    if probe.method == "GET":
        return method(path)
    if probe.method == "POST":
        return method(path, data, **HTMX)
    raise AssertionError(f"no way to send {probe.method} to a page")


def observed(response) -> int | str:  # type: ignore[no-untyped-def]
    """The response's status, or LOGIN/ADMIN_LOGIN for a redirect to a login page."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
    return response.status_code


PROBES = [
    pytest.param(name, index, role, id=f"{name}-{probe.method}-{role}")
    for name, probes in TABLE.items()
    for index, probe in enumerate(probes)
    for role in ROLES
]


@pytest.mark.parametrize(("name", "index", "role"), PROBES)
def test_role_gets_the_expected_status(world: World, name: str, index: int, role: str) -> None:
    probe = TABLE[name][index]
    client = Client() if role == "anonymous" else client_for(world.users[role])
    before = snapshot()
    response = send(client, probe, world)
    expected = probe.expected[role]
    assert observed(response) == expected, (
        f"{probe.method} {name} as {role}: expected {expected}, "
        f"got {response.status_code} {response.get('Location', '')}"
    )
    if expected in REFUSED:
        assert snapshot() == before, f"{probe.method} {name} as {role} was refused but wrote"
