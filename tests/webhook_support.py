"""Receivers for the tests of webhooks.

`receiver` stands in for the HTTP call of a delivery in every test (a task run in the test's
process never calls out);
`http_receiver` is a real HTTP server on a loopback port, and `webhook_worker` a real
`db_worker` process allowed to call it (tests/webhooks/test_worker.py).
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

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


@pytest.fixture(autouse=True)
def receiver(monkeypatch):
    """Every test: a delivery run in the test's process never leaves it (a real receiver is
    called by the worker process of `webhook_worker` only)."""
    fake = Receiver()
    monkeypatch.setattr(tasks, "post", fake)
    return fake


class HttpReceiver:
    """A real HTTP server on a loopback port: it keeps each request and answers each with the
    next status queued (200 once the queue is empty)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._arrived:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.requests.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                            "status": status,
                        }
                    )
                    receiver._arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/portal"

    def wait_for(self, count: int, timeout: float = 60) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(self.requests)} of {count} deliveries arrived in {timeout} s"
                    )
                self._arrived.wait(left)
            return list(self.requests[:count])


@pytest.fixture
def http_receiver():
    receiver = HttpReceiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


# What the worker and this process are told: the loopback receiver may be called, quickly.
WORKER_WEBHOOK_SETTINGS = {
    "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8,::1",
    "WEBHOOK_ATTEMPTS": "3",
    "WEBHOOK_RETRY_SECONDS": "1",
    "WEBHOOK_TIMEOUT_SECONDS": "5",
    "WEBHOOK_PAUSE_AFTER": "2",
}


@pytest.fixture
def webhook_worker(smtp_server, http_receiver, transactional_db, monkeypatch):
    """A `db_worker` process delivering to `http_receiver` and mailing to `smtp_server`."""
    from tests.mail_support import DATABASE_TASKS, Worker

    for name, value in WORKER_WEBHOOK_SETTINGS.items():
        monkeypatch.setenv(name, value)  # the worker's environment is this one's
    worker = Worker(smtp_server.port).start()
    with override_settings(
        TASKS=DATABASE_TASKS,
        WEBHOOK_ALLOWED_NETWORKS=["127.0.0.0/8", "::1"],
        WEBHOOK_ATTEMPTS=3,
        WEBHOOK_RETRY_SECONDS=1,
        WEBHOOK_PAUSE_AFTER=2,
    ):
        try:
            yield worker
        finally:
            output = worker.stop()
            if output.strip():
                sys.stdout.write(f"\n--- db_worker ---\n{output}")
