"""One HTTP request to a real receiver on a loopback port (allowed for the test)."""

import socket
import threading

import pytest

from portal.webhooks.sending import post


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5


def test_the_request_carries_the_body_and_headers(http_receiver):
    outcome = post(http_receiver.url, b'{"type":"ping"}', {"Portal-Event": "ping"})

    (request,) = http_receiver.requests
    assert outcome.status == 200
    assert outcome.delivered
    assert request["body"] == b'{"type":"ping"}'
    assert request["headers"]["Portal-Event"] == "ping"
    assert request["headers"]["Host"] == f"127.0.0.1:{http_receiver.port}"


@pytest.mark.parametrize("status", [301, 302, 307, 404, 500])
def test_a_redirect_or_an_error_is_not_followed_and_not_delivered(http_receiver, status):
    http_receiver.statuses = [status]

    outcome = post(http_receiver.url, b"{}", {})

    assert (outcome.status, outcome.delivered, len(http_receiver.requests)) == (
        status,
        False,
        1,
    )


def test_a_receiver_that_does_not_answer_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    try:
        outcome = post(f"http://127.0.0.1:{listener.getsockname()[1]}/", b"{}", {})
    finally:
        listener.close()
        for connection, _address in accepted:
            connection.close()

    assert (outcome.status, outcome.error) == (None, "The receiver did not answer in time.")
    assert outcome.duration_ms < 5000


def test_a_closed_port_is_an_error_not_an_exception():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    outcome = post(f"http://127.0.0.1:{port}/", b"{}", {})

    assert outcome.status is None
    assert outcome.error.startswith("ConnectionRefusedError")


def test_a_loopback_receiver_is_refused_without_the_setting(http_receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []

    outcome = post(http_receiver.url, b"{}", {})

    assert outcome.error == (
        "Deliveries go to public addresses only: 127.0.0.1 is a loopback address."
    )
    assert http_receiver.requests == []
