"""Every figure that run, sensitivity and calibrate write can be read: no two pieces of text
overlap, none is cut off at the figure's edge, and the figure has the shape of a page or a
slide. The figures are drawn from small synthetic inputs shaped like the commands' own, with
deliberately crowded cases (points piled up near the origin, long names, many
municipalities); the checker itself is tested on figures that are known to be bad."""

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from territory_abm.calibration.plots import plot_fit, plot_posterior, plot_predictive  # noqa: E402
from territory_abm.calibration.report import PREDICTED  # noqa: E402
from territory_abm.outcomes import SERIES, TYPE_COLOURS, TYPES  # noqa: E402
from territory_abm.output.figure_check import figure_problems, hide_colliding  # noqa: E402
from territory_abm.output.plots import plot_network, plot_territory  # noqa: E402
from territory_abm.sensitivity import METHODS  # noqa: E402
from territory_abm.sensitivity.plots import plot_indices  # noqa: E402

RNG = np.random.default_rng(3)
PARAMETERS = ["farm_land_elasticity", "natural_capital_elasticity", "transport_cost_per_hour", "intermediary_margin",
              "clearing_propensity", "consumption_share", "local_ownership_share", "migration_income_weight",
              "migration_stay_preference", "wage_adjustment", "firm_entry_rate", "national_transfer_pc"]
OUTCOMES = ["income_growth_log", "poverty_headcount", "gini_income", "forest_change", "net_migration_rate",
            "win_win_win_share"]
MUNICIPALITIES = [f"M{k:02d}" for k in range(1, 13)] + ["C1", "C2"]


def assert_readable(fig) -> None:
    problems = figure_problems(fig)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the checker
def test_the_checker_finds_overlapping_text_text_outside_and_strips():
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.text(0.5, 0.5, "first label")
    ax.text(0.52, 0.51, "second label")
    ax.set_title("a title that runs off the right edge of the figure " * 3, loc="left")
    problems = figure_problems(fig)
    assert any("overlapping text" in p and "first label" in p and "second label" in p for p in problems)
    assert any("outside the figure" in p for p in problems)
    strip = plt.figure(figsize=(20, 3.2))
    assert any("times as wide" in p for p in figure_problems(strip))
    clean, ax = plt.subplots(figsize=(6, 4), constrained_layout=True)
    ax.plot([0, 1], [0, 1], label="line")
    ax.legend()
    ax.set_title("fine")
    assert figure_problems(clean) == []
    plt.close("all")


def test_the_checker_ignores_hidden_axes_and_ticks_outside_the_view():
    fig, axes = plt.subplots(1, 2, figsize=(6, 4), constrained_layout=True)
    axes[1].text(0.5, 0.5, "hidden")
    axes[1].text(0.5, 0.5, "hidden too")
    axes[1].set_visible(False)
    axes[0].set_xlim(0.2, 0.8)  # the locator's ticks at 0 and 1 are not drawn
    assert figure_problems(fig) == []
    plt.close(fig)


def test_hide_colliding_keeps_the_first_label_and_hides_the_one_on_top_of_it():
    fig, ax = plt.subplots(figsize=(6, 4))
    first = ax.annotate("important", (0.5, 0.5))
    second = ax.annotate("less important", (0.5, 0.5))
    apart = ax.annotate("elsewhere", (0.1, 0.9))
    kept = hide_colliding(fig, [first, second, apart])
    assert kept == [first, apart] and not second.get_visible()
    assert figure_problems(fig) == []
    plt.close(fig)


# ---------------------------------------------------------------- run figures
def test_territory_figure_is_readable_and_says_its_axes_do_not_start_at_zero(tmp_path):
    years = np.arange(2010, 2031)
    territory = pd.DataFrame({"year": years, **{name: 1000 + 50 * RNG.random(len(years)) for name in SERIES}})
    fig = plot_territory(territory, tmp_path / "territory.png", "baseline")
    assert (tmp_path / "territory.png").is_file()
    assert_readable(fig)
    labels = [ax.get_ylabel() for ax in fig.axes if ax.get_visible()]
    assert len(labels) == len(SERIES) and all("does not start at 0" in label for label in labels)
    starting_at_zero = territory.assign(**{name: np.linspace(0, 1, len(years)) for name in SERIES})
    fig = plot_territory(starting_at_zero, tmp_path / "zero.png", "from zero")
    assert not any("does not start at 0" in ax.get_ylabel() for ax in fig.axes)


def test_a_panel_of_a_series_moving_by_rounding_noise_draws_flat_and_without_an_offset(tmp_path):
    """A user's forest cover moved by 7e-9 over the run: its panel read "1e-8+3.24528e-1" and
    drew a sharp fall. A panel spans at least the outcome's least range (steps of its last
    shown decimal) and writes its ticks out in full."""
    from territory_abm.outcomes import outcome
    from territory_abm.output.plots import outcome_axis

    fig, ax = plt.subplots()
    ax.plot(np.arange(2010, 2031), 0.3245 + 1e-8 * np.sin(np.arange(21.0)))
    outcome_axis(ax, "forest_cover")
    fig.canvas.draw()
    low, high = ax.get_ylim()
    assert high - low >= outcome("forest_cover").least_span - 1e-12
    assert low < 0.3245 < high
    assert ax.yaxis.get_offset_text().get_text() == ""
    assert not any("e" in tick.get_text().lower() for tick in ax.get_yticklabels())
    plt.close(fig)

    years = np.arange(2010, 2031)
    flat = pd.DataFrame({"year": years, **{name: 1000 + 50 * RNG.random(len(years)) for name in SERIES}})
    flat["forest_cover"] = 0.3245 + 1e-8 * np.sin(np.arange(len(years)))
    fig = plot_territory(flat, tmp_path / "territory.png", "flat forest")
    panel = next(ax for ax in fig.axes if ax.get_title().startswith("Forest"))
    fig.canvas.draw()
    low, high = panel.get_ylim()
    assert high - low >= outcome("forest_cover").least_span - 1e-12
    assert all(ax.yaxis.get_offset_text().get_text() == "" for ax in fig.axes if ax.get_visible())
    assert_readable(fig)


def _network(n_municipalities: int):
    graph = nx.Graph()
    graph.add_node("X1", kind="market")
    for c in ("C1", "C2"):
        graph.add_node(c, kind="city")
        graph.add_edge(c, "X1", travel_time=4.0 + RNG.random())
    graph.add_edge("C1", "C2", travel_time=2.5)
    ids = [f"M{k:02d}" for k in range(1, n_municipalities + 1)]
    for k, node in enumerate(ids):
        graph.add_node(node, kind="municipality")
        graph.add_edge(node, ("C1", "C2")[k % 2], travel_time=0.3 + 3 * RNG.random())
    nodes = ids + ["C1", "C2", "X1"]
    types = pd.DataFrame({"node_id": nodes, "type": [TYPES[k % len(TYPES)] for k in range(len(nodes) - 1)] + [""],
                          "population_end": list(500 + 3000 * RNG.random(len(nodes) - 1)) + [np.nan]})
    return graph, types


@pytest.mark.parametrize("n", [12, 30])
def test_network_figure_is_readable_and_explains_colour_shape_size_and_lines(tmp_path, n):
    graph, types = _network(n)
    fig = plot_network(graph, types, tmp_path / "network.png", "baseline: municipal typology 2010-2030")
    assert_readable(fig)
    legend_text = " ".join(t.get_text() for legend in fig.axes[1].artists for t in legend.get_texts())
    for word in ("Colour", "Shape", "Size", "travel time", "intermediate city", "external market", *TYPE_COLOURS):
        assert word in legend_text, word
    # each section's heading is bold text, not mathtext (whose font lookups warned 21 times a run
    # where matplotlib's font cache was stale)
    texts = [t for legend in fig.axes[1].artists for t in legend.get_texts()]
    headings = [t.get_text() for t in texts if t.get_fontweight() == "bold"]
    assert headings == ["Colour: type of the period", "Shape: kind of node", "Size: residents at the end",
                        "Line: travel time"]
    assert not any("$" in t.get_text() for t in texts)
    # nodes do not sit on each other: centres at least two node radii apart on the page
    ax = fig.axes[0]
    centres = np.vstack([ax.transData.transform(c.get_offsets()) for c in ax.collections
                         if isinstance(c, matplotlib.collections.PathCollection)])
    gaps = np.hypot(*(centres[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() > 12  # pixels at 100 dpi: the smallest nodes are about 14 px across


# ---------------------------------------------------------------- sensitivity figures
def _morris_table(piled_up: bool) -> pd.DataFrame:
    rows = []
    for outcome in OUTCOMES:
        for k, name in enumerate(PARAMETERS):
            mu_star = 1e-4 * RNG.random() if piled_up and k > 1 else RNG.random() * (k + 1) / 10
            sigma = mu_star * (0.5 + RNG.random())
            conf = mu_star * 2.0  # wide intervals: they would reach below zero unclipped
            rows += [{"outcome": outcome, "method": "morris", "parameter": name, "parameter_2": "", "index": index,
                      "value": value, "conf": conf if index == "mu_star" else np.nan}
                     for index, value in (("mu", mu_star), ("mu_star", mu_star), ("sigma", sigma))]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("piled_up", [False, True])
def test_morris_figure_is_readable_and_its_mu_star_intervals_stop_at_zero(tmp_path, piled_up):
    fig = plot_indices(_morris_table(piled_up), METHODS["morris"], 0.95, tmp_path / "indices.png",
                       title="Morris elementary effects: baseline, 130 points x 2 seeds (95 % intervals)")
    assert_readable(fig)
    for ax in fig.axes:
        assert ax.get_xlim()[0] == 0 and ax.get_ylim()[0] == 0
        for line in ax.get_lines():
            assert np.nanmin(line.get_xdata()) >= 0
        for collection in ax.collections:  # the error bars' segments
            for segment in getattr(collection, "get_segments", lambda: [])():
                assert segment[:, 0].min() >= 0
    legend_text = " ".join(t.get_text() for legend in fig.legends for t in legend.get_texts())
    assert "clipped at 0" in legend_text


def test_a_figure_is_checked_at_the_resolution_it_is_written(tmp_path):
    """The figure a plot function returns (and the tests check) is the one written: drawn at 100
    dpi and written at 110, the Morris figure's labels, cleared of overlaps at 100, overlapped
    tick labels and each other in the file (a newcomer's trial, 2026-12-03)."""
    from matplotlib.image import imread

    from territory_abm.output.plots import DPI

    path = tmp_path / "indices.png"
    fig = plot_indices(_morris_table(True), METHODS["morris"], 0.95, path, title="Morris elementary effects")
    assert fig.dpi == DPI
    height, width = imread(path).shape[:2]
    assert (width, height) == tuple(round(v * DPI) for v in fig.get_size_inches())
    assert_readable(fig)
    # a point label stays inside its panel (below the x axis it read as a tick label)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    for ax in fig.axes:
        x0, y0, x1, y1 = ax.get_window_extent(renderer).extents
        for label in ax.texts:
            if label.get_visible() and hasattr(label, "xyann"):
                e = label.get_window_extent(renderer).extents
                assert x0 - 1 <= e[0] and e[2] <= x1 + 1 and y0 - 1 <= e[1] and e[3] <= y1 + 1, label.get_text()


# a quick Morris try's panels (newcomer's trial, 2026-12-03): (parameter, mu*, sigma, mu* interval)
TRIAL_PANELS = {
    "gini_income": [("clearing_propensity", 0.0012, 0.0017, 0.0003), ("consumption_share", 0.0132, 0.0187, 0.0001),
                    ("farm_land_elasticity", 0.002, 0.0004, 0.0004), ("firm_entry_rate", 0.0048, 0.0067, 0.0064),
                    ("intermediary_margin", 0.001, 0.0015, 0.0014), ("local_ownership_share", 0.0118, 0.005, 0.0047),
                    ("migration_income_weight", 0.115, 0.0598, 0.0579),
                    ("migration_stay_preference", 0.1374, 0.0017, 0.0017), ("national_transfer_pc", 0.002, 0.0012, 0.0012),
                    ("natural_capital_elasticity", 0.0002, 0.0003, 0.0003),
                    ("transport_cost_per_hour", 0.0118, 0.0167, 0.0098), ("wage_adjustment", 0.0001, 0.0001, 0.0001)],
    "net_migration_rate": [("clearing_propensity", 0.0001, 0.0001, 0.0001), ("consumption_share", 0.0001, 0.0002, 0.0002),
                           ("farm_land_elasticity", 0.0004, 0.0005, 0.0005), ("firm_entry_rate", 0.0, 0.0, 0.0),
                           ("intermediary_margin", 0.0004, 0.0006, 0.0006),
                           ("local_ownership_share", 0.0003, 0.0002, 0.0002),
                           ("migration_income_weight", 0.0518, 0.03, 0.029),
                           ("migration_stay_preference", 0.1091, 0.0405, 0.0405),
                           ("national_transfer_pc", 0.0016, 0.0022, 0.0004), ("natural_capital_elasticity", 0.0, 0.0, 0.0),
                           ("transport_cost_per_hour", 0.0007, 0.0009, 0.0003), ("wage_adjustment", 0.0, 0.0, 0.0)]}


def test_morris_point_labels_stay_inside_their_panels(tmp_path):
    """A point on the x axis had its label nudged below it, between the axis and the tick
    labels, where it read as one of them (a quick Morris try's gini_income panel)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rows = [{"outcome": outcome, "method": "morris", "parameter": name, "parameter_2": "", "index": index,
             "value": value, "conf": conf if index == "mu_star" else np.nan, "unit": "1 per parameter range"}
            for outcome, panel in TRIAL_PANELS.items() for name, mu, sigma, conf in panel
            for index, value in (("mu_star", mu), ("sigma", sigma))]
    fig = plot_indices(pd.DataFrame(rows), METHODS["morris"], 0.95, tmp_path / "indices.png", title="Morris")
    assert_readable(fig)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    shown = 0
    for ax in fig.axes:
        x0, y0, x1, y1 = ax.get_window_extent(renderer).extents
        for label in ax.texts:
            if label.get_visible() and hasattr(label, "xyann"):
                shown += 1
                e = label.get_window_extent(renderer).extents
                assert x0 - 1 <= e[0] and e[2] <= x1 + 1 and y0 - 1 <= e[1] and e[3] <= y1 + 1, label.get_text()
    assert shown >= 6


def test_sobol_bars_figure_is_readable(tmp_path):
    rows = [{"outcome": outcome, "method": "sobol", "parameter": name, "parameter_2": "", "index": index,
             "value": RNG.random() / 2, "conf": 0.1}
            for outcome in OUTCOMES[:5] for name in PARAMETERS[:6] for index in ("S1", "ST")]
    fig = plot_indices(pd.DataFrame(rows), METHODS["sobol"], 0.95, tmp_path / "indices.png", title="Sobol indices")
    assert_readable(fig)


def test_sobol_bars_with_intervals_too_wide_to_read_keep_the_shares_axis(tmp_path):
    """A tiny design's Gini S1 of +-9,577 (researcher trial) squeezed every bar of its panel to
    a line on a +-10,000 axis: such a panel keeps the shares' axis and says its intervals are cut;
    a readable panel beside it keeps its own axis."""
    from territory_abm.sensitivity.plots import SHARE_AXIS

    rows = [{"outcome": outcome, "method": "sobol", "parameter": name, "parameter_2": "", "index": index,
             "value": RNG.random() / 2, "conf": 9577.0 if outcome == OUTCOMES[0] and name == PARAMETERS[0] else 0.1}
            for outcome in OUTCOMES[:4] for name in PARAMETERS[:6] for index in ("S1", "ST")]
    fig = plot_indices(pd.DataFrame(rows), METHODS["sobol"], 0.95, tmp_path / "indices.png", title="Sobol indices")
    wide, narrow = fig.axes[0], fig.axes[1]
    assert wide.get_xlim() == SHARE_AXIS and narrow.get_xlim() != SHARE_AXIS
    assert any("cut at the axis" in t.get_text() for t in wide.texts)
    assert not any("cut at the axis" in t.get_text() for t in narrow.texts)
    assert_readable(fig)


# ---------------------------------------------------------------- calibration figures
def _design(d: int, municipalities: list[str]):
    names = PARAMETERS[:d]
    observed = pd.DataFrame({name: 1000 * RNG.random(len(municipalities)) for name in PREDICTED},
                            index=municipalities)
    obs = SimpleNamespace(start_year=2010, end_year=2020, start=observed * 0.9, end=observed,
                          dates=(2010, 2020), frames={2010: observed * 0.9, 2020: observed},
                          municipalities=municipalities)
    return SimpleNamespace(name="example", parameters=tuple(names), bounds=tuple((0.0, 1.0) for _ in names),
                           observations=obs)


def _fit(d: int):
    draws = RNG.random((60, d))
    return SimpleNamespace(method="abc_smc", estimate=draws.mean(axis=0), draws=draws, weights=np.full(60, 1 / 60))


@pytest.mark.parametrize("d", [1, 2, 4])
def test_posterior_figure_is_readable(tmp_path, d):
    fig = plot_posterior(_design(d, MUNICIPALITIES), _fit(d), tmp_path / "posterior.png")
    assert_readable(fig)


def test_fit_figure_is_readable_with_many_municipalities_close_together(tmp_path):
    rows = []
    for statistic in ("income_growth_log", "poverty_change", "population_growth", "sd:income_growth_log"):
        territory_level = statistic.startswith("sd:")
        for m in ([""] if territory_level else MUNICIPALITIES):
            observed = 0.1 + 0.01 * RNG.random()  # piled up: labels would collide
            rows.append({"statistic": statistic, "municipality": m, "observed": observed,
                         "simulated": observed + 0.005 * RNG.standard_normal(),
                         "predictive_low": observed - 0.02, "predictive_high": observed + 0.02})
    fig = plot_fit(pd.DataFrame(rows), 0.9, tmp_path / "fit.png")
    assert_readable(fig)


def test_predictive_figure_is_readable(tmp_path):
    design = _design(2, MUNICIPALITIES)
    rows = [{"draw": draw, "year": year, "node_id": m, **{name: 1000 * RNG.random() for name in PREDICTED}}
            for draw in range(5) for year in range(2010, 2021) for m in MUNICIPALITIES]
    fig = plot_predictive(design, pd.DataFrame(rows), 0.9, tmp_path / "predictive.png")
    assert_readable(fig)


def test_patterns_figure_is_readable_and_draws_the_convergence_slopes(tmp_path):
    from territory_abm.ensemble import statistics as st
    from territory_abm.ensemble.patterns import evaluate, load_patterns
    from territory_abm.ensemble.plots import plot_patterns
    from territory_abm.outcomes import STATISTICS

    n = 300
    log_income = np.log(RNG.uniform(1200, 3000, n))
    units = pd.DataFrame({
        "territory": [f"t{k % 30:04d}" for k in range(n)], "replicate": np.arange(n) // 150,
        "kind": np.where(np.arange(n) % 15 == 0, "city", "municipality"), "has_city": np.arange(n) % 2,
        "log_income_start": log_income, "gini_change": RNG.normal(-0.01, 0.02, n),
        "income_gini": RNG.uniform(0.46, 0.52, n),
        "income_growth_log": 0.3 - 0.036 * log_income + RNG.normal(0, 0.005, n),
        "income_growth_total": RNG.normal(0.2, 0.1, n), "poverty_change_relative": RNG.normal(-0.2, 0.1, n),
        "net_migration_rate": RNG.normal(-0.01, 0.005, n),
        "win_win_win": RNG.integers(0, 2, n), "type": RNG.choice(TYPES, n)})
    runs = units.drop_duplicates(["territory", "replicate"])[["territory", "replicate", "has_city"]]
    territories = pd.DataFrame({"territory": runs["territory"], "replicate": runs["replicate"],
                                "city_present": runs["has_city"],
                                **{f"territory_{k}": RNG.normal(0.0, 0.01, len(runs)) for k in STATISTICS}})
    result = evaluate(load_patterns("experiments/rtd_patterns.toml"), units, territories=territories)
    assert set(result["units"]) >= {"territory", "all"}  # the city patterns pool whole territories
    fig = plot_patterns(result, units, tmp_path / "patterns.png")
    assert_readable(fig)
    converge = fig.axes[2]
    assert converge.get_title().startswith("Convergence")
    slopes = [line for line in converge.get_lines() if "slope" in line.get_label()]
    assert len(slopes) == 2  # simulated and observed
    x, y = slopes[0].get_data()
    assert (y[1] - y[0]) / (x[1] - x[0]) / 100 == pytest.approx(st.slope(log_income, units["income_growth_log"]))


def test_fit_figure_of_one_pattern_is_readable(tmp_path):
    """A calibration to patterns may have a single target and no municipalities."""
    rows = pd.DataFrame([{"statistic": "forest", "municipality": "", "observed": -0.1, "simulated": -0.1003,
                          "predictive_low": -0.123, "predictive_high": -0.083}])
    fig = plot_fit(rows, 0.9, tmp_path / "fit.png")
    assert_readable(fig)
    assert "municipalities" not in fig.get_suptitle()


def test_the_largest_effect_keeps_its_label_and_each_label_a_line_to_its_point(tmp_path):
    """A researcher's trial (session 24): the parameter of the largest mu*, its point at sigma 0
    on the right, lost its label to the note in the panel's corner, and labels nudged off a
    cluster floated with nothing tying them to a point. The note sits top left and every point
    label draws a leader line."""
    rows = []
    for k, name in enumerate(PARAMETERS):
        mu_star = 1.0 if k == 0 else 0.01 * k  # the largest at sigma 0, the rest piled at the origin
        sigma = 0.0 if k == 0 else mu_star
        rows += [{"outcome": "gini_income", "method": "morris", "parameter": name, "parameter_2": "", "index": index,
                  "value": value, "conf": 0.1 if index == "mu_star" else np.nan}
                 for index, value in (("mu", mu_star), ("mu_star", mu_star), ("sigma", sigma))]
    fig = plot_indices(pd.DataFrame(rows), METHODS["morris"], 0.95, tmp_path / "indices.png", title="Morris")
    assert_readable(fig)
    labels = [t for t in fig.axes[0].texts if hasattr(t, "xyann")]
    largest = next(t for t in labels if t.get_text() == PARAMETERS[0])
    assert largest.get_visible()
    assert all(t.arrow_patch is not None for t in labels)
