"""Fitting behavioural parameters to cross-territory patterns: the ensemble every parameter
vector runs, the distance to the observed patterns, and what is written.

Each parameter vector runs every territory of the calibration's ensemble under every
replicate seed (the same territories, contexts and seeds for every vector: common random
numbers), stored in the output directory's results store so an interrupted calibration
resumes. A run is reduced to each pattern's sufficient statistics
(``ensemble.statistics.sums``): the values of one vector are an array (seeds, territories,
patterns, ``SUMS``), from which the pattern value of any set of territories and seeds is
exact, so the bootstrap resamples territories without new runs.

Distance (:class:`PatternObjective`)::

    d(theta) = sum_k w_k ((s_k(theta) - o_k)^2 - v_k(theta)) / sd_k^2

over the patterns k, with s the value pooled over the ensemble, o the observed value,
sd_k = tolerance_k / TOLERANCE_SD the observed value's standard error, and v the
simulation noise of s (the variance of the per-seed values over seeds, divided by their
number), subtracted as in the single-territory distance. SMM's bootstrap re-estimates
under resampled territories and seeds and an observed value drawn from
N(o_k, sd_k^2): the interval covers both the finite ensemble and the uncertainty of the
observation; it re-estimates between the evaluated vectors, the sums interpolated
(``calibration.surrogate``). The runs go through ``ensemble.runs.EnsembleRun``: the workers
generate the territories and return each run's municipality rows. Group medians
(``near_market``, ``high_land_gini``...) are fixed over the whole ensemble (generated
features do not depend on the parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..ensemble.command import check_generation
from ..ensemble.generate import generate
from ..ensemble.runs import RUN_TABLE, UNITS_TABLE, EnsembleRun, territory_key
from ..ensemble.patterns import UNITS, Pattern
from ..ensemble.statistics import GROUPS, SUMS, from_sums
from ..experiments.driver import run_experiment
from ..experiments.runs import RunSpec, read_result
from ..experiments.store import ResultStore
from .evaluate import Evaluator
from .objective import SCALE_FLOOR
from .pattern_design import TOLERANCE_SD, PatternCalibrationDesign
from .statistics import Entry, distance


@dataclass(frozen=True)
class PatternLayout:
    """One entry per pattern (the shape ``calibration.report.fit_table`` reads)."""

    names: tuple[str, ...]

    @property
    def entries(self) -> list[Entry]:
        return [Entry(name, "", "") for name in self.names]


@dataclass(frozen=True)
class PatternObjective:
    """The distance to observed patterns (module docstring); ``values`` arrays are
    (points, seeds, territories, patterns, SUMS)."""

    patterns: tuple[Pattern, ...]
    weights: np.ndarray
    observed: np.ndarray
    scale: np.ndarray
    interpolates = True
    """SMM's bootstrap re-estimates between the evaluated vectors (``calibration.surrogate``)."""

    @classmethod
    def from_pilot(cls, design: PatternCalibrationDesign, pilot: np.ndarray) -> "PatternObjective":
        """Scales from the tolerances (the pilot is not needed: the signature of ``Objective``'s)."""
        observed = np.array([p.observed for p in design.patterns])
        scale = np.maximum(np.array([p.tolerance for p in design.patterns]) / TOLERANCE_SD, SCALE_FLOOR)
        weights = np.array([design.weights[p.name] for p in design.patterns])
        return cls(design.patterns, weights, observed, scale)

    @property
    def layout(self) -> PatternLayout:
        return PatternLayout(tuple(p.name for p in self.patterns))

    def _values(self, pooled: np.ndarray) -> np.ndarray:
        """Pattern values from sums (..., patterns, SUMS) -> (..., patterns)."""
        return np.stack([from_sums(p.statistic, pooled[..., k, :]) for k, p in enumerate(self.patterns)], axis=-1)

    def simulated(self, values: np.ndarray, rows: np.ndarray | None = None, seeds: np.ndarray | None = None):
        """Pattern values pooled over seeds and territories (``rows``, ``seeds``: resampled
        indices): (points, patterns)."""
        values = values if seeds is None else values[:, seeds]
        values = values if rows is None else values[:, :, rows]
        return self._values(values.sum(axis=(1, 2)))

    def noise(self, values: np.ndarray, rows: np.ndarray | None = None, seeds: np.ndarray | None = None):
        """Variance over seeds of the per-seed pattern values divided by their number
        (points, patterns); 0 with one seed."""
        values = values if seeds is None else values[:, seeds]
        values = values if rows is None else values[:, :, rows]
        if values.shape[1] < 2:
            return np.zeros((values.shape[0], len(self.patterns)))
        with np.errstate(invalid="ignore"):
            return self._values(values.sum(axis=2)).var(axis=1, ddof=1) / values.shape[1]

    def distance(self, values: np.ndarray, rows: np.ndarray | None = None, seeds: np.ndarray | None = None,
                 observed: np.ndarray | None = None) -> np.ndarray:
        observed = self.observed if observed is None else observed
        return distance(self.simulated(values, rows, seeds), observed, self.scale, self.weights,
                        noise=self.noise(values, rows, seeds))

    def resampled_distance(self, values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Distance under one bootstrap draw: territories and seeds with replacement, the
        observed values from their uncertainty."""
        n_territories, n_seeds = values.shape[2], values.shape[1]
        rows = rng.integers(0, n_territories, n_territories)
        seeds = rng.integers(0, n_seeds, n_seeds)
        observed = self.observed + self.scale * rng.standard_normal(len(self.observed))
        return self.distance(values, rows, seeds, observed)

    def distance_of_vector(self, simulated: np.ndarray, noise: np.ndarray | float = 0.0) -> float:
        return float(distance(simulated, self.observed, self.scale, self.weights, noise=noise))

    def entry_weights(self, observed: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        return self.weights


class PatternEvaluator(Evaluator):
    """Pattern sums of parameter vectors, each run over the whole ensemble; ``values(thetas)``
    returns (points, seeds, territories, patterns, SUMS), NaN where a run failed."""

    def __init__(self, design: PatternCalibrationDesign, out_dir: Path, engine, bar=None):
        self.design, self.out_dir, self.engine, self.bar = design, Path(out_dir), engine, bar
        self.record = design.as_dict()
        self.names = list(design.parameters)
        self._cache: dict[str, np.ndarray] = {}
        self.evaluated: dict[str, dict[str, float]] = {}
        self.failures: dict[str, str] = {}
        self.runs = 0
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with ResultStore(self.out_dir, self.record):
            pass  # refuse a directory holding another calibration before running anything
        ensemble = design.ensemble
        check_generation(ensemble)
        self.generated = [generate(ensemble.distributions, ensemble.territory_rng(i), ensemble.scenario.poverty_line)
                          for i in range(ensemble.territories)]
        self.groups = _group_masks(design.patterns, self.generated)

    def _run(self, points: dict[str, dict[str, float]], kind: str) -> None:
        ensemble = self.design.ensemble
        specs = []
        for key, theta in points.items():
            for i in range(ensemble.territories):
                scenario = ensemble.scenario.replace(name=territory_key(i))
                context = ensemble.context_draws(i)
                for k, seed in enumerate(ensemble.run_seeds(i)):
                    specs.append(RunSpec(_run_id(key, i, k), scenario, seed, {**context, **theta},
                                         labels={"theta": key, "kind": kind, "territory": i, "replicate": k}))
        status = run_experiment(specs, self.out_dir, self.record, self.engine, progress=False,
                                fn=EnsembleRun(ensemble))
        self.runs += len(specs)
        if self.bar is not None:
            self.bar.update(len(specs))
        failed = dict(status.failures)
        with ResultStore(self.out_dir) as store:
            for key in points:
                values = np.full((ensemble.seeds, ensemble.territories, len(self.design.patterns), SUMS), np.nan)
                for i in range(ensemble.territories):
                    for k in range(ensemble.seeds):
                        run_id = _run_id(key, i, k)
                        payload = store.payload(run_id)
                        if payload is None:
                            self.failures[run_id] = failed.get(run_id, "no result stored")
                            continue
                        tables = read_result(payload)
                        values[k, i] = [p.sums(p.rows(tables[UNITS_TABLE], tables[RUN_TABLE]), self.groups[j][i])
                                        for j, p in enumerate(self.design.patterns)]
                self._cache[key] = values

    def nodes(self, theta: np.ndarray, seed: int):
        raise NotImplementedError("a calibration to patterns has no single territory to predict")


def _run_id(key: str, territory: int, replicate: int) -> str:
    return f"theta={key}/{territory_key(territory)}/r{replicate}"


def _group_masks(patterns, generated) -> list[list[np.ndarray | None]]:
    """Per pattern and territory, the group membership of the territory's units that the
    pattern pools (in their order), medians over the whole ensemble; None without a group."""
    features = pd.concat([g.municipalities.assign(_territory=i) for i, g in enumerate(generated)],
                         ignore_index=True)
    out = []
    for p in patterns:
        if not p.group:
            out.append([None] * len(generated))
            continue
        if p.units == "territory":  # one row a run: the territory's own draw (only has_city is allowed)
            pooled = pd.DataFrame({"has_city": [int(bool(g.draws["city_present"])) for g in generated],
                                   "_territory": np.arange(len(generated))})
        else:
            pooled = features[features["kind"].isin(UNITS[p.units])]
        member = GROUPS[p.group].rule(pooled)
        territory = pooled["_territory"].to_numpy()
        out.append([member[territory == i] for i in range(len(generated))])
    return out


def write_pattern_calibration(design: PatternCalibrationDesign, fit, evaluator: PatternEvaluator,
                              at_estimate: np.ndarray, predictive: np.ndarray, out_dir: Path,
                              wall_time_s: float, with_plots: bool = True):
    """The files of :func:`~territory_abm.calibration.command.write_fit` (``fit.csv``: one
    row per pattern); returns what it returns (``command.WrittenFit``)."""
    from .command import write_fit

    return write_fit(design, fit, evaluator, at_estimate, predictive, out_dir, wall_time_s,
                          tables_extra={}, plots_extra={},
                          record_extra={"patterns": design.patterns_source, "ensemble": design.ensemble.source,
                                        "territories": design.ensemble.territories},
                          with_plots=with_plots)

