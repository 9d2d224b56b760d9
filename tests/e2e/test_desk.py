"""An editor logs in, imports the seed by upload, finds it on the desk and opens it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import SEED_PATH
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances"


def test_anonymous_visitor_sees_the_login_page(page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert "/accounts/login/" in page.url


def test_editor_imports_the_seed_and_opens_it_from_the_desk(page, editor) -> None:
    log_in(page, editor)
    expect(page.get_by_text("No articles yet")).to_be_visible()
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Capture file").set_input_files(str(SEED_PATH))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("New article")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    page.get_by_role("link", name="Desk", exact=True).click()
    page.get_by_role("searchbox").fill("blinken")
    row = page.get_by_role("row").filter(has_text="AFP")
    expect(row).to_have_count(1)
    row.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("By Yagiz Efe Parmaksiz")).to_be_visible()
    expect(page.locator(".body p")).to_have_count(10)
    expect(page.locator(".history li")).to_have_count(1)


def test_bad_upload_shows_the_reason(page, editor, tmp_path) -> None:
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01\x02 binary")
    log_in(page, editor)
    page.goto("/import/")
    page.get_by_label("Capture file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("Refused: file is binary")


def test_question_mark_lists_the_keyboard_shortcuts(page, editor) -> None:
    log_in(page, editor)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Keyboard shortcuts")
    expect(dialog).to_contain_text("Next / previous change")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()


def test_slash_focuses_the_desk_search(page, editor) -> None:
    log_in(page, editor)
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox")).to_be_focused()


def test_live_search_updates_the_list_as_you_type(page, editor, recorded_seed) -> None:
    log_in(page, editor)
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("searchbox").fill("zzz-no-such-story")
    expect(page.get_by_text("No article matches these filters.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=zzz-no-such-story"))
    page.get_by_role("searchbox").fill("Blinken")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.locator("#results")).to_have_count(1)


def test_a_look_alike_upload_is_recorded_after_the_editor_confirms(
    page, editor, recorded_seed, seed_text, tmp_path
) -> None:
    """The capture goes back with the answer through a real browser (its line breaks too)."""
    other = "Kharkiv evacuations widen as Russian shelling intensifies"
    capture = tmp_path / "kharkiv.txt"
    capture.write_text(seed_text.replace(TITLE, other), encoding="utf-8")
    log_in(page, editor)
    page.goto("/import/")
    page.get_by_label("Capture file").set_input_files(str(capture))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Is this the same article?")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("button", name="Record as a new revision").click()
    expect(page).to_have_url(re.compile(r"/compare/\?from=1&to=2$"))
    expect(page.get_by_role("status")).to_contain_text(f"New revision: “{other}”")
