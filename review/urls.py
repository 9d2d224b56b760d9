from __future__ import annotations

from django.urls import path

from review import public_views, views

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
    path("notifications/read/", views.notifications_read, name="notifications-read"),
]

# The public corrections log: the only pages open without a login.
urlpatterns += [
    path("corrections/", public_views.corrections_log, name="corrections-log"),
    path("corrections/feed/", public_views.corrections_feed, name="corrections-feed"),
    path("corrections/<int:pk>/", public_views.correction_public, name="correction-public"),
]
