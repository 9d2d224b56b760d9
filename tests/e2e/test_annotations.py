"""An editor disputes the Putin attribution, dismisses the Macron flag, and the notes
survive the next revision; the copy desk is told."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import corrected_seed_text
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dispute_dismiss_notify_and_carry_to_the_next_revision(
    page, browser, live_server, editor, make_user, recorded_seed, seed_text, tmp_path
) -> None:
    copydesk = make_user("copydesk", "Copy desk")
    slug = recorded_seed.article.slug
    log_in(page, editor)
    page.goto(f"/articles/{slug}/")

    # 1. Dispute the flagged Putin attribution: Zelensky is suggested.
    putin = page.locator(".attribution.flagged", has_text="Putin →")
    expect(putin).to_contain_text("Putin is named only here")
    putin.get_by_role("link", name="Dispute").click()
    form = page.locator("#annotate-slot form")
    expect(form).to_contain_text("Suggested speaker: Volodymyr Zelensky")
    expect(form.get_by_label("…or name the speaker")).to_have_value("Volodymyr Zelensky")
    form.get_by_label("Comment").fill("In context Zelensky asked. @copydesk can you confirm?")
    expect(form.locator("[data-notify-preview]")).to_contain_text("Will notify @copydesk")
    form.get_by_role("button", name="Save annotation").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    mark = page.locator(".body .anno")
    expect(mark.first).to_be_visible()
    expect(page.locator(".body .anno-mark")).to_have_text("1")
    assert "Putin asked for two Patriot batteries" in "".join(mark.all_inner_texts())
    expect(page.locator(".annotation.selected")).to_contain_text(
        "Proposed speaker: Volodymyr Zelensky"
    )

    page.get_by_role("link", name="Annotations", exact=True).click()
    expect(page.locator("table.queue")).to_contain_text("Putin asked for two Patriot batteries")

    # 2. Dismiss the Macron flag.
    page.goto(f"/articles/{slug}/")
    macron = page.locator(".attribution.flagged", has_text="Emmanuel Macron")
    macron.get_by_text("Dismiss", exact=True).click()
    macron.get_by_label("Not a misattribution because…").fill("Introduced with his title")
    macron.get_by_role("button", name="Dismiss flag").click()
    expect(page.locator(".attribution.decided-dismissed")).to_contain_text(
        "Dismissed by eda: Introduced with his title"
    )

    # 3. The copy desk sees the notification.
    desk_context = browser.new_context(base_url=live_server.url)
    desk_page = desk_context.new_page()
    log_in(desk_page, copydesk)
    expect(desk_page.locator(".unread-count")).to_have_text("1")
    desk_page.get_by_role("link", name=re.compile("Notifications")).click()
    expect(desk_page.locator(".notification.unread")).to_contain_text(
        "eda mentioned you on “Putin asked"
    )
    desk_context.close()

    # 4. The corrected capture arrives: the dispute is "changed", Macron stays dismissed.
    capture = tmp_path / "corrected.txt"
    capture.write_text(corrected_seed_text(seed_text), encoding="utf-8")
    page.goto("/import/")
    page.get_by_label("Capture file").set_input_files(str(capture))
    page.get_by_role("button", name=re.compile("Import")).click()
    expect(page).to_have_url(re.compile(r"/compare/"))
    page.goto(f"/articles/{slug}/")
    expect(page.locator(".article-bar")).to_be_visible()
    note = page.locator(".annotation", has_text="Putin asked")
    expect(note).to_contain_text("changed: re-check")
    expect(note).to_contain_text("Zelensky asked for two Patriot batteries")
    expect(page.locator(".attribution.decided-dismissed")).to_contain_text("Dismissed by eda")


def test_select_text_then_a_annotates_it_and_n_steps_through_notes(
    page, editor, recorded_seed
) -> None:
    slug = recorded_seed.article.slug
    log_in(page, editor)
    page.goto(f"/articles/{slug}/")
    # Select "four trips" in the text, as a person would with the mouse.
    page.evaluate(
        """() => {
          const walker = document.createTreeWalker(document.querySelector('.body'), NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.data.indexOf('four');
            if (at >= 0 && node.data.slice(at).startsWith('four')) {
              const range = document.createRange();
              range.setStart(node, at);
              let end = node, endAt = at + 4;
              range.setEnd(end, endAt);
              const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
              document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
              return;
            }
          }
        }"""
    )
    expect(page.locator(".annotate-pop")).to_be_visible()
    page.keyboard.press("a")
    form = page.locator("#annotate-slot form")
    expect(form.get_by_label("Passage")).to_have_value("four")
    form.get_by_label("Kind").select_option("fact")
    form.get_by_label("Comment").fill("Five trips, says the State Department.")
    form.get_by_role("button", name="Save annotation").click()
    expect(page.locator(".body .anno")).to_have_text("four")
    page.keyboard.press("Escape")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(page.locator(".annotation.selected")).to_contain_text("four")
    expect(page.locator(".body .anno.active")).to_have_text("four")


def test_annotating_from_the_old_side_of_compare(page, editor, recorded_correction) -> None:
    slug = recorded_correction.article.slug
    log_in(page, editor)
    page.goto(f"/articles/{slug}/compare/?from=1&to=2")
    old = page.locator(".row.op-changed .old").first
    old.evaluate(
        """el => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
          document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }"""
    )
    page.locator(".annotate-pop").click()
    form = page.locator("#annotate-slot form")
    expect(form).to_contain_text("Annotate revision 1")
    expect(form.get_by_label("Passage")).to_have_value(re.compile(r"^In particular, Putin asked"))
    form.get_by_label("Comment").fill("This is the misattribution.")
    form.get_by_role("button", name="Save annotation").click()
    expect(page).to_have_url(re.compile(r"/revisions/1/\?annotation=\d+"))
    expect(page.locator(".body .anno").first).to_be_visible()
