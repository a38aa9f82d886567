"""Receivers for the tests of webhooks.

`receiver` stands in for the HTTP call of a delivery (the task runs in the test's process);
`http_receiver` is a real HTTP server on a loopback port, and `webhook_worker` a real
`db_worker` process allowed to call it (tests/webhooks/test_worker.py).
"""

import json

import pytest

from portal.webhooks import tasks
from portal.webhooks.sending import Outcome


class Receiver:
    """What the worker would have posted, answered with the statuses queued (200 by default)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict, dict]] = []
        self.statuses: list[int] = []

    def __call__(self, url: str, body: bytes, headers: dict) -> Outcome:
        self.requests.append((url, json.loads(body), headers))
        status = self.statuses.pop(0) if self.statuses else 200
        return Outcome(status, "", 3)

    @property
    def events(self) -> list[str]:
        return [payload["type"] for _url, payload, _headers in self.requests]

    @property
    def payloads(self) -> list[dict]:
        return [payload for _url, payload, _headers in self.requests]


@pytest.fixture
def receiver(monkeypatch):
    fake = Receiver()
    monkeypatch.setattr(tasks, "post", fake)
    return fake
