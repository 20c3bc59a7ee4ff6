"""A territory's own drift: its scenario with no policy and every context driver flat, at the
birth rate that holds its population (issue 12: a baseline should move only for reasons a user
can name; what still moves in this scenario moves for a reason inside the model).

The example ships such a scenario (``scenarios/stationary.toml``, births solved by hand); this
module makes one for any scenario, an imported territory's included: :func:`flat` removes the
policies and holds the context's drivers of change at 0, :func:`solve_births` finds the birth
rate at which the population's mean change over the seeds is 0 (Brent's method,
``scipy.optimize.brentq``, on the same seeds at every rate: common random numbers), and
:func:`drift` states each outcome's change with its seed-to-seed spread.
"""

from __future__ import annotations

import json
import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from ..params import REGISTRY
from ..scenarios.loader import Scenario

FLAT_DRIVERS = ("birth_rate_trend", "death_rate_trend", "national_income_growth", "outside_income_growth",
                "market_price_trend", "market_price_volatility", "climate_shock_probability",
                "frontier_clearing_rate", "urbanisation_pull", "national_cct_coverage_growth",
                "education_return_trend")
"""The context's drivers of change, held at 0 (the registry's flat defaults but the pull's):
``urbanisation_pull`` 0 is the start's spatial equilibrium, where the gaps in income and
services between the territory's nodes drive no net migration between them (at the defaults
since session 35 it holds the cities' share of the residents, which the pull of 1 raises 1.7
points in 20 years: docs/model_choices.md, 'The start's spatial equilibrium'). The levels
(``death_rate``, ``city_birth_ratio``) and the pass-throughs, which act only on a driver that
moves, keep the scenario's values; ``birth_rate`` is solved."""

DRIFT_OUTCOMES = ("poverty_headcount", "gini_income", "mean_income_pc", "population")
"""The outcomes :func:`drift` states (``population`` as a relative change)."""

BIRTH_RANGE = (REGISTRY["birth_rate"].low, REGISTRY["birth_rate"].high)
"""Where the birth rate is searched: the registry's range."""

BIRTH_TOLERANCE = 5e-5
"""Births per person per year to which the rate is solved (``brentq``'s ``xtol``): 0.1 % of
the population over 20 years, a tenth of the seed-to-seed spread of its change at scale 0.25."""


@dataclass
class Solution:
    """The birth rate that holds the population, and the search that found it."""

    birth_rate: float
    population_change: float
    """Mean relative change of the population over the seeds at ``birth_rate``."""
    tried: list[tuple[float, float]] = field(default_factory=list)
    """(birth rate, mean relative population change) of every evaluation, in order."""


def flat(scenario: Scenario) -> Scenario:
    """``scenario`` with no policy and the context's drivers of change (:data:`FLAT_DRIVERS`) at 0."""
    return scenario.replace(name=f"{scenario.name}_stationary", policies=(),
                            parameters=scenario.parameters.with_overrides({d: 0.0 for d in FLAT_DRIVERS},
                                                                          source="stationary"))


NODE_OUTCOMES = ("poverty_headcount", "mean_income_pc", "gini_income")
"""The outcomes :func:`node_drift` states per municipality (and, but the Gini, per kind of node)."""


def _one_run(args) -> tuple[np.ndarray, pd.DataFrame]:
    """One seed's first and last year: of the territory table (2 x :data:`DRIFT_OUTCOMES`) and of
    the node table (node, name, kind, year, population and :data:`NODE_OUTCOMES`, nodes with
    residents at the start); ``args`` = (scenario, seed)."""
    from ..model.model import TerritoryModel
    from ..output.tables import node_table

    scenario, seed = args
    model = TerritoryModel(scenario.replace(seed=seed))
    model.run()
    table = model.datacollector.get_model_vars_dataframe()[list(DRIFT_OUTCOMES)]
    nodes = node_table(model)
    model.release()
    first, last = nodes["year"].min(), nodes["year"].max()
    peopled = nodes[(nodes["year"] == first) & (nodes["population"] > 0)]["node_id"]
    nodes = nodes[nodes["year"].isin([first, last]) & nodes["node_id"].isin(peopled)]
    return table.iloc[[0, -1]].to_numpy(), nodes[["node_id", "name", "kind", "year", "population",
                                                   *NODE_OUTCOMES]].reset_index(drop=True)


class Runner:
    """Runs a scenario over ``seeds`` on ``workers`` processes (1: in this process) and keeps
    each (birth rate, seed)'s start and end, so that a rate tried twice runs once."""

    def __init__(self, scenario: Scenario, seeds: list[int], workers: int = 1):
        self.scenario, self.seeds, self.workers = scenario, list(seeds), workers
        self._ends: dict[float, np.ndarray] = {}
        self._nodes: dict[float, list[pd.DataFrame]] = {}
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def ends(self, birth_rate: float) -> np.ndarray:
        """Seeds x (start, end) x :data:`DRIFT_OUTCOMES` at ``birth_rate``."""
        if birth_rate not in self._ends:
            scenario = self.scenario.replace(parameters=self.scenario.parameters.with_overrides(
                {"birth_rate": birth_rate}, source="stationary"))
            jobs = [(scenario, seed) for seed in self.seeds]
            if self.workers > 1:
                self._pool = self._pool or ProcessPoolExecutor(self.workers)
                runs = list(self._pool.map(_one_run, jobs))
            else:
                runs = [_one_run(job) for job in jobs]
            self._ends[birth_rate] = np.stack([territory for territory, _ in runs])
            self._nodes[birth_rate] = [nodes for _, nodes in runs]
        return self._ends[birth_rate]

    def nodes(self, birth_rate: float) -> list[pd.DataFrame]:
        """Each seed's node table at its first and last year (:func:`_one_run`) at ``birth_rate``."""
        self.ends(birth_rate)
        return self._nodes[birth_rate]

    def population_change(self, birth_rate: float) -> float:
        """Mean relative change of the population over the seeds."""
        ends = self.ends(birth_rate)
        k = DRIFT_OUTCOMES.index("population")
        return float(np.mean(ends[:, 1, k] / ends[:, 0, k] - 1.0))


def solve_births(runner: Runner) -> Solution:
    """The birth rate at which the population's mean change over the runner's seeds is 0.

    A first guess adds the population's yearly change at the scenario's own rate to that rate
    (births and losses per person roughly balance there); a bracket around it is widened until
    the change has opposite signs at its ends (within :data:`BIRTH_RANGE`), then Brent's method
    closes in to :data:`BIRTH_TOLERANCE`. The change grows with the rate, in steps at a finite
    scale (births are drawn), so the root is where it crosses 0.

    Raises
    ------
    ValueError
        If no rate in :data:`BIRTH_RANGE` holds the population (it grows even at the lowest or
        falls even at the highest).
    """
    tried: list[tuple[float, float]] = []

    def change(rate: float) -> float:
        value = runner.population_change(rate)
        tried.append((rate, value))
        return value

    low, high = BIRTH_RANGE
    years = runner.scenario.steps
    own = runner.scenario.parameters.birth_rate
    guess = min(max(own - math.log1p(change(own)) / years, low), high)
    step = 0.002
    a, b = max(guess - step, low), min(guess + step, high)
    fa, fb = change(a), change(b)
    while fa > 0 or fb < 0:
        if (fa > 0 and a <= low) or (fb < 0 and b >= high):
            raise ValueError(f"no birth rate in {low:g}-{high:g} holds the population over {years} years "
                             f"(population change {fa:+.3%} at {a:g}, {fb:+.3%} at {b:g})")
        step *= 2
        if fa > 0:
            a, fa = max(a - step, low), change(max(a - step, low))
        if fb < 0:
            b, fb = min(b + step, high), change(min(b + step, high))
    if fa == 0:
        return Solution(a, 0.0, tried)
    rate = brentq(change, a, b, xtol=BIRTH_TOLERANCE) if fb != 0 else b
    return Solution(float(rate), runner.population_change(rate), tried)


def drift(runner: Runner, birth_rate: float) -> pd.DataFrame:
    """Per outcome of :data:`DRIFT_OUTCOMES`: mean start and end over the seeds, the mean change
    (relative for the population), its seed-to-seed standard deviation and whether the mean
    lies within one of it (the stationarity issue 12 asks for)."""
    ends = runner.ends(birth_rate)
    return pd.DataFrame([_change_row(outcome, ends[:, 0, k], ends[:, 1, k], relative=outcome == "population")
                         for k, outcome in enumerate(DRIFT_OUTCOMES)])


def _change_row(outcome: str, start: np.ndarray, end: np.ndarray, relative: bool = False, **labels) -> dict:
    """One outcome's start and end (means over the seeds), its mean change (``end - start``, or
    ``end / start - 1`` where ``relative``), seed sd and whether the mean lies within one sd."""
    change = end / start - 1.0 if relative else end - start
    sd = float(np.std(change, ddof=1)) if len(change) > 1 else float("nan")
    return {**labels, "outcome": outcome, "start": float(np.mean(start)), "end": float(np.mean(end)),
            "change": float(np.mean(change)), "seed_sd": sd,
            "within_one_sd": bool(abs(np.mean(change)) <= sd) if sd == sd else None}


def _residents_mean(nodes: pd.DataFrame, kind: str, outcome: str, year: int) -> float:
    """``outcome`` over the residents of the nodes of ``kind`` in ``year`` (population-weighted; NaN without any)."""
    rows = nodes[(nodes["kind"] == kind) & (nodes["year"] == year)]
    people = rows["population"].sum()
    return float((rows[outcome] * rows["population"]).sum() / people) if people > 0 else float("nan")


def node_drift(runner: Runner, birth_rate: float) -> pd.DataFrame:
    """Issue 12's 'per-municipality changes are noise around zero', and the kinds apart (a
    territory at rest in total can hide rural municipalities and cities moving opposite ways):
    per node with residents, and over the residents of each kind of node ("rural municipalities",
    "intermediate cities"), each of :data:`NODE_OUTCOMES` (the Gini per node only) at the start
    and end (mean over the seeds), its mean change, seed-to-seed sd and whether the mean lies
    within one sd. Columns ``unit``, ``kind``, ``outcome``, ``start``, ``end``, ``change``,
    ``seed_sd``, ``within_one_sd``."""
    runs = runner.nodes(birth_rate)
    years = runs[0]["year"].min(), runs[0]["year"].max()
    rows: list[dict] = []
    for kind, label in {"municipality": "rural municipalities", "city": "intermediate cities"}.items():
        for outcome in NODE_OUTCOMES[:2]:
            ends = np.array([[_residents_mean(nodes, kind, outcome, y) for y in years] for nodes in runs])
            if not np.isnan(ends).all():
                rows.append(_change_row(outcome, ends[:, 0], ends[:, 1], unit=label, kind=kind))
    indexed = [nodes.set_index(["node_id", "year"]) for nodes in runs]
    first = runs[0][runs[0]["year"] == years[0]]
    for node, name, kind in first[["node_id", "name", "kind"]].itertuples(index=False):
        for outcome in NODE_OUTCOMES:
            ends = np.array([[nodes.at[(node, y), outcome] for y in years] for nodes in indexed])
            rows.append(_change_row(outcome, ends[:, 0], ends[:, 1], unit=f"{node} {name}", kind=kind))
    return pd.DataFrame(rows)


def chance_beyond(seeds: int) -> float:
    """The probability that a unit with no drift has its mean change beyond one seed-to-seed sd
    over ``seeds`` seeds (changes normal: |mean| > sd is |t| > sqrt(n) with t on n - 1 degrees
    of freedom): what share of municipalities the criterion flags by chance alone."""
    from scipy.stats import t

    return float(2.0 * t.sf(math.sqrt(seeds), seeds - 1)) if seeds > 1 else float("nan")


def scenario_toml(scenario: Scenario, solution: Solution, seeds: list[int], version: str,
                  directory: Path | None = None) -> str:
    """A scenario file for ``scenario`` (already :func:`flat`) at the solved birth rate: every
    field written out (no ``extends``, whose policies could not be removed), the parameters
    that differ from the registry's defaults and every context driver; the territory named
    relative to ``directory`` (the file's), absolute without it."""
    context = {name: scenario.parameters[name] for name, entry in REGISTRY.items() if entry.group == "context"}
    context["birth_rate"] = solution.birth_rate
    parameters = {name: value for name, value in scenario.parameters.as_dict().items()
                  if REGISTRY[name].group != "context" and value != REGISTRY[name].default}
    territory = Path(scenario.territory).resolve()
    if directory is not None:
        territory = Path(os.path.relpath(territory, Path(directory).resolve()))
    territory = territory.as_posix()
    lines = [f"# Written by territory-abm {version} stationary from {scenario.source}: no policy, every context",
             "# driver of change at 0, and the birth rate at which the population's mean change over",
             f"# {scenario.steps} years is 0 on seeds {seeds[0]}-{seeds[-1]} at households_scale "
             f"{scenario.households_scale:g} ({solution.population_change:+.3%} there).",
             "# What moves in this scenario moves for a reason inside the model.",
             f"name = {json.dumps(scenario.name)}",
             f"description = {json.dumps('No policy, context held flat: the model' + chr(39) + 's own drift.')}",
             f"territory = {json.dumps(territory)}",
             f"start_year = {scenario.start_year}", f"steps = {scenario.steps}", f"seed = {scenario.seed}",
             f"poverty_line = {scenario.poverty_line!r}", f"households_scale = {scenario.households_scale!r}", ""]
    if parameters:
        lines += ["[parameters]", *(f"{name} = {value!r}" for name, value in parameters.items()), ""]
    lines += ["[context]", *(f"{name} = {value!r}" for name, value in context.items())]
    typology = scenario.typology.as_dict()
    if typology:
        lines += ["", "[typology]", *(f"{name} = {value!r}" for name, value in typology.items())]
    return "\n".join(lines) + "\n"
