"""Calibration to cross-territory patterns (issue 14, item 3): pattern statistics from
sufficient statistics give the pooled values exactly, the distance has known answers, bad
calibration files are rejected naming file and field, and a known truth is recovered from
patterns the model simulated at it."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from territory_abm.calibration import load_calibration, run_calibration
from territory_abm.calibration.pattern_design import TOLERANCE_SD, PatternCalibrationDesign
from territory_abm.calibration.pattern_fit import PatternObjective
from territory_abm.calibration.smm import (
    COVER_ROUNDS,
    bootstrap_estimates,
    covered_draws,
    covering_design,
    re_estimates,
)
from territory_abm.calibration.surrogate import CANDIDATES, candidates, interpolate
from territory_abm.calibration.synthetic import simulated_patterns, write_patterns
from territory_abm.cli import main
from territory_abm.ensemble import statistics as st
from territory_abm.ensemble.design import load_ensemble
from territory_abm.ensemble.patterns import Pattern, load_patterns
from territory_abm.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
RNG = np.random.default_rng(11)


def _pattern(**kw) -> Pattern:
    return Pattern(**{"name": "p", "observed": 0.0, "tolerance": 0.1, "source": "test", "status": "assumption", **kw})


def _units(n: int) -> pd.DataFrame:
    return pd.DataFrame({"x": RNG.normal(7.5, 0.3, n), "y": RNG.normal(0.01, 0.02, n),
                         "flag": RNG.integers(0, 2, n).astype(float), "land_gini": RNG.uniform(0.7, 0.9, n),
                         "has_city": RNG.integers(0, 2, n), "type": RNG.choice(["none", "win-win-win"], n)})


# ---------------------------------------------------------------- sufficient statistics
@pytest.mark.parametrize("pattern", [
    _pattern(statistic="share", variable="flag"),
    _pattern(statistic="share", type="win-win-win"),
    _pattern(statistic="mean", variable="y"),
    _pattern(statistic="slope", x="x", y="y"),
    _pattern(statistic="correlation", x="x", y="y"),
    _pattern(statistic="difference", variable="y", group="has_city"),
    _pattern(statistic="slope_difference", x="x", y="y", group="has_city"),
])
def test_sums_of_runs_give_the_pooled_statistic(pattern):
    runs = [_units(n) for n in (5, 9, 1, 14)]
    runs[1].loc[2, "y"] = np.nan  # missing values are left out alike
    pooled = pd.concat(runs, ignore_index=True)
    total = sum(pattern.sums(u, u["has_city"].to_numpy() == 1 if pattern.group else None) for u in runs)
    assert st.from_sums(pattern.statistic, total) == pytest.approx(pattern.value(pooled), rel=1e-9)


def test_territory_patterns_sum_each_run_s_territory_and_its_city_draw():
    """A pattern over ``units = "territory"`` reads a run's one ``territories.csv`` row (the
    ensemble run's ``run`` table), not its municipalities, and its group is the territory's own
    city draw (``pattern_fit._group_masks``): summed over runs it gives what ``evaluate`` pools."""
    from territory_abm.calibration.pattern_fit import _group_masks
    from territory_abm.outcomes import STATISTICS

    pattern = _pattern(statistic="difference", variable="gini_change", group="has_city", units="territory")
    city = [1, 0, 1, 0]
    generated = [SimpleNamespace(draws={"city_present": float(c)},
                                 municipalities=pd.DataFrame({"kind": ["municipality"], "has_city": [c]}))
                 for c in city]
    masks = _group_masks([pattern], generated)[0]
    assert [list(m) for m in masks] == [[True], [False], [True], [False]]
    runs = []
    for i, c in enumerate(city):
        row = {"territory": f"t{i}", "replicate": 0, "city_present": c, **{f"territory_{k}": 0.0 for k in STATISTICS}}
        row["territory_gini_change"] = 0.01 * (i + 1)
        runs.append(pd.DataFrame([row]))
    municipalities = pd.DataFrame({"kind": ["municipality"], "gini_change": [9.0]})  # not read
    total = sum(pattern.sums(pattern.rows(municipalities, run), mask) for run, mask in zip(runs, masks))
    # with a city: (0.01 + 0.03) / 2; without: (0.02 + 0.04) / 2
    assert st.from_sums(pattern.statistic, total) == pytest.approx(-0.01)


def test_the_pattern_evaluator_pools_what_evaluate_pools(tmp_path):
    """End to end on a tiny ensemble (3 territories x 1 seed, scale 0.02, 2 years): the pattern
    calibration's sums of every shipped pattern, over municipalities and over whole territories,
    pooled with ``from_sums``, are ``evaluate``'s values on the same runs' tables."""
    from territory_abm.calibration.design import load_calibration
    from territory_abm.calibration.pattern_fit import PatternEvaluator
    from territory_abm.ensemble.command import run_design
    from territory_abm.ensemble.patterns import evaluate, read_units
    from territory_abm.experiments.engines import make_engine

    (tmp_path / "ensemble.toml").write_text(
        f'base = "{(ROOT / "experiments" / "ensemble.toml").as_posix()}"\nterritories = 3\nseeds = 1\nsteps = 2\n'
        "households_scale = 0.02\n")
    (tmp_path / "calibration.toml").write_text(
        f'ensemble = "ensemble.toml"\npatterns = "{(ROOT / "experiments" / "rtd_patterns.toml").as_posix()}"\n'
        'method = "smm"\nparameters = ["urbanisation_pull"]\n[priors]\nurbanisation_pull = [0.0, 1.0]\n')
    design = load_calibration(tmp_path / "calibration.toml")
    assert any(p.units == "territory" for p in design.patterns)
    engine = make_engine(1)
    try:
        evaluator = PatternEvaluator(design, tmp_path / "calibration", engine)
        sums = evaluator.values(np.array([1.0]))[0]  # (seeds, territories, patterns, SUMS) at the default
    finally:
        engine.close()
    status = run_design(design.ensemble, tmp_path / "ensemble", workers=1, progress=False)
    assert status.complete
    units, territories = read_units(tmp_path / "ensemble")
    expected = evaluate(list(design.patterns), units, territories=territories)["simulated"].to_numpy()
    pooled = np.array([st.from_sums(p.statistic, sums[:, :, j].sum(axis=(0, 1)))
                       for j, p in enumerate(design.patterns)])
    # sums of moments against numpy's arithmetic on the pooled rows: equal up to rounding
    assert np.allclose(pooled, expected, rtol=1e-6, atol=1e-12, equal_nan=True), (pooled - expected, expected)


def test_sums_known_answers_and_undefined_cases():
    x, y = np.array([1.0, 2, 3, 4]), np.array([2.0, 1, 4, 3])
    s = st.sums("slope", x, y)
    assert list(s) == [4, 10, 10, 30, 28, 30] + [0] * (st.SUMS - 6)
    assert st.from_sums("slope", s) == pytest.approx(0.6) and st.from_sums("correlation", s) == pytest.approx(0.6)
    assert math.isnan(st.from_sums("slope", st.sums("slope", np.ones(3), x[:3])))  # no variance of x
    assert math.isnan(st.from_sums("mean", st.sums("mean", np.array([np.nan]))))  # nothing finite
    assert math.isnan(st.from_sums("difference", st.sums("difference", x, np.ones(4, bool))))  # no rest
    assert st.from_sums("difference", st.sums("difference", x, np.array([1, 1, 0, 0], bool))) == -2.0
    # slopes 2 (group: y = 2x) and -1 (rest: y = 10 - x): difference 3; NaN without a rest
    xs, ys, g = np.array([0.0, 1, 2, 0, 1, 2]), np.array([0.0, 2, 4, 10, 9, 8]), np.array([1, 1, 1, 0, 0, 0], bool)
    assert st.from_sums("slope_difference", st.sums("slope_difference", xs, ys, g)) == pytest.approx(3.0)
    assert math.isnan(st.from_sums("slope_difference", st.sums("slope_difference", xs, ys, np.ones(6, bool))))


# ---------------------------------------------------------------- the distance
def _objective(observed=(0.5, -0.01), tolerance=(0.1, 0.02), weights=(1.0, 2.0)) -> PatternObjective:
    patterns = (_pattern(name="a", statistic="share", variable="flag", observed=observed[0], tolerance=tolerance[0]),
                _pattern(name="b", statistic="mean", variable="y", observed=observed[1], tolerance=tolerance[1]))
    return PatternObjective(patterns, np.array(weights), np.array(observed), np.array(tolerance) / TOLERANCE_SD)


def _values(share_sums, mean_sums) -> np.ndarray:
    """(points=1, seeds, territories, patterns, SUMS) from per (seed, territory) [n, sum] pairs."""
    out = np.zeros((1, len(share_sums), len(share_sums[0]), 2, st.SUMS))
    out[0, :, :, 0, :2] = share_sums
    out[0, :, :, 1, :2] = mean_sums
    return out


def test_distance_known_answer_with_one_seed():
    # two territories: shares 3/4 and 1/6 pool to 4/10; means 0.01 and -0.03 over 2 and 2 -> -0.01
    values = _values([[[4, 3], [6, 1]]], [[[2, 0.02], [2, -0.06]]])
    obj = _objective()
    assert obj.simulated(values)[0] == pytest.approx([0.4, -0.01])
    # ((0.4 - 0.5) / 0.05)^2 * 1 + 0 * 2 = 4
    assert obj.distance(values)[0] == pytest.approx(4.0)
    # resampling territory 0 twice: share 3/4 -> ((0.75 - 0.5) / 0.05)^2 = 25, mean 0.01 -> (0.02 / 0.01)^2 * 2 = 8
    assert obj.distance(values, rows=np.array([0, 0]))[0] == pytest.approx(33.0)


def test_distance_subtracts_the_noise_over_seeds():
    # two seeds, one territory: shares 0.3 and 0.5 (pooled 0.4), variance 0.02 / 2 seeds = 0.01
    values = _values([[[10, 3]], [[10, 5]]], [[[1, -0.01]], [[1, -0.01]]])
    obj = _objective()
    assert obj.noise(values)[0] == pytest.approx([0.01, 0.0])
    assert obj.distance(values)[0] == pytest.approx(((0.4 - 0.5) ** 2 - 0.01) / 0.05**2)


def test_bootstrap_draws_vary_the_observed_values_by_their_standard_error():
    # one territory and one seed, simulated exactly at the observed values: a resample's
    # distance is sum_k w_k z_k^2 with z standard normal, mean 1 + 2 = 3, variance 2 (1 + 4) = 10
    values = _values([[[10, 4]]], [[[2, -0.02]]])
    obj = _objective(observed=(0.4, -0.01))
    assert obj.distance(values)[0] == pytest.approx(0.0)
    rng = np.random.default_rng(0)
    d = np.array([obj.resampled_distance(values, rng)[0] for _ in range(4000)])
    assert d.mean() == pytest.approx(3.0, abs=4 * math.sqrt(10 / 4000))
    assert d.var() == pytest.approx(10.0, rel=0.2)


def _linear_ensemble(rng, thetas, territories, seeds=2, units=10, level=(0.0, 1.0), effect=(1.0, -0.5),
                     spread=0.3):
    """Pattern sums (points, seeds, territories, 2 mean patterns, 2) of a known linear
    model: a unit's value is level + effect x theta + a territory effect + noise (sd
    ``spread`` each), the same draws at every theta (common random numbers).

    Only the two sums a mean is made of ([n, sum]; ``st.sums`` pads them with ``st.SUMS`` - 2
    zeros): the bootstrap copies every resampled array, and the padding made the two coverage
    tests below cost about twice as much for the same hits (measured: every repetition's hit
    identical with the padding and without)."""
    k = len(level)
    between = spread * rng.standard_normal((territories, k))
    within = spread / math.sqrt(units) * rng.standard_normal((seeds, territories, k))
    mean = np.asarray(level) + np.asarray(effect) * np.asarray(thetas)[:, None]
    out = np.zeros((len(thetas), seeds, territories, k, 2))
    out[..., 0] = units
    out[..., 1] = units * (mean[:, None, None, :] + between[None, None] + within[None])
    return out


@pytest.mark.slow
def test_the_smm_interval_covers_a_known_truth_at_its_nominal_rate():
    """The interval method alone, on a linear model with a known answer: the observed
    patterns come from one sample of 40 territories at theta = 0.5, with their standard
    error from a bootstrap over territories (as ``simulated_patterns`` gives it); the fit
    uses another sample, a dense grid of evaluated vectors and the bootstrap of
    ``bootstrap_estimates``. Over 120 repetitions the 90 % interval holds the truth about
    90 % of the time (0.78-0.98 allows for the binomial spread of 120 draws, sd 0.027;
    measured 0.87). Leaving the observation's uncertainty out of the bootstrap (half the
    variance here) brings it to 0.72 (measured): the check can fail.

    Measured again with the two sums of ``_linear_ensemble`` (9a4c009's model code, load
    11-15): coverage 0.867 at seed 7, its first 12 hits identical to those with the padded
    sums; the bootstrap without the observation's uncertainty (observed values held fixed):
    0.700, fails; at seed 8 (instead of 7) it passes at 0.925. 33 CPU s for the 120
    repetitions under that load."""
    rng = np.random.default_rng(7)
    patterns = tuple(_pattern(name=f"p{k}", statistic="mean", variable="y") for k in range(2))
    grid = np.linspace(0.0, 1.0, 101)
    hits = []
    for _ in range(120):
        observed_runs = _linear_ensemble(rng, [0.5], 40)
        pooled = PatternObjective(patterns, np.ones(2), np.zeros(2), np.ones(2))
        observed = pooled.simulated(observed_runs)[0]
        resampled = np.array([pooled.simulated(observed_runs, rows=rng.integers(0, 40, 40))[0] for _ in range(400)])
        error = (np.percentile(resampled, 95, axis=0) - np.percentile(resampled, 5, axis=0)) / (2 * 1.6449)
        objective = PatternObjective(patterns, np.ones(2), observed, error)
        draws = bootstrap_estimates(objective, grid[:, None], _linear_ensemble(rng, grid, 40), 200,
                                    int(rng.integers(2**31)))
        low, high = np.quantile(draws[:, 0], [0.05, 0.95])
        hits.append(low <= 0.5 <= high)
    assert 0.78 <= np.mean(hits) <= 0.98


@pytest.mark.slow
def test_re_estimating_between_sparse_vectors_covers_a_known_truth():
    """The linear model above with the vectors a search leaves: 7 scattered over the prior and
    8 within 5 % of it around the best, plus ``covered_draws``'s further designs, re-estimated
    between the evaluated vectors (``re_estimates`` for a pattern objective): the 90 % interval
    holds the truth at about the nominal rate over 40 repetitions (0.75-1 allows for the
    binomial spread; a broken interpolation, e.g. values misplaced between vectors, fails it).
    On this linear model the re-estimates over the evaluated vectors with ``covered_draws``
    give intervals as wide (measured); on the model they do not (``pattern_recovery.py``:
    0.75 against 0.85).

    Measured on 9a4c009's model code, load 12-15 (CPU seconds, the test's body run in one
    process): with the sums padded to ``st.SUMS`` 203.8 s, coverage 0.825; with the two sums
    of ``_linear_ensemble`` 77.5 s, the same 40 hits. It can fail: the values interpolated
    between vectors handed to the vector 0.1 further on (a re-estimate off by a tenth of
    the prior) give coverage 0.600; 0.05 further on gives 0.750 (passes at the bound). At
    seed 18 (instead of 17) it passes at 0.775."""
    rng = np.random.default_rng(17)
    patterns = tuple(_pattern(name=f"p{k}", statistic="mean", variable="y") for k in range(2))
    pooled = PatternObjective(patterns, np.ones(2), np.zeros(2), np.ones(2))
    hits = []
    for rep in range(40):
        observed_runs = _linear_ensemble(rng, [0.5], 40)
        observed = pooled.simulated(observed_runs)[0]
        resampled = np.array([pooled.simulated(observed_runs, rows=rng.integers(0, 40, 40))[0] for _ in range(400)])
        error = (np.percentile(resampled, 95, axis=0) - np.percentile(resampled, 5, axis=0)) / (2 * 1.6449)
        objective = PatternObjective(patterns, np.ones(2), observed, error)

        def values(points, rep=rep):  # the same calibration territories at every vector
            return _linear_ensemble(np.random.default_rng(rep), points, 40)

        scattered = rng.uniform(0.0, 1.0, 7)
        best = scattered[np.argmin(objective.distance(values(scattered)))]
        local = np.clip(best - 0.05 + 0.1 * (np.arange(8) + rng.uniform(size=8)) / 8, 0.0, 1.0)
        seed = int(rng.integers(2**31))
        box = SimpleNamespace(lower=np.array([0.0]), upper=np.array([1.0]), parameters=("a",),
                              options={"local_points": 8}, sampler_seed=seed)
        points = [np.concatenate([scattered, local])]

        def redo(wider, points=points, objective=objective, seed=seed, values=values):
            points[0] = np.concatenate([points[0], wider[:, 0]])
            return re_estimates(objective, points[0][:, None], values(points[0]), 100, seed)

        draws, _ = covered_draws(box, redo(np.empty((0, 1))), local[:, None], redo)
        low, high = np.quantile(draws[:, 0], [0.05, 0.95])
        hits.append(low <= 0.5 <= high)
    assert np.mean(hits) >= 0.75


def test_a_second_local_design_covers_re_estimates_that_left_the_first():
    box = SimpleNamespace(lower=np.array([0.0, 10.0]), upper=np.array([1.0, 20.0]), parameters=("a", "b"),
                          options={"local_points": 5}, sampler_seed=3)
    local = np.array([[0.4, 14.0], [0.6, 16.0]])
    assert covering_design(box, np.array([[0.45, 14.5], [0.55, 15.5]]), local) is None  # inside: nothing to add
    # draws over a: 0.2-0.6 (margin 0.1), b: 15-16 (margin max(0.25, 0.05 x 10) = 0.5): box [0.1, 0.7] x [14.5, 16.5]
    wider = covering_design(box, np.array([[0.2, 15.0], [0.6, 16.0]]), local)
    assert wider.shape == (10, 2)
    assert wider[:, 0].min() >= 0.1 and wider[:, 0].max() <= 0.7 and wider[:, 0].min() < 0.2
    assert wider[:, 1].min() >= 14.5 and wider[:, 1].max() <= 16.5
    # clipped to the prior
    wider = covering_design(box, np.array([[0.0, 10.0], [0.9, 19.9]]), local)
    assert wider[:, 0].min() >= 0.0 and wider[:, 1].max() <= 20.0
    # redone until the draws stay inside what was evaluated, at most COVER_ROUNDS times
    calls = []

    def settles(points):
        calls.append(len(points))
        return np.array([[0.3, 15.2], [0.5, 15.8]])  # inside the first wider box

    draws, added = covered_draws(box, np.array([[0.2, 15.0], [0.6, 16.0]]), local, settles)
    assert calls == [10] and added == 10 and draws[0, 0] == 0.3

    def spreads(points):
        calls.append(len(points))
        return np.array([[0.0, 10.0], [1.0, 20.0]])  # the prior's corners: beyond any Latin hypercube inside it

    calls.clear()
    _, added = covered_draws(box, np.array([[0.2, 15.0], [0.6, 16.0]]), local, spreads)
    assert len(calls) == COVER_ROUNDS and added == 10 * COVER_ROUNDS


# ---------------------------------------------------------------- files
def _calibration(tmp_path: Path, body: str, patterns: str | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "patterns.toml"
    target.write_text(patterns or (ROOT / "experiments" / "rtd_patterns.toml").read_text(encoding="utf-8"))
    path = tmp_path / "calibration.toml"
    path.write_text(f'ensemble = "{(ROOT / "experiments" / "ensemble.toml").as_posix()}"\npatterns = "patterns.toml"\n'
                    + body)
    return path


GOOD = 'method = "smm"\nparameters = ["migration_income_weight"]\n'


def test_the_shipped_pattern_calibration_loads():
    design = load_calibration(ROOT / "calibration" / "rtd_patterns.toml")
    assert isinstance(design, PatternCalibrationDesign)
    assert [p.name for p in design.patterns] == [p.name for p in load_patterns(ROOT / "experiments" /
                                                                               "rtd_patterns.toml")]


def test_ensemble_values_can_be_replaced_by_the_calibration_file_and_the_command_line(tmp_path):
    path = _calibration(tmp_path, GOOD + "territories = 6\nhouseholds_scale = 0.02\n")
    design = load_calibration(path, {"seeds": 1})
    assert (design.ensemble.territories, design.ensemble.seeds) == (6, 1)
    assert design.ensemble.scenario.households_scale == 0.02
    assert design.weights == {p.name: 1.0 for p in design.patterns}


@pytest.mark.parametrize("body, field", [
    ('method = "smm"\nparameters = ["migration_incom_weight"]\n', "parameters.migration_incom_weight"),
    (GOOD + "[weights]\nwin_win_win = 2.0\n", "weights.win_win_win"),
    (GOOD + "[weights]\nwin_win_win_share = -1.0\n", "weights.win_win_win_share"),
    (GOOD + 'observations = "data.csv"\n', "observations"),
    (GOOD + "territories = 0\n", "territories"),
    ('method = "smm"\nparameters = ["national_income_growth"]\n', "parameters.national_income_growth"),
    ('method = "newton"\nparameters = ["migration_income_weight"]\n', "method"),
    (GOOD + "[statistics]\nincome_growth_log = 1.0\n", "statistics"),
])
def test_bad_pattern_calibrations_are_rejected_naming_file_and_field(tmp_path, body, field):
    path = _calibration(tmp_path, body)
    with pytest.raises(InputError) as info:
        load_calibration(path)
    assert info.value.field == field, info.value


def test_a_target_without_tolerance_is_rejected_naming_the_patterns_file(tmp_path, capsys):
    patterns = ('[[patterns]]\nname = "x"\nstatistic = "mean"\nvariable = "forest_change"\nobserved = -0.1\n'
                'tolerance = 0.0\nsource = "s"\nstatus = "assumption"\n')
    path = _calibration(tmp_path, GOOD, patterns)
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "patterns.toml" in err and "patterns[0].tolerance" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_validate_knows_ensemble_designs_patterns_and_pattern_calibrations(capsys):
    files = [ROOT / "experiments" / "ensemble.toml", ROOT / "experiments" / "rtd_patterns.toml",
             ROOT / "calibration" / "rtd_patterns.toml", ROOT / "experiments" / "ensemble_stationary.toml"]
    assert main(["validate", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert "ensemble: 40 territories" in out and "patterns: 7" in out and "calibration to patterns" in out
    # a design that takes its territories from a base is known as an ensemble design, not a scenario
    assert "ensemble_stationary.toml (ensemble: 40 territories x 2 seeds" in out


# ---------------------------------------------------------------- recovery
TRUTH = {"frontier_clearing_rate": 0.012}
TARGETS = [_pattern(name="forest", statistic="mean", variable="forest_change")]


@pytest.mark.slow
def test_a_known_truth_is_recovered_from_the_patterns_it_made(tmp_path):
    """Known truth -> patterns of an ensemble of other territories simulated at it ->
    calibrate on them -> the truth lies inside the 95 % interval, which is narrower than the
    prior; rerunning on the same directory reuses every run and gives the same estimate.

    The parameter is the frontier's clearing pull: since the clearing hurdle is backed out
    from the start, ``clearing_propensity`` no longer sets the level of clearing and is not
    identified from forest change. 12 local points: with 6 the bootstrap found too few
    vectors near the estimate (the sparse-vector under-coverage of benchmarks/pattern_recovery.py)
    and the interval ended at 0.01177 against the truth 0.012."""
    ensemble = tmp_path / "ensemble.toml"
    ensemble.write_text(f'scenario = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n'
                        "territories = 10\nseeds = 1\nseed = 5\nsteps = 4\nhouseholds_scale = 0.02\n")
    observed = simulated_patterns(load_ensemble(ensemble), TARGETS, TRUTH, seed=6, out_dir=tmp_path / "truth",
                                  workers=2)
    write_patterns(observed, tmp_path / "patterns.toml")
    path = tmp_path / "calibration.toml"
    path.write_text('ensemble = "ensemble.toml"\npatterns = "patterns.toml"\nmethod = "smm"\n'
                    'parameters = ["frontier_clearing_rate"]\nconfidence_level = 0.95\n'
                    "[priors]\nfrontier_clearing_rate = [0.0, 0.03]\n"
                    "[options]\npopsize = 5\nmaxiter = 3\nbootstrap = 200\nlocal_points = 12\n")
    status = run_calibration(path, tmp_path / "out", workers=2, progress=False)
    assert status.complete
    row = status.estimates.iloc[0]
    assert row["low"] <= TRUTH["frontier_clearing_rate"] <= row["high"], row.to_dict()
    assert bool(row["identified"])
    fit = pd.read_csv(tmp_path / "out" / "fit.csv")
    assert list(fit["statistic"]) == ["forest"]
    for name in ("estimate.csv", "posterior.png", "fit.png", "calibrated.toml", "calibration.json"):
        assert (tmp_path / "out" / name).is_file(), name
    assert "frontier_clearing_rate = " in (tmp_path / "out" / "calibrated.toml").read_text()
    again = run_calibration(path, tmp_path / "out", workers=1, progress=False, with_plots=False)
    pd.testing.assert_frame_equal(again.estimates, status.estimates)


@pytest.mark.slow
def test_a_killed_pattern_calibration_resumes_to_the_uninterrupted_answer(tmp_path):
    import subprocess
    import sys

    from conftest import kill_after_stored_runs

    (tmp_path / "ensemble.toml").write_text(f'scenario = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n'
                                            "territories = 4\nseeds = 1\nseed = 5\nsteps = 3\n"
                                            "households_scale = 0.02\n")
    write_patterns([_pattern(name="forest", statistic="mean", variable="forest_change", observed=-0.1,
                             tolerance=0.02)], tmp_path / "patterns.toml")
    path = tmp_path / "calibration.toml"
    path.write_text('ensemble = "ensemble.toml"\npatterns = "patterns.toml"\nmethod = "smm"\n'
                    'parameters = ["clearing_propensity"]\n[priors]\nclearing_propensity = [0.0, 0.2]\n'
                    "[options]\npopsize = 5\nmaxiter = 1\nbootstrap = 50\nlocal_points = 4\n")
    # killed and resumed in the command line's own processes, the clean calibration through main
    # in this process (a third process), none drawing the plots (nothing here reads them)
    args = ["calibrate", str(path), "--quiet", "--no-plots"]
    command = [sys.executable, "-m", "territory_abm.cli", *args]
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    kill_after_stored_runs([*command, "--workers", "2", "--out", str(killed)], killed, runs=12)
    assert not (killed / "calibration.json").exists()
    resumed = subprocess.run([*command, "--workers", "2", "--out", str(killed)], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert main([*args, "--workers", "1", "--out", str(clean)]) == 0
    for name in ("estimate.csv", "evaluations.csv", "fit.csv", "posterior.csv", "calibrated.toml"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name


def test_interpolation_between_evaluated_vectors_known_answers():
    # one parameter: piecewise linear between the sorted vectors, NaN (and masked) outside
    thetas = np.array([[2.0], [0.0], [1.0]])
    values = np.stack([np.array([[t, 10 * t], [t * t, 1.0]]) for t in thetas[:, 0]])
    at, inside = interpolate(thetas, values, np.array([[0.5], [1.5], [-0.1], [2.0]]))
    assert inside.tolist() == [True, True, False, True]
    np.testing.assert_allclose(at[0], [[0.5, 5.0], [0.5, 1.0]])
    np.testing.assert_allclose(at[1], [[1.5, 15.0], [2.5, 1.0]])
    np.testing.assert_allclose(at[3], values[0])
    assert np.isnan(at[2]).all()
    # two parameters: a linear function is reproduced exactly inside the hull
    rng = np.random.default_rng(3)
    thetas = rng.uniform(0, 1, (30, 2))
    values = (1.0 + 2.0 * thetas[:, 0] - 3.0 * thetas[:, 1])[:, None] * np.ones((1, 4))
    points = np.array([[0.5, 0.5], [0.4, 0.6], [5.0, 5.0]])
    at, inside = interpolate(thetas, values, points)
    assert inside.tolist() == [True, True, False]
    np.testing.assert_allclose(at[:2, 0], 1.0 + 2.0 * points[:2, 0] - 3.0 * points[:2, 1], atol=1e-12)


def test_candidates_fill_the_evaluated_box_and_the_best_vectors_box():
    thetas = np.array([[0.0, 10.0], [1.0, 20.0], [0.4, 14.0], [0.5, 15.0]])
    points = candidates(thetas, np.array([9.0, 8.0, 1.0, 2.0]), seed=1)
    assert len(points) == 4 + 2 * 2 * CANDIDATES
    np.testing.assert_array_equal(points[:4], thetas)
    assert points.min(axis=0).tolist() == [0.0, 10.0] and points.max(axis=0).tolist() == [1.0, 20.0]
    best = points[4 + 2 * CANDIDATES:]  # the best quarter: the vector of distance 1 alone, a point box
    np.testing.assert_allclose(best, np.tile([0.4, 14.0], (len(best), 1)))
