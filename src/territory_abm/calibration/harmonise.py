"""Observations as statistics offices publish them, turned into the model's units and municipalities.

A calibration file's optional ``[observations_format]`` table says how the observations
were published::

    [observations_format]
    per_usd = 3500                       # mean_income_pc is in local currency per person per year
    deflator = {2018 = 1.1, 2023 = 1.32} # price level of each year relative to the model's dollars
    crosswalk = "crosswalk.csv"          # census units -> model municipalities

* **Nominal money.** ``mean_income_pc`` is divided by ``per_usd`` and by the year's
  ``deflator`` (every year with an income needs one when a deflator is given); its range
  is checked after the conversion.
* **An index.** A column ``mean_income_index`` (100 = the municipality's income at the
  scenario's start) is turned into ``mean_income_pc`` using the start value: the start
  year's observed row, else the territory's observed ``mean_income``.
* **A crosswalk** (columns ``unit``, ``municipality`` and optionally ``weight``, the share
  of the unit's people living in that municipality, default 1): rows of the observations
  name census units; each municipality's value is the sum over its units (population,
  net migration, weighted by ``weight``) or the population-weighted mean (income per
  person, poverty headcount, forest cover, and, as an approximation, the Gini); standard
  errors (``se_`` columns) aggregate like their values, in quadrature (independent units).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.tables import Problems, read_table
from ..errors import InputError
from ..fields import FieldSpec, is_number
from ..suggest import not_found

SUMMED = ("population", "net_migration")
"""Observed columns that add up over census units; the others are population-weighted means."""
INDEX_COLUMN = "mean_income_index"
_RATE = FieldSpec("per_usd", "currency/USD", 1.0, 0, 1e9, "local currency per US dollar", exclusive=True)
_DEFLATOR = FieldSpec("deflator", "1", None, 0, 1e6, "price level of the year relative to the model's dollars",
                      exclusive=True)
_WEIGHT = FieldSpec("weight", "1", 1.0, 0, 1, "share of the unit's people in the municipality")


@dataclass(frozen=True)
class ObservationFormat:
    """How observations were published (see the module docstring)."""

    per_usd: float = 1.0
    deflator: dict[int, float] = field(default_factory=dict)
    crosswalk: Path | None = None

    @property
    def converts_money(self) -> bool:
        return self.per_usd != 1.0 or bool(self.deflator)

    def to_usd(self, value: float, year: int, source, field: str) -> float:
        """An income in local nominal currency of ``year`` in the model's dollars."""
        if self.deflator and year not in self.deflator:
            raise InputError(source, field, f"a year with a deflator (observations_format.deflator has "
                             f"{', '.join(map(str, sorted(self.deflator)))}), got {year}")
        return value / self.deflator.get(year, 1.0) / self.per_usd


def read_format(src, raw, directory: Path) -> ObservationFormat:
    """The ``[observations_format]`` table of a calibration file, checked."""
    if raw is None:
        return ObservationFormat()
    if not isinstance(raw, dict):
        raise InputError(src, "observations_format", "a table with per_usd, deflator and crosswalk (all optional)")
    unknown = set(raw) - {"per_usd", "deflator", "crosswalk"}
    if unknown:
        raise InputError(src, f"observations_format.{min(unknown)}", "one of per_usd, deflator, crosswalk")
    deflator = raw.get("deflator", {})
    if not isinstance(deflator, dict):
        raise InputError(src, "observations_format.deflator", "a table of year = price level, e.g. {2018 = 1.1}")
    years = {}
    for year, value in deflator.items():
        if not year.isdigit():
            raise InputError(src, f"observations_format.deflator.{year}", "a calendar year as the key")
        years[int(year)] = _DEFLATOR.check(value, src, f"observations_format.deflator.{year}")
    crosswalk = raw.get("crosswalk")
    if crosswalk is not None:
        if not isinstance(crosswalk, str):
            raise InputError(src, "observations_format.crosswalk", "the path of a crosswalk CSV file")
        crosswalk = directory / crosswalk
        if not crosswalk.is_file():
            raise InputError(src, "observations_format.crosswalk", not_found(crosswalk, "an existing crosswalk CSV file"))
    per_usd = raw.get("per_usd", 1.0)
    return ObservationFormat(_RATE.check(per_usd if is_number(per_usd) else per_usd, src, "observations_format.per_usd"),
                             years, crosswalk)


def read_crosswalk(path: Path) -> pd.DataFrame:
    """Crosswalk rows: unit, municipality, weight (every problem reported at once)."""
    data = read_table(path)
    problems = Problems(path)
    for column in ("unit", "municipality"):
        if column not in data.header:
            problems.add(f"column {column}", f"a column of that name (unit, municipality, optional weight); "
                         f"the header has {', '.join(data.header)}")
    problems.raise_if_any()
    rows, seen = [], {}
    for row, line in zip(data.rows, data.lines):
        pair = (row["unit"], row["municipality"])
        at = (f"row {line} ({row['unit']} -> {row['municipality']})"  # as the tables name a unit's row
              if row["unit"] and row["municipality"] else f"row {line}")
        if pair in seen:
            problems.add(at, f"one row per unit and municipality; it repeats row {seen[pair]}")
        seen.setdefault(pair, line)
        weight = problems.parse(_WEIGHT, row.get("weight", ""), f"{at}, column weight", 1.0)
        rows.append({"unit": row["unit"], "municipality": row["municipality"], "weight": weight})
    problems.raise_if_any()
    table = pd.DataFrame(rows)
    total = table.groupby("unit")["weight"].sum()
    over = total[total > 1 + 1e-6]
    if len(over):
        raise InputError(path, "column weight", f"weights of each unit summing to at most 1; {over.index[0]!r} "
                         f"sums to {over.iloc[0]:.3g}")
    return table


def apply_crosswalk(table: pd.DataFrame, crosswalk: pd.DataFrame, path: Path, source: Path) -> pd.DataFrame:
    """Observations by census unit (column ``municipality`` holding unit codes) aggregated to
    municipalities: sums for :data:`SUMMED`, population-weighted means for the rest."""
    unknown = sorted(set(table["municipality"]) - set(crosswalk["unit"]))
    if unknown:
        raise InputError(source, "column municipality", f"census units of the crosswalk {path.name}; "
                         f"{len(unknown)} are not in it: {', '.join(map(repr, unknown[:10]))}")
    merged = table.rename(columns={"municipality": "unit"}).merge(crosswalk, on="unit")
    if "population" not in merged:
        raise InputError(source, "column population", "a population column: aggregating census units weights by it")
    people = merged["population"] * merged["weight"]
    out = []
    for (muni, year), rows in merged.groupby(["municipality", "year"], sort=False):
        record = {"municipality": muni, "year": year}
        w = people[rows.index]
        for column in table.columns.drop(["municipality", "year"]):
            values = rows[column]
            if values.isna().any():  # a unit without the value leaves the municipality without it
                record[column] = math.nan
            elif column.startswith("se_"):  # independent units: errors add in quadrature
                share = rows["weight"] if column[3:] in SUMMED else w / w.sum() if w.sum() > 0 else math.nan
                record[column] = float(np.sqrt(((values * share) ** 2).sum()))
            elif column in SUMMED:
                record[column] = float((values * rows["weight"]).sum())
            else:
                record[column] = float(np.average(values, weights=w)) if w.sum() > 0 else math.nan
        out.append(record)
    return pd.DataFrame(out)


def from_index(table: pd.DataFrame, start_year: int, start_income: dict[str, float], source: Path) -> pd.DataFrame:
    """``mean_income_index`` (100 = the start) turned into ``mean_income_pc``.

    ``start_income`` holds each municipality's observed income at the start (USD/person/yr)
    where the observations do not give it."""
    if INDEX_COLUMN not in table:
        return table
    table = table.copy()
    if "mean_income_pc" not in table:
        table["mean_income_pc"] = math.nan
    starts = table[table["year"] == start_year].set_index("municipality")["mean_income_pc"].to_dict()
    base = {m: starts.get(m) if starts.get(m) == starts.get(m) and starts.get(m) is not None else start_income.get(m)
            for m in table["municipality"]}
    missing = sorted(m for m, v in base.items() if v is None or not np.isfinite(v))
    if missing:
        raise InputError(source, f"column {INDEX_COLUMN}", "an observed income at the start for each municipality "
                         f"with an index (a start-year row or an observed mean_income); none for {', '.join(missing[:10])}")
    scaled = table["municipality"].map(base) * table[INDEX_COLUMN] / 100.0
    table["mean_income_pc"] = table["mean_income_pc"].fillna(scaled)
    return table.drop(columns=INDEX_COLUMN)
