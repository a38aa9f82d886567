import logging

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.urls import path, reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.rest.renderers import JSONRenderer
from core.rest.viewsets import StrictRequestMixin
from core.storage import download_storage
from portal import downloads

from .serializers import DownloadIndexSerializer, ErrorCode503Enum, ErrorResponse503Serializer

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/gzip"


class JSONWhateverAccepted(BaseContentNegotiation):
    """The files are gzip whatever the Accept header asks, and errors and the index are JSON:
    no Accept header is refused (a client asking for application/gzip gets the file)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if wanted and wanted != renderers[0].format:
            raise Http404  # a 400 naming `format` (StrictRequestMixin)
        return renderers[0], renderers[0].media_type


class DownloadMixin(StrictRequestMixin):
    """The index and the files: JSON answers (the files bypass the renderers), no filters."""

    serializer_class = DownloadIndexSerializer
    # Everything here is public and nothing is written (a write is a 405).
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONWhateverAccepted


@extend_schema_view(
    list=extend_schema(summary="The bulk download files", responses=DownloadIndexSerializer)
)
class DownloadIndexViewSet(DownloadMixin, viewsets.GenericViewSet):
    """Every public record of each list as one gzip file, in JSON lines and in CSV.

    The worker rebuilds the files shortly after records change (see "Bulk download" in the
    guide). The index gives each file's address, size, record count, time of last change and
    ETag; a file not built yet is not listed.
    """

    def list(self, request, *args, **kwargs):
        manifest = downloads.read_manifest()
        built = manifest.get("files") or {}
        files = []
        for resource in downloads.resources():
            for fmt in downloads.FORMATS:
                name = downloads.file_name(resource, fmt)
                entry = built.get(name)
                if not entry:
                    continue
                address = reverse("api:download-file", kwargs={"name": name})
                files.append(
                    {
                        "resource": resource,
                        "format": fmt,
                        "url": request.build_absolute_uri(address),
                        "size": entry["size"],
                        "count": entry["count"],
                        "modified": entry["modified"],
                        "etag": f'"{entry["etag"]}"',
                    }
                )
        data = {
            "started_at": downloads.build_start(manifest),
            "built_at": manifest.get("built_at"),
            "files": files,
        }
        return Response(DownloadIndexSerializer(data).data, headers={"Cache-Control": "no-cache"})


@extend_schema_view(
    retrieve=extend_schema(
        summary="One bulk download file",
        description=gettext_lazy(
            "The file, gzip-compressed (`Content-Type: application/gzip`, sent as an "
            "attachment), with a strong `ETag` and `Last-Modified`: send the ETag back in "
            "`If-None-Match` to get a 304 while it has not changed. `HEAD` gives the headers "
            "alone. 503 with `Retry-After` while the file has not been built yet."
        ),
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description=gettext_lazy(
                    "`<resource>.<format>.gz`: a resource of the index (e.g. conferences) "
                    "and jsonl or csv."
                ),
            )
        ],
        responses={
            (200, MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("The gzip file.")
            ),
            503: OpenApiResponse(
                ErrorResponse503Serializer,
                description=gettext_lazy("Not built yet; try again after Retry-After seconds."),
            ),
        },
    ),
)
class DownloadFileViewSet(DownloadMixin, viewsets.GenericViewSet):
    """One file of the index, at `/api/v1/downloads/<resource>.<format>.gz`."""

    def retrieve(self, request, *args, name: str = "", **kwargs):
        match = downloads.FILE_NAME.fullmatch(name)
        if match is None or match["resource"] not in downloads.resources():
            raise NotFound(_("No such file. The index lists them: /api/v1/downloads/."))
        entry = (downloads.read_manifest().get("files") or {}).get(name)
        modified = downloads.manifest_time(entry or {})
        if entry is None or modified is None:
            return self.not_built()
        etag = f'"{entry["etag"]}"'
        headers = {
            "ETag": etag,
            "Last-Modified": http_date(modified.timestamp()),
            "Cache-Control": "no-cache",
        }
        answer = get_conditional_response(
            request._request, etag=etag, last_modified=int(modified.timestamp())
        )
        if answer is not None:
            for header, value in headers.items():
                answer[header] = value
            return answer
        disposition = f'attachment; filename="{name}"'
        if request.method == "HEAD":
            response = HttpResponse(content_type=MEDIA_TYPE, headers=headers)
            response["Content-Length"] = str(entry["size"])
            response["Content-Disposition"] = disposition
            return response
        try:
            source = download_storage().open(entry["stored_as"], "rb")
        except Exception:
            # Removed by a build that began meanwhile (the next one has it), or object storage
            # that does not answer: try again later, as for a file not built yet.
            logger.warning("Download %s could not be opened", entry["stored_as"], exc_info=True)
            return self.not_built()
        return FileResponse(
            source, as_attachment=True, filename=name, content_type=MEDIA_TYPE, headers=headers
        )

    def not_built(self) -> Response:
        """503 with Retry-After, and a build asked for. Not raised as an exception: nothing
        failed, and error monitoring need not hear of it."""
        downloads.schedule_rebuild()
        body = {
            "type": "server_error",
            "errors": [
                {
                    "code": ErrorCode503Enum.NOT_BUILT,
                    "detail": _("This file is being built. Try again later."),
                    "attr": None,
                }
            ],
        }
        wait = max(settings.DOWNLOADS_REBUILD_DELAY_SECONDS, 10)
        return Response(
            body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(wait)}
        )


ROUTES = [("downloads", DownloadIndexViewSet, "download")]
# A file's address ends with its name, as a file's does: no slash after it.
URLS = [
    path(
        "downloads/<str:name>",
        DownloadFileViewSet.as_view({"get": "retrieve"}),
        name="download-file",
    )
]
