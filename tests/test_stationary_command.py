"""``territory-abm stationary``: a scenario's stationary version (no policy, context drivers at 0,
the birth rate that holds the population, solved over seeds) and its own drift (issue 12: a
baseline that moves only for declared reasons, for any territory, not only the example's)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS

from territory_abm import load_scenario
from territory_abm.cli import main
from territory_abm.experiments import stationary


class AnalyticRunner(stationary.Runner):
    """The solver's known answers: a population change given as a function of the birth rate."""

    def __init__(self, change, steps: int = 20):
        self.change = change
        self.scenario = load_scenario(SCENARIOS / "stationary.toml").replace(steps=steps)

    def population_change(self, birth_rate: float) -> float:
        return self.change(birth_rate)


@pytest.mark.parametrize("root", [0.004 + 1e-4, 0.0118, 0.0213, 0.0399])
def test_the_solver_finds_the_rate_where_the_population_holds(root):
    """A smooth change (the population's growth compounds at births less losses) and one in
    steps (births are drawn at a finite scale): the rate is found to the tolerance anywhere in
    the registry's range, whatever the scenario's own rate."""
    smooth = AnalyticRunner(lambda b: np.expm1(20 * (b - root)))
    found = stationary.solve_births(smooth)
    assert found.birth_rate == pytest.approx(root, abs=stationary.BIRTH_TOLERANCE)
    assert abs(found.population_change) < 20 * stationary.BIRTH_TOLERANCE
    stepped = AnalyticRunner(lambda b: 0.01 * np.floor((b - root) / 0.0004 + 0.5))
    found = stationary.solve_births(stepped)
    assert abs(found.birth_rate - root) <= 0.0002 + stationary.BIRTH_TOLERANCE


@pytest.mark.parametrize("change, where", [(lambda b: 0.05, "grows"), (lambda b: -0.05, "falls")])
def test_a_population_no_birth_rate_holds_is_an_error(change, where):
    with pytest.raises(ValueError, match="no birth rate in 0.004-0.04 holds the population"):
        stationary.solve_births(AnalyticRunner(change))


def test_flat_removes_the_policies_and_holds_the_drivers_of_change():
    roads = load_scenario(SCENARIOS / "roads.toml")
    assert roads.policies and roads.parameters.national_income_growth != 0
    flat = stationary.flat(roads)
    assert flat.policies == ()
    assert all(flat.parameters[d] == 0.0 for d in stationary.FLAT_DRIVERS)
    assert flat.parameters.death_rate == roads.parameters.death_rate
    assert flat.parameters.wage_pass_through == roads.parameters.wage_pass_through


def test_the_command_writes_a_scenario_that_gives_the_runs_it_was_solved_on(tmp_path, capsys):
    """Migration all but off (a stay preference of 10): births need only replace deaths, so the
    solved rate is near the death rate; the file it writes loads, has no policy and flat
    drivers, and its runs on the same seeds hold the population as the solver's did."""
    out = tmp_path / "mine" / "stationary.toml"
    argv = ["stationary", str(SCENARIOS / "roads.toml"), "--seeds", "2", "--steps", "5", "--households-scale", "0.05",
            "--set", "migration_stay_preference=10", "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "birth rate" in printed and "poverty_headcount" in printed and f"wrote {out}" in printed
    written = load_scenario(out)
    assert written.policies == () and written.steps == 5 and written.households_scale == 0.05
    assert written.parameters.migration_stay_preference == 10.0
    assert all(written.parameters[d] == 0.0 for d in stationary.FLAT_DRIVERS)
    assert written.parameters.birth_rate == pytest.approx(written.parameters.death_rate, abs=0.002)
    with stationary.Runner(written, [1, 2]) as runner:
        assert abs(runner.population_change(written.parameters.birth_rate)) < 0.003
        table = stationary.drift(runner, written.parameters.birth_rate).set_index("outcome")
    assert list(table.index) == list(stationary.DRIFT_OUTCOMES)
    assert table.loc["poverty_headcount", "seed_sd"] > 0
    nodes = pd.read_csv(out.with_name("stationary_drift.csv"))
    assert set(nodes["unit"]) >= {"territory", "rural municipalities", "intermediate cities"}
    assert nodes[nodes["kind"] == "municipality"]["unit"].nunique() == 13  # 12 municipalities and the kind
    with stationary.Runner(written, [1, 2]) as runner:  # the kinds' levels are their residents' (invariant)
        runs = runner.nodes(written.parameters.birth_rate)
    end = runs[0][(runs[0]["year"] == runs[0]["year"].max()) & (runs[0]["kind"] == "city")]
    cities_end = np.mean([np.average(r[(r["year"] == r["year"].max()) & (r["kind"] == "city")]["poverty_headcount"],
                                     weights=r[(r["year"] == r["year"].max()) & (r["kind"] == "city")]["population"])
                          for r in runs])
    assert len(end) == 2
    row = nodes[(nodes["unit"] == "intermediate cities") & (nodes["outcome"] == "poverty_headcount")].iloc[0]
    assert row["end"] == pytest.approx(cities_end)
    assert f"{table.loc['population', 'change'] * 100:+.2f}%" in printed  # the printed drift is the file's runs'
    assert f"{table.loc['poverty_headcount', 'change']:+.4f}" in printed


def test_bad_output_is_refused_naming_the_option(tmp_path, capsys):
    taken = tmp_path / "taken.toml"
    taken.write_text("")
    assert main(["stationary", str(SCENARIOS / "baseline.toml"), "--out", str(taken)]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["stationary", str(SCENARIOS / "baseline.toml"), "--out", str(tmp_path / "x.txt")]) == 2
    assert "ending in .toml" in capsys.readouterr().err
    assert main(["stationary", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "y.toml")]) == 2
    assert "missing.toml" in capsys.readouterr().err
    assert main(["stationary", str(SCENARIOS / "baseline.toml"), "--set", "birth_rate=0.01", "--set",
                 "market_price_trend=0.01", "--out", str(tmp_path / "z.toml")]) == 2
    err = capsys.readouterr().err
    assert "--set" in err and "birth_rate, market_price_trend" in err and "solves the birth rate" in err
    assert not (tmp_path / "z.toml").exists()


@pytest.mark.parametrize("seeds, expected", [(2, 1.0 - 2.0 / np.pi * np.arctan(np.sqrt(2.0))), (1, np.nan)])
def test_the_chance_a_unit_without_drift_is_flagged(seeds, expected):
    """|mean| > sd over n seeds is |t| > sqrt(n), t on n - 1 degrees of freedom: with 2 seeds a
    Cauchy variable, P(|T| > x) = 1 - (2 / pi) atan(x); more seeds flag fewer by chance."""
    assert stationary.chance_beyond(seeds) == pytest.approx(expected, nan_ok=True)
    assert stationary.chance_beyond(8) < stationary.chance_beyond(4) < stationary.chance_beyond(2)


@pytest.mark.slow
def test_the_drift_does_not_depend_on_the_workers():
    """Each seed's run is the same in this process and in a worker process: the solved rate's
    runs, and so the drift, are identical on 1 and 2 workers."""
    scenario = stationary.flat(load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.05, steps=3))
    with stationary.Runner(scenario, [1, 2]) as serial, stationary.Runner(scenario, [1, 2], workers=2) as parallel:
        assert np.array_equal(serial.ends(0.012), parallel.ends(0.012))
        pd.testing.assert_frame_equal(stationary.node_drift(serial, 0.012), stationary.node_drift(parallel, 0.012))
