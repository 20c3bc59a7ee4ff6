"""Observed patterns and how an ensemble reproduces them (``territory-abm patterns``).

A patterns file holds ``[[patterns]]`` tables, each naming an observed pattern across
municipalities: ``name``, ``statistic`` (one of :data:`KINDS`) and its variables,
``observed`` (the published value), ``tolerance`` (how far the simulated value may be and
still count), ``source`` (the publication) and ``status`` (``"published"`` or
``"assumption"``), optionally ``units`` (``all`` populated nodes, ``municipality`` or
``city``, or ``territory``: each run's territory as a whole, a row of ``territories.csv``,
where a published comparison is of territories rather than of municipalities: its period
statistics, :data:`TERRITORY_VARIABLES`, over all its people, and the group ``has_city``).

The simulated value pools every unit of every run (territories x seeds) of the ensemble.
Its interval is the 5-95 % range of a bootstrap that resamples territories with
replacement, each with all its seeds (:data:`BOOTSTRAP` draws, seeded: the report is
reproducible), so it spans both the spread over territories and over seeds; the runs of one
territory are not independent (they share its draws), so they are resampled together. A pattern is *reproduced* when
its interval comes within the tolerance of the observed value:
``low - tolerance <= observed <= high + tolerance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..fields import FieldSpec
from ..outcomes import STATISTICS, TYPES
from ..output import tables
from ..suggest import did_you_mean
from ..tomlfile import read_toml
from . import statistics as st
from .command import MARKER

KINDS = ("share", "mean", "correlation", "slope", "difference", "slope_difference")
"""Pattern statistics: share of units with a flag (or a type), mean, Pearson correlation,
OLS slope of y on x, difference of means between a group and the rest, difference of the
slopes of y on x between a group and the rest."""
FLAGS = ("grew", "poverty_fell", "inequality_fell", "forest_kept", "win_win_win")
"""0/1 columns a share counts (``win_win_win``: grew, poverty fell and inequality fell)."""
VARIABLES = (*FLAGS, *STATISTICS, "income_start", "log_income_start", "poverty_start", "gini_start",
             "poverty_change_relative", "households",
             "mean_income", "income_gini", "poverty_rate", "land_gini", "forest_cover", "governance",
             "service_quality", "mean_education", "travel_time_to_market", "has_city")
"""Columns of ``municipalities.csv`` a pattern may name (start values are simulated start-year values;
``poverty_change_relative`` is poverty_change / poverty_start)."""
UNITS = {"all": ("municipality", "city"), "municipality": ("municipality",), "city": ("city",), "territory": ()}
"""The kinds of node each choice of ``units`` pools; ``territory`` pools no node but the run's
territory as a whole (:func:`territory_units`)."""
TERRITORY_VARIABLES = (*STATISTICS, "has_city")
"""Variables a pattern over ``units = "territory"`` may name: the period statistics of the whole
territory (``territories.csv``'s ``territory_<name>``) and whether it has an intermediate city."""
TERRITORY_GROUPS = ("has_city",)
"""Groups a pattern over ``units = "territory"`` may name (the others are features of municipalities)."""
STATUS = ("published", "assumption")
BOOTSTRAP = 400
"""Bootstrap draws of the interval."""
LOW, HIGH = 5, 95

_FIELDS = {f.name: f for f in (
    FieldSpec("name", "-", None, meaning="pattern name (unique in the file)", kind="str"),
    FieldSpec("statistic", "-", None, meaning="kind of statistic", kind="str", choices=KINDS),
    FieldSpec("observed", "-", None, meaning="observed value"),
    FieldSpec("tolerance", "-", None, 0, np.inf, "largest distance from the observed value that counts"),
    FieldSpec("source", "-", None, meaning="publication the observed value comes from", kind="str"),
    FieldSpec("status", "-", None, meaning="published or assumption", kind="str", choices=STATUS),
    FieldSpec("units", "-", "all", meaning="all, municipality, city or territory", kind="str",
              choices=tuple(UNITS)),
    FieldSpec("note", "-", "", meaning="free text", kind="str"),
)}
KEYS = (*_FIELDS, "variable", "x", "y", "group", "type")
"""Every key of a ``[[patterns]]`` table."""
_NEEDS = {"share": ("variable",), "mean": ("variable",), "correlation": ("x", "y"), "slope": ("x", "y"),
          "difference": ("variable", "group"), "slope_difference": ("x", "y", "group")}


@dataclass(frozen=True)
class Pattern:
    """One validated observed pattern (see the module docstring)."""

    name: str
    statistic: str
    observed: float
    tolerance: float
    source: str
    status: str
    units: str = "all"
    variable: str = ""
    x: str = ""
    y: str = ""
    group: str = ""
    type: str = ""
    note: str = ""

    def arrays(self, units: pd.DataFrame, in_group: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """The statistic's inputs over ``units`` (rows of ``municipalities.csv``, already
        filtered): the flag or values; x and y for a correlation or slope; the values and
        the group membership for a difference; x, y and the group membership for a slope
        difference (``in_group``, default the group's rule over ``units``)."""
        if self.statistic == "share":
            flag = (units["type"].to_numpy(str) == self.type) if self.type else units[self.variable].to_numpy(float)
            return (np.asarray(flag, float),)
        if self.statistic == "mean":
            return (units[self.variable].to_numpy(float),)
        group = (st.GROUPS[self.group].rule(units) if in_group is None else in_group) if self.group else None
        if self.statistic in ("correlation", "slope", "slope_difference"):
            xy = (units[self.x].to_numpy(float), units[self.y].to_numpy(float))
            return xy if group is None else (*xy, group)
        return units[self.variable].to_numpy(float), group

    def rows(self, units: pd.DataFrame, territories: pd.DataFrame | None = None) -> pd.DataFrame:
        """The rows this pattern pools: the ``units`` (rows of ``municipalities.csv``) of its kinds, or
        for ``units = "territory"`` the ``territories`` (rows of ``territories.csv``) as
        :func:`territory_units`."""
        if self.units != "territory":
            return units[units["kind"].isin(UNITS[self.units]).to_numpy()]
        if territories is None:
            raise ValueError(f"pattern {self.name!r} pools territories: territories.csv's rows are needed")
        return territory_units(territories)

    def value(self, units: pd.DataFrame) -> float:
        """The statistic over ``units`` (rows of ``municipalities.csv``, already filtered, or of
        :func:`territory_units`)."""
        return float(_STATISTIC[self.statistic](*self.arrays(units)))

    def sums(self, units: pd.DataFrame, in_group: np.ndarray | None = None) -> np.ndarray:
        """Sufficient statistics over ``units`` (``statistics.sums``): summed over runs,
        ``statistics.from_sums`` gives the pooled value."""
        return st.sums(self.statistic, *self.arrays(units, in_group))

    def describe(self) -> str:
        if self.statistic == "share":
            return f"share {self.type or self.variable}"
        if self.statistic == "mean":
            return f"mean {self.variable}"
        if self.statistic in ("correlation", "slope"):
            return f"{self.statistic} {self.y} on {self.x}"
        if self.statistic == "slope_difference":
            return f"slope {self.y} on {self.x}: {self.group} - rest"
        return f"{self.variable}: {self.group} - rest"


def territory_units(territories: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``territories.csv`` (one per run) as the units of a pattern over
    ``units = "territory"``: territory, replicate, kind ``"territory"``, ``has_city`` (its
    ``city_present`` draw) and each period statistic of the whole territory under its own name
    (``territory_gini_change`` as ``gini_change``)."""
    out = pd.DataFrame({"territory": territories["territory"].to_numpy(),
                        "replicate": territories["replicate"].to_numpy(), "kind": "territory",
                        "has_city": (territories["city_present"].to_numpy(float) != 0).astype(int)})
    for name in STATISTICS:
        out[name] = territories[f"territory_{name}"].to_numpy(float)
    return out


_STATISTIC = {"share": st.share, "mean": st.mean, "correlation": st.correlation, "slope": st.slope,
              "difference": st.difference, "slope_difference": st.slope_difference}
"""The function of each kind of statistic."""


def load_patterns(path: str | Path) -> list[Pattern]:
    """Read and validate a patterns file.

    Raises
    ------
    InputError
        Naming the file and ``patterns[i].field``: a missing or unknown key, an unknown
        statistic, variable, type or group, a negative tolerance, a repeated name.
    """
    path = Path(path)
    raw = read_toml(path, "patterns")
    for key in raw:
        if key != "patterns":
            raise InputError(path, key, "only [[patterns]] tables")
    entries = raw.get("patterns")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "patterns", "one or more [[patterns]] tables")
    out, names = [], set()
    for i, entry in enumerate(entries):
        where = f"patterns[{i}]"
        if not isinstance(entry, dict):
            raise InputError(path, where, "a table")
        allowed = set(KEYS)
        for key in entry:
            if key not in allowed:
                raise InputError(path, f"{where}.{key}", f"one of the pattern keys{did_you_mean(key, allowed)}: "
                                 f"{', '.join(sorted(allowed))}")
        values = {}
        for key, spec in _FIELDS.items():
            if key not in entry and spec.default is None:
                raise InputError(path, f"{where}.{key}", f"a value: {spec.meaning}")
            values[key] = spec.check(entry[key], path, f"{where}.{key}") if key in entry else spec.default
        kind = values["statistic"]
        whole = values["units"] == "territory"
        if whole and kind == "share":
            raise InputError(path, f"{where}.statistic", "a statistic other than share over units = \"territory\" "
                             "(the typology classifies municipalities, not territories)")
        needs = _NEEDS[kind]
        if kind == "share" and "type" in entry:
            needs = ("type",)
        for key in ("variable", "x", "y", "group", "type"):
            if key in entry and key not in needs:
                raise InputError(path, f"{where}.{key}", f"only {', '.join(needs)} for a {kind} pattern")
        for key in needs:
            if key not in entry:
                raise InputError(path, f"{where}.{key}", f"a value (a {kind} pattern needs {', '.join(needs)})")
            if whole:
                known = TERRITORY_GROUPS if key == "group" else TERRITORY_VARIABLES
            else:
                known = {"group": tuple(st.GROUPS), "type": TYPES}.get(key, FLAGS if kind == "share" else VARIABLES)
            value = entry[key]
            if not isinstance(value, str) or value not in known:
                over = ' over units = "territory"' if whole else ""
                raise InputError(path, f"{where}.{key}", f"one of {', '.join(known)}{over}"
                                 f"{did_you_mean(str(value), known)}, got {value!r}")
            values[key] = value
        if values["name"] in names:
            raise InputError(path, f"{where}.name", f"a name not used by another pattern, {values['name']!r} repeats")
        names.add(values["name"])
        out.append(Pattern(**values))
    return out


def evaluate(patterns: list[Pattern], units: pd.DataFrame, seed: int = 0,
             territories: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each pattern's simulated value, its bootstrap interval and whether it is reproduced.

    Parameters
    ----------
    units : DataFrame
        ``municipalities.csv`` of an ensemble (columns territory, replicate, kind and
        ``VARIABLES``).
    seed : int
        Seed of the bootstrap.
    territories : DataFrame, optional
        ``territories.csv`` of the same ensemble, needed by patterns over ``units = "territory"``.
    """
    names = pd.Index(sorted(units["territory"].astype(str).unique()))
    n_runs = int((units["territory"].astype(str) + "/" + units["replicate"].astype(str)).nunique())
    rows = []
    for p in patterns:
        part = p.rows(units, territories).reset_index(drop=True)
        part_territories = names.get_indexer(part["territory"].astype(str))
        by_territory = [np.flatnonzero(part_territories == t) for t in range(len(names))]
        rng = np.random.default_rng(seed)
        draws = []
        for _ in range(BOOTSTRAP):
            pick = rng.integers(0, len(names), len(names))
            draws.append(p.value(part.iloc[np.concatenate([by_territory[t] for t in pick])]))
        draws = np.asarray(draws, float)
        draws = draws[np.isfinite(draws)]
        low, high = (np.percentile(draws, [LOW, HIGH]) if draws.size else (np.nan, np.nan))
        value = p.value(part)
        rows.append({"pattern": p.name, "statistic": p.describe(), "units": p.units, "simulated": value,
                     "low": float(low), "high": float(high), "observed": p.observed, "tolerance": p.tolerance,
                     "reproduced": bool(low - p.tolerance <= p.observed <= high + p.tolerance),
                     "status": p.status, "source": p.source, "n_units": len(part), "n_runs": n_runs,
                     "n_territories": len(names)})
    return pd.DataFrame(rows)


def report_patterns(directory: Path, patterns_path: Path, out: Path | None = None) -> tuple[str, list[Path]]:
    """Evaluate a patterns file on a finished ensemble; write ``patterns.csv`` and
    ``patterns.png``; return the printed table and the files written."""
    directory = Path(directory)
    patterns = load_patterns(patterns_path)
    if not (directory / MARKER).is_file():
        raise InputError(directory, MARKER, "the output directory of a finished territory-abm ensemble")
    units, territories = read_units(directory, any(p.units == "territory" for p in patterns))
    result = evaluate(patterns, units, territories=territories)
    out = Path(out or directory)
    out.mkdir(parents=True, exist_ok=True)
    tables.write_csv(result, out / "patterns.csv")
    from .plots import plot_patterns

    plot_patterns(result, units, out / "patterns.png")
    return text_table(result), [out / "patterns.csv", out / "patterns.png"]


TERRITORY_COLUMNS = ("territory", "replicate", "city_present", *(f"territory_{name}" for name in STATISTICS))
"""Columns of ``territories.csv`` that patterns over ``units = "territory"`` read."""


def read_units(directory: Path, territories: bool = True) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """An ensemble's ``municipalities.csv`` and, if ``territories``, its ``territories.csv`` (else
    None); blank cells as missing.

    Raises
    ------
    InputError
        Naming the file: missing, or without the columns patterns read.
    """
    directory = Path(directory)
    units = _ensemble_table(directory / "municipalities.csv", ("territory", "replicate", "kind"))
    if not territories:
        return units, None
    return units, _ensemble_table(directory / "territories.csv", TERRITORY_COLUMNS,
                                  " (patterns over units = \"territory\" read each run's row of it)")


def _ensemble_table(path: Path, needed: tuple[str, ...], why: str = "") -> pd.DataFrame:
    """One table an ensemble wrote, with the columns ``needed`` (else an InputError naming it)."""
    if not path.is_file():
        raise InputError(path, path.name, f"an existing file: not found; a finished territory-abm ensemble writes "
                         f"it{why}")
    table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InputError(path, missing[0], f"the columns of an ensemble's {path.name}: {', '.join(missing)} missing")
    return table


def text_table(result: pd.DataFrame) -> str:
    """The report as aligned plain text."""
    head = ("pattern", "units", "observed +- tol", "simulated [5-95 %]", "reproduced", "status")
    rows = [(r.pattern, r.units, f"{r.observed:.3g} +- {r.tolerance:.3g}",
             f"{r.simulated:.3g} [{r.low:.3g}, {r.high:.3g}]", "yes" if r.reproduced else "NO", r.status)
            for r in result.itertuples()]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in [head, *rows]]
    n, t = (result["n_runs"].iloc[0], result["n_territories"].iloc[0]) if len(result) else (0, 0)
    seeds = n // t if t and n % t == 0 else None
    each = f"{seeds} seed{'s' if seeds != 1 else ''}" if seeds is not None else "seeds"
    return "\n".join(lines) + f"\n({n} runs: {t} territories x {each}; interval: bootstrap over territories, " \
        "each with all its seeds)"
