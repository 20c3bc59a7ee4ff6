"""Sensitivity analysis: SALib adapters against analytic answers, the model pipeline end to
end (resume, engine independence, paired differences), and rejection of bad designs."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from SALib.test_functions import Ishigami

import territory_abm
from territory_abm.errors import InputError
from territory_abm.params import REGISTRY
from territory_abm.sensitivity import METHODS, load_design
from territory_abm.sensitivity.analysis import analyse, sample_points
from territory_abm.sensitivity.command import run_sensitivity
from territory_abm.sensitivity.methods import Settings

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"

ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
# Analytic indices of the Ishigami function with a = 7, b = 0.1 (Saltelli et al. 2008, Global
# Sensitivity Analysis: The Primer, section 4.8).
ISHIGAMI_S1 = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_ST = np.array([0.5576, 0.4424, 0.2437])
ISHIGAMI_S13 = 0.2437


def _indices(method_name, problem, n, fn, **options):
    method = METHODS[method_name]
    opts = {**method.options, **options}
    s = Settings(resamples=200, seed=7)
    x = sample_points(method, problem, n, opts, s)
    table, skipped, _ = analyse(method, problem, x, pd.DataFrame({"y": fn(x)}), opts, s)
    assert not skipped
    return table


def _values(table, index):
    part = table[(table["index"] == index) & (table["parameter_2"] == "")]
    return part.set_index("parameter").loc[["x1", "x2", "x3"], "value"].to_numpy()


def test_sobol_recovers_the_ishigami_indices():
    table = _indices("sobol", ISHIGAMI, 1024, Ishigami.evaluate)
    assert _values(table, "S1") == pytest.approx(ISHIGAMI_S1, abs=0.05)
    assert _values(table, "ST") == pytest.approx(ISHIGAMI_ST, abs=0.05)
    s2 = table[table["index"] == "S2"].set_index(["parameter", "parameter_2"])["value"]
    assert s2[("x1", "x3")] == pytest.approx(ISHIGAMI_S13, abs=0.08)
    assert abs(s2[("x1", "x2")]) < 0.08 and abs(s2[("x2", "x3")]) < 0.08
    # the reported 95 % intervals cover the analytic first-order indices
    s1 = table[(table["index"] == "S1")].set_index("parameter").loc[["x1", "x2", "x3"]]
    assert np.all(np.abs(s1["value"].to_numpy() - ISHIGAMI_S1) <= s1["conf"].to_numpy() + 0.02)


def test_fast_and_rbd_fast_recover_the_ishigami_first_order_indices():
    fast = _indices("fast", ISHIGAMI, 1000, Ishigami.evaluate)
    assert _values(fast, "S1") == pytest.approx(ISHIGAMI_S1, abs=0.05)
    assert _values(fast, "ST") == pytest.approx(ISHIGAMI_ST, abs=0.08)
    rbd = _indices("rbd_fast", ISHIGAMI, 2000, Ishigami.evaluate)
    assert _values(rbd, "S1") == pytest.approx(ISHIGAMI_S1, abs=0.06)


def test_pawn_ranks_ishigami_inputs():
    table = _indices("pawn", ISHIGAMI, 2000, Ishigami.evaluate)
    median = _values(table, "median")
    assert median[1] > median[2] and median[0] > median[2]  # x3 acts only through x1


LINEAR = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0.0, 1.0], [0.0, 2.0], [-1.0, 1.0]]}
SLOPES = np.array([3.0, -1.0, 0.0])


def _linear(x):
    return x @ SLOPES


def test_morris_elementary_effects_of_a_linear_function_are_its_slopes_times_ranges():
    table = _indices("morris", LINEAR, 8, _linear)
    widths = np.array([1.0, 2.0, 2.0])
    assert _values(table, "mu") == pytest.approx(SLOPES * widths, abs=1e-9)
    assert _values(table, "mu_star") == pytest.approx(np.abs(SLOPES) * widths, abs=1e-9)
    assert _values(table, "sigma") == pytest.approx(np.zeros(3), abs=1e-9)
    # in the outcome's unit per the parameter's whole range (slope x width), as indices.csv says
    assert set(table.loc[table["index"] == "mu_star", "unit"]) == {"outcome units per parameter range"}


def test_intervals_of_means_of_absolute_values_stop_at_zero():
    """mu* and sigma are means and spreads of absolute values: an interval wider than the
    value stops at 0 (others, e.g. mu, may be negative)."""
    from types import SimpleNamespace

    rows = [{"parameter": "x1", "parameter_2": "", "index": index, "value": 0.1, "conf": 0.5}
            for index in ("mu", "mu_star", "sigma")]
    method = SimpleNamespace(name="morris", analyze=lambda *args: rows)
    table, _, _ = analyse(method, LINEAR, np.zeros((2, 3)), pd.DataFrame({"y": [0.0, 1.0]}), {}, None)
    low = table.set_index("index")["low"]
    assert low["mu_star"] == 0.0 and low["sigma"] == 0.0 and low["mu"] == pytest.approx(-0.4)


def test_indices_of_totals_are_for_the_whole_territory_at_any_scale():
    """A researcher's trial (session 23): Morris's mu* of a count (persons without a livelihood)
    was that of the simulated quarter of the territory at households_scale 0.25. Indices in an
    outcome's unit of totals over households are now the whole territory's (x 1 / scale, DGSM's
    vi x its square), their unit says so; means, shares and variance shares are unchanged."""
    from territory_abm.sensitivity.analysis import to_whole_territory

    rows = [("without_livelihood", "mu_star", 10.0), ("without_livelihood", "vi", 3.0),
            ("without_livelihood", "S1", 0.4), ("poverty_headcount", "mu_star", 0.02), ("total_policy_cost", "mu", -5.0)]
    table = pd.DataFrame([{"outcome": o, "method": "m", "parameter": "x1", "parameter_2": "", "index": i,
                           "value": v, "conf": v / 10, "low": v - v / 10, "high": v + v / 10, "unit": "u"}
                          for o, i, v in rows])
    whole = to_whole_territory(table, 0.25).set_index(["outcome", "index"])
    assert whole.loc[("without_livelihood", "mu_star"), ["value", "conf", "low", "high"]].tolist() == [40, 4, 36, 44]
    assert whole.loc[("without_livelihood", "vi"), "value"] == 48.0
    assert whole.loc[("without_livelihood", "vi"), "unit"].endswith("whole territory (x 16)")  # review 24: said x 4
    assert whole.loc[("total_policy_cost", "mu"), "value"] == -20.0
    assert whole.loc[("without_livelihood", "S1"), "value"] == 0.4
    assert whole.loc[("poverty_headcount", "mu_star"), "value"] == 0.02
    assert "whole territory" in whole.loc[("without_livelihood", "mu_star"), "unit"]
    assert whole.loc[("poverty_headcount", "mu_star"), "unit"] == "u"
    assert to_whole_territory(table, 1.0).equals(table)


def test_dgsm_of_a_linear_function_is_its_squared_slopes():
    table = _indices("dgsm", LINEAR, 64, _linear)
    assert _values(table, "vi") == pytest.approx(SLOPES ** 2, rel=1e-4, abs=1e-8)


# --- the model pipeline ------------------------------------------------------------------------
def _design(tmp_path: Path, name="tiny.toml", **changes) -> Path:
    fields = {"scenario": f'"{SCEN / "policy_mix.toml"}"', "reference": f'"{SCEN / "baseline.toml"}"',
              "method": '"morris"', "samples": "2", "seeds": "2", "steps": "3", "households_scale": "0.03",
              "parameters": '["wage_adjustment", "migration_stay_preference", "firm_exit_loss_years"]',
              "outcomes": '["income_growth_log", "poverty_headcount", "win_win_win_share", "total_policy_cost"]'}
    fields.update(changes)
    text = "\n".join(f"{k} = {v}" for k, v in fields.items() if v is not None)
    path = tmp_path / name
    path.write_text(text + "\n")
    return path


@pytest.mark.slow
def test_sensitivity_pipeline_writes_indices_resumes_and_does_not_depend_on_the_engine(tmp_path):
    path = _design(tmp_path)
    out = tmp_path / "serial"
    status = run_sensitivity(path, out, workers=1, progress=False)
    assert status.complete and status.ran == 2 * 4 * 2 * 2  # trajectories x (3 + 1) points x seeds x scenarios
    report = json.loads((out / "sensitivity.json").read_text())
    assert report["complete"] and report["points"] == 8 and not report["skipped_outcomes"]
    for name in ("sample.csv", "outputs.csv", "analysed.csv", "indices.csv", "indices.json", "indices.png"):
        assert (out / name).is_file(), name
    runs = pd.read_csv(out / "outputs.csv")
    assert len(runs) == 16
    # outcomes are the paired differences policy minus baseline; the baseline spends nothing
    assert runs["poverty_headcount"].to_numpy() == pytest.approx(
        (runs["scenario:poverty_headcount"] - runs["reference:poverty_headcount"]).to_numpy())
    assert (runs["reference:total_policy_cost"] == 0).all() and (runs["total_policy_cost"] > 0).all()
    assert set(runs["firm_exit_loss_years"]) <= set(range(1, 11))  # whole-number parameter rounded
    stored = territory_abm.load_results(out)  # the runs' yearly territory tables
    assert len(stored) == 32 * 4 and {"point", "role", "param:wage_adjustment"} <= set(stored.columns)
    indices = pd.read_csv(out / "indices.csv")
    assert len(indices) == 4 * 3 * 3  # outcomes x parameters x (mu, mu_star, sigma)
    assert np.isfinite(indices["value"]).all()
    cost_units = set(indices.loc[indices["outcome"] == "total_policy_cost", "unit"])
    assert cost_units == {"USD per parameter range, whole territory (x 33.3333)"}, cost_units
    # rerunning resumes: nothing is recomputed, outputs are the same
    first = (out / "indices.csv").read_bytes()
    again = run_sensitivity(path, out, workers=1, progress=False)
    assert again.reused == 32 and again.ran == 0
    assert (out / "indices.csv").read_bytes() == first
    parallel = tmp_path / "parallel"
    run_sensitivity(path, parallel, workers=2, progress=False)
    for name in ("sample.csv", "outputs.csv", "indices.csv"):
        assert (parallel / name).read_bytes() == (out / name).read_bytes(), name


def test_changing_the_design_on_the_same_directory_is_refused(tmp_path):
    out = tmp_path / "out"
    run_sensitivity(_design(tmp_path, samples="2", seeds="1", reference=None), out, workers=1, progress=False)
    with pytest.raises(InputError, match="design"):
        run_sensitivity(_design(tmp_path, samples="3", seeds="1", reference=None), out, workers=1, progress=False)


def test_shipped_designs_are_valid():
    import tomllib

    # experiments/ also holds ensemble designs and pattern files: sensitivity designs name a method
    for path in sorted((ROOT / "experiments").glob("*.toml")):
        if "method" not in tomllib.loads(path.read_text(encoding="utf-8")):
            continue
        design = load_design(path)
        assert design.runs > 0
    sobol = load_design(ROOT / "experiments" / "sobol_policies.toml")
    assert sobol.method.name == "sobol" and sobol.options["second_order"] and sobol.reference is not None


# --- bad designs -----------------------------------------------------------------------------
BAD = [
    ({"method": '"tornado"'}, "method"),
    ({"parameters": '["no_such_parameter"]'}, "parameters.no_such_parameter"),
    ({"parameters": "[]"}, "parameters"),
    ({"parameters": '["wage_adjustment", "wage_adjustment"]'}, "parameters"),
    ({"outcomes": '["happiness"]'}, "outcomes.happiness"),
    ({"samples": "0"}, "samples"),
    ({"samples": "1"}, "samples"),  # Morris needs two trajectories
    ({"method": '"sobol"', "samples": "100"}, "samples"),  # not a power of 2
    ({"method": '"fast"', "samples": "50"}, "samples"),  # FAST needs N > 4 M^2 = 64
    ({"seeds": "0"}, "seeds"),
    ({"options": "{ num_levels = 3 }"}, "options.num_levels"),
    ({"options": "{ second_order = true }"}, "options.second_order"),
    ({"scenario": '"missing.toml"'}, "scenario"),
    ({"reference": f'"{SCEN / "policy_mix.toml"}"'}, "reference"),  # the same scenario
    ({"confidence_level": "1.5"}, "confidence_level"),
    ({"colour": '"red"'}, "colour"),
]


@pytest.mark.parametrize("changes,field", BAD)
def test_bad_designs_are_rejected_naming_the_field(tmp_path, changes, field):
    path = _design(tmp_path, **changes)
    with pytest.raises(InputError) as err:
        load_design(path)
    assert err.value.field == field and err.value.source == str(path)


@pytest.mark.slow
def test_the_command_line_reports_a_bad_design_without_traceback(tmp_path):
    path = _design(tmp_path, parameters='["no_such_parameter"]')
    done = subprocess.run([sys.executable, "-m", "territory_abm.cli", "sensitivity", str(path), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "parameters.no_such_parameter" in done.stderr
    assert not (tmp_path / "out").exists()


names = st.sampled_from(sorted(REGISTRY))
numbers = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)


@settings(max_examples=120, deadline=None)
@given(name=names, low=numbers, high=numbers)
def test_ranges_are_accepted_exactly_when_inside_the_registry_range(tmp_path_factory, name, low, high):
    file = _design(tmp_path_factory.mktemp("range"), parameters=f'["{name}"]', reference=None)
    file.write_text(file.read_text() + f"\n[ranges]\n{name} = [{low!r}, {high!r}]\n")
    spec = REGISTRY[name]
    if spec.low <= low < high <= spec.high:
        assert load_design(file).bounds == ((low, high),)
    else:
        with pytest.raises(InputError) as err:
            load_design(file)
        assert err.value.field == f"ranges.{name}"


def test_indices_whose_intervals_exceed_the_shares_range_are_named_unreadable():
    """Known answer: variance shares (S1, ST, S2) with a half-width above 1 span more than their
    whole range and are listed; a narrow share and a Morris mu* (not a share) are not; the
    warning names the design file and the indices."""
    from territory_abm.sensitivity.analysis import unreadable_indices
    from territory_abm.sensitivity.command import WideIntervalsWarning

    table = pd.DataFrame([
        {"outcome": "gini_income", "parameter": "a", "parameter_2": "", "index": "S1", "value": 0.3, "conf": 9577.0},
        {"outcome": "gini_income", "parameter": "a", "parameter_2": "", "index": "ST", "value": 0.4, "conf": 0.2},
        {"outcome": "gini_income", "parameter": "a", "parameter_2": "b", "index": "S2", "value": 0.1, "conf": 3.0},
        {"outcome": "poverty_headcount", "parameter": "a", "parameter_2": "", "index": "mu_star", "value": 5.0,
         "conf": 50.0},
        {"outcome": "poverty_headcount", "parameter": "b", "parameter_2": "", "index": "S1", "value": 0.2,
         "conf": 1.0},
    ])
    found = unreadable_indices(table)
    assert found == {"gini_income": ["S1 a", "S2 a|b"]}
    message = str(WideIntervalsWarning("tiny.toml", found))
    assert message.startswith("tiny.toml: ") and "gini_income: S1 a, S2 a|b" in message and "more samples" in message


def test_a_design_reads_yearly_outcomes_in_its_year_and_warns_when_the_programme_has_ended(tmp_path):
    """A researcher's trial (session 24): a design on the cash transfer's effect read poverty in
    2030, the year after the programme stopped, and its mean flipped sign from 2029's, without a
    word. The default still reads the last year, with a warning naming the programme's end;
    ``year = "programme_end"`` (or a year) reads yearly outcomes there."""
    import warnings

    from territory_abm.errors import InputError
    from territory_abm.sensitivity.command import ProgrammeEndedWarning
    from territory_abm.sensitivity.design import load_design
    from territory_abm.sensitivity.outcomes import run_outcomes

    roads = {"scenario": f'"{SCEN / "roads.toml"}"', "reference": f'"{SCEN / "baseline.toml"}"', "steps": "7",
             "households_scale": "0.02", "seeds": "1", "samples": "2",
             "parameters": '["wage_adjustment"]', "outcomes": '["poverty_headcount", "total_policy_cost"]'}
    assert load_design(_design(tmp_path, "a.toml", **roads, year='"programme_end"')).year == 2016
    assert load_design(_design(tmp_path, "b.toml", **roads, year="2013")).year == 2013
    for bad in ("2030", '"end"', "2011.5", "true"):
        with pytest.raises(InputError, match="year"):
            load_design(_design(tmp_path, "c.toml", **roads, year=bad))
    territory = pd.DataFrame({"year": [2012, 2011, 2013], "poverty_headcount": [0.2, 0.3, 0.1],
                              "policy_cost": [1.0, 0.0, 2.0]})
    assert run_outcomes(["poverty_headcount", "total_policy_cost"], territory, None, 2012) == {
        "poverty_headcount": 0.2, "total_policy_cost": 3.0}  # the total still over the whole run
    assert run_outcomes(["poverty_headcount"], territory, None)["poverty_headcount"] == 0.1
    with pytest.warns(ProgrammeEndedWarning, match="end in 2016, before the last simulated year 2017"):
        run_sensitivity(_design(tmp_path, "d.toml", **roads), tmp_path / "d", workers=1, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProgrammeEndedWarning)
        status = run_sensitivity(_design(tmp_path, "e.toml", **roads, year='"programme_end"'), tmp_path / "e",
                                 workers=1, progress=False)
    assert status.complete and json.loads((tmp_path / "e" / "sensitivity.json").read_text())["year"] == 2016


def test_runs_that_empty_their_territory_are_counted_and_warned_of(tmp_path):
    """A researcher's trial (session 24): at migration_network_weight 1.3 (inside its registry
    range) the example territory fell from 14,760 to 1,042 people in 20 years and poverty went to
    0, and a design over the registry's range said nothing. Runs ending below half their starting
    population are counted in sensitivity.json and warned of, naming their points; seed noise above
    a fifth of an outcome's variance is warned of too."""
    from territory_abm.sensitivity.command import EmptiedRunsWarning, SeedNoiseWarning

    path = _design(tmp_path, "emptying.toml", scenario=f'"{SCEN / "baseline.toml"}"', reference=None,
                   samples="2", seeds="2", steps="20", households_scale="0.02",
                   parameters='["migration_network_weight"]', outcomes='["population", "poverty_headcount"]')
    path.write_text(path.read_text() + "\n[ranges]\nmigration_network_weight = [1.3, 1.5]\n")
    with pytest.warns(EmptiedRunsWarning, match=r"8 of 8 runs ended with less than 50% of their starting population"
                      r" \(points 0, 1, 2, 3; their parameters in the outer tenth of their ranges: point 0: "):
        run_sensitivity(path, tmp_path / "out", workers=1, progress=False)
    report = json.loads((tmp_path / "out" / "sensitivity.json").read_text())
    emptied = report["emptied_runs"]
    assert {k: emptied[k] for k in ("runs", "of", "points")} == {"runs": 8, "of": 8, "points": [0, 1, 2, 3]}
    # each emptied point's parameters within a tenth of the range of its ends (session 28: "points 0" alone)
    sample = pd.read_csv(tmp_path / "out" / "sample.csv").set_index("point")["migration_network_weight"]
    assert emptied["at_range_ends"] == {str(p): ({"migration_network_weight": v} if min(v - 1.3, 1.5 - v) <= 0.02 else {})
                                        for p, v in sample.items()}
    assert any(emptied["at_range_ends"].values()) and not all(emptied["at_range_ends"].values())
    calm = _design(tmp_path, "calm.toml", scenario=f'"{SCEN / "stationary.toml"}"', reference=None, samples="2",
                   seeds="2", steps="3", households_scale="0.02", parameters='["wage_adjustment"]',
                   outcomes='["poverty_headcount"]')
    with pytest.warns(SeedNoiseWarning, match="poverty_headcount"):  # the parameter hardly moves it in 3 years
        run_sensitivity(calm, tmp_path / "calm", workers=1, progress=False)
    assert json.loads((tmp_path / "calm" / "sensitivity.json").read_text())["emptied_runs"]["runs"] == 0
