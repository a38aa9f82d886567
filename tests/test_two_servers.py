"""Two app servers share one cache: a change saved through one is seen at once through the other.

The test runs what a deployment runs: two gunicorn processes with the production settings
(DEBUG off, PAGE_CACHE on), one redis-server of its own and one database of its own. The
servers are separate processes, so they cannot see pytest-django's test transaction: the
test makes a throwaway database (a fresh PostgreSQL database when DATABASE_URL names
PostgreSQL, else a SQLite file), migrates it, loads the demo data and issues a staff write
token, all in one subprocess. Every request goes to 127.0.0.1 with a timeout, and every wait
is bounded.
"""

import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
from http.client import HTTPConnection, HTTPResponse
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest

# The project's own redis-server fixture (skips when redis-server is missing) and free_port.
from tests.test_cache_faults import free_port, redis_server  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "portal.example.org"
# What the proxy in front of both servers sends: one host name, TLS ended at the proxy.
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}
READY_SECONDS = 20
REQUEST_SECONDS = 10

# Run in the servers' environment: the database, the demo data, collected static files and a
# staff write token. The static files are collected with hashed names but not compressed
# (the production storage's manifest, without its half a minute of gzip and brotli).
SETUP = """
import io, json
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings
from members.models import Organisation
from portal.models import ApiToken
from portal.services import issue_api_token

call_command("migrate", verbosity=0)
call_command("load_demo", stdout=io.StringIO())
storages = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
with override_settings(STORAGES=storages):
    call_command("collectstatic", interactive=False, verbosity=0)
user = get_user_model().objects.create_superuser("two-servers", "two-servers@example.org", None)
token, key = issue_api_token(name="Two servers", access=ApiToken.Access.WRITE, user=user)
organisation = Organisation.objects.exclude(city="").order_by("slug").first()
print(json.dumps({"key": key, "slug": organisation.slug, "city": organisation.city}))
"""


def base_env(tmp_path: Path) -> dict:
    """The production environment of tests/test_production.py, without the test's own
    database or settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECURE_", "DATABASE_URL", "PAGE_CACHE"))
        and key not in {"REDIS_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "STATIC_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        TRUSTED_PROXY_COUNT="1",
        PAGE_CACHE="on",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        STATIC_ROOT=str(tmp_path / "static"),
        LOG_LEVEL="warning",
        WEB_CONCURRENCY="1",
    )
    return env


@contextlib.contextmanager
def throwaway_database(tmp_path: Path):
    """The URL of a new, empty database, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg

    config = dj_database_url.parse(url)
    name = f"sciparks_two_{secrets.token_hex(6)}"
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
        "connect_timeout": 10,
    }
    with psycopg.connect(**server) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(**server) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def request(port: int, method: str, path: str, headers=None, body=None) -> HTTPResponse:
    connection = HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        response.text = response.read().decode()
        return response
    finally:
        connection.close()


def wait_until_ready(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn on {port} exited ({process.returncode}):\n{log.read_text()}")
        with contextlib.suppress(OSError):
            if request(port, "GET", "/healthz").status == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"gunicorn on {port} was not ready within {READY_SECONDS} s:\n{log.read_text()}")


@contextlib.contextmanager
def app_servers(env: dict, tmp_path: Path, count: int):
    """`count` gunicorn processes (one worker each) on free ports; yields the ports."""
    started = []
    try:
        for number in range(count):
            port = free_port()
            log = tmp_path / f"gunicorn-{number}.log"
            with log.open("w") as output:
                process = subprocess.Popen(
                    [str(GUNICORN), "-c", "config/gunicorn.py", "config.wsgi"],
                    cwd=REPO,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started.append((port, process, log))
        for port, process, log in started:
            wait_until_ready(port, process, log)
        yield [port for port, _, _ in started]
    finally:
        for _, process, _ in started:
            process.terminate()
        for _, process, _ in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def get(port: int, path: str, **headers) -> HTTPResponse:
    response = request(port, "GET", path, headers)
    assert response.status in (200, 304), (port, path, response.status, response.text[:500])
    return response


def test_a_change_through_one_server_is_seen_at_once_through_the_other(tmp_path, redis_server):  # noqa: F811
    env = base_env(tmp_path)
    env["REDIS_URL"] = redis_server[1]
    with throwaway_database(tmp_path) as database_url:
        env["DATABASE_URL"] = database_url
        setup = subprocess.run(
            [sys.executable, "-c", SETUP],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert setup.returncode == 0, setup.stdout + setup.stderr
        made = json.loads(setup.stdout.strip().splitlines()[-1])
        page = f"/organisations/{made['slug']}/"
        api = f"/api/v1/organisations/{made['slug']}/"
        old_city, new_city = made["city"], f"Newtown {secrets.token_hex(3)}"

        with app_servers(env, tmp_path, 2) as (a, b):
            # Warm both: A builds each answer, B is served A's copy from the shared cache.
            for path in (page, api):
                first = get(a, path)
                assert first.status == 200 and old_city in first.text
                assert first.getheader("X-Cache") == "miss", path
                for _ in range(2):
                    again = get(b, path)
                    assert again.status == 200 and again.text == first.text, path
                    assert again.getheader("X-Cache") == "hit", path
            assert json.loads(get(b, api).text)["city"] == old_city

            # B's copies are current as of its Last-Modified, and it says so (304) until a change.
            since = {path: get(b, path).getheader("Last-Modified") for path in (page, api)}
            assert since[api], "the API sends Last-Modified from the shared change clock"
            for path, modified in since.items():
                if modified:
                    assert get(b, path, **{"If-Modified-Since": modified}).status == 304, path

            # A staff write through A.
            changed = request(
                a,
                "PATCH",
                api,
                {"Authorization": f"Bearer {made['key']}", "Content-Type": "application/json"},
                json.dumps({"city": new_city}),
            )
            assert changed.status == 200, changed.text[:500]
            assert json.loads(changed.text)["city"] == new_city

            # B at once: no stale copy, and no 304 for a copy made before the change.
            after_page = get(b, page)
            assert after_page.status == 200
            assert after_page.getheader("X-Cache") != "hit"
            assert new_city in after_page.text
            after_api = get(b, api)
            assert after_api.status == 200
            assert after_api.getheader("X-Cache") != "hit"
            assert json.loads(after_api.text)["city"] == new_city
            for path, modified in since.items():
                if modified:
                    answer = get(b, path, **{"If-Modified-Since": modified})
                    assert answer.status == 200, path
                    assert new_city in answer.text, path
            # A agrees.
            assert json.loads(get(a, api).text)["city"] == new_city
            assert new_city in get(a, page).text
