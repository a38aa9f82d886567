"""The signature a receiver checks, as the API guide shows it."""

import hashlib
import hmac

from portal.webhooks.signing import signature, verify

SECRET = "whsec_test-secret"
BODY = b'{"id":"6f1c","type":"ping","created":"2026-01-05T10:00:00+00:00","data":{}}'


def test_signature_signs_the_timestamp_and_the_body():
    expected = hmac.new(SECRET.encode(), b"1767607200." + BODY, hashlib.sha256).hexdigest()

    assert signature(SECRET, 1767607200, BODY) == f"t=1767607200,v1={expected}"


def test_signature_verifies_with_the_secret_within_the_tolerance():
    header = signature(SECRET, 1767607200, BODY)

    assert verify(SECRET, header, BODY, now=1767607200 + 299)
    assert not verify(SECRET, header, BODY, now=1767607200 + 301)  # a replay, refused
    assert not verify("whsec_other", header, BODY, now=1767607200)
    assert not verify(SECRET, header, BODY + b" ", now=1767607200)
    assert not verify(SECRET, header.replace("t=1767607200", "t=1767607201"), BODY, now=1767607200)
    assert not verify(SECRET, "garbage", BODY, now=1767607200)


def test_the_guides_receiver_example_accepts_the_portals_signature_and_refuses_others():
    import re
    import time
    from pathlib import Path

    from django.conf import settings

    guide = (Path(settings.BASE_DIR) / "portal" / "api" / "guide.md").read_text()
    (example,) = re.findall(
        r"```python\n(def is_from_the_portal.*?|import hashlib.*?)```", guide, re.S
    )
    namespace = {}
    exec(example, namespace)  # the guide's own code
    is_from_the_portal = namespace["is_from_the_portal"]
    now = int(time.time())

    assert is_from_the_portal(SECRET, signature(SECRET, now, BODY), BODY)
    assert not is_from_the_portal(SECRET, signature(SECRET, now - 600, BODY), BODY)
    assert not is_from_the_portal("whsec_other", signature(SECRET, now, BODY), BODY)
    assert not is_from_the_portal(SECRET, "v1=abc", BODY)
