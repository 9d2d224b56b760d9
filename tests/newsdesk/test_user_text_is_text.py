"""Every user-supplied string shows as text, never as HTML, on every page that shows it.

One newsroom where every string a person types holds a ``<script>`` element and an
``<img src=x onerror=...>``: the article's headline, body, byline and standfirst, the
credited source, a person, usernames and full names, comments, evidence notes,
proposed speakers, correction notes and return comments. Each page (and the Atom feed,
and the JSON-LD) is then checked twice: nothing in it is executable markup that the
app did not write itself, and each string it shows reads as the string typed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.ingest import CaptureDraft
from articles.models import Person, Revision
from articles.services import revision_record
from review import services
from review.models import Annotation, Correction
from tests.conftest import client_for, visible_text

DISPUTED = "Putin asked for two Patriot batteries for the Kharkiv area"


def payload(field: str) -> str:
    """What a hostile (or careless) person types into ``field``."""
    return f'<script>alert("{field}")</script><img src=x onerror=alert("{field}")> {field}'


@dataclass
class Newsroom:
    slug: str
    editor: User
    copydesk: User
    published: Correction
    pending: Correction


@pytest.fixture
def newsroom(
    db: None,
    seed_draft: CaptureDraft,
    make_user,
    settings,  # type: ignore[no-untyped-def]
) -> Newsroom:
    settings.ALLOWED_HOSTS = ["testserver"]
    editor = make_user(payload("username"), "Editors")
    copydesk = make_user("cal", "Copy desk")
    copydesk.first_name = payload("full name")
    copydesk.save()
    person = Person.objects.create(name=payload("person"))
    body = seed_draft.body + "\n\n" + f"The minister wrote {payload('body')} on Tuesday."
    draft = replace(
        seed_draft,
        title=payload("title"),
        standfirst=payload("standfirst"),
        byline=payload("byline"),
        credited_source=payload("source"),
        body=body,
    )
    revision: Revision = revision_record(draft=draft, filename="hostile.txt").revision
    start = revision.body.index(DISPUTED)
    dispute = services.annotation_create(
        revision=revision,
        author=editor,
        kind=Annotation.Kind.DISPUTED_ATTRIBUTION,
        start=start,
        end=start + len(DISPUTED),
        exact=DISPUTED,
        comment=payload("comment"),
        proposed_speaker_text=payload("proposed speaker"),
        evidence_note=payload("evidence note"),
    )
    services.comment_add(
        annotation=dispute, author=copydesk, body=f"{payload('reply')} @{editor.username}"
    )
    hostile = revision.body.index("The minister wrote")
    services.annotation_create(
        revision=revision,
        author=editor,
        kind=Annotation.Kind.FACT,
        start=hostile,
        end=hostile + len("The minister wrote ") + len(payload("body")),
        comment="Check what the minister wrote.",
        proposed_person=person,
    )
    draft_correction = services.correction_draft(
        article=revision.article, proposer=editor, annotations=[dispute], note=payload("note")
    )
    services.correction_submit(correction=draft_correction, actor=editor)
    published = services.correction_sign_off(correction=draft_correction, actor=copydesk)
    latest = published.published_revision
    assert latest is not None
    pending = services.correction_draft(
        article=revision.article,
        proposer=editor,
        note=payload("pending note"),
        body=latest.body.replace("on Tuesday.", "on Wednesday."),
    )
    services.correction_submit(correction=pending, actor=editor)
    services.correction_return(correction=pending, actor=copydesk, comment=payload("return"))
    services.correction_revise(correction=pending, actor=editor)
    services.correction_submit(correction=pending, actor=editor)
    return Newsroom(revision.article.slug, editor, copydesk, published, pending)


class _Markup(HTMLParser):
    """What in a page could run: scripts, event handler attributes, images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        handlers = [name for name in attributes if name.startswith("on")]
        if handlers:
            self.found.append(f"<{tag}> with {', '.join(handlers)}")
        if tag == "img" and attributes.get("src") == "x":
            self.found.append("<img src=x>")
        if tag == "script":
            kind = attributes.get("type") or ""
            src = attributes.get("src") or ""
            if kind != "application/ld+json" and not src.startswith("/static/"):
                self.found.append(f"<script> {attributes}")


def executable_markup(html: str) -> list[str]:
    """Scripts, handlers and images in ``html`` that the app's own templates do not write."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.found


Page = tuple[str, str, list[str]]  # (who looks, URL, the strings it shows)

#: Every page that shows a user-supplied string, who looks at it and which strings
#: it shows. ``{slug}``, ``{published}``, ``{pending}``, and ``{comment}``
#: are filled in from the newsroom.
PAGES: dict[str, Page] = {
    "desk": ("editor", "/", ["title", "source"]),
    # Markup that also matches on PostgreSQL full-text search (its parser drops <script>).
    "desk search": ("editor", "/?q=" + "%3Cimg%20src%3Dx", ["title", "source"]),
    "reading desk": (
        "editor",
        "/articles/{slug}/",
        [
            *("title", "standfirst", "byline", "body", "source", "note"),
            *("comment", "reply", "proposed speaker", "evidence note", "username", "full name"),
        ],
    ),
    "reading desk, revision 1": (
        "copydesk",
        "/articles/{slug}/revisions/1/",
        [
            *("title", "standfirst", "byline", "body", "source"),
            *("comment", "reply", "proposed speaker", "evidence note", "username", "full name"),
        ],
    ),
    "annotate form": (
        "editor",
        "/articles/{slug}/revisions/1/annotate/",
        ["person"],
    ),
    "compare": ("editor", "/articles/{slug}/compare/?from=1&to=2", ["title", "body"]),
    "history": (
        "editor",
        "/articles/{slug}/history/",
        ["title", "username", "full name", "proposed speaker", "return"],
    ),
    "annotations queue": (
        "editor",
        "/annotations/",
        ["source", "person", "proposed speaker", "username", "full name"],
    ),
    "corrections queue": (
        "copydesk",
        "/review/corrections/",
        ["title", "body", "source", "pending note", "username"],
    ),
    "correction page": (
        "copydesk",
        "/review/corrections/{pending}/",
        ["title", "body", "pending note", "return", "username", "full name"],
    ),
    "published correction page": (
        "editor",
        "/review/corrections/{published}/",
        ["title", "note", "comment", "reply", "username", "full name"],
    ),
    "correction form": (
        "editor",
        "/articles/{slug}/corrections/new/",
        ["title", "standfirst", "body"],
    ),
    "correction edit form": (
        "editor",
        "/review/corrections/{pending}/edit/",
        ["title", "standfirst", "body", "pending note"],
    ),
    "comment edit form": ("copydesk", "/comments/{comment}/edit/", ["reply"]),
    "notifications": ("editor", "/notifications/", ["full name", "return"]),
    "public corrections log": ("anonymous", "/corrections/", ["title", "note"]),
    "public correction page": ("anonymous", "/corrections/{published}/", ["title", "note"]),
}


def _client(newsroom: Newsroom, who: str) -> Client:
    if who == "anonymous":
        return Client()
    return client_for(newsroom.editor if who == "editor" else newsroom.copydesk)


def _url(newsroom: Newsroom, template: str) -> str:
    reply = newsroom.published.annotations.get().comments.get(author=newsroom.copydesk)
    return template.format(
        slug=newsroom.slug,
        published=newsroom.published.pk,
        pending=newsroom.pending.pk,
        comment=reply.pk,
    )


@pytest.mark.parametrize("page", PAGES)
def test_each_page_shows_user_text_as_text_and_runs_none_of_it(
    newsroom: Newsroom, page: str
) -> None:
    who, template, fields = PAGES[page]
    response = _client(newsroom, who).get(_url(newsroom, template))
    assert response.status_code == 200
    html = response.content.decode()
    assert executable_markup(html) == []
    shown = visible_text(html)
    assert [f for f in fields if payload(f) not in shown] == []


def test_a_search_for_markup_is_shown_back_as_text(newsroom: Newsroom) -> None:
    response = _client(newsroom, "editor").get("/", {"q": payload("search")})
    html = response.content.decode()
    assert executable_markup(html) == []
    box = re.search(r'<input[^>]*name="q"[^>]*>', html)
    assert box is not None
    assert 'value="&lt;script&gt;alert(&quot;search&quot;)&lt;/script&gt;&lt;img' in box.group()


def test_a_selection_holding_markup_is_shown_back_as_text(newsroom: Newsroom) -> None:
    url = _url(newsroom, "/articles/{slug}/revisions/1/annotate/")
    response = _client(newsroom, "editor").get(url, {"exact": payload("selection")})
    html = response.content.decode()
    assert executable_markup(html) == []
    assert payload("selection") in visible_text(html)  # in the Passage box, as text


ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_the_atom_feed_carries_headline_and_note_as_text(newsroom: Newsroom) -> None:
    response = Client().get("/corrections/feed/")
    assert b"<script" not in response.content and b"<img" not in response.content
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    (entry,) = root.findall("a:entry", ATOM)
    assert entry.findtext("a:title", namespaces=ATOM) == f"Correction: {payload('title')}"
    summary = entry.find("a:summary", ATOM)
    assert summary is not None and summary.get("type") == "html"
    # What a feed reader renders: the summary's HTML, in which the note is text.
    assert executable_markup(summary.text or "") == []
    assert visible_text(summary.text or "") == payload("note")


def test_the_json_ld_is_inert_and_says_headline_and_note(newsroom: Newsroom) -> None:
    html = Client().get(f"/corrections/{newsroom.published.pk}/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    (block,) = blocks
    assert not set(block) & set("<>&")  # nothing in it can end the script or open markup
    data = json.loads(block)
    assert data["headline"] == payload("title")
    assert data["correction"]["text"] == payload("note")
