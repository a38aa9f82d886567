"""`make bench`: the portal under gunicorn and PostgreSQL, driven by wrk, compared with its ceiling.

    .venv/bin/python bench/run.py [--cache on|off] [--rounds 5] [--duration 3] ...

Steps: a dedicated database (created, migrated, the scale-10 dataset generated once and reused
while its counts match), collectstatic into a temporary folder, the requests made concrete and
their SQL queries counted (bench/endpoints.py), gunicorn with the project's config/gunicorn.py,
then wrk over every request in interleaved rounds, the order rotated each round, the constant
/bench/ceiling.json measured among them. Medians go to bench/results/ as JSON and a PNG chart.

It exits 0 when the run completed, whether or not the targets were met; it prints which were.

This file is the entry point and the sequence of steps; the rest is in bench/common.py,
bench/services.py, bench/measure.py, bench/report.py and bench/chart.py.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script (`python bench/run.py`): the repository root on the path, for bench.*.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH, MANAGE, PYTHON, REFERENCE_SCALE, ROOT, relative, run, say
from bench.measure import Settler, rotations, run_wrk
from bench.report import (
    build_report,
    check_scaling,
    check_targets,
    notes,
    print_table,
    print_targets,
    write_results,
)
from bench.services import (
    Services,
    bench_database_url,
    bench_env,
    ensure_matplotlib,
    ensure_wrk,
    free_port,
    prepare_database,
)

RESULTS = BENCH / "results"

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sciparks_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"

# Runs without a single answer after which a request's remaining rounds are skipped: each
# would only show again that it answers slower than a run lasts, and cost a long wait.
GIVE_UP_AFTER = 2


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
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="default: sciparks_bench at scale 10, sciparks_bench_<scale> at any other",
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
    parser.add_argument(
        "--output",
        type=Path,
        help=f"default: {relative(RESULTS)}, or its scale-<n> folder at another scale than "
        f"{REFERENCE_SCALE}",
    )
    live = parser.add_argument_group("live mode (bench/live.py)")
    live.add_argument(
        "--live", action="store_true", help="readers over many pages while a writer edits"
    )
    live.add_argument("--pages", type=int, default=5000, help="distinct pages the readers ask")
    live.add_argument("--zipf", type=float, default=1.0, help="popularity exponent s")
    live.add_argument("--write-every", type=float, default=5.0, help="seconds between changes")
    live.add_argument("--live-warmup", type=int, default=60, help="seconds, unmeasured")
    live.add_argument("--live-duration", type=int, default=60, help="seconds per phase")
    args = parser.parse_args(argv)
    args.database_url = args.database_url or bench_database_url(DEFAULT_DATABASE_URL, args.scale)
    if args.output is None:
        args.output = RESULTS if args.scale == REFERENCE_SCALE else RESULTS / f"scale-{args.scale}"
    if args.live and args.cache != "on":
        parser.error("the live mode measures the cache: --cache on")
    return args


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

        if args.live:
            return live_run(args, wrk, env, services, tmp, port, started, load_before, dataset)

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
    if args.scale != REFERENCE_SCALE:
        reference = RESULTS / f"latest-cache-{args.cache}.json"
        report["scaling"] = check_scaling(
            report, json.loads(reference.read_text()) if reference.exists() else None
        )
    report["run_s"] = round(time.monotonic() - started, 1)
    report["notes"] = notes(report)
    print_table(report)
    print_targets(report)
    paths = write_results(report, args.output)
    say(f"Run took {report['run_s']:.0f} s. Results: " + ", ".join(map(relative, paths)))
    return 0


def live_run(args, wrk, env, services, tmp, port, started, load_before, dataset) -> int:
    import platform

    from bench import live
    from bench.report import command_output, cpu_model, memory_gb

    base_url = f"http://127.0.0.1:{port}"
    log = ROOT / "var" / "bench" / "gunicorn-live.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    say(f"Starting gunicorn on 127.0.0.1:{port} with {args.workers} sync workers")
    services.gunicorn(env, log, base_url)
    settle = Settler(base_url, args.workers, args.database_url)
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    report = live.measure(args, wrk, base_url, env, headers, settle, tmp)
    settle.close()
    report["server_log"] = services.stop_gunicorn()
    for phase in report["phases"].values():
        phase["made_by_group"] = live.not_served_from_cache(log, phase["window"])
    report["date"] = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    report["conditions"] = {
        "git_commit": command_output(["git", "rev-parse", "HEAD"]).strip(),
        "git_uncommitted": command_output(["git", "status", "--porcelain"]).splitlines(),
        "cpu_cores": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_gb": memory_gb(),
        "platform": platform.platform(),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "gunicorn_workers": args.workers,
        "dataset": dataset,
        "load": {
            "tool": "wrk",
            "threads": args.threads,
            "connections": args.connections,
            "warmup_s": args.live_warmup,
            "duration_s": args.live_duration,
            "headers": headers,
        },
    }
    report["targets"] = live.check_targets(report)
    report["run_s"] = round(time.monotonic() - started, 1)
    live.print_live(report)
    for target in report["targets"]:
        print(f"{'PASS' if target['met'] else 'FAIL'}  {target['target']}: {target['value']}")
    args.output.mkdir(parents=True, exist_ok=True)
    stamp = report["date"][:16].replace(":", "")
    paths = [args.output / f"{stamp}-live.json", args.output / "latest-live.json"]
    for path in paths:
        path.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    from bench.chart import draw_live_chart

    for chart in (args.output / f"{stamp}-live.png", args.output / "latest-live.png"):
        draw_live_chart(report, chart)
        paths.append(chart)
    say(f"Run took {report['run_s']:.0f} s. Results: " + ", ".join(map(relative, paths)))
    return 0


# Helpers ------------------------------------------------------------------------------------


def redact(url: str) -> str:
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":")[0] + ":***"
    return f"{scheme}://{credentials}{at}{host}"


if __name__ == "__main__":
    sys.exit(main())
