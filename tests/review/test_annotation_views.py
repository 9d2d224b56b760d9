"""Annotating in the browser's HTTP: forms with and without htmx, permissions, panels, queue."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from review import services
from review.models import Annotation, FlagDecision, Notification
from tests.conftest import client_for, visible_text
from tests.review.test_annotations import PUTIN, dispute, macron_index, putin_index

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def reading(client: Client, revision, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    url = f"/articles/{revision.article.slug}/revisions/{revision.number}/"
    return client.get(f"{url}?{query}" if query else url).content.decode()


def create_url(revision) -> str:
    return f"/articles/{revision.article.slug}/revisions/{revision.number}/annotations/"


def form_data(revision, **extra) -> dict[str, object]:
    at = revision.body.index(PUTIN)
    data: dict[str, object] = {
        "kind": "disputed_attribution",
        "exact": PUTIN,
        "start": at,
        "end": at + len(PUTIN),
        "comment": "It was Zelensky. @cal please check",
        "proposed_speaker_text": "Volodymyr Zelensky",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("htmx", [False, True])
def test_the_dispute_form_is_prefilled_with_the_suggested_speaker(
    editor_client: Client, recorded_seed, htmx: bool
) -> None:
    revision = recorded_seed.revision
    index = putin_index(revision)
    url = f"/articles/{revision.article.slug}/revisions/1/annotate/?attribution={index}"
    response = editor_client.get(url, **(HTMX if htmx else {}))
    html = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in html) is not htmx  # the fragment alone for htmx
    assert "Putin is named only here; the sentences around it are about Volodymyr Zelensky" in html
    assert re.search(r'name="proposed_speaker_text"[^>]*value="Volodymyr Zelensky"', html)
    assert re.search(r'<option value="disputed_attribution" selected>', html)
    assert PUTIN in html


@pytest.mark.parametrize("htmx", [False, True])
def test_saving_an_annotation_returns_to_it_in_context(
    editor_client: Client, recorded_seed, copydesk, htmx: bool
) -> None:
    revision = recorded_seed.revision
    response = editor_client.post(
        create_url(revision), form_data(revision), **(HTMX if htmx else {})
    )
    annotation = Annotation.objects.get()
    target = f"/articles/{revision.article.slug}/revisions/1/?annotation={annotation.pk}"
    if htmx:
        assert response.status_code == 200 and response["HX-Redirect"] == target
    else:
        assert response.status_code == 302 and response["Location"] == target
    assert Notification.objects.filter(recipient=copydesk, verb="mention").exists()


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"comment": ""}, "Write a comment: say what is wrong."),
        ({"start": 10, "end": 999_999}, "outside the text"),
        ({"exact": "Words that are not on the page"}, "The text has changed since you selected it"),
        ({"proposed_person": 4242}, "Unknown person: choose one from the registry."),
    ],
)
def test_bad_input_shows_a_message_on_the_form_and_writes_nothing(
    editor_client: Client, recorded_seed, htmx: bool, extra, message: str
) -> None:
    revision = recorded_seed.revision
    response = editor_client.post(
        create_url(revision), form_data(revision, **extra), **(HTMX if htmx else {})
    )
    assert response.status_code == 422
    assert message in visible_text(response.content.decode())
    assert Annotation.objects.count() == 0


def test_an_unknown_revision_is_a_404(editor_client: Client, recorded_seed) -> None:
    revision = recorded_seed.revision
    url = f"/articles/{revision.article.slug}/revisions/9/annotations/"
    assert editor_client.post(url, form_data(revision)).status_code == 404
    assert Annotation.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"), [("reader", 403), ("editor", 302), ("copydesk", 302), ("admin_user", 302)]
)
def test_who_may_annotate(request, recorded_seed, who: str, status: int) -> None:
    client = client_for(request.getfixturevalue(who))
    revision = recorded_seed.revision
    assert client.post(create_url(revision), form_data(revision)).status_code == status


def test_anonymous_users_are_sent_to_the_login_page(client: Client, recorded_seed) -> None:
    revision = recorded_seed.revision
    for url in (create_url(revision), "/annotations/", "/notifications/"):
        response = (
            client.post(url, form_data(revision))
            if url.endswith("annotations/") and "revisions" in url
            else client.get(url)
        )
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Annotation.objects.count() == 0


def test_the_annotation_is_marked_in_the_text_and_listed(
    editor_client: Client, recorded_seed, editor
) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    html = reading(editor_client, recorded_seed.revision)
    marked = re.findall(rf'<span class="anno" data-anno="{annotation.pk}">(.*?)</span>', html)
    assert visible_text("".join(marked)) == PUTIN
    assert f'data-anno-mark="{annotation.pk}"' in html  # a numbered marker, not colour alone
    panel = visible_text(html[html.index('id="annotations"') :])
    assert "Disputed attribution Open" in panel
    assert "Proposed speaker: Volodymyr Zelensky" in panel


def test_a_deep_link_selects_the_annotation_and_opens_its_thread(
    editor_client: Client, recorded_seed, editor
) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    html = reading(editor_client, recorded_seed.revision, annotation=annotation.pk)
    item = re.search(
        rf'<li class="([^"]*)" id="annotation-{annotation.pk}"[^>]*data-selected', html
    )
    assert item and "selected" in item.group(1)
    assert re.search(r'<details class="thread" open>', html)


def test_a_deep_link_selects_the_attribution(editor_client: Client, recorded_seed) -> None:
    index = putin_index(recorded_seed.revision)
    html = reading(editor_client, recorded_seed.revision, attribution=index)
    assert re.search(rf'<li class="[^"]*selected" id="attribution-{index}" data-selected>', html)


@pytest.mark.parametrize("htmx", [False, True])
def test_dismissing_a_flag_collapses_it_with_who_and_why(
    editor_client: Client, recorded_seed, htmx: bool
) -> None:
    revision = recorded_seed.revision
    index = macron_index(revision)
    url = f"/articles/{revision.article.slug}/revisions/1/attributions/{index}/dismiss/"
    response = editor_client.post(url, {"reason": "Properly introduced."}, **(HTMX if htmx else {}))
    assert response.status_code == (200 if htmx else 302)
    assert FlagDecision.objects.get().decision == "dismissed"
    text = visible_text(reading(editor_client, revision))
    assert "Dismissed by eda: Properly introduced." in text


def test_a_dismissal_without_a_reason_is_refused(editor_client: Client, recorded_seed) -> None:
    revision = recorded_seed.revision
    url = f"/articles/{revision.article.slug}/revisions/1/attributions/{macron_index(revision)}/dismiss/"
    response = editor_client.post(url, {"reason": ""}, **HTMX)
    assert response.status_code == 422
    assert "Give a short reason" in response.content.decode()
    assert FlagDecision.objects.count() == 0


def test_the_macron_dismissal_holds_on_the_next_revision(
    editor_client: Client, recorded_seed, recorded_correction, editor
) -> None:
    first = recorded_seed.revision
    services.flag_dismiss(
        revision=first, attribution_index=macron_index(first), actor=editor, reason="Fine."
    )
    text = visible_text(reading(editor_client, recorded_correction.revision))
    assert "Dismissed by eda: Fine." in text


def test_revision_two_shows_the_dispute_as_changed(
    editor_client: Client, recorded_seed, editor, seed_text
) -> None:
    dispute(recorded_seed.revision, editor)
    from articles.ingest import read_capture
    from articles.services import revision_record
    from tests.conftest import corrected_seed_text

    later = revision_record(
        draft=read_capture(corrected_seed_text(seed_text).encode(), filename="c.txt")
    ).revision
    panel = visible_text(reading(editor_client, later).split('id="annotations"')[1])
    assert "changed: re-check" in panel
    assert "Now reads Zelensky asked for two Patriot batteries" in panel


def test_replying_editing_and_resolving_through_the_forms(recorded_seed, editor, copydesk) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    cal, eda = client_for(copydesk), client_for(editor)
    assert (
        cal.post(
            f"/annotations/{annotation.pk}/comments/", {"body": "Agreed", "revision": 1}
        ).status_code
        == 302
    )
    comment = annotation.comments.get(author=copydesk)
    assert eda.post(f"/comments/{comment.pk}/edit/", {"body": "Hijacked"}).status_code == 403
    assert (
        cal.post(f"/comments/{comment.pk}/edit/", {"body": "Agreed: AFP says Zelensky"}).status_code
        == 302
    )
    response = eda.post(
        f"/annotations/{annotation.pk}/status/", {"action": "resolve", "reason": "Corrected"}
    )
    assert response.status_code == 302
    text = visible_text(reading(eda, recorded_seed.revision, annotation=annotation.pk))
    assert re.search(
        r"cal @cal · [^·]+ edited Agreed: AFP says Zelensky Earlier versions \(1\)", text
    )
    assert "eda resolved it" in text and "Corrected" in text


def test_the_status_form_refuses_other_editors(recorded_seed, editor, make_user) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    other = client_for(make_user("otto", "Editors"))
    response = other.post(
        f"/annotations/{annotation.pk}/status/", {"action": "reject", "reason": "no"}, **HTMX
    )
    assert response.status_code == 403
    annotation.refresh_from_db()
    assert annotation.status == "open"


def test_the_queue_lists_and_filters_annotations(
    editor_client: Client, recorded_seed, editor, copydesk
) -> None:
    first = dispute(recorded_seed.revision, editor)
    services.annotation_create(
        revision=recorded_seed.revision,
        author=copydesk,
        kind="style",
        start=None,
        end=None,
        exact="Blinken has made four trips to Kyiv",
        comment="House style: four visits",
    )
    all_rows = visible_text(editor_client.get("/annotations/").content.decode())
    assert "Putin asked" in all_rows and "four trips" in all_rows
    only = editor_client.get("/annotations/?kind=disputed_attribution", **HTMX).content.decode()
    assert "Putin asked" in only and "four trips" not in only and "<html" not in only
    assert f"?annotation={first.pk}" in only
    by_author = visible_text(editor_client.get("/annotations/?author=cal").content.decode())
    assert "four trips" in by_author and "Putin asked" not in by_author


def test_the_queue_finds_annotations_that_need_attention(
    editor_client: Client, recorded_seed, editor, seed_text
) -> None:
    dispute(recorded_seed.revision, editor)
    from articles.ingest import read_capture
    from articles.services import revision_record
    from tests.conftest import corrected_seed_text

    revision_record(draft=read_capture(corrected_seed_text(seed_text).encode(), filename="c.txt"))
    # Nobody has opened revision 2 yet: the queue places the note itself.
    html = editor_client.get("/annotations/?placement=attention").content.decode()
    assert "Putin asked" in html and "changed: re-check" in html
    assert (
        "Putin asked" not in editor_client.get("/annotations/?placement=carried").content.decode()
    )


def test_the_desk_counts_open_annotations(editor_client: Client, recorded_seed, editor) -> None:
    dispute(recorded_seed.revision, editor)
    text = visible_text(editor_client.get("/").content.decode())
    assert "Open annotations" in text and "1 open" in text


def test_notifications_page_and_unread_count(recorded_seed, editor, copydesk) -> None:
    dispute(recorded_seed.revision, editor, comment="@cal have a look")
    cal = client_for(copydesk)
    html = cal.get("/notifications/").content.decode()
    assert re.search(r'class="unread-count"[^>]*>1<', html)
    assert "eda mentioned you on “Putin asked" in visible_text(html)
    assert cal.post("/notifications/read/").status_code == 302
    html = cal.get("/notifications/").content.decode()
    assert "unread-count" not in html and "No unread notifications." in html


def _annotate_n(revision, author, n: int) -> None:
    words = revision.body.split()
    for i in range(n):
        at = revision.body.index(words[i * 3])
        services.annotation_create(
            revision=revision,
            author=author,
            kind="style",
            start=at,
            end=at + len(words[i * 3]),
            comment=f"note {i}",
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["reading", "compare", "queue"])
def test_query_counts_do_not_grow_with_annotations(
    editor_client: Client, recorded_correction, editor, settings, page: str
) -> None:
    settings.PAGE_CACHE = False  # count the render, not a cached copy (test_page_cache.py)
    slug = recorded_correction.article.slug
    latest = recorded_correction.revision
    url = {
        "reading": f"/articles/{slug}/",
        "compare": f"/articles/{slug}/compare/?from=1&to=2",
        "queue": "/annotations/",
    }[page]
    counts = []
    made = 0
    for n in (1, 10, 50):
        _annotate_n(latest, editor, n - made)
        made = n
        editor_client.get(url)  # warm: placements and caches written once
        counts.append(_queries(editor_client, url))
    assert counts[0] == counts[1] == counts[2], counts
