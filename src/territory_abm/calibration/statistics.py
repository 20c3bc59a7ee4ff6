"""Statistics a calibration matches: changes per municipality over each period between
consecutive census dates and territory moments across municipalities (per period). The same
functions serve observed and simulated data, so both sides are computed alike.

Per municipality (names usable alone in a calibration file, meaning the vector over
municipalities): see ``MUNICIPAL``. Territory moments: ``mean:X`` and ``sd:X`` for a
municipal statistic X (mean and standard deviation across municipalities) and
``share:Y`` for Y in ``SHARES`` (share of municipalities, as in the territorial typology).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..outcomes import FLAGS, STATISTICS, flag_share, period_frames, period_statistics

MUNICIPAL: dict[str, str] = {name: f"{s.label} ({s.unit})" for name, s in STATISTICS.items()}
"""Per-municipality statistics (the registry's period statistics), in the order of value arrays."""
SHARES: dict[str, str] = {name: f"share of municipalities where {f.label}" for name, f in FLAGS.items()}
"""Typology flags whose share of municipalities is a territory moment (``share:<flag>``)."""


def known_statistics() -> dict[str, str]:
    """Every statistic name a calibration file may use, with its meaning."""
    out = {name: f"per municipality: {text}" for name, text in MUNICIPAL.items()}
    for name, text in MUNICIPAL.items():
        out[f"mean:{name}"] = f"mean across municipalities of the {text}"
        out[f"sd:{name}"] = f"standard deviation across municipalities of the {text}"
    out.update({f"share:{name}": text for name, text in SHARES.items()})
    return out


def needed_columns(name: str) -> tuple[str, ...]:
    """Observed columns a statistic (``X``, ``mean:X``, ``sd:X`` or ``share:Y``) is computed from."""
    base = name.split(":", 1)[-1]
    needs = STATISTICS[base].needs if base in STATISTICS else \
        tuple(dict.fromkeys(c for k in FLAGS[base].needs for c in STATISTICS[k].needs))
    return needs


def municipal_values(start: Mapping[str, np.ndarray], end: Mapping[str, np.ndarray], net_migration: np.ndarray, years: int) -> np.ndarray:
    """(municipalities, len(MUNICIPAL)) array of the per-municipality statistics.

    ``start`` and ``end`` hold population, mean_income_pc, poverty_headcount, gini_income
    and forest_cover by municipality; ``net_migration`` the net migrants over the period.
    """
    columns = period_statistics(start, end, net_migration, years)
    return np.column_stack([columns[name] for name in MUNICIPAL])


def period_values(frames: Mapping[int, Mapping[str, np.ndarray]], dates: Sequence[int]) -> np.ndarray:
    """(municipalities, periods x len(MUNICIPAL)) array: ``municipal_values`` over each period
    between consecutive ``dates``, side by side; ``frames`` holds each date's outcomes (a
    DataFrame or a mapping of column -> array), its ``net_migration`` the net migrants since
    the date before."""
    return np.concatenate([municipal_values(frames[a], frames[b], np.asarray(frames[b]["net_migration"], float), b - a)
                           for a, b in zip(dates[:-1], dates[1:])], axis=-1)


def simulated_municipal_values(nodes: pd.DataFrame, municipalities: list[str], dates: Sequence[int]) -> np.ndarray:
    """Per-municipality statistics of one run's node table over each period between
    consecutive census ``dates`` (as ``period_values``)."""
    return np.concatenate([municipal_values(*period_frames(nodes, a, b, order=municipalities))
                           for a, b in zip(dates[:-1], dates[1:])], axis=-1)


def _read_only(array: np.ndarray) -> np.ndarray:
    """``array``, no longer writeable (a cached array is shared by every reader)."""
    array.flags.writeable = False
    return array


class Entry(NamedTuple):
    """One entry of a statistics vector: a statistic, its municipality ("" for a territory
    moment) and its period ("start-end" years)."""

    statistic: str
    municipality: str
    period: str


@dataclass(frozen=True)
class Layout:
    """Where each selected statistic sits in a statistics vector.

    names : selected statistic names, in file order
    periods : labels of the periods between census dates ("2010-2020")
    entries : per vector entry, statistic by statistic, period by period
    """

    names: tuple[str, ...]
    municipalities: tuple[str, ...]
    periods: tuple[str, ...] = ("",)

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        out = []
        for name in self.names:
            for period in self.periods:
                if name in MUNICIPAL:
                    out.extend(Entry(name, m, period) for m in self.municipalities)
                else:
                    out.append(Entry(name, "", period))
        return tuple(out)

    @cached_property
    def moments(self) -> np.ndarray:
        """Per entry, whether it is a territory moment (one entry for all municipalities)
        rather than one municipality's statistic."""
        return np.array([e.municipality == "" for e in self.entries], dtype=bool)

    @cached_property
    def statistic_of_entry(self) -> np.ndarray:
        """Index into ``names`` of each entry (cached: read in the objective's every distance)."""
        return _read_only(np.array([self.names.index(e.statistic) for e in self.entries], dtype=int))

    @cached_property
    def group_of_entry(self) -> np.ndarray:
        """Index of each entry's (statistic, period) pair, statistic-major (cached)."""
        periods = {p: k for k, p in enumerate(self.periods)}
        return _read_only(np.array([self.names.index(e.statistic) * len(self.periods) + periods[e.period]
                                    for e in self.entries], dtype=int))

    def vector(self, values: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Statistics vector(s) from municipal values ``(..., municipalities, periods x
        len(MUNICIPAL))``.

        ``rows`` (indices into municipalities, with repeats) resamples municipalities for the
        moments (bootstrap); per-municipality entries always keep every municipality.
        """
        cols = list(MUNICIPAL)
        chosen = values if rows is None else values[..., rows, :]
        parts = []
        for name in self.names:
            for p in range(len(self.periods)):
                block = slice(p * len(cols), (p + 1) * len(cols))
                if name in MUNICIPAL:
                    parts.append(values[..., block][..., cols.index(name)])
                    continue
                kind, what = name.split(":", 1)
                if kind in ("mean", "sd"):
                    x = chosen[..., block][..., cols.index(what)]
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN, handled
                        parts.append((np.nanmean(x, axis=-1) if kind == "mean" else np.nanstd(x, axis=-1))[..., None])
                else:
                    parts.append(_share(chosen[..., block], cols, what)[..., None])
        return np.concatenate(parts, axis=-1)


def _share(values: np.ndarray, cols: list[str], what: str) -> np.ndarray:
    """Share of municipalities (second-last axis) where the typology flag ``what`` holds."""
    return flag_share({name: values[..., k] for k, name in enumerate(cols)}, what)


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
