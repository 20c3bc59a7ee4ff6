"""Territorial typology over a period, as in the rural territorial dynamics research.

For each municipality: did per-capita income grow, poverty fall, inequality fall, and
natural capital stay (no more than ``NATURE_TOLERANCE`` relative loss)? All three social
outcomes positive is "win-win-win"; with the environment kept, "sustainable win-win-win".
"""

from __future__ import annotations

import pandas as pd

NATURE_TOLERANCE = 0.01
"""Relative loss of natural capital still counted as kept (1 %)."""

TYPES = ("sustainable win-win-win", "win-win-win", "two of three", "one of three", "none")


def classify(grew: bool, poverty_fell: bool, inequality_fell: bool, nature_kept: bool) -> str:
    """Type of one municipality from the four yes/no outcomes."""
    social = int(grew) + int(poverty_fell) + int(inequality_fell)
    if social == 3:
        return "sustainable win-win-win" if nature_kept else "win-win-win"
    return {2: "two of three", 1: "one of three", 0: "none"}[social]


def typology(nodes: pd.DataFrame, start_year: int | None = None, end_year: int | None = None) -> pd.DataFrame:
    """One row per municipality with the changes over the period and its type.

    Parameters
    ----------
    nodes : DataFrame
        Node outcomes with columns year, node_id, name, kind, population,
        mean_income_pc, poverty_headcount, gini_income, natural_capital.
    start_year, end_year : int, optional
        Period (default: first and last year in ``nodes``).
    """
    start_year = int(nodes["year"].min()) if start_year is None else start_year
    end_year = int(nodes["year"].max()) if end_year is None else end_year
    a = nodes[nodes["year"] == start_year].set_index("node_id")
    b = nodes[nodes["year"] == end_year].set_index("node_id").reindex(a.index)
    out = pd.DataFrame({"node_id": a.index, "name": a["name"].values, "kind": a["kind"].values,
                        "population_start": a["population"].values, "population_end": b["population"].values})
    out["income_growth"] = (b["mean_income_pc"] / a["mean_income_pc"] - 1.0).values
    out["poverty_change"] = (b["poverty_headcount"] - a["poverty_headcount"]).values
    out["gini_change"] = (b["gini_income"] - a["gini_income"]).values
    out["natural_capital_change"] = (b["natural_capital"] / a["natural_capital"] - 1.0).values
    out["grew"] = out["income_growth"] > 0
    out["poverty_fell"] = out["poverty_change"] < 0
    out["inequality_fell"] = out["gini_change"] < 0
    out["nature_kept"] = ~(out["natural_capital_change"] < -NATURE_TOLERANCE)
    flags = (out[c].to_numpy() for c in ("grew", "poverty_fell", "inequality_fell", "nature_kept"))
    out["type"] = [classify(*r) for r in zip(*flags)]
    return out


def type_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Share of municipalities and of (end-of-period) population in each type."""
    pop = table["population_end"].fillna(0)
    rows = []
    for t in TYPES:
        mask = table["type"] == t
        rows.append({"type": t, "municipalities": int(mask.sum()),
                     "share_of_municipalities": float(mask.mean()) if len(table) else 0.0,
                     "share_of_population": float(pop[mask].sum() / pop.sum()) if pop.sum() > 0 else 0.0})
    return pd.DataFrame(rows)
