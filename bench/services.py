"""Preparation: wrk, matplotlib, the bench database, the server environment, gunicorn, Redis."""

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.common import MANAGE, PYTHON, ROOT, relative, run, say

GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

# The tables whose row counts tell whether the bench database still holds the dataset the
# generator wrote (their counts are kept in the database's comment).
DATASET_TABLE_PREFIXES = ("members_", "conferences_", "agreements_")


def ensure_wrk() -> str:
    """wrk from Debian, installed when missing and running as root, like `make browser`."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("Installing Debian's wrk")
        quiet = {"stdout": subprocess.DEVNULL, "check": True}
        subprocess.run(["apt-get", "update", "-qq"], **quiet)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            **quiet,
        )
        found = shutil.which("wrk")
    if not found:
        sys.exit("make bench needs wrk: sudo apt-get install wrk")
    return found


def ensure_matplotlib() -> None:
    """The chart's only dependency, installed into this environment when missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        say("Installing matplotlib for the chart")
        subprocess.run(
            [
                PYTHON,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "matplotlib",
            ],
            check=True,
        )


def bench_env(args: argparse.Namespace, tmp: Path, port: int, redis_url: str | None) -> dict:
    """The production settings, made to serve plain HTTP on localhost without rate limits."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "PAGE_CACHE", "DEBUG", "DATABASE_URL", "PYTHONPATH"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        API_ANON_RATE="none",
        DATABASE_URL=args.database_url,
        DB_CONN_MAX_AGE="600",
        STATIC_ROOT=str(tmp / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(args.workers),
        # gunicorn logs each worker it boots at this level: counted in the report.
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    if args.max_requests is not None:
        env["GUNICORN_MAX_REQUESTS"] = str(args.max_requests)
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env["PAGE_CACHE"] = "off"
    return env


def prepare_database(args: argparse.Namespace, env: dict) -> dict:
    """Create and migrate the bench database, make sure it holds the dataset, then have the
    counts the worker keeps counted (`manage.py refresh_aggregates`), as after a deploy or a
    data load: the bench runs no worker."""
    dataset = prepare_dataset(args, env)
    began = time.monotonic()
    run([*MANAGE, "refresh_aggregates"], env, capture=True)
    dataset["aggregates_counted_in_s"] = round(time.monotonic() - began, 1)
    say(f"  kept counts counted in {dataset['aggregates_counted_in_s']} s")
    return dataset


def prepare_dataset(args: argparse.Namespace, env: dict) -> dict:
    import psycopg

    name, admin_url = database_name(args.database_url)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            say(f"  creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')
    run([*MANAGE, "migrate", "--noinput", "--verbosity", "0"], env)

    generator = list(ROOT.glob("*/management/commands/generate_dataset.py"))
    generator_sources = [
        *generator,
        *ROOT.glob("ops/dataset/*.py"),
    ]
    use_generator = args.dataset == "generated" or (args.dataset == "auto" and generator)
    if not use_generator:
        if database_comment(args.database_url, name):
            raise SystemExit(
                f"{name} holds the generated dataset: for the demo data, name another database "
                "with --database-url"
            )
        say("  loading the demo data")
        run([*MANAGE, "load_demo"], env, capture=True)
        return {"kind": "demo"}

    wanted = {
        "scale": args.scale,
        "seed": args.seed,
        "generator": source_hash(generator_sources),
    }
    with psycopg.connect(args.database_url, autocommit=True) as connection:
        counts = table_counts(connection)
    marker = database_comment(args.database_url, name)
    if marker == {**wanted, "counts": counts}:
        say(f"  reusing the scale-{args.scale} dataset (seed {args.seed}): its counts match")
        return {"kind": "generated", **wanted, "reused": True}

    say(f"  generating the scale-{args.scale} dataset (seed {args.seed})")
    began = time.monotonic()
    command = [*MANAGE, "generate_dataset", "--scale", str(args.scale), "--seed", str(args.seed)]
    output = run([*command, "--replace"], env, capture=True)
    print(indent(output))
    with psycopg.connect(args.database_url, autocommit=True) as connection:
        counts = table_counts(connection)
        marker = json.dumps({**wanted, "counts": counts})
        connection.execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
    seconds = round(time.monotonic() - began, 1)
    return {"kind": "generated", **wanted, "reused": False, "generated_in_s": seconds}


def bench_database_url(url: str, scale: int) -> str:
    """The bench database of this scale: each scale keeps its own, so that moving between
    them does not generate a dataset again."""
    return url if scale == 10 else f"{url}_{scale}"


def database_comment(url: str, name: str) -> dict:
    """What the bench wrote in the database's comment after generating the dataset."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        comment = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()[0]
    return json.loads(comment) if comment and comment.startswith("{") else {}


def database_name(url: str) -> tuple[str, str]:
    """The database's name, and the URL of the server's maintenance database."""
    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    return name, f"{base}/postgres"


def table_counts(connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        if row[0].startswith(DATASET_TABLE_PREFIXES)
    ]
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in tables
    }


def source_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Services:
    """The processes the bench starts (gunicorn, a Redis server when none answers), stopped
    on the way out whatever happens."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []
        self.gunicorn_process: subprocess.Popen | None = None
        self.gunicorn_log: Path | None = None

    def __enter__(self) -> "Services":
        return self

    def __exit__(self, *exc_info) -> None:
        for process in reversed(self.processes):
            stop(process)

    def redis(self, url: str) -> str:
        import redis

        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=2)
            client.ping()
            # A run starts from an empty cache: nothing of an earlier run (or version) is read.
            client.flushdb()
            return url
        except redis.RedisError:
            if not shutil.which("redis-server"):
                sys.exit(f"No Redis answers at {url}: start one, or pass --cache off")
        port = free_port()
        say(f"No Redis answers at {url}: starting redis-server on port {port} for this run")
        process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        url = f"redis://127.0.0.1:{port}/0"
        wait_until(lambda: redis.Redis.from_url(url).ping(), "redis-server", redis.RedisError)
        return url

    def gunicorn(self, env: dict, log: Path, base_url: str) -> None:
        self.gunicorn_log = log
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    GUNICORN,
                    "-c",
                    "config/gunicorn.py",
                    "config.wsgi",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        self.gunicorn_process = process

        def healthy() -> bool:
            if process.poll() is not None:
                raise SystemExit("gunicorn stopped:\n" + tail(log))
            with urllib.request.urlopen(base_url + "/healthz", timeout=5) as response:
                return response.status == 200

        wait_until(healthy, "gunicorn", OSError, log=log)

    def stop_gunicorn(self) -> dict:
        stop(self.gunicorn_process)
        lines = server_lines(self.gunicorn_log)
        statuses: dict[str, int] = {}
        with self.gunicorn_log.open(errors="replace") as log:
            for line in log:
                if line.startswith("127.0.0.1 - "):
                    status = line.split('" ', 1)[1].split(" ", 1)[0] if '" ' in line else "?"
                    statuses[status] = statuses.get(status, 0) + 1
        return {
            "log": relative(self.gunicorn_log),
            # Answers by status, from the access log: warm-up and measured runs together.
            "statuses": dict(sorted(statuses.items())),
            # More than the workers started with: workers recycled (max_requests) or crashed.
            "worker_boots": sum("Booting worker" in line for line in lines),
            "log_tail": lines[-30:],
        }


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (gunicorn stops gracefully), then SIGKILL for the whole process group."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until(check, what: str, errors, *, log: Path | None = None, timeout: int = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except errors:
            pass
        time.sleep(0.25)
    raise SystemExit(
        f"{what} did not answer within {timeout} s" + (f":\n{tail(log)}" if log else "")
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Helpers ------------------------------------------------------------------------------------


def server_lines(log: Path) -> list[str]:
    """The server's own messages (errors, worker boots), without the access log's lines."""
    if not log.exists():
        return []
    with log.open(errors="replace") as lines:
        return [line.rstrip() for line in lines if not line.startswith("127.0.0.1 - ")]


def tail(log: Path) -> str:
    return "\n".join(server_lines(log)[-30:])


def indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.strip().splitlines())
