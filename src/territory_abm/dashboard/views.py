"""Figures of the dashboard (matplotlib, no pyplot state, so several sessions can draw at once)."""

from __future__ import annotations

import io
import textwrap
import threading
from dataclasses import dataclass

import networkx as nx
import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter
from PIL import Image

from ..output import tables
from ..output.figure_check import hide_colliding
from ..output.plots import NODE_SHAPES, least_range
from ..outcomes import TYPE_COLOURS, TYPES, UNCLASSIFIED_COLOUR
from ..typology import typology
from .text import number, outcome_text, t

COLOUR_BY = {  # menu key -> (node outcome, colour map, fixed range or None)
    "poverty": ("poverty_headcount", "OrRd", (0.0, 0.8)),
    "income": ("mean_income_pc", "YlGn", None),
    "gini": ("gini_income", "PuRd", (0.3, 0.65)),
    "nature": ("forest_cover", "Greens", (0.0, 0.6)),
    "farm_gate": ("farm_gate", "YlOrBr", None),  # the model's price, not a recorded outcome
    "commuters": ("commuters", "Blues", None),
    "typology": ("type", None, None),
}
CHARTS = (("mean_income_pc", "income"), ("poverty_headcount", "poverty_pct"), ("gini_income", "gini"),
          ("forest_cover", "nature_pct"), ("population", "population"), ("commuters", "commuters"))
"""Outcome charts (registry name, label key): this run, its no-policy twin and earlier runs."""
PERCENT = frozenset({"poverty_headcount", "forest_cover"})
"""Shares the charts draw in % (as the tables and the trainer's console write them)."""
MIN_SPAN = {"income": (0.02, 0.0), "poverty_pct": (0.0, 2.0), "gini": (0.0, 0.02), "nature_pct": (0.0, 2.0),
            "population": (0.02, 0.0), "commuters": (0.0, 2.0), "diff_poverty": (0.0, 1.0),
            "diff_income": (0.0, 20.0), "split": (0.02, 0.0), "cumulative_cost": (0.0, 1000.0),
            "farm_gate": (0.02, 0.0), "diff_poverty_choices": (0.0, 1.0), "diff_income_choices": (0.0, 20.0),
            "service_quality": (0.0, 0.05)}
"""Least y-range of each chart (label key: share of the values' size, and an absolute floor in the
chart's unit, the larger counts): a farm-gate price moving from 0.9018 to 0.9019 drew as a swing
across the whole chart (browser trial, 2026-12-03)."""
RUN_COLOUR, TWIN_COLOUR, EARLIER_COLOUR = "#0969da", "#6e7781", "#0969da"
HORIZON = 20
"""Years the x axes show from the start while axes are held."""
MIN_YEARS_SHOWN = 5
"""Years the x axes show from the start at least while axes are not held."""


class Ticks(Formatter):
    """Tick labels in the page's language (decimal comma in Spanish, never "5e+05"), with as
    many decimals as the tick spacing needs."""

    def __init__(self, language: str, times: float = 1.0):
        self.language, self.times = language, times  # ``times``: labels of shares in % (100)

    def format_ticks(self, values):
        values = self.times * np.asarray(values, float)
        locs = np.sort(values)
        spacing = np.min(np.diff(locs)) if locs.size > 1 else 1.0
        # the fewest decimals that write the spacing exactly (0.25: 2, not 1, which wrote 36.25 as 36.2)
        decimals = next((d for d in range(5) if abs(round(spacing, d) - spacing) <= 1e-9 * max(spacing, 1.0)), 4)
        return [number(x, self.language, decimals) for x in values]

    def __call__(self, x, pos=None):
        x = self.times * x
        return number(x, self.language, 0 if abs(x) >= 100 else 2)


class YearTicks(Formatter):
    """Whole years, without thousands separators."""

    def __call__(self, x, pos=None):
        return f"{x:.0f}"


def font_scale(large: bool) -> float:
    """Factor on the figures' font sizes (large-text mode: 1.35)."""
    return 1.35 if large else 1.0


def chart_grid(fig: Figure, rows: int, large: bool, legend_rows: int = 1) -> np.ndarray:
    """``rows`` x 2 axes on ``fig`` with fixed margins (in inches, so they hold at any figure
    size) wide enough for the tick labels, wrapped titles and a legend of ``legend_rows`` rows
    below, at the font size of ``large``.

    Fixed rather than matplotlib's constrained layout, which measured every text of the figure
    at each drawing: half of the time of drawing a group's charts (profiled with 30 groups on
    one server, where every group's figures are drawn in one Python process)."""
    width, height = fig.get_size_inches()
    scale = font_scale(large)
    title = (3 if large else 2) * 0.19 * scale  # lines of a wrapped title (narrower axes in large text)
    # left: tick labels such as "40 000 000"; right: half the last year's label (a trial, session 54: "204")
    left, right, top = 0.8 * scale, 0.2 * scale, 0.12 + title
    bottom = 0.3 * scale + legend_rows * 0.2 * scale + 0.1
    row_height = (height - top - bottom - (rows - 1) * (title + 0.28 * scale)) / rows
    return fig.subplots(rows, 2, gridspec_kw={
        "left": left / width, "right": 1 - right / width, "top": 1 - top / height, "bottom": bottom / height,
        "wspace": (left + 0.1) / ((width - left - right - left - 0.1) / 2),
        "hspace": (title + 0.28 * scale) / row_height})


def fits(text: str, inches: float, size: float) -> str:
    """``text`` wrapped to lines that fit ``inches`` at font ``size`` (points; a character of
    DejaVu Sans is about 0.6 of its size wide)."""
    return textwrap.fill(text, max(int(inches * 72 / (0.6 * size)), 8))


def _style(ax, language: str, title: str, size: float) -> None:
    width = ax.get_position().width * ax.figure.get_figwidth()
    # two per row: wrap long titles. y=1: where Matplotlib would put it (no tick labels or offset
    # text above the axes), without its search for them, which measured the y tick labels once more
    # at each drawing (a sixth of the game's charts, session 28)
    ax.set_title(fits(title, width + 0.3, size), fontsize=size, loc="left", y=1.0)
    ax.tick_params(labelsize=size * 0.9)
    ax.yaxis.set_major_formatter(Ticks(language))
    ax.xaxis.set_major_formatter(YearTicks())
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)


def _least_span(ax, key: str) -> None:
    """Widen the y-range of chart ``key`` about its middle to :data:`MIN_SPAN`'s least range."""
    if key not in MIN_SPAN:
        return
    share, floor = MIN_SPAN[key]
    low, high = ax.get_ylim()
    least_range(ax, max(share * abs((low + high) / 2.0), floor))


HELD_EDGE = 0.02
"""Share of a held y-range at each end that a point may not fall in: the range grows to the
autoscaled one (whose margins hold every point inside the frame)."""


def _limits(ax, key: str, held: dict | None, start: int) -> None:
    """Hold the axes of chart ``key``: x from the start over :data:`HORIZON` years, y never
    shrinking (``held`` keeps each chart's range across years and resets). Not held, x runs
    over whole years from the start to the last year drawn, at least :data:`MIN_YEARS_SHOWN`
    (with one year drawn, Matplotlib's own range spans centuries)."""
    _least_span(ax, key)
    if held is None:
        years = np.concatenate([np.asarray(line.get_xdata(), float) for line in ax.lines] or [np.zeros(0)])
        years = years[np.isfinite(years)]
        last = max(years.max(), start) if years.size else start
        ax.set_xlim(start - 0.5, max(last, start + MIN_YEARS_SHOWN) + 0.5)
        return
    low, high = ax.get_ylim()  # autoscaled to what is drawn
    if key in held:  # held: grows only where something drawn falls outside, or onto the frame
        data = np.concatenate([np.asarray(line.get_ydata(), float) for line in ax.lines] or [np.zeros(0)])
        data = data[np.isfinite(data)]
        low, high = held[key]
        edge = HELD_EDGE * (high - low)  # a point within it is drawn half outside (a trial, session 54)
        if data.size and (data.min() < low + edge or data.max() > high - edge):
            low, high = min(low, ax.get_ylim()[0]), max(high, ax.get_ylim()[1])
    held[key] = (low, high)
    ax.set_ylim(low, high)
    right = max(start + HORIZON + 0.5, ax.get_xlim()[1])  # the last year's points inside the frame
    ax.set_xlim(start - 0.5, right)


def layout(graph) -> dict[str, tuple[float, float]]:
    """Node positions of ``graph`` for the map (seeded spring layout, weighted by closeness).

    Computed once per model and kept with its group (roads change travel times, not the map)."""
    g = nx.Graph()
    for a, b, data in graph.edges(data=True):
        g.add_edge(a, b, weight=1.0 / max(data["travel_time"], 0.1))
    return nx.spring_layout(g, seed=3, weight="weight")


def png(fig: Figure) -> bytes:
    """``fig`` as PNG bytes (drawn now, so the figure no longer needs the model)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@dataclass(frozen=True)
class MapState:
    """What the territory's map shows of a model in one year (:func:`map_state`), read at once
    under the model's lock and drawn after it is let go: a later step changes nothing in it.

    Attributes
    ----------
    key : str
        The menu entry the municipalities are coloured by (:data:`COLOUR_BY`).
    year : int
        The model's year.
    colours : list
        Each node's colour, in the territory's order.
    scale : tuple or None
        (colour map, norm) of the colour key; None for the typology (a legend).
    graph : networkx.Graph
        A copy of the model's network (road works change its travel times).
    territory : Territory
        The model's territory (node ids, names and kinds; no step changes it).
    """

    key: str
    year: int
    colours: list
    scale: object
    graph: object
    territory: object


def map_state(model, key: str) -> MapState:
    """The :class:`MapState` of ``model`` this year coloured by menu entry ``key`` (call holding
    the model's lock)."""
    colours, scale = node_colours(model, key)
    return MapState(key, int(model.year), colours, scale, model.graph.copy(), model.territory)


def node_colours(model, key: str) -> tuple[list, object]:
    """Colour of each node for menu entry ``key`` and a legend/colour-bar source."""
    outcome, cmap_name, fixed = COLOUR_BY[key]
    ids = model.territory.ids
    if key == "typology":
        types = current_types(model)
        return [TYPE_COLOURS.get(types.get(i), UNCLASSIFIED_COLOUR) for i in ids], None
    if outcome == "farm_gate":
        values = np.where(model.populated, np.asarray(model.farm_gate, float), np.nan)
    else:
        values = np.asarray(model.node_stats[outcome], float)
    finite = values[np.isfinite(values)]
    low, high = fixed if fixed else ((finite.min(), finite.max()) if finite.size else (0.0, 1.0))
    norm = Normalize(low, high if high > low else low + 1.0)
    cmap = colormaps[cmap_name]
    return [cmap(norm(v)) if np.isfinite(v) else "#d0d7de" for v in values], (cmap, norm)


def current_types(model) -> dict[str, str]:
    """Typology of each municipality from the start to the current year."""
    nodes = tables.node_table(model)
    nodes = nodes[nodes["kind"] != "market"]
    if nodes["year"].nunique() < 2:
        return {}
    table = typology(nodes)
    return dict(zip(table["node_id"], table["type"]))


MAP_SIZE = (6.0, 3.6)
"""Size (in) of the territory's figure on a page, as a map or as a network."""
MAP_AXES, KEY_AXES = (0.01, 0.01, 0.68, 0.86), (0.8, 0.1, 0.035, 0.72)
"""Where the map and its colour bar go in the figure (fixed: see :func:`chart_grid`)."""
NUDGES = ((0.0, 0.0), (0.0, 9.0), (0.0, -9.0), (0.0, 18.0), (0.0, -18.0))
"""Shifts (points) a municipality's name may take before it gives way to other names."""


def map_axes(fig: Figure) -> tuple:
    """The axes of the territory (no ticks) and of its colour key on ``fig``."""
    ax = fig.add_axes(MAP_AXES)
    ax.set_anchor("W")  # a map of equal aspect keeps to the left, its title from the figure's edge
    ax.set(xticks=[], yticks=[])
    ax.set_axis_off()
    return ax, fig.add_axes(KEY_AXES)


def draw_key(ax, key_ax, key: str, scale, language: str, *, large: bool = False) -> None:
    """The colour bar of ``scale`` (colour map, norm) in ``key_ax``, or, for the typology
    (``scale`` None), its legend beside ``ax`` and ``key_ax`` hidden; in large-text mode
    (``large``) at :func:`font_scale` times the size."""
    size = font_scale(large)
    key_ax.clear()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    if scale is None:
        key_ax.set_visible(False)
        handles = [Patch(facecolor=TYPE_COLOURS[name], edgecolor="black", label=t(language, name)) for name in TYPES]
        handles.append(Patch(facecolor=UNCLASSIFIED_COLOUR, edgecolor="black", label=t(language, "no_type")))
        ax.legend(handles=handles, loc="center right", bbox_to_anchor=(0.995, 0.5),
                  bbox_transform=ax.figure.transFigure, fontsize=7 * size, title=t(language, key),
                  title_fontsize=7 * size, frameon=False)
        return
    key_ax.set_visible(True)
    cmap, norm = scale
    in_percent = COLOUR_BY[key][0] in PERCENT  # shares read in %, as the tables and charts write them
    ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=key_ax,
                       format=Ticks(language, 100.0 if in_percent else 1.0), label="%" if in_percent else None)
    key_ax.tick_params(labelsize=8 * size)
    key_ax.yaxis.label.set_size(10 * size)


def network_figure(state: MapState, selected: str | None, language: str,
                   pos: dict[str, tuple[float, float]] | None = None, *, large: bool = False) -> Figure:
    """The territory graph of ``state`` (:func:`map_state`): nodes coloured by its key and shaped
    by kind as in ``run``'s network (:data:`..output.plots.NODE_SHAPES`: the town a diamond, the
    market a square),
    roads thicker and darker for quicker travel (hours), as on the polygon map. Node names
    first, then travel times, give way where they would cover other text.

    ``pos`` are node positions from :func:`layout` (computed here if not given); ``large``:
    the names, travel times and key at :func:`font_scale` times their size."""
    text_scale = font_scale(large)
    fig = Figure(figsize=MAP_SIZE, dpi=90)
    ax, key_ax = map_axes(fig)
    graph = state.graph
    pos = pos if pos is not None else layout(graph)
    times = np.array([d["travel_time"] for _, _, d in graph.edges(data=True)])
    span = max(times.max() - times.min(), 1e-9) if times.size else 1.0
    hours = []
    for (a, b, d) in graph.edges(data=True):
        quick = (times.max() - d["travel_time"]) / span  # 1 for the quickest road, 0 for the slowest
        ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color=colormaps["Greys"](0.35 + 0.6 * quick),
                lw=1.0 + 4.0 * quick, zorder=1, gid=f"road-{a}-{b}")
        hours.append(ax.text((pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2,
                             number(d["travel_time"], language, 1) + " h", fontsize=7 * text_scale, color="#555", ha="center",
                             zorder=2))
    colours, scale, key = state.colours, state.scale, state.key
    kinds = state.territory.kinds
    names = []
    for i, node_id in enumerate(state.territory.ids):
        x, y = pos[node_id]
        kind = str(kinds[i])
        marker = NODE_SHAPES.get(kind, NODE_SHAPES["municipality"])[0]
        size = 260 if marker == "o" else 330
        edge = "#0969da" if node_id == selected else "#333"
        ax.scatter([x], [y], s=size, c=[colours[i]], marker=marker, edgecolors=edge,
                   linewidths=3 if node_id == selected else 1, zorder=3, gid=f"node-{kind}")
        name = t(language, "market_node") if kind == "market" else state.territory.names[i]  # data name in English
        names.append(ax.annotate(name, (x, y), textcoords="offset points", xytext=(0, 12), ha="center",
                                 fontsize=8 * text_scale, zorder=4))
    draw_key(ax, key_ax, key, scale, language, large=large)
    ax.set_title(f"{t(language, key)} - {t(language, 'year')} {state.year}\n{t(language, 'edges')}", fontsize=9,
                 loc="left")  # at its size in large text too: two lines fill the room above the map
    ax.margins(x=0.12, y=0.1)  # room for the names of the outer nodes
    hide_colliding(fig, names + hours, nudges=NUDGES)
    return fig


def charts_figure(track, earlier, language: str, *, held: dict | None = None, large: bool = False) -> Figure:
    """Territory outcomes per year: this run (``track``, a :func:`.compare.track_frame`), the
    same-seed no-policy run (dashed) and ``earlier`` runs (faint).

    ``held``: the charts' held y-ranges (updated here), None to let the axes rescale."""
    size = 10 * font_scale(large)
    fig = Figure(figsize=(6.4, 4.6 * font_scale(large)), dpi=90)
    axes = chart_grid(fig, 3, large, legend_rows=2 if large else 1).flat
    start = int(track["year"].iloc[0]) if len(track) else 0
    for ax, (column, key) in zip(axes, CHARTS):
        times = 100.0 if column in PERCENT else 1.0
        for i, old in enumerate(earlier):
            ax.plot(old["year"], times * old[column], color=EARLIER_COLOUR, alpha=0.25, lw=5,
                    label=t(language, "earlier") if i == 0 else None, gid="earlier")
        ax.plot(track["year"], times * track["twin_" + column], color=TWIN_COLOUR, ls="--", lw=1.5,
                label=t(language, "no_policy"), gid="twin")
        ax.plot(track["year"], times * track[column], marker="o", ms=3, color=RUN_COLOUR, lw=2,
                label=t(language, "this_run"), gid="run")
        _style(ax, language, t(language, key), size)
        _limits(ax, key, held, start)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2 if large else 3, fontsize=size * 0.9, frameon=False)
    return fig


def compare_figure(track, language: str, *, held: dict | None = None, large: bool = False) -> Figure:
    """This run against the same-seed no-policy run: poverty and income differences,
    cumulative cost, incomes of households reached by a programme and of the others (and of
    the same others without any policy), farm-gate prices."""
    size = 10 * font_scale(large)
    fig = Figure(figsize=(6.4, 4.6 * font_scale(large)), dpi=90)
    axes = chart_grid(fig, 3, large, legend_rows=0).flat
    years = track["year"]
    start = int(years.iloc[0]) if len(track) else 0
    ax = axes[0]
    ax.axhline(0, color=TWIN_COLOUR, lw=1)
    ax.plot(years, 100 * (track["poverty_headcount"] - track["twin_poverty_headcount"]), marker="o", ms=3,
            color=RUN_COLOUR, gid="difference")
    _style(ax, language, t(language, "diff_poverty"), size)
    _limits(ax, "diff_poverty", held, start)
    ax = axes[1]
    ax.axhline(0, color=TWIN_COLOUR, lw=1)
    ax.plot(years, track["mean_income_pc"] - track["twin_mean_income_pc"], marker="o", ms=3, color=RUN_COLOUR,
            gid="difference")
    _style(ax, language, t(language, "diff_income"), size)
    _limits(ax, "diff_income", held, start)
    ax = axes[2]
    ax.plot(years, track["income_reached"], marker="o", ms=3, color="#bf3989", label=t(language, "reached"))
    ax.plot(years, track["income_others"], marker="o", ms=3, color="#1a7f37", label=t(language, "others"))
    ax.plot(years, track["twin_income_others"], ls="--", color=TWIN_COLOUR, label=t(language, "others_twin"))
    _style(ax, language, t(language, "split"), size)
    _limits(ax, "split", held, start)
    ax = axes[3]
    ax.fill_between(years, track["cumulative_cost"], color=RUN_COLOUR, alpha=0.25)
    ax.plot(years, track["cumulative_cost"], color=RUN_COLOUR)
    _style(ax, language, t(language, "cumulative_cost"), size)
    _limits(ax, "cumulative_cost", held, start)
    ax = axes[4]
    ax.plot(years, track["twin_farm_gate"], ls="--", color=TWIN_COLOUR, label=t(language, "no_policy"))
    ax.plot(years, track["farm_gate"], marker="o", ms=3, color=RUN_COLOUR, label=t(language, "this_run"))
    _style(ax, language, t(language, "farm_gate"), size)
    _limits(ax, "farm_gate", held, start)
    axes[5].axis("off")
    handles, labels = axes[2].get_legend_handles_labels()
    width = axes[5].get_position().width * fig.get_figwidth()
    axes[5].legend(handles, [fits(label, width, size * 0.9) for label in labels], loc="center", fontsize=size * 0.9,
                   frameon=False)
    return fig


DETAILS = ("population", "households", "income", "poverty", "gini", "forest_cover", "firms", "unemployed",
           "mean_wage", "net_migration", "municipal_spending", "enforcement", "service_quality", "policy_cost")
_DETAIL_COLUMNS = {"income": "mean_income_pc", "poverty": "poverty_headcount", "gini": "gini_income"}


def municipality_details(model, node_id: str, language: str) -> list[tuple[str, str]]:
    """(label, value) rows describing one municipality this year."""
    i = model.territory.index(node_id)
    rows = []
    for key in DETAILS:
        value = float(model.node_stats[_DETAIL_COLUMNS.get(key, key)][i])
        if not np.isfinite(value):
            text = "-"
        elif key == "poverty":
            text = outcome_text(_DETAIL_COLUMNS[key], value, language) + " %"
        elif key == "forest_cover":
            text = number(100 * value, language, 1) + " %"
        elif key in ("gini", "enforcement", "service_quality"):
            text = number(value, language, 2)
        else:
            text = number(value, language, 0)
        rows.append((t(language, key), text))
    return rows


COMPARED = (("poverty_percent", "poverty_headcount", "poverty_headcount"),
            ("income", "mean_income_pc", "mean_income_pc"),
            ("income_others_here", "income_others", "mean_income_pc"))
"""Rows of a municipality against the same seed without policy: (label key, key of
:func:`.compare.node_row`, registry outcome whose unit and precision it is written in)."""


def municipality_comparison(row: dict, language: str) -> list[tuple[str, str, str, str]]:
    """(label, this run, same seed without policy, difference) of a municipality's ``row``
    (:func:`.compare.node_row`), written as the report writes them (:func:`.text.outcome_text`):
    poverty in per cent and its difference in points, incomes in USD per person and year."""
    return [(t(language, key), *(outcome_text(name, row[prefix + column], language) for prefix in ("", "twin_")),
             outcome_text(name, row[column] - row["twin_" + column], language, signed=True))
            for key, column, name in COMPARED]


GAME_CHARTS = (("poverty_pct", lambda f: 100 * f["poverty_headcount"]),
               ("diff_poverty_choices", lambda f: 100 * (f["poverty_headcount"] - f["twin_poverty_headcount"])),
               ("income", lambda f: f["mean_income_pc"]),
               ("diff_income_choices", lambda f: f["mean_income_pc"] - f["twin_mean_income_pc"]),
               ("nature_pct", lambda f: 100 * f["forest_cover"]),
               ("service_quality", lambda f: f["service_quality"]))
"""The game's charts: (label key, the plotted column of a municipality's rows)."""
OWN_WIDTH, OTHER_WIDTH = 3.5, 1.5
"""Line widths of the group's own municipality and of the others on the game's charts."""
NODE_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7", "#0072B2", "#F0E442", "#000000")


def game_figure(table, own: str | None, language: str, *, large: bool = False) -> Figure:
    """The shared territory by municipality and year (``table``: :meth:`.game.Game.table`): each
    municipality's poverty, income, forest cover and service quality, and its poverty and income
    against the same seed without any group's choice; the group's own municipality (node id
    ``own``; None: none) drawn thick."""
    size = 10 * font_scale(large)
    fig = Figure(figsize=(6.4, 5.6 * font_scale(large)), dpi=90)
    axes = chart_grid(fig, 3, large, legend_rows=1).flat
    nodes = list(dict.fromkeys(table["node_id"]))
    for ax, (key, column) in zip(axes, GAME_CHARTS):
        if key.startswith("diff"):
            ax.axhline(0, color=TWIN_COLOUR, lw=1)
        for k, node in enumerate(nodes):
            rows = table[table["node_id"] == node]
            mine = node == own
            ax.plot(rows["year"], column(rows), color=NODE_PALETTE[k % len(NODE_PALETTE)],
                    lw=OWN_WIDTH if mine else OTHER_WIDTH,
                    marker="o", ms=3, label=rows["name"].iloc[0], gid=f"node-{node}", zorder=3 if mine else 2)
        _style(ax, language, t(language, key), size)
        _least_span(ax, key)
        years = table["year"]
        ax.set_xlim(years.min() - 0.5, max(years.max(), years.min() + 5) + 0.5)  # whole years from the start
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 5), fontsize=size * 0.85, frameon=False)
    return fig


class GameCharts:
    """The game's charts (:func:`game_figure`) of one ``table`` in one language and size, drawn
    once with every municipality's lines thin, and each group's from that drawing with its own
    municipality's lines and legend entry drawn thick on top (:meth:`png`): 0.01 s a page instead
    of 0.2 s, when the pages of every group draw a new year at once (``benchmarks/game_redraw.py``).
    One page at a time (it holds a lock of its own)."""

    def __init__(self, table, language: str, *, large: bool = False):
        self.figure = game_figure(table, None, language, large=large)
        self.canvas = FigureCanvasAgg(self.figure)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.nodes = list(dict.fromkeys(table["node_id"]))  # the legend's order
        self._lock = threading.Lock()

    def png(self, own: str) -> bytes:
        """The charts as the group governing node ``own`` sees them, as PNG bytes."""
        with self._lock:
            renderer = self.canvas.get_renderer()
            self.canvas.restore_region(self.background)
            thick = [line for ax in self.figure.axes for line in ax.lines if line.get_gid() == f"node-{own}"]
            if own in self.nodes:
                thick.append(self.figure.legends[0].legend_handles[self.nodes.index(own)])
            for line in thick:
                line.set_linewidth(OWN_WIDTH)
                line.draw(renderer)  # on top of every line, as game_figure's own line is
                line.set_linewidth(OTHER_WIDTH)
            buffer = io.BytesIO()
            Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba(), "raw", "RGBA", 0,
                             1).save(buffer, format="png")
            return buffer.getvalue()
