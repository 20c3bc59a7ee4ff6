"""Levers that mean what they say (issue 17, item 4), without a browser: the functions the
dashboard's panels call, applied to a group's model, give the same run as a scenario file with
the same settings run by ``territory-abm run``; a lever switched on from the dashboard runs its
declared years and then stops (its cost too); the "Where" a lever applies to is the one its menu
shows, also after Reset; the sliders keep the defaults and the scenario's values exactly."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS

from territory_abm import TerritoryModel
from territory_abm.cli import main
from territory_abm.dashboard import app
from territory_abm.dashboard.controls import (
    LEVER_FIELDS,
    LEVER_YEARS,
    PARAMETERS,
    field_range,
    on_slider,
    parameter_range,
)
from territory_abm.dashboard.groups import GroupStore
from territory_abm.output import tables
from territory_abm.params import REGISTRY
from territory_abm.runner import simulate
from territory_abm.scenarios.levers import LEVERS
from territory_abm.scenarios.loader import load_scenario

EXERCISE = SCENARIOS / "classroom" / "poverty_and_transfers.toml"
STEPS = 7


def _store(steps: int = STEPS) -> GroupStore:
    scenario = load_scenario(EXERCISE).replace(steps=steps)
    return GroupStore(lambda seed, **parameters: TerritoryModel(scenario, seed=seed, **parameters), seed=scenario.seed)


def _edge_time(model, a: str, b: str) -> float:
    return model.graph.edges[a, b]["travel_time"]


def test_dashboard_settings_and_a_scenario_file_give_identical_tables(tmp_path):
    store = _store()
    with store.use("equal") as g:
        # what a group does on its page before the first step ...
        app.set_parameter(g, "transport_cost_per_hour", 0.03)
        app.set_target(g, "roads", "C")
        app.set_field(g, "roads", "budget", 400000.0)
        app.apply(g, "roads", True)
        app.set_field(g, "cash_transfer", "amount", 400.0)
        app.set_field(g, "cash_transfer", "coverage", 0.5)
        app.set_years(g, "cash_transfer", 4)
        app.apply(g, "cash_transfer", True)
        g.model.step()
        g.model.step()
        # ... and in its second year: assistance for Alto Verde for 3 years
        app.set_target(g, "technical_assistance", "A")
        app.set_years(g, "technical_assistance", 3)
        app.apply(g, "technical_assistance", True)
        for _ in range(STEPS - 2):
            g.model.step()
        dashboard = g.model
    territory, nodes = tables.territory_table(dashboard), tables.node_table(dashboard)
    assert territory["policy_cost"].iloc[1:5].gt(0).all()  # the levers did something

    data = (Path(__file__).parents[1] / "calibration" / "data" / "classroom").resolve()
    scenario = tmp_path / "same.toml"
    scenario.write_text(f"""name = "same"
territory = "{data}"
start_year = 2020
steps = {STEPS}
seed = 7
[parameters]
transport_cost_per_hour = 0.03
[[policies]]
lever = "roads"
start = 2021
end = 2025
target = ["C"]
budget = 400000.0
[[policies]]
lever = "cash_transfer"
start = 2021
end = 2024
amount = 400.0
coverage = 0.5
[[policies]]
lever = "technical_assistance"
start = 2023
end = 2025
target = ["A"]
""")
    assert main(["run", str(scenario), "--out", str(tmp_path / "out"), "--quiet", "--no-plots"]) == 0
    ran = pd.read_csv(tmp_path / "out" / "territory.csv")
    ran_nodes = pd.read_csv(tmp_path / "out" / "municipalities.csv")
    # the run's tables have a cost column per policy of the file (cost_roads, ...); the levers
    # switched on from the page get theirs in the territory's table when they are set
    # (cost_live:roads, ...), not in the municipalities' (their rows keep the start's layout)
    levers = ("roads", "cash_transfer", "technical_assistance")
    territory = territory.rename(columns={f"cost_live:{lever}": f"cost_{lever}" for lever in levers})
    assert set(ran.columns) == set(territory.columns)
    assert set(ran_nodes.columns) - set(nodes.columns) == {"cost_roads", "cost_cash_transfer",
                                                           "cost_technical_assistance"}
    tables.write_csv(territory, tmp_path / "dashboard_territory.csv")
    tables.write_csv(nodes, tmp_path / "dashboard_nodes.csv")
    # identical numbers, as written to CSV (10 significant digits) and as computed
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "dashboard_territory.csv"), ran[territory.columns])
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "dashboard_nodes.csv"), ran_nodes[nodes.columns])
    result = simulate(load_scenario(scenario))
    pd.testing.assert_frame_equal(territory, result.territory[territory.columns], check_exact=True)
    pd.testing.assert_frame_equal(nodes, result.nodes[nodes.columns], check_exact=True)


def test_roads_switched_on_from_the_dashboard_cut_travel_time_over_their_years_and_then_stop():
    store = _store(steps=8)
    with store.use("roads") as g:
        app.set_target(g, "roads", "C")
        before = _edge_time(g.model, "C", "A")
        app.apply(g, "roads", True)
        assert app.read_view(g).levers["roads"].end == 2020 + LEVER_YEARS["roads"]
        assert app.read_view(g).levers["roads"].start == 2021  # the panel shows "(2021-...)": trial 24's
        # group switched a lever on during Play at the 2028 shown and read "from the next year" as 2029
        costs, times = [], []
        for _ in range(7):
            g.model.step()
            costs.append(g.model.territory_stats["policy_cost"])
            times.append(_edge_time(g.model, "C", "A"))
        years = LEVER_YEARS["roads"]
        # works over the lever's years (not over 500 years), which decay once no longer maintained
        assert all(b < a for a, b in zip([before] + times[:years - 1], times[:years]))
        assert times[years] > times[years - 1]
        assert all(c > 0 for c in costs[:years]) and all(c == 0 for c in costs[years:])
        view = app.read_view(g).levers["roads"]
        assert not view.on and view.end is None  # the switch shows the works are over
        assert view.ran == (2021, 2020 + years)  # and when they ran


def test_a_lever_off_in_its_last_paid_year_says_when_it_ran():
    """A trainer's trial (session 54): a 3-year transfer showed its switch off, with no years, in
    its third year, which it paid; the panel now says it ran (its years), and says nothing of a
    lever switched on and off before any year ran."""
    store = _store(steps=6)
    with store.use("ran") as g:
        app.set_years(g, "cash_transfer", 3)
        app.apply(g, "cash_transfer", True)
        for year in (2021, 2022):
            g.model.step()
            view = app.read_view(g).levers["cash_transfer"]
            assert view.on and (view.start, view.end, view.ran) == (2021, 2023, None), year
        g.model.step()  # 2023: its last year, paid
        assert g.model.territory_stats["policy_cost"] > 0
        view = app.read_view(g).levers["cash_transfer"]
        assert not view.on and view.ran == (2021, 2023)
        app.apply(g, "roads", True)
        app.apply(g, "roads", False)  # never ran
        assert app.read_view(g).levers["roads"].ran is None
        assert app.ran_policy(g.model, "roads") is None and app.ran_policy(g.model, "technical_assistance") is None


def test_changing_a_running_lever_keeps_its_start_and_years():
    store = _store(steps=4)
    with store.use("change") as g:
        app.apply(g, "roads", True)
        g.model.step()
        app.set_field(g, "roads", "budget", 600_000.0)  # in its first year: same works, more money
        policy = app.live_policy(g.model, "roads")
        assert (policy.start, policy.end, policy.values["budget"]) == (2021, 2025, 600_000.0)
        app.set_years(g, "roads", 1)  # its one year is over: it stops
        assert app.live_policy(g.model, "roads") is None


def test_the_target_applied_after_reset_is_the_one_the_menu_shows():
    store = _store(steps=3)
    with store.use("reset") as g:
        app.set_target(g, "cash_transfer", "C")
        app.apply(g, "cash_transfer", True)
    store.reset("reset")
    with store.use("reset") as g:
        view = app.read_view(g)
        assert not view.levers["cash_transfer"].on
        shown = view.levers["cash_transfer"].target
        app.apply(g, "cash_transfer", True)
        g.model.step()
        costs = dict(zip(g.model.territory.ids, np.nan_to_num(g.model.node_stats["policy_cost"])))
    paid = {node for node, cost in costs.items() if cost > 0}
    assert paid == ({"A", "B", "C", "D", "T"} if shown == "all" else {shown})


@pytest.mark.parametrize(("name", "default", "moved"), [("transport_cost_per_hour", 0.02, 0.0199),
                                                     ("intermediary_margin", 0.3, 0.297)])
def test_the_slider_check_follows_the_browsers_rounding(name, default, moved):
    spec = REGISTRY[name]
    old_step = (spec.high - spec.low) / 100  # the page's former steps moved these defaults on opening
    assert not on_slider(default, spec.low, spec.high, old_step)
    assert on_slider(moved, spec.low, spec.high, old_step)
    low, high, step = parameter_range(name)
    assert on_slider(default, low, high, step)


def test_every_slider_keeps_its_default_and_the_exercises_values_exactly():
    for lever, fields in LEVER_FIELDS.items():
        for field in fields:
            low, high, step = field_range(lever, field)
            assert step is not None and on_slider(LEVERS[lever][field].default, low, high, step), (lever, field)
            assert (high - low) / step <= 1000  # still a slider one can move with the keys
    for path in sorted((SCENARIOS / "classroom").glob("*.toml")):
        params = load_scenario(path).parameters
        for name in PARAMETERS:
            low, high, step = parameter_range(name, params[name])
            assert step is not None, (path.name, name)
            assert on_slider(REGISTRY[name].default, low, high, step) and on_slider(params[name], low, high, step)
