"""The shared cache, read and written so that its failure slows a page down, never breaks it.

Pages, API answers, the change clock and rate limits all live in the cache (Redis in
production). When it does not answer, `safe_get` answers "not there" and `safe_set` /
`safe_add` do nothing, and the callers serve uncached. The first failure is logged once; the
cache is then left alone for RETRY_SECONDS, so that a cache that hangs (up to the socket
timeouts in CACHES) costs one slow request per process, not every request.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, default_key_func
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0

try:
    from redis.exceptions import RedisError
except ImportError:  # the portal runs without the redis package on the local-memory cache
    RedisError = OSError

# What a cache backend raises when its server does not answer; anything else is a bug.
CACHE_ERRORS = (RedisError, OSError)

_NOT_FOUND = object()
_lock = threading.Lock()
_outage = {"down": False, "retry_at": 0.0}
_on_recovery: list[Callable[[], None]] = []
_warned: set[str] = set()


def on_recovery(hook: Callable[[], None]) -> Callable[[], None]:
    """Run `hook` when the cache answers again after an outage in this process."""
    _on_recovery.append(hook)
    return hook


def cache_is_down() -> bool:
    """Whether the last call failed (this process has not seen the cache answer since)."""
    return _outage["down"]


def warn_once(message: str) -> None:
    """Log `message` once per outage: a failure repeated on every request says nothing new."""
    if message not in _warned:
        _warned.add(message)
        logger.warning(message)


def reset() -> None:
    """Forget any outage (for tests)."""
    _outage.update(down=False, retry_at=0.0)
    _warned.clear()


def _call(method: str | Callable, *args, default: Any = None) -> Any:
    if _outage["down"] and time.monotonic() < _outage["retry_at"]:
        return default
    call = method if callable(method) else getattr(cache, method)
    try:
        result = call(*args)
        if _outage["down"]:
            _recovered()
            # The hooks may have changed what was just read (the change clock): ask again.
            result = call(*args)
    except CACHE_ERRORS:
        with _lock:
            first = not _outage["down"]
            _outage.update(down=True, retry_at=time.monotonic() + RETRY_SECONDS)
        if first:
            logger.warning(
                "The cache does not answer; serving without it until it does", exc_info=True
            )
        return default
    return result


def _recovered() -> None:
    with _lock:
        recovered, _outage["down"] = _outage["down"], False
    if recovered:
        _warned.clear()
        logger.warning("The cache answers again")
        for hook in _on_recovery:
            hook()


def safe_get(key: str, default: Any = None) -> Any:
    found = _call("get", key, _NOT_FOUND, default=_NOT_FOUND)
    return default if found is _NOT_FOUND else found


def safe_get_many(keys) -> dict:
    return _call("get_many", list(keys), default={})


def safe_set(key: str, value: Any, timeout: float | None) -> bool:
    """Keep `value`; False when the cache did not take it."""
    done = _call("set", key, value, timeout, default=_NOT_FOUND)
    return done is not _NOT_FOUND


def safe_set_many(values: dict, timeout: float | None) -> bool:
    done = _call("set_many", values, timeout, default=_NOT_FOUND)
    return done is not _NOT_FOUND


def safe_delete(key: str) -> None:
    _call("delete", key)


def safe_add(key: str, value: Any, timeout: float | None) -> bool:
    return bool(_call("add", key, value, timeout, default=False))


def safe_incr(key: str) -> int | None:
    """The key's number plus one, stored (atomically with Redis); None when the cache does
    not answer or holds no number under the key."""
    try:
        return _call("incr", key, default=None)
    except ValueError:  # the key is missing
        return None


# Dependency tags (core/dependencies.py): many small values read on every cache hit. With
# Redis they are kept as plain strings and read with one MGET on the client itself: Django's
# per-key handling (validation, pickling) cost ten times the round trip for a hundred tags.


def safe_get_tags(tags) -> dict[str, str]:
    """The versions the tags hold (a tag holding none is left out)."""
    return _call(_get_tags, list(tags), default={})


def safe_set_tags(values: dict[str, str]) -> bool:
    done = _call(_set_tags, values, default=_NOT_FOUND)
    return done is not _NOT_FOUND


def safe_add_tags(values: dict[str, str]) -> dict[str, bool]:
    """Give each tag its version only where it holds none: which ones were given."""
    return _call(_add_tags, values, default=dict.fromkeys(values, False))


def _redis() -> RedisCache | None:
    backend = caches[DEFAULT_CACHE_ALIAS]
    return backend if isinstance(backend, RedisCache) else None


def _tag_keys(redis: RedisCache, tags: list[str]) -> list[bytes] | list[str]:
    """The tags' keys in Redis, as bytes: a page's few hundred tags each went through the
    key function and redis-py's encoder. With Django's own key function a key is its
    prefix and version, then the tag."""
    if redis.key_func is not default_key_func:
        return [redis.make_key(tag) for tag in tags]
    prefix = redis.make_key("").encode()
    return [prefix + tag.encode() for tag in tags]


def _get_tags(tags: list[str]) -> dict[str, str]:
    if not tags:
        return {}
    redis = _redis()
    if redis is None:
        return cache.get_many(tags)
    found = redis._cache.get_client(None).mget(_tag_keys(redis, tags))
    # A value not written here (by another version) still reads as some version: the answers
    # kept with it are dropped at the tag's next change, like any other.
    return {
        tag: value.decode(errors="replace")
        for tag, value in zip(tags, found, strict=True)
        if value is not None
    }


def _set_tags(values: dict[str, str]) -> None:
    if not values:
        return
    redis = _redis()
    if redis is None:
        cache.set_many(values, None)
        return
    client = redis._cache.get_client(None, write=True)
    client.mset({redis.make_key(tag): version for tag, version in values.items()})


def _add_tags(values: dict[str, str]) -> dict[str, bool]:
    redis = _redis()
    if redis is None:
        return {tag: cache.add(tag, version, None) for tag, version in values.items()}
    pipeline = redis._cache.get_client(None, write=True).pipeline()
    for tag, version in values.items():
        pipeline.set(redis.make_key(tag), version, nx=True)
    return dict(zip(values, map(bool, pipeline.execute()), strict=True))


class SafeCache:
    """The few cache methods others call on a cache object (DRF's throttles), made safe."""

    def get(self, key, default=None):
        return safe_get(key, default)

    def get_many(self, keys):
        return safe_get_many(keys)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT):
        safe_set(key, value, timeout)

    def set_many(self, values, timeout=DEFAULT_TIMEOUT):
        safe_set_many(values, timeout)
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT):
        return safe_add(key, value, timeout)


safe_cache = SafeCache()
