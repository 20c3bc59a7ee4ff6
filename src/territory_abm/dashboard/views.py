"""Figures of the dashboard (matplotlib, no pyplot state, so several sessions can draw at once)."""

from __future__ import annotations

import io

import networkx as nx
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from ..output import tables
from ..outcomes import TYPE_COLOURS, TYPES, UNCLASSIFIED_COLOUR
from ..typology import typology
from .text import t

COLOUR_BY = {  # menu key -> (node outcome, colour map, fixed range or None)
    "poverty": ("poverty_headcount", "OrRd", (0.0, 0.8)),
    "income": ("mean_income_pc", "YlGn", None),
    "gini": ("gini_income", "PuRd", (0.3, 0.65)),
    "nature": ("forest_cover", "Greens", (0.0, 0.6)),
    "typology": ("type", None, None),
}
CHARTS = (("mean_income_pc", "income"), ("poverty_headcount", "poverty"), ("gini_income", "gini"),
          ("forest_cover", "nature"), ("population", "population"))


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


def node_colours(model, key: str) -> tuple[list, object]:
    """Colour of each node for menu entry ``key`` and a legend/colour-bar source."""
    outcome, cmap_name, fixed = COLOUR_BY[key]
    ids = model.territory.ids
    if key == "typology":
        types = current_types(model)
        return [TYPE_COLOURS.get(types.get(i), UNCLASSIFIED_COLOUR) for i in ids], None
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


def network_figure(model, key: str, selected: str | None, language: str,
                   pos: dict[str, tuple[float, float]] | None = None) -> Figure:
    """The territory graph: nodes coloured by ``key``, edges shaded by travel time (hours).

    ``pos`` are node positions from :func:`layout` (computed here if not given)."""
    fig = Figure(figsize=(6.0, 2.9), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    pos = pos if pos is not None else layout(model.graph)
    times = np.array([d["travel_time"] for _, _, d in model.graph.edges(data=True)])
    span = max(times.max() - times.min(), 1e-9) if times.size else 1.0
    for (a, b, d) in model.graph.edges(data=True):
        shade = (d["travel_time"] - times.min()) / span
        ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color=colormaps["Greys"](0.35 + 0.6 * shade),
                lw=1.0 + 4.0 * shade, zorder=1)
        ax.text((pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2, f"{d['travel_time']:.1f} h", fontsize=7,
                color="#555", ha="center", zorder=2)
    colours, scale = node_colours(model, key)
    kinds = model.territory.kinds
    for i, node_id in enumerate(model.territory.ids):
        x, y = pos[node_id]
        marker = {"city": "s", "market": "D"}.get(str(kinds[i]), "o")
        size = 260 if marker == "o" else 330
        edge = "#0969da" if node_id == selected else "#333"
        ax.scatter([x], [y], s=size, c=[colours[i]], marker=marker, edgecolors=edge,
                   linewidths=3 if node_id == selected else 1, zorder=3)
        ax.annotate(model.territory.names[i], (x, y), textcoords="offset points", xytext=(0, 12), ha="center",
                    fontsize=8, zorder=4)
    if scale is not None:
        cmap, norm = scale
        from matplotlib.cm import ScalarMappable

        fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.7, label=t(language, key))
    else:
        for name in TYPES:
            ax.scatter([], [], c=TYPE_COLOURS[name], label=t(language, name))
        ax.legend(fontsize=7, loc="lower left", title=t(language, "typology"), title_fontsize=7)
    ax.set_title(f"{t(language, 'year')} {model.year} - {t(language, 'edges')}", fontsize=9)
    ax.axis("off")
    return fig


def charts_figure(model, language: str) -> Figure:
    """Territory outcomes per year so far."""
    data = model.datacollector.get_model_vars_dataframe()
    fig = Figure(figsize=(6.0, 3.3), dpi=90, layout="constrained")
    axes = fig.subplots(2, 3).flat
    for ax, (column, key) in zip(axes, CHARTS):
        ax.plot(data["year"], data[column], marker="o", ms=3, color="#0969da")
        ax.set_title(t(language, key), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.xaxis.get_major_locator().set_params(integer=True)
    axes[len(CHARTS)].axis("off")
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
        elif key in ("poverty", "gini", "forest_cover", "enforcement", "service_quality"):
            text = f"{value:.2f}"
        else:
            text = f"{value:,.0f}"
        rows.append((t(language, key), text))
    return rows
