"""Run outputs as tidy tables and files.

Files are written under temporary names and renamed into place, and ``run.json`` is
written last with ``"complete": true``: a directory without it holds no finished run.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..data.territory import START_POVERTY_TOLERANCE
from ..model.municipality import Municipality

FLOAT_FORMAT = "%.10g"


def territory_table(model) -> pd.DataFrame:
    """One row per year of territory outcomes."""
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    return df


def node_table(model) -> pd.DataFrame:
    """One row per node and year of node outcomes."""
    df = model.datacollector.get_agenttype_vars_dataframe(Municipality).reset_index()
    df = df.drop(columns=[c for c in ("AgentID",) if c in df.columns]).rename(columns={"Step": "step"})
    return df.sort_values(["year", "node_id"], kind="stable").reset_index(drop=True)


def commuting_table(model) -> pd.DataFrame:
    """Commuters by year, home node and job node (persons; only pairs with commuters)."""
    ids = np.asarray(model.territory.ids)
    frames = [pd.DataFrame({"year": year, "home": ids[origin], "job": ids[dest], "workers": workers})
              for year, origin, dest, workers in model.commuting_records]
    columns = ["year", "home", "job", "workers"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def household_table(model) -> pd.DataFrame:
    """Per-household records (only when the scenario asks for them)."""
    if not model.household_records:
        return pd.DataFrame()
    return pd.concat([pd.DataFrame(r) for r in model.household_records], ignore_index=True)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a CSV atomically with a fixed float format (byte-identical for equal data)."""
    tmp = path.with_name(path.name + ".tmp")
    df.to_csv(tmp, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    os.replace(tmp, path)


def write_json(data: dict, path: Path) -> None:
    """Write ``data`` as strict JSON, atomically: NaN and infinities (undefined values, such
    as a seed-noise share with one seed) become ``null``, numpy scalars plain numbers."""
    tmp = path.with_name(path.name + ".tmp")
    text = json.dumps(json_ready(data), indent=2, sort_keys=True, allow_nan=False)
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)


def json_ready(value):
    """``value`` with numpy scalars and arrays as plain Python, paths as strings and every
    non-finite float as ``None`` (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_ready(v) for v in value.tolist()]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, (str, int)):
        return value
    raise TypeError(f"{type(value).__name__} is not JSON data")


def filled_summary(directory) -> dict | None:
    """What the territory's ``filled.csv`` says was derived or assumed rather than observed
    (None: the territory has no such file, every value is as written)."""
    from ..data.importer import filled_summary as summary

    return summary(directory)


@functools.cache
def source_commit() -> str | None:
    """The git commit the package runs from (``+`` after it when tracked files have changes),
    or None when it is not run from a git checkout (an installed wheel), git is missing or the
    checkout has no commit yet. One ``git status`` gives both: its ``# branch.oid`` header
    and a line per changed tracked file."""
    root = Path(__file__).resolve().parents[3]
    if not (root / ".git").exists():
        return None
    try:
        lines = subprocess.run(["git", "-C", str(root), "status", "--porcelain=v2", "--branch", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return None
    commit = next((line.split()[-1] for line in lines if line.startswith("# branch.oid ")), "(initial)")
    if commit == "(initial)":
        return None
    return commit + ("+" if any(not line.startswith("#") for line in lines) else "")


def provenance() -> dict:
    """What software produced an output: the package's version and source commit (see
    :func:`source_commit`), Mesa's, numpy's and Python's versions (every ``*.json`` marker)."""
    import mesa

    return {"package": "territory-abm", "version": __version__, "commit": source_commit(),
            "mesa_version": mesa.__version__, "numpy_version": np.__version__, "python": platform.python_version()}


def run_metadata(model, wall_time: float, outputs: list[str], command_line: dict | None = None) -> dict:
    """What produced a run: package version and commit, resolved scenario, seed, parameters,
    timing, and the ``command_line`` options that overrode the scenario file as given (by
    option name, such as ``{"--steps": 5, "--set": {"migration_stay_preference": 7.0}}``;
    empty when none was given), so that a ``--set`` is told from the file's own value."""
    return {
        "complete": True, **provenance(), "command_line": command_line or {},
        "scenario": model.scenario.as_dict(), "seed": model.seed,
        "parameters": model.params.as_dict(),
        "households_initial": int(model.datacollector.get_model_vars_dataframe()["households"].iloc[0]),
        "steps_run": int(model.steps), "wall_time_s": round(wall_time, 3), "outputs": outputs,
        "start_wage_jobs": start_wage_jobs(model),
        "start_poverty": start_poverty(model),
        "start_income_mix": start_income_mix(model),
        "territory_not_observed": filled_summary(model.territory.source),
    }


def start_poverty(model) -> dict[str, dict[str, float]]:
    """Poverty headcount per populated node with a table ``poverty_rate``: "table", "start" (the
    model's, in its first recorded year) and "tolerance", ``START_POVERTY_TOLERANCE`` plus two
    standard errors of the table's share over the node's simulated households
    (2 sqrt(p (1 - p) / households))."""
    nodes = node_table(model)
    first = nodes[nodes["year"] == nodes["year"].min()].set_index("node_id")
    table = np.asarray(model.territory.table["poverty_rate"], float)
    out = {}
    for i, nid in enumerate(model.territory.ids):
        if model.populated[i] and np.isfinite(table[i]) and nid in first.index:
            p, households = table[i], max(float(first.loc[nid, "households"]), 1.0)
            out[nid] = {"table": float(p), "start": round(float(first.loc[nid, "poverty_headcount"]), 4),
                        "tolerance": round(START_POVERTY_TOLERANCE + 2.0 * float(np.sqrt(p * (1 - p) / households)), 4)}
    return out


def start_income_mix(model) -> dict[str, dict[str, float]]:
    """Non-farm share of income per populated node with a table ``nonfarm_income_share``:
    "table", "start" (the model's at its start as the column counts it, wages and enterprises
    over income) and "start_beside_farm" (all income but the farms' and the estates', public
    income, dividends and remittances included: for tables that count transfers and remittances
    as non-farm), ``start.income_shares``."""
    table = np.asarray(model.territory.table["nonfarm_income_share"], float)
    share, beside = model.start_income_shares
    return {nid: {"table": float(table[i]), "start": round(float(share[i]), 4),
                  "start_beside_farm": round(float(beside[i]), 4)}
            for i, nid in enumerate(model.territory.ids)
            if model.populated[i] and np.isfinite(table[i]) and np.isfinite(share[i])}


def start_wage_jobs(model) -> dict[str, dict[str, float]]:
    """Wage jobs per populated node at the start: "table", the tables' ``wage_share`` of the
    starting adults; "drawn", those the population draw placed from the data (fewer where a
    household had no more adults to place them on); and "kept", those the model's job rule keeps
    (``start.consistent_start_jobs``, which also hands out the tables' jobs the draw could not
    place, so "kept" can exceed "drawn", as in the cities, up to "table") or, where jobs turn
    over, those drawn at turnover's rest (``start.jobs_at_turnover_rest``). A user's trial
    (session 25) read "kept" above "drawn" as jobs beyond the table's."""
    jobs = model.start_wage_jobs
    return {model.territory.ids[i]: {"table": float(jobs["table"][i]), "drawn": round(float(jobs["drawn"][i]), 1),
                                     "kept": float(jobs["kept"][i])}
            for i in np.flatnonzero(model.populated)}
