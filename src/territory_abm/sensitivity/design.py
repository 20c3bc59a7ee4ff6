"""Sensitivity design files (TOML in ``experiments/``): reading and validation.

Example::

    name = "morris_screening"
    scenario = "../scenarios/baseline.toml"   # relative to this file
    method = "morris"                         # morris | sobol | fast | rbd_fast | pawn | dgsm
    samples = 10                              # N of the method (Morris: trajectories)
    seeds = 2                                 # replicate seeds per sample point
    parameters = ["migration_stay_preference", "wage_adjustment"]
    outcomes = ["poverty_headcount", "income_growth_log", "win_win_win_share"]

    [ranges]                                  # optional; default: the registry's range
    wage_adjustment = [0.05, 0.3]

    [options]                                 # optional method options
    num_levels = 4

Optional keys: ``description``, ``reference`` (a second scenario; outcomes become the
difference scenario minus reference, paired by parameters and seed), ``first_seed``
(default 1), ``steps`` and ``households_scale`` (override both scenarios),
``sampler_seed`` (seed of SALib's sampling and bootstrap, default 12345),
``confidence_level`` (default 0.95), ``resamples`` (bootstrap, default 1000) and ``year``:
the calendar year in which yearly outcomes are read (default the last simulated year), or
``"programme_end"``, the last year the scenario's programmes run (a policy effect read the
year after its programme stopped measures its aftermath, whose sign may be the opposite; the
command warns when that is what the default reads). Period statistics, typology shares and
totals cover the whole run whatever ``year`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..design_files import (
    linked_scenario,
    name_list,
    number_between,
    one_of,
    parameter_bounds,
    read_design,
    whole_number,
)
from ..errors import InputError
from ..experiments.compare import programme_end
from ..fields import FieldSpec
from ..overrides import check_overridable, with_overrides
from ..params import REGISTRY
from ..scenarios.loader import SCENARIO_FIELDS, Scenario
from .methods import METHODS, Method, Settings
from .outcomes import known_outcomes

KEYS = {"name", "description", "scenario", "reference", "method", "samples", "seeds", "first_seed", "steps",
        "households_scale", "sampler_seed", "confidence_level", "resamples", "parameters", "outcomes",
        "ranges", "options", "year"}

PROGRAMME_END = "programme_end"
"""``year`` value: the last year the scenario's programmes run."""


@dataclass(frozen=True)
class SensitivityDesign:
    """A validated sensitivity design.

    parameters, bounds : registry names and their (low, high) sampling ranges
    samples : the method's sample size N; ``points`` model evaluations follow from it
    seeds : replicate seeds, the same for every sample point (common random numbers)
    reference : optional scenario whose outcome is subtracted, paired by point and seed
    """

    name: str
    description: str
    source: str
    method: Method
    options: dict
    parameters: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    samples: int
    seeds: tuple[int, ...]
    scenario: Scenario
    reference: Scenario | None
    outcomes: tuple[str, ...]
    settings: Settings
    year: int | None = None  # the year yearly outcomes are read in (None: the last simulated year)

    @property
    def programme_end(self) -> int | None:
        """The last year the scenario's programmes run when that is before the last simulated
        year (None otherwise, or without a policy): compare's rule (``compare.programme_end``)."""
        return programme_end(self.scenario.as_dict(), self.scenario.end_year)

    @property
    def problem(self) -> dict:
        """The SALib problem."""
        return {"num_vars": len(self.parameters), "names": list(self.parameters),
                "bounds": [list(b) for b in self.bounds]}

    @property
    def points(self) -> int:
        return self.method.points(self.samples, len(self.parameters), self.options)

    @property
    def runs(self) -> int:
        return self.points * len(self.seeds) * (2 if self.reference else 1)

    def as_dict(self) -> dict[str, Any]:
        """Plain data of the design (hashed to guard the output directory)."""
        return {"kind": "sensitivity", "name": self.name, "method": self.method.name, "options": self.options,
                "parameters": list(self.parameters), "bounds": [list(b) for b in self.bounds],
                "samples": self.samples, "seeds": list(self.seeds), "outcomes": list(self.outcomes),
                "confidence_level": self.settings.confidence_level, "resamples": self.settings.resamples,
                "sampler_seed": self.settings.seed,
                "scenario": {**self.scenario.as_dict(), "seed": None},
                "reference": {**self.reference.as_dict(), "seed": None} if self.reference else None,
                # only when set: the hashes of designs without it (their output directories) stay
                **({"year": self.year} if self.year is not None else {})}


def _options(src, method: Method, raw) -> dict:
    if not isinstance(raw, dict):
        raise InputError(src, "options", "a table of method options")
    options = dict(method.options)
    for key, value in raw.items():
        if key not in method.options:
            allowed = ", ".join(method.options) or "none"
            raise InputError(src, f"options.{key}", f"an option of {method.name} ({allowed})")
        default = method.options[key]
        if isinstance(default, bool):
            spec = FieldSpec(key, "-", default, kind="bool")
        elif isinstance(default, int):
            spec = FieldSpec(key, "1", default, 1, kind="int")
        else:
            spec = FieldSpec(key, "1", default, 0.0, exclusive=True)
        checked = spec.check(value, src, f"options.{key}")
        value = checked if spec.integer else value  # as written: keeps design hashes of old files
        options[key] = value
    return options


OVERRIDES = ("samples", "seeds", "steps", "households_scale")
"""Fields the command line may override for a quick try."""


def load_design(path: str | Path, overrides: dict | None = None) -> SensitivityDesign:
    """Read and validate a sensitivity design file (errors name the file and the field).

    Parameters
    ----------
    path : str or Path
        The design file.
    overrides : dict, optional
        Values of ``OVERRIDES`` fields that replace the file's (from the command line),
        validated like them; errors about them name the option (``--samples``).
    """
    path = Path(path)
    overrides = check_overridable(overrides, OVERRIDES)
    raw = read_design(path, "sensitivity design", KEYS)
    return with_overrides(raw, overrides, lambda merged: _validated(path, merged))


def _validated(path: Path, raw: dict) -> SensitivityDesign:
    src = str(path)
    method = METHODS[one_of(src, "method", raw.get("method"), list(METHODS))]
    options = _options(src, method, raw.get("options", {}))
    parameters = name_list(src, raw, "parameters", REGISTRY, "parameter")
    bounds = parameter_bounds(src, parameters, raw.get("ranges", {}))
    outcomes = name_list(src, raw, "outcomes", known_outcomes(), "outcome")
    samples = whole_number(src, raw, "samples", None, 1)
    problem = method.check(samples, options)
    if problem:
        raise InputError(src, problem[0], f"{problem[1]} (method {method.name})")
    seeds = whole_number(src, raw, "seeds", 1, 1, 1000)
    first_seed = whole_number(src, raw, "first_seed", 1, 0)
    steps = whole_number(src, raw, "steps", None, 1, 500) if "steps" in raw else None
    scale = SCENARIO_FIELDS["households_scale"].check(raw["households_scale"], src) if "households_scale" in raw else None
    settings = Settings(confidence_level=number_between(src, "confidence_level", raw.get("confidence_level", 0.95), 0, 1),
                        resamples=whole_number(src, raw, "resamples", 1000, 10),
                        seed=whole_number(src, raw, "sampler_seed", 12345, 0, 2**32 - 1))
    scenario = linked_scenario(src, path, raw, "scenario", steps, scale)
    reference = linked_scenario(src, path, raw, "reference", steps, scale) if "reference" in raw else None
    if reference is not None:
        for attr in ("territory", "steps", "households_scale", "start_year", "poverty_line"):
            if getattr(reference, attr) != getattr(scenario, attr):
                raise InputError(src, "reference", f"a scenario with the same {attr} as `scenario` "
                                 f"({getattr(scenario, attr)}), got {getattr(reference, attr)}")
        if reference.name == scenario.name:
            raise InputError(src, "reference", "a scenario with another name than `scenario`")
    for key in ("name", "description"):
        if key in raw and not isinstance(raw[key], str):
            raise InputError(src, key, "a string")
    year = _year(src, raw.get("year"), scenario)
    return SensitivityDesign(
        name=raw.get("name", path.stem), description=raw.get("description", ""), source=src, method=method,
        options=options, parameters=parameters, bounds=bounds, samples=samples,
        seeds=tuple(range(first_seed, first_seed + seeds)), scenario=scenario, reference=reference,
        outcomes=outcomes, settings=settings, year=year)


def _year(src: str, raw, scenario: Scenario) -> int | None:
    """The design's ``year``: None (the last simulated year), a simulated calendar year, or
    ``"programme_end"`` resolved to the last year the scenario's programmes run."""
    if raw is None:
        return None
    first, last = scenario.start_year + 1, scenario.end_year
    if raw == PROGRAMME_END:
        ends = [policy.end for policy in scenario.policies]
        if not ends:
            raise InputError(src, "year", f'a year from {first} to {last}: "{PROGRAMME_END}" needs a scenario '
                             "with policies")
        return min(max(ends), last)
    if isinstance(raw, bool) or not isinstance(raw, int) or not first <= raw <= last:
        raise InputError(src, "year", f'a simulated year from {first} to {last} (whole number) or "{PROGRAMME_END}", '
                         f"got {raw!r}")
    return raw
