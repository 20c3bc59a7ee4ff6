"""Reading an experiment's stored results as pandas tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .runs import read_result
from .store import ResultStore

LEVELS = ("nodes", "territory", "typology")


def load_results(directory: str | Path, level: str | None = None) -> pd.DataFrame:
    """All finished runs of the experiment in ``directory`` (from ``compare`` or
    ``sensitivity``) as one tidy DataFrame.

    level : ``"nodes"`` (one row per run, year and node), ``"territory"`` (per run and
        year) or ``"typology"`` (per run and municipality). Default: nodes where the runs
        kept them (compare), else territory (sensitivity). Each row carries ``run_id``,
        ``scenario``, ``seed``, any run labels (e.g. ``point``, ``role``) and the parameter
        overrides as ``param:NAME`` columns.
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    frames = []
    with ResultStore(Path(directory)) as store:
        for description, payload in store.results():
            tables = read_result(payload)
            if level is None:
                level = "nodes" if "nodes" in tables else "territory"
            if level not in tables:
                raise ValueError(f"{directory}: the runs of this experiment did not keep the {level} table")
            frames.append(_with_run_columns(tables[level], description))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def _with_run_columns(df: pd.DataFrame, description: dict) -> pd.DataFrame:
    front = {"run_id": description["run_id"], "scenario": description["scenario"], "seed": description["seed"]}
    front.update(description.get("labels", {}))
    front.update({f"param:{k}": v for k, v in description.get("overrides", {}).items()})
    head = pd.DataFrame({k: [v] * len(df) for k, v in front.items()}, index=df.index)
    return pd.concat([head, df], axis=1)
