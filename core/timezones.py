"""IANA time zones, and those of each country, from the tz database the `tzdata` package ships.

`zone.tab` names each country's zones as people there know them (Europe/Stockholm for Sweden);
`zone1970.tab` fills in a country that `zone.tab` lacks.
"""

import zoneinfo
from functools import cache
from importlib import resources

TAB_FILES = ("zone.tab", "zone1970.tab")


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every zone a conference may take, sorted, without the tz database's own helpers."""
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if name not in {"Factory", "localtime"} and not name.startswith("posix")
        )
    )


def _read_tab(filename: str) -> dict[str, list[str]]:
    try:
        text = resources.files("tzdata.zoneinfo").joinpath(filename).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) < 3:
            continue
        for country in columns[0].split(","):
            zones.setdefault(country.strip().upper(), []).append(columns[2].strip())
    return zones


@cache
def zones_by_country() -> dict[str, tuple[str, ...]]:
    """Country code → its zones, in the tz database's order (the most populous first)."""
    known = set(time_zone_names())
    merged: dict[str, tuple[str, ...]] = {}
    for filename in TAB_FILES:
        for country, zones in _read_tab(filename).items():
            if country not in merged:
                usable = tuple(dict.fromkeys(zone for zone in zones if zone in known))
                if usable:
                    merged[country] = usable
    return merged


def zones_for_country(country: str) -> tuple[str, ...]:
    return zones_by_country().get(str(country or "").strip().upper(), ())


def single_zone_of(country: str) -> str | None:
    """The country's zone when it has only one, else None."""
    zones = zones_for_country(country)
    return zones[0] if len(zones) == 1 else None


def grouped_time_zones() -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices grouped by region (the part before the first slash), for a <select>."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in time_zone_names():
        region = name.split("/", 1)[0] if "/" in name else "Other"
        groups.setdefault(region, []).append((name, name.replace("_", " ")))
    return sorted(groups.items(), key=lambda item: (item[0] == "Other", item[0]))
