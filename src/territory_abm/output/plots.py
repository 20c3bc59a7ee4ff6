"""Plots of a run: territory time series and the network coloured by typology.

Every plot function draws, saves and returns its figure (closed for pyplot, still
drawable), so that :mod:`territory_abm.output.figure_check` can check the text of the very
figure that was written.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from ..language import say, spanish
from ..outcomes import SERIES as SERIES_NAMES
from ..outcomes import TYPE_COLOURS, UNCLASSIFIED_COLOUR, outcome

SERIES = tuple((name, outcome(name).axis_label) for name in SERIES_NAMES)
"""(column, axis label) of the time-series panels, from the outcome registry."""

LINE_COLOUR = "#0072B2"
"""Okabe-Ito blue: the colour of single lines and bars."""

MARKET_COLOUR = "#444444"
DPI = 110
NODE_AREA = (200.0, 600.0)
"""Marker area (points^2) of an empty node, and what the most populated node adds."""

NODE_SHAPES = {"municipality": ("o", "municipality"), "city": ("D", "intermediate city"),
               "market": ("s", "external market")}
"""Marker and legend name of each node kind."""

TRAVEL_BANDS = ((1.5, 4.0, "up to 1.5 h"), (3.0, 2.2, "1.5 to 3 h"), (np.inf, 0.9, "over 3 h"))
"""(longest travel time, edge width in points, legend text): thicker roads are quicker."""
TRAVEL_BANDS_ES = {"up to 1.5 h": "hasta 1,5 h", "1.5 to 3 h": "de 1,5 a 3 h", "over 3 h": "más de 3 h"}
"""The Spanish of :data:`TRAVEL_BANDS`' legend texts (the Spanish report's maps)."""


def wrap(text: str, width: int = 38) -> str:
    """``text`` broken into lines of at most ``width`` characters (panel titles)."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def least_range(ax, least: float, axis: str = "y") -> bool:
    """Widen the ``axis`` range of ``ax`` about its middle to at least ``least`` (in the data's
    unit as drawn): a series that hardly moves then draws flat instead of across the whole
    panel. Shared by the run's, the comparison's and the dashboard's charts. Returns whether
    it widened the range."""
    low, high = ax.get_ylim() if axis == "y" else ax.get_xlim()
    if abs(high - low) >= least:
        return False
    middle = (low + high) / 2.0
    limits = (middle - least / 2.0, middle + least / 2.0)
    if high < low:  # an inverted axis stays inverted
        limits = limits[::-1]
    (ax.set_ylim if axis == "y" else ax.set_xlim)(*limits)
    return True


def plain_ticks(ax, axis: str = "y") -> None:
    """Tick labels of ``axis`` written out in full: no offset ("1e-8+3.24528e-1") and no
    scientific notation, which made a constant series read as a change."""
    ax.ticklabel_format(axis=axis, useOffset=False, style="plain")


def outcome_axis(ax, name: str, factor: float = 1.0, axis: str = "y") -> bool:
    """The ``axis`` of a panel of outcome ``name`` drawn at ``factor`` times its unit (100 for
    a share in %): at least the outcome's least range (:attr:`..outcomes.Outcome.least_span`),
    tick labels without offset or scientific notation. Returns whether the least range set it."""
    widened = least_range(ax, factor * outcome(name).least_span, axis)
    plain_ticks(ax, axis)
    return widened


def note_axis_origin(ax, axis: str = "y") -> None:
    """Say in the axis label when the axis does not include zero (a zoomed-in scale)."""
    low, high = (ax.get_ylim() if axis == "y" else ax.get_xlim())
    if low <= 0 <= high or low >= 0 >= high:
        return
    label = ax.yaxis.label if axis == "y" else ax.xaxis.label
    note = say("axis does not start at 0", "el eje no empieza en 0")
    text = label.get_text()
    label.set_text(f"{text}\n({note})" if text else note)


class DecimalComma(ScalarFormatter):
    """Tick labels with a decimal comma (the Spanish report's charts) and, from five digits, a
    space between thousands as the Spanish text writes them (``dashboard.text.number``:
    ``154 000``; a helper's note, session 28, saw ``154000`` on the residents' axis); otherwise
    as plain ``ScalarFormatter`` ticks."""

    def __call__(self, x, pos=None):
        from ..dashboard.text import number

        label = super().__call__(x, pos)
        plain = label.replace("\u2212", "-")  # Matplotlib's minus sign
        try:
            value = float(plain)
        except ValueError:
            return label.replace(".", ",")
        return number(value, "es", len(plain.partition(".")[2])).replace("-", "\u2212")


def decimal_commas(fig: Figure) -> None:
    """Where the language in force is Spanish (:mod:`territory_abm.language`), every numeric
    tick label of ``fig`` (axes and colour bars) with a decimal comma, without offset or
    scientific notation; nothing otherwise."""
    if not spanish():
        return
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                comma = DecimalComma(useOffset=False)
                comma.set_scientific(False)
                axis.set_major_formatter(comma)


def save(fig: Figure, path: Path) -> Figure:
    """Write ``fig`` to ``path`` at :data:`DPI`, release it from pyplot and return it, at that
    resolution: the layout (constrained layout, labels that give way) is then the one written,
    which a check of the returned figure reads (drawn at 100 and written at 110, labels checked
    clear overlapped in the file: a newcomer's trial, 2026-12-03)."""
    decimal_commas(fig)
    fig.set_dpi(DPI)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return fig


def plot_territory(territory: pd.DataFrame, path: Path, title: str) -> Figure:
    """Territory outcomes over the years, one panel each, in a grid that fits a page."""
    columns = 3
    rows = int(np.ceil(len(SERIES) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(11, 3.3 * rows), squeeze=False, constrained_layout=True)
    for ax, (col, label) in zip(axes.flat, SERIES):
        ax.plot(territory["year"], territory[col], color=LINE_COLOUR, lw=2)
        ax.set_title(wrap(label), fontsize=9)
        ax.set_xlabel("year", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))  # whole years, room between them
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        outcome_axis(ax, col)
        note_axis_origin(ax)
        ax.yaxis.label.set_fontsize(7)
    for ax in list(axes.flat)[len(SERIES):]:
        ax.set_visible(False)
    fig.suptitle(title)
    return save(fig, path)


def _spread(pos: dict, radius: dict, rounds: int = 200) -> dict:
    """Positions moved apart until no two nodes (circles of ``radius``, in the layout's
    units) overlap; deterministic, small moves only where nodes collide."""
    nodes = list(pos)
    xy = np.array([pos[n] for n in nodes], float)
    r = np.array([radius[n] for n in nodes], float)
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, np.inf)
        gap = r[:, None] + r[None, :] - dist
        if (gap <= 1e-9).all():
            break
        push = np.where(gap > 0, gap / 2, 0.0) / np.where(np.isfinite(dist) & (dist > 0), dist, 1.0)
        xy += (delta * push[..., None]).sum(axis=1) * 0.6
    return dict(zip(nodes, xy))


def _round_populations(max_pop: float) -> list[float]:
    """Two or three round populations spanning the map's range (for the size legend)."""
    values = []
    for share in (0.2, 0.5, 1.0):
        v = share * max_pop
        digits = int(np.floor(np.log10(v))) if v > 0 else 0
        v = round(v, -digits + 1) if v >= 10 else v
        if v > 0 and v not in values:
            values.append(v)
    return values


def plot_network(graph: nx.Graph, types: pd.DataFrame, path: Path, title: str) -> Figure:
    """The territory network: colour is a node's type, shape its kind, area its residents
    at the end, edge width the travel time; the legend explains all four."""
    kind_of = nx.get_node_attributes(graph, "kind")
    type_of = dict(zip(types["node_id"], types["type"]))
    pop_of = {k: (0.0 if pd.isna(v) else float(v)) for k, v in zip(types["node_id"], types["population_end"])}
    max_pop = max(list(pop_of.values()) + [1.0])

    def size(node) -> float:  # marker area in points^2
        return 260.0 if kind_of[node] == "market" else NODE_AREA[0] + NODE_AREA[1] * pop_of.get(node, 0.0) / max_pop

    fig = plt.figure(figsize=(10, 6.5), constrained_layout=True)
    ax, key = fig.subplots(1, 2, width_ratios=(3.2, 1))
    pos = nx.kamada_kawai_layout(graph, weight="travel_time")
    # the layout spans about [-1, 1] over the ~460 points of the axes' height: a node label of
    # three or four characters needs about 22 points across
    per_point = 2.3 / 460.0
    radius = {n: per_point * max(np.sqrt(size(n)) / 2, 13.0) + 0.02 for n in graph.nodes}
    pos = _spread(pos, radius)
    for limit, width, _ in TRAVEL_BANDS:
        lower = max([b[0] for b in TRAVEL_BANDS if b[0] < limit], default=-np.inf)
        edges = [(a, b) for a, b, d in graph.edges(data=True) if lower < d["travel_time"] <= limit]
        nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, width=width, edge_color="#999999")
    for node in graph.nodes:
        kind = kind_of[node]
        colour = MARKET_COLOUR if kind == "market" else TYPE_COLOURS.get(type_of.get(node), UNCLASSIFIED_COLOUR)
        nx.draw_networkx_nodes(graph, pos, nodelist=[node], node_color=colour, node_size=size(node),
                               node_shape=NODE_SHAPES.get(kind, NODE_SHAPES["municipality"])[0],
                               edgecolors="black", linewidths=0.8, ax=ax)
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7,
                            font_color={n: "white" if kind_of[n] == "market" else "black" for n in graph.nodes})
    ax.set_title(title, fontsize=10)
    ax.axis("off")
    ax.margins(0.06)
    key.axis("off")
    colour, sizes, lines = _network_legend(max_pop, set(kind_of.values()))
    # rows far enough apart for the largest circles (diameter in points over the legend's font size)
    spacing = max(1.3, max(h.get_markersize() for h in sizes[1:]) / LEGEND_FONT - 0.5)
    stack_legends(key, [dict(handles=colour), dict(handles=sizes, labelspacing=spacing, borderpad=0.8,
                                                   handletextpad=1.4), dict(handles=lines)], fontsize=LEGEND_FONT)
    return save(fig, path)


LEGEND_FONT = 8
"""Font size (points) of the network's and map's stacked legends."""


def stack_legends(ax, legends: list[dict], fontsize: float = LEGEND_FONT) -> None:
    """Legends (keyword sets of ``ax.legend``) one under the other from the top of ``ax``,
    each placed below the drawn height of the one before (so sections with large markers
    get the room they need)."""
    top = 1.0
    ax.figure.draw_without_rendering()  # lay the figure out first: heights are fractions of the axes
    renderer = ax.figure.canvas.get_renderer()
    for options in legends:
        handles = options.pop("handles")
        legend = Legend(ax, handles, [h.get_label() for h in handles], loc="upper left", bbox_to_anchor=(0.0, top),
                        fontsize=fontsize, frameon=False, borderaxespad=0, **options)
        for text, handle in zip(legend.get_texts(), handles):
            if handle.get_gid() == HEADING:
                text.set_fontweight("bold")
        legend.set_in_layout(False)  # placed by hand in the axes, which keep their laid-out size
        ax.add_artist(legend)
        height = legend.get_window_extent(renderer).height / ax.get_window_extent(renderer).height
        top -= height + 0.02


HEADING = "heading"
"""``gid`` of a legend entry that heads a section (drawn bold by :func:`stack_legends`; bold
by mathtext, ``$\\bf{...}$``, looked fonts up that a stale font cache lacks and printed 21 warnings
a run on a researcher's machine)."""


def heading(text: str) -> Line2D:
    """A legend entry heading a section: ``text`` alone, in bold (:func:`stack_legends`)."""
    return Line2D([], [], ls="", marker="", label=text, gid=HEADING)


def _network_legend(max_pop: float, kinds: set[str]) -> tuple[list, list, list]:
    """Legend entries: colour and shape, sizes, edge widths."""
    handles: list = [heading("Colour: type of the period")]
    handles += [Patch(facecolor=c, edgecolor="black", label=t) for t, c in TYPE_COLOURS.items()]
    handles.append(Patch(facecolor=UNCLASSIFIED_COLOUR, edgecolor="black", label="no type (empty)"))
    handles.append(heading("Shape: kind of node"))
    handles += [Line2D([], [], ls="", marker=marker, markersize=8, markerfacecolor="white" if k != "market"
                       else MARKET_COLOUR, markeredgecolor="black", label=name)
                for k, (marker, name) in NODE_SHAPES.items() if k in kinds]
    sizes = [heading("Size: residents at the end")]
    sizes += [Line2D([], [], ls="", marker="o", markerfacecolor="white", markeredgecolor="black",
                       markersize=np.sqrt(NODE_AREA[0] + NODE_AREA[1] * p / max_pop), label=f"{p:,.0f}")
                for p in _round_populations(max_pop)]
    lines = [heading("Line: travel time")]
    lines += [Line2D([], [], color="#999999", lw=width, label=text) for _, width, text in TRAVEL_BANDS]
    return handles, sizes, lines
