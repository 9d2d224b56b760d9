"""The admin panel: sources, people and aliases; articles with read-only revisions;
capture: API keys, feeds and watched pages.

Edits of articles, sources and people (and their aliases) are written to the
activity log; revisions and the log itself are shown, never changed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from articles.models import (
    Activity,
    ApiKey,
    Article,
    Feed,
    Person,
    PersonAlias,
    RetiredSlug,
    Revision,
    Source,
    WatchedPage,
)
from articles.services import (
    AdminAction,
    admin_change_record,
    api_key_create,
    api_key_revoke,
    article_slug_retire,
)


def _inline_rows(formset: BaseInlineFormSet) -> dict[str, list[str]]:
    """What a saved inline formset did, by row name."""
    return {
        "added": [str(obj) for obj in formset.new_objects],
        "changed": [str(obj) for obj, _fields in formset.changed_objects],
        "deleted": [str(obj) for obj in formset.deleted_objects],
    }


class ActivityLoggedAdmin(admin.ModelAdmin):
    """Every add, change and delete made here is written to the activity log with the
    fields changed (inline rows included), in the transaction of the change."""

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[Any], change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)  # saves the inlines too
        related = {
            formset.fk.remote_field.get_accessor_name(): _inline_rows(formset)
            for formset in formsets
        }
        if change and not form.changed_data and not any(any(r.values()) for r in related.values()):
            return  # saved as it was: nothing to log
        admin_change_record(
            actor=request.user,
            obj=form.instance,
            action=AdminAction.CHANGED if change else AdminAction.ADDED,
            fields=form.changed_data,
            related=related,
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        admin_change_record(actor=request.user, obj=obj, action=AdminAction.DELETED)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """The "delete selected" action: one log entry per object, all or nothing."""
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                admin_change_record(actor=request.user, obj=obj, action=AdminAction.DELETED)
            super().delete_queryset(request, queryset)


@admin.register(Source)
class SourceAdmin(ActivityLoggedAdmin):
    list_display = ["name", "kind", "website", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "notes", "website"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="Articles")
    def article_count(self, obj: Source) -> int:
        return obj.articles.count()


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 1


@admin.register(Person)
class PersonAdmin(ActivityLoggedAdmin):
    list_display = ["name", "title", "organisation", "alias_list", "wikidata_id"]
    list_filter = ["organisation", "title"]
    search_fields = ["name", "aliases__name", "organisation", "title", "wikidata_id"]
    inlines = [PersonAliasInline]

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="Aliases")
    def alias_list(self, obj: Person) -> str:
        return ", ".join(alias.name for alias in obj.aliases.all())


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted: for immutable and append-only records."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RevisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Revisions are shown, never edited: they are immutable."""

    model = Revision
    fields = [
        "number",
        "title",
        "origin",
        "stated_published_at",
        "stated_updated_at",
        "captured_at",
        "author",
        "content_hash",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["slug", "canonical_url", "source", "first_published"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        retired = RetiredSlug.objects.filter(slug=slug).exclude(article=self.instance.pk).first()
        if retired is not None:
            raise forms.ValidationError(
                f"“{slug}” was the slug of the article “{retired.article.slug}” and its "
                "old URLs still redirect there; choose another slug."
            )
        return slug


class RetiredSlugInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The article's earlier slugs: their URLs redirect to the current ones."""

    model = RetiredSlug
    fields = ["slug", "retired_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "earlier slug (redirects here)"
    verbose_name_plural = "earlier slugs (their URLs redirect here)"


@admin.register(Article)
class ArticleAdmin(ActivityLoggedAdmin):
    form = ArticleAdminForm
    list_display = ["slug", "source", "first_published", "revision_count"]
    list_filter = ["source"]
    search_fields = ["slug", "canonical_url", "revisions__title"]
    readonly_fields = ["created_at"]
    inlines = [RetiredSlugInline, RevisionInline]

    def save_model(self, request: HttpRequest, obj: Article, form: ModelForm, change: bool) -> None:
        """A changed slug keeps the old one, so that its URLs redirect (one transaction)."""
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            article_slug_retire(article=obj, old_slug=form.initial.get("slug", ""))

    @admin.display(description="Revisions")
    def revision_count(self, obj: Article) -> int:
        return obj.revisions.count()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only view of a revision."""

    list_display = ["article", "number", "title", "origin", "captured_at"]
    list_filter = ["origin", "article__source"]
    search_fields = ["title", "article__slug"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Revision._meta.fields]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "verb", "summary"]
    list_filter = ["verb"]
    search_fields = ["summary"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Activity._meta.fields]


# --------------------------------------------------------------------------
# capture


@admin.register(ApiKey)
class ApiKeyAdmin(ActivityLoggedAdmin):
    """Keys are created here (the key is shown once, on the page that follows) and
    revoked with the action; never edited or deleted, so the log can name them."""

    list_display = ["name", "scope", "prefix", "created_at", "last_used_at", "status"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix"]
    fields = ["name", "scope", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="Status")
    def status(self, obj: ApiKey) -> str:
        return "revoked" if obj.revoked_at else "active"

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        if obj is not None:  # a stored key: only its name may change
            return [*self.readonly_fields, "scope"]
        return list(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiKey, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = api_key_create(name=obj.name, scope=obj.scope, created_by=request.user, key=obj)
        request._issued_api_key = issued.raw  # type: ignore[attr-defined]  # shown once below

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The one page that shows the key: rendered, never put in a message or a URL."""
        raw = getattr(request, "_issued_api_key", None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "API key created",
            "api_key": raw,
            "key": obj,
        }
        response = TemplateResponse(request, "admin/articles/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            api_key_revoke(key=key, actor=request.user)
        self.message_user(request, f"Revoked {queryset.count()} key(s).")


POLL_STATUS = [
    "last_fetched_at",
    "last_status",
    "last_changed_at",
    "last_error",
    "last_error_at",
    "failures",
    "next_poll_at",
]


@admin.register(Feed)
class FeedAdmin(ActivityLoggedAdmin):
    list_display = ["url", "source", "interval_minutes", "active", *POLL_STATUS[:5]]
    list_filter = ["active", "source"]
    search_fields = ["url"]
    readonly_fields = POLL_STATUS


@admin.register(WatchedPage)
class WatchedPageAdmin(ActivityLoggedAdmin):
    list_display = ["url", "source", "feed", "active", "gone_at", *POLL_STATUS[:5]]
    list_filter = ["active", "source", "feed"]
    search_fields = ["url"]
    readonly_fields = ["feed", "gone_at", *POLL_STATUS]
