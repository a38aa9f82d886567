"""The Figures page: members, agreements and conferences counted, as charts, tables and CSV.

Each figure is one GROUP BY query over whole tables, too slow to run per request: the worker
runs them after records change and keeps their rows (portal/aggregates.py,
core/aggregates.py), so the figures lag a change by up to AGGREGATES_REFRESH_DELAY_SECONDS
and the time to count, and the page says when they were counted (`counted_at`). The page reads
the kept rows in one query; with the page cache on, rows counted for the last change are
cached under the change clock (core/changes.py) and the day, so while nothing changes the page
and its CSV files run no query at all. Only the language-neutral counts are kept; names of
countries and headings are given per request.
"""

import csv
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_countries import countries

from agreements.models import Agreement
from conferences.models import Conference
from core.aggregates import derived, read_many, register
from core.dependencies import PreciseCacheMixin
from core.models import Aggregate
from core.rest.renderers import cell
from members.models import Division, Membership, Organisation, Topic

from .bar_charts import bar_chart_svg

# The country and topic charts show the largest ones; their tables list them all.
CHART_TOP = 15


@dataclass
class Row:
    label: str
    values: list[int]
    url: str = ""


@dataclass
class Figure:
    """One figure as the page draws it: a chart, its table, and its CSV."""

    name: str
    title: str
    note: str
    headings: list[str]
    rows: list[Row]
    total: Row | None = None
    chart: dict = field(default_factory=dict)
    csv_header: list[str] = field(default_factory=list)
    csv_rows: list[list] = field(default_factory=list)
    summary: str = ""
    # The chart drawn as SVG, for the page to show before and without Chart.js.
    drawing: str = ""

    @functools.cached_property
    def section(self) -> str:
        """The figure's section of the page: its chart, table and CSV link, written once
        for the figure (figures are built once per count, `build_counted`)."""
        return render_to_string("includes/_figure.html", {"figure": self})

    @property
    def csv_filename(self) -> str:
        return f"{self.name}.csv"


# Counting: one aggregate query each, answering plain tuples (what the cache keeps).


def count_members_per_division(today: datetime.date) -> list[tuple[str | None, str | None, int]]:
    """(division slug, division name, members); None for members without a division."""
    return list(
        Organisation.objects.current_members(on=today)
        .order_by()
        .values_list("division__slug", "division__name")
        .annotate(count=Count("pk"))
    )


def count_members_per_country(today: datetime.date) -> list[tuple[str, int]]:
    return list(
        Organisation.objects.current_members(on=today)
        .order_by()
        .values_list("country")
        .annotate(count=Count("pk"))
    )


def count_agreements_per_year(today: datetime.date) -> list[tuple[int, int]]:
    return list(
        Agreement.objects.public()
        .filter(signed_on__isnull=False)
        .order_by()
        .annotate(year=ExtractYear("signed_on"))
        .values_list("year")
        .annotate(count=Count("pk"))
    )


def count_agreements_per_topic(today: datetime.date) -> list[tuple[str | None, str | None, int]]:
    """(topic slug, topic name, agreements); None counts the agreements without a topic."""
    return list(
        Agreement.objects.public()
        .order_by()
        .values_list("topics__slug", "topics__name")
        .annotate(count=Count("pk"))
    )


def count_conferences_per_year(today: datetime.date) -> list[tuple[int, str, int]]:
    """(year of the start, kind, conferences), cancelled conferences left out."""
    return list(
        Conference.objects.published()
        .exclude(status=Conference.Status.CANCELLED)
        .order_by()
        .annotate(year=ExtractYear("start_date"))
        .values_list("year", "kind")
        .annotate(count=Count("pk"))
    )


# Building: the counted rows as titles, table rows, chart data and CSV, in the visitor's language.


def link(url_name: str, **params) -> str:
    return f"{list_path(url_name, get_script_prefix())}?{urlencode(params)}"


@functools.cache
def list_path(url_name: str, script_prefix: str) -> str:
    """A list page's path, worked out once (a table of 200 countries links each row)."""
    return reverse(url_name)


def bar_chart(labels: list[str], datasets: list[dict], *, horizontal: bool, stacked=False) -> dict:
    return {
        "labels": labels,
        "datasets": datasets,
        "horizontal": horizontal,
        "stacked": stacked,
    }


def summarise(title: str, rows: list[Row], *, count: int = 3) -> str:
    """What the chart shows, in words, for a screen reader (the canvas's `aria-label`)."""
    largest = sorted(rows, key=lambda row: -row.values[-1])[:count]
    items = ", ".join(f"{row.label} ({row.values[-1]})" for row in largest)
    return _("%(title)s, bar chart. Largest: %(items)s. The table below lists every value.") % {
        "title": title,
        "items": items,
    }


def members_per_division_figure(counted) -> Figure:
    title = _("Members per division")
    no_division = _("No division")
    ordered = sorted(counted, key=lambda item: (-item[2], item[1] is None, item[1] or ""))
    rows = [
        Row(
            label=name or no_division,
            values=[count],
            url=link("members:organisation-list", division=slug) if slug else "",
        )
        for slug, name, count in ordered
    ]
    return Figure(
        name="members-per-division",
        title=title,
        note=_("Organisations with a current membership, by the division they belong to."),
        headings=[_("Division"), _("Members")],
        rows=rows,
        total=Row(_("Total"), [sum(count for *_rest, count in counted)]),
        chart=bar_chart(
            [row.label for row in rows],
            [{"label": _("Members"), "data": [row.values[0] for row in rows]}],
            horizontal=True,
        ),
        csv_header=["division", "division_slug", "members"],
        csv_rows=[[name or no_division, slug or "", count] for slug, name, count in ordered],
        summary=summarise(title, rows),
    )


def members_per_country_figure(counted) -> Figure:
    title = _("Members per country")
    named = sorted(
        ((code, countries.name(code) or code, count) for code, count in counted),
        key=lambda item: (-item[2], item[1]),
    )
    rows = [
        Row(label=name, values=[count], url=link("members:organisation-list", country=code))
        for code, name, count in named
    ]
    shown, others = rows[:CHART_TOP], rows[CHART_TOP:]
    labels = [row.label for row in shown]
    data = [row.values[0] for row in shown]
    if others:
        labels.append(
            _("Other countries (%(count)s)") % {"count": len(others)},
        )
        data.append(sum(row.values[0] for row in others))
    return Figure(
        name="members-per-country",
        title=title,
        note=_(
            "Organisations with a current membership, by country. The chart shows the "
            "%(top)s countries with most members and the others together; the table lists "
            "every country."
        )
        % {"top": CHART_TOP},
        headings=[_("Country"), _("Members")],
        rows=rows,
        total=Row(_("Total"), [sum(count for _code, count in counted)]),
        chart=bar_chart(labels, [{"label": _("Members"), "data": data}], horizontal=True),
        csv_header=["country_code", "country", "members"],
        csv_rows=[[code, name, count] for code, name, count in named],
        summary=summarise(title, rows),
    )


def every_year(years) -> list[int]:
    """From the first year to the last, the years without any record included."""
    years = [year for year in years if year is not None]
    return list(range(min(years), max(years) + 1)) if years else []


def agreements_per_year_figure(counted) -> Figure:
    title = _("Agreements per year")
    per_year = {year: count for year, count in counted if year is not None}
    years = every_year(per_year)
    rows = [
        Row(
            label=str(year),
            values=[per_year.get(year, 0)],
            url=link("agreements:agreement-list", year=year) if year in per_year else "",
        )
        for year in years
    ]
    return Figure(
        name="agreements-per-year",
        title=title,
        note=_("Public cooperation agreements by the year they were signed."),
        headings=[_("Year"), _("Agreements")],
        rows=rows,
        total=Row(_("Total"), [sum(per_year.values())]),
        chart=bar_chart(
            [row.label for row in rows],
            [{"label": _("Agreements"), "data": [row.values[0] for row in rows]}],
            horizontal=False,
        ),
        csv_header=["year", "agreements"],
        csv_rows=[[year, per_year.get(year, 0)] for year in years],
        summary=summarise(title, rows),
    )


def agreements_per_topic_figure(counted) -> Figure:
    title = _("Agreements per topic")
    ordered = sorted(
        (item for item in counted if item[0] is not None), key=lambda item: (-item[2], item[1])
    )
    untagged = sum(count for slug, _name, count in counted if slug is None)
    rows = [
        Row(label=name, values=[count], url=link("agreements:agreement-list", topic=slug))
        for slug, name, count in ordered
    ]
    csv_rows = [[name, slug, count] for slug, name, count in ordered]
    if untagged:
        rows.append(Row(label=_("No focus area"), values=[untagged]))
        csv_rows.append([_("No focus area"), "", untagged])
    charted = rows[: min(CHART_TOP, len(ordered))]
    return Figure(
        name="agreements-per-topic",
        title=title,
        note=_(
            "Public cooperation agreements by focus area; an agreement with several focus "
            "areas counts for each. The chart shows the %(top)s topics with most agreements; "
            "the table lists them all."
        )
        % {"top": CHART_TOP},
        headings=[_("Topic"), _("Agreements")],
        rows=rows,
        chart=bar_chart(
            [row.label for row in charted],
            [{"label": _("Agreements"), "data": [row.values[0] for row in charted]}],
            horizontal=True,
        ),
        csv_header=["topic", "topic_slug", "agreements"],
        csv_rows=csv_rows,
        summary=summarise(title, rows[: len(ordered)]),
    )


def conferences_per_year_figure(counted) -> Figure:
    title = _("Conferences per year")
    kinds = list(Conference.Kind)
    per_year: dict[int, dict[str, int]] = {}
    for year, kind, count in counted:
        if year is not None:
            per_year.setdefault(year, {})[kind] = count
    years = every_year(per_year)
    table = [[per_year.get(year, {}).get(kind, 0) for kind in kinds] for year in years]
    rows = [
        Row(
            label=str(year),
            values=[*values, sum(values)],
            url=link("conferences:conference-list", year=year) if year in per_year else "",
        )
        for year, values in zip(years, table, strict=True)
    ]
    totals = [sum(values[index] for values in table) for index in range(len(kinds))]
    # Kinds without any conference are left out of the chart (an empty legend entry says little).
    shown = [index for index, total in enumerate(totals) if total]
    return Figure(
        name="conferences-per-year",
        title=title,
        note=_(
            "World, division and other conferences by the year they start, planned ones "
            "included; cancelled conferences are not counted."
        ),
        headings=[_("Year"), *(kind.label for kind in kinds), _("Total")],
        rows=rows,
        total=Row(_("Total"), [*totals, sum(totals)]),
        chart=bar_chart(
            [row.label for row in rows],
            [
                {"label": str(kinds[index].label), "data": [values[index] for values in table]}
                for index in shown
            ],
            horizontal=False,
            stacked=True,
        ),
        csv_header=["year", *(kind.value for kind in kinds), "total"],
        csv_rows=[[year, *values, sum(values)] for year, values in zip(years, table, strict=True)],
        summary=summarise(title, rows),
    )


@dataclass(frozen=True)
class FigureKind:
    count: Callable[[datetime.date], list[tuple]]
    build: Callable[[list[tuple]], Figure]


FIGURES = {
    "members-per-division": FigureKind(count_members_per_division, members_per_division_figure),
    "members-per-country": FigureKind(count_members_per_country, members_per_country_figure),
    "agreements-per-year": FigureKind(count_agreements_per_year, agreements_per_year_figure),
    "agreements-per-topic": FigureKind(count_agreements_per_topic, agreements_per_topic_figure),
    "conferences-per-year": FigureKind(count_conferences_per_year, conferences_per_year_figure),
}


def aggregate_key(name: str) -> str:
    return f"figures:{name}"


# The counts are kept by the worker (core/aggregates.py), counted for the day they run.
for _name, _kind in FIGURES.items():
    register(
        aggregate_key(_name),
        lambda count=_kind.count: count(timezone.localdate()),
        counts=(Organisation, Membership, Division, Agreement, Topic, Conference),
    )


@dataclass
class Counts:
    # Each figure's kept count, by figure name.
    kept: dict[str, Aggregate]
    # When the oldest of them was counted; None when not known (kept before it was noted).
    counted_at: datetime.datetime | None
    # Some were counted before the last change (the worker is counting them again).
    is_lagging: bool


def counted_rows(names: list[str]) -> Counts:
    """Each named figure's counted rows, as the worker keeps them (one query).

    The day is part of what is current (core/aggregates.py): a membership that ends today
    stops counting tomorrow. A page showing them depends on them (`served`), and is made
    again when the worker stores new counts.
    """
    stored = read_many([aggregate_key(name) for name in names])
    counts = Counts(kept={}, counted_at=None, is_lagging=False)
    for name in names:
        aggregate = stored[aggregate_key(name)]
        counts.kept[name] = aggregate
        counts.is_lagging = counts.is_lagging or aggregate.is_lagging
    counts.counted_at = min((aggregate.computed_at for aggregate in stored.values()), default=None)
    return counts


def drawn_figure(kind: FigureKind, payload: list) -> Figure:
    figure = kind.build(payload)
    # Drawn here, so that the page is whole before (and without) Chart.js.
    figure.drawing = bar_chart_svg(figure.chart) if figure.rows else ""
    return figure


def build_figures(names: list[str]) -> list[Figure]:
    return build_counted(names)[0]


def build_counted(names: list[str]) -> tuple[list[Figure], Counts]:
    """The figures from their kept counts: built and drawn once per count the worker stores
    (`derived`), not on every request."""
    counts = counted_rows(names)
    figures = [
        derived(counts.kept[name], "figure", functools.partial(drawn_figure, FIGURES[name]))
        for name in names
    ]
    return figures, counts


class FiguresView(PreciseCacheMixin, TemplateView):
    """Kept in the cache until the worker stores new counts: counts that lag a change are
    kept until then (or until they may no longer lag, core/aggregates.py), not rebuilt on
    every request meanwhile."""

    template_name = "figures.html"

    def get_context_data(self, **kwargs):
        figures, counts = build_counted(list(FIGURES))
        return super().get_context_data(
            figures=figures,
            # When the figures were counted: they may lag a change by a minute or so.
            counted_at=counts.counted_at,
            counts=counts,
            charts={figure.name: figure.chart for figure in figures if figure.rows},
            today=timezone.localdate(),
            **kwargs,
        )


@require_safe
def figure_csv(request: HttpRequest, name: str) -> HttpResponse:
    if name not in FIGURES:
        raise Http404(_("There is no such figure."))
    (figure,) = build_figures([name])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{figure.csv_filename}"'
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(figure.csv_header)
    writer.writerows([cell(value) for value in row] for row in figure.csv_rows)
    return response
