"""Territorial typology over a period, as in the rural territorial dynamics research.

The rule (tolerances, dimensions, flags, types, colours, groups) is the registry's
(``territory_abm.outcomes.types``); this module turns a municipality table into the
typology table and its shares over rural municipalities, over intermediate cities and
over both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .outcomes.period import REGISTRY as PERIOD_STATISTICS
from .outcomes.period import period_frames, period_statistics
from .outcomes.types import (
    CHANGES,
    DIMENSIONS,
    GROUP_KINDS,
    GROUPS,
    NATURE_TOLERANCE,
    TYPE_COLOURS,
    TYPE_FLAGS,
    TYPES,
    UNCLASSIFIED,
    Tolerances,
    changes_of,
    classify,
    flag_values,
    types_of,
)

__all__ = ["NATURE_TOLERANCE", "SHARE_MEASURES", "TYPES", "TYPE_COLOURS", "TYPE_STATISTICS", "UNCLASSIFIED",
           "Tolerances", "classify", "type_shares", "typology"]

TYPE_STATISTICS = ("income_growth_total", "poverty_change", "gini_change", "forest_change")
"""Period statistics shown in the typology table (registry names)."""

TYPOLOGY_COLUMNS = ("year", "node_id", "name", "kind",
                    *sorted({c for s in PERIOD_STATISTICS.values() for c in s.needs} - {"year", "node_id", "name", "kind"}))
"""The columns of a municipality table that :func:`typology` reads (the period statistics'
and the nodes' names and kinds): it leaves the others out before selecting the period's rows
(a run's node table has some fifty columns)."""

SHARE_MEASURES: dict[str, tuple[str, ...]] = {"type": TYPES, **{d: CHANGES for d in DIMENSIONS}}
"""What type shares count: the type, and each dimension's improved / no change / worsened."""


def typology(nodes: pd.DataFrame, start_year: int | None = None, end_year: int | None = None,
             tolerances: Tolerances | None = None) -> pd.DataFrame:
    """One row per node with the changes over the period, their verdicts, the flags and the type.

    Parameters
    ----------
    nodes : DataFrame
        Node outcomes with columns year, node_id, name, kind, population,
        mean_income_pc, poverty_headcount, gini_income, forest_cover (net_migration
        optional).
    start_year, end_year : int, optional
        Period (default: first and last year in ``nodes``).
    tolerances : Tolerances, optional
        Smallest changes that count (default: the registry's defaults).

    Returns
    -------
    DataFrame
        node_id, name, kind, start_year, end_year, population_start, population_end
        (persons), the ``TYPE_STATISTICS`` (unit 1), one column per dimension (income,
        poverty, inequality, forest) holding ``"improved"``, ``"no change"`` (within the
        tolerance) or ``"worsened"``, the ``TYPE_FLAGS`` and ``type`` (``UNCLASSIFIED``, an
        empty string, for nodes without people such as external markets).
    """
    nodes = nodes[[c for c in nodes.columns if c in TYPOLOGY_COLUMNS]]  # what is read, in the table's order
    if "net_migration" not in nodes:
        nodes = nodes.assign(net_migration=np.nan)
    a, b, net, years = period_frames(nodes, start_year, end_year)
    stats = period_statistics(a, b, net, years)
    first = int(nodes["year"].min()) if start_year is None else int(start_year)
    columns = {"node_id": a.index, "name": a["name"].values, "kind": a["kind"].values,
               "start_year": first, "end_year": first + years,
               "population_start": a["population"].values, "population_end": b["population"].values}
    for name in TYPE_STATISTICS:
        columns[name] = stats[name]
    for name in DIMENSIONS:
        columns[name] = changes_of(stats, name, tolerances)
    for name in TYPE_FLAGS:
        columns[name] = flag_values(stats, name, tolerances)[0]
    columns["type"] = types_of(stats, tolerances)
    return pd.DataFrame(columns)  # at once: the same columns as adding them one by one, a third of the time


def type_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Shares of a typology table's classified units in each type and in each verdict of
    each dimension, over rural municipalities, over intermediate cities and over both.

    Parameters
    ----------
    table : DataFrame
        A typology table (``typology``): kind, population_end, type and the dimension
        columns.

    Returns
    -------
    DataFrame
        One row per group (``GROUPS``), measure (``"type"`` or a dimension) and category
        (a type, or improved / no change / worsened): ``units`` (count),
        ``share_of_units`` and ``share_of_population`` (weighted by end-of-period
        population) over the classified units of the group (NaN for a group without
        any).
    """
    table = table[table["type"] != UNCLASSIFIED]
    rows = []
    for group, kinds in GROUP_KINDS.items():
        part = table[table["kind"].isin(kinds)]
        pop = part["population_end"].fillna(0.0).to_numpy(float)
        n, total = len(part), pop.sum()
        for measure, categories in SHARE_MEASURES.items():
            values = part[measure].to_numpy(object)
            for category in categories:
                mask = values == category
                rows.append({"group": group, "measure": measure, "category": category, "units": int(mask.sum()),
                             "share_of_units": float(mask.sum() / n) if n else np.nan,
                             "share_of_population": float(pop[mask].sum() / total) if total > 0 else np.nan})
    return pd.DataFrame(rows)


def group_label(group: str) -> str:
    """Label of a share group (``GROUPS``)."""
    return GROUPS[group]
