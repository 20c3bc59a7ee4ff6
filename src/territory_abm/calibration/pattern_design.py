"""Calibration files whose targets are cross-territory patterns (issue 14, item 3).

When no single territory's data exist, behavioural parameters can still be fitted to the
patterns observed across many territories: every parameter vector runs a whole territory
ensemble and the distance compares the ensemble's pattern values with the observed ones.

Example::

    name = "rtd_patterns"
    ensemble = "../experiments/ensemble.toml"      # territories, seeds, period (relative to this file)
    patterns = "../experiments/rtd_patterns.toml"  # the targets: observed value and tolerance each
    method = "smm"                                 # smm | abc_smc
    parameters = ["migration_stay_preference", "clearing_propensity"]

    [priors]                                       # optional; default: the registry range
    clearing_propensity = [0.0, 0.2]

    [weights]                                      # optional; pattern name = weight (default 1)
    win_win_win_share = 2.0

Optional keys: ``description``, ``territories``, ``seeds`` and ``households_scale`` (replace
the ensemble file's), ``sampler_seed``, ``confidence_level``, ``identification_factor``,
``predictive_draws`` and ``options`` as in single-territory calibration files
(:mod:`territory_abm.calibration.design`).

A pattern's ``tolerance`` is read as :data:`TOLERANCE_SD` standard errors of its observed
value (an assumption: a tolerance is a 95 % half-width): it scales the pattern's squared
deviation in the distance, and the intervals let the observed value vary by that much.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any


from ..design_files import hashed_options, name_list, number_between, one_of, parameter_bounds, whole_number
from ..ensemble.design import EnsembleDesign, load_ensemble
from ..ensemble.patterns import Pattern, load_patterns
from ..errors import InputError
from ..params import REGISTRY
from ..scenarios.loader import Scenario
from .fit import FitDesign

TOLERANCE_SD = 2.0
"""Standard errors of the observed value a pattern's tolerance stands for (assumption)."""
KEYS = {"name", "description", "ensemble", "patterns", "method", "territories", "seeds", "households_scale",
        "sampler_seed", "confidence_level", "identification_factor", "predictive_draws", "parameters", "priors",
        "weights", "options"}
ENSEMBLE_OVERRIDES = ("territories", "seeds", "households_scale")
"""Keys that replace the ensemble file's values."""


@dataclass(frozen=True)
class PatternCalibrationDesign(FitDesign):
    """A validated calibration to patterns (the fields of ``FitDesign`` and):

    patterns : the targets, in file order; weights : pattern name -> weight
    ensemble : the territories every parameter vector runs (their context drivers included)
    """

    patterns: tuple[Pattern, ...]
    patterns_source: str
    weights: dict[str, float]
    ensemble: EnsembleDesign

    @property
    def scenario(self) -> Scenario:
        return self.ensemble.scenario

    @property
    def statistics(self) -> dict[str, float]:
        """Pattern name -> weight (the statistics matched)."""
        return dict(self.weights)

    @property
    def seeds(self) -> tuple[int, ...]:
        """Replicate indices of every territory (its seeds come from the ensemble design)."""
        return tuple(range(self.ensemble.seeds))

    @property
    def fitted_to(self) -> str:
        e = self.ensemble
        return (f"the patterns in {self.patterns_source}, over {e.territories} territories x {e.seeds} seeds "
                f"of {e.source}, {e.scenario.steps} years")

    def as_dict(self) -> dict[str, Any]:
        """Plain data of the calibration (hashed to guard the output directory)."""
        return {"kind": "pattern_calibration", "name": self.name, "method": self.method,
                "options": hashed_options(self.options),
                "parameters": list(self.parameters), "bounds": [list(b) for b in self.bounds],
                "patterns": [vars(p) for p in self.patterns], "weights": self.weights,
                "sampler_seed": self.sampler_seed, "confidence_level": self.confidence_level,
                "identification_factor": self.identification_factor, "predictive_draws": self.predictive_draws,
                "ensemble": self.ensemble.as_dict()}


def load_pattern_calibration(path: Path, raw: dict, method_options) -> PatternCalibrationDesign:
    """Validate the already read calibration file ``raw`` (it names ``patterns``);
    ``method_options(src, method, raw_options)`` checks the options as for any calibration.

    Raises
    ------
    InputError
        Naming the file and field (or the ensemble or patterns file and its field).
    """
    src = str(path)
    for key in raw:
        if key not in KEYS:
            hint = " (observations are for one territory's data: give either observations or patterns)" \
                if key == "observations" else ""
            raise InputError(src, key, f"one of the keys of a calibration to patterns {', '.join(sorted(KEYS))}{hint}")
    for key in ("ensemble", "patterns"):
        if not isinstance(raw.get(key), str):
            raise InputError(src, key, f"the path of the {key} TOML file, relative to this file")
    method = one_of(src, "method", raw.get("method"), ("smm", "abc_smc"))
    options = method_options(src, method, raw.get("options", {}))
    parameters = name_list(src, raw, "parameters", REGISTRY, "parameter")
    bounds = parameter_bounds(src, parameters, raw.get("priors", {}), key="priors")
    ensemble = load_ensemble(path.parent / raw["ensemble"], {k: raw[k] for k in ENSEMBLE_OVERRIDES if k in raw})
    for name in parameters:
        if name in ensemble.context:
            raise InputError(src, f"parameters.{name}", f"a parameter the ensemble ({ensemble.source}) does not "
                             "draw per territory in its [context] table")
    patterns_path = path.parent / raw["patterns"]
    patterns = tuple(load_patterns(patterns_path))
    for i, p in enumerate(patterns):
        if p.tolerance <= 0:
            raise InputError(patterns_path, f"patterns[{i}].tolerance", "a positive tolerance for a calibration "
                             f"target (read as {TOLERANCE_SD:g} standard errors of the observed value)")
    weights = raw.get("weights", {})
    if not isinstance(weights, dict):
        raise InputError(src, "weights", "a table of pattern name = weight")
    names = [p.name for p in patterns]
    for name in weights:
        if name not in names:
            raise InputError(src, f"weights.{name}", f"the name of a pattern of {patterns_path}: {', '.join(names)}")
    for key in ("name", "description"):
        if key in raw and not isinstance(raw[key], str):
            raise InputError(src, key, "a string")
    return PatternCalibrationDesign(
        name=raw.get("name", path.stem), description=raw.get("description", ""), source=src, method=method,
        options=options, parameters=parameters, bounds=bounds, patterns=patterns, patterns_source=str(patterns_path),
        weights={n: number_between(src, f"weights.{n}", weights[n], 0, 1e6) if n in weights else 1.0 for n in names},
        ensemble=ensemble, sampler_seed=whole_number(src, raw, "sampler_seed", 2024, 0, 2**32 - 1),
        confidence_level=number_between(src, "confidence_level", raw.get("confidence_level", 0.9), 0, 1),
        identification_factor=number_between(src, "identification_factor", raw.get("identification_factor", 2.0), 1,
                                             1e6),
        predictive_draws=whole_number(src, raw, "predictive_draws", 20, 2, 1000))


def with_truth(design: EnsembleDesign, truth: dict[str, float], seed: int) -> EnsembleDesign:
    """``design`` with parameter values ``truth`` and another ``seed`` (other territories,
    contexts and runs): the ensemble whose patterns a recovery test takes as observed."""
    scenario = design.scenario.replace(parameters=design.scenario.parameters.with_overrides(truth))
    return replace(design, scenario=scenario, seed=seed)
