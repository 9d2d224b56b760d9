"""Fuzzing the capture parser: any bytes, any page capture, any saved HTML page gives
either a draft the record can hold or a refusal (CaptureRefused) saying why."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from hypothesis import given
from hypothesis import strategies as st

from articles.ingest import CaptureDraft, CaptureRefused, read_capture
from articles.models import Article, Revision, Source

#: Lines a capture is made of: headlines, bylines, stated times, sources, links,
#: furniture, prose with quotes, and anything at all.
_LINES = [
    "Strike hits Kharkiv as talks stall",
    "By Jane Reporter",
    "By: ",
    "Published May 14, 2024 10:34 PM",
    "Updated Jun 3, 2024 5:01 PM GMT+2",
    "2024-05-14T22:34:00Z",
    "Source: AFP",
    "Source: " + "A" * 300,
    "https://news.example.org/a/1",
    "https://news.example.org/" + "x" * 600,
    "javascript:alert(1)",
    "URL: http://",
    "Share this article",
    "Advertisement",
    '"We will not give up," Zelensky said on Tuesday.',
    "Putin asked for two Patriot batteries for the Kharkiv area, officials said.",
    "KYIV, June 3 (Reuters) -",
    "Read more: another story",
    "Copyright 2024",
    "",
    "<script>alert(1)</script>",
    "مرحبا بالعالم",
    "😀😀😀",
]
lines = st.one_of(st.sampled_from(_LINES), st.sampled_from(_LINES), st.text(max_size=80))
captures = st.lists(lines, max_size=25).map("\n".join)

_HTML_META = [
    '<meta property="og:url" content="{}">',
    '<meta property="og:site_name" content="{}">',
    '<meta name="author" content="{}">',
    '<meta property="article:published_time" content="{}">',
    '<link rel="canonical" href="{}">',
]
meta_values = st.one_of(
    st.sampled_from(
        [
            "https://news.example.org/a",
            "javascript:alert(1)",
            "not a url",
            "https://x.example/" + "p" * 600,
            "S" * 300,
            "2024-05-14T22:34:00",
            "",
        ]
    ),
    st.sampled_from(
        [
            "https://news.example.org/a",
            "javascript:alert(1)",
            "not a url",
            "https://x.example/" + "p" * 600,
            "S" * 300,
            "2024-05-14T22:34:00",
            "",
        ]
    ),
    st.text(max_size=40).map(lambda t: t.replace('"', "")),
)
metas = st.lists(
    st.tuples(st.sampled_from(_HTML_META), meta_values).map(lambda p: p[0].format(p[1])),
    max_size=5,
).map("".join)
paragraphs = st.lists(lines.map(lambda line: f"<p>{line}</p>"), max_size=12).map("".join)
pages = st.builds(
    "<!doctype html><html><head><title>{}</title>{}</head><body><article><h1>{}</h1>{}</article></body></html>".format,
    st.one_of(st.sampled_from(_LINES), st.text(max_size=60)),
    metas,
    st.one_of(st.sampled_from(_LINES), st.text(max_size=600)),
    paragraphs,
)


def _limit(model: type, field: str) -> int:
    return model._meta.get_field(field).max_length


def assert_recordable(draft: CaptureDraft) -> None:
    """What the record's models will hold: lengths, and a canonical URL that validates."""
    assert draft.title.strip() and draft.body.strip()
    assert len(draft.title) <= _limit(Revision, "title")
    assert len(draft.byline) <= _limit(Revision, "byline")
    assert len(draft.credited_source) <= _limit(Source, "name")
    if draft.canonical_url:
        assert len(draft.canonical_url) <= _limit(Article, "canonical_url")
        try:
            URLValidator()(draft.canonical_url)
        except ValidationError as invalid:  # pragma: no cover - the assertion says it
            raise AssertionError(f"canonical URL {draft.canonical_url!r}: {invalid}") from None


def read_or_refuse(data: bytes, filename: str) -> CaptureDraft | None:
    try:
        draft = read_capture(data, filename=filename)
    except CaptureRefused as refused:
        assert str(refused)
        return None
    assert_recordable(draft)
    return draft


@given(st.binary(max_size=3000), st.sampled_from(["capture.txt", "page.html", "", "x.bin"]))
def test_any_bytes_are_read_or_refused(data: bytes, filename: str) -> None:
    read_or_refuse(data, filename)


@given(captures)
def test_any_page_capture_is_read_into_a_recordable_draft_or_refused(text: str) -> None:
    read_or_refuse(text.encode("utf-8"), "capture.txt")


@given(pages)
def test_any_saved_page_is_read_into_a_recordable_draft_or_refused(html: str) -> None:
    read_or_refuse(html.encode("utf-8"), "page.html")


# what the fuzzing found: a saved page's site name and address beyond the record's limits

LONG_ADDRESS = "https://news.example.org/" + "p" * 600
PAGE = (
    "<!doctype html><html><head><title>Ministers meet in Brussels</title>"
    '<meta property="og:site_name" content="{site}"><meta property="og:url" content="{url}">'
    "</head><body><article><h1>Ministers meet in Brussels</h1>"
    "<p>European ministers met in Brussels on Tuesday to discuss the budget, officials said.</p>"
    "<p>Talks are expected to resume next week, according to a spokesperson.</p>"
    "</article></body></html>"
)


def test_a_site_name_longer_than_a_source_name_is_dropped() -> None:
    page = PAGE.format(site=LONG_ADDRESS, url="https://news.example.org/ministers")
    draft = read_capture(page.encode("utf-8"), filename="page.html")
    assert draft.credited_source == ""
    assert draft.canonical_url == "https://news.example.org/ministers"


def test_a_canonical_address_longer_than_the_record_holds_is_dropped() -> None:
    page = PAGE.format(site="Example News", url=LONG_ADDRESS)
    draft = read_capture(page.encode("utf-8"), filename="page.html")
    assert draft.canonical_url == ""
    assert draft.credited_source == "Example News"


def test_a_page_with_both_is_imported_through_the_form(editor_client, db) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = PAGE.format(site=LONG_ADDRESS, url=LONG_ADDRESS).encode("utf-8")
    upload = SimpleUploadedFile("page.html", page, content_type="text/html")
    response = editor_client.post("/import/", {"file": upload})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.source, article.canonical_url) == (None, "")
