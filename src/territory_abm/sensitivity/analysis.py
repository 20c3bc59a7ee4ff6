"""From a design to SALib's sample, and from model outputs to SALib's indices (pure functions)."""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pandas as pd

from ..params import REGISTRY
from .methods import Method, Settings
from .outcomes import outcome_unit, whole_territory_factor


def sample_points(method: Method, problem: dict, samples: int, options: dict, settings: Settings) -> np.ndarray:
    """SALib's sample: one row per point, one column per parameter."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib's advice on sizes; the design checks them itself
        x = method.sample(problem, samples, options, settings)
    expected = method.points(samples, problem["num_vars"], options)
    if x.shape != (expected, problem["num_vars"]):  # pragma: no cover - a SALib change
        raise RuntimeError(f"SALib returned {x.shape[0]} points, expected {expected}")
    return x


def sample_hash(x: np.ndarray) -> str:
    """Hash of a sample: a resumed experiment must run the very same points."""
    return hashlib.sha256(np.ascontiguousarray(x, dtype="<f8").tobytes()).hexdigest()


def point_values(names: list[str], row: np.ndarray) -> dict[str, float]:
    """Parameter values of one point as the model uses them (whole numbers rounded)."""
    return {name: float(round(v)) if REGISTRY[name].integer else float(v) for name, v in zip(names, row)}


def noise_share(per_run: pd.DataFrame, outcomes: list[str]) -> dict[str, float]:
    """Share of the variance of each outcome across runs that is between seeds of the same
    point (NaN with one seed). Near 1, the indices mostly measure luck: add seeds."""
    out = {}
    for name in outcomes:
        total = per_run[name].var(ddof=0)
        within = per_run.groupby("point")[name].var(ddof=0).mean()
        out[name] = float(within / total) if per_run["seed"].nunique() > 1 and total > 0 else float("nan")
    return out


def analyse(method: Method, problem: dict, x: np.ndarray, y: pd.DataFrame, options: dict,
            settings: Settings) -> tuple[pd.DataFrame, dict[str, str], dict[str, list[str]]]:
    """Indices of every outcome column of ``y`` (rows aligned with ``x``).

    Returns the tidy index table (outcome, index, parameter, parameter_2, value, conf,
    low, high, unit), outcomes that could not be analysed with the reason, and SALib's warnings
    per outcome.
    """
    frames, skipped, messages = [], {}, {}
    for outcome in y.columns:
        values = y[outcome].to_numpy(float)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            skipped[outcome] = f"not a finite number at {bad.size} of {values.size} points (first: point {bad[0]})"
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rows = method.analyze(problem, x, values, options, settings)
        messages[outcome] = sorted({str(w.message).strip() for w in caught})
        frame = pd.DataFrame(rows)
        frame.insert(0, "outcome", outcome)
        frames.append(frame)
    columns = ["outcome", "parameter", "parameter_2", "index", "value", "conf"]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    table.insert(1, "method", method.name)
    table["low"] = table["value"] - table["conf"]
    table["high"] = table["value"] + table["conf"]
    table.loc[table["index"].isin(NON_NEGATIVE), "low"] = table["low"].clip(lower=0.0)  # means of absolute values
    table["unit"] = [index_unit(index, outcome) for index, outcome in zip(table["index"], table["outcome"])]
    return table, skipped, {k: v for k, v in messages.items() if v}


WIDEST_SHARE_INTERVAL = 1.0
"""Half-width of a Sobol index's interval (``conf``) beyond which the interval covers the whole
range of a share of variance, 0 to 1, wherever the estimate lies: such an index cannot be read
(too few samples for the outcome's noise; a Sobol design of N = 4 gave a Gini S1 of +-9,577)."""
SOBOL_SHARES = ("S1", "ST", "S2")
"""Sobol indices: shares of variance, 0 to 1 (dgsm, an upper bound of ST, may exceed 1)."""


def unreadable_indices(table: pd.DataFrame) -> dict[str, list[str]]:
    """Outcome -> the Sobol indices (``index parameter``, or ``index a|b``) of ``table`` whose
    interval's half-width exceeds :data:`WIDEST_SHARE_INTERVAL`."""
    wide = table[table["index"].isin(SOBOL_SHARES) & (table["conf"] > WIDEST_SHARE_INTERVAL)]
    out: dict[str, list[str]] = {}
    for row in wide.itertuples(index=False):
        second = row.parameter_2 if isinstance(row.parameter_2, str) else ""
        out.setdefault(row.outcome, []).append(f"{row.index} {row.parameter}" + (f"|{second}" if second else ""))
    return out


NON_NEGATIVE = ("mu_star", "sigma")
"""Indices that are means or spreads of absolute values: their interval stops at 0."""
VARIANCE_SHARES = ("S1", "ST", "S2", "dgsm")
"""Indices that are shares of the outcome's variance (dgsm: an upper bound of ST)."""


IN_OUTCOME_UNITS = {"mu": 1, "mu_star": 1, "sigma": 1, "vi": 2, "vi_std": 2}
"""Indices measured in the outcome's unit, to this power (Morris's effects per parameter range,
DGSM's ``vi`` per parameter unit squared); the rest are shares of variance or distances, the
same at any scale."""


def index_unit(index: str, outcome: str) -> str:
    """What an index's value is measured in: Morris effects in the outcome's unit per the
    parameter's whole range (SALib divides each step's change by the step as a share of the
    range), variance-based indices as shares of the outcome's variance, PAWN's as
    Kolmogorov-Smirnov distances (:data:`IN_OUTCOME_UNITS`: which are in the outcome's unit)."""
    power = IN_OUTCOME_UNITS.get(index)
    if power == 1:
        return f"{outcome_unit(outcome)} per parameter range"
    if power == 2:
        return f"({outcome_unit(outcome)} per parameter unit)^2"
    if index in VARIANCE_SHARES:
        return "share of variance"
    if index in ("minimum", "mean", "median", "maximum"):
        return "KS distance (0-1)"
    return "1"


def to_whole_territory(table: pd.DataFrame, scale: float) -> pd.DataFrame:
    """The index table with the indices in an outcome's unit (Morris's effects, DGSM's ``vi``)
    of totals over households (persons, USD totals: :func:`~.outcomes.whole_territory_factor`)
    for the whole territory rather than the ``scale`` simulated (a Morris mu* of 'persons
    without a livelihood' at scale 0.25 read as a quarter of the territory's), their unit saying
    so; a copy, unchanged at scale 1."""
    table = table.copy()
    if scale == 1 or table.empty:
        return table
    factor = table["outcome"].map(lambda name: whole_territory_factor(name, scale))
    power = table["index"].map(IN_OUTCOME_UNITS).fillna(0)
    scaled = (factor != 1) & (power > 0)
    multiplier = factor[scaled] ** power[scaled]
    for column in ("value", "conf", "low", "high"):
        table.loc[scaled, column] = table.loc[scaled, column] * multiplier
    table.loc[scaled, "unit"] = [f"{unit}, whole territory (x {m:g})" for unit, m in
                                 zip(table.loc[scaled, "unit"], multiplier)]  # DGSM's vi: x (1 / scale)^2
    return table


def indices_json(table: pd.DataFrame) -> dict:
    """Nested form of the index table: outcome -> index -> parameter (or "a|b") -> value, conf."""
    out: dict = {}
    for row in table.to_dict("records"):
        key = f"{row['parameter']}|{row['parameter_2']}" if row["parameter_2"] else row["parameter"]
        value, conf = (None if np.isnan(row[k]) else float(row[k]) for k in ("value", "conf"))
        out.setdefault(row["outcome"], {}).setdefault(row["index"], {})[key] = {"value": value, "conf": conf}
    return out
