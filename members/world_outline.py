"""The world's country outlines as SVG, projected from the vendored world-atlas TopoJSON.

Built once per process, at first use (`world_outline()` is cached), never per request: the
map page draws a static picture of the members per country on it, complete without
JavaScript, before Leaflet is loaded.
"""

import json
import math
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django_countries import countries

TOPOLOGY = "vendor/world-atlas-2.0.2/countries-110m.json"
WIDTH = 1000
# Web Mercator (as Leaflet draws), cut above 84°N and below 58°S: Antarctica has no members.
NORTH, SOUTH = 84.0, -58.0
LEFT_OUT = {"010"}  # Antarctica, by its ISO 3166 numeric code


def project(longitude: float, latitude: float) -> tuple[float, float]:
    latitude = max(min(latitude, 85.0), -85.0)
    x = (longitude + 180.0) / 360.0 * WIDTH
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)) / math.pi) / 2 * WIDTH
    return x, y


TOP = project(0, NORTH)[1]
HEIGHT = round(project(0, SOUTH)[1] - TOP)


def point(longitude: float, latitude: float) -> tuple[float, float]:
    """Where a place is on the picture (viewBox 0 0 WIDTH HEIGHT)."""
    x, y = project(longitude, latitude)
    return round(x, 1), round(y - TOP, 1)


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166 alpha-2, "" when world-atlas's shape has none
    path: str  # the SVG path's d
    centre: tuple[float, float]  # of its largest ring


@dataclass(frozen=True)
class Outline:
    width: int
    height: int
    countries: dict[str, Country]  # by alpha-2 code
    svg: str  # the whole outline, a standalone SVG document


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantised, delta-encoded arcs as longitude and latitude."""
    (scale_x, scale_y), (move_x, move_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in arc:
            x += step_x
            y += step_y
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    # A ring crossing the 180th meridian would be drawn across the map: move its west past 180.
    longitudes = [longitude for longitude, _latitude in points]
    if longitudes and max(longitudes) - min(longitudes) > 180:
        points = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    return points


def area_and_centre(ring: list[tuple[float, float]]) -> tuple[float, tuple[float, float]]:
    """The shoelace area and the centroid of a projected ring."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not area:
        return 0.0, ring[0]
    return abs(area) / 2, (round(cx / (3 * area), 1), round(cy / (3 * area), 1))


def path_of(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        previous = None
        commands = []
        for x, y in ring:
            here = (round(x, 1), round(y, 1))
            if here != previous:
                commands.append(f"{here[0]:g},{here[1]:g}")
                previous = here
        if len(commands) > 2:
            parts.append("M" + "L".join(commands) + "Z")
    return "".join(parts)


@cache
def world_outline() -> Outline:
    with open(finders.find(TOPOLOGY), encoding="utf-8") as file:
        topology = json.load(file)
    arcs = decode_arcs(topology)
    shapes = {}
    paths = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric in LEFT_OUT or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [
            [point(*place) for place in ring_points(ring, arcs)]
            for polygon in polygons
            for ring in polygon
        ]
        path = path_of(rings)
        paths.append(path)
        code = countries.alpha2(numeric) if numeric else ""
        if code:
            _area, centre = max(
                (area_and_centre(ring) for ring in rings), key=lambda found: found[0]
            )
            shapes[code] = Country(code=code, path=path, centre=centre)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}"><path fill="#f8f6f0" stroke="#98a4b0" '
        f'stroke-width="0.6" stroke-linejoin="round" d="{"".join(paths)}"/></svg>'
    )
    return Outline(width=WIDTH, height=HEIGHT, countries=shapes, svg=svg)
