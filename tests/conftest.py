"""Shared fixtures: the seed capture, users in each newsroom group, a recorded article."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from articles.ingest import CaptureDraft, read_capture
from articles.services import RecordResult, revision_record
from review.roles import roles_ensure

# Hypothesis profiles: property tests and fuzzing stay quick on the shared two-core
# machines and in CI (which runs the suite twice); no deadline (load varies), and CI
# derandomized so that a run fails or passes the same way every time. For a deep run:
# HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/articles tests/review -k fuzz
_NO_DEADLINE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
hypothesis_settings.register_profile("dev", max_examples=50, **_NO_DEADLINE)
hypothesis_settings.register_profile(
    "ci", max_examples=50, derandomize=True, database=None, print_blob=True, **_NO_DEADLINE
)
hypothesis_settings.register_profile("thorough", max_examples=2000, **_NO_DEADLINE)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)

DATA = Path(__file__).resolve().parent / "data"
SEED_PATH = DATA / "000_8118fbd42351acfa.txt"
GOLD_PATH = DATA / "000_8118fbd42351acfa.gold.json"
PASSWORD = "correct-horse-battery-staple"


def seed_body() -> str:
    """The seed's article body, as the capture parser extracts it."""
    return read_capture(SEED_PATH.read_bytes(), filename=SEED_PATH.name).body


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: ids are reused after a flush, and a
    fragment cached by one test must not be served to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED_PATH.read_bytes()


@pytest.fixture(scope="session")
def seed_text(seed_bytes: bytes) -> str:
    return seed_bytes.decode("utf-8")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def seed_draft(seed_bytes: bytes) -> CaptureDraft:
    return read_capture(seed_bytes, filename=SEED_PATH.name)


def _roles_present() -> bool:
    """The groups are there with (at least) their permissions: what the migration made."""
    from django.db.models import Count

    from articles.roles import GROUP_PERMISSIONS
    from review.roles import REVIEW_PERMISSIONS

    wanted = {
        name: len(set(GROUP_PERMISSIONS[name]) | set(REVIEW_PERMISSIONS.get(name, [])))
        for name in GROUP_PERMISSIONS
    }
    found = dict(
        Group.objects.filter(name__in=wanted)
        .annotate(n=Count("permissions"))
        .values_list("name", "n")
    )
    return all(found.get(name, 0) >= n for name, n in wanted.items())


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str, group: str | None = None, *, staff: bool = False) -> User:
        if not _roles_present():
            roles_ensure()  # a transactional test's flush empties the migration's groups
        user = User.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def editor(make_user: Callable[..., User]) -> User:
    return make_user("eda", "Editors")


@pytest.fixture
def copydesk(make_user: Callable[..., User]) -> User:
    return make_user("cal", "Copy desk")


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user("ada", "Admins", staff=True)


@pytest.fixture
def reader(make_user: Callable[..., User]) -> User:
    """A logged-in user in no group."""
    return make_user("rex")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor: User) -> Client:
    return client_for(editor)


@pytest.fixture
def copydesk_client(copydesk: User) -> Client:
    return client_for(copydesk)


@pytest.fixture
def admin_client_(admin_user: User) -> Client:
    return client_for(admin_user)


@pytest.fixture
def recorded_seed(db: None, seed_draft: CaptureDraft) -> RecordResult:
    return revision_record(draft=seed_draft, filename=SEED_PATH.name)


def corrected_seed_text(seed_text: str) -> str:
    """The seed with the misattribution corrected: Zelensky asked, not Putin."""
    assert "Putin asked" in seed_text
    return seed_text.replace("Putin asked", "Zelensky asked")


@pytest.fixture
def recorded_correction(recorded_seed: RecordResult, seed_text: str) -> RecordResult:
    draft = read_capture(corrected_seed_text(seed_text).encode("utf-8"), filename="corrected.txt")
    return revision_record(draft=draft, filename="corrected.txt")


def record_page_fields(
    recorded: RecordResult, draft: CaptureDraft, **fields: object
) -> RecordResult:
    """Record the next revision of ``recorded``: ``draft`` (its capture) with the page
    fields changed (``title=``, ``standfirst=``, ``byline=``, ``last_updated=`` ...).

    The body is the same, so the recorded revision's analysis is reused."""
    from articles.selectors import latest_analysis_for

    analysis = latest_analysis_for(recorded.revision)
    assert analysis is not None
    return revision_record(
        draft=replace(draft, **fields),
        filename="fields.txt",
        analysis=analysis.as_dict(),
        article=recorded.article,
    )


def visible_text(html: str) -> str:
    """What a reader sees of an HTML page: tags dropped, entities decoded, spaces collapsed."""
    import html as html_lib
    import re

    html = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", "", html)
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()


@pytest.fixture(autouse=True)
def _analyse_each_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real pipeline, run once per distinct (text, known names) in the session.

    Recording the seed in many tests would otherwise run spaCy on the same text
    every time; each caller still gets its own copy of the real result.
    """
    from articles import analysis as nlp

    real = _REAL_ANALYSE_TEXT.setdefault("fn", nlp.analyse_text)

    def analyse_text(text: str, *, known=()):  # type: ignore[no-untyped-def]
        key = (text, tuple(known))
        if key not in _ANALYSES:
            _ANALYSES[key] = real(text, known=known)
        return copy.deepcopy(_ANALYSES[key])

    monkeypatch.setattr(nlp, "analyse_text", analyse_text)


_ANALYSES: dict[tuple[str, tuple[object, ...]], dict] = {}
_REAL_ANALYSE_TEXT: dict[str, object] = {}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests create many users; the production hasher costs about a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _whole_pages_cached(settings) -> None:  # type: ignore[no-untyped-def]
    """Every test runs with the whole-page cache on, as production does (with Redis):
    a test writes and reads in one process, so the local-memory cache is correct
    here, while the default turns it off without a shared cache
    (tests/newsdesk/test_security.py checks that default)."""
    settings.PAGE_CACHE = True


def assert_matches_openapi(
    client: Client, path: str, status: int, data: object, method: str = "get"
) -> None:
    """``data`` validates against the response schema /api/openapi.json gives for
    ``method`` on ``path`` answering ``status``."""
    from openapi_schema_validator import OAS31Validator

    document = client.get("/api/openapi.json").json()
    response = document["paths"][path][method]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    # The schema's $refs point into the document's components.
    OAS31Validator({**schema, "components": document["components"]}).validate(data)


# An article whose second revision rewrites a passage (two sentences into three).
REWRITE_OLD = (
    "Floods hit the north on Sunday.\n\n"
    "Rescue teams reached the village of Marden late on Sunday after the river fell,"
    " and they found twelve families still trapped in upper rooms. Police said two people"
    " were missing and that the army had sent boats and a helicopter to help the teams"
    " search the flooded fields.\n\n"
    "Schools will stay closed on Monday."
)
REWRITE_NEW = (
    "Floods hit the north on Sunday.\n\n"
    "Police said two people were missing in Marden. Rescue teams reached the village late"
    " on Sunday after the river fell and found twelve families trapped in upper rooms,"
    " while the army sent boats and a helicopter. The teams were still searching the"
    " flooded fields.\n\n"
    "Schools will stay closed on Monday."
)


@pytest.fixture
def rewritten_slug(db: None) -> str:
    """An article whose second revision rewrites a paragraph of two sentences into three."""
    from articles.ingest import CaptureDraft
    from articles.services import revision_record

    title = "Floods in the north"
    article = revision_record(draft=CaptureDraft(title=title, body=REWRITE_OLD)).article
    revision_record(draft=CaptureDraft(title=title, body=REWRITE_NEW), article=article)
    return article.slug
