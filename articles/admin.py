"""The admin panel: sources, people and aliases; articles with read-only revisions."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from articles.models import Activity, Article, Person, PersonAlias, Revision, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
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
class PersonAdmin(admin.ModelAdmin):
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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["slug", "source", "first_published", "revision_count"]
    list_filter = ["source"]
    search_fields = ["slug", "canonical_url", "revisions__title"]
    readonly_fields = ["created_at"]
    inlines = [RevisionInline]

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
