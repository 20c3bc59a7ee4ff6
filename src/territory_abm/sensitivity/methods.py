"""SALib methods behind one interface: how many points, sample, analyse.

Each method wraps SALib's own sampler and analyser (no estimator is written here). The
analysis returns tidy rows ``{parameter, parameter_2, index, value, conf}``, where
``conf`` is the half-width of SALib's bootstrap confidence interval (NaN where the method
gives none) and ``parameter_2`` names the second parameter of a second-order index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from SALib.analyze import dgsm as dgsm_analyze
from SALib.analyze import fast as fast_analyze
from SALib.analyze import morris as morris_analyze
from SALib.analyze import pawn as pawn_analyze
from SALib.analyze import rbd_fast as rbd_fast_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import fast_sampler, finite_diff, latin
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

Rows = list[dict]


@dataclass(frozen=True)
class Settings:
    """How to analyse: confidence level of intervals, bootstrap resamples, seed of SALib's
    own randomness (sampling and bootstrap)."""

    confidence_level: float = 0.95
    resamples: int = 1000
    seed: int = 12345


@dataclass(frozen=True)
class Method:
    """One SALib method.

    options : method options with their defaults (e.g. ``num_levels`` for Morris)
    points : number of model evaluations for sample size ``n`` and ``d`` parameters
    check : None when ``n`` and the options suit the method, else (field, what is expected)
    main, total : names of the indices the plots show (``total`` may be None)
    """

    name: str
    title: str
    options: dict = field(default_factory=dict)
    points: Callable[[int, int, dict], int] = None
    check: Callable[[int, dict], tuple[str, str] | None] = None
    sample: Callable[[dict, int, dict, Settings], np.ndarray] = None
    analyze: Callable[[dict, np.ndarray, np.ndarray, dict, Settings], Rows] = None
    main: str = "S1"
    total: str | None = None


def _rows(problem: dict, result, names: list[str], confs: dict[str, str]) -> Rows:
    rows = []
    for index in names:
        values = np.asarray(result[index], float)
        conf = np.asarray(result[confs[index]], float) if index in confs else np.full(len(values), np.nan)
        for name, v, c in zip(problem["names"], values, conf):
            rows.append({"parameter": name, "parameter_2": "", "index": index, "value": float(v), "conf": float(c)})
    return rows


# --- Morris elementary effects -------------------------------------------------------------
def _morris_sample(problem, n, options, s):
    return morris_sample.sample(problem, n, num_levels=options["num_levels"], seed=s.seed)


def _morris_analyze(problem, x, y, options, s):
    result = morris_analyze.analyze(problem, x, y, num_resamples=s.resamples, conf_level=s.confidence_level,
                                    num_levels=options["num_levels"], seed=s.seed)
    return _rows(problem, result, ["mu", "mu_star", "sigma"], {"mu_star": "mu_star_conf"})


def _morris_check(n, options):
    if options["num_levels"] < 2 or options["num_levels"] % 2:
        return "options.num_levels", f"an even number of levels of at least 2, got {options['num_levels']}"
    if n < 2:
        return "samples", f"at least 2 Morris trajectories, got {n}"
    return None


# --- Sobol (Saltelli sampling, Jansen/Saltelli estimators as in SALib) ------------------------
def _sobol_points(n, d, options):
    return n * (2 * d + 2 if options["second_order"] else d + 2)


def _sobol_sample(problem, n, options, s):
    return sobol_sample.sample(problem, n, calc_second_order=options["second_order"], seed=s.seed)


def _sobol_analyze(problem, x, y, options, s):
    result = sobol_analyze.analyze(problem, y, calc_second_order=options["second_order"], num_resamples=s.resamples,
                                   conf_level=s.confidence_level, seed=s.seed)
    rows = _rows(problem, result, ["S1", "ST"], {"S1": "S1_conf", "ST": "ST_conf"})
    if options["second_order"]:
        names = problem["names"]
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                rows.append({"parameter": names[i], "parameter_2": names[j], "index": "S2",
                             "value": float(result["S2"][i, j]), "conf": float(result["S2_conf"][i, j])})
    return rows


def _power_of_two(n, options):
    if n < 2 or n & (n - 1):
        return "samples", f"a power of 2 (Sobol sequences keep their balance only then), e.g. 64 or 256, got {n}"
    return None


# --- FAST (extended Fourier amplitude sensitivity test) ---------------------------------------
def _fast_sample(problem, n, options, s):
    return fast_sampler.sample(problem, n, M=options["M"], seed=s.seed)


def _fast_analyze(problem, x, y, options, s):
    result = fast_analyze.analyze(problem, y, M=options["M"], num_resamples=s.resamples,
                                  conf_level=s.confidence_level, seed=s.seed)
    return _rows(problem, result, ["S1", "ST"], {"S1": "S1_conf", "ST": "ST_conf"})


def _fast_check(n, options):
    if n <= 4 * options["M"] ** 2:
        return "samples", f"more than 4 M^2 = {4 * options['M'] ** 2} points per parameter (M = options.M), got {n}"
    return None


# --- RBD-FAST and PAWN on a Latin hypercube ---------------------------------------------------
def _latin_sample(problem, n, options, s):
    return latin.sample(problem, n, seed=s.seed)


def _rbd_fast_analyze(problem, x, y, options, s):
    result = rbd_fast_analyze.analyze(problem, x, y, M=options["M"], num_resamples=s.resamples,
                                      conf_level=s.confidence_level, seed=s.seed)
    return _rows(problem, result, ["S1"], {"S1": "S1_conf"})


def _rbd_fast_check(n, options):
    if n <= 2 * options["M"]:
        return "samples", f"more than 2 M = {2 * options['M']} points (M = options.M harmonics), got {n}"
    return None


def _pawn_analyze(problem, x, y, options, s):
    result = pawn_analyze.analyze(problem, x, y, S=options["slices"], seed=s.seed)
    return _rows(problem, result, ["minimum", "mean", "median", "maximum", "CV"], {})


def _pawn_check(n, options):
    if n < 5 * options["slices"]:
        return "samples", f"at least 5 points per slice, i.e. {5 * options['slices']} (options.slices), got {n}"
    return None


# --- DGSM (derivative-based global sensitivity measures) --------------------------------------
def _dgsm_sample(problem, n, options, s):
    return finite_diff.sample(problem, n, delta=options["delta"], seed=s.seed)


def _dgsm_analyze(problem, x, y, options, s):
    result = dgsm_analyze.analyze(problem, x, y, num_resamples=s.resamples, conf_level=s.confidence_level,
                                  seed=s.seed)
    return _rows(problem, result, ["vi", "vi_std", "dgsm"], {"dgsm": "dgsm_conf"})


def _at_least(k):
    return lambda n, options: None if n >= k else ("samples", f"at least {k}, got {n}")


METHODS: dict[str, Method] = {m.name: m for m in (
    Method("morris", "Morris elementary effects (screening)", {"num_levels": 4},
           lambda n, d, o: n * (d + 1), _morris_check, _morris_sample, _morris_analyze, main="mu_star"),
    Method("sobol", "Sobol indices (Saltelli sampling)", {"second_order": True},
           _sobol_points, _power_of_two, _sobol_sample, _sobol_analyze, main="S1", total="ST"),
    Method("fast", "extended FAST", {"M": 4},
           lambda n, d, o: n * d, _fast_check, _fast_sample, _fast_analyze, main="S1", total="ST"),
    Method("rbd_fast", "RBD-FAST", {"M": 10},
           lambda n, d, o: n, _rbd_fast_check, _latin_sample, _rbd_fast_analyze, main="S1"),
    Method("pawn", "PAWN (density-based)", {"slices": 10},
           lambda n, d, o: n, _pawn_check, _latin_sample, _pawn_analyze, main="median"),
    Method("dgsm", "derivative-based global sensitivity measures", {"delta": 0.01},
           lambda n, d, o: n * (d + 1), _at_least(2), _dgsm_sample, _dgsm_analyze, main="dgsm"),
)}
"""Available methods by name (the ``method`` of a design file)."""
