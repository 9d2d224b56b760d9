"""The whole correction: an editor drafts it from the dispute, the copy desk returns it
once, the editor resubmits, the copy desk signs it off, and the public sees the note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dispute_draft_return_resubmit_sign_off_and_publish(
    page, browser, live_server, editor, make_user, recorded_seed
) -> None:
    copydesk = make_user("copydesk", "Copy desk")
    slug = recorded_seed.article.slug

    # 1. The editor disputes the Putin sentence and drafts the correction with its note.
    log_in(page, editor)
    page.goto(f"/articles/{slug}/")
    page.locator(".attribution.flagged", has_text="Putin →").get_by_role(
        "link", name="Dispute"
    ).click()
    form = page.locator("#annotate-slot form")
    form.get_by_label("Comment").fill("In context it was Zelensky who asked.")
    form.get_by_role("button", name="Save annotation").click()
    page.locator(".annotation.selected").get_by_role("link", name="Draft correction").click()
    expect(page.locator("textarea.paragraph.affected")).to_contain_text(
        "In particular, Zelensky asked"
    )
    expect(page.locator("#preview .att-speaker-changed")).to_contain_text("Putin → Zelensky")
    note = page.get_by_label("Public note")
    expect(note).to_have_value(re.compile(r"It was Volodymyr Zelensky who asked\.$"))
    note.fill(
        "Correction, 4 June 2024: An earlier version of this article misattributed a request "
        "for two Patriot batteries to Vladimir Putin. It was Volodymyr Zelensky who asked."
    )
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".messages")).to_contain_text("submitted for sign-off")
    correction_url = page.url

    # 2. The copy desk returns it once, with a comment.
    desk_context = browser.new_context(base_url=live_server.url)
    desk = desk_context.new_page()
    log_in(desk, copydesk)
    desk.get_by_role("link", name="Corrections", exact=True).click()
    item = desk.locator(".queue-item").first
    expect(item).to_contain_text("speaker changed")
    item.get_by_placeholder("Why return it (required)").fill("Say when: add the date of the error.")
    item.get_by_role("button", name="Return").click()
    expect(desk.locator(".messages")).to_contain_text("Returned")

    # 3. The editor sees why and resubmits.
    page.goto(correction_url)
    expect(page.locator(".events")).to_contain_text("Say when: add the date of the error.")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".messages")).to_contain_text("Submitted for sign-off")

    # 4. The copy desk signs it off.
    desk.goto("/review/corrections/")
    desk.locator(".queue-item").first.get_by_role("button", name="Sign off and publish").click()
    expect(desk.locator(".messages")).to_contain_text("published as revision 2")

    # 5. The public log shows the note; revision 2 reads "Zelensky asked"; compare says so.
    desk_context.close()
    public_context = browser.new_context(base_url=live_server.url)
    public = public_context.new_page()
    public.goto("/corrections/")
    expect(public.locator("main")).to_contain_text(
        "misattributed a request for two Patriot batteries"
    )
    public_context.close()
    page.goto(f"/articles/{slug}/")
    expect(page.locator(".kicker")).to_contain_text("revision 2 of 2")
    expect(page.locator(".body")).to_contain_text("In particular, Zelensky asked for two Patriot")
    page.goto(f"/articles/{slug}/compare/?from=1&to=2")
    first = page.locator(".att-changes li").first
    expect(first).to_contain_text("speaker changed")
    expect(first.locator(".old")).to_have_text("Putin")
    expect(first.locator(".new")).to_have_text("Zelensky")
