"""Under the Content-Security-Policy (no inline script or style), htmx and the app's
JavaScript work and the browser reports no violation: the reading desk, the annotate
form, the correction draft and its live preview, compare, the public correction page
(its JSON-LD is data, not script) and the API docs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from review import services
from review.models import Correction
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each securitypolicyviolation event of the page, as "directive: blocked URI".
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + ": " + (e.blockedURI || "inline"));
});
"""


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__cspViolations")


def test_the_app_runs_under_its_policy_with_no_violation(
    page, editor, make_user, recorded_seed
) -> None:
    copydesk = make_user("copydesk", "Copy desk")
    slug = recorded_seed.article.slug
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.context.add_init_script(LISTEN)
    seen: dict[str, list[str]] = {}

    log_in(page, editor)
    response = page.goto(f"/articles/{slug}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The annotate form comes in by htmx; the @mention preview is the app's JS.
    page.locator(".attribution.flagged", has_text="Putin →").get_by_role(
        "link", name="Dispute"
    ).click()
    form = page.locator("#annotate-slot form")
    form.get_by_label("Comment").fill("In context it was Zelensky who asked. @copydesk?")
    expect(form.locator("[data-notify-preview]")).to_contain_text("Will notify @copydesk")
    seen["reading desk and annotate form"] = violations(page)
    form.get_by_role("button", name="Save annotation").click()
    expect(page.locator(".messages")).to_contain_text("saved")

    # The correction draft: its live diff preview is htmx.
    page.locator(".annotation.selected").get_by_role("link", name="Draft correction").click()
    expect(page.locator("#preview .att-speaker-changed")).to_contain_text("Putin → Zelensky")
    page.get_by_label("Public note").fill("Correction: it was Volodymyr Zelensky who asked.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("saved as a draft")
    seen["correction draft and preview"] = violations(page)

    # Published by the copy desk (through the services), then compared and shown publicly.
    correction = Correction.objects.get()
    services.correction_submit(correction=correction, actor=editor)
    services.correction_sign_off(correction=correction, actor=copydesk)
    page.goto(f"/articles/{slug}/compare/?from=1&to=2")
    expect(page.locator(".att-changes li").first).to_contain_text("speaker changed")
    page.keyboard.press("j")  # the app's keyboard navigation
    expect(page.locator(".change.current")).to_have_count(1)
    seen["compare"] = violations(page)

    page.goto(f"/corrections/{correction.pk}/")
    expect(page.locator("script[type='application/ld+json']")).to_have_count(1)
    seen["public correction page"] = violations(page)

    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info")).to_contain_text("Newsdesk Review API")
    seen["API docs"] = violations(page)

    assert seen == {name: [] for name in seen}
    assert not [m for m in console if "Content Security Policy" in m], console
