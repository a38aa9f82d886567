"""A real SMTP server and a real task worker, for the tests of mail sent by the worker.

`smtp_server` listens on a free loopback port (aiosmtpd) and keeps every message it is
handed. `task_worker` starts `manage.py db_worker` in its own process against the test
database, with SMTP settings pointing at that server, and stops it before the test's data is
flushed. Tests that use them run with `transaction=True`: the worker reads committed rows only.
"""

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Mailbox:
    """What the SMTP server received: parsed messages, with their envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 60) -> list[EmailMessage]:
        """The first `count` messages, waiting for the worker to send them."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(self.messages)} of {count} messages arrived in {timeout} s"
                    )
                self._arrived.wait(left)
            return list(self.messages[:count])

    def wait_for_mail_to(
        self, address: str, count: int = 1, timeout: float = 60
    ) -> list[EmailMessage]:
        """The first `count` messages to `address`, waiting for the worker to send them."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.to(address)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(self.to(address))} of {count} messages to {address} arrived "
                        f"in {timeout} s"
                    )
                self._arrived.wait(left)
            return self.to(address)[:count]

    def to(self, address: str) -> list[EmailMessage]:
        return [
            m for m, rcpt in zip(self.messages, self.recipients, strict=True) if address in rcpt
        ]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    mailbox.port = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()


def database_url() -> str:
    """The test database, as the worker process must reach it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{settings['NAME']}"


class Worker:
    def __init__(self, smtp_port: int) -> None:
        self.smtp_port = smtp_port
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "database",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "false",
            "EMAIL_TIMEOUT": "5",
            "EMAIL_RETRY_SECONDS": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-reload"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        return self

    def stop(self) -> str:
        """Stop the worker (it finishes the task in hand) and return what it printed."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        output = self.process.stdout.read() if self.process.stdout else ""
        self.process = None
        return output


@pytest.fixture
def task_worker(smtp_server, transactional_db):
    """A `db_worker` process sending to `smtp_server`; this process queues in the database."""
    worker = Worker(smtp_server.port).start()
    with override_settings(TASKS=DATABASE_TASKS):
        try:
            yield worker
        finally:
            output = worker.stop()
            if output.strip():
                sys.stdout.write(f"\n--- db_worker ---\n{output}")
