"""Compression of answers: Django's GZipMiddleware, but files that are compressed already
(the bulk downloads, application/gzip) go out as they are. Compressing them again gains
nothing, costs the server a pass over every byte, and would weaken their strong ETag (a
client holding the ETag could no longer ask for the file only if it changed)."""

from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware

COMPRESSED_TYPES = {"application/gzip", "application/zip", "application/x-gzip"}


class GZipMiddleware(DjangoGZipMiddleware):
    def process_response(self, request, response):
        media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
