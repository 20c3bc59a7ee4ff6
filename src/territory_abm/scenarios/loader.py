"""Reading scenario TOML files, resolving ``extends`` and validating every field.

A scenario names the territory to simulate, parameter overrides, policies, the poverty
line, the number of steps and the seed. ``extends = "other.toml"`` (relative to the
file) takes another scenario as the base: scalar keys and parameters override the
base's, and policies are added to the base's policies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..tomlfile import read_toml
from ..params import Parameters, validate_value
from .levers import COMMON_FIELDS, LEVERS

TOP_LEVEL_KEYS = {
    "name": str, "description": str, "territory": str, "steps": int, "seed": int,
    "start_year": int, "poverty_line": float, "households_scale": float,
    "parameters": dict, "policies": list, "extends": str, "record_households": bool,
}
MAX_STEPS = 500


@dataclass(frozen=True)
class Policy:
    """One policy lever applied from ``start`` to ``end`` (calendar years, inclusive).

    ``target`` is ``"all"``, a tuple of node ids, or a rule dict such as
    ``{"poverty_above": 0.4}`` or ``{"kind": "city"}``; ``values`` holds the lever's
    numeric fields with defaults filled in.
    """

    lever: str
    label: str
    start: int
    end: int
    target: Any
    values: dict[str, float]

    def active(self, year: int) -> bool:
        return self.start <= year <= self.end

    def as_dict(self) -> dict[str, Any]:
        target = list(self.target) if isinstance(self.target, tuple) else self.target
        return {"lever": self.lever, "label": self.label, "start": self.start, "end": self.end,
                "target": target, **self.values}


@dataclass(frozen=True)
class Scenario:
    """A validated, fully resolved scenario."""

    name: str
    description: str
    source: str
    territory: Path
    steps: int
    seed: int
    start_year: int
    poverty_line: float
    households_scale: float
    parameters: Parameters
    policies: tuple[Policy, ...] = field(default_factory=tuple)
    record_households: bool = False

    @property
    def end_year(self) -> int:
        return self.start_year + self.steps

    def replace(self, **changes) -> "Scenario":
        """A copy with some fields changed (validated like the file fields)."""
        from dataclasses import replace

        src = "command line"
        if "steps" in changes:
            _check_range(src, "--steps", changes["steps"], 1, MAX_STEPS)
        if "seed" in changes:
            _check_range(src, "--seed", changes["seed"], 0, 2**63 - 1)
        if "households_scale" in changes:
            _check_range(src, "--households-scale", changes["households_scale"], 1e-4, 1000)
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """The resolved scenario as plain data (written to ``run.json``)."""
        return {
            "name": self.name, "description": self.description, "source": self.source,
            "territory": str(self.territory), "steps": self.steps, "seed": self.seed,
            "start_year": self.start_year, "poverty_line": self.poverty_line,
            "households_scale": self.households_scale, "record_households": self.record_households,
            "parameters": self.parameters.as_dict(),
            "policies": [p.as_dict() for p in self.policies],
        }


def _check_range(src, name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low <= value <= high):
        raise InputError(src, name, f"a number in [{low:g}, {high:g}], got {value!r}")


def _raw_with_extends(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], list[tuple[Path, dict]]]:
    """Merge a scenario with the chain of files it extends; policies keep their file."""
    path = path.resolve()
    if path in seen:
        raise InputError(path, "extends", "no cycle of scenarios extending each other")
    raw = read_toml(path, "scenario")
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            raise InputError(path, key, f"one of the scenario keys {', '.join(sorted(TOP_LEVEL_KEYS))}")
    if "territory" in raw and isinstance(raw["territory"], str):
        raw["territory"] = str((path.parent / raw["territory"]).resolve())
    base: dict[str, Any] = {}
    policies: list[tuple[Path, dict]] = []
    if "extends" in raw:
        parent = raw["extends"]
        if not isinstance(parent, str):
            raise InputError(path, "extends", "a file name (string) of the scenario to extend")
        parent_path = path.parent / parent
        if not parent_path.is_file():
            raise InputError(path, "extends", f"an existing scenario file; {parent_path} does not exist")
        base, policies = _raw_with_extends(parent_path, seen + (path,))
    merged = {**base, **{k: v for k, v in raw.items() if k not in ("parameters", "policies", "extends")}}
    if "parameters" in raw and not isinstance(raw["parameters"], dict):
        raise InputError(path, "parameters", "a table of parameter = value")
    merged["parameters"] = {**base.get("parameters", {}), **{k: (path, v) for k, v in raw.get("parameters", {}).items()}}
    own = raw.get("policies", [])
    if not isinstance(own, list):
        raise InputError(path, "policies", "an array of tables ([[policies]])")
    return merged, policies + [(path, p) for p in own]


def load_scenario(path: str | Path) -> Scenario:
    """Read, resolve and validate a scenario file.

    Raises
    ------
    InputError
        Naming the file and field, for any problem (including in extended files).
    """
    path = Path(path)
    merged, policy_entries = _raw_with_extends(path)
    src = str(path)
    for key, typ in TOP_LEVEL_KEYS.items():
        if key in merged and key not in ("parameters", "policies"):
            value = merged[key]
            ok = isinstance(value, typ) and not (typ is not bool and isinstance(value, bool))
            if typ is float:
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ok:
                raise InputError(src, key, f"a {typ.__name__}, got {value!r}")
    if "territory" not in merged:
        raise InputError(src, "territory", "the path of a territory data directory (relative to the scenario)")
    territory = Path(merged["territory"])
    if not territory.is_dir():
        raise InputError(src, "territory", f"an existing data directory; {territory} does not exist")
    steps = merged.get("steps", 20)
    _check_range(src, "steps", steps, 1, MAX_STEPS)
    seed = merged.get("seed", 0)
    _check_range(src, "seed", seed, 0, 2**63 - 1)
    start_year = merged.get("start_year", 2010)
    _check_range(src, "start_year", start_year, 1800, 2200)
    poverty_line = float(merged.get("poverty_line", 1200.0))
    _check_range(src, "poverty_line", poverty_line, 1, 1e6)
    scale = float(merged.get("households_scale", 1.0))
    _check_range(src, "households_scale", scale, 1e-4, 1000)
    params = {}
    for name, (file, value) in merged["parameters"].items():
        params[name] = validate_value(name, value, str(file))
    policies = tuple(_policy(file, i, raw, start_year, start_year + steps)
                     for i, (file, raw) in enumerate(policy_entries))
    return Scenario(
        name=merged.get("name", path.stem), description=merged.get("description", ""), source=src,
        territory=territory, steps=int(steps), seed=int(seed), start_year=int(start_year),
        poverty_line=poverty_line, households_scale=scale, parameters=Parameters(params, src),
        policies=policies, record_households=bool(merged.get("record_households", False)),
    )


def make_policy(source: str | Path, raw: dict, first_year: int, last_year: int) -> Policy:
    """One validated policy from plain data (as in a scenario's ``[[policies]]`` table)."""
    return _policy(Path(source), 0, raw, first_year, last_year)


def _policy(file: Path, index: int, raw: Any, first_year: int, last_year: int) -> Policy:
    where = f"policies[{index}]"
    if not isinstance(raw, dict):
        raise InputError(file, where, "a table with lever, start, end, target and the lever's fields")
    lever = raw.get("lever")
    if lever not in LEVERS:
        raise InputError(file, f"{where}.lever", f"one of {', '.join(LEVERS)}, got {lever!r}")
    fields = LEVERS[lever]
    for key in raw:
        if key not in COMMON_FIELDS and key not in fields:
            raise InputError(file, f"{where}.{key}", f"a field of lever {lever}: {', '.join(list(COMMON_FIELDS) + list(fields))}")
    start = raw.get("start", first_year)
    end = raw.get("end", last_year)
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(file, f"{where}.{name}", f"a calendar year (integer), got {value!r}")
    if end < start:
        raise InputError(file, f"{where}.end", f"a year not before start ({start}), got {end}")
    values = {}
    for name, spec in fields.items():
        value = raw.get(name, spec.default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (spec.low <= value <= spec.high):
            raise InputError(file, f"{where}.{name}", f"a number in [{spec.low:g}, {spec.high:g}] {spec.unit}, got {value!r}")
        values[name] = float(value)
    label = raw.get("label", lever)
    if not isinstance(label, str) or not label:
        raise InputError(file, f"{where}.label", "a non-empty string")
    return Policy(lever, label, int(start), int(end), validate_target(file, f"{where}.target", raw.get("target", "all")), values)


TARGET_RULES = {"poverty_above": (0.0, 1.0), "kind": None}


def validate_target(file: Path, where: str, target: Any) -> Any:
    """Check a target: ``"all"``, a list (or tuple) of node ids, or one rule table.

    Node ids are checked against the territory when the model starts.
    """
    if target == "all":
        return "all"
    if isinstance(target, (list, tuple)) and target and all(isinstance(t, str) and t for t in target):
        return tuple(target)
    if isinstance(target, dict) and len(target) == 1:
        (rule, value), = target.items()
        if rule == "poverty_above" and isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
            return {"poverty_above": float(value)}
        if rule == "kind" and value in ("municipality", "city"):
            return {"kind": value}
    raise InputError(file, where, '"all", a non-empty list of node ids, {poverty_above = 0..1} or {kind = "municipality"|"city"}')


MAX_POLICIES = 63


def check_targets(scenario: Scenario, territory) -> None:
    """Check policy labels and targets against a loaded territory.

    Raises
    ------
    InputError
        For duplicate labels, too many policies, or a target that is not a populated node.
    """
    src = scenario.source
    labels = [p.label for p in scenario.policies]
    if len(labels) > MAX_POLICIES:
        raise InputError(src, "policies", f"at most {MAX_POLICIES} policies")
    if len(set(labels)) != len(labels):
        raise InputError(src, "policies.label", 'a unique label for each policy (set label = "...")')
    ids = set(territory.ids)
    for k, p in enumerate(scenario.policies):
        if isinstance(p.target, tuple):
            for node_id in p.target:
                if node_id not in ids:
                    raise InputError(src, f"policies[{k}].target", f"node ids of the territory; {node_id!r} is not one")
                if territory.kinds[territory.index(node_id)] == "market":
                    raise InputError(src, f"policies[{k}].target", f"municipalities or cities; {node_id!r} is a market")
