"""`make bench MODE=live`: visitors spread over thousands of pages while staff edit.

Readers (wrk with bench/wrk_live.lua) draw each request from `--pages` distinct pages with
Zipf-like popularity (the page of rank r is asked 1/r^s as often as the first): the lists,
search, figures and the network at the top, then a long tail of organisation, person,
conference and agreement pages and API answers (bench/live_pages.py). A writer changes one
record every `--write-every` seconds through the API with a staff write token, rotating over
conferences, organisations, people and agreements, and after each change reads the record's
page to check that the change shows at once.

Phases, on one server: the ceiling; a warm-up (readers only, unmeasured); readers alone;
readers with the writer; the ceiling again. Each measured phase gives requests per second as
a share of the ceiling, p50/p99, errors and the share of answers served from the cache.
"""

import argparse
import datetime
import json
import re
import statistics
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import BENCH, PYTHON, run, say
from bench.measure import run_wrk, wrk_summary

LUA_LIVE = BENCH / "wrk_live.lua"
WRITE_KINDS = ("conference", "organisation", "person", "agreement")


def prepare_pages(args: argparse.Namespace, env: dict, folder: Path) -> dict:
    """The pages, their popularity file for wrk, the records the writer changes, its token."""
    chosen = json.loads(
        run(
            [PYTHON, "-m", "bench.live_pages", str(args.pages), str(args.seed)],
            env,
            capture=True,
        )
    )
    pages = chosen["pages"]
    weights = [1 / rank**args.zipf for rank in range(1, len(pages) + 1)]
    total, running = sum(weights), 0.0
    lines = []
    for weight, path in zip(weights, pages, strict=True):
        running += weight / total
        lines.append(f"{min(running, 1.0):.9f} {path}")
    lines[-1] = f"1 {pages[-1]}"
    popularity = folder / "live-pages.txt"
    popularity.write_text("\n".join(lines) + "\n", encoding="utf-8")
    chosen["file"] = popularity
    top = sum(weights[:10]) / total
    tail = sum(weights[len(weights) // 2 :]) / total
    chosen["spread"] = {
        "pages": len(pages),
        "zipf_exponent": args.zipf,
        "top_10_share": round(top, 3),
        "bottom_half_share": round(tail, 3),
    }
    return chosen


def run_readers(wrk: str, base_url: str, args, seconds: int, headers: dict, pages: Path) -> dict:
    summary, figures = wrk_summary(
        wrk,
        base_url + "/",
        args,
        seconds,
        headers,
        script=LUA_LIVE,
        script_args=(str(pages), str(args.seed)),
    )
    cache = summary["cache"]
    counted = cache["hit"] + cache["miss"] + cache["none"]
    return {
        **figures,
        "cache": cache,
        "hit_ratio": cache["hit"] / counted if counted else 0.0,
    }


class Writer(threading.Thread):
    """One change every `every` seconds through the API, each checked on the record's page."""

    def __init__(self, base_url: str, token: str, records: dict, every: float) -> None:
        super().__init__(daemon=True)
        self.base_url, self.token, self.records, self.every = base_url, token, records, every
        self.halt = threading.Event()
        self.changes: list[dict] = []

    def run(self) -> None:
        number = 0
        while not self.halt.wait(self.every if number else 0.5):
            kind = WRITE_KINDS[number % len(WRITE_KINDS)]
            pool = self.records.get(kind) or []
            if pool:
                self.changes.append(self.change(kind, pool[(number // 4) % len(pool)], number))
            number += 1

    def change(self, kind: str, record: dict, number: int) -> dict:
        value = f"{record['value'][:80]} (revision {number} of the bench)".strip()
        body = json.dumps({record["field"]: value}).encode()
        request = urllib.request.Request(
            self.base_url + record["api"],
            data=body,
            method="PATCH",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
            },
        )
        began = time.perf_counter()
        outcome = {"kind": kind, "path": record["api"]}
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                outcome["status"] = answer.status
        except urllib.error.HTTPError as error:
            outcome["status"] = error.code
            outcome["error"] = error.read(500).decode(errors="replace")
            return outcome
        except OSError as error:
            outcome["status"], outcome["error"] = 0, str(error)
            return outcome
        outcome["write_ms"] = round(1000 * (time.perf_counter() - began), 1)
        record["value"] = value
        try:
            with urllib.request.urlopen(self.base_url + record["page"], timeout=10) as page:
                shown = page.read().decode(errors="replace")
                outcome["page_cache"] = page.headers.get("X-Cache", "")
        except (urllib.error.HTTPError, OSError) as error:
            outcome["page_error"] = str(error)
            shown = ""
        outcome["visible_at_once"] = value.replace("&", "&amp;") in shown
        return outcome

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=30)


def measure(args, wrk: str, base_url: str, env: dict, headers: dict, settle, tmp: Path) -> dict:
    say(f"Live mode: choosing {args.pages} pages and making the writer's token")
    chosen = prepare_pages(args, env, tmp)
    pages = chosen["file"]

    def ceiling() -> float:
        samples = []
        for _ in range(3):
            samples.append(run_wrk(wrk, base_url + "/bench/ceiling.json", args, 3, headers)["rps"])
            settle()
        return statistics.median(samples)

    ceilings = [ceiling()]
    say(f"Warming up: readers alone for {args.live_warmup} s")
    run_readers(wrk, base_url, args, args.live_warmup, headers, pages)
    settle()
    phases = {}
    for name in ("readers", "readers_and_writer"):
        writer = None
        if name == "readers_and_writer":
            writer = Writer(base_url, chosen["token"], chosen["records"], args.write_every)
            writer.start()
        say(f"Measuring {name.replace('_', ' ')}: {args.live_duration} s")
        began = time.time()
        phases[name] = run_readers(wrk, base_url, args, args.live_duration, headers, pages)
        phases[name]["window"] = [began, time.time()]
        if writer is not None:
            writer.stop()
            phases[name]["changes"] = writer.changes
        settle()
    ceilings.append(ceiling())
    ceiling_rps = statistics.median(ceilings)
    for phase in phases.values():
        phase["ceiling_ratio"] = phase["rps"] / ceiling_rps if ceiling_rps else 0.0
    changes = phases["readers_and_writer"].get("changes", [])
    return {
        "mode": "live",
        "ceiling_rps": ceiling_rps,
        "ceilings_rps": ceilings,
        "spread": chosen["spread"],
        "write_every_s": args.write_every,
        "phases": phases,
        "writes": {
            "made": len(changes),
            "failed": sum(change.get("status") != 200 for change in changes),
            "visible_at_once": sum(bool(change.get("visible_at_once")) for change in changes),
            "median_write_ms": statistics.median(
                [change["write_ms"] for change in changes if "write_ms" in change] or [0]
            ),
        },
    }


# gunicorn's access log line (config/gunicorn.py): the time, the request line, the status,
# the time taken and the page cache's answer.
ACCESS_LINE = re.compile(
    r'\[(?P<time>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .* '
    r"(?P<ms>\d+)ms cache=(?P<cache>\S+)$"
)


def page_group(path: str) -> str:
    """What kind of page `path` is: "organisation page", "API list", "search"…"""
    path, _, query = path.partition("?")
    parts = [part for part in path.split("/") if part]
    if not parts:
        return "home"
    if parts[0] == "api":
        return "API list" if len(parts) <= 3 else "API record"
    if parts[0] in ("search", "figures", "divisions", "topics"):
        return parts[0]
    if parts[:2] == ["agreements", "network"]:
        return "network"
    if len(parts) == 1:
        return "lists" if not query else "lists, filtered or paged"
    return {
        "organisations": "organisation page",
        "people": "person page",
        "conferences": "conference page",
        "agreements": "agreement page",
    }.get(parts[0], "other")


def not_served_from_cache(log: Path, window: list[float]) -> dict:
    """Of the answers logged within `window` (seconds since the epoch): per page group, how many
    were made rather than served from the cache, and the seconds their making took."""
    began, ended = (datetime.datetime.fromtimestamp(int(t), tz=datetime.UTC) for t in window)
    groups: dict[str, dict] = {}
    with log.open(errors="replace") as lines:
        for line in lines:
            match = ACCESS_LINE.search(line.rstrip())
            if not match:
                continue
            when = datetime.datetime.strptime(match["time"], "%d/%b/%Y:%H:%M:%S %z")
            if not began <= when <= ended or match["path"].startswith("/bench/"):
                continue  # another phase, or the ceiling measured right after this one
            group = groups.setdefault(
                page_group(match["path"]), {"requests": 0, "made": 0, "made_s": 0.0}
            )
            group["requests"] += 1
            if match["cache"] != "hit":
                group["made"] += 1
                group["made_s"] += int(match["ms"]) / 1000
    for group in groups.values():
        group["made_s"] = round(group["made_s"], 1)
    return dict(sorted(groups.items(), key=lambda item: -item[1]["made_s"]))


def check_targets(live: dict) -> list[dict]:
    writing = live["phases"]["readers_and_writer"]
    writes = live["writes"]
    return [
        {
            "target": "readers with the writer: at least 0.25 of the ceiling",
            "value": round(writing["ceiling_ratio"], 3),
            "met": writing["ceiling_ratio"] >= 0.25,
        },
        {
            "target": "no errors",
            "value": writing["errors"] + live["phases"]["readers"]["errors"],
            "met": writing["errors"] + live["phases"]["readers"]["errors"] == 0,
        },
        {
            "target": "every change saved and visible at once on its page",
            "value": f"{writes['visible_at_once']}/{writes['made']}",
            "met": writes["made"] > 0 and writes["visible_at_once"] == writes["made"],
        },
    ]


def print_live(live: dict) -> None:
    print()
    print(
        f"Live: {live['spread']['pages']} pages, Zipf s={live['spread']['zipf_exponent']} "
        f"(top 10: {live['spread']['top_10_share']:.0%} of requests), "
        f"ceiling {live['ceiling_rps']:.0f} req/s"
    )
    columns = ("req/s", "ceiling", "p50 ms", "p99 ms", "errors")
    print(f"{'phase':<22}" + "".join(f"{name:>9}" for name in columns) + f"{'hits':>7}")
    for name, phase in live["phases"].items():
        print(
            f"{name.replace('_', ' '):<22}{phase['rps']:>9.0f}{phase['ceiling_ratio']:>9.3f}"
            f"{phase['p50_ms']:>9.1f}{phase['p99_ms']:>9.1f}{phase['errors']:>9}"
            f"{phase['hit_ratio']:>7.0%}"
        )
    breakdown = live["phases"]["readers_and_writer"].get("made_by_group")
    if breakdown:
        print("with the writer, answers made rather than served from the cache, by page:")
        for group, counts in breakdown.items():
            print(
                f"  {group:<26}{counts['made']:>6} of {counts['requests']:>6}"
                f"{counts['made_s']:>8.1f} s making them"
            )
    writes = live["writes"]
    print(
        f"writes: {writes['made']} made, {writes['failed']} failed, "
        f"{writes['visible_at_once']} visible at once, median {writes['median_write_ms']} ms"
    )
