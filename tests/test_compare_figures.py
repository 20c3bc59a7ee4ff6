"""The figures of `compare` (and of the report, which draws the same ones) can be read: no
overlapping text, nothing cut off, an A4-friendly size, colour-blind-safe colours with a
line style per scenario, and legends that name every colour and shape. Drawn from small
synthetic inputs shaped like compare's tables, with crowded cases (many scenarios with
long names, programmes that end early)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from territory_abm.experiments.compare import HORIZON, PROGRAMME_END  # noqa: E402
from territory_abm.experiments.plots import (  # noqa: E402
    SCENARIO_COLOURS,
    WIDTH,
    plot_differences,
    plot_scenario_bands,
    plot_typology_shares,
)
from territory_abm.outcomes import DIFFERENCES, GROUPS, SERIES, TYPE_COLOURS, TYPES  # noqa: E402
from territory_abm.output.figure_check import figure_problems  # noqa: E402

RNG = np.random.default_rng(7)
FEW = ["baseline", "cash_transfers", "roads"]
MANY = ["baseline", "cash_transfers", "roads", "policy_mix", "land_redistribution",
        "assistance_market_linkage_with_a_long_name", "environmental_governance"]
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def assert_readable(fig) -> None:
    problems = figure_problems(fig)
    assert not problems, "\n".join(problems)
    width, _ = fig.get_size_inches()
    assert width <= WIDTH <= 8.27 - 0.5  # fits across an A4 page with margins


def _legend_text(fig) -> str:
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return " ".join(t.get_text() for legend in legends for t in [legend.get_title(), *legend.get_texts()])


def _territory(scenarios):
    rows = []
    for k, s in enumerate(scenarios):
        for seed in (1, 2, 3):
            for year in range(2010, 2021):
                rows.append({"scenario": s, "seed": seed, "year": year,
                             **{name: 1000 * (1 + 0.01 * k * (year - 2010)) + RNG.normal(0, 20) for name in SERIES}})
    return pd.DataFrame(rows).assign(poverty_headcount=lambda d: d["poverty_headcount"] / 4000)


def _summary(scenarios, ending=("roads", "policy_mix")):
    rows = []
    for s in scenarios:
        for period, year in ((HORIZON, 2020), (PROGRAMME_END, 2016)):
            if period == PROGRAMME_END and s not in ending:
                continue
            for name in DIFFERENCES:
                d = 0.0 if s == scenarios[0] else RNG.normal(0, 50 if name == "mean_income_pc" else 0.02)
                rows.append({"scenario": s, "period": period, "year": year, "outcome": name, "mean": 1.0,
                             "q05": 1.0, "q95": 1.0, "diff_to_reference": d, "diff_q05": d - abs(d) - 0.001,
                             "diff_q95": d + abs(d) / 2})
    return pd.DataFrame(rows)


def _shares(scenarios):
    rows = []
    for s in scenarios:
        for group in GROUPS:
            share = RNG.dirichlet(np.ones(len(TYPES)))
            for t, v in zip(TYPES, share):
                rows.append({"scenario": s, "period": HORIZON, "group": group, "measure": "type", "category": t,
                             "share_of_units": v, "share_of_population": v})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("scenarios", [FEW, MANY])
def test_scenario_bands_are_readable_and_explain_lines_and_bands(tmp_path, scenarios):
    fig = plot_scenario_bands(_territory(scenarios), scenarios, tmp_path / "scenarios.png")
    assert (tmp_path / "scenarios.png").is_file()
    assert_readable(fig)
    legend = _legend_text(fig)
    assert all(s in legend for s in scenarios) and "band" in legend and "reference" in legend
    lines = [line for ax in fig.axes for line in ax.get_lines()]
    assert {mcolors.to_hex(line.get_color()).upper() for line in lines} <= OKABE_ITO
    first_panel = fig.axes[0].get_lines()
    assert len({str(line.get_linestyle()) for line in first_panel}) == min(len(scenarios), 4) or \
        len({(line.get_color(), str(line.get_dashes())) for line in first_panel}) == len(scenarios)


@pytest.mark.parametrize("scenarios", [FEW, MANY])
def test_scenario_bands_say_the_scale_of_their_totals(tmp_path, scenarios):
    """The adviser's trial (session 24, finding 8): compare's residents panel ran from 37,000 to
    43,000 at households_scale 0.25 (the whole territory: 148,000-170,000) and did not say so.
    A total's panel now names the scale below 1; shares and means do not, nor does a figure
    at full scale (the report's, of whole-territory totals)."""
    from territory_abm.output.figure_check import figure_problems

    fig = plot_scenario_bands(_territory(scenarios), scenarios, tmp_path / "scenarios.png", households_scale=0.25)
    assert not figure_problems(fig), figure_problems(fig)
    titles = {ax.get_title().replace("\n", " "): ax for ax in fig.axes if ax.get_title()}
    scaled = [t for t in titles if "households_scale 0.25" in t]
    assert len(scaled) == 1 and scaled[0].startswith("Residents, simulated territory")
    whole = plot_scenario_bands(_territory(scenarios), scenarios, tmp_path / "whole.png")
    assert not any("households_scale" in ax.get_title() for ax in whole.axes)


@pytest.mark.parametrize("scenarios", [FEW, MANY])
def test_differences_are_readable_and_explain_colours_hatching_and_intervals(tmp_path, scenarios):
    fig = plot_differences(_summary(scenarios), scenarios[0], tmp_path / "differences.png")
    assert_readable(fig)
    legend = _legend_text(fig)
    for word in (*scenarios[1:], "horizon", "hatched", "end of its programmes", "5-95 %", scenarios[0]):
        assert word in legend, word
    bars = [p for ax in fig.axes for p in ax.patches]
    assert {mcolors.to_hex(b.get_facecolor()).upper() for b in bars} <= OKABE_ITO
    ticks = " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    assert "roads (2016)" in ticks and "roads (2020)" in ticks  # both periods, year shown
    assert fig.axes[1].get_xlabel() == "difference (points)"  # shares drawn in percentage points


@pytest.mark.parametrize("scenarios", [FEW, MANY])
def test_typology_shares_are_readable_and_name_every_type_colour(tmp_path, scenarios):
    fig = plot_typology_shares(_shares(scenarios), tmp_path / "typology.png")
    assert_readable(fig)
    legend = _legend_text(fig)
    assert all(t in legend for t in TYPES) and "Colour" in legend
    bars = [p for ax in fig.axes for p in ax.patches]
    assert {mcolors.to_hex(b.get_facecolor()).lower() for b in bars} <= {c.lower() for c in TYPE_COLOURS.values()}
    # each panel counts its own group: the cities' panel is not "% of municipalities" (a newcomer's trial)
    labels = [ax.get_xlabel() for ax in fig.axes if ax.get_xlabel()]
    assert labels == ["% of rural municipalities", "% of intermediate cities", "% of municipalities and cities",
                      "% of population"]


def test_a_group_of_few_units_is_drawn_in_numbers_of_units(tmp_path):
    """Session 27 (an adviser's trial: the report's tables gave 2 cities as counts, its chart as
    % bars): a group of fewer than 10 units (``typology_shares.csv``'s ``group_units``) is drawn
    in numbers of its units, each bar adding up to them; the larger groups stay in %."""
    shares = _shares(FEW)
    units = shares["group"].map({"rural": 40, "cities": 2, "all": 42})
    shares = shares.assign(group_units=units, count_mean=shares["share_of_units"] * units,
                           count_low=0.0, count_high=units.astype(float))
    fig = plot_typology_shares(shares, tmp_path / "typology.png")
    assert_readable(fig)
    labels = [ax.get_xlabel() for ax in fig.axes if ax.get_xlabel()]
    assert labels == ["% of rural municipalities", "number of intermediate cities", "% of municipalities and cities",
                      "% of population"]
    cities = [ax for ax in fig.axes if ax.get_xlabel() == "number of intermediate cities"][0]
    assert cities.get_xlim() == (0.0, 2.0) and "the 2" in cities.get_title()
    ends = {}
    for bar in cities.patches:
        y = round(bar.get_y() + bar.get_height() / 2)
        ends[y] = max(ends.get(y, 0.0), bar.get_x() + bar.get_width())
    assert all(v == pytest.approx(2.0) for v in ends.values()) and len(ends) == len(FEW)


def test_scenario_colours_are_okabe_ito_without_yellow():
    assert set(SCENARIO_COLOURS) <= OKABE_ITO and "#F0E442" not in SCENARIO_COLOURS
    assert len(set(SCENARIO_COLOURS)) == len(SCENARIO_COLOURS)


def test_scenario_bands_of_an_outcome_that_hardly_moves_draw_flat_without_an_offset(tmp_path):
    """compare's forest panel read 0.00055-0.00085 under "+3.2456e1" and the reference line
    "plunged" by a few ten-thousandths of a point: a panel spans at least the outcome's least
    range (in % for shares) and writes its ticks without offset; so do the differences."""
    from territory_abm.outcomes import outcome

    territory = _territory(FEW)
    territory["forest_cover"] = 0.32456 + 1e-8 * RNG.random(len(territory))
    fig = plot_scenario_bands(territory, FEW, tmp_path / "scenarios.png")
    fig.canvas.draw()
    panel = next(ax for ax in fig.axes if ax.get_title().startswith("Forest"))
    low, high = panel.get_ylim()
    assert high - low >= 100 * outcome("forest_cover").least_span - 1e-9
    assert all(ax.yaxis.get_offset_text().get_text() == "" for ax in fig.axes if ax.axison)
    assert_readable(fig)
    summary = _summary(FEW)
    summary.loc[summary["outcome"] == "forest_cover", ["diff_to_reference", "diff_q05", "diff_q95"]] = 1e-12
    fig = plot_differences(summary, FEW[0], tmp_path / "differences.png")
    fig.canvas.draw()
    panel = next(ax for ax in fig.axes if ax.get_title().startswith("Forest"))
    low, high = panel.get_xlim()
    assert high - low >= 100 * outcome("forest_cover").least_span - 1e-9
    assert all(ax.xaxis.get_offset_text().get_text() == "" for ax in fig.axes if ax.axison)
    # said under the axis, so that short bars read as small, not as nothing (a fresh-clone trial,
    # session 54); a panel whose differences set its own range says nothing of it
    span = f"{100 * outcome('forest_cover').least_span:g}"
    assert panel.get_xlabel() == f"difference (points)\n(axis at least {span} points wide)"
    income = next(ax for ax in fig.axes if ax.get_title().startswith("Mean income"))
    assert income.get_xlabel() == "difference (USD/person/yr)"


def test_every_intervention_has_its_difference_map_on_one_colour_scale(tmp_path):
    """An adviser trial (session 27): compare's map.png and the report's map showed the first
    intervention alone. Each intervention now has its panel, named, on one colour scale (a
    unit's colour means the same difference in every panel), each with its own hatching where
    its interval over seeds includes no change; the figure is readable and fits a page."""
    from conftest import EXAMPLE
    from territory_abm.data.territory import load_territory
    from territory_abm.output.maps import comparison_map

    units = [i for i, k in zip(load_territory(EXAMPLE).ids, load_territory(EXAMPLE).kinds) if k != "market"]
    changes = {"cash": -0.06, "roads": -0.02, "land": 0.03}  # the first unit's change; the others noisy around 0
    rows = []
    for seed in range(1, 5):
        for k, unit in enumerate(units):
            rows.append({"scenario": "base", "seed": seed, "year": 2030, "node_id": unit, "poverty_headcount": 0.3})
            for name, change in changes.items():
                noise = 0.01 * (1 if (seed + k) % 2 else -1)
                rows.append({"scenario": name, "seed": seed, "year": 2030, "node_id": unit,
                             "poverty_headcount": 0.3 + (change if k == 0 else noise)})
    scenarios = [{"name": n, "territory": str(EXAMPLE)} for n in ["base", *changes]]
    fig = comparison_map(pd.DataFrame(rows), scenarios, "base", 2030, tmp_path / "map.png")
    maps = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in maps] == [f"{n} minus base, 2030" for n in changes]
    assert (tmp_path / "map.png").is_file()
    problems = figure_problems(fig)
    assert not problems, "\n".join(problems)
    assert fig.get_size_inches()[0] <= 8.27 - 0.5  # across an A4 page, as the report lays it out
    from territory_abm.report.text import map_title

    assert "Maps: poverty headcount at the horizon by municipality, each intervention minus the reference, one panel " \
        "per intervention on one colour scale" in map_title(3)
    assert map_title(1).startswith("Map: poverty headcount at the horizon by municipality, the intervention minus")
    first = []
    for ax in maps:  # the first unit's colour, and the units hatched: all but the first (its change is clear)
        faces, hatched = (c for c in ax.collections if not c.get_hatch()), [c for c in ax.collections if c.get_hatch()]
        first.append(next(faces).get_facecolors()[0])
        assert len(hatched) == 1 and len(hatched[0].get_paths()) == len(units) - 1
    bar = [ax for ax in fig.axes if ax not in maps and ax.get_xlim()[0] < 0 < ax.get_xlim()[1]
           or ax not in maps and ax.get_ylim()[0] < 0 < ax.get_ylim()[1]]
    assert len(bar) == 1  # one colour bar for every panel, from the largest difference
    assert max(abs(x) for x in (*bar[0].get_xlim(), *bar[0].get_ylim())) == pytest.approx(6.0)
    cmap, norm = matplotlib.colormaps["PuOr"], mcolors.Normalize(-6.0, 6.0)
    for colour, change in zip(first, changes.values()):  # -6 points is the scale's end in its panel and no other
        assert np.allclose(colour, cmap(norm(100 * change)), atol=0.02)  # 256 colours: a bin either side
