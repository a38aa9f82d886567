"""The README's Performance tables, from the latest results: `python -m bench.tables`.

Reads `results/latest-cache-on.json`, `latest-cache-off.json` and `latest-live.json` (those
present) and prints Markdown to paste into the README.
"""

import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH

RESULTS = BENCH / "results"


def load(name: str) -> dict | None:
    path = RESULTS / f"latest-{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def requests_table(on: dict | None, off: dict | None) -> str:
    reports = [report for report in (on, off) if report]
    if not reports:
        return ""
    rows: dict[str, dict] = {}
    for report in reports:
        for row in report["endpoints"]:
            if not row["ceiling"]:
                rows.setdefault(row["path"], {})[report["cache"]] = row
    header = "| Request | SQL queries |"
    rule = "|---|---:|"
    for report in reports:
        header += f" Cache {report['cache']}: req/s | of ceiling | p99 ms |"
        rule += "---:|---:|---:|"
    header += " Bytes (compressed) |"
    rule += "---:|"
    lines = [header, rule]
    for path, by_cache in rows.items():
        first = next(iter(by_cache.values()))
        line = f"| `{shorten(path, first['name'])}` | {first['queries']} |"
        for report in reports:
            row = by_cache.get(report["cache"])
            if row is None:
                line += " | | |"
                continue
            line += f" {row['rps']:,.0f} | {100 * row['ceiling_ratio']:.1f} % | {p99(row)} |"
        line += f" {first['bytes']:,} |"
        lines.append(line)
    return "\n".join(lines)


def shorten(path: str, name: str) -> str:
    if name in {"conference-detail", "conference-large"}:
        return "/conferences/<slug>/" + (" (300 items)" if name == "conference-large" else "")
    if name == "conference-ics":
        return "/conferences/<slug>/calendar.ics"
    if name == "organisation":
        return "/organisations/<slug>/"
    if name == "api-conference":
        return "/api/v1/conferences/<slug>/"
    return path


def p99(row: dict) -> str:
    if row.get("silent_runs") and row["silent_runs"] == len(row.get("runs", [])):
        return "> 3,000"
    return f"{row['p99_ms']:,.1f}" if row["p99_ms"] < 100 else f"{row['p99_ms']:,.0f}"


def live_table(live: dict | None) -> str:
    if not live:
        return ""
    lines = [
        "| Phase | req/s | of ceiling | p50 ms | p99 ms | errors | served from the cache |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, phase in live["phases"].items():
        lines.append(
            f"| {name.replace('_', ' ').capitalize()} | {phase['rps']:,.0f} | "
            f"{100 * phase['ceiling_ratio']:.1f} % | {phase['p50_ms']:.1f} | "
            f"{phase['p99_ms']:.1f} | {phase['errors']} | {100 * phase['hit_ratio']:.1f} % |"
        )
    return "\n".join(lines)


def main() -> None:
    print(requests_table(load("cache-on"), load("cache-off")))
    print()
    print(live_table(load("live")))


if __name__ == "__main__":
    main()
