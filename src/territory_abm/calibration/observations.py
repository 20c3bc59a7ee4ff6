"""Observed outcomes of a territory (a CSV next to its municipalities and edges tables).

Format: one row per municipality and census year::

    municipality,year,population,mean_income_pc,poverty_headcount,gini_income,forest_cover,net_migration
    M01,2010,6656,1845,0.448,0.431,0.47,
    M01,2020,7010,2150,0.401,0.445,0.42,-310

``municipality`` is a node id of the territory, ``year`` a census year from the scenario's
start year to its horizon (``start_year + steps``). Every census year in the file is used:
the calibration statistics are the changes over each period between consecutive census
dates (the start first), so observations at 2005, 2010 and 2015 with a run starting in 2005
give statistics over 2005-2010 and over 2010-2015, each weighed by its own standard errors.
A municipality without a row at a census date has no statistics over the periods that
begin or end there. Any subset of the outcome columns may be given (empty cells are
missing values). A column ``se_<column>`` gives each value's standard error (small-area
estimates publish them); the calibration distance weighs each statistic by it (see
``Objective``). ``net_migration`` in a row counts the net migrants (in minus out) since the
previous census date (the period that ends in that row's year). Where a municipality has
no row at the start year, its start values come from the municipalities table
(``population``, ``mean_income``, ``poverty_rate``, ``income_gini``, ``forest_cover``), except
values that the territory's ``filled.csv`` marks as assumed or fitted (an imported territory's
fill-ins): those stay missing, so no statistic is computed against a value nobody observed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.importer import assumed_cells
from ..data.tables import Problems, read_csv_table
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

    dates : census years, the start year first
    frames : outcome table at each date (index: municipality id, in the territory's
        order; columns: OBSERVABLES, NaN where not observed)
    errors : standard errors at each date (as ``frames``; 0 where none is stated)
    """

    source: str
    dates: tuple[int, ...]
    frames: dict[int, pd.DataFrame]
    errors: dict[int, pd.DataFrame]
    table: pd.DataFrame

    @property
    def start_year(self) -> int:
        return self.dates[0]

    @property
    def end_year(self) -> int:
        return self.dates[-1]

    @property
    def start(self) -> pd.DataFrame:
        return self.frames[self.start_year]

    @property
    def end(self) -> pd.DataFrame:
        return self.frames[self.end_year]

    @property
    def municipalities(self) -> list[str]:
        return list(self.end.index)

    @property
    def years(self) -> int:
        return self.end_year - self.start_year

    @property
    def periods(self) -> list[tuple[int, int]]:
        """Consecutive census dates: the periods the statistics are computed over."""
        return list(zip(self.dates[:-1], self.dates[1:]))

    def municipal_values(self, frames: dict[int, Mapping[str, np.ndarray]] | None = None) -> np.ndarray:
        """Observed per-municipality statistics of every period (municipalities x
        (periods x ``statistics.MUNICIPAL``)); ``frames`` replaces the observed tables."""
        from .statistics import period_values

        return period_values(self.frames if frames is None else frames, self.dates)

    def municipal_se(self) -> np.ndarray:
        """Standard errors of the per-municipality statistics (as ``municipal_values``), from
        the observations' ``se_`` columns by the delta method: each observed value moved by
        its standard error in turn, the changes of a statistic added in quadrature (0 where
        no error is stated)."""
        base = self.municipal_values()
        total = np.zeros_like(base)
        for year in self.dates:
            for column in OBSERVABLES:
                step = self.errors[year][column].to_numpy()
                if not step.any():
                    continue
                moved = dict(self.frames)
                moved[year] = moved[year].copy()
                moved[year][column] = moved[year][column] + step
                with np.errstate(invalid="ignore"):
                    change = self.municipal_values(moved) - base
                total += np.nan_to_num(change) ** 2
        return np.sqrt(total)

    @property
    def has_errors(self) -> bool:
        """Whether any standard error is stated."""
        return any(e.to_numpy().any() for e in self.errors.values())

    def measured_again(self, rng: np.random.Generator) -> np.ndarray:
        """The statistics (as ``municipal_values``) of observations measured again: each
        observed value moved by a normal draw at its standard error (independent values;
        shares kept in [0, 1], counts and incomes non-negative)."""
        frames = {}
        low, high = (np.array([getattr(f, bound) for f in OBSERVABLES.values()]) for bound in ("low", "high"))
        for year in self.dates:
            frame = self.frames[year]
            moved = frame.to_numpy() + self.errors[year].to_numpy() * rng.standard_normal(frame.shape)
            frames[year] = dict(zip(frame.columns, np.clip(moved, low, high).T))
        with np.errstate(invalid="ignore"):
            return self.municipal_values(frames)


def load_observations(path: str | Path, territory: Territory, start_year: int, last_year: int | None = None,
                      fmt: ObservationFormat | None = None) -> Observations:
    """Read and validate an observations CSV against ``territory`` and the run's years
    (``start_year`` to ``last_year``, the horizon); ``fmt`` says how they were published
    (currency, deflator, crosswalk: see :mod:`territory_abm.calibration.harmonise`).

    Raises InputError naming the file, the row and column, and what was expected (every
    unusable row at once).
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
    records, seen, problems = [], {}, Problems(path)
    for row_no, row in enumerate(rows, start=2):
        muni = row.get("municipality", "")
        if fmt.crosswalk is None:
            try:
                muni = _node(path, f"row {row_no}, column municipality", muni, territory)
            except InputError as exc:
                problems.add(exc.field, exc.expected)
        year = _year(problems, row_no, row.get("year", ""), start_year, last_year)
        if year is None:
            continue
        if (muni, year) in seen:
            problems.add(f"row {row_no}", f"one row per municipality and year ({muni}, {year} repeats row "
                         f"{seen[muni, year]})")
        seen.setdefault((muni, year), row_no)
        record = {"municipality": muni, "year": year}
        for col in outcome_columns:
            field = f"row {row_no} ({muni}, {year}), column {col}"  # the unit and year the row is of
            try:
                if col in MONEY and fmt.converts_money:
                    value = NUMBER.parse(row.get(col, ""), path, field, empty=math.nan)
                    record[col] = accepted[col].check(fmt.to_usd(value, year, path, field), path,
                                                      f"{field} (after conversion to USD)") if value == value else value
                else:
                    record[col] = accepted[col].parse(row.get(col, ""), path, field, empty=math.nan)
            except InputError as exc:
                problems.add(exc.field, exc.expected)
        records.append(record)
    problems.raise_if_any()
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
    dates = tuple(sorted({start_year, *map(int, table["year"])}))
    if len(dates) < 2:
        raise InputError(path, "year", f"observations after the start year {start_year} (the end of the period)")
    order = [i for i in territory.ids if i in set(table["municipality"])]
    by_year = {year: table[table["year"] == year].set_index("municipality").reindex(order) for year in dates}
    frames = {year: rows[list(OBSERVABLES)].astype(float) for year, rows in by_year.items()}
    start = frames[start_year]
    for col, source in START_COLUMNS.items():
        from_table = pd.Series([np.nan if (i, source) in assumed else territory.table[source][territory.index(i)]
                                for i in order], index=order, dtype=float)
        start[col] = start[col].fillna(from_table)
    start["net_migration"] = np.nan
    errors = {year: rows[list(SE_COLUMNS)].set_axis(list(OBSERVABLES), axis=1).fillna(0.0).astype(float)
              for year, rows in by_year.items()}
    return Observations(str(path), dates, frames, errors, table)


def _node(path: Path, field: str, ref: str, territory: Territory) -> str:
    try:  # a node id, or a name that only one node has
        return resolve_node(ref, list(territory.ids), list(territory.names))
    except KeyError as err:
        raise InputError(path, field, err.args[0]) from None


def _year(problems: Problems, row_no: int, text: str, start_year: int, last_year: int | None) -> int | None:
    """The row's census year, or None with the problem recorded (before the start, after the
    horizon, not a whole number)."""
    high = last_year if last_year is not None else start_year + MAX_STEPS
    spec = FieldSpec("year", "yr", None, start_year, high, "a calendar year of the run", "int")
    try:
        return spec.parse(text, problems.source, f"row {row_no}, column year")
    except InputError as exc:
        try:
            year = int(text)
        except ValueError:
            year = None
        when = " (before the start)" if year is not None and year < start_year else \
            " (after the horizon, start_year + steps)" if year is not None and year > high else ""
        problems.add(exc.field, f"a year of the run (whole number), {start_year} to {high}, got {text!r}{when}")
        return None


