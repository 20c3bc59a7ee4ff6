"""Scalar outcomes of one run, the ``Y`` that sensitivity analysis explains.

Names and formulas come from the outcome registry (``territory_abm.outcomes``): any
yearly outcome (its value in the final year), any period statistic of the territory over
the whole run (first to last year of the territory table), a share of municipalities
whose typology flag holds, and the programme cost summed over the run.
"""

from __future__ import annotations

import pandas as pd

from ..outcomes import FLAGS, STATISTICS, outcome, period_frames, period_statistics
from ..outcomes.types import flag_share
from ..outcomes.yearly import labels
from ..typology import TYPE_STATISTICS

SHARES = {"win_win_win_share": "win_win_win", "sustainable_share": "sustainable_win_win_win"}
"""Outcome name -> typology flag whose share of (classified) municipalities and cities it is."""

TOTALS = {"total_policy_cost": "policy_cost"}
"""Outcome name -> yearly flow summed over the run (USD)."""

NOT_DATED = frozenset(STATISTICS) | frozenset(SHARES) | frozenset(TOTALS)
"""Outcomes over the whole run, whatever a design's ``year``."""


def known_outcomes() -> dict[str, str]:
    """Every outcome a design may name, with its meaning."""
    out = {name: f"final year: {meaning}" for name, meaning in labels().items()}
    out.update({name: f"territory, whole run: {s.label} ({s.unit})" for name, s in STATISTICS.items()})
    out.update({name: f"share of municipalities and cities where {FLAGS[flag].label}" for name, flag in SHARES.items()})
    out.update({name: f"{outcome(column).label} summed over the run (USD)" for name, column in TOTALS.items()})
    return out


def outcome_unit(name: str) -> str:
    """Unit of a design's outcome (``1`` for shares of municipalities; "outcome units" for a
    name outside the registry, e.g. a test function's)."""
    if name in STATISTICS:
        return STATISTICS[name].unit
    if name in SHARES:
        return "1"
    if name in TOTALS:
        return "USD"
    try:
        return outcome(name).unit
    except KeyError:
        return "outcome units"


def whole_territory_factor(name: str, scale: float) -> float:
    """Factor from a design's outcome as simulated at ``households_scale`` ``scale`` to the
    whole territory's: 1 / scale for a total over households (persons, households, USD totals,
    the programme's cost; the model draws ``scale`` households per real one and scales budgets
    with them), 1 for means, shares, indices and period statistics."""
    if name in TOTALS:
        return 1.0 / scale
    if name in STATISTICS or name in SHARES:
        return 1.0
    try:
        spec = outcome(name)
    except KeyError:  # a test function's outcome
        return 1.0
    return spec.whole_territory_factor(scale)


def run_outcomes(names: list[str], territory: pd.DataFrame, typology: pd.DataFrame,
                 year: int | None = None) -> dict[str, float]:
    """Value of each named outcome for one run: a yearly outcome in ``year`` (default the
    last), period statistics, typology shares and totals over the whole run."""
    out = {}
    territory = territory.sort_values("year")
    at = territory.iloc[-1] if year is None else territory[territory["year"] == year].iloc[0]
    stats = period_statistics(*period_frames(territory, key=None)) if set(names) & set(STATISTICS) else {}
    for name in names:
        if name in STATISTICS:
            out[name] = float(stats[name][0])
        elif name in SHARES:
            by_node = {s: typology[s].to_numpy(float) for s in TYPE_STATISTICS}
            out[name] = float(flag_share(by_node, SHARES[name]))
        elif name in TOTALS:
            out[name] = float(territory[TOTALS[name]].sum())
        else:
            out[name] = float(at[name])
    return out

