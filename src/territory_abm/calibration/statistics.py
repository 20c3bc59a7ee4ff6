"""Statistics a calibration matches: changes per municipality over the observed period and
territory moments across municipalities. The same functions serve observed and simulated
data, so both sides are computed alike.

Per municipality (names usable alone in a calibration file, meaning the vector over
municipalities): see ``MUNICIPAL``. Territory moments: ``mean:X`` and ``sd:X`` for a
municipal statistic X (mean and standard deviation across municipalities) and
``share:Y`` for Y in ``SHARES`` (share of municipalities, as in the territorial typology).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..typology import NATURE_TOLERANCE

MUNICIPAL: dict[str, str] = {
    "income_growth": "annual log growth of mean income per person (1/yr)",
    "poverty_change": "change in the poverty headcount over the period (share points)",
    "gini_change": "change in the Gini of income per person over the period",
    "forest_change": "relative change in forest cover over the period (1)",
    "population_growth": "annual log growth of population (1/yr)",
    "net_migration_rate": "net migrants per start resident and year (1/yr)",
}
SHARES: dict[str, str] = {
    "grew": "share of municipalities whose mean income per person grew",
    "poverty_fell": "share of municipalities whose poverty headcount fell",
    "inequality_fell": "share of municipalities whose income Gini fell",
    "forest_kept": f"share of municipalities that lost at most {NATURE_TOLERANCE:.0%} of their forest cover",
    "win_win_win": "share of municipalities where income grew and poverty and inequality fell",
}


def known_statistics() -> dict[str, str]:
    """Every statistic name a calibration file may use, with its meaning."""
    out = {name: f"per municipality: {text}" for name, text in MUNICIPAL.items()}
    for name, text in MUNICIPAL.items():
        out[f"mean:{name}"] = f"mean across municipalities of the {text}"
        out[f"sd:{name}"] = f"standard deviation across municipalities of the {text}"
    out.update({f"share:{name}": text for name, text in SHARES.items()})
    return out


def municipal_values(start: pd.DataFrame, end: pd.DataFrame, net_migration: np.ndarray, years: int) -> np.ndarray:
    """(municipalities, len(MUNICIPAL)) array of the per-municipality statistics.

    ``start`` and ``end`` hold population, mean_income_pc, poverty_headcount, gini_income
    and forest_cover by municipality; ``net_migration`` the net migrants over the period.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        pop0, pop1 = start["population"].to_numpy(float), end["population"].to_numpy(float)
        y0, y1 = start["mean_income_pc"].to_numpy(float), end["mean_income_pc"].to_numpy(float)
        f0, f1 = start["forest_cover"].to_numpy(float), end["forest_cover"].to_numpy(float)
        columns = {
            "income_growth": np.log(y1 / y0) / years,
            "poverty_change": end["poverty_headcount"].to_numpy(float) - start["poverty_headcount"].to_numpy(float),
            "gini_change": end["gini_income"].to_numpy(float) - start["gini_income"].to_numpy(float),
            "forest_change": np.where(f0 > 0, f1 / f0 - 1.0, np.where(f1 > 0, np.inf, 0.0)),
            "population_growth": np.log(pop1 / pop0) / years,
            "net_migration_rate": np.asarray(net_migration, float) / pop0 / years,
        }
    values = np.column_stack([columns[name] for name in MUNICIPAL])
    values[~np.isfinite(values)] = np.nan
    return values


def simulated_municipal_values(nodes: pd.DataFrame, municipalities: list[str], start_year: int, end_year: int) -> np.ndarray:
    """Per-municipality statistics of one run's node table (as ``municipal_values``)."""
    by_year = nodes.set_index(["year", "node_id"])
    start = by_year.loc[start_year].reindex(municipalities)
    end = by_year.loc[end_year].reindex(municipalities)
    period = nodes[(nodes["year"] > start_year) & (nodes["year"] <= end_year)]
    net = period.groupby("node_id")["net_migration"].sum().reindex(municipalities).to_numpy(float)
    return municipal_values(start, end, net, end_year - start_year)


@dataclass(frozen=True)
class Layout:
    """Where each selected statistic sits in a statistics vector.

    names : selected statistic names, in file order
    entries : (name, municipality or "") per vector entry
    """

    names: tuple[str, ...]
    municipalities: tuple[str, ...]

    @property
    def entries(self) -> list[tuple[str, str]]:
        out = []
        for name in self.names:
            if name in MUNICIPAL:
                out.extend((name, m) for m in self.municipalities)
            else:
                out.append((name, ""))
        return out

    def statistic_of_entry(self) -> np.ndarray:
        """Index into ``names`` of each entry."""
        return np.array([self.names.index(name) for name, _ in self.entries], dtype=int)

    def vector(self, values: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Statistics vector(s) from municipal values ``(..., municipalities, len(MUNICIPAL))``.

        ``rows`` (indices into municipalities, with repeats) resamples municipalities for the
        moments (bootstrap); per-municipality entries always keep every municipality.
        """
        cols = list(MUNICIPAL)
        chosen = values if rows is None else values[..., rows, :]
        parts = []
        for name in self.names:
            if name in MUNICIPAL:
                parts.append(values[..., cols.index(name)])
                continue
            kind, what = name.split(":", 1)
            if kind in ("mean", "sd"):
                x = chosen[..., cols.index(what)]
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN, handled
                    parts.append((np.nanmean(x, axis=-1) if kind == "mean" else np.nanstd(x, axis=-1))[..., None])
            else:
                parts.append(_share(chosen, cols, what)[..., None])
        return np.concatenate(parts, axis=-1)


def _share(values: np.ndarray, cols: list[str], what: str) -> np.ndarray:
    growth = values[..., cols.index("income_growth")]
    poverty = values[..., cols.index("poverty_change")]
    gini = values[..., cols.index("gini_change")]
    forest = values[..., cols.index("forest_change")]
    flags = {"grew": (growth > 0, growth), "poverty_fell": (poverty < 0, poverty),
             "inequality_fell": (gini < 0, gini), "forest_kept": (forest >= -NATURE_TOLERANCE, forest),
             "win_win_win": ((growth > 0) & (poverty < 0) & (gini < 0), growth + poverty + gini)}
    flag, basis = flags[what]
    valid = np.isfinite(basis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(valid.sum(axis=-1) > 0, (flag & valid).sum(axis=-1) / valid.sum(axis=-1), np.nan)


MISSING_PENALTY = 100.0
"""Squared scaled deviation charged for a statistic the simulation could not produce
(e.g. a municipality left empty), so such parameter values are strongly disfavoured."""


def distance(simulated: np.ndarray, observed: np.ndarray, scale: np.ndarray, entry_weight: np.ndarray,
             noise: np.ndarray | float = 0.0) -> np.ndarray:
    """Weighted sum of squared scaled deviations over entries (last axis).

    ``entry_weight`` is zero where the observation is missing; NaN simulations cost
    ``MISSING_PENALTY`` each. ``noise`` (same shape as ``simulated`` or a scalar) is the
    estimated simulation variance of ``simulated``, subtracted from each squared deviation."""
    dev = ((simulated - observed) ** 2 - noise) / scale ** 2
    dev = np.where(np.isnan(dev), MISSING_PENALTY, dev)
    return (dev * entry_weight).sum(axis=-1)
