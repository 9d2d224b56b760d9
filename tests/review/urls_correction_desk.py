"""The project's URLs, plus a ``review:correction`` route while this branch lacks one.

``review.services.correction_submit`` and ``correction_sign_off`` reverse
``review:correction`` (the newsroom's page for one correction) to link their
notifications; that page is built on another branch. Until it is merged, the
public-log tests route the name to a page that needs login and shows nothing,
so that the real services run. Once ``review.urls`` names ``correction``, this
module is the project's URLconf unchanged.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from newsdesk import urls as project
from review import urls as review_urls


def _correction_desk_pending(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("The newsroom's correction page is not on this branch.")


_has_desk = any(getattr(p, "name", None) == "correction" for p in review_urls.urlpatterns)
_review = list(review_urls.urlpatterns)
if not _has_desk:
    _review.append(path("desk/corrections/<int:pk>/", _correction_desk_pending, name="correction"))

urlpatterns = [
    *(p for p in project.urlpatterns if getattr(p, "namespace", None) != "review"),
    path("", include((_review, review_urls.app_name))),
]
