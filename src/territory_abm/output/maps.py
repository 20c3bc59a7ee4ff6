"""Real maps: municipalities as their polygons, coloured by an outcome, with roads and markets on top.

Drawn with matplotlib from the territory directory's ``geometry.gpkg`` (written by
``territory-abm import``), without tiles or any network access. Roads are the territory's
edges drawn as straight lines between the units' inner points (and the market points),
thicker for quicker links, as in the network drawing. Where a territory has no geometry,
or geopandas is not installed, :func:`has_geometry` is false and callers draw the network.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..data.geography import GEOMETRY_FILE
from ..experiments.compare import HIGH, LOW
from .plots import MARKET_COLOUR, TRAVEL_BANDS, save, stack_legends

NO_DATA_COLOUR = "#dddddd"
UNSURE_COLOUR = "#777777"
"""Hatching of units whose difference cannot be told from zero."""
DIVERGING = "PuOr"
"""Colour map of differences (colour-blind safe, white at zero)."""
SEQUENTIAL = "viridis"


def has_geometry(territory_dir: str | Path) -> bool:
    """Whether the territory has polygons to draw and geopandas is there to read them."""
    if not (Path(territory_dir) / GEOMETRY_FILE).is_file():
        return False
    try:
        import geopandas  # noqa: F401
    except ImportError:
        return False
    return True


def read_geometry(territory_dir: str | Path):
    """Units (polygons) and markets (points) of a territory, in a metric projection for drawing."""
    import geopandas as gpd

    from ..data.geography import equal_area_crs

    path = Path(territory_dir) / GEOMETRY_FILE
    units = gpd.read_file(path, layer="units")
    markets = gpd.read_file(path, layer="markets")
    crs = equal_area_crs(units)
    return units.to_crs(crs), markets.to_crs(crs)


def plot_map(territory_dir: str | Path, graph: nx.Graph, values: dict, path: Path, title: str, label: str,
             colours: dict[str, str] | None = None, diverging: bool = False, unsure: set | None = None) -> Figure:
    """A choropleth of ``values`` by node id with roads and markets on top.

    Parameters
    ----------
    values : dict
        Node id to a number, or to a category when ``colours`` maps categories to colours.
    label : str
        What the colours show (the colour bar's or legend's title).
    diverging : bool
        Numbers are differences: a diverging colour map centred on zero.
    unsure : set, optional
        Node ids whose difference is not distinguishable from zero (its interval over seeds
        includes 0): hatched, and said in the legend.
    """
    units, markets = read_geometry(territory_dir)
    fig = plt.figure(figsize=(10, 6.5), constrained_layout=True)
    ax, key = fig.subplots(1, 2, width_ratios=(3.2, 1))
    ids = list(units["id"].astype(str))
    shown = [values.get(i) for i in ids]
    handles: list = []
    if colours is not None:
        faces = [colours.get(v, NO_DATA_COLOUR) for v in shown]
        handles += [Line2D([], [], ls="", label=f"$\\bf{{Colour}}$: {label}")]
        handles += [Patch(facecolor=c, edgecolor="black", label=name) for name, c in colours.items()
                    if name in set(shown)]
        units.plot(ax=ax, color=faces, edgecolor="white", linewidth=0.8)
    else:
        numbers = np.array([np.nan if v is None else float(v) for v in shown])
        finite = numbers[np.isfinite(numbers)]
        if diverging:
            span = float(np.max(np.abs(finite))) if finite.size and np.max(np.abs(finite)) > 0 else 1.0
            norm = matplotlib.colors.Normalize(-span, span)
        else:
            norm = matplotlib.colors.Normalize(*(np.min(finite), np.max(finite)) if finite.size else (0, 1))
        cmap = matplotlib.colormaps[DIVERGING if diverging else SEQUENTIAL]
        faces = [cmap(norm(v)) if np.isfinite(v) else NO_DATA_COLOUR for v in numbers]
        units.plot(ax=ax, color=faces, edgecolor="white", linewidth=0.8)
        bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, location="left")
        bar.set_label(label, fontsize=8)
        bar.ax.tick_params(labelsize=7)
    if unsure:
        units[units["id"].astype(str).isin(unsure)].plot(ax=ax, facecolor="none", edgecolor=UNSURE_COLOUR,
                                                         hatch="///", linewidth=0)
        handles += [Patch(facecolor="white", edgecolor=UNSURE_COLOUR, hatch="///",
                          label=f"interval over seeds ({LOW}-{HIGH} %)\nincludes no change")]
    _roads(ax, graph, units, markets)
    markets.plot(ax=ax, marker="s", color=MARKET_COLOUR, markersize=80, edgecolor="black", zorder=4)
    for name, point in zip(markets["name"], markets.geometry):
        ax.annotate(str(name), (point.x, point.y), xytext=(6, 6), textcoords="offset points", fontsize=7, zorder=5)
    ax.set_title(title, fontsize=10)
    ax.set(xticks=[], yticks=[], xlabel="", ylabel="")  # geopandas labels the projection's axes
    ax.set_axis_off()
    ax.set_aspect("equal")
    key.set(xticks=[], yticks=[])
    key.axis("off")
    roads = [Line2D([], [], ls="", label="$\\bf{Line}$: road, travel time")]
    roads += [Line2D([], [], color="#333333", lw=width * 0.6, label=text) for _, width, text in TRAVEL_BANDS]
    roads.append(Line2D([], [], ls="", marker="s", markersize=8, markerfacecolor=MARKET_COLOUR,
                        markeredgecolor="black", label="external market"))
    stack_legends(key, [dict(handles=handles)] * bool(handles) + [dict(handles=roads)])
    return save(fig, path)


def _roads(ax, graph: nx.Graph, units, markets) -> None:
    """The territory's edges as straight lines between inner points, width by travel time."""
    where = {str(i): (p.x, p.y) for i, p in zip(units["id"], units.geometry.representative_point())}
    where.update({str(i): (p.x, p.y) for i, p in zip(markets["id"], markets.geometry)})
    for limit, width, _ in TRAVEL_BANDS:
        lower = max([b[0] for b in TRAVEL_BANDS if b[0] < limit], default=-np.inf)
        for a, b, d in graph.edges(data=True):
            if lower < d["travel_time"] <= limit and a in where and b in where:
                (x0, y0), (x1, y1) = where[a], where[b]
                ax.plot([x0, x1], [y0, y1], color="#333333", lw=width * 0.6, alpha=0.8, zorder=3,
                        solid_capstyle="round")


MAP_OUTCOME = "poverty_headcount"
"""The outcome a comparison's map shows (by municipality, at the horizon, mean over seeds)."""


def comparison_map(results, design_scenarios: list[dict], reference: str, horizon: int, path: Path,
                   outcome_name: str = MAP_OUTCOME) -> Figure | None:
    """Map of ``outcome_name`` at the horizon: the first intervention minus the reference
    (mean over seeds), or the reference's level when it is alone; None when the territory
    has no geometry.

    Parameters
    ----------
    results : pandas.DataFrame
        The comparison's node table (``results.csv``: scenario, seed, year, node_id, outcomes).
    design_scenarios : list of dict
        The resolved scenarios (``Scenario.as_dict``), the reference among them.
    """
    from ..data.territory import load_territory
    from ..outcomes import outcome

    by_name = {s["name"]: s for s in design_scenarios}
    territory_dir = by_name[reference]["territory"]
    if not has_geometry(territory_dir):
        return None
    graph = load_territory(territory_dir).graph
    at = results[results["year"] == horizon].assign(node_id=lambda df: df["node_id"].astype(str))
    label = outcome(outcome_name).axis_label
    others = [s for s in by_name if s != reference and s in set(at["scenario"])]
    if not others:
        values = at[at["scenario"] == reference].groupby("node_id")[outcome_name].mean().to_dict()
        return plot_map(territory_dir, graph, values, path, f"{reference}, {horizon}", label)
    by_seed = at.pivot_table(index=["node_id", "seed"], columns="scenario", values=outcome_name)
    paired = (by_seed[others[0]] - by_seed[reference]).dropna().groupby("node_id")
    values = paired.mean().to_dict()
    low, high = paired.quantile(LOW / 100), paired.quantile(HIGH / 100)
    unsure = {node for node in values if low[node] <= 0 <= high[node]}
    return plot_map(territory_dir, graph, values, path, f"{others[0]} minus {reference}, {horizon}",
                    f"difference in {label[0].lower() + label[1:]}", diverging=True, unsure=unsure)
