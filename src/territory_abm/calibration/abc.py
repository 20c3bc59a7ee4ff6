"""Approximate Bayesian computation by sequential Monte Carlo, with pyabc.

pyabc does the inference (prior, perturbation kernels, weights, the acceptance threshold
schedule); this module supplies the distance (``Objective``) and a pyabc sampler that
evaluates candidates in batches on the experiment engine. The sampler makes the result
independent of the engine and resumable: before drawing candidate i of generation t it
seeds NumPy's global generator (which pyabc draws from) with (sampler_seed, t, i). A
batch is proposed once to learn which parameter vectors need runs, those run in parallel
and are stored, and the batch is then proposed again — the same candidates, now with
stored results — and accepted or rejected in candidate order. A restarted calibration
replays the same candidates and finds their runs in the store.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .design import CalibrationDesign
from .evaluate import Evaluator
from .fit import Fit
from .objective import REALIZATIONS, Objective
from .smm import latin_hypercube


class _NeedsRun(Exception):
    """Raised by the model function during the proposal pass: this vector has no result yet."""

    def __init__(self, theta: np.ndarray):
        super().__init__("needs a run")
        self.theta = theta


def _sampler_class():
    from pyabc.sampler import Sampler

    class BatchSampler(Sampler):
        """Deterministic batches of candidates evaluated on a territory_abm engine."""

        def __init__(self, evaluator: Evaluator, seed: int, batch: int):
            super().__init__()
            self.evaluator, self.seed, self.batch = evaluator, seed, batch

        def _draw(self, simulate_one, t: int, i: int):
            np.random.seed([self.seed, t + 2, i])
            return simulate_one()

        def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                    ana_vars=None):
            sample = self._create_empty_sample()
            drawn = 0
            while sample.n_accepted < n and drawn < max_eval:
                candidates = range(drawn, drawn + self.batch)
                needed = []
                for i in candidates:
                    try:
                        self._draw(simulate_one, t, i)
                    except _NeedsRun as need:
                        needed.append(need.theta)
                if needed:
                    self.evaluator.values(np.array(needed))
                for i in candidates:
                    sample.append(self._draw(simulate_one, t, i))
                    drawn += 1
                    if sample.n_accepted >= n:
                        break
            self.nr_evaluations_ = drawn
            if sample.n_accepted < n:
                sample.ok = False
            return sample

    return BatchSampler


def generation_means(history, names: list[str], generations) -> np.ndarray:
    """Each parameter's weighted posterior mean in each generation (rows: parameters)."""
    means = []
    for t in generations:
        frame, weights = history.get_distribution(m=0, t=int(t))
        weights = np.asarray(weights, float)
        means.append(_weighted_mean(frame[names].to_numpy(float), weights / weights.sum()))
    return np.array(means).T


def fit_abc(design: CalibrationDesign, evaluator: Evaluator, batch: int, make_objective=Objective.from_pilot) -> Fit:
    """ABC-SMC on the distance ``make_objective(design, pilot values)`` gives."""
    import pyabc  # checked when the calibration file was read
    logging.getLogger("ABC").setLevel(logging.WARNING)
    opts = design.options
    names = list(design.parameters)
    pilot = latin_hypercube(design, opts["pilot"] * len(names), design.sampler_seed)
    objective = make_objective(design, evaluator.values(pilot, "pilot"))

    def model(pars):
        theta = np.array([pars[n] for n in names], float)
        values = evaluator.cached(theta)
        if values is None:
            raise _NeedsRun(theta)
        return {"statistics": objective.simulated(values[None])[0], "noise": objective.noise(values[None])[0]}

    def distance(x, x0):
        return objective.distance_of_vector(x["statistics"], x["noise"])

    prior = pyabc.Distribution(**{n: pyabc.RV("uniform", lo, hi - lo) for n, (lo, hi) in zip(names, design.bounds)})
    sampler = _sampler_class()(evaluator, design.sampler_seed, batch)
    sampler.show_progress = False
    abc = pyabc.ABCSMC(model, prior, distance, population_size=opts["population_size"], sampler=sampler,
                       eps=pyabc.QuantileEpsilon(alpha=0.5))
    abc.new("sqlite://", {"statistics": objective.observed, "noise": np.zeros_like(objective.observed)})
    history = abc.run(minimum_epsilon=opts["min_epsilon"], max_nr_populations=opts["generations"])
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    draws = frame[names].to_numpy(float)
    weights = np.asarray(weights, float) / np.sum(weights)
    populations = history.get_all_populations()
    populations = populations[populations["t"] >= 0]
    table = pd.DataFrame({"generation": populations["t"].to_numpy(int),
                          "evaluations": populations["samples"].to_numpy(int),
                          "epsilon": populations["epsilon"].to_numpy(float)})
    for name, means in zip(names, generation_means(history, names, table["generation"])):
        table[f"mean_{name}"] = means  # whether the posterior had settled (report.calibration_warnings)
    estimate = _weighted_mean(draws, weights)
    notes = [f"pyabc {pyabc.__version__} ABC-SMC: {len(table)} generations, final threshold "
             f"{table['epsilon'].iloc[-1]:.4g}, {int(table['evaluations'].sum())} candidates"]
    if isinstance(objective, Objective):  # one territory's history: the fit's check draws it again
        objective = objective.with_realizations(evaluator.realizations(estimate, REALIZATIONS))
        notes.append(f"predictive intervals: each posterior draw's seeds' mean plus another history of the territory "
                     f"(from {REALIZATIONS} runs at the estimate) and another measurement error")
    return Fit("abc_smc", estimate, draws, weights, table, objective, notes)


def _weighted_mean(draws: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return (draws * weights[:, None]).sum(axis=0)
