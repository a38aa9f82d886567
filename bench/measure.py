"""Measuring: wrk runs, the settler that waits for the server between them, the rounds' orders."""

import argparse
import json
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import BENCH
from bench.services import database_name

LUA_REPORT = BENCH / "wrk_report.lua"


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


def wrk_summary(
    wrk: str,
    url: str,
    args: argparse.Namespace,
    seconds: int,
    headers: dict,
    *,
    script: Path = LUA_REPORT,
    script_args: tuple[str, ...] = (),
) -> tuple[dict, dict]:
    """Run wrk with a script that prints its summary as `BENCH_JSON {...}`: the summary, and
    the figures every mode reports (req/s, latency percentiles, errors)."""
    command = [
        wrk,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        "--latency",
        f"--script={script}",
        *(f"--header={name}: {value}" for name, value in headers.items()),
        url,
        *(("--", *script_args) if script_args else ()),
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
    return summary, {
        "requests": summary["requests"],
        "rps": summary["requests"] / seconds_measured if seconds_measured else 0.0,
        "p50_ms": summary["latency_us"]["p50"] / 1000,
        "p90_ms": summary["latency_us"]["p90"] / 1000,
        "p99_ms": summary["latency_us"]["p99"] / 1000,
        "max_ms": summary["latency_us"]["max"] / 1000,
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
    }


def run_wrk(wrk: str, url: str, args: argparse.Namespace, seconds: int, headers: dict) -> dict:
    summary, figures = wrk_summary(wrk, url, args, seconds, headers)
    return {
        **figures,
        # Latencies recorded: at least one answer came within the run and the timeout.
        "answered": summary["latency_us"]["max"] > 0,
        "bytes_per_request": summary["bytes"] / summary["requests"] if summary["requests"] else 0,
    }
