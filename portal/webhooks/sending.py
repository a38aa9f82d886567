"""One HTTP request to a receiver, to the address that was checked, and what came back.

The standard library's client follows no redirect; the receiver's answer is read only up to
a few kilobytes and only its status code is kept: the body is not trusted, nor stored.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings

from .addresses import AddressRefused, check

MAX_ANSWER_BYTES = 16 * 1024
USER_AGENT = "SciencePortal-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def connection_to(target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    address = str(target.address)

    def connect_to_checked_address(_address, timeout, source_address=None):
        # The name stays for the Host header and the certificate (SNI); the socket goes to
        # the address checked, not to whatever the name resolves to now.
        return socket.create_connection((address, target.port), timeout, source_address)

    connection._create_connection = connect_to_checked_address
    return connection


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    started = time.monotonic()

    def outcome(status: int | None = None, error: str = "") -> Outcome:
        return Outcome(status, error[:300], int((time.monotonic() - started) * 1000))

    try:
        target = check(url)
    except AddressRefused as refused:
        return outcome(error=str(refused))
    connection = connection_to(target, settings.WEBHOOK_TIMEOUT_SECONDS)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        response = connection.getresponse()
        response.read(MAX_ANSWER_BYTES)
        return outcome(status=response.status)
    except TimeoutError:
        return outcome(error="The receiver did not answer in time.")
    except ssl.SSLError as error:
        return outcome(error=f"TLS: {error.reason or error}")
    except (OSError, http.client.HTTPException) as error:
        return outcome(error=f"{type(error).__name__}: {error}")
    finally:
        connection.close()
