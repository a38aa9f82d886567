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
