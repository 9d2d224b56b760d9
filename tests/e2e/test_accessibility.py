"""Each main page, at 1440 px and at 390 px wide: axe-core finds no serious or critical
violation. Each page is also saved as a screenshot under var/screenshots/ (CI keeps them).
And a diff says what changed without colour."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.pages import DESKTOP, MOBILE, SCREENSHOTS, main_pages, newsroom_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
SEVERE = {"serious", "critical"}


def severe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical findings on the page, one line each."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in SEVERE
    ]


def visit(page, name: str, url: str, width: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    return severe_violations(page)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1440", "390"])
def test_main_pages_have_no_serious_accessibility_violation(
    browser, live_server, editor, copydesk, recorded_seed, viewport
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = str(viewport["width"])
    newsroom = newsroom_build(article=recorded_seed.article, editor=editor, copydesk=copydesk)
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    found = {"login": visit(page, "login", "/accounts/login/", width)}
    log_in(page, copydesk)
    for name, url in main_pages(newsroom).items():
        found[name] = visit(page, name, url, width)
    context.close()
    problems = [f"{name}: {line}" for name, lines in found.items() for line in lines]
    assert not problems, "\n".join(problems)


def test_diffs_do_not_rely_on_colour_alone(page, editor, recorded_correction) -> None:
    """Deleted words are struck through, inserted ones underlined, and each sentence's
    badge says in words what happened to it."""
    log_in(page, editor)
    page.goto(f"/articles/{recorded_correction.article.slug}/compare/?from=1&to=2&mode=side")
    row = page.locator(".row.op-changed")
    deleted, inserted = row.locator(".old del"), row.locator(".new ins")
    expect(deleted).to_have_text("Putin")
    expect(inserted).to_have_text("Zelensky")
    assert "line-through" in deleted.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert "underline" in inserted.evaluate("el => getComputedStyle(el).textDecorationLine")
    expect(row.locator(".badge")).to_have_text("changed")
    expect(page.locator(".row.op-equal .badge").first).to_have_text("equal")
