"""One run of an ensemble, as a worker process does it: generate the run's territory, run the
model on it, and return the run's rows of ``municipalities.csv`` and ``territories.csv``.

Generating in the workers, instead of generating every territory first in the parent,
spreads that work over the engine's processes; returning finished rows leaves the parent only
to store them and, at the end, to concatenate them. A worker keeps the last few territories
it generated (the replicate seeds of a territory are usually neighbours in the queue).
Everything is a function of the design and the run's spec, so any engine gives the same
bytes.
"""

from __future__ import annotations

import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.territory import Territory, load_territory
from ..experiments.runs import RunSpec, pack, simulate
from ..experiments.store import design_hash
from ..outcomes import STATISTICS, TYPE_FLAGS, TYPES, period_frames, period_statistics
from .design import EnsembleDesign
from .generate import GeneratedTerritory, generate, write

WIN_WIN_WIN = ("sustainable win-win-win", "win-win-win")
"""Types where income grew and poverty and inequality fell (with or without the forest kept)."""
UNITS_TABLE, RUN_TABLE = "units", "run"
"""Names of a run's tables in its stored result: its municipality rows and its territory row."""
KEPT = 4
"""Generated territories a worker process keeps."""
_kept: OrderedDict[tuple[str, int], tuple[GeneratedTerritory, Territory]] = OrderedDict()


def territory_key(index: int) -> str:
    return f"t{index:04d}"


def generated_territory(design: EnsembleDesign, index: int) -> tuple[GeneratedTerritory, Territory]:
    """Territory ``index`` of ``design``: as generated, and as the loader ``territory-abm
    validate`` uses reads it back from its written files (so it is checked the same way).

    Raises
    ------
    ValueError
        The generated territory is not valid (the loader's message).
    """
    key = (design_hash(design.as_dict()), index)
    if key in _kept:
        _kept.move_to_end(key)
        return _kept[key]
    generated = generate(design.distributions, design.territory_rng(index), design.scenario.poverty_line)
    with tempfile.TemporaryDirectory(prefix="territory-") as tmp:
        try:
            territory = load_territory(write(generated, Path(tmp) / territory_key(index)))
        except ValueError as exc:  # InputError: re-raised as a plain error that pickles across processes
            raise ValueError(f"generated territory {index} is not valid: {exc}") from None
    _kept[key] = generated, territory
    while len(_kept) > KEPT:
        _kept.popitem(last=False)
    return generated, territory


@dataclass(frozen=True)
class EnsembleRun:
    """The engine's run function for the specs of ``design`` (labels ``territory`` and
    ``replicate``; overrides are the territory's context drivers and any calibrated values).

    Returns the packed result with tables ``units`` (:func:`municipality_rows`) and ``run``
    (one row, :func:`territory_row`).
    """

    design: EnsembleDesign

    def __call__(self, spec: RunSpec) -> bytes:
        index = int(spec.labels["territory"])
        generated, territory = generated_territory(self.design, index)
        result = simulate(spec, territory)
        head = {"territory": territory_key(index), "replicate": int(spec.labels["replicate"]), "seed": spec.seed}
        units = municipality_rows(generated, result, head)
        row = territory_row(generated, result, units, head, spec.overrides)
        return pack({UNITS_TABLE: units, RUN_TABLE: pd.DataFrame([row]), "meta": result["meta"]})


def municipality_rows(territory: GeneratedTerritory, result: dict, head: dict) -> pd.DataFrame:
    """One row per populated node of one run."""
    nodes, typ = result["nodes"], result["typology"]
    features = territory.municipalities.set_index("node_id")
    order = list(features.index)
    a, b, net, years = period_frames(nodes, order=order)
    stats = period_statistics(a, b, net, years)
    typ = typ.set_index("node_id").reindex(order)
    out = pd.DataFrame({**{k: [v] * len(order) for k, v in head.items()}, "node_id": order})
    out = pd.concat([out, features.reset_index(drop=True)], axis=1)
    out["income_start"] = a["mean_income_pc"].to_numpy(float)
    out["log_income_start"] = np.log(out["income_start"])
    out["poverty_start"] = a["poverty_headcount"].to_numpy(float)
    out["gini_start"] = a["gini_income"].to_numpy(float)
    for name in STATISTICS:
        out[name] = stats[name]
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = out["poverty_change"].to_numpy(float) / out["poverty_start"].to_numpy(float)
    out["poverty_change_relative"] = np.where(np.isfinite(relative), relative, np.nan)
    for name in TYPE_FLAGS:
        out[name] = typ[name].to_numpy().astype(int)
    out["win_win_win"] = typ["type"].isin(WIN_WIN_WIN).to_numpy().astype(int)
    out["type"] = typ["type"].to_numpy(str)
    return out


def territory_row(territory: GeneratedTerritory, result: dict, units: pd.DataFrame, head: dict,
                  context: dict) -> dict:
    """One row for one run: draws, context, type shares of its units, territory-wide statistics."""
    row = {**head, **territory.draws, **{f"context:{k}": v for k, v in sorted(context.items())}}
    row["units"] = len(units)
    row["share_win_win_win"] = float(units["win_win_win"].mean())
    for t in TYPES:
        row[f"share:{t}"] = float((units["type"] == t).mean())
    a, b, net, years = period_frames(result["territory"], key=None)
    stats = period_statistics(a, b, net, years)
    row.update({f"territory_{name}": float(v[0]) for name, v in stats.items()})
    return row
