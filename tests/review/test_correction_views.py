"""Drafting, the correction page, the copy-desk queue and the History tab over HTTP."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from review import services
from review.models import Correction
from tests.conftest import client_for, visible_text
from tests.review.test_annotations import dispute

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOTE = "Correction, 4 June 2024: An earlier version misattributed the request. It was Zelensky."


def paragraphs(html: str) -> list[str]:
    import html as html_lib

    return [
        html_lib.unescape(p)
        for p in re.findall(r'<textarea[^>]*name="paragraph"[^>]*>(.*?)</textarea>', html, re.S)
    ]


def new_url(article, *ids: int) -> str:
    query = "&".join(f"annotation={i}" for i in ids)
    return f"/articles/{article.slug}/corrections/new/" + (f"?{query}" if query else "")


def post_data(base_body: str, **extra) -> dict:
    data = {
        "kind": "correction",
        "title": "US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances",
        "standfirst": "US Secretary of State Antony Blinken pledges unwavering support for Ukraine "
        "following the approval of a $61 billion financial aid package by Congress",
        "byline": "Yagiz Efe Parmaksiz",
        "note": NOTE,
        "paragraph": [p for p in base_body.replace("Putin asked", "Zelensky asked").split("\n\n")],
    }
    data.update(extra)
    return data


def test_drafting_from_a_dispute_opens_the_sentence_with_the_speaker_replaced(
    editor_client: Client, recorded_seed, editor
) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    html = editor_client.get(new_url(recorded_seed.article, annotation.pk)).content.decode()
    texts = paragraphs(html)
    assert any("In particular, Zelensky asked for two Patriot batteries" in t for t in texts)
    assert not any("Putin asked" in t for t in texts)
    affected = re.findall(
        r'<textarea[^>]*class="paragraph affected"[^>]*>(.*?)</textarea>', html, re.S
    )
    assert len(affected) == 1 and "Zelensky asked" in affected[0]
    note = visible_text(html)
    assert re.search(
        r"Correction, \d{1,2} \w+ \d{4}: An earlier version of this article said that", note
    )
    assert "It was Volodymyr Zelensky who asked." in note


@pytest.mark.parametrize("htmx", [False, True])
def test_the_preview_shows_the_speaker_change_with_the_compare_engine(
    editor_client: Client, recorded_seed, htmx: bool
) -> None:
    body = recorded_seed.revision.body
    url = f"/articles/{recorded_seed.article.slug}/corrections/preview/"
    response = editor_client.post(url, {**post_data(body), "base": 1}, **(HTMX if htmx else {}))
    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "Revision 1 → proposed: 1 changed, 0 added, 0 deleted, 0 moved" in text
    assert "speaker changed Putin → Zelensky" in text


def test_submitting_a_draft_sends_it_to_the_copy_desk(
    editor_client: Client, recorded_seed, editor, copydesk
) -> None:
    annotation = dispute(recorded_seed.revision, editor)
    data = {**post_data(recorded_seed.revision.body), "annotation": [annotation.pk], "submit": "1"}
    response = editor_client.post(new_url(recorded_seed.article), data)
    correction = Correction.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/review/corrections/{correction.pk}/"
    )
    assert correction.state == "submitted" and list(correction.annotations.all()) == [annotation]
    queue = visible_text(client_for(copydesk).get("/review/corrections/").content.decode())
    assert "Corrections waiting for sign-off 1" in queue
    assert "speaker changed Putin → Zelensky" in queue
    assert NOTE in queue


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"note": ""}, "Write the public note: a correction is never silent."),
        ({"paragraph": None}, "The proposed text is the same as revision 1"),
        ({"title": ""}, "Headline: This field is required."),
    ],
)
def test_bad_drafts_are_refused_with_a_message_and_write_nothing(
    editor_client: Client, recorded_seed, extra, message: str
) -> None:
    body = recorded_seed.revision.body
    data = post_data(body, **extra)
    if "paragraph" in extra:
        data["paragraph"] = body.split("\n\n")
    response = editor_client.post(new_url(recorded_seed.article), data)
    assert response.status_code == 422
    assert message in visible_text(response.content.decode())
    assert Correction.objects.count() == 0


def test_an_unknown_or_foreign_annotation_is_refused(
    editor_client: Client, recorded_seed, editor
) -> None:
    response = editor_client.get(new_url(recorded_seed.article, 4242), follow=True)
    assert "Unknown annotation(s): 4242" in visible_text(response.content.decode())
    assert Correction.objects.count() == 0


def _submitted(recorded_seed, editor):
    annotation = dispute(recorded_seed.revision, editor)
    correction = services.correction_draft(
        article=recorded_seed.article, proposer=editor, annotations=[annotation], note=NOTE
    )
    return services.correction_submit(correction=correction, actor=editor)


@pytest.mark.parametrize(
    ("who", "status"), [("editor", 403), ("copydesk", 302), ("admin_user", 302)]
)
def test_only_the_copy_desk_and_admins_sign_off(
    request, recorded_seed, editor, who: str, status: int, make_user
) -> None:
    proposer = make_user("pat", "Editors")
    correction = _submitted(recorded_seed, proposer)
    client = client_for(request.getfixturevalue(who))
    response = client.post(f"/review/corrections/{correction.pk}/sign-off/", **HTMX)
    assert response.status_code == (status if status == 403 else 200)
    correction.refresh_from_db()
    assert correction.state == ("submitted" if status == 403 else "published")


def test_nobody_signs_off_their_own_correction(recorded_seed, copydesk) -> None:
    correction = _submitted(recorded_seed, copydesk)
    response = client_for(copydesk).post(
        f"/review/corrections/{correction.pk}/sign-off/", follow=True
    )
    assert "You cannot sign off your own correction (four eyes)." in visible_text(
        response.content.decode()
    )
    correction.refresh_from_db()
    assert correction.state == "submitted"


def test_returning_needs_a_comment_and_reaches_the_proposer(
    recorded_seed, editor, copydesk
) -> None:
    correction = _submitted(recorded_seed, editor)
    cal = client_for(copydesk)
    refused = cal.post(f"/review/corrections/{correction.pk}/return/", {"comment": ""}, follow=True)
    assert "Say why you return it" in visible_text(refused.content.decode())
    correction.refresh_from_db()
    assert correction.state == "submitted"
    cal.post(f"/review/corrections/{correction.pk}/return/", {"comment": "Cite the wire."})
    correction.refresh_from_db()
    assert correction.state == "returned"
    page = visible_text(
        client_for(editor).get(f"/review/corrections/{correction.pk}/").content.decode()
    )
    assert "submitted → returned — “Cite the wire.”" in page


def test_signing_off_publishes_revision_two_with_the_note(
    editor_client: Client, recorded_seed, editor, copydesk
) -> None:
    correction = _submitted(recorded_seed, editor)
    client_for(copydesk).post(f"/review/corrections/{correction.pk}/sign-off/")
    correction.refresh_from_db()
    assert correction.state == "published" and correction.published_revision.number == 2
    reading = visible_text(
        editor_client.get(f"/articles/{recorded_seed.article.slug}/").content.decode()
    )
    assert "In particular, Zelensky asked for two Patriot batteries" in reading
    assert NOTE in reading
    compare = visible_text(
        editor_client.get(
            f"/articles/{recorded_seed.article.slug}/compare/?from=1&to=2"
        ).content.decode()
    )
    assert "speaker changed Putin → Zelensky" in compare


def test_a_stale_correction_says_so_and_can_be_rebased(
    editor_client: Client, recorded_seed, editor, copydesk, seed_text
) -> None:
    correction = _submitted(recorded_seed, editor)
    from articles.ingest import read_capture
    from articles.services import revision_record

    later = seed_text.replace("In Kyiv, Russian forces", "In Kyiv on Tuesday, Russian forces")
    revision_record(draft=read_capture(later.encode(), filename="later.txt"))
    page = visible_text(editor_client.get(f"/review/corrections/{correction.pk}/").content.decode())
    assert "but the latest is revision 2: rebase it onto the latest" in page
    refused = client_for(copydesk).post(
        f"/review/corrections/{correction.pk}/sign-off/", follow=True
    )
    assert "rebase it onto the latest first" in visible_text(refused.content.decode())
    editor_client.post(f"/review/corrections/{correction.pk}/rebase/")
    correction.refresh_from_db()
    assert correction.base_revision.number == 2 and correction.state == "draft"
    assert "In Kyiv on Tuesday" in correction.body and "Zelensky asked" in correction.body


def test_the_desk_shows_corrections_waiting_to_the_copy_desk_only(
    recorded_seed, editor, copydesk
) -> None:
    _submitted(recorded_seed, editor)
    assert "1 waiting" in visible_text(client_for(copydesk).get("/").content.decode())
    assert "Corrections waiting" not in visible_text(client_for(editor).get("/").content.decode())


def test_the_history_tab_tells_the_story_in_plain_language(
    editor_client: Client, recorded_seed, editor
) -> None:
    _submitted(recorded_seed, editor)
    text = visible_text(
        editor_client.get(f"/articles/{recorded_seed.article.slug}/history/").content.decode()
    )
    assert "eda disputed the attribution “Putin asked for two Patriot batteries" in text
    assert "eda submitted correction" in text
    assert "Recorded revision 1" in text


@pytest.mark.parametrize(
    "url",
    ["/review/corrections/", "/articles/{slug}/corrections/new/", "/articles/{slug}/history/"],
)
def test_users_outside_the_newsroom_are_refused(reader, recorded_seed, url: str) -> None:
    response = client_for(reader).get(url.format(slug=recorded_seed.article.slug))
    assert response.status_code == 403


def test_anonymous_users_see_no_correction_page(client: Client, recorded_seed, editor) -> None:
    correction = _submitted(recorded_seed, editor)
    for url in (f"/review/corrections/{correction.pk}/", "/review/corrections/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(f"/corrections/{correction.pk}/").status_code == 404


def test_editing_a_draft_keeps_a_paragraph_it_added(
    editor_client: Client, recorded_seed, editor
) -> None:
    body = recorded_seed.revision.body + "\n\nAn added closing paragraph, new in the draft."
    correction = services.correction_draft(
        article=recorded_seed.article, proposer=editor, note=NOTE, body=body
    )
    html = editor_client.get(f"/review/corrections/{correction.pk}/edit/").content.decode()
    texts = paragraphs(html)
    assert texts[-1] == "An added closing paragraph, new in the draft."
    assert len(texts) == len(recorded_seed.revision.body.split("\n\n")) + 1
