"""An article's revision history as an Atom feed, for logged-in newsroom users."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from articles.models import Article
from review import selectors
from review.selectors import HistoryEntry


class RevisionsFeed(Feed):
    """One entry per revision, newest first, each saying what changed; minor
    revisions only with ``?minor=1``, as on the reading desk."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> tuple[Article, bool]:  # type: ignore[override]
        article = get_object_or_404(Article.objects.select_related("source"), slug=slug)
        return article, request.GET.get("minor") == "1"

    def title(self, obj: tuple[Article, bool]) -> str:
        article, _ = obj
        latest = article.revisions.order_by("-number").first()
        return f"Revisions of “{latest.title if latest else article.slug}”"

    def subtitle(self, obj: tuple[Article, bool]) -> str:
        return "Every recorded revision of the article, newest first, with what changed."

    def link(self, obj: tuple[Article, bool]) -> str:
        return reverse("review:article", kwargs={"slug": obj[0].slug})

    def feed_url(self, obj: tuple[Article, bool]) -> str:
        return reverse("review:revisions-feed", kwargs={"slug": obj[0].slug})

    def items(self, obj: tuple[Article, bool]) -> list[HistoryEntry]:
        article, show_minor = obj
        revisions = selectors.article_revisions(article)
        for revision in revisions:
            revision.article = article  # the links need its slug: no query per entry
        history = selectors.history_for(revisions)
        shown = selectors.history_shown(history, show_minor=show_minor, reading=0)
        return list(reversed(shown))

    def item_title(self, item: HistoryEntry) -> str:
        minor = " (minor)" if item.revision.minor else ""
        return f"Revision {item.revision.number}{minor}: {item.revision.title}"

    def item_description(self, item: HistoryEntry) -> str:
        origin = item.revision.get_origin_display()
        return f"{origin}; {item.summary}."

    def item_link(self, item: HistoryEntry) -> str:
        revision = item.revision
        if revision.number == 1:
            return reverse("review:revision", kwargs={"slug": revision.article.slug, "number": 1})
        compare = reverse("review:compare", kwargs={"slug": revision.article.slug})
        return f"{compare}?from={revision.number - 1}&to={revision.number}"

    def item_guid(self, item: HistoryEntry) -> str:
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        revision = item.revision
        return f"tag:{host},{revision.created_at:%Y-%m-%d}:revision/{revision.pk}"

    def item_guid_is_permalink(self, item: HistoryEntry) -> bool:
        return False

    def item_pubdate(self, item: HistoryEntry) -> datetime:
        return item.revision.captured_at

    def item_updateddate(self, item: HistoryEntry) -> datetime:
        return item.revision.captured_at


revisions_feed = require_GET(
    permission_required("articles.view_article", raise_exception=True)(RevisionsFeed())
)
