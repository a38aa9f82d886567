"""The drawings made on the server: figures' bar charts, the network's first layout and the
world outline under the map of members."""

import re
from collections import Counter

import pytest

from agreements.network_drawing import WIDTH as NETWORK_WIDTH
from agreements.network_drawing import draw_network
from members.world_outline import point, world_outline
from portal.bar_charts import bar_chart_svg, tick_step


def chart(labels, *datasets, horizontal=True, stacked=False):
    return {
        "labels": labels,
        "datasets": [{"label": f"Set {n}", "data": data} for n, data in enumerate(datasets)],
        "horizontal": horizontal,
        "stacked": stacked,
    }


def test_tick_step_is_round_and_gives_at_most_four_steps():
    assert [tick_step(most) for most in (1, 4, 9, 37, 120, 9999)] == [1, 1, 5, 10, 50, 5000]


def test_horizontal_chart_names_each_bar_and_shows_its_value():
    svg = bar_chart_svg(chart(["Europe", "Asia <Pacific>"], [9, 3]))

    assert svg.startswith('<svg class="figure__svg" viewBox="0 0 640 ')
    assert "<title>Europe: 9</title>" in svg
    assert "<title>Asia &lt;Pacific&gt;: 3</title>" in svg  # names are escaped
    assert ">Asia &lt;Pacific&gt;</text>" in svg
    widths = [
        float(width) for width in re.findall(r'<rect x="210" y="[\d.]+" width="([\d.]+)"', svg)
    ]
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.1)
    assert "style=" not in svg


def test_long_names_are_shortened_on_the_axis_and_whole_in_the_title():
    name = "The Very Long Name of an Organisation Park"
    svg = bar_chart_svg(chart([name], [2]))

    assert f"<title>{name}: 2</title>" in svg
    assert ">The Very Long Name of an Or…</text>" in svg


def test_stacked_vertical_chart_piles_the_datasets_and_has_a_legend():
    svg = bar_chart_svg(chart(["2024", "2025"], [1, 2], [0, 1], horizontal=False, stacked=True))

    assert svg.count("<rect") == 3 + 2  # the zero is not drawn; two legend swatches
    assert "<title>2025: 2</title>" in svg and "<title>2025: 1</title>" in svg
    assert ">Set 0</text>" in svg and ">Set 1</text>" in svg


def test_network_layout_places_every_organisation_inside_the_box():
    nodes = [
        (f"park-{n}", f"Park {n}", "europe" if n % 2 else "asia", "1", n + 1) for n in range(30)
    ]
    pairs = Counter({("park-1", "park-2"): 3, ("park-2", "park-5"): 1, ("park-1", "gone"): 1})

    drawing = draw_network(nodes, pairs)

    assert len(drawing.nodes) == 30
    assert {node.slug for node in drawing.nodes} == {node[0] for node in nodes}
    for node in drawing.nodes:
        assert node.x - node.r >= 0 and node.x + node.r <= NETWORK_WIDTH
        assert node.y - node.r >= 0 and node.y + node.r <= drawing.height
    assert len({(node.x, node.y) for node in drawing.nodes}) == 30  # no two at one place
    assert len(drawing.links) == 2  # an organisation not shown makes no line
    assert drawing.links[0].width > drawing.links[1].width
    labelled = [node.slug for node in drawing.nodes if node.labelled]
    assert len(labelled) == 12 and "park-29" in labelled and "park-0" not in labelled


def test_network_layout_of_nothing_is_an_empty_box():
    drawing = draw_network([], Counter())

    assert (drawing.nodes, drawing.links) == ([], [])
    assert drawing.height == 120


def test_world_outline_is_built_once_with_the_countries_centres():
    outline = world_outline()

    assert world_outline() is outline
    assert outline.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 ')
    assert len(outline.countries) > 150
    # Hungary's centre is near Budapest's latitude and east of Vienna's longitude.
    hungary_x, hungary_y = outline.countries["HU"].centre
    vienna_x, vienna_y = point(16.37, 48.21)
    assert hungary_x > vienna_x and abs(hungary_y - vienna_y) < 10
    assert "AQ" not in outline.countries  # Antarctica is left out
