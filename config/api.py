"""The partner API's one router, mounted at /api/v1/ with its schema and documentation.

Each app lists its endpoints in `<app>/api/views.py` as ROUTES: (prefix, viewset, basename).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from portal.api.agreements.views import ROUTES as AGREEMENT_ROUTES
from portal.api.conferences.views import ROUTES as CONFERENCE_ROUTES
from portal.api.downloads.views import ROUTES as DOWNLOAD_ROUTES
from portal.api.downloads.views import URLS as DOWNLOAD_URLS
from portal.api.members.views import ROUTES as MEMBER_ROUTES
from portal.api.sync.views import ROUTES as SYNC_ROUTES
from portal.api.webhooks.views import ROUTES as WEBHOOK_ROUTES
from portal.views.api_docs import (
    ApiConsoleView,
    ApiGuideView,
    ApiRecordsView,
    ApiReferenceView,
)


class PortalRouter(routers.DefaultRouter):
    include_format_suffixes = False


class NotFoundView(APIView):
    """Any other address under /api/v1/: the API's JSON 404, not the website's HTML page."""

    schema = None
    throttle_classes = []
    # Nothing here to read or write: no permission to check (a model permission needs a model).
    permission_classes = []

    def get(self, request, *args, **kwargs):
        raise NotFound

    post = put = patch = delete = get


router = PortalRouter()
for prefix, viewset, basename in (
    *CONFERENCE_ROUTES,
    *MEMBER_ROUTES,
    *AGREEMENT_ROUTES,
    *SYNC_ROUTES,
    *DOWNLOAD_ROUTES,
    *WEBHOOK_ROUTES,
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiReferenceView.as_view(), name="docs"),
    path("docs/guide/", ApiGuideView.as_view(), name="docs-guide"),
    path("docs/records/", ApiRecordsView.as_view(), name="docs-records"),
    path("docs/console/", ApiConsoleView.as_view(), name="docs-console"),
    *DOWNLOAD_URLS,
    path("", include(router.urls)),
    re_path(r"^.*$", NotFoundView.as_view()),
]
