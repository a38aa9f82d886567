"""Whole answers cached for anonymous visitors and API callers, until a record changes.

Every key holds the portal's change clock (core/changes.py), so a staff edit, saved
anywhere, makes every cached answer stale at once: the next request builds a fresh one. Old
entries are never read again and expire on their own (PAGE_CACHE_SECONDS).

Pages: only what is the same for every anonymous visitor is cached: GET or HEAD, no session
cookie, a 200 answer with no cookie and not marked private. The middleware sits inside CORS,
conditional-GET and security middleware, so their headers (and 304 answers) still apply to a
cached answer. The API caches its answers itself (core/rest/viewsets.py), after access,
rate limits and parameters are checked; staff tokens, which see more, are never served from
or stored in the cache.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from .changes import records_changed_at

# The API caches its own answers, after checking access, rate limits and parameters.
SKIPPED_PREFIXES = ("/api/", "/admin/", "/healthz", "/bench/", "/agreements/documents/")
# Headers a cached answer keeps; the outer middleware add their own again.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Last-Modified",
    "Link",
    "Vary",
    "Allow",
)


ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Bodies shorter than this are sent as they are (as GZipMiddleware does).
MIN_COMPRESSED_LENGTH = 200


def wants_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def is_cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


def is_cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def cache_key(request: HttpRequest, variant: str = "") -> str:
    """The answer's key: the change clock, the address, whether the caller takes gzip and,
    for the API, the format."""
    version = records_changed_at().timestamp()
    encoding = "gzip" if wants_gzip(request) else "identity"
    raw = f"{request.get_full_path()}\n{variant}\n{encoding}"
    return f"page:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached_response(key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    response["X-Cache"] = "hit"
    return response


def store_response(key: str, response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Keep `response` under `key`, compressed once when the caller takes gzip: a large
    answer compressed again on every hit cost more than building a small one."""
    if is_cacheable_response(response):
        if callable(getattr(response, "render", None)):
            response = response.render()
        if wants_gzip(request) and not response.has_header("Content-Encoding"):
            compress(response)
        headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
        cache.set(
            key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS
        )
        response["X-Cache"] = "miss"
    return response


def compress(response: HttpResponse) -> None:
    if len(response.content) < MIN_COMPRESSED_LENGTH:
        return
    compressed = compress_string(response.content)
    if len(compressed) >= len(response.content):
        return
    response.content = compressed
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(compressed))
    patch_vary_headers(response, ("Accept-Encoding",))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request)
        cached = cached_response(key)
        if cached is not None:
            return cached
        return store_response(key, self.get_response(request), request)
