"""Headline, standfirst, byline and stated times on the compare page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from articles.models import Revision
from review.selectors import field_changes, field_summary
from tests.conftest import record_page_fields, visible_text

SEED_TITLE = "US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances"
NEW_TITLE = "US Secretary of State Blinken pledges support for Ukraine amid Russian advances"
NEW_STANDFIRST = (
    "US Secretary of State Antony Blinken pledges unflinching support for Ukraine following"
    " the approval of a $61 billion financial aid package by Congress"
)
NEW_BYLINE = "Yagiz Efe Parmaksiz and Maria Lopez"
NEW_UPDATE = datetime(2024, 6, 4, 9, 15, tzinfo=UTC)

HTMX = [pytest.param({}, id="page"), pytest.param({"HTTP_HX_REQUEST": "true"}, id="htmx")]


def revision(**fields: object) -> Revision:
    """An unsaved revision with the seed's page fields, some of them replaced."""
    values: dict[str, object] = {
        "title": SEED_TITLE,
        "standfirst": "Blinken pledges unwavering support",
        "byline": "Yagiz Efe Parmaksiz",
        "body": "Text.",
        "stated_published_at": datetime(2024, 5, 14, 22, 34, tzinfo=UTC),
        "stated_updated_at": datetime(2024, 6, 3, 17, 1, tzinfo=UTC),
    }
    values.update(fields)
    return Revision(**values)


def field_block(html: str, field: str) -> str:
    """The HTML of one field change on the compare page."""
    match = re.search(
        rf'<div class="field-change change"[^>]*data-field="{field}">.*?(?=<div class="field-change|</section>)',
        html,
        re.S,
    )
    assert match is not None, f"no {field} change on the page"
    return match.group(0)


def side(block: str, name: str) -> str:
    match = re.search(rf'<div class="{name}"[^>]*>(.*?)</div>', block, re.S)
    assert match is not None
    return match.group(1)


# --------------------------------------------------------------------------
# field_changes / field_summary on unsaved revisions


def test_identical_fields_make_no_change() -> None:
    assert field_changes(revision(), revision(body="Other text.")) == []


def test_headline_change_marks_the_words_on_each_side() -> None:
    (change,) = field_changes(revision(), revision(title=NEW_TITLE))
    assert (change.field, change.label) == ("title", "Headline")
    assert "<del>reaffirms</del>" in change.old_html and "<ins>" not in change.old_html
    assert "<ins>pledges</ins>" in change.new_html and "<del>" not in change.new_html
    assert "<del>reaffirms</del><ins>pledges</ins>" in change.inline_html


def test_whitespace_only_difference_is_no_change() -> None:
    assert field_changes(revision(), revision(byline=" Yagiz  Efe Parmaksiz ")) == []


def test_fields_come_in_page_order() -> None:
    changes = field_changes(
        revision(),
        revision(stated_updated_at=NEW_UPDATE, byline=NEW_BYLINE, title=NEW_TITLE, standfirst=""),
    )
    assert [c.field for c in changes] == ["title", "standfirst", "byline", "stated_updated_at"]


def test_stated_time_is_shown_in_the_newsroom_time_zone(settings) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    (change,) = field_changes(revision(), revision(stated_updated_at=NEW_UPDATE))
    assert (change.old_text, change.new_text) == ("3 Jun 2024 19:01", "4 Jun 2024 11:15")
    assert change.old_html == "<del>3 Jun 2024 19:01</del>"
    assert change.new_html == "<ins>4 Jun 2024 11:15</ins>"


def test_same_instant_in_another_offset_is_no_change() -> None:
    from datetime import timedelta, timezone

    paris_summer = timezone(timedelta(hours=2))
    same = datetime(2024, 6, 3, 19, 1, tzinfo=paris_summer)
    assert field_changes(revision(), revision(stated_updated_at=same)) == []


def test_time_that_disappears_is_a_dash_on_the_new_side() -> None:
    (change,) = field_changes(revision(), revision(stated_published_at=None))
    assert change.label == "Published"
    assert change.old_html == "<del>14 May 2024 22:34</del>"
    assert change.new_html == '<span class="none">—</span>'
    assert change.inline_html == '<del>14 May 2024 22:34</del> → <span class="none">—</span>'


def test_time_that_appears_is_a_dash_on_the_old_side() -> None:
    (change,) = field_changes(revision(stated_updated_at=None), revision())
    assert change.old_html == '<span class="none">—</span>'
    assert change.new_html == "<ins>3 Jun 2024 17:01</ins>"


def test_change_within_the_minute_shows_the_seconds() -> None:
    later = datetime(2024, 6, 3, 17, 1, 30, tzinfo=UTC)
    (change,) = field_changes(revision(), revision(stated_updated_at=later))
    assert (change.old_text, change.new_text) == ("3 Jun 2024 17:01:00", "3 Jun 2024 17:01:30")


def test_standfirst_added_is_a_dash_on_the_old_side() -> None:
    (change,) = field_changes(revision(standfirst=""), revision())
    assert change.old_html == '<span class="none">—</span>'
    assert change.new_html == "<ins>Blinken pledges unwavering support</ins>"


def test_markup_in_a_headline_is_escaped() -> None:
    (change,) = field_changes(revision(), revision(title='<script>alert("x")</script> Blinken'))
    for html in (change.old_html, change.new_html, change.inline_html):
        assert "<script" not in html
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in change.new_html


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({}, ""),
        ({"title": NEW_TITLE}, "headline changed"),
        ({"title": NEW_TITLE, "byline": NEW_BYLINE}, "headline and byline changed"),
        (
            {"title": NEW_TITLE, "byline": NEW_BYLINE, "stated_updated_at": NEW_UPDATE},
            "headline, byline and updated time changed",
        ),
    ],
)
def test_field_summary_names_the_changed_fields(fields: dict[str, object], line: str) -> None:
    assert field_summary(field_changes(revision(), revision(**fields))) == line


# --------------------------------------------------------------------------
# the compare page


@pytest.fixture
def refielded(recorded_seed, seed_draft):
    """The seed, then a revision with a new headline, standfirst, byline and update time."""
    return record_page_fields(
        recorded_seed,
        seed_draft,
        title=NEW_TITLE,
        standfirst=NEW_STANDFIRST,
        byline=NEW_BYLINE,
        last_updated=NEW_UPDATE,
    )


def compare_html(client: Client, slug: str, query: str = "", **headers: str) -> str:
    response = client.get(f"/articles/{slug}/compare/{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("headers", HTMX)
def test_compare_lists_the_headline_with_old_and_new_words_marked(
    editor_client: Client, refielded, headers: dict[str, str]
) -> None:
    block = field_block(compare_html(editor_client, refielded.article.slug, **headers), "title")
    assert visible_text(block).startswith("Headline")
    assert "<del>reaffirms</del>" in side(block, "old")
    assert "<ins>pledges</ins>" in side(block, "new")


@pytest.mark.parametrize("headers", HTMX)
def test_compare_lists_the_standfirst_byline_and_update_time_changes(
    editor_client: Client, refielded, headers: dict[str, str]
) -> None:
    html = compare_html(editor_client, refielded.article.slug, **headers)
    standfirst = field_block(html, "standfirst")
    assert "<del>unwavering</del>" in side(standfirst, "old")
    assert "<ins>unflinching</ins>" in side(standfirst, "new")
    byline = field_block(html, "byline")
    assert visible_text(byline) == "Byline Yagiz Efe Parmaksiz Yagiz Efe Parmaksiz and Maria Lopez"
    assert "<ins> and Maria Lopez</ins>" in side(byline, "new")
    updated = field_block(html, "stated_updated_at")
    assert visible_text(updated) == "Last updated 3 Jun 2024 17:01 4 Jun 2024 09:15"
    assert 'data-field="stated_published_at"' not in html


@pytest.mark.parametrize("headers", HTMX)
def test_summary_line_names_the_field_changes_before_the_sentences(
    editor_client: Client, refielded, headers: dict[str, str]
) -> None:
    text = visible_text(compare_html(editor_client, refielded.article.slug, **headers))
    assert (
        "Revision 1 → 2: headline, standfirst, byline and updated time changed;"
        " 0 changed, 0 added, 0 deleted, 0 moved, 19 unchanged." in text
    )


def test_inline_mode_shows_each_field_change_inline(editor_client: Client, refielded) -> None:
    html = compare_html(editor_client, refielded.article.slug, "?from=1&to=2&mode=inline")
    block = field_block(html, "title")
    assert "<del>reaffirms</del><ins>pledges</ins>" in side(block, "inline")
    assert '<div class="old"' not in block
    updated = field_block(html, "stated_updated_at")
    assert visible_text(updated) == "Last updated 3 Jun 2024 17:01 → 4 Jun 2024 09:15"


def test_field_changes_are_the_first_changes_j_walks(editor_client: Client, refielded) -> None:
    html = compare_html(editor_client, refielded.article.slug)
    first_change = re.search(r'<[a-z]+ class="(?:[^"]* )?change(?: [^"]*)?"[^>]*>', html)
    assert first_change is not None
    assert 'data-field="title"' in first_change.group(0)
    assert html.index('class="field-changes') < html.index('class="att-changes"')


def test_only_changed_fields_are_listed(editor_client: Client, recorded_seed, seed_draft) -> None:
    record_page_fields(recorded_seed, seed_draft, title=NEW_TITLE)
    html = compare_html(editor_client, recorded_seed.article.slug)
    assert re.findall(r'data-field="(\w+)"', html) == ["title"]
    assert "Revision 1 → 2: headline changed; 0 changed," in visible_text(html)
    assert "Headline, standfirst, byline and times unchanged" not in visible_text(html)


@pytest.mark.parametrize("headers", HTMX)
def test_body_only_change_says_the_fields_are_unchanged(
    editor_client: Client, recorded_correction, headers: dict[str, str]
) -> None:
    html = compare_html(editor_client, recorded_correction.article.slug, **headers)
    assert '<p class="muted fields-unchanged">' in html
    assert "Headline, standfirst, byline and times unchanged." in visible_text(html)
    assert "field-change" not in html.replace("fields-unchanged", "")


def test_script_in_a_headline_is_shown_escaped(
    editor_client: Client, recorded_seed, seed_draft
) -> None:
    title = '<script>alert("x")</script> Blinken reaffirms support'
    record_page_fields(recorded_seed, seed_draft, title=title)
    html = compare_html(editor_client, recorded_seed.article.slug)
    assert "<script>alert" not in html
    block = field_block(html, "title")
    assert "&lt;script&gt;alert" in side(block, "new")
    assert visible_text(side(block, "new")).startswith('<script>alert("x")</script>')
