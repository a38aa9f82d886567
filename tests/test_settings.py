import subprocess
import sys


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with only `env` set."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings.base as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = run_settings({})
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_settings_start_without_secret_key_in_debug():
    result = run_settings({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_settings_read_postgres_database_url():
    result = run_settings(
        {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@db.example:5432/portal"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_settings_reject_an_unreadable_debug_value():
    result = run_settings({"DEBUG": "maybe", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_manage_py_runs_on_a_developer_machine_with_no_settings_in_the_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_manage_py_with_debug_off_still_needs_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "false"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_web_server_entry_point_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
