"""The report: medians, conditions, targets and notes, the printed table, the files in results/."""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
from pathlib import Path

from bench.chart import draw_chart
from bench.common import (
    API_LIST_P99_MS,
    MAX_SCALING_FACTOR,
    MIN_CEILING_RATIO,
    REFERENCE_SCALE,
    ROOT,
)


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
    """The targets for this cache mode, each passed or missed, with the misses named."""
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


def check_scaling(report: dict, reference: dict | None) -> dict | None:
    """At a scale other than REFERENCE_SCALE: each request's median latency and query count
    against the same request in `reference` (the latest run at REFERENCE_SCALE, same cache)."""
    if reference is None:
        return None
    scale = report["conditions"]["dataset"]["scale"]
    theirs = {row["name"]: row for row in reference["endpoints"] if not row["ceiling"]}
    slower, other_queries, compared = [], [], []
    for row in report["endpoints"]:
        base = theirs.get(row["name"])
        if row["ceiling"] or base is None:
            continue
        answered = row["rps"] and row["p50_ms"] and base["p50_ms"]
        factor = row["p50_ms"] / base["p50_ms"] if answered else float("inf")
        compared.append(
            {
                "name": row["name"],
                "p50_ms": row["p50_ms"],
                "reference_p50_ms": base["p50_ms"],
                "factor": round(factor, 2) if answered else None,
                "queries": row["queries"],
                "reference_queries": base["queries"],
            }
        )
        if factor > MAX_SCALING_FACTOR:
            slower.append(f"{row['name']} " + (f"{factor:.1f}×" if answered else "no answer"))
        if row["queries"] != base["queries"]:
            other_queries.append(f"{row['name']} {base['queries']} → {row['queries']}")
    return {
        "reference": {"date": reference["date"], "commit": reference["conditions"]["git_commit"]},
        "rows": compared,
        "targets": [
            {
                "target": f"every median within {MAX_SCALING_FACTOR}× of scale "
                f"{REFERENCE_SCALE}'s (scale {scale})",
                "passed": not slower,
                "misses": slower,
            },
            {
                "target": f"the same SQL queries as at scale {REFERENCE_SCALE}",
                "passed": not other_queries,
                "misses": other_queries,
            },
        ],
    }


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
    scaling = report.get("scaling") or {}
    for target in [*report["targets"], *scaling.get("targets", [])]:
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


# Helpers ------------------------------------------------------------------------------------


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
