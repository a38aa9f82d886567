"""The PNG chart of a report: throughput as a share of the ceiling, and p99 latency."""

from pathlib import Path

from bench.common import API_LIST_P99_MS, MIN_CEILING_RATIO


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


def draw_live_chart(report: dict, path: Path) -> None:
    """The live mode: throughput as a share of the ceiling, p99 and hit ratio per phase."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    phases = report["phases"]
    names = [name.replace("_", " ") for name in phases][::-1]
    rows = list(phases.values())[::-1]
    figure, axes = plt.subplots(1, 3, figsize=(12, 2.4), sharey=True)
    series = (
        ("throughput, % of the ceiling (target 25 %)", [100 * r["ceiling_ratio"] for r in rows]),
        ("p99 latency, ms", [r["p99_ms"] for r in rows]),
        ("answers served from the cache, %", [100 * r["hit_ratio"] for r in rows]),
    )
    for axis, (label, values) in zip(axes, series, strict=True):
        axis.barh(names, values, color="#607d8b")
        axis.set_xlabel(label)
        axis.set_xlim(0, max([*values, 1]) * 1.3)
        for y, value in enumerate(values):
            axis.annotate(f" {value:.1f}", (value, y), va="center", fontsize=8)
    axes[0].axvline(25, color="black", linestyle="--", linewidth=1)
    spread = report["spread"]
    conditions = report["conditions"]
    figure.suptitle(
        f"make bench MODE=live · {spread['pages']} pages, Zipf s={spread['zipf_exponent']} · "
        f"a change every {report['write_every_s']:g} s · scale {conditions['dataset']['scale']} · "
        f"{report['date'][:10]} · {conditions['git_commit'][:10]}",
        fontsize=10,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
