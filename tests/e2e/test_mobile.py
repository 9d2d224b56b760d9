"""On a phone (390 px wide): the desk fits, the header keeps "Log out" on screen, compare
opens inline (an explicit ?mode= still wins) and the attributions panel is one step away.
Measured on element boxes in the browser, not on screenshots."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.pages import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances"


@pytest.fixture
def phone(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=MOBILE, base_url=live_server.url, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def box(locator) -> dict[str, float]:  # type: ignore[no-untyped-def]
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return found


def page_width(page) -> int:  # type: ignore[no-untyped-def]
    """How wide the page's content is: more than the viewport means a horizontal scroll."""
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_desk_table_stacks_within_the_screen(phone, editor, recorded_seed) -> None:
    log_in(phone, editor)
    row = phone.locator("#results tbody tr").first
    expect(row.get_by_role("link", name=TITLE)).to_be_visible()
    assert page_width(phone) <= MOBILE["width"]
    for cell in row.locator("td").all():
        edges = box(cell)
        assert edges["x"] >= 0 and edges["x"] + edges["width"] <= MOBILE["width"], cell
    # Stacked: each cell says which column it is.
    expect(row.locator("td[data-label='Source']")).to_have_text("AFP")
    source = row.locator("td[data-label='Source']")
    label = source.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"Source"'


def test_the_header_keeps_log_out_on_screen(phone, editor) -> None:
    log_in(phone, editor)
    log_out = phone.get_by_role("button", name="Log out")
    edges = box(log_out)
    assert edges["x"] >= 0 and edges["x"] + edges["width"] <= MOBILE["width"]
    assert edges["y"] >= 0 and edges["y"] + edges["height"] <= MOBILE["height"]
    for link in ("Desk", "Import", "Annotations", "Corrections"):
        nav = box(phone.get_by_role("navigation", name="Main").get_by_role("link", name=link))
        assert nav["x"] + nav["width"] <= MOBILE["width"], link
    assert page_width(phone) <= MOBILE["width"]


def test_compare_opens_inline_on_a_narrow_screen(phone, editor, recorded_correction) -> None:
    log_in(phone, editor)
    phone.goto(f"/articles/{recorded_correction.article.slug}/compare/?from=1&to=2")
    expect(phone.locator(".sentences.mode-inline")).to_be_visible()
    expect(phone.get_by_label("Inline")).to_be_checked()
    changed = phone.locator(".row.op-changed .inline")
    expect(changed.locator("del")).to_have_text("Putin")
    expect(changed.locator("ins")).to_have_text("Zelensky")
    # The URL still leaves the mode open: shared, it opens side by side on a wide screen.
    assert "mode=" not in phone.url
    assert page_width(phone) <= MOBILE["width"]


def test_an_explicit_mode_wins_on_a_narrow_screen(phone, editor, recorded_correction) -> None:
    log_in(phone, editor)
    phone.goto(f"/articles/{recorded_correction.article.slug}/compare/?from=1&to=2&mode=side")
    phone.wait_for_load_state("networkidle")  # no switch to inline is coming
    expect(phone.locator(".sentences.mode-side")).to_be_visible()
    expect(phone.get_by_label("Side by side")).to_be_checked()
    row = phone.locator(".row.op-changed")
    old, new = box(row.locator(".old")), box(row.locator(".new"))
    assert new["y"] >= old["y"] + old["height"], "old and new stack on a phone"
    assert page_width(phone) <= MOBILE["width"]


def test_the_attributions_panel_is_one_step_from_the_top(phone, editor, recorded_seed) -> None:
    log_in(phone, editor)
    phone.goto(f"/articles/{recorded_seed.article.slug}/")
    jump = phone.get_by_role("navigation", name="On this page").get_by_role(
        "link", name=re.compile(r"^Attributions 17, 2 flagged")
    )
    expect(jump).to_be_in_viewport()
    text = box(phone.locator(".body"))
    assert text["height"] > MOBILE["height"], "the article is longer than a screen"
    jump.tap()
    panel = phone.get_by_role("heading", name=re.compile(r"^Attributions"))
    expect(panel).to_be_in_viewport()
    expect(phone.locator(".attribution.flagged").first).to_contain_text("Putin")
    assert page_width(phone) <= MOBILE["width"]
