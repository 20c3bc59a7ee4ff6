"""Fields shared by the TOML files that drive experiments (sensitivity designs,
calibrations): reading, whole numbers, numbers in a range, name lists, parameter ranges
and the scenario a file points to. Every problem raises :class:`InputError` naming the
file and the field."""

from __future__ import annotations

import math
from pathlib import Path

from .data.territory import load_territory
from .errors import InputError
from .fields import FieldSpec, is_number
from .params import REGISTRY
from .scenarios.loader import Scenario, check_targets, load_scenario
from .suggest import did_you_mean, not_found
from .tomlfile import read_toml


def read_design(path: Path, what: str, keys: set[str]) -> dict:
    """The TOML file at ``path``, every top-level key in ``keys``."""
    raw = read_toml(path, what)
    for key in raw:
        if key not in keys:
            raise InputError(path, key, f"one of the {what} keys {', '.join(sorted(keys))}{did_you_mean(key, keys)}")
    return raw


def one_of(src, key: str, value, choices) -> str:
    if value not in choices:
        raise InputError(src, key, f"one of {', '.join(choices)}, got {value!r}{did_you_mean(value, choices)}")
    return value


def whole_number(src, raw, key, default, low, high=None) -> int:
    """``raw[key]`` (or ``default``): a whole number in [low, high] (no upper bound if None)."""
    spec = FieldSpec(key, "1", default, low, math.inf if high is None else high, kind="int")
    return spec.check(raw.get(key, default), src)


def number_between(src, key, value, low, high) -> float:
    """``value`` as float, strictly between ``low`` and ``high``."""
    return FieldSpec(key, "1", None, low, high, exclusive=True).check(value, src)


def name_list(src, raw, key, known, what: str) -> tuple[str, ...]:
    """A non-empty list of distinct names, each in ``known``."""
    names = raw.get(key)
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise InputError(src, key, f"a non-empty list of {what} names")
    for n in names:
        if n not in known:
            raise InputError(src, f"{key}.{n}", f"a known {what} name{did_you_mean(n, known)}, one of "
                             f"{', '.join(sorted(known))}")
    if len(set(names)) != len(names):
        raise InputError(src, key, f"distinct {what} names")
    return tuple(names)


def parameter_bounds(src, parameters, ranges, key: str = "ranges") -> tuple[tuple[float, float], ...]:
    """(low, high) of each parameter: the registry's range unless ``ranges`` narrows it."""
    if not isinstance(ranges, dict):
        raise InputError(src, key, "a table of parameter = [low, high]")
    for name in ranges:
        if name not in parameters:
            raise InputError(src, f"{key}.{name}", "a range for a parameter listed in `parameters`")
    bounds = []
    for name in parameters:
        spec = REGISTRY[name]
        low, high = spec.low, spec.high
        if name in ranges:
            pair = ranges[name]
            if not (isinstance(pair, list) and len(pair) == 2 and all(is_number(v) for v in pair)):
                raise InputError(src, f"{key}.{name}", f"[low, high], two numbers, got {pair!r}")
            low, high = float(pair[0]), float(pair[1])
            if not (spec.low <= low < high <= spec.high):
                unit = "" if spec.unit == "1" else f" {spec.unit}"  # dimensionless: no unit ("[0, 1] 1" read oddly)
                raise InputError(src, f"{key}.{name}", f"low < high within the registry range "
                                 f"[{spec.low:g}, {spec.high:g}]{unit}, got [{low:g}, {high:g}]")
        bounds.append((float(low), float(high)))
    return tuple(bounds)


def linked_scenario(src, path: Path, raw, key, steps, scale) -> Scenario:
    """The scenario file named by ``raw[key]`` (relative to ``path``), with ``steps`` and
    ``households_scale`` replaced where given."""
    value = raw.get(key)
    if not isinstance(value, str):
        raise InputError(src, key, "the path of a scenario TOML file, relative to this file")
    file = path.parent / value
    if not file.is_file():
        raise InputError(src, key, f"{file}: {not_found(file, 'an existing scenario file')}")
    scenario = load_scenario(file)
    changes = {k: v for k, v in (("steps", steps), ("households_scale", scale)) if v is not None}
    scenario = scenario.replace(**changes) if changes else scenario
    check_targets(scenario, load_territory(scenario.territory))
    return scenario


LATER_OPTIONS = {"stall": 6, "stall_tol": 0.001}
"""Calibration options added after calibrations were stored (SMM's stall rule, session 33), left
out of a design's hashed record at these defaults (``hashed_options``), so that an output
directory started before them resumes."""


def hashed_options(options: dict) -> dict:
    """A calibration's method ``options`` as its hashed record holds them: without the
    ``LATER_OPTIONS`` at their defaults."""
    return {key: value for key, value in options.items()
            if not (key in LATER_OPTIONS and value == LATER_OPTIONS[key])}
