from __future__ import annotations

from django.urls import path

from review import feeds, public_views, views

app_name = "review"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("articles/<slug:slug>/", views.article_read, name="article"),
    path("articles/<slug:slug>/revisions/<int:number>/", views.article_read, name="revision"),
    path("articles/<slug:slug>/compare/", views.article_compare, name="compare"),
    path(
        "articles/<slug:slug>/revisions/<int:number>/annotate/",
        views.annotation_new,
        name="annotation-new",
    ),
    path(
        "articles/<slug:slug>/revisions/<int:number>/annotations/",
        views.annotation_create,
        name="annotation-create",
    ),
    path(
        "articles/<slug:slug>/revisions/<int:number>/attributions/<int:index>/dismiss/",
        views.flag_dismiss,
        name="flag-dismiss",
    ),
    path("annotations/", views.annotation_queue, name="annotations"),
    path("annotations/<int:pk>/comments/", views.comment_create, name="comment-create"),
    path("annotations/<int:pk>/status/", views.annotation_status, name="annotation-status"),
    path("annotations/<int:pk>/assign/", views.annotation_assign, name="annotation-assign"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("notifications/", views.notification_list, name="notifications"),
    path("articles/<slug:slug>/follow/", views.article_follow, name="article-follow"),
    path("sources/<slug:slug>/follow/", views.source_follow, name="source-follow"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
]

urlpatterns += [
    path("articles/<slug:slug>/history/", views.article_history, name="history"),
    path("articles/<slug:slug>/revisions/feed/", feeds.revisions_feed, name="revisions-feed"),
    path("articles/<slug:slug>/corrections/new/", views.correction_new, name="correction-new"),
    path(
        "articles/<slug:slug>/corrections/preview/",
        views.correction_preview,
        name="correction-preview",
    ),
    path("review/corrections/", views.correction_queue, name="corrections-queue"),
    path("review/corrections/<int:pk>/", views.correction_detail, name="correction"),
    path("review/corrections/<int:pk>/edit/", views.correction_edit, name="correction-edit"),
    path(
        "review/corrections/<int:pk>/<slug:action>/",
        views.correction_action,
        name="correction-action",
    ),
]

# The public corrections log: the only pages open without a login.
urlpatterns += [
    path("corrections/", public_views.corrections_log, name="corrections-log"),
    path("corrections/feed/", public_views.corrections_feed, name="corrections-feed"),
    path("corrections/<int:pk>/", public_views.correction_public, name="correction-public"),
]
