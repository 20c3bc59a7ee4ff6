"""One run of an experiment: what to run (``RunSpec``) and running it (``execute_run``).

A run is fully described by its resolved scenario, seed and parameter overrides, so the
same spec gives the same result in any process, on any engine, in any order.
Results travel as bytes (a NumPy ``.npz`` archive, no pickle) so that workers hand the
parent something it can store as is.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.territory import Territory, load_territory
from ..model import TerritoryModel
from ..model.outcomes import consumer_prices
from ..output import tables
from ..scenarios.loader import Scenario
from ..typology import typology


@dataclass(frozen=True)
class RunSpec:
    """One simulation to run.

    run_id : unique key in the experiment's store (e.g. ``"cash_transfers/seed=3"``)
    scenario : resolved scenario (its own seed is replaced by ``seed``)
    seed : random seed of this run
    overrides : parameter values replacing the scenario's (registry names)
    labels : extra identifying columns for the results (e.g. ``{"sample": 12}``)
    keep_nodes : keep the per-node table (compare) or only the territory table (sensitivity)
    keep_households : keep per-household income and programme reach (impact accounting)
    distribution_years : calendar years whose median and Gini outcomes are computed
        (None: every year); the others are NaN in the tables, nothing else changes
    """

    run_id: str
    scenario: Scenario
    seed: int
    overrides: dict[str, float] = field(default_factory=dict)
    labels: dict[str, object] = field(default_factory=dict)
    keep_nodes: bool = True
    keep_households: bool = False
    distribution_years: tuple[int, ...] | None = None

    def resolved(self) -> Scenario:
        params = self.scenario.parameters.with_overrides(self.overrides) if self.overrides else self.scenario.parameters
        return self.scenario.replace(seed=self.seed, parameters=params)

    def description(self) -> dict:
        """Plain data identifying the run (stored next to its result)."""
        return {"run_id": self.run_id, "scenario": self.scenario.name, "seed": self.seed,
                "overrides": dict(self.overrides), "labels": dict(self.labels)}


@lru_cache(maxsize=8)
def _territory(path: str) -> Territory:
    """Territories are read once per worker process (the model copies what it changes)."""
    return load_territory(Path(path))


def execute_run(spec: RunSpec) -> bytes:
    """Run one spec to the end and return its tables as an ``.npz`` archive."""
    return pack(simulate(spec))


def simulate(spec: RunSpec, territory: Territory | None = None) -> dict:
    """Run one spec to the end: its tables as :func:`pack` takes them (``{"territory":
    DataFrame, ..., "meta": dict}``, the layout :func:`read_result` gives back).

    territory : the loaded territory to run (default: read from the scenario's path)
    """
    started = time.perf_counter()
    scenario = spec.resolved()
    years = None if spec.distribution_years is None else frozenset(spec.distribution_years)
    territory = territory if territory is not None else _territory(str(scenario.territory))
    model = TerritoryModel(scenario, territory=territory, distribution_years=years)
    if spec.keep_households:
        # the starting households are ids 0 .. n0 - 1 (their rows until rows of households no
        # longer alive are dropped: ``households.compact_rows``), read by id each year
        n0 = model.households.n
        # per starting household and year: income, nominal and deflated by its node's consumer
        # prices (float32: enough for sums, half the store); and every household's real income
        yearly = np.zeros((2, scenario.steps, n0), np.float32)
        real_total = np.zeros(scenario.steps)
        # per starting household, the first simulated year (0 = the first) a programme reached it; -1 never
        first_reached = np.full(n0, -1, np.int16)
    for year in range(scenario.steps):
        model.step()
        if spec.keep_households:
            hh = model.households
            real = hh.income * hh.alive / consumer_prices(model)[hh.node]
            yearly[0, year], yearly[1, year] = hh.by_id(hh.income * hh.alive)[:n0], hh.by_id(real)[:n0]
            real_total[year] = hh.total(real)
            first_reached[(first_reached < 0) & (hh.by_id(hh.programmes)[:n0] != 0)] = year
    out: dict = {"territory": tables.territory_table(model)}
    nodes = tables.node_table(model)
    out["typology"] = typology(nodes, tolerances=scenario.typology)
    if spec.keep_nodes:
        out["nodes"] = nodes
    if spec.keep_households:
        out["households"] = {"first_reached": first_reached, "income_by_year": yearly[0],
                             "real_income_by_year": yearly[1]}
        out["real_income_total"] = real_total
        out["node_ids"] = list(model.territory.ids)
    model.release()
    out["meta"] = {"wall_time_s": time.perf_counter() - started, **spec.description()}
    return out


def pack(result: dict) -> bytes:
    """``result`` (tables as :func:`read_result` gives them) as a compressed ``.npz`` archive:
    each DataFrame column an array, no pickle."""
    arrays: dict[str, np.ndarray] = {}
    for name, value in result.items():
        if isinstance(value, pd.DataFrame):
            _put_frame(arrays, name, value)
        elif name == "households":
            arrays.update({f"households/{k}": v for k, v in value.items()})
        elif name == "node_ids":
            arrays[name] = np.array(value, dtype=str)
        elif name == "meta":
            arrays[name] = np.array(json.dumps(value, sort_keys=True))
        else:
            arrays[name] = np.asarray(value)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def _put_frame(arrays: dict, name: str, df: pd.DataFrame) -> None:
    arrays[f"{name}/__columns__"] = np.array(list(df.columns), dtype=str)
    for i, col in enumerate(df.columns):
        values = df[col].to_numpy()
        arrays[f"{name}/{i}"] = values.astype(str) if values.dtype == object else values


def read_result(payload: bytes) -> dict:
    """Tables and arrays of a stored result: ``{"territory": DataFrame, ..., "meta": dict}``."""
    out: dict = {}
    with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
        names = set(archive.files)
        for key in names:
            if key.endswith("/__columns__"):
                frame = key.split("/")[0]
                columns = archive[key].tolist()
                out[frame] = pd.DataFrame({c: archive[f"{frame}/{i}"] for i, c in enumerate(columns)})
            elif key.startswith("households/"):
                out.setdefault("households", {})[key.split("/", 1)[1]] = archive[key]
        if "real_income_total" in names:
            out["real_income_total"] = archive["real_income_total"]
        if "node_ids" in names:
            out["node_ids"] = archive["node_ids"].tolist()
        out["meta"] = json.loads(str(archive["meta"]))
    return out
