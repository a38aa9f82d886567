"""The colour of each division, the same on every page that colours organisations by division.

Colour-blind-safe colours (Okabe and Ito): static/css/site.css defines `.division-colour-<n>`
for each place in the palette, and `.division-colour-none` for organisations without one.
"""

from typing import Any

from .models import Division

PALETTE_SIZE = 8
NO_DIVISION_COLOUR = "none"


def coloured_divisions(**annotations: Any) -> list[Division]:
    """Every division, by name, each with its `colour`.

    A division's colour follows its place among all divisions, never among those a page
    shows, so it keeps its colour on every page and whatever the filters. `annotations` (the
    counts a legend needs) are added to the one query; they cannot leave a division out.
    """
    divisions = list(Division.objects.annotate(**annotations).order_by("name", "pk"))
    for index, division in enumerate(divisions):
        division.colour = str(index % PALETTE_SIZE)
    return divisions
