from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles.api import router as articles_api
from newsdesk.api import api
from newsdesk.api import urls as api_urls
from review.api import router as review_api

admin.site.site_header = "Newsdesk Review administration"
admin.site.site_title = "Newsdesk Review admin"

# Every app's API router, mounted before the API's URLs are built.
api.add_router("", articles_api)
api.add_router("", review_api)

urlpatterns = [
    # GET and POST only (Django's LoginView would take a PUT as a POST).
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(http_method_names=["get", "post", "options"]),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api_urls()),
    path("", include("articles.urls")),
    path("", include("review.urls")),
]
