"""Plots of a run: territory time series and the network coloured by typology."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from ..outcomes import SERIES as SERIES_NAMES
from ..outcomes import TYPE_COLOURS, UNCLASSIFIED_COLOUR, outcome

SERIES = tuple((name, outcome(name).axis_label) for name in SERIES_NAMES)
"""(column, axis label) of the time-series panels, from the outcome registry."""


def plot_territory(territory: pd.DataFrame, path: Path, title: str) -> None:
    """Five panels of territory outcomes over the years."""
    fig, axes = plt.subplots(1, len(SERIES), figsize=(4 * len(SERIES), 3.2), constrained_layout=True)
    for ax, (col, label) in zip(axes, SERIES):
        ax.plot(territory["year"], territory[col], color="#2c7fb8", lw=2)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_network(graph: nx.Graph, types: pd.DataFrame, path: Path, title: str) -> None:
    """The territory network; nodes coloured by type, sized by population; edges by travel time."""
    pos = nx.kamada_kawai_layout(graph, weight="travel_time")
    kind_of = nx.get_node_attributes(graph, "kind")
    type_of = dict(zip(types["node_id"], types["type"]))
    pop_of = dict(zip(types["node_id"], types["population_end"]))
    fig, ax = plt.subplots(figsize=(8, 6.5), constrained_layout=True)
    times = [d["travel_time"] for _, _, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=[max(0.5, 4.0 / t) for t in times], edge_color="#888888")
    nx.draw_networkx_edge_labels(graph, pos, ax=ax, font_size=6,
                                 edge_labels={(a, b): f"{d['travel_time']:.1f}h" for a, b, d in graph.edges(data=True)})
    max_pop = max([v for v in pop_of.values() if not pd.isna(v)] + [1.0])
    for node in graph.nodes:
        if kind_of[node] == "market":
            colour, size, shape = "#444444", 500, "s"
        else:
            colour = TYPE_COLOURS.get(type_of.get(node), UNCLASSIFIED_COLOUR)
            size, shape = 150 + 1200 * (pop_of.get(node, 0) or 0) / max_pop, "o" if kind_of[node] == "municipality" else "D"
        nx.draw_networkx_nodes(graph, pos, nodelist=[node], node_color=colour, node_size=size, node_shape=shape,
                               edgecolors="black", ax=ax)
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7)
    handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=t, markeredgecolor="black")
               for t, c in TYPE_COLOURS.items()]
    handles.append(plt.Line2D([], [], marker="s", ls="", color="#444444", label="external market"))
    ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=True)
    ax.set_title(title)
    ax.axis("off")
    fig.savefig(path, dpi=110)
    plt.close(fig)
