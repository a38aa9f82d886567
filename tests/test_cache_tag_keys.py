"""The dependency tags' keys in Redis are the ones Django's cache would use."""

from django.core.cache.backends.redis import RedisCache

from core.cache import _tag_keys


def redis_cache(**params) -> RedisCache:
    return RedisCache("redis://127.0.0.1:6379/15", params)


def test_keys_are_the_cache_s_own_keys_as_bytes():
    cache = redis_cache(KEY_PREFIX="portal", VERSION=3)
    tags = ["dep:members.organisation:12", "dep:clock", "dép:ünïcode"]

    assert _tag_keys(cache, tags) == [cache.make_key(tag).encode() for tag in tags]
    assert _tag_keys(cache, ["dep:clock"]) == [b"portal:3:dep:clock"]


def key_function(key, key_prefix, version):
    return f"{version}|{key_prefix}|{key}"


def test_a_key_function_of_its_own_is_used_as_it_is():
    cache = redis_cache(KEY_PREFIX="portal", KEY_FUNCTION=key_function)

    assert _tag_keys(cache, ["dep:clock"]) == ["1|portal|dep:clock"]
