"""Compression of answers: Django's GZipMiddleware, but files that are compressed already
(the bulk downloads, application/gzip) go out as they are. Compressing them again gains
nothing, costs the server a pass over every byte, and would weaken their strong ETag (a
client holding the ETag could no longer ask for the file only if it changed). A caller
whose Accept-Encoding gives gzip a weight of 0 is not sent gzip (Django's looks only for
the word)."""

from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware

from .page_cache import wants_gzip

COMPRESSED_TYPES = {"application/gzip", "application/zip", "application/x-gzip"}


class GZipMiddleware(DjangoGZipMiddleware):
    def process_response(self, request, response):
        media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type in COMPRESSED_TYPES or not wants_gzip(request):
            return response
        return super().process_response(request, response)
