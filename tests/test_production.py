"""The production settings and server: deploy checks, security headers, static files, health."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client, override_settings

REPO = Path(settings.BASE_DIR)


def production_env(tmp_path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECURE_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        TRUSTED_PROXY_COUNT="1",
        **extra,
    )
    return env


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_gunicorn_loads_the_application_with_its_settings(tmp_path):
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--check-config",
            "--print-config",
            "-c",
            "config/gunicorn.py",
            "config.wsgi",
        ],
        cwd=REPO,
        env=production_env(tmp_path, WEB_CONCURRENCY="3"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    config = {
        key.strip(): value.strip()
        for key, value in (
            line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line
        )
    }
    assert config["workers"] == "3"
    assert config["timeout"] == "30"
    assert config["accesslog"] == "-"
    # What the README tells an operator is what the server does.
    readme = " ".join((REPO / "README.md").read_text().split())
    assert f"recycles workers every {int(config['max_requests']):,} requests" in readme


EXPECTED_CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/v1/topics/"])
def test_page_and_api_answer_with_the_security_headers(client, path):
    response = client.get(path, secure=True)

    assert response.status_code == 200
    assert set(response["Content-Security-Policy"].split("; ")) == EXPECTED_CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        page = client.get("/members/")
        health = client.get("/healthz")

    assert page.status_code == 301
    assert page["Location"] == "https://testserver/members/"
    assert health.status_code == 200


@pytest.mark.django_db
def test_https_is_recognised_behind_the_proxy(client):
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    ):
        response = client.get("/members/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_session_is_http_only(staff_client):
    response = staff_client.get("/admin/")

    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_health_check_reports_database_and_cache(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_is_503_when_the_database_is_down(client):
    with mock.patch("core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}


@pytest.mark.django_db
def test_health_check_stays_200_but_says_degraded_when_only_the_cache_is_down(client):
    with mock.patch("core.views.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_health_check_is_503_when_database_and_cache_are_down(client):
    with (
        mock.patch("core.views.connection.cursor", side_effect=DatabaseError("down")),
        mock.patch("core.views.cache.set", side_effect=ConnectionError("redis down")),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "unavailable",
    }


@pytest.mark.django_db
def test_static_files_get_hashed_names_compression_and_far_future_caching(tmp_path):
    manifest = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=manifest, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        url = staticfiles_storage.url("css/site.css")
        response = Client().get(url, HTTP_ACCEPT_ENCODING="br, gzip")

    assert (
        url.startswith("/static/css/site.")
        and url.endswith(".css")
        and url != "/static/css/site.css"
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "br"
    assert list(tmp_path.glob("css/site.*.css.gz"))


def test_benchmark_ceiling_is_a_constant_answer_without_a_query(
    db, client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/bench/ceiling.json")

    assert response.json() == {"status": "ok"}
