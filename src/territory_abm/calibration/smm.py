"""Simulated method of moments: SciPy's differential evolution minimises the distance;
intervals from a bootstrap that draws the data again (another realization of the
territory, another measurement error) and the replicate seeds, on the evaluated vectors
plus a Latin hypercube around the estimate (and more over the range of the
re-estimates while they spread beyond those).

The optimiser hands each generation to the experiment engine at once (``workers`` map,
deferred updating), so the runs of a generation go in parallel and the search is the same
on any engine. The bootstrap needs few new runs (``REALIZATIONS`` at the estimate with seeds
of their own, the draws of another history of the territory): every evaluated parameter
vector is kept, and each resample (``Objective.resampled_distance``: the data drawn again,
replicate seeds drawn with replacement) re-estimates the parameters as the evaluated vector
nearest to the resampled data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import differential_evolution
from scipy.stats import qmc

from ..params import REGISTRY
from .design import CalibrationDesign
from .evaluate import Evaluator
from .fit import Fit
from .objective import REALIZATIONS, Objective
from .surrogate import between


def latin_hypercube(design: CalibrationDesign, points: int, seed: int) -> np.ndarray:
    """``points`` prior draws spread over the prior box (Latin hypercube)."""
    u = qmc.LatinHypercube(d=len(design.parameters), seed=seed).random(points)
    return design.lower + u * (design.upper - design.lower)


def fit_smm(design: CalibrationDesign, evaluator: Evaluator, make_objective=Objective.from_pilot) -> Fit:
    """Minimise the distance ``make_objective(design, pilot values)`` gives (the pilot: the
    optimiser's first generation).

    The estimate takes two steps (two-step SMM): the first weighs every statistic at its
    pilot spread; runs at that estimate (the bootstrap's ``REALIZATIONS``) then give each
    statistic's covariance across municipalities (``Objective.weighed_by_residuals``: each
    municipality's own noise and measurement error, the error read off the residuals where
    the observations state none, and the shock all municipalities share in one history),
    and the optimiser starts again from its last population (its worst member replaced by
    the evaluated vector nearest under the new weights) with the statistics weighed by it.
    Without that, a statistic measured with much error (a forest cover's census error
    divided by a small change) or whose level is one history's shock (income growth)
    decided the estimate against the statistics that identify a parameter: in
    ``benchmarks/recovery.py`` with census noise 0.02 the forest's deviations were ten times
    the others' and the birth rate missed by 0.015/yr while the population's growth said
    otherwise (session 30).

    The history (``history.csv``) has one row per generation: the vectors it evaluated
    (generation 0 the initial population, later ones the optimiser's trial vectors, often
    worse than the best already found), the smallest and the median of their distances
    (``generation_best_distance``, ``generation_median_distance``) and the smallest distance
    found up to it (``best_distance_so_far``; at the last generation the estimate's), and
    the step (``step``: 1, or 2 for the generations weighed by the first step's residuals,
    whose distances are not comparable with the first's).
    Until session 25 the first two were ``best_distance`` and ``median_distance``, which a
    user's trial read as the search's running best."""
    opts = design.options
    d = len(design.parameters)
    init = latin_hypercube(design, opts["popsize"] * d, design.sampler_seed)
    objective = make_objective(design, evaluator.values(init, "pilot"))
    history: list[dict] = []
    result = _evolve(design, evaluator, objective, init, history, step=1)
    notes = [f"differential evolution: {result.message} ({result.nit} generations)"]
    runs = None
    if isinstance(objective, Objective):  # one territory's history: draw it again around the estimate
        runs = evaluator.realizations(np.asarray(result.x, float), REALIZATIONS)
        weighed = objective.weighed_by_residuals(runs, len(design.seeds))
        if weighed is not objective:
            objective = weighed
            _, thetas = evaluator.evaluated_thetas()
            population = np.asarray(result.population, float)
            population = second_start(objective, population, evaluator.values(population), thetas,
                                      evaluator.values(thetas))
            result = _evolve(design, evaluator, objective, population, history, step=2)
            notes.append(f"second step, the statistics weighed by their covariance at the first estimate: "
                         f"{result.message} ({result.nit} generations)")
            runs = evaluator.realizations(np.asarray(result.x, float), REALIZATIONS)
    local = local_design(design, np.asarray(result.x, float), np.asarray(result.population))
    evaluator.values(local, "local")
    if runs is not None:
        objective = objective.with_realizations(runs)
    keys, thetas = evaluator.evaluated_thetas()
    draws = re_estimates(objective, thetas, evaluator.values(thetas), opts["bootstrap"], design.sampler_seed)
    notes += [f"{len(keys)} parameter vectors evaluated", _bootstrap_note(objective, opts["bootstrap"])]

    def redo(points: np.ndarray) -> np.ndarray:
        evaluator.values(points, "local")
        _, thetas = evaluator.evaluated_thetas()
        return re_estimates(objective, thetas, evaluator.values(thetas), opts["bootstrap"], design.sampler_seed)

    draws, added = covered_draws(design, draws, local, redo)
    if added:
        notes.append(f"the bootstrap re-estimates spread beyond the local design: {added} more vectors over their range")
    return Fit("smm", np.asarray(result.x, float), draws, np.full(len(draws), 1.0 / len(draws)),
               pd.DataFrame(history), objective, notes)


def _evolve(design: CalibrationDesign, evaluator: Evaluator, objective, init: np.ndarray, history: list[dict],
            step: int):
    """SciPy's differential evolution of ``objective``'s distance from the population ``init``,
    each generation's vectors evaluated together (``evaluator``) and recorded in ``history``."""
    opts = design.options
    first = len(history)

    def evaluate(thetas) -> np.ndarray:
        return objective.distance(evaluator.values(np.asarray(thetas)))

    def generation(func, thetas):
        thetas = list(thetas)
        dist = evaluate(np.array(thetas))
        best = float(np.min(dist))
        so_far = min(best, history[-1]["best_distance_so_far"]) if len(history) > first else best
        history.append({"generation": len(history), "evaluations": len(thetas), "generation_best_distance": best,
                        "generation_median_distance": float(np.median(dist)), "best_distance_so_far": so_far,
                        "step": step})
        return list(dist)

    def stalled(intermediate_result=None) -> bool:  # SciPy passes the generation's result by this name
        return stalled_search(history[first:], opts.get("stall", 0), opts.get("stall_tol", 0.0))

    integrality = np.array([REGISTRY[n].integer for n in design.parameters])
    result = differential_evolution(lambda x: float(evaluate(x[None, :])[0]), list(design.bounds), init=init,
                                    seed=design.sampler_seed, workers=generation, updating="deferred",
                                    maxiter=opts["maxiter"], tol=opts["tol"], polish=False, callback=stalled,
                                    integrality=integrality if integrality.any() else None)
    if stalled() and not result.success:
        result.message = (f"the best distance fell by no more than {opts['stall_tol']:g} of itself in the last "
                          f"{opts['stall']} generations (options.stall, options.stall_tol)")
        result.success = True
    return result


def stalled_search(history: list[dict], generations: int, tolerance: float) -> bool:
    """Whether a search whose ``history`` (one row per generation, ``best_distance_so_far``)
    has stalled: its best distance fell by no more than ``tolerance`` times itself in its
    last ``generations`` generations (0: never). With common random numbers the distance is
    rough at the scale of the simulation noise, so a population of differential evolution
    can keep its spread (SciPy's ``tol``) long after its best stops improving: the example's
    second step found its best-but-0.5 % in 4 of its 25 generations (session 31)."""
    if generations <= 0 or len(history) <= generations:
        return False
    before, now = history[-1 - generations]["best_distance_so_far"], history[-1]["best_distance_so_far"]
    return before - now <= tolerance * abs(before)


def second_start(objective: Objective, population: np.ndarray, own_values: np.ndarray, thetas: np.ndarray,
                 values: np.ndarray) -> np.ndarray:
    """The second step's first population: the first step's last ``population`` (with its
    values ``own_values``), its worst member under ``objective`` replaced by the evaluated
    vector (``thetas``, their ``values``) that ``objective`` puts nearest when that one is
    nearer than every member (the first step's search evaluated vectors all over the prior;
    the new weights may prefer one its population had left)."""
    own = objective.distance(own_values)
    distance = objective.distance(values)
    if not distance.min() < own.min():
        return population
    population = population.copy()
    population[int(np.argmax(own))] = thetas[int(np.argmin(distance))]
    return population


def _bootstrap_note(objective, resamples: int) -> str:
    if getattr(objective, "realizations", None) is None:
        return f"bootstrap: {resamples} resamples"
    errors = objective.observations is not None and objective.observations.has_errors
    residual = getattr(objective, "residual_se", None)
    measured = "".join(
        [", another measurement error at the stated standard errors"] * errors
        + [", another measurement error of each statistic whose observations state none, at the size its residuals "
           "at the estimate leave beyond the model's own randomness"] * bool(residual is not None and residual.any()))
    return (f"bootstrap: {resamples} resamples of the data (another history of the territory from "
            f"{len(objective.realizations)} runs at the estimate" + measured + ") and of the replicate seeds")


def local_design(design: CalibrationDesign, estimate: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Latin hypercube around the estimate (``local_points`` per parameter), so that the
    bootstrap can re-estimate anywhere near it and not only where the optimiser happened to
    look: half-width three standard deviations of the final population, at least 5 % of
    the prior's width, clipped to the prior."""
    d = len(design.parameters)
    width = design.upper - design.lower
    half = np.maximum(3.0 * population.std(axis=0), 0.05 * width)
    low, high = np.maximum(estimate - half, design.lower), np.minimum(estimate + half, design.upper)
    u = qmc.LatinHypercube(d=d, seed=design.sampler_seed + 1).random(design.options["local_points"] * d)
    return low + u * (high - low)


COVER_ROUNDS = 3
"""Most second local designs :func:`covered_draws` adds."""


def covered_draws(design: CalibrationDesign, draws: np.ndarray, local: np.ndarray, redo) -> tuple[np.ndarray, int]:
    """Bootstrap draws that no longer leave the evaluated local designs: while they spread
    beyond the box of ``local`` (at most :data:`COVER_ROUNDS` times), evaluate
    :func:`covering_design` and take ``redo(new vectors)``, the bootstrap redone over every
    evaluated vector. Returns the draws and the number of vectors added."""
    added = 0
    for _ in range(COVER_ROUNDS):
        wider = covering_design(design, draws, local)
        if wider is None:
            break
        draws = redo(wider)
        local = np.concatenate([local, wider])
        added += len(wider)
    return draws, added


def covering_design(design: CalibrationDesign, draws: np.ndarray, local: np.ndarray) -> np.ndarray | None:
    """A second Latin hypercube (``local_points`` per parameter) over the range of the
    bootstrap re-estimates ``draws`` widened by a quarter of it on each side (clipped to the
    prior), or None when that range lies within the box of the ``local`` design. Outside
    that box only the optimiser's scattered vectors are there to be chosen, which holds the
    interval in (measured: ``benchmarks/pattern_recovery.py``)."""
    low, high = draws.min(axis=0), draws.max(axis=0)
    if np.all(low >= local.min(axis=0)) and np.all(high <= local.max(axis=0)):
        return None
    margin = 0.25 * np.maximum(high - low, 0.05 * (design.upper - design.lower))
    low, high = np.maximum(low - margin, design.lower), np.minimum(high + margin, design.upper)
    u = qmc.LatinHypercube(d=len(design.parameters), seed=design.sampler_seed + 2).random(
        design.options["local_points"] * len(design.parameters))
    return low + u * (high - low)


def re_estimates(objective, thetas: np.ndarray, values: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """Bootstrap re-estimates: between the evaluated vectors (``surrogate.between``) for
    objectives that ask for it (``interpolates``), else over the evaluated vectors."""
    if getattr(objective, "interpolates", False):
        thetas, values = between(objective, thetas, values, seed)
    return bootstrap_estimates(objective, thetas, values, resamples, seed)


def bootstrap_estimates(objective: Objective, thetas: np.ndarray, values: np.ndarray, resamples: int,
                        seed: int) -> np.ndarray:
    """Re-estimates under ``resamples`` bootstrap draws (``objective.resampled_distance``:
    the data and the seeds): for each draw, the evaluated vector with the smallest resampled
    distance."""
    rng = np.random.default_rng(seed)
    out = np.empty((resamples, thetas.shape[1]))
    for b in range(resamples):
        out[b] = thetas[int(np.argmin(objective.resampled_distance(values, rng)))]
    return out
