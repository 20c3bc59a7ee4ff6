"""The classroom dashboard's territory view without a browser (issue 15 item 4): municipalities
drawn as the geometry's own polygons (one patch per municipality, the shapes of geometry.gpkg),
coloured by the chosen outcome and redrawn by changing colours only; the groups' municipalities
outlined in the game; the network, with a note saying why, for a territory without geometry or
a server without geopandas; the trainer's debrief map of differences from the no-policy twins."""

import re
import shutil
import sys

import numpy as np
import pytest
from conftest import ROOT, SCENARIOS
from matplotlib.collections import PatchCollection

from territory_abm import TerritoryModel
from territory_abm.dashboard.maps import DifferencePanel, TerritoryView, difference_map, map_note, node_differences
from territory_abm.dashboard.text import TEXT
from territory_abm.dashboard.views import COLOUR_BY, node_colours
from territory_abm.output.figure_check import figure_problems
from territory_abm.scenarios.loader import load_scenario

gpd = pytest.importorskip("geopandas", reason="the geo extra draws the polygons (pip install '.[geo]')")

CLASSROOM = SCENARIOS / "classroom" / "poverty_and_transfers.toml"


def _model(scenario=CLASSROOM, steps: int = 2, **changes):
    model = TerritoryModel(load_scenario(scenario).replace(households_scale=0.1, **changes), seed=3)
    for _ in range(steps):
        model.step()
    return model


@pytest.fixture(scope="module")
def model():
    return _model()


@pytest.fixture(scope="module")
def twin():
    return _model()


@pytest.fixture(scope="module")
def view(model):
    return TerritoryView(model)


def _projected_units(territory_dir):
    from territory_abm.output.maps import read_geometry

    return read_geometry(territory_dir)[0]


def test_the_map_draws_one_patch_per_municipality_with_the_geometrys_own_shapes(model, view):
    units = _projected_units(model.territory.source)
    assert view.polygons and view.missing == ""
    paths = view.units.get_paths()
    assert len(paths) == len(units) == 5  # the classroom's four municipalities and its town
    for path, polygon in zip(paths, units.geometry):
        np.testing.assert_allclose(path.vertices, np.asarray(polygon.exterior.coords)[:, :2])
    assert [label.get_text() for label in view.labels] == list(units["name"])


def test_the_run_maps_are_drawn_from_the_same_shapes(tmp_path):
    """``run``'s map (output.maps.plot_map) on the bundled example: one patch per municipality."""
    from territory_abm.data.territory import load_territory
    from territory_abm.output.maps import plot_map

    example = ROOT / "calibration" / "data" / "example"
    territory = load_territory(example)
    fig = plot_map(example, territory.graph, dict.fromkeys(territory.ids, 0.1), tmp_path / "map.png", "example",
                   "poverty")
    collections = [c for c in fig.axes[0].collections if isinstance(c, PatchCollection)]
    assert len(collections) == 1 and len(collections[0].get_paths()) == len(_projected_units(example)) == 14
    # the municipalities' names, as the report's tables give them (an adviser trial, session 26: none)
    shown = {t.get_text() for t in fig.axes[0].texts if t.get_visible()}
    assert set(territory.names) - {"Capital market"} <= shown | {n for n, k in zip(territory.names, territory.kinds)
                                                                 if k == "market"}
    assert figure_problems(fig) == []


def test_the_run_maps_draw_a_far_market_at_the_territorys_edge(model, tmp_path):
    """``run``'s map.png draws a market far beyond the municipalities as the pages' maps do (the
    classroom's export port, 22 km beyond its 50 km: at its place it squeezed the territory), at
    the edge on its road, its name with an arrow towards it; the example's market, within reach,
    stays where it is."""
    from territory_abm.output.maps import ARROWS, MARKET_REACH, plot_map, territory_shapes

    source = model.territory.source
    fig = plot_map(source, model.graph, dict.fromkeys(model.territory.ids, 0.1), tmp_path / "map.png", "classroom",
                   "poverty")
    ax = fig.axes[0]
    shapes = territory_shapes(source)
    corners = np.vstack([path.vertices for path in shapes.paths])
    low, high = corners.min(axis=0), corners.max(axis=0)
    bottom, top = ax.get_ylim()
    assert (high - low)[1] / (top - bottom) > 0.75  # 0.64 with the port at its place
    assert (low[1] - bottom) / (high - low).max() < 2 * MARKET_REACH  # 0.50 below the territory before
    names = [text.get_text() for text in ax.texts]
    assert any(text.startswith(shapes.market_names[0]) and text.endswith(ARROWS[6]) for text in names), names


@pytest.mark.parametrize("key", ["poverty", "income", "nature", "typology"])
def test_each_municipality_takes_the_colour_of_its_outcome(model, view, key):
    view.png(model, key, "en")
    expected, _ = node_colours(model, key)
    by_id = dict(zip(model.territory.ids, expected))
    import matplotlib.colors as mcolors

    faces = view.units.get_facecolor()
    for face, node in zip(faces, view.shapes.ids):
        np.testing.assert_allclose(face, mcolors.to_rgba(by_id[node]))


def test_a_redraw_changes_only_the_colours_of_the_same_polygons(model, view):
    first = view.png(model, "poverty", "en")
    units, paths = view.units, view.units.get_paths()
    faces = view.units.get_facecolor().copy()
    second = view.png(model, "nature", "en")
    assert view.units is units and view.units.get_paths() is paths
    assert first != second and not np.allclose(view.units.get_facecolor(), faces)
    assert len(view.ax.collections) == len(set(map(id, view.ax.collections)))  # roads replaced, not piled up
    before = len(view.ax.collections)
    view.png(model, "nature", "en")
    assert len(view.ax.collections) == before


def test_the_selected_and_the_governed_municipalities_are_outlined(model, view):
    view.png(model, "poverty", "en", selected="C", governed={"C": "Los Robles", "A": "Las Palmas"})
    widths = dict(zip(view.shapes.ids, view.outlines.get_linewidth()))
    assert widths["C"] > widths["A"] > 0 and widths["B"] == widths["D"] == widths["T"] == 0
    labels = {label.get_text() for label in view.labels if label.get_visible()}
    assert {"Cerro Azul\n(Los Robles)", "Alto Verde\n(Las Palmas)"} <= labels
    view.png(model, "poverty", "en")  # no game: names only, no outline
    assert not any(view.outlines.get_linewidth()) and "Cerro Azul" in {label.get_text() for label in view.labels}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text))


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("key", list(COLOUR_BY))
def test_the_map_has_no_overlapping_or_cut_text_and_speaks_the_pages_language(model, view, lang, key):
    view.png(model, key, lang, selected="A", governed={"A": "Grupo uno", "T": "Grupo dos"})
    assert figure_problems(view.figure) == []
    if lang == "es":
        texts = [t.get_text() for t in view.figure.findobj(lambda a: hasattr(a, "get_text"))]
        spanish = set().union(*(_words(v) for v in TEXT["es"].values()), *(_words(n) for n in model.territory.names))
        found = set().union(*map(_words, texts)) - {"Grupo", "uno", "dos"}
        assert found <= spanish | {"USD", "Gini", "h"}, found - spanish


@pytest.mark.parametrize("key", ["poverty", "typology"])
def test_large_text_enlarges_the_maps_labels_and_keeps_them_apart(model, view, key):
    """Trial 24: with Large text on, the map's names, travel times, title and key stayed at about
    9 px while the rest of the page grew. Now they grow by ``font_scale`` and still neither cover
    each other nor leave the figure; switching back restores their size."""
    from territory_abm.dashboard.views import font_scale, layout, map_state, network_figure

    view.png(model, key, "es", selected="A")
    small = [label.get_fontsize() for label in view.labels]
    view.png(model, key, "es", selected="A", large=True)
    assert [label.get_fontsize() for label in view.labels] == pytest.approx([x * font_scale(True) for x in small])
    assert max(view.key.get_yticklabels(), key=lambda x: x.get_fontsize()).get_fontsize() == pytest.approx(
        8 * font_scale(True)) or key == "typology"
    assert figure_problems(view.figure) == []
    view.png(model, key, "es", selected="A")
    assert [label.get_fontsize() for label in view.labels] == small
    fig = network_figure(map_state(model, key), "A", "es", layout(model.graph), large=True)
    names = [text for text in fig.axes[0].texts if hasattr(text, "xyann")]
    assert figure_problems(fig) == [] and names[0].get_fontsize() == pytest.approx(8 * font_scale(True))


def test_a_territory_without_geometry_is_drawn_as_its_network_and_the_page_says_why(tmp_path):
    territory = tmp_path / "classroom"
    shutil.copytree(ROOT / "calibration" / "data" / "classroom", territory,
                    ignore=shutil.ignore_patterns("geometry.gpkg"))
    model = _model(steps=0, territory=territory)
    view = TerritoryView(model)
    assert not view.polygons and view.missing == "no_file"
    assert view.png(model, "poverty", "en").startswith(b"\x89PNG")
    assert "no boundaries" in map_note(view.missing, "en") and "no tiene límites" in map_note(view.missing, "es")


def test_without_geopandas_the_network_is_drawn_and_the_trainer_alone_is_told_to_install_the_geo_extra(
        model, monkeypatch):
    """Trial 16: every student page said "pip install" on the projected page; the server says
    it once, to the trainer, and the pages only that the map is a network."""
    from territory_abm.dashboard.server import geometry_note

    assert geometry_note(model.territory.source) == ""
    monkeypatch.setitem(sys.modules, "geopandas", None)  # import geopandas raises ImportError
    view = TerritoryView(model)
    assert not view.polygons and view.missing == "no_geopandas"
    assert "pip install 'territory-abm[geo]'" in geometry_note(model.territory.source)
    for lang in ("en", "es"):
        assert "pip" not in map_note(view.missing, lang) and "geo" not in map_note(view.missing, lang)
    assert "network" in map_note(view.missing, "en") and "red" in map_note(view.missing, "es")
    assert view.png(model, "typology", "es").startswith(b"\x89PNG")
    assert map_note("", "en") == ""


def test_the_network_view_draws_quicker_roads_thicker_and_the_shapes_of_runs_network(model):
    """Trial 16: the dashboard's network drew slower roads thicker (the geo map and the guide:
    thicker = quicker) and the town as a square, the market as a diamond (run's network.png:
    the opposite), with no key to the shapes."""
    from matplotlib.markers import MarkerStyle

    from territory_abm.output.plots import NODE_SHAPES
    from territory_abm.dashboard.views import layout, map_state, network_figure

    fig = network_figure(map_state(model, "poverty"), None, "en", layout(model.graph))
    ax = fig.axes[0]
    width = {line.get_gid(): line.get_linewidth() for line in ax.lines if str(line.get_gid()).startswith("road-")}
    hours = {f"road-{a}-{b}": d["travel_time"] for a, b, d in model.graph.edges(data=True)}
    assert set(width) == set(hours)
    quickest, slowest = min(hours, key=hours.get), max(hours, key=hours.get)
    assert width[quickest] > width[slowest]
    for kind in ("municipality", "city", "market"):
        style = MarkerStyle(NODE_SHAPES[kind][0])
        want = style.get_path().transformed(style.get_transform()).vertices
        drawn = [c for c in ax.collections if c.get_gid() == f"node-{kind}"]
        assert drawn and all(np.allclose(c.get_paths()[0].vertices, want) for c in drawn), kind
    assert "thicker = quicker" in ax.get_title(loc="left") and "◆ town, ■ market" in ax.get_title(loc="left")


def test_the_debrief_map_has_one_small_map_per_group_on_one_scale_centred_on_zero(model, twin):
    from territory_abm.dashboard.console import debrief_map  # noqa: F401 (the console's wrapper)

    same = node_differences(model, twin, "poverty")
    assert set(same) == {"A", "B", "C", "D", "T"} and not any(same.values())  # same seed, no policy: no difference
    panels = [DifferencePanel(f"group {k}", str(model.territory.source), model.graph,
                              {node: (k - 1) * (i + 1) for i, node in enumerate(same)}) for k in range(4)]
    fig = difference_map(panels, "Poverty (points): each group minus its own run", "en")
    maps = [ax for ax in fig.axes if any(isinstance(c, PatchCollection) for c in ax.collections)]
    assert len(maps) == 4 and all(len(ax.collections[0].get_paths()) == 5 for ax in maps)
    bar = [ax for ax in fig.axes if ax not in maps and ax.get_visible() and ax.get_ylim() != (0, 1)]
    assert bar and bar[-1].get_ylim() == pytest.approx((-10, 10))  # the largest difference either side
    names = [t.get_text() for ax in maps for t in ax.texts if t.get_visible()]
    assert names.count("Cerro Azul") == 4  # the municipalities are named on every small map
    assert figure_problems(fig) == []


def test_without_geometry_the_debrief_map_draws_each_groups_network(model, tmp_path):
    territory = tmp_path / "classroom"
    shutil.copytree(ROOT / "calibration" / "data" / "classroom", territory,
                    ignore=shutil.ignore_patterns("geometry.gpkg"))
    values = {"A": -2.0, "B": 1.0, "C": 0.5, "D": 0.0, "T": -0.5}
    fig = difference_map([DifferencePanel("group 1", str(territory), model.graph, values)], "Poverty (points)", "es")
    ax = fig.axes[0]
    assert not any(isinstance(c, PatchCollection) for c in ax.collections)
    assert len(ax.collections[0].get_offsets()) == 5  # one node per municipality with a difference
    assert figure_problems(fig) == []


@pytest.fixture(scope="module")
def baseline_model():
    return _model(SCENARIOS / "baseline.toml")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("key", ["poverty", "typology"])
@pytest.mark.parametrize("territory", ["classroom", "example"])
def test_the_network_view_has_no_overlapping_or_cut_text(model, baseline_model, territory, key, lang):
    """The network drawn without geometry: names nudged or, like travel times, left out where
    they would cover other text (the classroom's five nodes, the example's fifteen)."""
    from territory_abm.dashboard.views import layout, map_state, network_figure

    shown = model if territory == "classroom" else baseline_model
    fig = network_figure(map_state(shown, key), shown.territory.ids[0], lang, layout(shown.graph))
    assert figure_problems(fig) == []
    names = [t for t in fig.axes[0].texts if hasattr(t, "xyann")]  # the nodes' names (travel times are texts)
    assert len(names) == len(shown.territory.ids)
    assert sum(t.get_visible() for t in names) >= 0.75 * len(names)  # most names stay


def test_large_text_enlarges_the_debrief_maps_text_and_keeps_it_apart(model, twin):
    """The trainer's console has Large text (a browser trial, session 26): its maps of
    differences grow their names, titles and key with it."""
    from territory_abm.dashboard.views import font_scale

    values = node_differences(model, twin, "poverty") | {"A": 1.5, "C": -2.0}
    panels = [DifferencePanel(f"group {k}", str(model.territory.source), model.graph, values) for k in range(2)]
    small, large = (difference_map(panels, "Poverty (points)", "es", large=on) for on in (False, True))
    sizes = [[t.get_fontsize() for ax in fig.axes for t in ax.texts] for fig in (small, large)]
    assert sizes[1] == pytest.approx([x * font_scale(True) for x in sizes[0]])
    assert large.get_suptitle() and large._suptitle.get_fontsize() == pytest.approx(10 * font_scale(True))
    assert figure_problems(large) == []


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_export_port_leaves_the_territory_the_maps_room_and_every_name_shows(model, lang, large):
    """A browser trial (session 26): the classroom's export port lies 22 km beyond the territory's
    50 km, and drawn there it took a third of the game's map; the municipalities, squeezed in a
    figure wider than they, hid two of their names (with four groups' names, in large text). The
    port is drawn at the edge of the territory, on its road, with an arrow towards where it is;
    the game's map grows to 5 inches high to draw the territory across its width (the dashboard's
    keeps its 3.6); every municipality's name shows."""
    from territory_abm.dashboard.game_page import GAME_MAP_TALLEST
    from territory_abm.output.maps import ARROWS, MARKET_REACH
    from territory_abm.dashboard.views import MAP_SIZE

    assert tuple(TerritoryView(model).figure.get_size_inches()) == MAP_SIZE
    view = TerritoryView(model, tallest=GAME_MAP_TALLEST)
    assert tuple(view.figure.get_size_inches()) == (MAP_SIZE[0], GAME_MAP_TALLEST)
    governed = {"A": "Los Robles", "B": "Las Palmas", "C": "El Cerro Grande", "D": "Rio Claro"}
    view.png(model, "poverty", lang, selected="A", governed=governed, large=large)
    corners = np.vstack([path.vertices for path in view.shapes.paths])
    low, high = corners.min(axis=0), corners.max(axis=0)
    span = high - low
    bottom, top = view.ax.get_ylim()
    assert span[1] / (top - bottom) > 0.8  # 0.65 with the port at its place
    port = view.shapes.market_xy[0]
    assert low[1] - 1.01 * MARKET_REACH * span.max() < port[1] < low[1]  # below the territory, within reach
    label = view.markets[0]
    assert label.get_visible() and label.get_text().endswith(ARROWS[6])  # "↓": it lies further south
    assert all(name.get_visible() for name in view.labels)
    assert figure_problems(view.figure) == []


def test_a_market_within_the_territorys_reach_stays_where_it_is():
    from territory_abm.output.maps import markets_within_reach
    from territory_abm.data.territory import load_territory
    from territory_abm.output.maps import territory_shapes

    example = ROOT / "calibration" / "data" / "example"
    shapes = territory_shapes(example)
    moved, arrows = markets_within_reach(shapes, load_territory(example).graph)
    np.testing.assert_array_equal(moved.market_xy, shapes.market_xy)
    assert arrows == ("",)
