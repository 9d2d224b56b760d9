from __future__ import annotations

from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("import/", views.article_import, name="import"),
    path("import/<int:batch_id>/", views.import_status, name="import_status"),
]
