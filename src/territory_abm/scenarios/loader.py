"""Reading scenario TOML files, resolving ``extends`` and validating every field.

A scenario names the territory to simulate, parameter overrides, policies, the poverty
line, the number of steps, the seed and, optionally, the typology's tolerances
(``[typology]``, see ``territory_abm.outcomes.types.TOLERANCES``). ``extends = "other.toml"`` (relative to the
file) takes another scenario as the base: scalar keys and parameters override the
base's, and policies are added to the base's policies.
"""

from __future__ import annotations

import os

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ErrorCollector, InputError
from ..suggest import did_you_mean, not_found
from ..fields import FieldSpec
from ..outcomes.types import Tolerances
from ..params import CONTEXT_GROUP, Parameters, validate_value
from ..params import REGISTRY as PARAMETERS
from ..tomlfile import read_toml
from .levers import COMMON_FIELDS, REGISTRY

MAX_STEPS = 500
"""Longest run (years)."""
MAX_POLICIES = 63
"""Most policies in one run: one bit each in a household's programme mask (int64)."""
FIRST_YEAR, LAST_YEAR = 1800, 2200
"""Calendar years a run may start in."""

SCENARIO_FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("name", "-", None, meaning="scenario name (default: the file name)", kind="str"),
    FieldSpec("description", "-", "", meaning="one-paragraph description", kind="str"),
    FieldSpec("territory", "-", None, meaning="territory data directory, relative to the file", kind="str"),
    FieldSpec("steps", "yr", 20, 1, MAX_STEPS, "years simulated", "int"),
    FieldSpec("seed", "-", 0, 0, 2**63 - 1, "seed of every random stream", "int"),
    FieldSpec("start_year", "yr", 2010, FIRST_YEAR, LAST_YEAR, "calendar year of the starting data", "int"),
    FieldSpec("poverty_line", "USD/person/yr", 1200.0, 1, 1e6, "income per person below which a person is poor"),
    FieldSpec("households_scale", "1", 1.0, 1e-4, 1000, "simulated households per real household"),
    FieldSpec("record_households", "-", False, meaning="whether every household is recorded every year", kind="bool"),
    FieldSpec("extends", "-", None, meaning="scenario file this one extends, relative to the file", kind="str"),
)}
"""The scenario file's scalar keys (``parameters`` and ``policies`` are tables)."""
TOP_LEVEL_KEYS = (*SCENARIO_FIELDS, "parameters", "context", "policies", "typology")
YEAR = FieldSpec("year", "yr", None, FIRST_YEAR, LAST_YEAR + MAX_STEPS, "a calendar year", "int")
REPLACE_CHECKED = ("steps", "seed", "households_scale", "start_year", "poverty_line", "record_households")
"""The scenario's fields that ``Scenario.replace`` and the model's keywords check as the file's
(the others, a territory's path or a name, are set by code, not typed by a user)."""


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
    typology: Tolerances = field(default_factory=Tolerances)

    @property
    def end_year(self) -> int:
        return self.start_year + self.steps

    @property
    def years(self) -> tuple[int, int]:
        """The first and last simulated years (the start year is the data's, not simulated)."""
        return self.start_year + 1, self.end_year

    def replace(self, **changes) -> Scenario:
        """A copy with some fields changed (the scenario's own fields, ``steps``, ``seed``,
        ``start_year``, ``poverty_line``, ``households_scale``, ``record_households``, validated
        like the file's, errors naming ``Scenario.replace`` and the field). A new ``steps``
        that leaves a policy wholly outside the simulated years warns
        (:class:`PolicyYearsWarning`): a quick try's shorter horizon is not an input error."""
        return self.checked_replace(changes, "Scenario.replace")

    def checked_replace(self, changes: dict, source: str, name=lambda key: key) -> Scenario:
        """:meth:`replace`, the errors naming ``source`` and ``name(field)`` (the command line's
        option, a keyword of ``TerritoryModel``)."""
        from dataclasses import replace

        changes = {key: SCENARIO_FIELDS[key].check(value, source, name(key)) if key in REPLACE_CHECKED else value
                   for key, value in changes.items()}
        new = replace(self, **changes)
        if (new.steps, new.start_year) != (self.steps, self.start_year):
            for k, policy in enumerate(new.policies):
                reason = outside_years(policy, new.years)
                if reason:
                    warnings.warn(PolicyYearsWarning(f"{self.source}: {policy_name(k, policy)} {reason} with "
                                                     f"start_year = {new.start_year} and steps = {new.steps}: it will not act"),
                                  stacklevel=3)
        return new

    def with_command_line(self, households_scale: float | None = None, steps: int | None = None,
                          seed: int | None = None, parameters: dict[str, float] | None = None) -> Scenario:
        """A copy with what the command line gives (``--households-scale``, ``--steps``,
        ``--seed``, ``--set NAME=VALUE`` as ``parameters``), each checked as the file's own
        fields are, errors naming the option."""
        changes = {k: v for k, v in (("households_scale", households_scale), ("steps", steps), ("seed", seed))
                   if v is not None}
        if parameters:
            changes["parameters"] = self.parameters.with_overrides(parameters, source="--set")
        return self.checked_replace(changes, "command line", lambda key: "--" + key.replace("_", "-")) if changes else self

    def as_dict(self) -> dict[str, Any]:
        """The resolved scenario as plain data (written to ``run.json``)."""
        return {
            "name": self.name, "description": self.description, "source": self.source,
            "territory": str(self.territory), "steps": self.steps, "seed": self.seed,
            "start_year": self.start_year, "poverty_line": self.poverty_line,
            "households_scale": self.households_scale, "record_households": self.record_households,
            "parameters": self.parameters.as_dict(),
            "policies": [p.as_dict() for p in self.policies],
            "typology": self.typology.as_dict(),
        }


class PolicyYearsWarning(UserWarning):
    """A policy runs (in part or wholly) in years the run does not simulate."""


def policy_name(index: int, policy: Policy) -> str:
    """``policies[1] ('rural_roads')``: a policy as errors and warnings name it."""
    return f"policies[{index}] ({policy.label!r})"


def outside_years(policy: Policy, years: tuple[int, int], which: str = "the simulated years") -> str:
    """Why ``policy`` never acts in ``years`` (first, last; ``which`` names them), or ``""`` if it does."""
    first, last = years
    if policy.start <= last and policy.end >= first:
        return ""
    return f"runs {policy.start}-{policy.end}, outside {which} {first}-{last}"


def refuse_outside_years(file: Path, index: int, policy: Policy, years: tuple[int, int],
                         which: str = "the simulated years", rule: str = "start_year + 1 to start_year + steps") -> None:
    """Refuse ``policy`` (``policies[index]`` of ``file``) if it never acts in ``years``
    (first, last): ``which`` names them and ``rule`` says what they are.

    Raises
    ------
    InputError
        Naming the file, the policy's ``end`` (its years are all before ``years``) or ``start``
        (all after), the policy and the years.
    """
    reason = outside_years(policy, years, which)
    if reason:
        field = "end" if policy.end < years[0] else "start"
        raise InputError(file, f"policies[{index}].{field}", f"years that overlap {which} ({rule}); "
                         f"policy {policy.label!r} {reason}")


def check_policy_years(entries: list[tuple[Path, dict]], policies: tuple[Policy, ...],
                       years: tuple[int, int]) -> None:
    """Refuse a policy of a scenario file that never acts in the simulated ``years`` (a
    comparison would report it as doing nothing); warn of one that runs past the last year,
    whose later years (and their cost) are not simulated.

    Raises
    ------
    InputError
        Naming the file the policy is in, the policy and the simulated years.
    """
    for k, ((file, _), policy) in enumerate(zip(entries, policies)):
        refuse_outside_years(file, k, policy, years)
        # before the start year (a policy without a start begins in it, and acts from the first simulated
        # year): a researcher's trial (session 24) found such a start accepted without a word
        if policy.start < years[0] - 1:
            warnings.warn(PolicyYearsWarning(
                f"{file}: {policy_name(k, policy)} starts in {policy.start}, before the run's start year "
                f"{years[0] - 1}: its years {policy.start}-{years[0] - 1} are not simulated (it acts from {years[0]})"),
                stacklevel=3)
        if policy.end > years[1]:
            warnings.warn(PolicyYearsWarning(
                f"{file}: {policy_name(k, policy)} runs to {policy.end}, past the last simulated year "
                f"{years[1]}: its years {years[1] + 1}-{policy.end} (and their cost) are not simulated"),
                stacklevel=3)


def _raw_with_extends(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], list[tuple[Path, dict]]]:
    """Merge a scenario with the chain of files it extends; policies keep their file. Files are
    named as typed (an extended file relative to the one naming it), as every error names them."""
    if path.resolve() in seen:
        raise InputError(path, "extends", "no cycle of scenarios extending each other")
    raw = read_toml(path, "scenario")
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            raise InputError(path, key, f"one of the scenario keys {', '.join(sorted(TOP_LEVEL_KEYS))}"
                             f"{did_you_mean(key, TOP_LEVEL_KEYS)}")
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
            raise InputError(path, "extends", f"{parent_path}: {not_found(parent_path, 'an existing scenario file')}")
        base, policies = _raw_with_extends(parent_path, seen + (path.resolve(),))
    skip = ("parameters", "context", "policies", "extends", "typology")
    merged = {**base, **{k: v for k, v in raw.items() if k not in skip}}
    for table in ("parameters", "context"):
        if table in raw and not isinstance(raw[table], dict):
            raise InputError(path, table, f"a table of {'parameter' if table == 'parameters' else 'driver'} = value")
        merged[table] = {**base.get(table, {}), **{k: (path, v) for k, v in raw.get(table, {}).items()}}
    if "typology" in raw:  # checked against the file that sets them; its keys override the base's
        checked = Tolerances.from_table(raw["typology"], path).as_dict()
        merged["typology"] = {**base.get("typology", {}), **{k: checked[k] for k in raw["typology"]}}
    own = raw.get("policies", [])
    if not isinstance(own, list):
        raise InputError(path, "policies", "an array of tables ([[policies]])")
    return merged, policies + [(path, p) for p in own]


def load_scenario(path: str | Path) -> Scenario:
    """Read, resolve and validate a scenario file.

    Raises
    ------
    InputError
        Naming the file and field, for any problem (including in extended files); where the
        file's fields, parameters, context drivers or policies have several problems,
        :class:`~territory_abm.errors.InputErrors` names each (a policy's first problem, of
        its fields or its years; a file's structure, such as what it extends, is checked
        first, and its first problem stops the reading; targets and labels are checked
        against the territory afterwards, ``check_targets``).
    """
    path = Path(path)
    merged, policy_entries = _raw_with_extends(path)
    src = str(path)
    errors = ErrorCollector()
    if "territory" not in merged:
        errors.add(InputError(src, "territory", "the path of a territory data directory (relative to the scenario)"))
    values = {key: spec.default for key, spec in SCENARIO_FIELDS.items()}
    for key, spec in SCENARIO_FIELDS.items():
        if key in merged:
            with errors.collect():
                values[key] = spec.check(merged[key], src)
    territory = Path(values["territory"]) if values["territory"] is not None else None
    if territory is not None and not territory.is_dir():
        # as written in the file, relative to it (a fresh-clone trial, session 54, read the resolved absolute path)
        try:
            shown = os.path.relpath(territory, Path(path).resolve().parent) if territory.is_absolute() else territory
        except ValueError:  # another drive
            shown = territory
        errors.add(InputError(src, "territory", f"{shown}: {not_found(territory, 'an existing data directory')}"))
    start_year, steps = values["start_year"], values["steps"]
    params = {}
    for name, (file, value) in merged["parameters"].items():
        with errors.collect():
            if name in PARAMETERS and PARAMETERS[name].group == CONTEXT_GROUP:
                raise InputError(file, f"parameters.{name}", f"a behavioural parameter; {name} is a context driver: "
                                 "set it in the [context] table")
            params[name] = validate_value(name, value, str(file))
    for name, (file, value) in merged["context"].items():
        with errors.collect():
            if name in PARAMETERS and PARAMETERS[name].group != CONTEXT_GROUP:
                raise InputError(file, f"context.{name}", f"a context driver; {name} is a behavioural parameter: "
                                 "set it in the [parameters] table")
            if name not in PARAMETERS:
                drivers = [n for n, spec in PARAMETERS.items() if spec.group == CONTEXT_GROUP]
                raise InputError(file, f"context.{name}", f"a context driver: one of {', '.join(drivers)}"
                                 f"{did_you_mean(name, drivers)}")
            params[name] = float(PARAMETERS[name].check(value, file, f"context.{name}"))
    policies = []
    for i, (file, raw) in enumerate(policy_entries):
        with errors.collect():  # a policy's first problem (its fields, then its years), each policy's
            policy = _policy(file, i, raw, start_year, start_year + steps)
            refuse_outside_years(file, i, policy, (start_year + 1, start_year + steps))
            policies.append(policy)
    with errors.collect():
        typology = Tolerances(**merged.get("typology", {}))
    errors.raise_any()
    policies = tuple(policies)
    check_policy_years(policy_entries, policies, (start_year + 1, start_year + steps))  # its warnings
    return Scenario(
        name=values["name"] or path.stem, description=values["description"], source=src,
        territory=territory, steps=steps, seed=values["seed"], start_year=start_year,
        poverty_line=values["poverty_line"], households_scale=values["households_scale"],
        parameters=Parameters(params, src), policies=policies, record_households=values["record_households"],
        typology=typology,
    )


def make_policy(source: str | Path, raw: dict, first_year: int, last_year: int, *,
                still_to_simulate: tuple[int, int] | None = None) -> Policy:
    """One validated policy from plain data (as in a scenario's ``[[policies]]`` table). Set
    during a run, ``still_to_simulate`` (first, last) are the years it may still act in: one
    wholly outside them is refused with a scenario file's message (:func:`refuse_outside_years`),
    since years already simulated cannot be set; one running past the last is not warned of
    (a lever set during a run has no end by default)."""
    policy = _policy(Path(source), 0, raw, first_year, last_year)
    if still_to_simulate is not None:
        refuse_outside_years(Path(source), 0, policy, still_to_simulate, "the years still to simulate",
                             f"the model stands at {still_to_simulate[0] - 1}; years already simulated cannot be set")
    return policy


def _policy(file: Path, index: int, raw: Any, first_year: int, last_year: int) -> Policy:
    where = f"policies[{index}]"
    if not isinstance(raw, dict):
        raise InputError(file, where, "a table with lever, start, end, target and the lever's fields")
    lever = raw.get("lever")
    if lever not in REGISTRY:
        raise InputError(file, f"{where}.lever", f"one of {', '.join(REGISTRY)}, got {lever!r}{did_you_mean(lever, REGISTRY)}")
    cls = REGISTRY[lever]
    fields = cls.field_specs()
    for key in raw:
        if key not in COMMON_FIELDS and key not in fields:
            raise InputError(file, f"{where}.{key}", f"a field of lever {lever}: {', '.join(list(COMMON_FIELDS) + list(fields))}"
                                 f"{did_you_mean(key, list(COMMON_FIELDS) + list(fields))}")
    start = YEAR.check(raw.get("start", first_year), file, f"{where}.start")
    end = YEAR.check(raw.get("end", last_year), file, f"{where}.end")
    if end < start:
        # which of the two is wrong: a start past the simulated years is named as such (a researcher's
        # trial, session 24: start 2035, end 2029 blamed end alone)
        past = f"; start {start} is itself after the last simulated year {last_year}" if start > last_year else ""
        raise InputError(file, f"{where}.end", f"a year not before start ({start}), got {end}{past}")
    values = cls.check_values(raw, file, where)
    label = raw.get("label", lever)
    if not isinstance(label, str) or not label:
        raise InputError(file, f"{where}.label", "a non-empty string")
    return Policy(lever, label, start, end, validate_target(file, f"{where}.target", raw.get("target", "all")), values)


TARGET_RULES: dict[str, FieldSpec] = {
    "poverty_above": FieldSpec("poverty_above", "1", None, 0.0, 1.0, "nodes whose poverty headcount is above this"),
    "kind": FieldSpec("kind", "-", None, meaning="nodes of this kind", kind="str", choices=("municipality", "city")),
}
"""Target rules (``target = {rule = value}``) and the value each takes."""
TARGET_EXPECTED = ('"all", a non-empty list of node ids or names (["M01"], even for one), {poverty_above = 0..1} '
                   'or {kind = "municipality"|"city"}')


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
        if rule in TARGET_RULES:
            try:
                return {rule: TARGET_RULES[rule].check(value, file, f"{where}.{rule}")}
            except InputError:
                pass
    hint = f' (one node is a list of one: target = ["{target}"])' if isinstance(target, str) and target else ""
    raise InputError(file, where, f"{TARGET_EXPECTED}, got {target!r}{hint}")


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
    for k, label in enumerate(labels):  # the clash named, with the policy it clashes with (a trial, session 54)
        if label in labels[:k]:
            first = labels.index(label)
            raise InputError(src, f"policies[{k}].label",
                             f"a label of its own: {label!r} is also the label of policies[{first}] (an extended "
                             f"scenario's policies come first; give this one another label = \"...\")")
    for k, p in enumerate(scenario.policies):
        if isinstance(p.target, tuple):
            for node_id in p.target:
                try:
                    index = territory.index(node_id)  # an id, or a name only one node has
                except KeyError as exc:
                    raise InputError(src, f"policies[{k}].target", exc.args[0]) from None
                if territory.kinds[index] == "market":
                    raise InputError(src, f"policies[{k}].target", f"municipalities or cities; {node_id!r} is a market")
