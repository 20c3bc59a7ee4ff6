"""Territorial typology over a period, as in the rural territorial dynamics research.

The rule (flags, types, colours) is the registry's (``territory_abm.outcomes.types``);
this module turns a municipality table into the typology table and its type shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .outcomes.period import period_frames, period_statistics
from .outcomes.types import (
    NATURE_TOLERANCE,
    TYPE_COLOURS,
    TYPE_FLAGS,
    TYPES,
    UNCLASSIFIED,
    classify,
    flag_values,
    types_of,
)

__all__ = ["NATURE_TOLERANCE", "TYPES", "TYPE_COLOURS", "TYPE_STATISTICS", "UNCLASSIFIED", "classify", "type_shares",
           "typology"]

TYPE_STATISTICS = ("income_growth_total", "poverty_change", "gini_change", "forest_change")
"""Period statistics shown in the typology table (registry names)."""


def typology(nodes: pd.DataFrame, start_year: int | None = None, end_year: int | None = None) -> pd.DataFrame:
    """One row per node with the changes over the period, the flags and the type.

    Parameters
    ----------
    nodes : DataFrame
        Node outcomes with columns year, node_id, name, kind, population,
        mean_income_pc, poverty_headcount, gini_income, forest_cover (net_migration
        optional).
    start_year, end_year : int, optional
        Period (default: first and last year in ``nodes``).

    Returns
    -------
    DataFrame
        node_id, name, kind, population_start, population_end (persons), the
        ``TYPE_STATISTICS``, the ``TYPE_FLAGS`` and ``type`` (``UNCLASSIFIED``, an empty
        string, for nodes without people such as external markets).
    """
    if "net_migration" not in nodes:
        nodes = nodes.assign(net_migration=np.nan)
    a, b, net, years = period_frames(nodes, start_year, end_year)
    stats = period_statistics(a, b, net, years)
    out = pd.DataFrame({"node_id": a.index, "name": a["name"].values, "kind": a["kind"].values,
                        "population_start": a["population"].values, "population_end": b["population"].values})
    for name in TYPE_STATISTICS:
        out[name] = stats[name]
    for name in TYPE_FLAGS:
        out[name] = flag_values(stats, name)[0]
    out["type"] = types_of(stats)
    return out


def type_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Share of classified municipalities and of their end-of-period population in each type."""
    table = table[table["type"] != UNCLASSIFIED]
    pop = table["population_end"].fillna(0)
    rows = []
    for t in TYPES:
        mask = table["type"] == t
        rows.append({"type": t, "municipalities": int(mask.sum()),
                     "share_of_municipalities": float(mask.mean()) if len(table) else 0.0,
                     "share_of_population": float(pop[mask].sum() / pop.sum()) if pop.sum() > 0 else 0.0})
    return pd.DataFrame(rows)
