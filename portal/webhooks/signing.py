"""The signature a receiver checks: HMAC-SHA256 of "<timestamp>.<body>" under the secret.

    Portal-Signature: t=1767225600,v1=<64 hexadecimal digits>

The timestamp is inside the signed text, so a receiver that refuses old timestamps refuses
a replayed delivery too.
"""

import hashlib
import hmac

SIGNATURE_HEADER = "Portal-Signature"
EVENT_HEADER = "Portal-Event"
DELIVERY_HEADER = "Portal-Delivery"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """Whether `header` signs `body` under `secret`, made within `tolerance` seconds of `now`.

    The same check as the API guide's receiver example.
    """
    try:
        fields = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))
