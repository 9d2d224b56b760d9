"""The public corrections log, its Atom feed and each correction's page.

These three views, and only these, are open to anonymous readers
(``login_not_required``); every other page of the app needs a login.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from articles.pagination import keyset_page, page_links
from review import public_selectors
from review.jsonld import script_safe_json
from review.models import Correction

#: Corrections per page of the log.
LOG_PAGE_SIZE = 50
#: Entries in the feed: the newest ones (the log pages through them all).
FEED_SIZE = 100
PUBLISHER = "Newsdesk Review"


@login_not_required
@require_GET
def corrections_log(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        public_selectors.published_corrections(),
        field="published_at",
        size=LOG_PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    previous, following = page_links({}, page)
    context = {"page": page, "previous_query": previous, "next_query": following}
    return render(request, "review/corrections_log.html", context)


@login_not_required
@require_GET
def correction_public(request: HttpRequest, pk: int) -> HttpResponse:
    correction = public_selectors.published_correction_get(pk)
    json_ld = script_safe_json(public_selectors.correction_json_ld(correction))
    context = {
        "correction": correction,
        "revision": correction.published_revision,
        "changes": public_selectors.correction_changes(correction),
        "json_ld": mark_safe(json_ld),  # noqa: S308 - <, > and & are \u-escaped
    }
    return render(request, "review/correction_public.html", context)


def correction_title(correction: Correction) -> str:
    """ "Correction: <headline>" (or "Clarification: ...", "Editor's note: ...")."""
    assert correction.published_revision is not None
    return f"{correction.get_kind_display()}: {correction.published_revision.title}"


class CorrectionsFeed(Feed):
    """Atom: one entry per published correction, newest first."""

    feed_type = Atom1Feed
    title = f"{PUBLISHER}: corrections and clarifications"
    subtitle = "Corrections, clarifications and editor's notes on our articles, newest first."
    author_name = PUBLISHER

    def link(self) -> str:
        return reverse("review:corrections-log")

    def feed_url(self) -> str:
        return reverse("review:corrections-feed")

    def items(self) -> QuerySet[Correction]:
        return public_selectors.published_corrections()[:FEED_SIZE]

    def item_title(self, item: Correction) -> str:
        return correction_title(item)

    def item_description(self, item: Correction) -> str:
        # Atom's summary is type="html": the plain-text note is escaped to HTML first.
        return linebreaks(item.note, autoescape=True)

    def item_link(self, item: Correction) -> str:
        return reverse("review:correction-public", kwargs={"pk": item.pk})

    def feed_guid(self) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("review:corrections-feed")

    def item_guid(self, item: Correction) -> str:
        """A tag URI that stays the same whatever host name the feed is read through."""
        assert item.published_at is not None
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{item.published_at:%Y-%m-%d}:correction/{item.pk}"

    def item_guid_is_permalink(self, item: Correction) -> bool:
        return False

    def item_pubdate(self, item: Correction) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Correction) -> datetime | None:
        return item.published_at


corrections_feed = login_not_required(require_GET(CorrectionsFeed()))
