"""The review side of the admin panel: the articles' archive export.

``review`` depends on ``articles``, never the reverse: the action is attached to the
Article admin from here."""

from __future__ import annotations

import json

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from articles.admin import ArticleAdmin
from articles.models import Article
from review.archive import archive_export


@admin.action(
    description="Export the selected articles as one archive (JSON)", permissions=["view"]
)
def export_archive(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Article]
) -> HttpResponse:
    """One newsdesk.archive/1 document for the selected articles, as a download."""
    document = json.dumps(archive_export(articles=queryset), ensure_ascii=False, indent=2)
    response = HttpResponse(document + "\n", content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="newsdesk-archive-{stamp}.json"'
    return response


ArticleAdmin.actions = [*(ArticleAdmin.actions or ()), export_archive]
