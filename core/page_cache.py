"""Whole answers cached for anonymous visitors and API callers, until what they show changes.

Each answer is kept with the versions of the dependency tags it was made under
(core/dependencies.py): by default the portal's change clock (core/changes.py), which any
change moves; for a view that says it is precise, the records it loaded and the kinds it
named. A hit reads the answer and the clock in one call, and the other tags in a second; it
is served only while they are all unchanged, so a staff edit, saved anywhere, is seen at
once wherever it shows, and only there. An answer made while a change was saved is not
kept. Stale entries are replaced by the next request, or expire (PAGE_CACHE_SECONDS).

The tags live in the same cache and never expire: with Redis under memory pressure, use a
`volatile-*` eviction policy so that answers, which expire, go first; a missing tag makes
the answers depending on it stale, never current.

Pages: only what is the same for every anonymous visitor is cached: GET or HEAD, no
authorization header, a 200 answer with no cookie and not marked private. A session cookie
passes the cache by only when its session holds a login or messages: a stale or made-up one
is served like any visitor. The middleware sits inside CORS, conditional-GET and security
middleware, so their headers (and 304 answers) still apply to a cached answer; the headers
added inside it are kept with the answer. The API caches its answers itself
(core/rest/viewsets.py), after access, rate limits and parameters are checked; staff tokens,
which see more, are never served from or stored in the cache.

The key holds all an answer depends on: the scheme and host (absolute links), the path and
query, the best coding the caller takes (brotli, gzip or none) and, for the API, the media
type negotiated with its parameters (`Accept: application/json; indent=4`). When the cache
does not answer, pages are built for every request (core/cache.py).
"""

import functools
import hashlib
import re
import time
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from . import dependencies
from .cache import (
    cache_is_down,
    safe_add,
    safe_add_tags,
    safe_delete,
    safe_get_many,
    safe_get_tags,
    safe_set,
)
from .changes import CLOCK_KEY, SEQUENCE_KEY, changes_between, records_changed_at

# The API caches its own answers, after checking access, rate limits and parameters.
SKIPPED_PREFIXES = (
    "/api/",
    "/admin/",
    "/account/",
    "/healthz",
    "/bench/",
    "/agreements/documents/",
)
# Headers a cached answer does not keep: about this one sending, or counted again.
UNKEPT_HEADERS = {"date", "age", "expires", "content-length", "x-cache", "set-cookie"}
# What a session holds that makes a page its own: a login, or messages to show.
PRIVATE_SESSION_KEYS = (SESSION_KEY, SessionStorage.session_key)


# Bodies shorter than this are sent as they are (as GZipMiddleware does).
MIN_COMPRESSED_LENGTH = 200
# The codings the portal sends, best first, and the names clients may give them.
CODINGS = ("br", "gzip")
CODING_ALIASES = {"x-gzip": "gzip"}


@functools.lru_cache(maxsize=256)
def accepted_codings(header: str) -> frozenset[str]:
    """The codings of CODINGS an Accept-Encoding header takes (RFC 9110, 12.5.3): those it
    names with a weight above 0 and, after a `*` above 0, those it does not name. Only its
    first 32 items are read."""
    weights: dict[str, bool] = {}
    for item in header.lower().split(",")[:32]:
        coding, _, parameters = item.partition(";")
        coding = CODING_ALIASES.get(coding.strip(), coding.strip())
        match = re.search(r"\bq\s*=\s*([^;\s]*)", parameters)
        try:
            weights[coding] = float(match.group(1)) > 0 if match else True
        except ValueError:
            weights[coding] = True  # a weight that is not a number is not one
    anything = weights.get("*", False)
    return frozenset(coding for coding in CODINGS if weights.get(coding, anything))


def wants_gzip(request: HttpRequest) -> bool:
    return "gzip" in accepted_codings(request.META.get("HTTP_ACCEPT_ENCODING", ""))


def negotiated_coding(request: HttpRequest) -> str:
    """The best coding the caller takes: "br", "gzip" or "identity"."""
    accepted = accepted_codings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    return next((coding for coding in CODINGS if coding in accepted), "identity")


def is_cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


def has_private_session(request: HttpRequest) -> bool:
    """Whether the caller's cookies hold a login or messages: one read of the session, made
    only for a caller sending a session cookie, and no read for a key that cannot be one."""
    if messages_cookie_is_signed(request):
        return True
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    if session.session_key is None:  # malformed: the store would not even look it up
        return False
    return any(name in session for name in PRIVATE_SESSION_KEYS)


def messages_cookie_is_signed(request: HttpRequest) -> bool:
    value = request.COOKIES.get(CookieStorage.cookie_name)
    if not value:
        return False
    try:
        signing.get_cookie_signer(salt=CookieStorage.key_salt).unsign(value)
    except signing.BadSignature:
        return False
    return True


def is_cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not sets_cookies(response)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def sets_cookies(response: HttpResponse) -> bool:
    """Whether the answer sets a cookie; dropping a stale session cookie does not count (the
    copy kept has no cookies, and the caller sent one that holds nothing)."""
    return any(
        not (name == settings.SESSION_COOKIE_NAME and not morsel.value and morsel["max-age"] == 0)
        for name, morsel in response.cookies.items()
    )


# One request makes a missing or stale answer; the others asking for it meanwhile wait for it
# (up to WAIT_SECONDS), then serve it if it is current: a change drops the most asked pages,
# and five workers rebuilding one search at once took five times as long each.
BUILD_LOCK_SECONDS = 10
WAIT_SECONDS = 2.0
WAIT_STEP_SECONDS = 0.025


@dataclass
class Slot:
    """Where an answer not found in the cache will be kept, and what it was made under."""

    key: str
    clock: float  # the change clock when the answer began: a change meanwhile keeps it out
    collection: dependencies.Collection
    building: bool = False  # holds the key's build lock
    # The number of the last change logged when the answer began (core/changes.py): a precise
    # answer is kept if the changes logged since touched none of its tags.
    sequence: int | None = None

    def release(self) -> None:
        if self.building:
            self.building = False
            safe_delete(f"{self.key}:building")


def lookup(request: HttpRequest, variant: str = "") -> tuple[HttpResponse | None, Slot | None]:
    """The cached answer, or the slot to keep the one about to be made (neither while the
    cache does not answer). One read of the cache, and a second for an answer that depends
    on tags besides the clock."""
    # An answer may be sent in any coding the caller takes (the member map's points are
    # kept in brotli): each coding its own answer.
    encoding = negotiated_coding(request)
    raw = "\n".join(
        (request.scheme, request.get_host(), request.get_full_path(), variant, encoding)
    )
    key = f"page:{hashlib.sha256(raw.encode()).hexdigest()}"
    found = safe_get_many([key, CLOCK_KEY, SEQUENCE_KEY])
    if cache_is_down():
        return None, None
    clock = found.get(CLOCK_KEY)
    if clock is None:
        clock = records_changed_at().timestamp()
    stored = found.get(key)
    if stored is not None and is_current(stored[0], clock):
        return cached_response(stored), None
    building = safe_add(f"{key}:building", 1, BUILD_LOCK_SECONDS)
    if not building:
        made = made_meanwhile(key)
        if made is not None:
            return made, None
        # Not made in time (or not kept: a change came meanwhile): made here as well.
        found = safe_get_many([CLOCK_KEY, SEQUENCE_KEY])
        clock = found.get(CLOCK_KEY, clock)
    slot = Slot(key, clock, dependencies.start(), building=building)
    slot.sequence = found.get(SEQUENCE_KEY)
    return None, slot


def made_meanwhile(key: str) -> HttpResponse | None:
    """The answer another request is making, once kept and current; None if it is not kept
    within WAIT_SECONDS or the other request gave up."""
    waited = 0.0
    while waited < WAIT_SECONDS:
        time.sleep(WAIT_STEP_SECONDS)
        waited += WAIT_STEP_SECONDS
        found = safe_get_many([key, CLOCK_KEY, f"{key}:building"])
        stored = found.get(key)
        if stored is not None:
            clock = found.get(CLOCK_KEY) or records_changed_at().timestamp()
            if is_current(stored[0], clock):
                return cached_response(stored)
        if f"{key}:building" not in found:
            return None
    return None


def is_current(versions: dict, clock: float) -> bool:
    tags = versions
    if CLOCK_KEY in versions:
        if versions[CLOCK_KEY] != clock:
            return False
        tags = {tag: version for tag, version in versions.items() if tag != CLOCK_KEY}
        if not tags:
            return True
    current = safe_get_tags(tags)
    return all(current.get(tag) == version for tag, version in tags.items())


def cached_response(stored) -> HttpResponse:
    _versions, status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    response["X-Cache"] = "hit"
    return response


def store_response(slot: Slot | None, response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Keep `response` in `slot`, compressed once when the caller takes gzip: a large
    answer compressed again on every hit cost more than building a small one."""
    dependencies.stop()
    try:
        return keep(slot, response, request)
    finally:
        if slot is not None:
            slot.release()


def keep(slot: Slot | None, response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if slot is not None and is_cacheable_response(response):
        if callable(getattr(response, "render", None)):
            response = response.render()
        versions = versions_of(slot)
        if versions is None:
            return response
        if wants_gzip(request) and not response.has_header("Content-Encoding"):
            compress(response)
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in UNKEPT_HEADERS
        ]
        stored = (versions, response.status_code, headers, response.content)
        seconds = settings.PAGE_CACHE_SECONDS
        if slot.collection.max_age is not None:
            seconds = min(seconds, round(slot.collection.max_age))
        if seconds <= 0:
            return response  # it shows counts that may lag no longer
        if safe_set(slot.key, stored, seconds):
            response["X-Cache"] = "miss"
    return response


def versions_of(slot: Slot) -> dict | None:
    """The versions of the tags the answer depends on, as they are now; None when a change
    was saved while it was made (it may show the rows from before)."""
    if slot.collection.is_precise:
        tags = {*dependencies.bounded(slot.collection.tags), dependencies.EPOCH_KEY}
    else:
        # Every change, and the counts the worker keeps that it showed (which it stores
        # without moving the clock).
        tags = set(slot.collection.count_tags)
    # The tags first, then the clock: the reverse of a change's order (core/changes.py).
    current = safe_get_tags(tags) if tags else {}
    now = safe_get_many([CLOCK_KEY, SEQUENCE_KEY])
    if not slot.collection.is_precise and now.get(CLOCK_KEY) != slot.clock:
        return None
    if not unchanged_for(slot, now, tags):
        return None
    missing = tags - current.keys()
    if missing:
        # Never moved (or forgotten): given a version now, unless a change just gave it one.
        version = dependencies.new_version()
        if not all(safe_add_tags(dict.fromkeys(missing, version)).values()):
            return None
        current.update(dict.fromkeys(missing, version))
    versions = {tag: current[tag] for tag in tags}
    if not slot.collection.is_precise:
        versions[CLOCK_KEY] = slot.clock
    return versions


def unchanged_for(slot: Slot, now: dict, tags: set[str]) -> bool:
    """Whether nothing the answer depends on changed while it was made: every change logged
    meanwhile touched none of its tags (core/changes.py), and the clock moved only with
    changes logged. The rows it read are then those of its tags' versions read after it."""
    clock_moved = now.get(CLOCK_KEY) != slot.clock
    last = now.get(SEQUENCE_KEY)
    if last is None:  # nothing ever logged (a fresh cache), or the log was lost
        return slot.sequence is None and not clock_moved
    # None when it began: nothing was logged yet, the changes since are numbered from 1.
    began = slot.sequence or 0
    if last < began:
        return False  # the numbering started again: which changes came cannot be told
    if last == began:
        return not clock_moved  # the clock moved with no change logged: an older process
    changes = changes_between(began + 1, last)
    if changes is None:
        return False
    own = slot.collection.own_changes
    return not any(
        everything or tags & moved for number, everything, moved in changes if number not in own
    )


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
        slot = None
        try:
            if not is_cacheable_request(request) or has_private_session(request):
                return self.get_response(request)
            cached, slot = lookup(request)
            if cached is not None:
                return cached
            return store_response(slot, self.get_response(request), request)
        finally:
            dependencies.stop()
            if slot is not None:
                slot.release()
