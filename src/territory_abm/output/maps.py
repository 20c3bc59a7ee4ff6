"""Real maps: municipalities as their polygons, coloured by an outcome, with roads and markets on top.

Drawn with matplotlib from the territory directory's ``geometry.gpkg`` (written by
``territory-abm import``), without tiles or any network access. Roads are the territory's
edges drawn as straight lines between the units' inner points (and the market points),
thicker for quicker links, as in the network drawing. Where a territory has no geometry,
or geopandas is not installed, :func:`has_geometry` is false and callers draw the network.

The polygons are read and projected once per territory (:func:`territory_shapes`, kept while
the file is unchanged) as matplotlib paths; :func:`draw_units`, :func:`draw_roads` and
:func:`draw_markets` put them on any axes. The files of ``run``, ``compare`` and the report
(:func:`plot_map`) and the classroom dashboard's map are drawn by these same functions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke

from ..data.geography import GEOMETRY_FILE
from ..experiments.compare import HIGH, LOW
from .figure_check import hide_colliding
from ..language import say, spanish
from .plots import MARKET_COLOUR, TRAVEL_BANDS, TRAVEL_BANDS_ES, heading, save, stack_legends

NO_DATA_COLOUR = "#dddddd"
UNSURE_COLOUR = "#777777"
"""Hatching of units whose difference cannot be told from zero."""
UNSURE_ON_DARK = "#e6e6e6"
"""The same hatching over a dark fill (luminance below :data:`DARK_LUMINANCE`)."""
DARK_LUMINANCE = 0.18
"""Fills darker than this (relative luminance, where #777777 is 0.18) take the light hatching."""
DIVERGING = "PuOr"
"""Colour map of differences (colour-blind safe, white at zero)."""
SEQUENTIAL = "viridis"
ROAD_COLOUR = "#333333"


def no_geo_extra_note(territory_dir: str | Path) -> str:
    """Why no ``map.png`` is drawn where the territory has boundaries (``geometry.gpkg``) but
    the geo extra that reads them is not installed (the README's install leaves it out), so
    that ``run``, ``compare`` and ``report`` say it rather than leave the map out silently; ''
    when a map can be drawn or the territory has no boundaries."""
    if missing_geometry(territory_dir) != "no_geopandas":
        return ""
    return ("no map.png: the territory has boundaries (geometry.gpkg) but the geo extra is not installed "
            "(pip install -e \".[geo]\")")


def has_geometry(territory_dir: str | Path) -> bool:
    """Whether the territory has polygons to draw and geopandas is there to read them."""
    return missing_geometry(territory_dir) == ""


def missing_geometry(territory_dir: str | Path) -> str:
    """Why the territory cannot be drawn as polygons: ``"no_file"`` (it has no
    ``geometry.gpkg``), ``"no_geopandas"`` (the geo extra is not installed), or "" (it can)."""
    if not (Path(territory_dir) / GEOMETRY_FILE).is_file():
        return "no_file"
    try:
        import geopandas  # noqa: F401
    except ImportError:
        return "no_geopandas"
    return ""


def read_geometry(territory_dir: str | Path):
    """Units (polygons) and markets (points) of a territory, in a metric projection for drawing."""
    import geopandas as gpd

    from ..data.geography import equal_area_crs

    path = Path(territory_dir) / GEOMETRY_FILE
    units = gpd.read_file(path, layer="units")
    markets = gpd.read_file(path, layer="markets")
    crs = equal_area_crs(units)
    return units.to_crs(crs), markets.to_crs(crs)


@dataclass(frozen=True)
class Shapes:
    """A territory's geometry ready to draw, in its equal-area projection (m).

    Attributes
    ----------
    ids, names : tuple of str
        Node id and name of each unit (municipality or city), in the file's order.
    paths : tuple of matplotlib.path.Path
        Each unit's polygon (all its parts and holes) as one path.
    inner : ndarray, shape (units, 2)
        A point inside each unit (where its label and its roads go).
    market_ids, market_names : tuple of str
        The external markets.
    market_xy : ndarray, shape (markets, 2)
        Where the markets are.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    paths: tuple[MplPath, ...]
    inner: np.ndarray
    market_ids: tuple[str, ...]
    market_names: tuple[str, ...]
    market_xy: np.ndarray

    def points(self) -> dict[str, tuple[float, float]]:
        """Where each unit's inner point and each market is, by node id."""
        where = {i: (float(x), float(y)) for i, (x, y) in zip(self.ids, self.inner)}
        where.update({i: (float(x), float(y)) for i, (x, y) in zip(self.market_ids, self.market_xy)})
        return where


def territory_shapes(territory_dir: str | Path) -> Shapes:
    """The territory's :class:`Shapes`, read and projected once while its ``geometry.gpkg``
    stays unchanged (needs geopandas: check :func:`has_geometry` first)."""
    path = (Path(territory_dir) / GEOMETRY_FILE).resolve()
    return _read_shapes(str(path.parent), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read_shapes(territory_dir: str, mtime_ns: int) -> Shapes:  # mtime: a rewritten file is read again
    units, markets = read_geometry(territory_dir)
    inner = units.geometry.representative_point()
    return Shapes(tuple(units["id"].astype(str)), tuple(units["name"].astype(str)),
                  tuple(polygon_path(g) for g in units.geometry), np.column_stack([inner.x, inner.y]),
                  tuple(markets["id"].astype(str)), tuple(markets["name"].astype(str)),
                  np.column_stack([markets.geometry.x, markets.geometry.y]).reshape(-1, 2))


def polygon_path(geometry) -> MplPath:
    """A (multi)polygon as one matplotlib path: every part's outer ring and holes."""
    parts = getattr(geometry, "geoms", [geometry])
    rings = [ring for part in parts for ring in (part.exterior, *part.interiors)]
    return MplPath.make_compound_path(*(MplPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in rings))


def draw_units(ax, shapes: Shapes, faces, *, edgecolor="white", linewidth: float = 0.8, zorder: float = 1,
               **options) -> PatchCollection:
    """Every unit of ``shapes`` on ``ax`` as one collection of its polygons (one patch per
    unit, in ``shapes.ids`` order), filled with ``faces`` (one colour per unit, or one for
    all); returns the collection, whose colours can be set again without drawing anew."""
    units = PatchCollection([PathPatch(p) for p in shapes.paths], facecolors=faces, edgecolors=edgecolor,
                            linewidths=linewidth, zorder=zorder, **options)
    ax.add_collection(units)
    ax.autoscale_view()
    ax.set_aspect("equal")
    return units


def draw_differences(ax, shapes: Shapes, values: dict, cmap, norm, *, unsure: set | None = None,
                     edgecolor: str = "white", linewidth: float = 0.8, **name_options) -> list:
    """One map of differences by unit, as both the report's maps (:func:`plot_difference_maps`)
    and the dashboard's debrief (``dashboard.maps.difference_map``) draw it: each unit of
    ``shapes`` filled with ``cmap(norm(value))`` of its difference in ``values`` (node id ->
    number; missing or not finite: :data:`NO_DATA_COLOUR`), outlined in ``edgecolor``, hatched
    where its id is in ``unsure`` (an interval over seeds that includes no change), and its
    name at its inner point (``name_options``: the annotation's font size, halo, zorder).
    Returns the names, for :func:`hide_colliding`; roads, markets and keys are the caller's."""
    numbers = np.array([np.nan if values.get(i) is None else float(values[i]) for i in shapes.ids])
    faces = [cmap(norm(v)) if np.isfinite(v) else NO_DATA_COLOUR for v in numbers]
    draw_units(ax, shapes, faces, edgecolor=edgecolor, linewidth=linewidth)
    draw_unsure(ax, shapes, unsure, faces)
    return [ax.annotate(name, (x, y), xytext=(0, 0), textcoords="offset points", ha="center", va="center",
                        **name_options) for name, (x, y) in zip(shapes.names, shapes.inner)]


def draw_roads(ax, graph: nx.Graph, shapes: Shapes, scale: float = 0.6) -> list[LineCollection]:
    """The territory's edges as straight lines between inner points, thicker for quicker
    links (:data:`.plots.TRAVEL_BANDS`, widths times ``scale``)."""
    where = shapes.points()
    drawn = []
    for limit, width, _ in TRAVEL_BANDS:
        lower = max([b[0] for b in TRAVEL_BANDS if b[0] < limit], default=-np.inf)
        segments = [(where[a], where[b]) for a, b, d in graph.edges(data=True)
                    if lower < d["travel_time"] <= limit and a in where and b in where]
        if segments:
            drawn.append(ax.add_collection(LineCollection(segments, colors=ROAD_COLOUR, linewidths=width * scale,
                                                          alpha=0.8, zorder=3, capstyle="round")))
    return drawn


NAME_NUDGES = ((0.0, 0.0), (0.0, 8.0), (0.0, -8.0))
"""Shifts (points) a municipality's name on a map.png may take before it gives way."""
MARKET_REACH = 0.1
"""How far beyond the municipalities' extent (a share of its larger side) a map draws an
external market; one further away is drawn there, on its road, with an arrow towards it."""
ARROWS = "→↗↑↖←↙↓↘"
"""Arrows towards a market drawn nearer than it is: east, north-east, ... (every 45 degrees)."""


def markets_within_reach(shapes: Shapes, graph, reach: float = MARKET_REACH) -> tuple[Shapes, tuple[str, ...]]:
    """``shapes`` with each external market lying further than ``reach`` (a share of the larger
    side of the municipalities' extent) beyond that extent drawn at that distance, on the line
    from the municipalities it has roads to (the extent's middle without any) towards it, and
    the arrow pointing where it really is ("" for a market left where it is).

    A browser trial (session 26): the classroom's export port, 22 km beyond the territory's
    50 km, took a third of the game's map and squeezed the municipalities until their names
    covered each other."""
    corners = np.vstack([path.vertices for path in shapes.paths])
    low, high = corners.min(axis=0), corners.max(axis=0)
    room = reach * float(np.max(high - low))
    inner = shapes.points()
    moved, arrows = [], []
    for market, xy in zip(shapes.market_ids, shapes.market_xy):
        neighbours = [inner[n] for n in (graph.neighbors(market) if market in graph else ()) if n in shapes.ids]
        start = np.mean(neighbours, axis=0) if neighbours else (low + high) / 2
        away = xy - start
        # the share of the way from ``start`` to the market that stays within the extent and its room
        limits = [((high[k] + room if away[k] > 0 else low[k] - room) - start[k]) / away[k]
                  for k in range(2) if away[k] != 0]
        share = min([1.0, *limits])
        if share >= 1.0:
            moved.append(xy)
            arrows.append("")
            continue
        moved.append(start + share * away)
        arrows.append(ARROWS[round(np.degrees(np.arctan2(away[1], away[0])) / 45.0) % 8])
    return replace(shapes, market_xy=np.reshape(moved, (-1, 2))), tuple(arrows)


def draw_markets(ax, shapes: Shapes, names: list[str] | None = None, fontsize: float = 7, size: float = 80) -> list:
    """The external markets as squares, each labelled with its name (or ``names``); returns the labels."""
    xy = shapes.market_xy
    ax.scatter(xy[:, 0], xy[:, 1], marker="s", s=size, color=MARKET_COLOUR, edgecolors="black", zorder=4)
    return [ax.annotate(str(name), (x, y), xytext=(6, 6), textcoords="offset points", fontsize=fontsize, zorder=5)
            for name, (x, y) in zip(names or shapes.market_names, xy)]


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
    shapes = territory_shapes(territory_dir)
    fig = plt.figure(figsize=(10, 6.5), constrained_layout=True)
    ax, key = fig.subplots(1, 2, width_ratios=(3.2, 1))
    shown = [values.get(i) for i in shapes.ids]
    handles: list = []
    if colours is not None:
        faces = [colours.get(v, NO_DATA_COLOUR) for v in shown]
        handles += [heading(say("Colour: {label}", "Color: {label}", label=label))]
        handles += [Patch(facecolor=c, edgecolor="black", label=name) for name, c in colours.items()
                    if name in set(shown)]
        draw_units(ax, shapes, faces)
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
        draw_units(ax, shapes, faces)
        bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, location="left")
        bar.set_label(label, fontsize=8)
        bar.ax.tick_params(labelsize=7)
    if unsure:
        draw_unsure(ax, shapes, unsure, faces)
        handles += [unsure_handle()]
    shapes, arrows = markets_within_reach(shapes, graph)
    draw_roads(ax, graph, shapes)
    markets = draw_markets(ax, shapes, [f"{name} {arrow}".strip() for name, arrow in zip(shapes.market_names, arrows)])
    # the municipalities' names, as every table of the report gives them (an adviser trial, session
    # 26: the map had none); a name that would cover another text gives way
    names = [ax.annotate(name, (x, y), xytext=(0, 0), textcoords="offset points", ha="center", va="center",
                         fontsize=6.5, path_effects=[withStroke(linewidth=2.2, foreground="white")], zorder=6)
             for name, (x, y) in zip(shapes.names, shapes.inner)]
    ax.set_title(title, fontsize=10)
    ax.set(xticks=[], yticks=[])
    ax.set_axis_off()
    key.set(xticks=[], yticks=[])
    key.axis("off")
    stack_legends(key, [dict(handles=handles)] * bool(handles) + [dict(handles=road_handles())])
    hide_colliding(fig, [*markets, *names], nudges=NAME_NUDGES)
    return save(fig, path)


def draw_unsure(ax, shapes: Shapes, unsure: set | None, faces) -> None:
    """Hatch the units of ``shapes`` whose id is in ``unsure`` (an interval over seeds that
    includes no change) over their fills ``faces`` (one colour per unit, in ``shapes.ids``
    order): in :data:`UNSURE_COLOUR` on light fills and :data:`UNSURE_ON_DARK` on dark ones (a
    helper's reading of the valley's map, session 54: the grey hatching over the darkest unit
    could be seen only zoomed in, so it read as a difference told from chance)."""
    if not unsure:
        return
    dark: dict[bool, list] = {False: [], True: []}
    for i, path, face in zip(shapes.ids, shapes.paths, faces):
        if i in unsure:
            dark[luminance(face) < DARK_LUMINANCE].append(PathPatch(path))
    for on_dark, patches in dark.items():
        if patches:
            ax.add_collection(PatchCollection(patches, facecolor="none", linewidth=0, hatch="///", zorder=2,
                                              edgecolor=UNSURE_ON_DARK if on_dark else UNSURE_COLOUR))


def luminance(colour) -> float:
    """Relative luminance (WCAG 2) of a Matplotlib colour: 0 black, 1 white."""
    rgb = np.asarray(matplotlib.colors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def unsure_handle() -> Patch:
    """The legend entry of the hatching over units whose interval over seeds includes no change."""
    return Patch(facecolor="white", edgecolor=UNSURE_COLOUR, hatch="///",
                 label=say("interval over seeds ({low}-{high} %)\nincludes no change",
                           "intervalo sobre semillas ({low}-{high} %)\nincluye la ausencia de cambio", low=LOW, high=HIGH))


def road_handles() -> list:
    """The legend entries of roads (by travel time) and external markets, in the language in force."""
    roads = [heading(say("Line: road, travel time", "Línea: camino, tiempo de viaje"))]
    roads += [Line2D([], [], color=ROAD_COLOUR, lw=width * 0.6, label=TRAVEL_BANDS_ES[text] if spanish() else text)
              for _, width, text in TRAVEL_BANDS]
    roads.append(Line2D([], [], ls="", marker="s", markersize=8, markerfacecolor=MARKET_COLOUR,
                        markeredgecolor="black", label=say("external market", "mercado externo")))
    return roads


MAP_OUTCOME = "poverty_headcount"
"""The outcome a comparison's map shows (by municipality, at the horizon, mean over seeds)."""


def comparison_map(results, design_scenarios: list[dict], reference: str, horizon: int, path: Path,
                   outcome_name: str = MAP_OUTCOME) -> Figure | None:
    """Map of ``outcome_name`` at the horizon: each intervention minus the reference (mean over
    seeds), one panel per intervention on one colour scale (:func:`plot_difference_maps`), or
    the reference's level when it is alone; None when the territory has no geometry.

    Parameters
    ----------
    results : pandas.DataFrame
        The comparison's node table (``results.csv``: scenario, seed, year, node_id, outcomes).
    design_scenarios : list of dict
        The resolved scenarios (``Scenario.as_dict``), the reference among them, in the
        comparison's order (the panels' order).
    """
    from ..data.territory import load_territory
    from ..outcomes import outcome

    by_name = {s["name"]: s for s in design_scenarios}
    territory_dir = by_name[reference]["territory"]
    if not has_geometry(territory_dir):
        return None
    graph = load_territory(territory_dir).graph
    at = results[results["year"] == horizon].assign(node_id=lambda df: df["node_id"].astype(str))
    label = outcome(outcome_name).axis_label if not spanish() else \
        outcome(outcome_name).label_in("es")[0].upper() + outcome(outcome_name).label_in("es")[1:]
    others = [s for s in by_name if s != reference and s in set(at["scenario"])]
    if not others:
        values = at[at["scenario"] == reference].groupby("node_id")[outcome_name].mean().to_dict()
        return plot_map(territory_dir, graph, values, path, f"{reference}, {horizon}", label)
    by_seed = at.pivot_table(index=["node_id", "seed"], columns="scenario", values=outcome_name)
    spec = outcome(outcome_name)
    # a share's difference in points, as every table and sentence of the report gives it (an adviser
    # trial, session 26: the map's colour bar read +-0.03 "share" beside points everywhere else)
    short = spec.label_in("es" if spanish() else "en").split(':')[0]
    factor, what = (100.0, say("difference in {what} (points)", "diferencia en {what} (puntos)", what=short)) \
        if spec.kind == "share" else (1.0, say("difference in {what}", "diferencia en {what}",
                                               what=label[0].lower() + label[1:]))
    what += say("\nbelow 0: lower under {name}", "\nbajo 0: menor con {name}",
                name=others[0] if len(others) == 1 else say("the intervention", "la intervención"))
    panels = {}
    for name in others:  # every intervention (an adviser trial, session 27: only the first had a map)
        paired = (factor * (by_seed[name] - by_seed[reference])).dropna().groupby("node_id")
        values = paired.mean().to_dict()
        low, high = paired.quantile(LOW / 100), paired.quantile(HIGH / 100)
        panels[say("{name} minus {reference}, {horizon}", "{name} menos {reference}, {horizon}", name=name,
                   reference=reference, horizon=horizon)] = (values, {n for n in values if low[n] <= 0 <= high[n]})
    return plot_difference_maps(territory_dir, graph, panels, path, what)


PANELS_WIDTH, PANEL_HEIGHT = 7.5, 3.9
"""Size (inches) of a figure of several maps: across an A4 page (the report scales it to its text
width, so text drawn at 6 points reads at about 5.5), and the height of each row of maps."""
KEY_ROW = 0.45
"""Height of a row holding only the key (colour bar and legends), as a share of a map's row."""


def panel_grid(panels: int) -> tuple[int, int]:
    """Rows and columns of a figure of ``panels`` (two or more) maps and their key (colour bar
    and legends): two columns, the key in the cell after the last map (a row of its own,
    :data:`KEY_ROW` high, after an even number of maps)."""
    return panels // 2 + 1, 2


def plot_difference_maps(territory_dir: str | Path, graph: nx.Graph, panels: dict[str, tuple[dict, set]],
                         path: Path, label: str) -> Figure:
    """Small multiples of differences by node: one map per entry of ``panels`` (its title ->
    (node id -> difference, node ids whose interval over seeds includes no change, hatched)),
    all on one diverging colour scale centred on zero, so that a colour means the same in every
    panel; roads, markets and the municipalities' names on each; one colour bar (``label``) and
    one legend in the key's cell (:func:`panel_grid`). One panel is :func:`plot_map`'s map."""
    if len(panels) == 1:
        (title, (values, unsure)), = panels.items()
        return plot_map(territory_dir, graph, values, path, title, label, diverging=True, unsure=unsure)
    shapes = territory_shapes(territory_dir)
    rows, columns = panel_grid(len(panels))
    key_alone = len(panels) % 2 == 0  # the key takes a short row of its own, its colour bar across
    heights = [1.0] * (rows - 1) + [KEY_ROW if key_alone else 1.0]
    fig = plt.figure(figsize=(PANELS_WIDTH, PANEL_HEIGHT * sum(heights)), constrained_layout=True)
    grid = fig.add_gridspec(rows, columns, height_ratios=heights)
    axes = [fig.add_subplot(grid[k // columns, k % columns]) for k in range(len(panels))]
    key_cell = grid[rows - 1, :] if key_alone else grid[rows - 1, 1]
    finite = np.array([float(v) for values, _ in panels.values() for v in values.values() if v is not None
                       and np.isfinite(float(v))])
    span = float(np.max(np.abs(finite))) if finite.size and np.max(np.abs(finite)) > 0 else 1.0
    norm = matplotlib.colors.Normalize(-span, span)  # one scale for every panel
    cmap = matplotlib.colormaps[DIVERGING]
    labels: list = []
    near, arrows = markets_within_reach(shapes, graph)
    for ax, (title, (values, unsure)) in zip(axes, panels.items()):
        names = draw_differences(ax, shapes, values, cmap, norm, unsure=unsure, fontsize=6, zorder=6,
                                 path_effects=[withStroke(linewidth=2.2, foreground="white")])
        draw_roads(ax, graph, near)
        labels += draw_markets(ax, near, [f"{name} {arrow}".strip() for name, arrow in zip(near.market_names, arrows)],
                               fontsize=6, size=40)
        labels += names
        ax.set_title(title, fontsize=10)
        ax.set(xticks=[], yticks=[])
        ax.set_axis_off()
    if key_alone:
        key_grid = key_cell.subgridspec(2, 2, height_ratios=(0.22, 1))
        bar_cell, legend_cell, orientation = key_grid[0, 0], key_grid[:, 1], "horizontal"
    else:
        key_grid = key_cell.subgridspec(2, 2, width_ratios=(0.09, 1), height_ratios=(2, 1))
        bar_cell, legend_cell, orientation = key_grid[0, 0], key_grid[:, 1], "vertical"
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), cax=fig.add_subplot(bar_cell),
                       orientation=orientation)
    bar.set_label(label, fontsize=8)
    bar.ax.tick_params(labelsize=7)
    if orientation == "vertical":
        bar.ax.yaxis.set_label_position("left")
    key = fig.add_subplot(legend_cell)
    key.set(xticks=[], yticks=[])
    key.axis("off")
    has_unsure = any(unsure for _, unsure in panels.values())
    stack_legends(key, [dict(handles=[unsure_handle()])] * has_unsure + [dict(handles=road_handles())])
    hide_colliding(fig, labels, nudges=NAME_NUDGES)
    return save(fig, path)
