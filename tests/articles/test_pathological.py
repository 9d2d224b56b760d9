"""Pathological captures uploaded through the import form: each is recorded with its
analysis, or refused with a message that says why. (Time and memory of each are
measured by bench/bench_pathological.py; docs/PERFORMANCE.md has the figures.)"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Article, Revision
from tests.articles import pathological
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db

REFUSED = {
    "100,000 words": (
        "Refused: the article body is 100,002 words long; bodies over 30,000 words are "
        "refused (they cannot be analysed in reasonable time)."
    ),
    "1.9 MB single paragraph": (
        "Refused: the article body is 324,481 words long; bodies over 30,000 words are "
        "refused (they cannot be analysed in reasonable time)."
    ),
    "no punctuation": (
        "Refused: no article body found (no paragraph reads as prose: none ends a sentence "
        "with a full stop, a question mark or an exclamation mark)."
    ),
}
#: Recorded, with how many sentences and attributions the analysis holds at least
#: (the 2,000 quotations stand two to a paragraph: at least one report a paragraph,
#: since two quotations in a row may be read as one split quote).
RECORDED = {
    "only quotations": (2_000, 1_000),
    "emoji": (200, 0),
    "right-to-left": (500, 0),
}
assert set(REFUSED) | set(RECORDED) == set(pathological.CASES)


def upload(client: Client, name: str) -> object:
    data = pathological.capture(name)
    return client.post(
        "/import/", {"file": SimpleUploadedFile("capture.txt", data, content_type="text/plain")}
    )


@pytest.mark.parametrize("name", REFUSED)
def test_a_pathological_capture_is_refused_saying_why(editor_client: Client, name: str) -> None:
    response = upload(editor_client, name)
    assert response.status_code == 422
    assert REFUSED[name] in visible_text(response.content.decode())
    assert Article.objects.count() == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", RECORDED)
def test_a_pathological_capture_is_recorded_with_its_analysis(
    editor_client: Client, name: str
) -> None:
    response = upload(editor_client, name)
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert revision.title == pathological.TITLE.format(name=name)
    assert revision.body == pathological.CASES[name]().strip()
    analysis = revision.analyses.get()
    sentences, attributions = RECORDED[name]
    assert len(analysis.sentences) >= sentences
    assert len(analysis.attributions) >= attributions
    page = editor_client.get(f"/articles/{revision.article.slug}/")
    assert page.status_code == 200
