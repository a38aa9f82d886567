"""`make bench`: the portal under gunicorn and PostgreSQL, driven by wrk, compared with its ceiling.

    .venv/bin/python bench/run.py [--cache on|off] [--rounds 5] [--duration 3] ...

Steps: a dedicated database (created, migrated, the scale-10 dataset generated once and reused
while its counts match), collectstatic into a temporary folder, the requests made concrete and
their SQL queries counted (bench/endpoints.py), gunicorn with the project's config/gunicorn.py,
then wrk over every request in interleaved rounds, the order rotated each round, the constant
/bench/ceiling.json measured among them. Medians go to bench/results/ as JSON and a PNG chart.

It exits 0 when the run completed, whether or not the targets were met; it prints which were.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
LUA_REPORT = BENCH / "wrk_report.lua"
PYTHON = sys.executable
MANAGE = [PYTHON, "manage.py"]
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciparks_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
# The targets, per cache mode.
MIN_CEILING_RATIO = {"on": 0.25, "off": 0.04}
API_LIST_P99_MS = 100
# Runs without a single answer after which a request's remaining rounds are skipped: each
# would only show again that it answers slower than a run lasts, and cost a long wait.
GIVE_UP_AFTER = 2
# The tables whose row counts tell whether the bench database still holds the dataset the
# generator wrote (their counts are kept in the database's comment).
DATASET_TABLE_PREFIXES = ("members_", "conferences_", "agreements_")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", choices=["on", "off"], default="on")
    parser.add_argument("--rounds", type=int, default=5, help="repetitions of each request")
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds per request, unmeasured")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        help="gunicorn's max_requests (0: workers never recycled); default: config/gunicorn.py's",
    )
    parser.add_argument("--scale", type=int, default=10, help="generate_dataset --scale")
    parser.add_argument("--seed", type=int, default=1, help="generate_dataset --seed")
    parser.add_argument(
        "--dataset",
        choices=["auto", "generated", "demo"],
        default="auto",
        help="auto: the generated dataset when manage.py generate_dataset exists, else the demo",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        help="a Redis database of its own: the bench empties it",
    )
    parser.add_argument(
        "--only",
        type=lambda value: {name.strip() for name in value.split(",") if name.strip()},
        help="measure only these requests (comma-separated names; the ceiling always)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    phases: dict[str, float] = {}

    def phase(name: str, since: float) -> float:
        now = time.monotonic()
        phases[name] = round(now - since, 1)
        return now

    wrk = ensure_wrk()
    ensure_matplotlib()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="sciparks-bench-") as tmp, Services() as services:
        tmp = Path(tmp)
        redis_url = services.redis(args.redis_url) if args.cache == "on" else None
        port = free_port()
        env = bench_env(args, tmp, port, redis_url)

        say(f"Database {redact(args.database_url)}")
        mark = time.monotonic()
        dataset = prepare_database(args, env)
        mark = phase("database", mark)

        say("Collecting static files")
        run([*MANAGE, "collectstatic", "--noinput", "--verbosity", "0"], env)
        mark = phase("collectstatic", mark)

        say("Choosing the requests and counting their SQL queries")
        probe = json.loads(run([PYTHON, "-m", "bench.endpoints"], env, capture=True))
        endpoints = [
            endpoint
            for endpoint in probe["endpoints"]
            if endpoint["ceiling"] or not args.only or endpoint["name"] in args.only
        ]
        if args.only and len(endpoints) != len(args.only | {"ceiling"}):
            known = ", ".join(endpoint["name"] for endpoint in probe["endpoints"])
            raise SystemExit(f"--only names requests among: {known}")
        headers = {"Accept-Encoding": probe["accept_encoding"]}
        mark = phase("queries", mark)

        say(f"Starting gunicorn on 127.0.0.1:{port} with {args.workers} sync workers")
        base_url = f"http://127.0.0.1:{port}"
        log = ROOT / "var" / "bench" / f"gunicorn-cache-{args.cache}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        services.gunicorn(env, log, base_url)
        mark = phase("server_start", mark)

        settle = Settler(base_url, args.workers, args.database_url)
        say(f"Warming up: {args.warmup} s per request")
        for endpoint in endpoints:
            run_wrk(wrk, base_url + endpoint["path"], args, args.warmup, headers)
            settle()
        mark = phase("warmup", mark)

        runs = len(endpoints) * args.rounds
        say(f"Measuring: {args.rounds} rounds of {len(endpoints)} requests, {args.duration} s each")
        samples: dict[str, list[dict]] = {endpoint["name"]: [] for endpoint in endpoints}
        for round_number, order in enumerate(rotations(endpoints, args.rounds), start=1):
            for endpoint in order:
                done = samples[endpoint["name"]]
                if sum(not sample["answered"] for sample in done) >= GIVE_UP_AFTER:
                    continue
                sample = run_wrk(wrk, base_url + endpoint["path"], args, args.duration, headers)
                sample["round"] = round_number
                sample["settle_s"] = settle()
                done.append(sample)
            say(f"  round {round_number}/{args.rounds} done ({runs} runs in all)")
        phase("measure", mark)
        settle.close()
        server = services.stop_gunicorn()

    report = build_report(
        args, endpoints, samples, probe, dataset, wrk, load_before, redis_url, env
    )
    report["phases_s"] = phases
    report["server_log"] = server
    report["targets"] = check_targets(report)
    report["run_s"] = round(time.monotonic() - started, 1)
    report["notes"] = notes(report)
    print_table(report)
    print_targets(report)
    paths = write_results(report, args.output)
    say(f"Run took {report['run_s']:.0f} s. Results: " + ", ".join(map(relative, paths)))
    return 0


# Preparation --------------------------------------------------------------------------------


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
    """Create and migrate the bench database, then make sure it holds the dataset."""
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
        *ROOT.glob("config/dataset.py"),
        *ROOT.glob("config/dataset/*.py"),
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
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
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


# Measuring ----------------------------------------------------------------------------------


class Settler:
    """Waits until the server has finished the requests a wrk run left behind.

    wrk stops after its duration, but the requests it had sent are still answered, one by
    one, by the sync workers: a slow page would eat into the next request's run. The server
    is taken as idle when, twice in a row, as many ceiling requests as workers, sent at once,
    all answer quickly and the bench database runs no query.
    """

    QUICK_S = 0.5
    LIMIT_S = 120

    def __init__(self, base_url: str, workers: int, database_url: str) -> None:
        import psycopg

        self.url = base_url + "/bench/ceiling.json"
        self.workers = workers
        self.pool = ThreadPoolExecutor(max_workers=workers)
        self.database = psycopg.connect(database_url, autocommit=True)
        self.name = database_name(database_url)[0]

    def __call__(self) -> float:
        began = time.monotonic()
        calm = 0
        while calm < 2 and time.monotonic() - began < self.LIMIT_S:
            slowest = max(self.pool.map(self.answer_time, range(self.workers)))
            calm = calm + 1 if slowest < self.QUICK_S and not self.queries_running() else 0
            if calm < 2:
                time.sleep(0.05)
        return round(time.monotonic() - began, 2)

    def answer_time(self, _index: int) -> float:
        began = time.monotonic()
        try:
            with urllib.request.urlopen(self.url, timeout=self.LIMIT_S) as response:
                response.read()
        except OSError:
            return self.LIMIT_S
        return time.monotonic() - began

    def queries_running(self) -> int:
        return self.database.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()",
            [self.name],
        ).fetchone()[0]

    def close(self) -> None:
        self.pool.shutdown()
        self.database.close()


def rotations(endpoints: list[dict], rounds: int) -> list[list[dict]]:
    """Each round in another order: round r starts r/rounds of the way into the list, so
    every request is measured early, midway and late in a round."""
    count = len(endpoints)
    return [
        endpoints[(r * count) // rounds :] + endpoints[: (r * count) // rounds]
        for r in range(rounds)
    ]


def run_wrk(wrk: str, url: str, args: argparse.Namespace, seconds: int, headers: dict) -> dict:
    command = [
        wrk,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        "--latency",
        f"--script={LUA_REPORT}",
        *(f"--header={name}: {value}" for name, value in headers.items()),
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            summary = json.loads(line.removeprefix("BENCH_JSON "))
            break
    else:
        raise SystemExit(f"wrk failed on {url}:\n{result.stdout}{result.stderr}")
    errors = summary["errors"]
    seconds_measured = summary["duration_us"] / 1e6
    return {
        "requests": summary["requests"],
        "rps": summary["requests"] / seconds_measured if seconds_measured else 0.0,
        "p50_ms": summary["latency_us"]["p50"] / 1000,
        "p90_ms": summary["latency_us"]["p90"] / 1000,
        "p99_ms": summary["latency_us"]["p99"] / 1000,
        "max_ms": summary["latency_us"]["max"] / 1000,
        "errors": sum(errors.values()),
        # Latencies recorded: at least one answer came within the run and the timeout.
        "answered": summary["latency_us"]["max"] > 0,
        "errors_by_kind": errors,
        "bytes_per_request": summary["bytes"] / summary["requests"] if summary["requests"] else 0,
    }


# Reporting ----------------------------------------------------------------------------------


def build_report(
    args: argparse.Namespace,
    endpoints: list[dict],
    samples: dict[str, list[dict]],
    probe: dict,
    dataset: dict,
    wrk: str,
    load_before: tuple[float, float, float],
    redis_url: str | None,
    env: dict,
) -> dict:
    rows = []
    for endpoint in endpoints:
        runs = samples[endpoint["name"]]
        rps = [sample["rps"] for sample in runs]
        # A run without an answer in time has no latencies.
        answered = [sample for sample in runs if sample["answered"]] or runs
        rows.append(
            {
                **endpoint,
                "rps": statistics.median(rps),
                "rps_min": min(rps),
                "rps_max": max(rps),
                "p50_ms": statistics.median(sample["p50_ms"] for sample in answered),
                "p99_ms": statistics.median(sample["p99_ms"] for sample in answered),
                "silent_runs": sum(not sample["answered"] for sample in runs),
                "skipped_runs": args.rounds - len(runs),
                "errors": sum(sample["errors"] for sample in runs),
                "errors_median": statistics.median(sample["errors"] for sample in runs),
                "requests": sum(sample["requests"] for sample in runs),
                "bytes_per_response": statistics.median(
                    sample["bytes_per_request"] for sample in runs
                ),
                "runs": runs,
            }
        )
    ceiling_rps = next(row["rps"] for row in rows if row["ceiling"])
    for row in rows:
        row["ceiling_ratio"] = row["rps"] / ceiling_rps if ceiling_rps else 0.0

    gunicorn_config = {
        key: value
        for key, value in runpy_config(ROOT / "config" / "gunicorn.py", env).items()
        if key in {"worker_class", "timeout", "keepalive", "max_requests", "max_requests_jitter"}
    }
    versions = {**probe["versions"], "wrk": command_output([wrk, "-v"]).splitlines()[0]}
    if redis_url:
        versions["redis"] = redis_version(redis_url)
    now = datetime.datetime.now(datetime.UTC)
    return {
        "date": now.isoformat(timespec="seconds"),
        "cache": args.cache,
        "conditions": {
            "git_commit": command_output(["git", "rev-parse", "HEAD"]).strip(),
            # Other work in the tree when the run was made: it was measured too.
            "git_uncommitted": command_output(["git", "status", "--porcelain"]).splitlines(),
            "cpu_cores": os.cpu_count(),
            "cpu_model": cpu_model(),
            "memory_gb": memory_gb(),
            "platform": platform.platform(),
            "load_average_before": [round(value, 2) for value in load_before],
            "load_average_after": [round(value, 2) for value in os.getloadavg()],
            "server": {
                "gunicorn_workers": args.workers,
                **gunicorn_config,
                "db_conn_max_age_s": 600,
                "settings": "config.settings.base",
            },
            "cache": probe["cache"],
            "versions": versions,
            "dataset": {**dataset, "counts": probe["dataset"]},
            "load": {
                "tool": "wrk",
                "threads": args.threads,
                "connections": args.connections,
                "duration_s": args.duration,
                "rounds": args.rounds,
                "warmup_s": args.warmup,
                "timeout_s": 5,
                "headers": {"Accept-Encoding": probe["accept_encoding"]},
            },
        },
        "ceiling_rps": ceiling_rps,
        "endpoints": rows,
    }


def check_targets(report: dict) -> list[dict]:
    """The issue's targets for this cache mode, each passed or missed, with the misses named."""
    rows = [row for row in report["endpoints"] if not row["ceiling"]]
    minimum = MIN_CEILING_RATIO[report["cache"]]
    slow = [row for row in rows if row["ceiling_ratio"] < minimum]
    targets = [
        {
            "target": f"every endpoint at least {minimum:.0%} of the ceiling's throughput",
            "passed": not slow,
            "misses": [f"{row['name']} {row['ceiling_ratio']:.1%}" for row in slow],
        }
    ]
    if report["cache"] == "on":
        failing = [row for row in report["endpoints"] if row["errors"]]
        lists = [row for row in rows if row["api_list"]]
        late = [row for row in lists if row["p99_ms"] >= API_LIST_P99_MS]
        targets = [
            {
                "target": "zero errors",
                "passed": not failing,
                "misses": [f"{row['name']} {row['errors']} errors" for row in failing],
            },
            *targets,
            {
                "target": f"API lists of 50 rows: p99 under {API_LIST_P99_MS} ms",
                "passed": not late,
                "misses": [f"{row['name']} {row['p99_ms']:.0f} ms" for row in late],
            },
        ]
    return targets


def print_table(report: dict) -> None:
    conditions = report["conditions"]
    dataset = conditions["dataset"]
    described = (
        f"scale {dataset['scale']} (seed {dataset['seed']})"
        if dataset["kind"] == "generated"
        else "demo data"
    )
    load = conditions["load"]
    print()
    print(
        f"make bench · cache {report['cache']} · {described} · {conditions['cpu_cores']} cores, "
        f"{conditions['server']['gunicorn_workers']} sync workers · wrk {load['connections']} "
        f"connections, {load['rounds']} × {load['duration_s']} s · "
        f"commit {conditions['git_commit'][:10]}"
    )
    print(", ".join(f"{name} {count}" for name, count in dataset["counts"].items()))
    print()
    print(table_text(report))
    print(
        f"req/s, p50, p99: medians of {load['rounds']} runs of {load['duration_s']} s "
        f"({load['connections']} connections); ceiling: req/s as a share of "
        "/bench/ceiling.json's, measured in the same rounds; errors: answers of 400 or more and "
        "socket errors, all runs; queries: SQL queries of one request on a cache miss/hit "
        "(Django test client); bytes: the body sent with "
        f"Accept-Encoding: {load['headers']['Accept-Encoding']}"
    )


def table_text(report: dict) -> str:
    header = (
        f"{'endpoint':<24} {'req/s':>8} {'ceiling':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'queries':>8} {'bytes':>7}  path"
    )
    lines = [header, "-" * len(header)]
    seconds = report["conditions"]["load"]["duration_s"]
    for row in report["endpoints"]:
        p50, p99 = f"{row['p50_ms']:>7.1f}", f"{row['p99_ms']:>7.1f}"
        if not any(sample["answered"] for sample in row["runs"]):
            p50 = p99 = f"{'>' + str(seconds * 1000):>7}"
        queries = str(row["queries"])
        if row["queries_cached"] != row["queries"]:
            queries += f"/{row['queries_cached']}"
        lines.append(
            f"{row['name']:<24} {row['rps']:>8.0f} {row['ceiling_ratio']:>8.1%} "
            f"{p50} {p99} {row['errors']:>6} {queries:>8} "
            f"{row['bytes']:>7}  {row['path']}"
        )
    return "\n".join(lines)


def print_targets(report: dict) -> None:
    print()
    print(f"Targets with the cache {report['cache']}:")
    for target in report["targets"]:
        verdict = "PASS" if target["passed"] else "FAIL"
        misses = f" — missed by: {', '.join(target['misses'])}" if target["misses"] else ""
        print(f"  {verdict}  {target['target']}{misses}")
    if report["notes"]:
        print("Notes:")
        for note in report["notes"]:
            print(f"  - {note}")
    print()


def notes(report: dict) -> list[str]:
    """What else a reader of the numbers should know."""
    found = []
    seconds = report["conditions"]["load"]["duration_s"]
    for row in report["endpoints"]:
        if row["silent_runs"]:
            skipped = (
                f", its other {row['skipped_runs']} runs skipped" if row["skipped_runs"] else ""
            )
            found.append(
                f"{row['name']}: no answer within {row['silent_runs']} of its {seconds}-s runs"
                f"{skipped}; one request alone took {row['alone_ms']:.0f} ms"
            )
    waited = sum(sample["settle_s"] for row in report["endpoints"] for sample in row["runs"])
    if waited > 10:
        found.append(
            f"{waited:.0f} s were spent in all waiting, after wrk runs, for the server to finish "
            "the requests they left behind (slow answers)"
        )
    server = report["conditions"]["server"]
    boots = report["server_log"]["worker_boots"]
    if boots > server["gunicorn_workers"]:
        found.append(
            f"gunicorn booted {boots} workers for {server['gunicorn_workers']}: workers were "
            f"recycled (max_requests {server['max_requests']}) or crashed"
        )
    for row in report["endpoints"]:
        if row["note"]:
            found.append(f"{row['name']}: {row['note']}")
        if not 200 <= row["status"] < 400:
            found.append(f"{row['name']} answered {row['status']} to the query-counting request")
    if report["run_s"] > 600:
        found.append(f"the run took {report['run_s'] / 60:.1f} minutes, more than 10")
    load = report["conditions"]["load_average_before"][0]
    if load > 0.5:
        found.append(
            f"the machine was not idle before the run (load average {load:.2f}): other "
            "processes shared the cores"
        )
    return found


def write_results(report: dict, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = report["date"][:16].replace(":", "")
    stem = f"{stamp}-cache-{report['cache']}"
    data, chart = folder / f"{stem}.json", folder / f"{stem}.png"
    data.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    draw_chart(report, chart)
    latest = [folder / f"latest-cache-{report['cache']}{path.suffix}" for path in (data, chart)]
    for source, target in zip((data, chart), latest, strict=True):
        shutil.copyfile(source, target)
    return [data, chart, *latest]


def draw_chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [row for row in report["endpoints"] if not row["ceiling"]][::-1]
    names = [row["name"] for row in rows]
    minimum = 100 * MIN_CEILING_RATIO[report["cache"]]
    good, bad, plain = "#2e7d32", "#c62828", "#607d8b"

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 1.6 + 0.38 * len(rows)), sharey=True)
    ratios = [100 * row["ceiling_ratio"] for row in rows]
    left.barh(names, ratios, color=[good if ratio >= minimum else bad for ratio in ratios])
    left.axvline(minimum, color="black", linestyle="--", linewidth=1)
    left.set_xlabel(
        f"throughput, % of the ceiling ({report['ceiling_rps']:.0f} req/s); target {minimum:.0f} %"
    )
    for y, (ratio, row) in enumerate(zip(ratios, rows, strict=True)):
        left.annotate(f" {ratio:.1f} % · {row['rps']:.0f}/s", (ratio, y), va="center", fontsize=8)
    left.set_xlim(0, max([*ratios, minimum]) * 1.35)

    seconds = report["conditions"]["load"]["duration_s"]
    silent = [not any(sample["answered"] for sample in row["runs"]) for row in rows]
    p99 = [
        seconds * 1000 if quiet else row["p99_ms"] for row, quiet in zip(rows, silent, strict=True)
    ]
    # The p99 target holds with the cache on only.
    targeted = report["cache"] == "on"
    colours = [
        (good if value < API_LIST_P99_MS else bad) if row["api_list"] and targeted else plain
        for value, row in zip(p99, rows, strict=True)
    ]
    right.barh(names, p99, color=colours)
    if targeted:
        right.axvline(API_LIST_P99_MS, color="black", linestyle="--", linewidth=1)
        right.set_xlabel(f"p99 latency, ms (API lists of 50 rows: target < {API_LIST_P99_MS} ms)")
    else:
        right.set_xlabel("p99 latency, ms")
    for y, (value, quiet) in enumerate(zip(p99, silent, strict=True)):
        label = f" > {value:.0f} (none in time)" if quiet else f" {value:.0f}"
        right.annotate(label, (value, y), va="center", fontsize=8)
    if max(p99) > 10 * API_LIST_P99_MS:
        right.set_xscale("log")
        right.set_xlim(min([*p99, 10]) / 2, max(p99) * 20)
    else:
        right.set_xlim(0, max([*p99, API_LIST_P99_MS]) * 1.2)

    conditions = report["conditions"]
    dataset = conditions["dataset"]
    described = f"scale {dataset['scale']}" if dataset["kind"] == "generated" else "demo data"
    figure.suptitle(
        f"make bench · cache {report['cache']} · {described} · {conditions['cpu_cores']} cores, "
        f"{conditions['server']['gunicorn_workers']} workers · {report['date'][:10]} · "
        f"{conditions['git_commit'][:10]}",
        fontsize=11,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


# Helpers ------------------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def run(command: list[str], env: dict, *, capture: bool = False) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=capture)
    if result.returncode:
        output = (result.stdout or "") + (result.stderr or "") if capture else ""
        raise SystemExit(f"Failed ({result.returncode}): {' '.join(command)}\n{output}")
    return result.stdout or ""


def command_output(command: list[str]) -> str:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return result.stdout or result.stderr


def runpy_config(path: Path, env: dict) -> dict:
    """The settings a Python config file gives in the server's environment."""
    import runpy
    from unittest import mock

    with mock.patch.dict(os.environ, env, clear=True):
        return runpy.run_path(str(path))


def redis_version(url: str) -> str:
    import redis

    try:
        return redis.Redis.from_url(url).info("server")["redis_version"]
    except redis.RedisError:
        return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def server_lines(log: Path) -> list[str]:
    """The server's own messages (errors, worker boots), without the access log's lines."""
    if not log.exists():
        return []
    with log.open(errors="replace") as lines:
        return [line.rstrip() for line in lines if not line.startswith("127.0.0.1 - ")]


def tail(log: Path) -> str:
    return "\n".join(server_lines(log)[-30:])


def redact(url: str) -> str:
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":")[0] + ":***"
    return f"{scheme}://{credentials}{at}{host}"


def indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.strip().splitlines())


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
