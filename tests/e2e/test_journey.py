"""The editor's journey, end to end, as one story: log in, import the seed capture, read it
with its entities, dispute the Putin attribution, draft the correction, the copy desk
signs it off, compare the two revisions, and the public corrections log shows the note.

Done twice: with the mouse, and with the keyboard only (Tab, Enter, Space, arrows and the
app's shortcuts; no click anywhere), which also checks that every stop shows its focus."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, SEED_PATH
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "US Secretary of State Blinken reaffirms support for Ukraine amid Russian advances"
NOTE = (
    "Correction, 4 June 2024: An earlier version of this article said that Vladimir Putin "
    "asked for two Patriot batteries. It was Volodymyr Zelensky who asked."
)

# The first import in a test process loads the spaCy model before it analyses the text.
IMPORT_TIMEOUT = 90_000


def test_editors_journey_from_login_to_the_public_log(
    page, browser, live_server, editor, copydesk
) -> None:
    # Log in: the desk is empty.
    log_in(page, editor)
    expect(page.get_by_role("heading", name="Desk")).to_be_visible()
    expect(page.get_by_text("No articles yet")).to_be_visible()

    # Import the seed capture by upload.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.get_by_label("Capture file").set_input_files(str(SEED_PATH))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/articles/**", timeout=IMPORT_TIMEOUT)
    expect(page.get_by_role("status")).to_contain_text("New article")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Read it with its entities, and the flag on "Putin asked".
    expect(
        page.locator(".body mark.ent-PERSON", has_text="Volodymyr Zelensky").first
    ).to_be_visible()
    expect(page.locator(".roster")).to_contain_text(["Antony Blinken", "Ukraine"])
    putin = page.locator(".attribution.flagged", has_text="Putin →")
    expect(putin).to_contain_text("Putin is named only here")

    # Annotate: dispute the Putin attribution; Zelensky is suggested.
    putin.get_by_role("link", name="Dispute").click()
    form = page.locator("#annotate-slot form")
    expect(form).to_contain_text("Suggested speaker: Volodymyr Zelensky")
    form.get_by_label("Comment").fill("In context it was Zelensky who asked.")
    form.get_by_role("button", name="Save annotation").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    expect(page.locator(".body .anno-mark")).to_have_text("1")
    expect(page.locator(".attribution", has_text="Putin →")).to_contain_text("Disputed by eda")

    # Draft the correction: the speaker is substituted and the preview says so.
    page.locator(".annotation.selected").get_by_role("link", name="Draft correction").click()
    expect(page.locator("textarea.paragraph.affected")).to_contain_text("Zelensky asked for two")
    expect(page.locator("#preview .att-speaker-changed")).to_contain_text("Putin → Zelensky")
    page.get_by_label("Public note").fill(NOTE)
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".messages")).to_contain_text("submitted for sign-off")
    expect(page.get_by_text("Waiting for the copy desk")).to_be_visible()

    # The copy desk (a second user) signs it off from the queue.
    desk_context = browser.new_context(base_url=live_server.url)
    desk = desk_context.new_page()
    log_in(desk, copydesk)
    desk.get_by_role("link", name="Corrections", exact=True).click()
    item = desk.locator(".queue-item").first
    expect(item).to_contain_text("speaker changed")
    expect(item.locator(".public-note")).to_contain_text("It was Volodymyr Zelensky who asked.")
    item.get_by_role("button", name="Sign off and publish").click()
    expect(desk.locator(".messages")).to_contain_text("published as revision 2")

    # Compare revision 1 with the published revision 2, side by side and inline.
    page.get_by_role("heading", level=1).get_by_role("link", name=TITLE).click()
    expect(page.locator(".kicker")).to_contain_text("revision 2 of 2")
    page.get_by_role("link", name=re.compile("Compare revisions")).click()
    speaker = page.locator(".att-changes li").first
    expect(speaker).to_contain_text("speaker changed")
    expect(speaker.locator(".old")).to_have_text("Putin")
    expect(speaker.locator(".new")).to_have_text("Zelensky")
    changed = page.locator(".row.op-changed")
    expect(changed.locator(".old del")).to_have_text("Putin")
    expect(changed.locator(".new ins")).to_have_text("Zelensky")
    page.get_by_label("Inline").check()
    expect(page.locator(".row.op-changed .inline")).to_contain_text("PutinZelensky asked")

    # The public corrections log, for anyone: the note and what changed.
    public_context = browser.new_context(base_url=live_server.url)
    public = public_context.new_page()
    public.goto("/corrections/")
    entry = public.locator(".correction-entry").first
    expect(entry.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(entry).to_contain_text("It was Volodymyr Zelensky who asked.")
    entry.get_by_role("link", name=re.compile("What changed")).click()
    expect(public.locator(".what-changed .new")).to_contain_text("Zelensky asked")
    expect(public.locator(".what-changed .old")).to_contain_text("Putin asked")
    public_context.close()
    desk_context.close()


# ---------------------------------------------------------------------------
# keyboard only

# What has focus: its name as a person hears it, and whether a focus ring shows.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: "", ring: false, tag: "BODY"};
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const name = (el.getAttribute("aria-label") || label || el.innerText || el.value || "").trim();
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
  return {name: name.replace(/\\s+/g, " "), ring: ring, tag: el.tagName};
}"""


class Keyboard:
    """Tab through a page as a keyboard user does, noting any stop without a focus ring."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.unringed: list[str] = []

    def tab_to(self, name: str | re.Pattern[str], limit: int = 80) -> None:
        """Press Tab until the focused element is called ``name`` (exactly, or the pattern)."""
        seen = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUSED)
            seen.append(focused["name"])
            # Past the page's last stop focus leaves for the browser's toolbar (BODY here).
            if not focused["ring"] and focused["tag"] != "BODY":
                self.unringed.append(f"{focused['tag']} “{focused['name']}” on {self.page.url}")
            if (
                re.search(name, focused["name"])
                if isinstance(name, re.Pattern)
                else focused["name"] == name
            ):
                return
        raise AssertionError(f"Tab never reached “{name}”; it went through {seen}")

    def follow(self, timeout: float | None = None) -> None:
        """Enter on the focused link or button, and wait for the page it leads to."""
        with self.page.expect_navigation(timeout=timeout):
            self.page.keyboard.press("Enter")

    def log_in(self, username: str) -> None:
        self.page.goto("/accounts/login/")
        expect(self.page.get_by_label("Username")).to_be_focused()
        self.page.keyboard.type(username)
        self.tab_to("Password")
        self.page.keyboard.type(PASSWORD)
        self.follow()
        self.page.wait_for_url(lambda url: urlsplit(url).path == "/")
        expect(self.page.get_by_role("heading", name="Desk")).to_be_visible()


def test_the_journey_with_the_keyboard_only(browser, live_server, editor, copydesk) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    keys = Keyboard(page)

    # Log in and import the seed. The file input is reached with Tab; the file is
    # then picked in the operating system's dialog, which is not the app's and which
    # headless Chromium opens unreliably under load, so the test sets it on the
    # focused input directly.
    keys.log_in(editor.username)
    expect(page.get_by_text("No articles yet")).to_be_visible()
    keys.tab_to("Import")
    keys.follow()
    keys.tab_to("Capture file")
    focused_input = page.locator("input[type=file]:focus")
    expect(focused_input).to_have_count(1)
    focused_input.set_input_files(str(SEED_PATH))
    keys.tab_to("Import")
    keys.follow(timeout=IMPORT_TIMEOUT)
    expect(page.get_by_role("status")).to_contain_text("New article")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(
        page.locator(".body mark.ent-PERSON", has_text="Volodymyr Zelensky").first
    ).to_be_visible()

    # ] picks the first flagged attribution (Putin); a opens the dispute form on it,
    # with the comment focused; Escape closes it and focus goes back to Putin.
    page.keyboard.press("]")
    expect(page.locator(".attribution.selected")).to_contain_text("Putin")
    expect(page.locator(".body .att-speaker.active")).to_have_text("Putin")
    putin = page.locator(".attribution.selected a[data-att]")
    expect(putin).to_be_focused()
    page.keyboard.press("a")
    form = page.locator("#annotate-slot form")
    expect(form).to_contain_text("Suggested speaker: Volodymyr Zelensky")
    expect(form.get_by_label("Comment")).to_be_focused()
    page.keyboard.press("Escape")
    expect(form).to_have_count(0)
    expect(putin).to_be_focused()
    page.keyboard.press("a")
    expect(form.get_by_label("Comment")).to_be_focused()
    page.keyboard.type("In context it was Zelensky who asked.")
    keys.tab_to("Save annotation")
    keys.follow()
    expect(page.locator(".messages")).to_contain_text("saved")
    expect(page.locator(".body .anno-mark")).to_have_text("1")

    # The shortcuts dialog: ? opens it, focus is inside, Escape gives focus back.
    page.keyboard.press("n")
    note_link = page.get_by_role("region", name="Annotations").get_by_role(
        "link", name="Annotation 1"
    )
    expect(note_link).to_be_focused()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    assert dialog.evaluate("d => d.contains(document.activeElement)")
    page.keyboard.press("Tab")
    assert dialog.evaluate("d => d.contains(document.activeElement)"), "focus stays in the dialog"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(note_link).to_be_focused()

    # Draft the correction from the note, and submit it.
    keys.tab_to("Draft correction")
    keys.follow()
    expect(page.locator("textarea.paragraph.affected")).to_contain_text("Zelensky asked for two")
    expect(page.locator("#preview .att-speaker-changed")).to_contain_text("Putin → Zelensky")
    keys.tab_to("Submit for sign-off")
    keys.follow()
    expect(page.locator(".messages")).to_contain_text("submitted for sign-off")

    # The copy desk signs it off from its queue.
    desk_context = browser.new_context(base_url=live_server.url)
    desk = desk_context.new_page()
    desk_keys = Keyboard(desk)
    desk_keys.log_in(copydesk.username)
    desk_keys.tab_to("Corrections")
    desk_keys.follow()
    expect(desk.locator(".queue-item").first).to_contain_text("speaker changed")
    desk_keys.tab_to("Sign off and publish")
    desk_keys.follow()
    expect(desk.locator(".messages")).to_contain_text("published as revision 2")

    # The editor opens the article from the desk and compares (c), walking the changes
    # with j, and switches to inline with the arrow keys.
    keys.tab_to("Desk")
    keys.follow()
    keys.tab_to(TITLE)
    keys.follow()
    expect(page.locator(".kicker")).to_contain_text("revision 2 of 2")
    # The revision picker: arrows choose without loading a page per key, Enter opens.
    keys.tab_to("Revision")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("button", name="Go")).to_be_visible()
    expect(page.locator(".kicker")).to_contain_text("revision 2 of 2")
    keys.follow()
    expect(page.locator(".kicker")).to_contain_text("revision 1 of 2")
    with page.expect_navigation():
        page.keyboard.press("c")
    expect(page).to_have_url(re.compile(r"/compare/"))
    current = page.locator(".change.current")
    page.keyboard.press("j")  # the page fields first: the correction's stated update
    expect(current).to_contain_text("Last updated")
    expect(current).to_be_focused()
    page.keyboard.press("j")
    expect(current).to_contain_text("speaker changed")
    expect(current).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(".row.current .new ins")).to_have_text("Zelensky")
    keys.tab_to("Side by side")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".sentences.mode-inline")).to_be_visible()
    expect(page).to_have_url(re.compile(r"mode=inline"))
    expect(page.get_by_label("Inline")).to_be_focused()  # the swap keeps the keyboard's place

    # The public corrections log, reached from the corrections queue.
    keys.tab_to("Corrections")
    keys.follow()
    keys.tab_to("Public corrections log")
    keys.follow()
    entry = page.locator(".correction-entry").first
    expect(entry).to_contain_text("It was Volodymyr Zelensky who asked.")
    keys.tab_to(re.compile(r"^What changed"))
    keys.follow()
    expect(page.locator(".what-changed .new")).to_contain_text("Zelensky asked")

    assert keys.unringed + desk_keys.unringed == []
    desk_context.close()
    context.close()
