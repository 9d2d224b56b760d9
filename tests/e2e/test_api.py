"""An editor opens the API docs page: it renders from the app's own files, no other host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_page_lists_both_endpoints_from_local_assets(page, editor, live_server) -> None:
    log_in(page, editor)
    requested: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto("/api/docs")
    expect(page.get_by_text("Newsdesk Review API").first).to_be_visible()
    expect(page.get_by_text("/api/revisions/{revision_id}/analysis")).to_be_visible()
    expect(page.get_by_text("/api/articles/{slug}/diff")).to_be_visible()
    ours = urlsplit(live_server.url).netloc
    assert requested and {urlsplit(url).netloc for url in requested} == {ours}
    assert failed == []
