"""The reading desk and the compare page over HTTP."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for, visible_text


@pytest.fixture
def slug(recorded_correction) -> str:
    return recorded_correction.article.slug


def test_reading_desk_highlights_entities_with_a_legend(
    editor_client: Client, recorded_seed
) -> None:
    html = editor_client.get(f"/articles/{recorded_seed.article.slug}/").content.decode()
    assert re.search(r'<mark class="ent ent-PERSON" title="PERSON">(<span[^>]*>)?Zelensky<', html)
    assert re.search(r'<mark class="ent ent-GPE" title="GPE">(<span[^>]*>)?Kyiv<', html)
    assert 'id="toggle-PERSON"' in html and 'id="toggle-NORP"' in html


def test_reading_desk_lists_the_entity_roster_with_counts(
    editor_client: Client, recorded_seed
) -> None:
    text = visible_text(
        editor_client.get(f"/articles/{recorded_seed.article.slug}/").content.decode()
    )
    assert "People" in text and "Places" in text and "Organisations" in text
    assert "Ukraine 7" in text


def test_roster_counts_a_surname_under_the_full_name(editor_client: Client, recorded_seed) -> None:
    text = visible_text(
        editor_client.get(f"/articles/{recorded_seed.article.slug}/").content.decode()
    )
    assert "Antony Blinken 5" in text
    assert "Volodymyr Zelensky 3" in text


def test_flagged_attribution_is_listed_first(editor_client: Client, recorded_seed) -> None:
    html = editor_client.get(f"/articles/{recorded_seed.article.slug}/").content.decode()
    first = html.index('<li class="attribution')
    assert html[first:].startswith('<li class="attribution flagged"')
    block = visible_text(html[first : html.index("</li>", first)])
    assert block.startswith("Putin → asked → for two Patriot batteries")
    assert "speaker-mentioned-once" in block


def test_reading_desk_attributions_link_to_their_sentence(
    editor_client: Client, recorded_seed
) -> None:
    html = editor_client.get(f"/articles/{recorded_seed.article.slug}/").content.decode()
    assert re.search(r'href="[^"]*\?attribution=\d+#s\d+" data-att="\d+"', html)


def test_history_shows_a_summary_of_each_revision(editor_client: Client, slug: str) -> None:
    text = visible_text(editor_client.get(f"/articles/{slug}/").content.decode())
    assert "first recorded version" in text
    assert "1 changed" in text


def test_compare_defaults_to_previous_against_latest(editor_client: Client, slug: str) -> None:
    response = editor_client.get(f"/articles/{slug}/compare/")
    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "Revision 1 → 2: 1 changed, 0 added, 0 deleted, 0 moved, 18 unchanged." in text
    assert "speaker changed Putin → Zelensky" in text


def test_compare_marks_the_word_change_and_the_entities(editor_client: Client, slug: str) -> None:
    html = editor_client.get(f"/articles/{slug}/compare/?from=1&to=2").content.decode()
    assert "<del>Putin</del>" in html and "<ins>Zelensky</ins>" in html
    assert "Entities:" in visible_text(html)


def test_compare_inline_mode(editor_client: Client, slug: str) -> None:
    html = editor_client.get(f"/articles/{slug}/compare/?from=1&to=2&mode=inline").content.decode()
    assert "<del>Putin</del><ins>Zelensky</ins>" in html
    assert 'class="sentences mode-inline"' in html


CHANGES_BOX = re.compile(
    r'<input type="checkbox" name="changes" value="1" id="changes-only"\s*(checked)?>'
)


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["page", "htmx"])
def test_compare_changes_only_hides_unchanged_sentences(
    editor_client: Client, slug: str, headers: dict[str, str]
) -> None:
    html = editor_client.get(f"/articles/{slug}/compare/?changes=1", **headers).content.decode()
    assert 'class="row op-changed change"' in html
    assert 'class="row op-equal' not in html
    assert "18 unchanged sentences hidden." in visible_text(html)


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["page", "htmx"])
def test_compare_changes_only_keeps_the_box_ticked(
    editor_client: Client, slug: str, headers: dict[str, str]
) -> None:
    html = editor_client.get(f"/articles/{slug}/compare/?changes=1", **headers).content.decode()
    box = CHANGES_BOX.search(html)
    assert box is not None and box.group(1) == "checked"


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["page", "htmx"])
def test_compare_without_changes_only_shows_every_sentence_unticked(
    editor_client: Client, slug: str, headers: dict[str, str]
) -> None:
    html = editor_client.get(f"/articles/{slug}/compare/", **headers).content.decode()
    assert html.count('class="row op-equal') == 18
    box = CHANGES_BOX.search(html)
    assert box is not None and box.group(1) is None


def test_compare_with_htmx_returns_only_the_fragment(editor_client: Client, slug: str) -> None:
    response = editor_client.get(
        f"/articles/{slug}/compare/?from=2&to=1&mode=inline", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="compare"')
    assert "<html" not in html
    assert "Revision 2 → 1" in visible_text(html)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=1&to=1", "Choose two different revisions to compare."),
        ("?from=1&to=7", "Select a valid choice. 7 is not one of the available choices."),
        ("?from=x&to=2", "Select a valid choice."),
    ],
)
def test_bad_compare_pair_gets_a_clear_message(
    editor_client: Client, slug: str, query: str, message: str
) -> None:
    response = editor_client.get(f"/articles/{slug}/compare/{query}")
    assert response.status_code == 400
    assert message in visible_text(response.content.decode())


def test_compare_with_one_revision_explains_why(editor_client: Client, recorded_seed) -> None:
    response = editor_client.get(f"/articles/{recorded_seed.article.slug}/compare/")
    assert "only one revision" in visible_text(response.content.decode())


def test_every_newsroom_role_can_read_and_compare(copydesk, admin_user, slug: str) -> None:
    for user in (copydesk, admin_user):
        client = client_for(user)
        assert client.get(f"/articles/{slug}/").status_code == 200
        assert client.get(f"/articles/{slug}/compare/").status_code == 200


def test_a_user_in_no_group_cannot_read_or_compare(reader, slug: str) -> None:
    client = client_for(reader)
    assert client.get(f"/articles/{slug}/").status_code == 403
    assert client.get(f"/articles/{slug}/compare/").status_code == 403


def test_compare_page_query_count_is_constant(
    editor_client: Client, slug: str, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(12):
        editor_client.get(f"/articles/{slug}/compare/")


def test_attribution_change_links_to_its_sentence_row(editor_client: Client, slug: str) -> None:
    html = editor_client.get(f"/articles/{slug}/compare/").content.decode()
    link = re.search(r'<a class="goto" href="#(new-\d+)"', html)
    assert link is not None
    row = re.search(rf'<div class="row op-changed change"[^>]*id="{link.group(1)}"', html)
    assert row is not None


def test_typography_only_change_is_badged_as_such(
    editor_client: Client, recorded_seed, seed_text: str
) -> None:
    from articles.ingest import read_capture
    from articles.services import revision_record

    straight = seed_text.replace("Blinken\u2019s pledge", "Blinken's pledge")
    revision_record(draft=read_capture(straight.encode("utf-8")))
    html = editor_client.get(f"/articles/{recorded_seed.article.slug}/compare/").content.decode()
    assert '<span class="badge changed">typography</span>' in html
    assert "No attribution changed." in visible_text(html)


def article_with_revisions(count: int):  # type: ignore[no-untyped-def]
    """An article recorded ``count`` times, each revision's text different."""
    from articles.ingest import CaptureDraft
    from articles.services import revision_record

    title = f"Blinken returns to Kyiv ({count} revisions)"
    article = None
    for n in range(1, count + 1):
        body = f"Blinken arrived in Kyiv ({count}). He met {n} ministers.\n\nZelensky thanked him."
        article = revision_record(
            draft=CaptureDraft(title=title, body=body), article=article
        ).article
    return article


def test_reading_desk_query_count_does_not_grow_with_the_history(editor_client: Client) -> None:
    """The history's change summaries read every revision's analysis in one query."""
    counts = {}
    for count in (2, 6):
        article = article_with_revisions(count)
        assert article.revisions.count() == count
        cache.clear()  # the summaries are cached: measure them computed
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(f"/articles/{article.slug}/")
        assert response.status_code == 200
        assert visible_text(response.content.decode()).count("1 changed") == count - 1
        counts[count] = len(queries)
    assert counts[6] == counts[2]


def test_a_changed_figure_is_listed_as_a_number_not_also_as_an_entity(
    editor_client: Client,
) -> None:
    from articles.ingest import CaptureDraft
    from articles.services import revision_record

    title = "Storm closes schools in the north"
    body = "The storm closed four schools in Leeds on Monday.\n\nClasses resume next week."
    article = revision_record(draft=CaptureDraft(title=title, body=body)).article
    revision_record(
        draft=CaptureDraft(title=title, body=body.replace("four", "five")), article=article
    )
    html = editor_client.get(f"/articles/{article.slug}/compare/?from=1&to=2").content.decode()
    marks = visible_text(re.search(r'<p class="marks">.*?</p>', html, re.S).group())
    assert marks == "Numbers: four five"


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["page", "htmx"])
def test_compare_shows_a_rewritten_passage_as_one_badged_row(
    editor_client: Client, rewritten_slug: str, headers: dict[str, str]
) -> None:
    html = editor_client.get(
        f"/articles/{rewritten_slug}/compare/?from=1&to=2", **headers
    ).content.decode()
    text = visible_text(html)
    assert "Revision 1 → 2: 1 changed, 0 added, 0 deleted, 0 moved, 2 unchanged." in text
    assert '<span class="badge changed">rewritten</span>' in html
    assert "2 sentences → 3" in text


def test_compare_marks_the_words_a_rewritten_passage_changed(
    editor_client: Client, rewritten_slug: str
) -> None:
    html = editor_client.get(f"/articles/{rewritten_slug}/compare/?from=1&to=2").content.decode()
    assert "<del> of Marden</del>" in html
    assert "<ins>were still searching</ins>" in html
