"""Observed outcomes of a territory (a CSV next to its municipalities and edges tables).

Format: one row per municipality and census year::

    municipality,year,population,mean_income_pc,poverty_headcount,gini_income,forest_cover,net_migration
    M01,2010,6656,1845,0.448,0.431,0.47,
    M01,2020,7010,2150,0.401,0.445,0.42,-310

``municipality`` is a node id of the territory, ``year`` a calendar year not before the
scenario's start year. Any subset of the outcome columns may be given (empty cells are
missing values). A column ``se_<column>`` gives each value's standard error (small-area
estimates publish them); the calibration distance weighs each statistic by it (see
``Objective``). ``net_migration`` in a row counts the net migrants (in minus out) over
the period that ends in that row's year. Where a municipality has no row at the start
year, its start values come from the municipalities table (``population``,
``mean_income``, ``poverty_rate``, ``income_gini``, ``forest_cover``), except values that
the territory's ``filled.csv`` marks as assumed (an imported territory's fill-ins): those stay
missing, so no statistic is computed against a value nobody observed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.importer import assumed_cells
from ..data.tables import read_csv_table
from ..data.territory import Territory, resolve_node
from ..errors import InputError
from ..fields import FieldSpec
from ..scenarios.loader import MAX_STEPS
from .harmonise import INDEX_COLUMN, ObservationFormat, apply_crosswalk, from_index, read_crosswalk

OBSERVABLES: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("population", "persons", None, 0.0, 1e9, "resident population"),
    FieldSpec("mean_income_pc", "USD/person/yr", None, 0.0, 1e7, "mean income per person"),
    FieldSpec("poverty_headcount", "1", None, 0.0, 1.0, "share of people below the poverty line"),
    FieldSpec("gini_income", "1", None, 0.0, 1.0, "Gini of income per person"),
    FieldSpec("forest_cover", "1", None, 0.0, 1.0, "share of the municipality's area under forest"),
    FieldSpec("net_migration", "persons", None, -1e9, 1e9, "net migrants (in minus out) over the period ending in this year"),
)}
"""Observable columns by name (an empty cell is a missing value)."""
SE_COLUMNS: dict[str, FieldSpec] = {f"se_{name}": FieldSpec(f"se_{name}", f.unit, None, 0.0, f.high if f.low >= 0 else 1e9,
                                                          f"standard error of {name}")
                                     for name, f in OBSERVABLES.items()}
"""Standard-error columns: ``se_<column>`` per row (an empty cell: no error stated, taken as 0)."""
MONEY = ("mean_income_pc", "se_mean_income_pc")
NUMBER = FieldSpec("value", "-", None, 0.0, math.inf, "a non-negative number")
INDEX = FieldSpec(INDEX_COLUMN, "index", None, 0.0, 1e6, "mean income per person, 100 = the municipality's at the start")

START_COLUMNS = {"population": "population", "mean_income_pc": "mean_income", "poverty_headcount": "poverty_rate",
                 "gini_income": "income_gini", "forest_cover": "forest_cover"}
"""Where start values missing from the observations come from in the municipalities table."""


@dataclass(frozen=True)
class Observations:
    """Validated observations.

    start, end : outcome tables at the start and end year (index: municipality id, in the
        territory's order; columns: OBSERVABLES, NaN where not observed)
    """

    source: str
    start_year: int
    end_year: int
    start: pd.DataFrame
    end: pd.DataFrame
    table: pd.DataFrame
    start_se: pd.DataFrame | None = None
    end_se: pd.DataFrame | None = None

    @property
    def municipalities(self) -> list[str]:
        return list(self.end.index)

    @property
    def years(self) -> int:
        return self.end_year - self.start_year

    def municipal_values(self) -> np.ndarray:
        """Observed per-municipality statistics (municipalities x ``statistics.MUNICIPAL``)."""
        from .statistics import municipal_values

        return municipal_values(self.start, self.end, self.end["net_migration"].to_numpy(), self.years)

    def municipal_se(self) -> np.ndarray:
        """Standard errors of the per-municipality statistics (as ``municipal_values``), from
        the observations' ``se_`` columns by the delta method: each observed value moved by
        its standard error in turn, the changes of a statistic added in quadrature (0 where
        no error is stated)."""
        from .statistics import municipal_values

        base = self.municipal_values()
        total = np.zeros_like(base)
        if self.start_se is None or not (self.start_se.to_numpy().any() or self.end_se.to_numpy().any()):
            return total
        for side in ("start", "end"):
            errors = getattr(self, f"{side}_se")
            for column in OBSERVABLES:
                step = errors[column].to_numpy()
                if not step.any():
                    continue
                moved = {"start": self.start.copy(), "end": self.end.copy()}
                moved[side][column] = moved[side][column] + step
                with np.errstate(invalid="ignore"):
                    change = municipal_values(moved["start"], moved["end"], moved["end"]["net_migration"].to_numpy(),
                                              self.years) - base
                total += np.nan_to_num(change) ** 2
        return np.sqrt(total)


def load_observations(path: str | Path, territory: Territory, start_year: int, last_year: int | None = None,
                      fmt: ObservationFormat | None = None) -> Observations:
    """Read and validate an observations CSV against ``territory`` and the run's years;
    ``fmt`` says how they were published (currency, deflator, crosswalk: see
    :mod:`territory_abm.calibration.harmonise`).

    Raises InputError naming the file, the row and column, and what was expected.
    """
    path = Path(path)
    fmt = fmt or ObservationFormat()
    header, rows = read_csv_table(path)
    for required in ("municipality", "year"):
        if required not in header:
            raise InputError(path, f"column {required}", "a column of that name in the header")
    outcome_columns = [h for h in header if h not in ("municipality", "year")]
    accepted = {**OBSERVABLES, INDEX_COLUMN: INDEX, **SE_COLUMNS}
    for h in outcome_columns:
        if h not in accepted:
            raise InputError(path, f"column {h}", f"one of municipality, year, {', '.join(accepted)}")
    if not outcome_columns:
        raise InputError(path, "header", f"at least one outcome column ({', '.join(OBSERVABLES)})")
    if not rows:
        raise InputError(path, "rows", "at least one row of observations")
    records, seen = [], set()
    for row_no, row in enumerate(rows, start=2):
        muni = row.get("municipality", "")
        if fmt.crosswalk is None:
            muni = _node(path, f"row {row_no}, column municipality", muni, territory)
        year = _year(path, row_no, row.get("year", ""), start_year, last_year)
        if (muni, year) in seen:
            raise InputError(path, f"row {row_no}", f"one row per municipality and year ({muni}, {year} repeats)")
        seen.add((muni, year))
        record = {"municipality": muni, "year": year}
        for col in outcome_columns:
            field = f"row {row_no}, column {col}"
            if col in MONEY and fmt.converts_money:
                value = NUMBER.parse(row.get(col, ""), path, field, empty=math.nan)
                record[col] = accepted[col].check(fmt.to_usd(value, year, path, field), path,
                                                  f"{field} (after conversion to USD)") if value == value else value
            else:
                record[col] = accepted[col].parse(row.get(col, ""), path, field, empty=math.nan)
        records.append(record)
    table = pd.DataFrame(records)
    if fmt.crosswalk is not None:
        crosswalk = read_crosswalk(fmt.crosswalk)
        crosswalk["municipality"] = [_node(fmt.crosswalk, "column municipality", m, territory)
                                     for m in crosswalk["municipality"]]
        table = apply_crosswalk(table, crosswalk, fmt.crosswalk, path)
    assumed = assumed_cells(territory.source)  # values a territory import filled in are not observations
    table = from_index(table, start_year, {i: territory.table["mean_income"][k] for k, i in enumerate(territory.ids)
                                           if (i, "mean_income") not in assumed}, path)
    for col in (*OBSERVABLES, *SE_COLUMNS):
        if col not in table:
            table[col] = np.nan
    end_year = int(table["year"].max())
    if end_year <= start_year:
        raise InputError(path, "year", f"observations after the start year {start_year} (the end of the period)")
    order = [i for i in territory.ids if i in set(table["municipality"])]
    end = table[table["year"] == end_year].set_index("municipality").reindex(order)[list(OBSERVABLES)]
    start = table[table["year"] == start_year].set_index("municipality").reindex(order)[list(OBSERVABLES)]
    for col, source in START_COLUMNS.items():
        from_table = pd.Series([np.nan if (i, source) in assumed else territory.table[source][territory.index(i)]
                                for i in order], index=order, dtype=float)
        start[col] = start[col].fillna(from_table)
    start["net_migration"] = np.nan
    se = {year: table[table["year"] == year].set_index("municipality").reindex(order)[list(SE_COLUMNS)]
          .set_axis(list(OBSERVABLES), axis=1).fillna(0.0).astype(float) for year in (start_year, end_year)}
    return Observations(str(path), start_year, end_year, start.astype(float), end.astype(float), table,
                        se[start_year], se[end_year])


def _node(path: Path, field: str, ref: str, territory: Territory) -> str:
    try:  # a node id, or a name that only one node has
        return resolve_node(ref, list(territory.ids), list(territory.names))
    except KeyError as err:
        raise InputError(path, field, err.args[0]) from None


def _year(path: Path, row_no: int, text: str, start_year: int, last_year: int | None) -> int:
    high = last_year if last_year is not None else start_year + MAX_STEPS
    spec = FieldSpec("year", "yr", None, start_year, high, "a calendar year of the run", "int")
    try:
        return spec.parse(text, path, f"row {row_no}, column year")
    except InputError as exc:
        raise InputError(path, exc.field, f"a year of the run (whole number), {start_year} to {high}, got {text!r}") from None


