from __future__ import annotations

from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("articles/<slug:slug>/", views.article_read, name="article"),
    path("articles/<slug:slug>/revisions/<int:number>/", views.article_read, name="revision"),
    path("articles/<slug:slug>/compare/", views.article_compare, name="compare"),
]
