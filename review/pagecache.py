"""The reading desk, compare and the desk, cached whole for each reader until
something they show is written.

A page is stored under a key naming the URL (path and query), whether htmx asked
for it, the reader, their CSRF secret (the page's forms carry a token made from
it), the code's release, the newsroom's time zone and three stamps
(``newsdesk.versions``): everything's, the reader's and the article's (the
record's, for the desk's list of articles). The receivers below retire the stamps
on every write to a row the pages show, whoever makes it (a service, the admin, a
worker), so a repeated view costs the session, the user and a few cache reads
instead of a dozen queries and a render.

Not cached: a reader with messages waiting (the page shows them once), a request
without a CSRF cookie, anything but a 200, and anything when ``PAGE_CACHE`` is off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

from articles.models import (
    Activity,
    Analysis,
    Article,
    Person,
    PersonAlias,
    RetiredSlug,
    Revision,
    Source,
)
from newsdesk import versions
from newsdesk.release import RELEASE
from review.models import (
    Annotation,
    Comment,
    CommentVersion,
    Correction,
    CorrectionEvent,
    FlagDecision,
    Follow,
    Notification,
    Placement,
    StatusChange,
)

View = Callable[..., HttpResponse]


def _enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", True))


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or not request.user.is_authenticated:
        return False
    if not request.COOKIES.get(settings.CSRF_COOKIE_NAME):
        return False  # the render makes a CSRF secret that the browser does not have yet
    waiting = getattr(request, "_messages", None)
    return not (waiting is not None and len(waiting))


def page_key(request: HttpRequest, slug: str | None) -> str:
    """The key of a page of one article (``slug``), or of a list of articles."""
    scope = versions.article_key(slug) if slug else versions.record_key()
    stamps = versions.stamps([versions.global_key(), versions.user_key(request.user.pk), scope])
    parts = (
        RELEASE,
        settings.TIME_ZONE,  # pages show times in the newsroom's zone
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.user.pk,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        stamps,
    )
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:40]
    return f"newsdesk:page:{digest}"


def page_cached(view: View) -> View:
    """Serve the view's 200 from the cache while nothing it shows was written."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _enabled() or not _cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request, kwargs.get("slug"))
        stored = versions.stamped_get(key)
        if stored is not None:
            content, content_type = stored
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        waiting = getattr(request, "_messages", None)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.has_header("HX-Redirect")
            and not (waiting is not None and waiting.used)
        ):
            versions.stamped_set(
                key, (response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS
            )
        return response

    return wrapper


# --------------------------------------------------------------------------
# what retires which stamp


def _articles(ids: Iterable[int | None]) -> None:
    ids = {i for i in ids if i is not None}
    if ids:
        slugs = Article.objects.filter(pk__in=ids).values_list("slug", flat=True)
        versions.retire([versions.record_key(), *(versions.article_key(s) for s in slugs)])


#: Rows that name their article through another row: (that row's model, the field
#: holding its id, the path from it to the article's id).
_ARTICLE_VIA = {
    StatusChange: (Annotation, "annotation_id", "article_id"),
    Comment: (Annotation, "annotation_id", "article_id"),
    Placement: (Annotation, "annotation_id", "article_id"),
    CommentVersion: (Comment, "comment_id", "annotation__article_id"),
    CorrectionEvent: (Correction, "correction_id", "article_id"),
    Analysis: (Revision, "revision_id", "article_id"),
}


def _article_id(instance: Model) -> int | None:
    """The article a written row belongs to."""
    via = _ARTICLE_VIA.get(type(instance))
    if via is None:
        return getattr(instance, "article_id", None)
    model, field, path = via
    return model.objects.filter(pk=getattr(instance, field)).values_list(path, flat=True).first()


ARTICLE_ROWS = (
    Annotation,
    StatusChange,
    Comment,
    CommentVersion,
    Placement,
    FlagDecision,
    Correction,
    CorrectionEvent,
    Revision,
    Analysis,
    Activity,
)
#: Rows every page may show: the registry (suggested speakers, source names), the
#: newsroom's people (the assignee list, the header) and what they may do.
GLOBAL_ROWS = (Source, Person, PersonAlias, Group, Permission)


def _article_row_written(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    article = _loaded_article(instance)
    if article is not None:  # no query: the writer had the article in hand
        versions.retire([versions.record_key(), versions.article_key(article.slug)])
    else:
        _articles([_article_id(instance)])


def _loaded_article(instance: Model) -> Article | None:
    """The row's article when the writer already loaded it (a revision, an analysis of
    one, an activity entry of the recording service), else None."""
    cached = instance._state.fields_cache
    if isinstance(instance, Analysis):
        revision = cached.get("revision")
        cached = revision._state.fields_cache if revision is not None else {}
    article = cached.get("article")
    return article if isinstance(article, Article) and article.slug else None


def _article_written(sender: type[Model], instance: Article, **kwargs: Any) -> None:
    versions.retire([versions.record_key(), versions.article_key(instance.slug)])


def record_retire() -> None:
    """For bulk writes, which send no signals (``bulk_create``, raw SQL)."""
    versions.retire([versions.global_key(), versions.record_key()])


def _retired_slug_written(sender: type[Model], instance: RetiredSlug, **kwargs: Any) -> None:
    versions.retire([versions.article_key(instance.slug)])


def _global_row_written(sender: type[Model], **kwargs: Any) -> None:
    versions.retire([versions.global_key()])


def _user_written(sender: type[Model], instance: User, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) <= {"last_login"}:
        return  # a login: nothing any page shows
    versions.retire([versions.global_key()])  # names and groups show in lists of people


def _personal_row_written(
    sender: type[Model], instance: Follow | Notification, **kwargs: Any
) -> None:
    user_id = instance.user_id if isinstance(instance, Follow) else instance.recipient_id
    versions.retire([versions.user_key(user_id)])


def _corrections_annotations_changed(
    sender: type[Model], instance: Correction | Annotation, **kwargs: Any
) -> None:
    if kwargs.get("action", "").startswith("post_"):
        _articles([instance.article_id])  # either side of the link names the article


def _memberships_changed(sender: type[Model], **kwargs: Any) -> None:
    if kwargs.get("action", "").startswith("post_"):
        versions.retire([versions.global_key()])


def user_retire(user_id: int) -> None:
    """For writes that bypass ``save()`` (a queryset ``update()``) on a user's rows."""
    versions.retire([versions.user_key(user_id)])


def connect() -> None:
    uid = "review.pagecache"
    for model in ARTICLE_ROWS:
        post_save.connect(_article_row_written, sender=model, dispatch_uid=f"{uid}.s.{model}")
        post_delete.connect(_article_row_written, sender=model, dispatch_uid=f"{uid}.d.{model}")
    for signal in (post_save, post_delete):
        signal.connect(_article_written, sender=Article, dispatch_uid=f"{uid}.{signal}.article")
        signal.connect(
            _retired_slug_written, sender=RetiredSlug, dispatch_uid=f"{uid}.{signal}.retired"
        )
        signal.connect(_user_written, sender=User, dispatch_uid=f"{uid}.{signal}.user")
        for model in GLOBAL_ROWS:
            signal.connect(
                _global_row_written, sender=model, dispatch_uid=f"{uid}.{signal}.{model}"
            )
        for model in (Follow, Notification):
            signal.connect(
                _personal_row_written, sender=model, dispatch_uid=f"{uid}.{signal}.{model}"
            )
    m2m_changed.connect(
        _corrections_annotations_changed,
        sender=Correction.annotations.through,
        dispatch_uid=f"{uid}.correction-annotations",
    )
    for through in (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_memberships_changed, sender=through, dispatch_uid=f"{uid}.{through}")
