"""``territory-abm ensemble``: generate the territories of a design, run each on the
experiment engines into the resumable store, write per-municipality and per-territory
outcomes.

Outputs (in ``--out``): ``results.sqlite`` (the store), ``municipalities.csv`` (one row
per run and populated node: its drawn features, start values, period statistics, typology
flags and type), ``territories.csv`` (one row per run: the territory's draws, its context
drivers, its type shares and territory-wide period statistics), ``territories/`` (the
generated territory directories; removed at the end unless ``--write-territories``) and
``ensemble.json`` last. Every output is a function of the design file only: rerunning gives
the same bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..data.territory import load_territory
from ..errors import InputError
from ..experiments.driver import ExperimentStatus, run_experiment
from ..experiments.engines import make_engine
from ..experiments.runs import RunSpec, read_result
from ..experiments.store import ResultStore
from ..outcomes import STATISTICS, TYPE_FLAGS, TYPES, period_frames, period_statistics
from ..output import tables
from .design import EnsembleDesign, load_ensemble
from .generate import GeneratedTerritory, generate, write

WIN_WIN_WIN = ("sustainable win-win-win", "win-win-win")
"""Types where income grew and poverty and inequality fell (with or without the forest kept)."""
MARKER = "ensemble.json"


def territory_key(index: int) -> str:
    return f"t{index:04d}"


def generate_all(design: EnsembleDesign, directory: Path) -> list[GeneratedTerritory]:
    """Generate and write every territory of ``design`` into ``directory/tNNNN``, each
    checked by the loader ``territory-abm validate`` uses."""
    out = []
    for i in range(design.territories):
        territory = generate(design.distributions, design.territory_rng(i), design.scenario.poverty_line)
        path = write(territory, directory / territory_key(i))
        try:
            load_territory(path)
        except InputError as exc:  # a design whose draws make an inconsistent territory
            raise InputError(design.source, "distributions", f"distributions that give valid territories; "
                             f"territory {i} fails: {exc}") from None
        out.append(territory)
    return out


def ensemble_specs(design: EnsembleDesign, directory: Path) -> list[RunSpec]:
    """One run per territory and replicate seed, the territory's context drivers as overrides."""
    specs = []
    for i in range(design.territories):
        key = territory_key(i)
        scenario = design.scenario.replace(territory=directory / key, name=key)
        context = design.context_draws(i)
        for k, seed in enumerate(design.run_seeds(i)):
            specs.append(RunSpec(f"{key}/r{k}", scenario, seed, overrides=context,
                                 labels={"territory": i, "replicate": k}))
    return specs


def run_ensemble(path: Path, out_dir: Path, workers: int | None = None, scheduler: str | None = None,
                 progress: bool = True, write_territories: bool = False,
                 overrides: dict | None = None) -> ExperimentStatus:
    """Run the ensemble of the design file ``path`` into ``out_dir`` (resuming a previous
    attempt) and, once every run is stored, write its tables."""
    return run_design(load_ensemble(path, overrides), out_dir, workers, scheduler, progress, write_territories)


def run_design(design: EnsembleDesign, out_dir: Path, workers: int | None = None, scheduler: str | None = None,
               progress: bool = True, write_territories: bool = False) -> ExperimentStatus:
    """Run a loaded ensemble design (see :func:`run_ensemble`)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with ResultStore(out_dir, design.as_dict()):
        pass  # refuse a directory holding another design before generating or removing anything
    (out_dir / MARKER).unlink(missing_ok=True)  # not a finished ensemble until it is rewritten
    directory = out_dir / "territories"
    generated = generate_all(design, directory)
    engine = make_engine(workers, scheduler)
    try:
        status = run_experiment(ensemble_specs(design, directory), out_dir, design.as_dict(), engine, progress,
                                label="ensemble")
    finally:
        engine.close()
    if status.complete:
        write_outputs(design, generated, out_dir)
        if not write_territories:
            shutil.rmtree(directory)
    return status


def write_outputs(design: EnsembleDesign, generated: list[GeneratedTerritory], out_dir: Path) -> None:
    """``municipalities.csv``, ``territories.csv``, then ``ensemble.json``."""
    municipal, territorial = [], []
    with ResultStore(out_dir) as store:
        for description, payload in store.results():
            labels = description["labels"]
            i, k = int(labels["territory"]), int(labels["replicate"])
            result = read_result(payload)
            head = {"territory": territory_key(i), "replicate": k, "seed": description["seed"]}
            units = municipality_rows(generated[i], result, head)
            municipal.append(units)
            territorial.append(territory_row(generated[i], result, units, head, description["overrides"]))
    tables.write_csv(pd.concat(municipal, ignore_index=True), out_dir / "municipalities.csv")
    tables.write_csv(pd.DataFrame(territorial), out_dir / "territories.csv")
    tables.write_json({"complete": True, "kind": "ensemble", "version": __version__, "design": design.as_dict(),
                       "outputs": ["municipalities.csv", "territories.csv", MARKER]}, out_dir / MARKER)


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
