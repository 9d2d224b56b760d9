"""The public corrections log, its Atom feed and each correction's page, for
anonymous readers. Corrections are built and published through the real
services (the sign-off runs the spaCy pipeline)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import formats, timezone
from django.utils.html import escape

from articles.ingest import CaptureDraft
from articles.models import Revision
from articles.services import RecordResult, revision_record
from review import public_views, services
from review.models import Annotation, Correction
from tests.conftest import client_for, visible_text

ATOM = {"a": "http://www.w3.org/2005/Atom"}
DISPUTED = "Putin asked for two Patriot batteries for the Kharkiv area"
NOTE = (
    "Correction, 4 June 2024: an earlier version of this article said that Vladimir Putin "
    "asked for two Patriot batteries for the Kharkiv area. It was Volodymyr Zelensky."
)
UNPUBLISHED = ["draft", "submitted", "returned", "withdrawn"]
SCRIPT_TITLE = 'Strike near <script>alert("headline")</script> Kharkiv'
SCRIPT_NOTE = 'Correction: we wrote </script><script>alert("note")</script> & <b>more</b>.'


def dispute(revision: Revision, editor: User) -> Annotation:
    """The editor disputes "Putin asked ...": it was Zelensky."""
    start = revision.body.index(DISPUTED)
    return services.annotation_create(
        revision=revision,
        author=editor,
        kind=Annotation.Kind.DISPUTED_ATTRIBUTION,
        start=start,
        end=start + len(DISPUTED),
        exact=DISPUTED,
        comment="In context it was Zelensky who asked.",
        proposed_speaker_text="Volodymyr Zelensky",
    )


@pytest.fixture
def annotation(recorded_seed: RecordResult, editor: User) -> Annotation:
    return dispute(recorded_seed.revision, editor)


def publish(correction: Correction, editor: User, copydesk: User) -> Correction:
    services.correction_submit(correction=correction, actor=editor)
    return services.correction_sign_off(correction=correction, actor=copydesk)


@pytest.fixture
def published(annotation: Annotation, editor: User, copydesk: User) -> Correction:
    """The seed's misattribution corrected (Putin -> Zelensky) and published."""
    draft = services.correction_draft(
        article=annotation.article, proposer=editor, annotations=[annotation], note=NOTE
    )
    return publish(draft, editor, copydesk)


@pytest.fixture
def two_published(published: Correction, editor: User, copydesk: User) -> list[Correction]:
    """The correction, then a later clarification of the corrected text: oldest first."""
    latest = published.published_revision
    draft = services.correction_draft(
        article=published.article,
        proposer=editor,
        kind=Correction.Kind.CLARIFICATION,
        note="Clarification: the Kharkiv region, not only the city.",
        body=latest.body.replace("Kharkiv area", "Kharkiv region"),
    )
    return [published, publish(draft, editor, copydesk)]


@pytest.fixture
def unpublished(annotation: Annotation, editor: User, copydesk: User) -> dict[str, Correction]:
    """One correction in each state short of publication, each with its own note."""

    def draft(state: str) -> Correction:
        return services.correction_draft(
            article=annotation.article,
            proposer=editor,
            annotations=[annotation],
            note=f"Unpublished {state} note",
        )

    submitted = services.correction_submit(correction=draft("submitted"), actor=editor)
    returned = services.correction_submit(correction=draft("returned"), actor=editor)
    returned = services.correction_return(
        correction=returned, actor=copydesk, comment="Say which version was wrong."
    )
    withdrawn = services.correction_withdraw(correction=draft("withdrawn"), actor=editor)
    found = {
        "draft": draft("draft"),
        "submitted": submitted,
        "returned": returned,
        "withdrawn": withdrawn,
    }
    assert {state: c.state for state, c in found.items()} == {s: s for s in UNPUBLISHED}
    return found


@pytest.fixture
def scripted(annotation: Annotation, editor: User, copydesk: User) -> Correction:
    """A published correction whose headline and note hold markup and a script."""
    draft = services.correction_draft(
        article=annotation.article,
        proposer=editor,
        annotations=[annotation],
        note=SCRIPT_NOTE,
        title=SCRIPT_TITLE,
    )
    correction = publish(draft, editor, copydesk)
    assert correction.published_revision.title == SCRIPT_TITLE
    return correction


def page_of(correction: Correction) -> str:
    return f"/corrections/{correction.pk}/"


def feed_entries(client: Client) -> list[ET.Element]:
    response = client.get("/corrections/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall("a:entry", ATOM)  # noqa: S314 - our own feed


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


# --------------------------------------------------------------------------
# the log


def test_log_lists_published_corrections_newest_first_for_anonymous_readers(
    client: Client, two_published: list[Correction]
) -> None:
    response = client.get("/corrections/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    older, newer = (text.index(c.note) for c in two_published)
    assert newer < older


def test_log_entry_shows_headline_kind_date_and_a_link_to_its_page(
    client: Client, published: Correction
) -> None:
    html = client.get("/corrections/").content.decode()
    entry = html[html.index(f'id="correction-{published.pk}"') :]
    entry = entry[: entry.index("</li>")]
    text = visible_text(entry)
    assert published.published_revision.title in text
    assert "Correction" in text
    assert formats.date_format(timezone.localtime(published.published_at), "j F Y") in text
    assert f'href="{page_of(published)}"' in entry


def test_log_shows_times_in_the_newsroom_time_zone(
    client: Client, published: Correction, settings
) -> None:
    settings.TIME_ZONE = "Asia/Kathmandu"  # UTC+05:45: no other zone gives these minutes
    local = published.published_at.astimezone(timezone.get_default_timezone())
    text = visible_text(client.get("/corrections/").content.decode())
    assert f"{local:%H:%M}" in text
    assert f"{published.published_at:%H:%M}" not in text


def test_log_links_to_its_atom_feed_in_the_head_and_visibly(client: Client, db: None) -> None:
    html = client.get("/corrections/").content.decode()
    head = html[: html.index("</head>")]
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="/corrections/feed/"', head
    )
    body = html[html.index("<main") :]
    assert 'href="/corrections/feed/"' in body


def test_log_pages_older_corrections(
    client: Client, two_published: list[Correction], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public_views, "LOG_PAGE_SIZE", 1)
    older, newer = two_published
    first_html = client.get("/corrections/").content.decode()
    older_link = re.search(r'<a href="\?([^"]+)" rel="next">Older</a>', first_html)
    assert older_link is not None
    second_html = client.get("/corrections/?" + older_link.group(1).replace("&amp;", "&"))
    first, second = visible_text(first_html), visible_text(second_html.content.decode())
    assert newer.note in first and older.note not in first
    assert older.note in second and newer.note not in second
    assert "Newer" in second and "Older" not in second


def test_log_says_so_when_nothing_is_published(
    client: Client, unpublished: dict[str, Correction]
) -> None:
    text = visible_text(client.get("/corrections/").content.decode())
    assert "No corrections have been published." in text


def test_log_never_lists_unpublished_corrections(
    client: Client, unpublished: dict[str, Correction], published: Correction
) -> None:
    html = client.get("/corrections/").content.decode()
    assert published.note in visible_text(html)
    for correction in unpublished.values():
        assert correction.note not in html
        assert f'href="{page_of(correction)}"' not in html


# --------------------------------------------------------------------------
# the feed


def test_feed_has_an_entry_per_published_correction_newest_first(
    client: Client, two_published: list[Correction]
) -> None:
    entries = feed_entries(client)
    older, newer = two_published
    assert [e.findtext("a:summary", namespaces=ATOM) for e in entries] == [
        f"<p>{escape(newer.note)}</p>",
        f"<p>{escape(older.note)}</p>",
    ]
    titles = [e.findtext("a:title", namespaces=ATOM) for e in entries]
    assert titles == [
        f"Clarification: {newer.published_revision.title}",
        f"Correction: {older.published_revision.title}",
    ]


def test_feed_entry_links_to_the_public_page_with_its_publication_time(
    client: Client, published: Correction
) -> None:
    (entry,) = feed_entries(client)
    link = entry.find("a:link", ATOM)
    assert link is not None and link.get("href") == f"http://testserver{page_of(published)}"
    stated = datetime.fromisoformat(entry.findtext("a:published", namespaces=ATOM))
    assert stated == published.published_at
    assert entry.findtext("a:updated", namespaces=ATOM) is not None


def test_feed_entry_id_is_the_same_whatever_host_reads_it(published: Correction, settings) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "news.example.org"]
    ids = [
        feed_entries(Client(HTTP_HOST=host))[0].findtext("a:id", namespaces=ATOM)
        for host in ("testserver", "news.example.org")
    ]
    assert ids[0] == ids[1]
    assert ids[0].startswith("tag:") and ids[0].endswith(f":correction/{published.pk}")


def test_feed_holds_only_the_newest_entries(
    client: Client, two_published: list[Correction], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public_views, "FEED_SIZE", 1)
    entries = feed_entries(client)
    assert [e.findtext("a:summary", namespaces=ATOM) for e in entries] == [
        f"<p>{escape(two_published[1].note)}</p>"
    ]


def test_feed_never_lists_unpublished_corrections(
    client: Client, unpublished: dict[str, Correction], published: Correction
) -> None:
    entries = feed_entries(client)
    assert [e.findtext("a:summary", namespaces=ATOM) for e in entries] == [
        f"<p>{escape(published.note)}</p>"
    ]
    body = client.get("/corrections/feed/").content.decode()
    for correction in unpublished.values():
        assert correction.note not in body
        assert page_of(correction) not in body


# --------------------------------------------------------------------------
# a correction's public page


def test_public_page_shows_the_note_kind_date_and_headline(
    client: Client, published: Correction
) -> None:
    response = client.get(page_of(published))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert published.note in text
    assert published.published_revision.title in text
    assert "Correction" in text
    assert formats.date_format(timezone.localtime(published.published_at), "j F Y") in text


def test_public_page_shows_the_changed_sentence_before_and_after(
    client: Client, published: Correction
) -> None:
    html = client.get(page_of(published)).content.decode()
    changed = html[html.index('id="what-changed"') :]
    assert "<del>Putin</del>" in changed and "<ins>Zelensky</ins>" in changed
    assert changed.count('class="public-change') == 1


def test_public_page_leaves_out_unchanged_sentences(client: Client, published: Correction) -> None:
    first_sentence = published.base_revision.body.split(". ")[0]
    text = visible_text(client.get(page_of(published)).content.decode())
    assert first_sentence not in text


def test_public_page_describes_the_correction_in_json_ld(
    client: Client, published: Correction
) -> None:
    data = json_ld(client.get(page_of(published)).content.decode())
    revision = published.published_revision
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == revision.title
    assert datetime.fromisoformat(data["datePublished"]) == published.article.first_published
    assert datetime.fromisoformat(data["dateModified"]) == revision.stated_updated_at.replace(
        microsecond=0
    )
    assert data["correction"] == {
        "@type": "CorrectionComment",
        "text": NOTE,
        "datePublished": data["correction"]["datePublished"],
    }
    assert datetime.fromisoformat(
        data["correction"]["datePublished"]
    ) == published.published_at.replace(microsecond=0)


def test_json_ld_gives_the_article_url_when_it_is_known(
    client: Client, seed_draft: CaptureDraft, editor: User, copydesk: User
) -> None:
    url = "https://news.example.org/2024/05/14/blinken-ukraine"
    recorded = revision_record(draft=replace(seed_draft, canonical_url=url), filename="seed.txt")
    draft = services.correction_draft(
        article=recorded.article,
        proposer=editor,
        annotations=[dispute(recorded.revision, editor)],
        note=NOTE,
    )
    html = client.get(page_of(publish(draft, editor, copydesk))).content.decode()
    assert json_ld(html)["url"] == url
    assert f'<a href="{url}">Read the article</a>' in html


def test_json_ld_leaves_out_an_unknown_article_url(client: Client, published: Correction) -> None:
    assert published.article.canonical_url == ""
    assert "url" not in json_ld(client.get(page_of(published)).content.decode())


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_public_page_is_not_found_for_an_unpublished_correction(
    client: Client, unpublished: dict[str, Correction], state: str
) -> None:
    response = client.get(page_of(unpublished[state]))
    assert response.status_code == 404
    assert unpublished[state].note not in response.content.decode()


def test_public_page_is_not_found_for_an_unknown_correction(client: Client, db: None) -> None:
    assert client.get("/corrections/999999/").status_code == 404


def test_unpublished_correction_page_is_not_found_for_the_newsroom_either(
    unpublished: dict[str, Correction], editor: User
) -> None:
    """The public page is the public's: the newsroom works on drafts elsewhere."""
    assert client_for(editor).get(page_of(unpublished["draft"])).status_code == 404


@pytest.mark.parametrize("path", ["/corrections/", "/corrections/feed/", "/corrections/1/"])
def test_public_pages_refuse_to_change_anything(client: Client, db: None, path: str) -> None:
    assert client.post(path).status_code == 405


# --------------------------------------------------------------------------
# markup in a headline or a note is text, never markup


def test_log_escapes_markup_in_headline_and_note(client: Client, scripted: Correction) -> None:
    html = client.get("/corrections/").content.decode()
    assert "<script>alert" not in html and "<b>more</b>" not in html
    assert escape(SCRIPT_TITLE) in html and escape(SCRIPT_NOTE) in html


def test_public_page_escapes_markup_in_headline_and_note(
    client: Client, scripted: Correction
) -> None:
    html = client.get(page_of(scripted)).content.decode()
    assert "<script>alert" not in html and "<b>more</b>" not in html
    assert escape(SCRIPT_TITLE) in html and escape(SCRIPT_NOTE) in html


def test_json_ld_cannot_break_out_of_its_script(client: Client, scripted: Correction) -> None:
    html = client.get(page_of(scripted)).content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    block = html[start : html.index("</script>", start)]
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["headline"] == SCRIPT_TITLE
    assert data["correction"]["text"] == SCRIPT_NOTE


def test_feed_carries_markup_as_text(client: Client, scripted: Correction) -> None:
    body = client.get("/corrections/feed/").content.decode()
    assert "<script" not in body and "<b>" not in body
    (entry,) = feed_entries(client)
    assert entry.findtext("a:title", namespaces=ATOM) == f"Correction: {SCRIPT_TITLE}"
    # The summary is type="html": what a feed reader renders is the escaped note, as text.
    summary = entry.find("a:summary", ATOM)
    assert summary is not None and summary.get("type") == "html"
    assert summary.text == f"<p>{escape(SCRIPT_NOTE)}</p>"


# --------------------------------------------------------------------------
# everything else still needs a login


@pytest.mark.parametrize("path", ["/", "/annotations/", "/notifications/", "/import/"])
def test_other_pages_still_send_anonymous_readers_to_log_in(
    client: Client, db: None, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_reading_desk_still_needs_a_login(client: Client, published: Correction) -> None:
    response = client.get(f"/articles/{published.article.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
