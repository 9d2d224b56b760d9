"""Production settings: deploy checks, the Content-Security-Policy, login throttling,
and the request size limit."""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article, Revision
from newsdesk.lockout import locked_message
from tests.conftest import PASSWORD, client_for, visible_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
LOCKED = (
    "Too many failed attempts: this account is locked for 30 minutes. Ask an admin to unlock it."
)


def _manage(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``manage.py ARGS`` under production settings, with ``extra`` in the environment
    and no cache or page-cache setting of the test run's own."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "newsdesk.example.org",
        "SECURE_PROXY_SSL": "1",
        **extra,
    }
    env.pop("DATABASE_URL", None)
    env.pop(
        "DJANGO_ALLOW_ASYNC_UNSAFE", None
    )  # set by the browser tests' conftest, not by a deployment
    for name in ("CACHE_URL", "PAGE_CACHE"):
        if name not in extra:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _deploy_check(**extra: str) -> subprocess.CompletedProcess[str]:
    return _manage("check", "--deploy", "--fail-level", "WARNING", **extra)


def test_production_settings_pass_the_deploy_checks() -> None:
    result = _deploy_check(CACHE_URL="redis://127.0.0.1:6379/0")  # not connected to
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_checks_ask_for_a_shared_cache_while_pages_are_cached() -> None:
    """Several processes on local-memory caches would serve each other stale pages."""
    result = _deploy_check(PAGE_CACHE="1")
    assert result.returncode != 0
    assert "newsdesk.W001" in result.stderr + result.stdout
    assert _deploy_check().returncode == 0  # the default: no whole pages on local memory


def _page_cache_setting(**extra: str) -> str:
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.PAGE_CACHE)", **extra
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_pages_are_cached_whole_by_default_only_on_a_shared_cache() -> None:
    """On each process's own memory, a write by another process (an import run beside
    the server) would leave the server's cached desk stale for a day."""
    assert _page_cache_setting() == "False"
    assert _page_cache_setting(CACHE_URL="redis://127.0.0.1:6379/0") == "True"
    assert _page_cache_setting(PAGE_CACHE="1") == "True"
    assert _page_cache_setting(CACHE_URL="redis://127.0.0.1:6379/0", PAGE_CACHE="0") == "False"


# --------------------------------------------------------------------------
# Content-Security-Policy


def policy(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The response's CSP header as {directive: sources}."""
    parts = [p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, sources in parts}


def test_pages_carry_the_content_security_policy(editor_client: Client) -> None:
    assert policy(editor_client.get("/")) == POLICY


def test_the_login_page_and_the_api_carry_it_too(client: Client) -> None:
    assert policy(client.get("/accounts/login/")) == POLICY
    assert policy(client.get("/api/openapi.json")) == POLICY


def _templates() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<style\b", html), "a <style> block: move it to static/css"
    assert not re.search(r"\sstyle\s*=", html), "a style= attribute: use a class in static/css"
    assert not re.search(r"\son[a-z]+\s*=", html), "an on* handler: bind it in static/js"
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/ld+json"' in tag, f"inline script: {tag}"


def test_htmx_injects_no_indicator_style(editor_client: Client) -> None:
    """htmx adds a <style> element unless told not to; its CSS is in app.css instead."""
    html = editor_client.get("/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config is not None and json.loads(config.group(1))["includeIndicatorStyles"] is False
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator" in css


# --------------------------------------------------------------------------
# login throttling (django-axes)


def _fail(client: Client, username: str, times: int) -> object:
    response = None
    for _ in range(times):
        response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
    return response


def test_the_message_names_the_cool_off() -> None:
    assert locked_message() == LOCKED


def test_four_failures_still_let_the_right_password_in(client: Client, editor) -> None:
    _fail(client, editor.username, 4)
    response = client.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_fifth_failure_locks_the_account_with_a_clear_message(client: Client, editor) -> None:
    response = _fail(client, editor.username, 5)
    assert response.status_code == 429
    assert LOCKED in visible_text(response.content.decode())


def test_a_locked_account_is_refused_even_with_the_right_password(client: Client, editor) -> None:
    _fail(client, editor.username, 5)
    response = client.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in visible_text(response.content.decode())
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_one_username_only(client: Client, editor, copydesk) -> None:
    _fail(client, editor.username, 5)
    response = client.post(
        "/accounts/login/", {"username": copydesk.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_resetting_the_username_unlocks_it(client: Client, editor) -> None:
    _fail(client, editor.username, 5)
    call_command("axes_reset_username", editor.username, stdout=io.StringIO())
    response = client.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_admin_sees_the_lockout_in_the_admin(client: Client, editor, admin_user) -> None:
    _fail(client, editor.username, 5)
    html = client_for(admin_user).get("/admin/axes/accessattempt/").content.decode()
    assert editor.username in visible_text(html)


# --------------------------------------------------------------------------
# request size limit

THREE_MB = b"x" * (3 * 1024 * 1024)


def test_a_3_mb_capture_upload_is_refused_unread_and_nothing_is_written(
    editor_client: Client,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.txt", THREE_MB, content_type="text/plain")
    response = editor_client.post("/import/", {"file": upload})
    assert response.status_code == 413
    text = visible_text(response.content.decode())
    assert "captures over 2 MB are refused" in text and "Nothing was saved" in text
    assert Article.objects.count() == 0 and Revision.objects.count() == 0


def test_a_3_mb_pasted_capture_is_refused(editor_client: Client) -> None:
    response = editor_client.post("/import/", {"text": THREE_MB.decode()})
    assert response.status_code == 413
    assert Revision.objects.count() == 0


def test_a_3_mb_api_body_is_a_json_413(editor_client: Client, recorded_seed) -> None:
    body = json.dumps({"revision": 1, "kind": "fact", "comment": THREE_MB.decode()})
    response = editor_client.post(
        f"/api/articles/{recorded_seed.article.slug}/annotations",
        body,
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "captures over 2 MB are refused" in response.json()["error"]


def test_an_api_body_over_the_memory_limit_is_a_413_not_a_500(
    editor_client: Client, recorded_seed, settings
) -> None:
    """Past the Content-Length check, Django's own limit on reading the body still answers 413."""
    settings.REQUEST_MAX_BYTES = 10 * 1024 * 1024
    body = json.dumps({"revision": 1, "kind": "fact", "comment": THREE_MB.decode()})
    response = editor_client.post(
        f"/api/articles/{recorded_seed.article.slug}/annotations",
        body,
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["error"].startswith("Refused: the request is larger than")
