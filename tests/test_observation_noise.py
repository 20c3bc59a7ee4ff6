"""SMM intervals with observation noise: on a toy territory whose statistics are known
(a parameter shifts every municipality's poverty change; a shock shared by all
municipalities and one of each municipality; observation error at stated standard
errors), the bootstrap's 90 % intervals cover the truth about 90 % of the time with and
without observation error, and resampling municipalities alone (what the bootstrap did
before) misses the shared shock and covers far less often."""

import numpy as np
import pandas as pd
import pytest

from territory_abm.calibration.objective import Objective
from territory_abm.calibration.observations import OBSERVABLES, Observations
from territory_abm.calibration.smm import bootstrap_estimates
from territory_abm.calibration.statistics import MUNICIPAL, Layout

MUNIS = tuple(f"M{j:02d}" for j in range(12))
SEEDS, REALIZATIONS, RESAMPLES, DATASETS = 4, 16, 80, 60
SHARED, OWN = 0.02, 0.02  # sd of the shock all municipalities share and of each one's own (share points)
GRID = np.linspace(-0.2, 0.2, 81)
POVERTY = list(MUNICIPAL).index("poverty_change")


def _histories(rng: np.random.Generator, count: int) -> np.ndarray:
    """Deviations of ``count`` histories: (count, municipalities)."""
    return SHARED * rng.standard_normal((count, 1)) + OWN * rng.standard_normal((count, len(MUNIS)))


def _statistics(change: np.ndarray) -> np.ndarray:
    values = np.full((*change.shape, len(MUNICIPAL)), np.nan)
    values[..., POVERTY] = change
    return values


def _observations(change: np.ndarray, se: np.ndarray) -> Observations:
    def frame(poverty):
        return pd.DataFrame({c: poverty if c == "poverty_headcount" else np.nan for c in OBSERVABLES}, index=MUNIS)

    errors = {2010: frame(np.zeros(len(MUNIS))).fillna(0.0), 2020: frame(se).fillna(0.0)}
    return Observations("toy", (2010, 2020), {2010: frame(np.full(len(MUNIS), 0.4)), 2020: frame(0.4 + change)},
                        errors, pd.DataFrame())


def _recovery(rng: np.random.Generator, se_range: tuple[float, float], realizations: bool,
              datasets: int = DATASETS) -> pd.DataFrame:
    """Per data set: the estimate's error, the bootstrap's standard deviation and whether the
    90 % interval held the truth."""
    rows = []
    for _ in range(datasets):
        truth = rng.uniform(-0.1, 0.1)
        se = rng.uniform(*se_range, len(MUNIS))
        observed = truth + _histories(rng, 1)[0] + se * rng.standard_normal(len(MUNIS))
        obs = _observations(observed, se)
        objective = Objective(Layout(("poverty_change",), MUNIS), {"poverty_change": 1.0}, obs.municipal_values(),
                              np.full(len(MUNIS), 0.05), obs.municipal_se(), obs)
        values = _statistics(GRID[:, None, None] + _histories(rng, SEEDS)[None])  # common random numbers
        estimate = GRID[np.argmin(objective.distance(values))]
        if realizations:
            objective = objective.with_realizations(_statistics(estimate + _histories(rng, REALIZATIONS)))
        draws = bootstrap_estimates(objective, GRID[:, None], values, RESAMPLES, int(rng.integers(1 << 30)))[:, 0]
        low, high = np.quantile(draws, [0.05, 0.95])
        rows.append({"error": estimate - truth, "sd": draws.std(), "covered": low <= truth <= high})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("se_range", [(0.0, 0.0), (0.02, 0.08)])
def test_intervals_are_as_wide_as_the_estimate_varies_with_and_without_observation_noise(se_range):
    result = _recovery(np.random.default_rng(7), se_range, realizations=True)
    spread = float(np.sqrt((result["error"] ** 2).mean()))  # the estimate's error, data set to data set
    assert 0.8 <= float(np.sqrt((result["sd"] ** 2).mean())) / spread <= 1.25
    assert result["covered"].mean() >= 0.75  # 60 data sets: binomial noise of about 0.04


def test_resampling_municipalities_alone_misses_the_shock_they_share():
    result = _recovery(np.random.default_rng(7), (0.0, 0.0), realizations=False, datasets=30)
    assert float(np.sqrt((result["sd"] ** 2).mean())) < 0.5 * float(np.sqrt((result["error"] ** 2).mean()))
    assert result["covered"].mean() < 0.7


def test_measured_again_moves_each_value_at_its_standard_error():
    se = np.linspace(0.01, 0.05, len(MUNIS))
    obs = _observations(np.zeros(len(MUNIS)), se)
    rng = np.random.default_rng(3)
    draws = np.array([obs.measured_again(rng)[:, POVERTY] for _ in range(2000)])
    assert draws.mean(axis=0) == pytest.approx(np.zeros(len(MUNIS)), abs=0.004)
    assert draws.std(axis=0) == pytest.approx(se, rel=0.08)
