"""The territory on a dashboard page: municipalities as their real polygons (a choropleth of the
chosen outcome, roads and markets on top) when the territory has geometry, its network otherwise.

The polygons are drawn with the functions that draw ``run``'s and ``compare``'s maps
(:mod:`..output.maps`), without tiles or any network access. A :class:`TerritoryView` is built
once per model: the figure, its polygons (read and projected once per territory), labels and
outlines stay; each drawing sets only the colours, outlines, roads (whose travel times a road
programme changes), title and colour key, then renders the PNG. A view draws for one page at a
time (it holds a lock of its own while it draws), from a :class:`.views.MapState` read under the
model's lock, so that pages draw without holding the model's lock.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patheffects import withStroke

from ..output.figure_check import hide_colliding
from ..output.maps import (DIVERGING, NO_DATA_COLOUR, Shapes, draw_differences, draw_markets, draw_roads, draw_units,
                           markets_within_reach, missing_geometry, territory_shapes)
from .text import number, t
from .views import (MAP_AXES, MAP_SIZE, NUDGES, MapState, Ticks, draw_key, fits, font_scale, layout, map_axes, map_state,
                    network_figure, png)

SELECTED_COLOUR = "#0969da"
"""Outline of the municipality chosen on the page (the group's own in the game)."""
GOVERNED_COLOUR = "#24292f"
"""Dashed outline of municipalities other groups govern in the game."""
HALO = [withStroke(linewidth=2.5, foreground="white")]
SIDEWAYS = ((24.0, 0.0), (-24.0, 0.0), (24.0, -18.0), (-24.0, -18.0), (24.0, 18.0), (-24.0, 18.0))
"""Shifts (points) a name on the map may take, after ``views.NUDGES`` up and down, before it gives
way: the town's name, between two municipalities' names with their groups', gave way in large
text (the game's map, session 26)."""


PLACEMENTS = 16
"""Placements of a map's labels a :class:`TerritoryView` keeps (texts, size and language)."""


def map_height(shapes: Shapes, tallest: float) -> float:
    """The height (in) of a map ``views.MAP_SIZE[0]`` wide whose map axes (``views.MAP_AXES``)
    hold the municipalities and markets of ``shapes`` at the axes' whole width, within
    ``views.MAP_SIZE[1]`` and ``tallest``: a territory taller than wide drawn in the page's
    3.6-inch-high figure left half its width empty (the game's map, session 26)."""
    points = np.vstack([*(path.vertices for path in shapes.paths), shapes.market_xy])
    width, height = np.ptp(points, axis=0)
    wanted = MAP_AXES[2] * MAP_SIZE[0] * height / max(width, 1e-9) / MAP_AXES[3]
    return float(min(max(MAP_SIZE[1], wanted), max(tallest, MAP_SIZE[1])))


def map_note(missing: str, language: str) -> str:
    """Why the page draws the network instead of the polygons (``missing``:
    :func:`..output.maps.missing_geometry`), "" when it draws the polygons."""
    return t(language, f"map_{missing}") if missing else ""


class TerritoryView:
    """The map of one model's territory on a page, drawn again each year with new colours.

    Parameters
    ----------
    model : TerritoryModel
        The model whose territory is drawn (its territory directory tells whether it has
        geometry).
    tallest : float
        The tallest (in) the figure may grow to draw a territory taller than wide across the
        map's whole width (:func:`map_height`); by default no taller than ``views.MAP_SIZE``.

    Attributes
    ----------
    missing : str
        "" when the municipalities are drawn as polygons; otherwise why the network is drawn
        (:func:`..output.maps.missing_geometry`).
    """

    def __init__(self, model, tallest: float = MAP_SIZE[1]):
        self.missing = missing_geometry(model.territory.source)
        self.positions = None
        self._texts = None
        self._placed: dict = {}  # label texts, size and language -> where each label went (_label)
        self._lock = threading.Lock()
        if self.missing:
            self.positions = layout(model.graph)
            return
        shapes, self.arrows = markets_within_reach(territory_shapes(model.territory.source), model.graph)
        self.shapes = shapes
        self.rows = np.array([model.territory.ids.index(i) if i in model.territory.ids else -1 for i in shapes.ids])
        self.figure = Figure(figsize=(MAP_SIZE[0], map_height(shapes, tallest)), dpi=90)
        self.ax, self.key = map_axes(self.figure)
        self.units = draw_units(self.ax, shapes, NO_DATA_COLOUR)
        self.outlines = draw_units(self.ax, shapes, "none", edgecolor="none", linewidth=0.0, zorder=2)
        self.roads: list = []
        self.markets = draw_markets(self.ax, shapes, fontsize=8)
        self.labels = [self.ax.annotate(name, (x, y), xytext=(0, 0), textcoords="offset points", ha="center",
                                        va="center", fontsize=8, zorder=5, path_effects=HALO)
                       for name, (x, y) in zip(shapes.names, shapes.inner)]
        where = shapes.points()
        self.hours = {(a, b): self.ax.annotate("", np.add(where[a], where[b]) / 2, xytext=(0, 0),
                                               textcoords="offset points", ha="center", va="center", fontsize=7,
                                               color="#333333", zorder=5, path_effects=HALO)
                      for a, b in model.graph.edges() if a in where and b in where}
        self.ax.margins(0.04)

    @property
    def polygons(self) -> bool:
        """Whether the municipalities are drawn as their polygons (else as the network)."""
        return not self.missing

    def png(self, model, key: str, language: str, *, selected: str | None = None,
            governed: dict[str, str] | None = None, large: bool = False) -> bytes:
        """The map of ``model`` this year coloured by menu entry ``key`` (``views.COLOUR_BY``),
        as PNG bytes: :meth:`draw` of its :func:`.views.map_state` (call holding the model's lock)."""
        return self.draw(map_state(model, key), language, selected=selected, governed=governed, large=large)

    def draw(self, state: MapState, language: str, *, selected: str | None = None,
             governed: dict[str, str] | None = None, large: bool = False) -> bytes:
        """The map of ``state`` (:func:`.views.map_state`, read from the model under its lock)
        as PNG bytes; needs no lock of the model's (the view keeps its own).

        Parameters
        ----------
        selected : str, optional
            Node id outlined thick (the municipality chosen on the page, or the group's own).
        governed : dict, optional
            Node id -> name of the group governing it (the shared-territory game): outlined
            dashed and labelled with the group.
        large : bool
            Large-text mode: the names, travel times and key at ``views.font_scale``
            times their size (trial 24: the map's labels stayed at 9 px while the page grew).
        """
        if not self.polygons:
            return png(network_figure(state, selected, language, self.positions, large=large))
        with self._lock:  # one figure, redrawn by whichever page asks: one page at a time
            scale_text = font_scale(large)
            self.units.set_facecolor([state.colours[r] if r >= 0 else NO_DATA_COLOUR for r in self.rows])
            self._outline(selected, governed or {})
            for road in self.roads:
                road.remove()
            self.roads = draw_roads(self.ax, state.graph, self.shapes)
            # the title keeps its size: two lines of it fill the room above the map (the names grow)
            self.ax.set_title(f"{t(language, state.key)} - {t(language, 'year')} {state.year}\n"
                              f"{t(language, 'map_roads')}", fontsize=9, loc="left")
            for (a, b), label in self.hours.items():
                label.set_text(number(state.graph.edges[a, b]["travel_time"], language, 1) + " h")
            self._label(governed or {}, language, scale_text)
            draw_key(self.ax, self.key, state.key, state.scale, language, large=large)
            return png(self.figure)

    def _outline(self, selected: str | None, governed: dict[str, str]) -> None:
        ids = self.shapes.ids
        self.outlines.set_edgecolor([SELECTED_COLOUR if i == selected else GOVERNED_COLOUR if i in governed
                                     else "none" for i in ids])
        self.outlines.set_linewidth([3.0 if i == selected else 1.8 if i in governed else 0.0 for i in ids])
        self.outlines.set_linestyle(["solid" if i == selected or i not in governed else (0, (4, 2)) for i in ids])

    def _label(self, governed: dict[str, str], language: str, scale_text: float = 1.0) -> None:
        """Markets' and municipalities' names (with their governing groups) and the roads' travel
        times on the map, at ``scale_text`` times their size, placed again when they change; a
        label that would cover other text moves up or down, or gives way (names first).

        Where the labels went is kept for each set of texts, size and language
        (:data:`PLACEMENTS` of them): the pages of one game year, in English and Spanish, in large
        text or not, place them once each instead of at every other page (the overlap check, one
        layout of the whole figure per call, was a third of a game page's map, session 28)."""
        texts = tuple(f"{name}\n({governed[i]})" if i in governed else name
                      for i, name in zip(self.shapes.ids, self.shapes.names))
        hours = tuple(label.get_text() for label in self.hours.values())  # change only with road works
        key = (texts, hours, language, scale_text)
        if key == self._texts:
            return
        self._texts = key
        for label, arrow in zip(self.markets, self.arrows):
            label.set_text(f"{t(language, 'market_node')} {arrow}".strip())
            label.set_fontsize(8 * scale_text)
        for label, text in zip(self.labels, texts):
            label.set_text(text)
            label.set_fontsize(8 * scale_text)
        for label in self.hours.values():
            label.set_fontsize(7 * scale_text)
        placed, every = self._placed.get(key), [*self.markets, *self.labels, *self.hours.values()]
        if placed is not None:  # placed before: the same texts at the same size
            for label, (shown, offset) in zip(every, placed):
                label.set_visible(shown)
                label.xyann = offset
            return
        for label in [*self.labels, *self.hours.values()]:
            label.set_visible(True)
            label.xyann = (0.0, 0.0)  # where the name goes unless nudged
        self.key.set_visible(False)  # the key changes with each drawing: leave it out of the check
        for label in self.hours.values():  # the names first, which may also move sideways; then the hours
            label.set_visible(False)
        hide_colliding(self.figure, [*self.markets, *self.labels], nudges=(*NUDGES, *SIDEWAYS))
        for label in self.hours.values():
            label.set_visible(True)
        hide_colliding(self.figure, list(self.hours.values()), nudges=NUDGES)
        self.key.set_visible(True)
        if len(self._placed) >= PLACEMENTS:  # of years gone by (road works change the hours)
            self._placed.clear()
        self._placed[key] = [(label.get_visible(), label.xyann) for label in every]


DIFFERENCES = {"poverty": ("poverty_headcount", 100.0, "diff_poverty_map"),
               "income": ("mean_income_pc", 1.0, "diff_income_map"),
               "nature": ("forest_cover", 100.0, "diff_nature_map")}
"""The debrief map's menu: key -> (node outcome, factor to the unit shown, label key)."""

ENDS = {"poverty": ("less_poverty", "more_poverty"), "income": ("less_income", "more_income"),
        "nature": ("less_forest", "more_forest")}
"""What each end of a map of differences' key means, for each entry of :data:`DIFFERENCES`:
text keys of (below zero, above zero). A browser trial (session 27): the key read -3 to 3 in
brown to purple, and which side was the better one was left to the reader (less is better for
poverty, worse for income)."""


def difference_ends(key: str, lang: str) -> tuple[str, str]:
    """What the lower and upper ends of the key of a map of menu entry ``key`` mean, in ``lang``."""
    return tuple(t(lang, k) for k in ENDS[key])


def node_differences(model, twin, key: str) -> dict[str, float]:
    """Node id -> ``model``'s outcome of menu entry ``key`` (:data:`DIFFERENCES`) minus ``twin``'s,
    this year, in the unit shown (points for shares); the populated municipalities only."""
    name, factor, _ = DIFFERENCES[key]
    run, other = (np.asarray(m.node_stats[name], float) for m in (model, twin))
    return {node: factor * (a - b) for node, a, b, kind in zip(model.territory.ids, run, other, model.territory.kinds)
            if kind != "market" and np.isfinite(a - b)}


@dataclass(frozen=True)
class DifferencePanel:
    """One small map of the debrief: ``values`` (node id -> difference) on the territory of
    directory ``territory`` with network ``graph``, titled ``name``."""

    name: str
    territory: str
    graph: object
    values: dict


DEBRIEF_PIXELS = 1000
"""Width in pixels the debrief's map is drawn at (at least 90 dpi)."""


def difference_map(panels: list[DifferencePanel], title: str, language: str, *, large: bool = False,
                   ends: tuple[str, str] = ("", "")) -> Figure:
    """Small maps side by side, one per panel (a group, or the game): each municipality coloured
    by its difference (e.g. from the group's own same-seed no-policy run) on one colour scale
    centred on zero; the municipalities' polygons where the territory has them, the network's
    nodes otherwise. ``large``: its text at :func:`.views.font_scale` times its size; ``ends``:
    what the key's lower and upper ends mean (e.g. "less poverty", "more poverty"), written below
    and above it."""
    size = font_scale(large)
    n = max(len(panels), 1)
    columns = min(n, 3)
    rows = math.ceil(n / columns)
    width = min(9.6, 1.2 + 3.2 * columns)
    # drawn about DEBRIEF_PIXELS wide: the console shows it across its card (a one-panel map of
    # 396 px stretched to 1,216 blurred its names, browser trial 25)
    fig = Figure(figsize=(width, max(3.8, 0.6 + 2.6 * rows)), dpi=max(90.0, DEBRIEF_PIXELS / width),
                 layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    found = [abs(v) for panel in panels for v in panel.values.values()]
    span = max(found, default=0.0) or 1.0
    norm = TwoSlopeNorm(0.0, -span, span)
    cmap = colormaps[DIVERGING]
    names = []
    for ax, panel in zip(axes, panels):
        names += _draw_differences(ax, panel, cmap, norm, 7 * size)
        ax.set_title(fits(panel.name, (width - 1.2) / columns - 0.2, 10 * size), fontsize=10 * size)
    for ax in axes:
        ax.set(xticks=[], yticks=[])
        ax.set_axis_off()
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=list(axes), shrink=0.8, format=Ticks(language))
    bar.ax.tick_params(labelsize=8 * size)
    below, above = ends
    # clear of the ends' tick labels; ending at the key's right edge, not beyond the figure's
    bar.ax.set_title(above, fontsize=8 * size, pad=8 * size, loc="right")
    bar.ax.set_xlabel(below, fontsize=8 * size, labelpad=8 * size, loc="right")
    fig.suptitle(fits(title, width - 0.6, 10 * size), fontsize=10 * size)
    hide_colliding(fig, names, nudges=NUDGES)
    return fig


def _draw_differences(ax, panel: DifferencePanel, cmap, norm: Normalize, fontsize: float = 7) -> list:
    """One panel of :func:`difference_map` (names at ``fontsize``); returns the municipalities'
    names drawn on it."""
    def colour(node: str):
        value = panel.values.get(node, math.nan)
        return cmap(norm(value)) if np.isfinite(value) else NO_DATA_COLOUR

    if missing_geometry(panel.territory):
        return _network_differences(ax, panel, colour, fontsize)
    # the polygons as the report's maps draw them (one function), in the page's outline and halo
    return draw_differences(ax, territory_shapes(panel.territory), panel.values, cmap, norm, edgecolor="#555555",
                            linewidth=0.6, fontsize=fontsize, path_effects=HALO)


def _network_differences(ax, panel: DifferencePanel, colour, fontsize: float) -> list:
    pos = layout(panel.graph)
    for a, b in panel.graph.edges():
        ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="#bbbbbb", lw=1, zorder=1)
    nodes = [n for n in pos if n in panel.values]
    ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=160, c=[colour(n) for n in nodes],
               edgecolors="#333333", zorder=2)
    ax.margins(0.15)
    names = dict(zip(panel.graph.nodes, (panel.graph.nodes[n].get("name", n) for n in panel.graph.nodes)))
    return [ax.annotate(str(names[n]), pos[n], xytext=(0, 10), textcoords="offset points", ha="center",
                        fontsize=fontsize, zorder=3) for n in nodes]
