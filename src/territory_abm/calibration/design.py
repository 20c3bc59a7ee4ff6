"""Calibration files (TOML in ``calibration/``): reading and validation.

Example::

    name = "example"
    scenario = "../scenarios/baseline.toml"          # relative to this file
    observations = "data/example/observations.csv"   # relative to this file
    method = "smm"                                   # smm | abc_smc
    seeds = 2                                        # replicate seeds per evaluation
    parameters = ["migration_stay_preference", "clearing_propensity"]

    [priors]                                         # optional; default: uniform over the registry range
    clearing_propensity = [0.0, 0.2]                 # uniform on [low, high]

    [statistics]                                     # statistic = weight
    income_growth_log = 1.0                          # per municipality
    "sd:income_growth_log" = 0.5                     # a territory moment

    [options]                                        # optional method options
    maxiter = 20

Optional keys: ``description``, ``first_seed`` (default 1), ``households_scale``,
``sampler_seed`` (optimiser, ABC proposals and bootstrap; default 2024),
``confidence_level`` of the intervals (default 0.9), ``identification_factor`` (a parameter
counts as identified when its interval is at least this many times narrower than the
prior's interval at the same level; default 2) and ``predictive_draws`` (parameter draws
for the posterior predictive check; default 20). The run's steps follow from the
observations: from the scenario's start year to the last observed year.
``[observations_format]`` says how the observations were published: ``per_usd`` and a
``deflator`` by year for incomes in local nominal currency, a ``crosswalk`` from census units
to municipalities (see :mod:`territory_abm.calibration.harmonise`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..data.territory import load_territory
from ..design_files import (
    LATER_OPTIONS,
    hashed_options,
    linked_scenario,
    name_list,
    number_between,
    one_of,
    parameter_bounds,
    read_design,
    whole_number,
)
from ..errors import InputError
from ..fields import FieldSpec
from ..overrides import check_overridable, with_overrides
from ..params import REGISTRY
from ..scenarios.loader import SCENARIO_FIELDS, Scenario
from ..suggest import did_you_mean
from .fit import FitDesign
from .harmonise import read_format
from .observations import Observations, load_observations
from .pattern_design import KEYS as PATTERN_KEYS
from .pattern_design import PatternCalibrationDesign, load_pattern_calibration
from .statistics import Layout, known_statistics, needed_columns

METHOD_OPTIONS: dict[str, dict[str, int | float]] = {
    "smm": {"popsize": 8, "maxiter": 25, "tol": 0.01, **LATER_OPTIONS, "bootstrap": 200, "local_points": 8},
    "abc_smc": {"population_size": 60, "generations": 5, "min_epsilon": 0.0, "pilot": 8},
}
"""Methods and their options with defaults.

smm : simulated method of moments; SciPy's differential evolution minimises the distance
    (``popsize`` candidates per parameter, at most ``maxiter`` generations, relative
    tolerance ``tol`` of the population's spread, or stopped where the best distance fell
    by no more than ``stall_tol`` of itself in ``stall`` generations, 0: never); intervals from ``bootstrap`` resamples of municipalities and seeds,
    re-estimated over the evaluated vectors and ``local_points`` per parameter around the estimate.
abc_smc : approximate Bayesian computation by sequential Monte Carlo (pyabc), with
    ``population_size`` particles for at most ``generations`` generations or until the
    acceptance threshold reaches ``min_epsilon``; ``pilot`` prior draws per parameter set
    the distance's scales.
"""

MIN_POPSIZE = 5
"""Fewest candidates per parameter in a differential evolution generation (``popsize``)."""

KEYS = {"name", "description", "scenario", "observations", "method", "seeds", "first_seed", "households_scale",
        "sampler_seed", "confidence_level", "identification_factor", "predictive_draws", "parameters", "priors",
        "statistics", "options", "observations_format"}


@dataclass(frozen=True)
class CalibrationDesign(FitDesign):
    """A validated calibration to one territory's observations (the fields of ``FitDesign`` and):

    statistics : name -> weight of every statistic matched
    seeds : replicate seeds of every evaluation (common random numbers)
    """

    statistics: dict[str, float]
    seeds: tuple[int, ...]
    scenario: Scenario
    observations: Observations

    @property
    def layout(self) -> Layout:
        obs = self.observations
        periods = tuple(f"{a}-{b}" for a, b in obs.periods)
        return Layout(tuple(self.statistics), tuple(obs.municipalities), periods if len(periods) > 1 else ("",))

    @property
    def fitted_to(self) -> str:
        obs = self.observations
        return f"{obs.source}, {', '.join(map(str, obs.dates))}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data of the calibration (hashed to guard the output directory)."""
        obs = self.observations
        dates = {} if len(obs.dates) == 2 else {"dates": list(obs.dates),  # two dates: the hash of older files
                                                "frames": {str(y): f.to_dict() for y, f in obs.frames.items()}}
        return {"kind": "calibration", "name": self.name, "method": self.method, "options": hashed_options(self.options),
                "parameters": list(self.parameters), "bounds": [list(b) for b in self.bounds],
                "statistics": self.statistics, "seeds": list(self.seeds), "sampler_seed": self.sampler_seed,
                "confidence_level": self.confidence_level, "identification_factor": self.identification_factor,
                "predictive_draws": self.predictive_draws,
                "scenario": {**self.scenario.as_dict(), "seed": None},
                "observations": {"source": obs.source, "start_year": obs.start_year, "end_year": obs.end_year,
                                 "start": obs.start.to_dict(), "end": obs.end.to_dict(), **dates}}


OVERRIDES = ("samples", "seeds", "households_scale")
"""Fields the command line may override for a quick try. ``samples`` is the method's size:
the optimiser's generations (``options.maxiter``) for smm, the particles per generation
(``options.population_size``) for abc_smc. The steps follow from the observations."""

SAMPLES_OPTION = {"smm": "maxiter", "abc_smc": "population_size"}


def load_calibration(path: str | Path, overrides: dict | None = None) -> CalibrationDesign | PatternCalibrationDesign:
    """Read and validate a calibration file (errors name the file and the field): to one
    territory's observations, or to cross-territory patterns when it names ``patterns``
    (:mod:`~territory_abm.calibration.pattern_design`).

    Parameters
    ----------
    path : str or Path
        The calibration file.
    overrides : dict, optional
        Values of ``OVERRIDES`` fields that replace the file's (from the command line),
        validated like them; errors about them name the option (``--seeds``).
    """
    path = Path(path)
    overrides = check_overridable(overrides, OVERRIDES)
    raw = read_design(path, "calibration", KEYS | PATTERN_KEYS)
    samples = overrides.pop("samples", None)
    if samples is not None:
        option = SAMPLES_OPTION.get(raw.get("method"))
        options = raw.get("options", {})
        if option is None or not isinstance(options, dict):  # reported as the file's error
            return _validated(path, raw)
        try:
            _options("--samples", raw["method"], {**options, option: samples})
        except InputError as exc:
            raise InputError("--samples", f"options.{option}", f"{exc.expected} (given on the command line)") from None
        raw = {**raw, "options": {**options, option: samples}}
    return with_overrides(raw, overrides, lambda merged: _validated(path, merged))


def _validated(path: Path, raw: dict) -> CalibrationDesign | PatternCalibrationDesign:
    src = str(path)
    if "patterns" in raw:
        return load_pattern_calibration(path, raw, _options)
    for key in raw:
        if key not in KEYS:
            hint = " (or name patterns to fit to cross-territory patterns)" if key in PATTERN_KEYS else ""
            raise InputError(src, key, f"one of the calibration keys {', '.join(sorted(KEYS))}{hint}")
    method = one_of(src, "method", raw.get("method"), list(METHOD_OPTIONS))
    options = _options(src, method, raw.get("options", {}))
    parameters = name_list(src, raw, "parameters", REGISTRY, "parameter")
    bounds = parameter_bounds(src, parameters, raw.get("priors", {}), key="priors")
    statistics = _statistics(src, raw.get("statistics"))
    seeds = whole_number(src, raw, "seeds", 1, 1, 100)
    first_seed = whole_number(src, raw, "first_seed", 1, 0)
    scale = SCENARIO_FIELDS["households_scale"].check(raw["households_scale"], src) if "households_scale" in raw else None
    scenario = linked_scenario(src, path, raw, "scenario", None, scale)
    obs_path = raw.get("observations")
    if not isinstance(obs_path, str):
        raise InputError(src, "observations", "the path of an observations CSV file, relative to this file")
    territory = load_territory(scenario.territory)
    observations = load_observations(path.parent / obs_path, territory, scenario.start_year,
                                     scenario.start_year + scenario.steps,
                                     fmt=read_format(src, raw.get("observations_format"), path.parent))
    scenario = scenario.replace(steps=observations.years)
    for key in ("name", "description"):
        if key in raw and not isinstance(raw[key], str):
            raise InputError(src, key, "a string")
    design = CalibrationDesign(
        name=raw.get("name", path.stem), description=raw.get("description", ""), source=src, method=method,
        options=options, parameters=parameters, bounds=bounds, statistics=statistics,
        seeds=tuple(range(first_seed, first_seed + seeds)), scenario=scenario, observations=observations,
        sampler_seed=whole_number(src, raw, "sampler_seed", 2024, 0, 2**32 - 1),
        confidence_level=number_between(src, "confidence_level", raw.get("confidence_level", 0.9), 0, 1),
        identification_factor=number_between(src, "identification_factor", raw.get("identification_factor", 2.0), 1, 1e6),
        predictive_draws=whole_number(src, raw, "predictive_draws", 20, 2, 1000))
    _check_observed(src, design)
    return design


def _statistics(src, raw) -> dict[str, float]:
    known = known_statistics()
    if not isinstance(raw, dict) or not raw:
        raise InputError(src, "statistics", "a table of statistic = weight (at least one)")
    out = {}
    for name, weight in raw.items():
        if name not in known:
            raise InputError(src, f"statistics.{name}", f"a known statistic, one of {', '.join(known)}"
                             f"{did_you_mean(name, known)}")
        out[name] = number_between(src, f"statistics.{name}", weight, 0, 1e6)
    return out


def _options(src, method: str, raw) -> dict:
    if method == "abc_smc":
        try:
            import pyabc  # noqa: F401
        except ImportError:
            raise InputError(src, "method", "abc_smc needs the pyabc package: pip install 'territory-abm[abc]'") from None
    if not isinstance(raw, dict):
        raise InputError(src, "options", "a table of method options")
    options = dict(METHOD_OPTIONS[method])
    for key, value in raw.items():
        if key not in options:
            raise InputError(src, f"options.{key}", f"an option of {method} ({', '.join(options)})")
        default = options[key]
        if isinstance(default, int):
            spec = FieldSpec(key, "1", default, {"popsize": MIN_POPSIZE, "stall": 0}.get(key, 1), kind="int")
        else:
            spec = FieldSpec(key, "1", default, 0.0)
        checked = spec.check(value, src, f"options.{key}")
        options[key] = checked if spec.integer else value  # as written: keeps design hashes of old files
    return options


def _check_observed(src, design: CalibrationDesign) -> None:
    """Each statistic must be computable from the observed columns."""
    obs = design.observations
    vector = design.layout.vector(obs.municipal_values())
    which = design.layout.statistic_of_entry
    for k, name in enumerate(design.layout.names):
        if not np.isfinite(vector[which == k]).any():
            needs = ", ".join(needed_columns(name))
            raise InputError(src, f"statistics.{name}", f"a statistic the observations ({obs.source}) can give: "
                             f"it needs the column(s) {needs} at the start and at a later census date "
                             f"({', '.join(map(str, obs.dates[1:]))})")
