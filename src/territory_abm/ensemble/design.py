"""An ensemble design file (``experiments/ensemble.toml``): how many territories, drawn from
which distributions, run with which scenario, over which period, with which seeds.

Keys: ``name``, ``description``, ``base`` (another design file, relative to this one, whose
keys and tables this one starts from: each key or table given here replaces the base's whole,
an empty ``[context]`` meaning no drawn context; ``name`` and ``description`` are this file's
own), ``scenario`` (behaviour, poverty line, typology
tolerances and default context; its territory is replaced), ``territories``, ``seeds``
(replicate runs per territory), ``seed`` (of everything), ``steps``,
``households_scale``, a ``[distributions]`` table (any feature of
``distributions.FEATURES``; the others keep their default) and a ``[context]`` table
(any context driver of the parameter registry: a number, or a distribution drawn once per
territory).

Seeds: territory ``i`` is generated from ``numpy.random.default_rng([seed, i, 0])``, its
context drivers from ``[seed, i, 1]``, its replicate seeds from
``SeedSequence([seed, i, 2])``; territory ``i`` is thus the same whatever the number of
territories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..design_files import linked_scenario, read_design
from ..errors import InputError
from ..fields import FieldSpec
from ..params import CONTEXT_GROUP
from ..params import REGISTRY as PARAMETERS
from ..scenarios.loader import Scenario
from ..suggest import did_you_mean, not_found
from .distributions import DERIVED, FEATURES, Distribution, parse_distribution, sector_check

FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("name", "-", None, meaning="ensemble name (default: the file name)", kind="str"),
    FieldSpec("description", "-", "", meaning="one-paragraph description", kind="str"),
    FieldSpec("base", "-", "", meaning="ensemble design whose keys and tables this file starts from (relative to "
              "this file)", kind="str"),
    FieldSpec("scenario", "-", None, meaning="scenario file (relative to this file); its territory is replaced",
              kind="str"),
    FieldSpec("territories", "1", 20, 1, 100_000, "territories generated", "int"),
    FieldSpec("seeds", "1", 2, 1, 1000, "replicate runs (seeds) per territory", "int"),
    FieldSpec("seed", "-", 0, 0, 2**63 - 1, "seed of the territories, their context and their runs", "int"),
    FieldSpec("steps", "yr", 10, 1, 500, "years simulated (a census decade by default)", "int"),
    FieldSpec("households_scale", "1", 1.0, 1e-4, 1000,
              "simulated households per real household (1: a municipality's statistics carry no sampling "
              "noise of the simulation's own, which at 0.05 made inequality fall in 0.37 of the units "
              "instead of 0.22; README, 'Territory ensembles')"),
)}
TABLES = ("distributions", "context")
OVERRIDABLE = ("territories", "seeds", "steps", "households_scale")
"""Fields the command line may replace (quick tries)."""


@dataclass(frozen=True)
class EnsembleDesign:
    """A validated ensemble design."""

    name: str
    description: str
    source: str
    scenario: Scenario
    territories: int
    seeds: int
    seed: int
    distributions: dict[str, Distribution]
    context: dict[str, Distribution]

    def territory_rng(self, index: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, index, 0])

    def context_draws(self, index: int) -> dict[str, float]:
        """Context drivers of territory ``index`` (drawn in name order)."""
        rng = np.random.default_rng([self.seed, index, 1])
        return {name: float(self.context[name].draw(rng)) for name in sorted(self.context)}

    def run_seeds(self, index: int) -> list[int]:
        """Replicate seeds of territory ``index``."""
        state = np.random.SeedSequence([self.seed, index, 2]).generate_state(self.seeds, np.uint32)
        return [int(s) for s in state]

    def as_dict(self) -> dict:
        """Plain data of the design (hashed to guard the output directory)."""
        scenario = {**self.scenario.as_dict(), "territory": None, "seed": None, "source": None}
        return {"kind": "ensemble", "name": self.name, "territories": self.territories, "seeds": self.seeds,
                "seed": self.seed, "scenario": scenario,
                "distributions": {k: d.as_dict() for k, d in self.distributions.items()},
                "context": {k: d.as_dict() for k, d in sorted(self.context.items())}}


OWN_KEYS = ("name", "description", "base")
"""Keys a design never takes from its base."""


def with_base(path: Path, raw: dict) -> dict:
    """The keys and tables of the design ``raw`` (read from ``path``) over those of the design its
    ``base`` names, if any (its ``scenario`` resolved against the base's folder). A base that
    names a base of its own is refused (one level keeps a design readable)."""
    if "base" not in raw:
        return raw
    src, value = str(path), raw["base"]
    if not isinstance(value, str) or not value:
        raise InputError(src, "base", "the path of an ensemble design file, relative to this file")
    file = path.parent / value
    if not file.is_file():
        raise InputError(src, "base", f"{file}: {not_found(file, 'an existing ensemble design file')}")
    base = read_design(file, "ensemble", {*FIELDS, *TABLES})
    if "base" in base:
        raise InputError(src, "base", f"a design without a base of its own ({file} names {base['base']!r})")
    load_ensemble(file)  # the base is a design of its own: its errors name its file and field
    merged = {k: v for k, v in base.items() if k not in OWN_KEYS}
    if isinstance(merged.get("scenario"), str):  # relative to the base's folder, as seen from this file's
        merged["scenario"] = str(Path(value).parent / merged["scenario"])
    merged.update(raw)
    return merged


def load_ensemble(path: str | Path, overrides: dict | None = None) -> EnsembleDesign:
    """Read and validate an ensemble design; ``overrides`` replace fields of ``OVERRIDABLE``.

    Raises
    ------
    InputError
        Naming the file and field: unknown key, feature or driver, a distribution of an
        unknown kind or out of its feature's range, a scenario whose policies name nodes.
    """
    path = Path(path)
    src = str(path)
    raw = with_base(path, read_design(path, "ensemble", {*FIELDS, *TABLES}))
    raw.update({k: v for k, v in (overrides or {}).items() if v is not None})
    values = {k: spec.check(raw[k], src) if k in raw else spec.default for k, spec in FIELDS.items()}
    scenario = linked_scenario(src, path, raw, "scenario", values["steps"], values["households_scale"])
    for policy in scenario.policies:
        if isinstance(policy.target, tuple):
            raise InputError(src, "scenario", f"a scenario whose policies target rules, not named nodes "
                             f"(policy {policy.label!r} names {', '.join(policy.target)})")
    tables = {}
    for table in TABLES:
        tables[table] = raw.get(table, {})
        if not isinstance(tables[table], dict):
            raise InputError(src, table, "a table of name = distribution")
    distributions = {}
    for name, value in tables["distributions"].items():
        if name in DERIVED:
            raise InputError(src, f"distributions.{name}", f"no distribution: {name} is {DERIVED[name]}")
        if name not in FEATURES:
            raise InputError(src, f"distributions.{name}", f"a territory feature{did_you_mean(name, FEATURES)}: "
                             f"one of {', '.join(FEATURES)}")
        f = FEATURES[name]
        distributions[name] = parse_distribution(value, src, f"distributions.{name}", f.low, f.high, f.integer)
    distributions = {name: distributions.get(name, f.default) for name, f in FEATURES.items()}
    sector_check(distributions, src, "distributions")
    drivers = [n for n, spec in PARAMETERS.items() if spec.group == CONTEXT_GROUP]
    context = {}
    for name, value in tables["context"].items():
        if name not in drivers:
            raise InputError(src, f"context.{name}", f"a context driver{did_you_mean(name, drivers)}: "
                             f"one of {', '.join(drivers)}")
        spec = PARAMETERS[name]
        context[name] = parse_distribution(value, src, f"context.{name}", spec.low, spec.high)
    return EnsembleDesign(name=values["name"] or path.stem, description=values["description"], source=src,
                          scenario=scenario, territories=values["territories"], seeds=values["seeds"],
                          seed=values["seed"], distributions=distributions, context=context)
