"""An editor reads the seed, spots the flagged attribution, and compares it with the correction."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import record_page_fields
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_the_flagged_attribution_highlights_it_in_the_text(
    page, editor, recorded_seed
) -> None:
    log_in(page, editor)
    page.goto(f"/articles/{recorded_seed.article.slug}/")
    flagged = page.locator(".attribution.flagged").first
    expect(flagged).to_contain_text("Putin")
    expect(flagged).to_contain_text("speaker-mentioned-once")
    flagged.get_by_role("link", name=re.compile(r"^Putin → asked")).click()
    active = page.locator(".body .att.active")
    expect(active.first).to_be_visible()
    expect(page.locator(".body .att-speaker.active")).to_have_text("Putin")
    expect(page.locator(".body .att-cue.active")).to_have_text("asked")


def test_brackets_step_through_attributions_flagged_first(page, editor, recorded_seed) -> None:
    log_in(page, editor)
    page.goto(f"/articles/{recorded_seed.article.slug}/")
    page.keyboard.press("]")
    expect(page.locator(".attribution.selected")).to_contain_text("Putin")
    expect(page.locator(".body .att-speaker.active")).to_have_text("Putin")
    page.keyboard.press("]")
    expect(page.locator(".attribution.selected")).not_to_contain_text("Putin")
    page.keyboard.press("[")
    expect(page.locator(".attribution.selected")).to_contain_text("Putin")


def test_switching_off_an_entity_type_removes_its_highlight(page, editor, recorded_seed) -> None:
    log_in(page, editor)
    page.goto(f"/articles/{recorded_seed.article.slug}/")
    person = page.locator(".body mark.ent-PERSON").first
    colour = person.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)"
    page.locator(".legend").get_by_text("Person").click()
    expect(person).to_have_css("background-color", "rgba(0, 0, 0, 0)")


def test_compare_shows_putin_to_zelensky_first_and_j_k_walk_the_changes(
    page, editor, recorded_correction
) -> None:
    slug = recorded_correction.article.slug
    log_in(page, editor)
    page.goto(f"/articles/{slug}/")
    page.get_by_role("link", name=re.compile("Compare revisions")).click()
    expect(page).to_have_url(re.compile(r"/compare/"))
    expect(page.locator("#summary-line")).to_contain_text("1 changed, 0 added, 0 deleted, 0 moved")
    first_change = page.locator(".att-changes li").first
    expect(first_change).to_contain_text("speaker changed")
    expect(first_change.locator(".old")).to_have_text("Putin")
    expect(first_change.locator(".new")).to_have_text("Zelensky")

    page.keyboard.press("j")
    expect(page.locator(".change.current")).to_contain_text("speaker changed")
    page.keyboard.press("j")
    current = page.locator(".row.current")
    expect(current).to_have_attribute("data-op", "changed")
    expect(current.locator(".old del")).to_have_text("Putin")
    expect(current.locator(".new ins")).to_have_text("Zelensky")
    expect(current.locator(".mark-ent")).to_contain_text("Entities: Putin Zelensky")
    page.keyboard.press("k")
    expect(page.locator(".change.current")).to_contain_text("speaker changed")


def test_compare_shows_a_headline_change_and_j_reaches_it_first(
    page, editor, recorded_seed, seed_draft
) -> None:
    record_page_fields(
        recorded_seed,
        seed_draft,
        title="US Secretary of State Blinken pledges support for Ukraine amid Russian advances",
    )
    log_in(page, editor)
    page.goto(f"/articles/{recorded_seed.article.slug}/compare/")
    expect(page.locator("#summary-line")).to_contain_text("headline changed; 0 changed")
    headline = page.locator(".field-change").first
    expect(headline.locator(".field-label")).to_have_text("Headline")
    expect(headline.locator(".old del")).to_have_text("reaffirms")
    expect(headline.locator(".new ins")).to_have_text("pledges")

    page.keyboard.press("j")
    current = page.locator(".change.current")
    expect(current).to_have_attribute("data-field", "title")
    expect(current).to_be_focused()


def test_switching_mode_swaps_the_fragment_and_keeps_a_shareable_url(
    page, editor, recorded_correction
) -> None:
    slug = recorded_correction.article.slug
    log_in(page, editor)
    page.goto(f"/articles/{slug}/compare/?from=1&to=2")
    page.get_by_label("Inline").check()
    expect(page.locator(".sentences.mode-inline")).to_be_visible()
    expect(page).to_have_url(re.compile(r"mode=inline"))
    expect(page.locator(".row.op-changed .inline")).to_contain_text("PutinZelensky asked")
    page.reload()
    expect(page.locator(".sentences.mode-inline")).to_be_visible()


def test_changes_only_stays_ticked_after_a_reload(page, editor, recorded_correction) -> None:
    slug = recorded_correction.article.slug
    log_in(page, editor)
    page.goto(f"/articles/{slug}/compare/?from=1&to=2")
    expect(page.locator(".row.op-equal").first).to_be_visible()
    page.get_by_label("Changes only").check()
    expect(page).to_have_url(re.compile(r"changes=1"))
    expect(page.get_by_label("Changes only")).to_be_checked()
    expect(page.locator(".row.op-equal")).to_have_count(0)
    page.reload()
    expect(page.get_by_label("Changes only")).to_be_checked()
    expect(page.locator(".row.op-equal")).to_have_count(0)
    expect(page.locator(".row.op-changed")).to_be_visible()
    page.get_by_label("Changes only").uncheck()
    expect(page).not_to_have_url(re.compile(r"changes=1"))
    expect(page.locator(".row.op-equal").first).to_be_visible()


def test_compare_works_without_javascript(
    browser, live_server, editor, recorded_correction
) -> None:
    from tests.conftest import PASSWORD

    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/articles/{recorded_correction.article.slug}/compare/")
    page.get_by_label("From").select_option("2")
    page.get_by_label("To").select_option("1")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#summary-line")).to_contain_text("Revision 2 → 1")
    context.close()


def test_a_rewritten_passage_is_one_row_that_j_reaches(page, editor, rewritten_slug) -> None:
    log_in(page, editor)
    page.goto(f"/articles/{rewritten_slug}/compare/?from=1&to=2")
    expect(page.locator("#summary-line")).to_contain_text("1 changed, 0 added, 0 deleted, 0 moved")
    changes_above = page.locator(".change").count() - page.locator(".row.change").count()
    for _ in range(changes_above + 1):  # the attribution changes come first
        page.keyboard.press("j")
    current = page.locator(".row.current")
    expect(current.locator(".badge")).to_have_text("rewritten")
    expect(current.locator(".rewrite-size")).to_have_text("2 sentences → 3")
    expect(current.locator(".new")).to_contain_text("The teams were still searching")
    expect(current.locator(".new ins").first).to_contain_text("Police said two people")
    expect(current.locator(".old del").first).to_have_text(" of Marden")
    expect(page.locator(".row.op-added, .row.op-deleted")).to_have_count(0)


def test_a_rewritten_passage_reads_inline_without_javascript(
    browser, live_server, editor, rewritten_slug
) -> None:
    from tests.conftest import PASSWORD

    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/articles/{rewritten_slug}/compare/?from=1&to=2")
    page.get_by_label("Inline").check()
    page.get_by_role("button", name="Compare").click()
    row = page.locator(".row.op-changed")
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text("rewritten")
    expect(row.locator(".inline ins").last).to_have_text("were still searching")
    context.close()
