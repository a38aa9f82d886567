"""A first drawing of the cooperation network, made on the server: the page shows the graph
before (and without) Cytoscape, which is loaded only once the graph is in view.

The layout is cheap on purpose (linear in the number of organisations, no simulation): each
division is a disc, its organisations on a sunflower spiral with the most agreements at the
centre; the discs are packed in rows, largest first.
"""

import math
from collections import Counter
from dataclasses import dataclass, replace

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

WIDTH = 800
SPACING = 26  # between neighbours on a spiral
GAP = 34  # between discs
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
LABELLED = 12  # the organisations with most agreements carry their name


@dataclass(frozen=True)
class Node:
    slug: str
    name: str
    colour: str
    x: float
    y: float
    r: float
    labelled: bool

    @property
    def label_y(self) -> float:
        return round(self.y + self.r, 1)


@dataclass(frozen=True)
class Link:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    nodes: list[Node]
    links: list[Link]


def spiral(count: int) -> list[tuple[float, float]]:
    """`count` places on a sunflower spiral around (0, 0), the first at the centre."""
    return [
        (
            SPACING * math.sqrt(index) * math.cos(index * GOLDEN_ANGLE),
            SPACING * math.sqrt(index) * math.sin(index * GOLDEN_ANGLE),
        )
        for index in range(count)
    ]


def draw_network(nodes: list[tuple[str, str, str, str, int]], pairs: Counter) -> Drawing:
    """`nodes` as (slug, name, group, colour, agreements); `pairs` counts the agreements of
    each (slug, slug) pair. Answers positions within a WIDTH-wide box."""
    groups: dict[str, list] = {}
    for node in sorted(nodes, key=lambda node: (-node[4], node[1])):
        groups.setdefault(node[2], []).append(node)
    most = max((node[4] for node in nodes), default=1) or 1
    labelled = {node[0] for node in sorted(nodes, key=lambda node: (-node[4], node[1]))[:LABELLED]}

    placed: dict[str, Node] = {}
    x = y = shelf = 0.0
    for members in sorted(groups.values(), key=lambda members: -len(members)):
        radius = SPACING * math.sqrt(max(len(members) - 1, 0)) + SPACING
        if x and x + 2 * radius > WIDTH:
            x, y, shelf = 0.0, y + shelf + GAP, 0.0
        centre_x, centre_y = x + radius, y + radius
        for (slug, name, _group, colour, count), (dx, dy) in zip(
            members, spiral(len(members)), strict=True
        ):
            placed[slug] = Node(
                slug=slug,
                name=name,
                colour=colour,
                x=round(centre_x + dx, 1),
                y=round(centre_y + dy, 1),
                r=round(4 + 9 * math.sqrt(count / most), 1),
                labelled=slug in labelled,
            )
        x += 2 * radius + GAP
        shelf = max(shelf, 2 * radius)
    height = y + shelf
    # Centred across the width the discs use.
    used = max((node.x + SPACING for node in placed.values()), default=WIDTH)
    shift = max((WIDTH - used) / 2, 0)
    placed = {slug: replace(node, x=round(node.x + shift, 1)) for slug, node in placed.items()}
    links = [
        Link(
            x1=placed[source].x,
            y1=placed[source].y,
            x2=placed[target].x,
            y2=placed[target].y,
            width=round(min(1 + math.log2(count), 5), 1),
        )
        for (source, target), count in sorted(pairs.items())
        if source in placed and target in placed
    ]
    return Drawing(
        width=WIDTH,
        height=max(math.ceil(height + 24), 120),  # room under the lowest names
        nodes=sorted(placed.values(), key=lambda node: node.labelled),
        links=links,
    )


def svg_links(drawing: Drawing) -> str:
    """The links as SVG lines, written at once: the template wrote them one by one, a quarter
    of the page's time for a thousand links."""
    # Numbers only.
    return mark_safe(
        "".join(
            f'<line x1="{link.x1:g}" y1="{link.y1:g}" x2="{link.x2:g}" y2="{link.y2:g}" '
            f'stroke-width="{link.width:g}"/>'
            for link in drawing.links
        )
    )


def svg_nodes(drawing: Drawing) -> str:
    """The organisations as SVG discs with their names (escaped), the first ones labelled."""
    # Every text escaped.
    return mark_safe(
        "".join(
            f'<g class="network-picture__node division-colour-{escape(node.colour)}" '
            f'data-slug="{escape(node.slug)}"><title>{escape(node.name)}</title>'
            f'<circle cx="{node.x:g}" cy="{node.y:g}" r="{node.r:g}"/>'
            + (
                f'<text x="{node.x:g}" y="{node.label_y:g}" dy="1em">'
                f"{escape(Truncator(node.name).chars(LABEL_CHARACTERS))}</text>"
                if node.labelled
                else ""
            )
            + "</g>"
            for node in drawing.nodes
        )
    )


# How much of a name a label shows (truncated with an ellipsis).
LABEL_CHARACTERS = 24
