"""The counts a backup or restore keeps, and the table both commands print."""

from dataclasses import dataclass, field


@dataclass
class Counts:
    records: dict[str, int] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    # Per storage alias: how many files, how many bytes.
    files: dict[str, int] = field(default_factory=dict)
    file_bytes: dict[str, int] = field(default_factory=dict)

    def count_file(self, alias: str, size: int) -> None:
        self.files[alias] = self.files.get(alias, 0) + 1
        self.file_bytes[alias] = self.file_bytes.get(alias, 0) + size


def report_lines(counts: Counts) -> list[str]:
    """The per-model table both commands print."""
    rows = [(label, f"{count:>7}") for label, count in counts.records.items()]
    rows += [(label, f"{count:>7} links") for label, count in counts.links.items() if count]
    rows += [
        (f"files in {alias}", f"{count:>7} ({human_size(counts.file_bytes[alias])})")
        for alias, count in counts.files.items()
    ]
    width = max((len(label) for label, _ in rows), default=0)
    return [f"  {label:<{width}} {count}" for label, count in rows]


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""
