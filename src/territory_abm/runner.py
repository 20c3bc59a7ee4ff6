"""Running one scenario end to end and writing its outputs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .experiments.store import RUN_MARKER, STORE_NAME
from .model import TerritoryModel
from .outcomes import CHANGES, DIMENSIONS, GROUPS, SUMMARY, TYPE_COLOURS, TYPES, outcome
from .output import maps, plots, tables
from .data.territory import START_INCOME_MIX_TOLERANCE, START_POVERTY_TOLERANCE
from .output.tables import start_income_mix, start_poverty, start_wage_jobs
from .params import CONTEXT_GROUP, REGISTRY
from .scenarios.loader import Scenario
from .typology import type_shares, typology


@dataclass
class RunResult:
    """Tables of one finished run."""

    territory: pd.DataFrame
    nodes: pd.DataFrame
    typology: pd.DataFrame
    model: TerritoryModel
    wall_time: float


def simulate(scenario: Scenario, progress=None) -> RunResult:
    """Build and run the model for ``scenario``; ``progress`` is called after each year."""
    started = time.perf_counter()
    model = TerritoryModel(scenario)
    model.run(progress=progress)
    nodes = tables.node_table(model)
    return RunResult(tables.territory_table(model), nodes, typology(nodes, tolerances=scenario.typology), model,
                     time.perf_counter() - started)


START_JOBS_SECTION = "The start's wage jobs"
"""The section of docs/model_choices.md the summary points to for the starting wage jobs."""

RUN_OUTPUTS = ("territory.csv", "municipalities.csv", "typology.csv", "commuting.csv", "households.csv",
               "territory.png", "network.png", "map.png", RUN_MARKER)
"""Every file name a run may write (which ones depends on the scenario and ``--no-plots``)."""


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output directory that holds an experiment's results store (``compare``,
    ``sensitivity``, ...): a run's tables beside it would read as that experiment's."""
    if (Path(out_dir) / STORE_NAME).is_file():
        raise InputError(Path(out_dir) / STORE_NAME, "--out", "a directory without an experiment's results (this "
                         "one holds a comparison's or another experiment's results store): use a new --out directory")


def write_outputs(result: RunResult, out_dir: Path, with_plots: bool = True,
                  command_line: dict | None = None) -> list[str]:
    """Write CSV tables, plots, and finally ``run.json``; returns the file names written.
    ``command_line``: the options that overrode the scenario file, as given (``run.json``
    records them besides the resolved scenario).

    An earlier run's outputs that this run does not write (``households.csv``, the PNGs) are
    removed once this run's are in place, just before ``run.json``, so the directory never holds
    stale files that look current; files of other names are left alone. A run that fails
    before writing leaves the earlier run whole; one that fails while writing leaves no
    ``run.json``, the mark of an unfinished directory.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / RUN_MARKER
    if marker.exists():
        marker.unlink()  # the directory is not a finished run until run.json is rewritten
    written = []
    for name, df in (("territory.csv", result.territory), ("municipalities.csv", result.nodes),
                     ("typology.csv", result.typology), ("commuting.csv", tables.commuting_table(result.model))):
        tables.write_csv(df, out_dir / name)
        written.append(name)
    households = tables.household_table(result.model)
    if not households.empty:
        tables.write_csv(households, out_dir / "households.csv")
        written.append("households.csv")
    if with_plots:
        # one run is one draw: its seed and scale in the title (``compare`` shows the spread over seeds)
        title = (f"{result.model.scenario.name} (seed {result.model.seed}, households_scale "
                 f"{result.model.scenario.households_scale:g}: one draw)")
        plots.plot_territory(result.territory, out_dir / "territory.png", title)
        plots.plot_network(result.model.graph, result.typology, out_dir / "network.png",
                           f"{title}: municipal typology {result.model.start_year}-{result.model.year}")
        written += ["territory.png", "network.png"]
        if maps.has_geometry(result.model.territory.source):
            maps.plot_map(result.model.territory.source, result.model.graph,
                          dict(zip(result.typology["node_id"], result.typology["type"])), out_dir / "map.png",
                          f"{title}: municipal typology {result.model.start_year}-{result.model.year}",
                          "type of the period", colours=TYPE_COLOURS)
            written.append("map.png")
    for name in set(RUN_OUTPUTS) - set(written) - {RUN_MARKER}:
        (out_dir / name).unlink(missing_ok=True)
    tables.write_json(tables.run_metadata(result.model, result.wall_time, written + [RUN_MARKER],
                                           command_line), marker)
    return written + [RUN_MARKER]


def summary(result: RunResult) -> str:
    """A short plain-text summary: start and end of key outcomes, typology shares."""
    t = result.territory
    first, last = t.iloc[0], t.iloc[-1]
    rows = [outcome(name) for name in (*SUMMARY, "policy_cost")]
    width = max(len(r.name) for r in rows)
    units = {r.name: r.shown_unit for r in rows}
    unit_width = max(len("unit"), *(len(u) for u in units.values()))
    lines = [f"{'outcome':<{width}}  {'unit':<{unit_width}}  {int(first['year']):>12}  {int(last['year']):>12}"]
    for r in rows:
        lines.append(f"{r.name:<{width}}  {units[r.name]:<{unit_width}}  {r.format(first[r.name]):>12}  "
                     f"{r.format(last[r.name]):>12}")
    made = tables.provenance()
    commit = f", commit {made['commit'][:10]}{'+' * made['commit'].endswith('+')}" if made["commit"] else ""
    lines.append(f"one run, seed {result.model.scenario.seed}: a single draw of the context's shocks and of the "
                 "households' chances; another seed moves these figures (for a figure to quote, its spread "
                 "over seeds: territory-abm compare SCENARIO --seeds 8 --out DIR, its summary.csv); "
                 f"territory-abm {made['version']}{commit} (run.json records the parameters)")
    lines += scale_lines(result.model.scenario.households_scale)
    lines += emptied_lines(float(first["population"]), float(last["population"]))
    lines += typology_lines(result.typology, result.model.scenario.typology.as_dict())
    lines += context_lines(result.model.params)
    lines += turnover_lines(result.model.params, getattr(result.model, "start_rest_poverty_miss", None),
                            result.model.territory.ids)
    lines += start_poverty_lines(result.model)
    lines += start_income_mix_lines(result.model)
    lines += start_jobs_lines(result.model)
    return "\n".join(lines)


def start_jobs_lines(model) -> list[str]:
    """Below a run's summary: the units that start with less than 0.9 of their table's wage jobs
    (``tables.start_wage_jobs``). Without job turnover, against the jobs the draw placed: a wage
    job more would pay a household more than the income drawn for it. With turnover (the
    default), against the table's: at the wage per worker the table implies (its non-farm share
    of income over its wage share of adults) fewer adults would take a wage job than the table
    has, their farms or enterprises earning more (a researcher's trial, session 51: a unit with
    wage_share 0.6 and nonfarm_income_share 0.1 started with 351 of 2,559 jobs, unnamed)."""
    turnover = model.params.job_separation_rate > 0
    against = "table" if turnover else "drawn"
    short = [f"{node} {j['kept'] / j[against]:.0%}" for node, j in start_wage_jobs(model).items()
             if j[against] > 0 and j["kept"] < 0.9 * j[against]]
    if not short:
        return []
    why = ("at the wage per worker their table implies (nonfarm_income_share of income over wage_share of "
           "adults) fewer adults take a wage job than the table has, their own farms or enterprises earning "
           "more: check wage_share against nonfarm_income_share" if turnover else
           "a wage job more would pay a household more than the income drawn for it from the tables")
    return ["", "fewer wage jobs at the start than the data give (these municipalities start with this share "
            f"of their table's wage jobs: {why}; run.json: start_wage_jobs; docs/model_choices.md, "
            f"\"{START_JOBS_SECTION}\"): " + ", ".join(short)]


def emptied_lines(start: float, end: float) -> list[str]:
    """Below the summary of a run that lost more than half its people: that its poverty and
    inequality then move because the poor left (a researcher's trial, session 24: at
    migration_network_weight 1.3 the territory fell from 14,760 to 1,042 people and poverty to
    0, with no word). Nothing for a run that kept them."""
    if not start > 0 or end >= 0.5 * start:
        return []
    return [f"note: the territory lost {1 - end / start:.0%} of its people ({start:,.0f} -> {end:,.0f}): its poverty "
            "and inequality move because people left, not because those who stay are better off; check the "
            "migration parameters (--set) against the out-migration the territory has"]


def scale_lines(scale: float) -> list[str]:
    """Below a printed table of counts and totals: at a ``households_scale`` below 1, that they
    are the simulated territory's (none at full scale)."""
    if scale == 1:
        return []
    return [f"(households_scale {scale:g}: persons, firms, hectares and USD totals are the simulated territory's; "
            f"divide by {scale:g} for the whole territory)"]


IDLE_UNLESS = {"climate_shock_loss": "climate_shock_probability", "market_price_persistence": "market_price_volatility",
               "wage_pass_through": "national_income_growth", "productivity_pass_through": "national_income_growth",
               "transfer_pass_through": "national_income_growth"}
"""Context drivers that act only where another is not 0 (not named in a run's context line then)."""


def start_poverty_lines(model) -> list[str]:
    """Below a run's summary: the units whose starting poverty differs from their table's
    ``poverty_rate`` by more than ``data.territory.START_POVERTY_TOLERANCE`` beyond the draw's sampling
    error (``tables.start_poverty``; a user's trial, session 25:
    a table's 0.20 started at 0.528 without a word, and the README called the rate a check)."""
    miss = getattr(model, "start_rest_poverty_miss", None)  # by node: the start's jobs against the drawn incomes
    index = {nid: i for i, nid in enumerate(model.territory.ids)}
    far, at_jobs = [], False
    for node, p in start_poverty(model).items():
        gap = p["start"] - p["table"]
        if abs(gap) <= p["tolerance"]:
            continue
        jobs = miss[index[node]] if miss is not None else 0.0
        # most of the gap at the start's jobs: said, with what makes it likely (a user's trial, session 53)
        mostly = abs(jobs) > POVERTY_MISS_SHOWN and jobs * gap > 0 and abs(jobs) >= 0.5 * abs(gap)
        at_jobs = at_jobs or mostly
        far.append(f"{node} {p['start']:.3f} (table {p['table']:.3f}"
                   + (f"; {100 * jobs:+.1f} points of it at the start's jobs)" if mostly else ")"))
    if not far:
        return []
    why = (" Where most of it is at the start's jobs, the jobs drawn at rest move households across the poverty "
           "line: a narrow income distribution (a low income_gini, such as one init derives from mean_income and "
           "poverty_rate alone) puts many near it; the example's units (income_gini 0.43-0.53) start within "
           f"{START_POVERTY_TOLERANCE:g}." if at_jobs else "")
    return ["", f"starting poverty differs from the table's poverty_rate by more than {START_POVERTY_TOLERANCE:g} "
            "beyond the draw's sampling error (the start draws incomes from mean_income and income_gini as a "
            "lognormal; the poverty rate only checks them: where these disagree, check the three columns; "
            "run.json: start_poverty): " + ", ".join(far) + "." + why]


def start_income_mix_lines(model) -> list[str]:
    """Below a run's summary: the units whose starting share of income earned outside farming
    differs from their table's ``nonfarm_income_share`` by more than
    ``data.territory.START_INCOME_MIX_TOLERANCE`` (``tables.start_income_mix``; the example's units
    start within 0.04 of theirs since session 51)."""
    far = [f"{node} {m['start']:.2f} (table {m['table']:.2f})" for node, m in start_income_mix(model).items()
           if abs(m["start"] - m["table"]) > START_INCOME_MIX_TOLERANCE]
    if not far:
        return []
    return ["", f"starting non-farm share of income (wages and enterprises) differs from the table's "
            f"nonfarm_income_share by more than {START_INCOME_MIX_TOLERANCE:g} in these units (run.json: "
            "start_income_mix): " + ", ".join(far) + ". The start pays the table's share of income as wages; "
            "farm income is what is left after wages, public income, dividends and remittances, and goes to "
            "enterprises where the farms cannot earn it (a city's farms earn at most the territory's farm "
            "productivity, city_farm_tfp_ceiling); where wage workers hold more of the income than the share "
            "gives them it rises. Check wage_share, mean_income and nonfarm_income_share (wages and non-farm "
            "enterprises; transfers and remittances not counted)."]


def context_lines(params) -> list[str]:
    """Below a run's summary: the births and deaths and the context drivers in force where they
    are not the registry's defaults (what moves the territory without any policy; drivers that
    act only with another, :data:`IDLE_UNLESS`, not where it is 0), or, where none is declared, that the
    registry's defaults are no context (births 0.020 against deaths 0.006, no income growth:
    the population grows and income per person falls; a user's trial, session 25)."""
    idle = {name for name, rate in IDLE_UNLESS.items() if params[rate] == 0}  # e.g. a shock's size without shocks
    drivers = [name for name, spec in REGISTRY.items() if spec.group == CONTEXT_GROUP and name not in idle]
    declared = [name for name in drivers if params[name] != REGISTRY[name].default]
    if declared:
        shown = ["birth_rate", "death_rate"] + [name for name in declared if name not in ("birth_rate", "death_rate")]
        return ["", "context (what moves the territory without any policy; the registry's defaults for the rest): "
                + ", ".join(f"{name} {params[name]:g}" for name in shown)]
    return ["", f"note: the scenario declares no [context], so the registry's defaults apply: births "
            f"{params.birth_rate:g} a person and year against deaths {params.death_rate:g} with no income growth, "
            "which is neither a territory held flat nor a plausible decade; declare the territory's own in "
            "its [context] table (README, \"Writing a scenario\": scenarios/baseline.toml has a documented "
            "one, scenarios/stationary.toml one held flat)"]


TURNOVER_SECTION = "A start at turnover's rest"
"""The section of docs/model_choices.md on the start with job turnover."""
POVERTY_MISS_SHOWN = 0.02
"""A municipality whose starting poverty at turnover's rest misses its drawn incomes' by more
than this (share of people) is named in the run's summary."""


def turnover_lines(params, poverty_miss: np.ndarray | None = None, names=None) -> list[str]:
    """Below a summary, where jobs turn over (``job_separation_rate`` > 0, the default since
    session 35): without the wage premium, that the start at turnover's rest is far from the
    tables' poverty, and the municipalities whose starting poverty misses the drawn incomes' by
    more than ``POVERTY_MISS_SHOWN`` (``poverty_miss`` by node, ``names`` of the nodes: the run's
    summary gives their ids, as its other lines do). At
    the defaults the start at turnover's rest is the stationary scenario's rest in total, so it
    says nothing more (until session 34 it said that the run did not yet hold that start)."""
    if params.job_separation_rate <= 0:
        return []
    lines = []
    if params.wage_residual_sd <= 0:
        lines += ["", "note: job_separation_rate above 0 without a wage premium (wage_residual_sd 0) starts the jobs "
                  "at turnover's rest with a poverty far below the tables' (0.30 against 0.34 in the example); "
                  f"about 0.8 reaches them (docs/model_choices.md, \"{TURNOVER_SECTION}\")."]
    if poverty_miss is not None:
        far = [f"{names[i]} {100 * poverty_miss[i]:+.1f}" for i in np.flatnonzero(np.abs(poverty_miss) > POVERTY_MISS_SHOWN)]
        if far:
            lines += ["", "note: starting poverty at the start's jobs (drawn where job turnover keeps them) against "
                      "the poverty of the incomes drawn from the tables, in points, where it misses by more than "
                      f"{100 * POVERTY_MISS_SHOWN:g}: " + ", ".join(far)]
    return lines


def typology_lines(table: pd.DataFrame, tolerances: dict[str, float]) -> list[str]:
    """The typology part of the summary: per group (rural municipalities, intermediate
    cities, both) the count, share of units and share of population of each type, and
    how many units improved, did not change (within the tolerance) or worsened per dimension."""
    shares = type_shares(table)
    tol = ", ".join(f"{k} {v:g}" for k, v in tolerances.items())
    lines = ["", f"typology (a change counts only beyond its tolerance: {tol}):"]
    for group, label in GROUPS.items():
        part = shares[shares["group"] == group]
        n = int(part[part["measure"] == "type"]["units"].sum())
        if n == 0:
            lines.append(f"  {label}: none")
            continue
        lines.append(f"  {label} ({n}): count, share of them, share of their population")
        types = part[part["measure"] == "type"].set_index("category")
        for t in TYPES:
            r = types.loc[t]
            lines.append(f"    {t:<24} {r['units']:>3}  {r['share_of_units']:6.1%}  {r['share_of_population']:6.1%}")
        for dim in DIMENSIONS:
            counts = part[part["measure"] == dim].set_index("category")["units"]
            lines.append(f"    {dim + ':':<24} " + ", ".join(f"{c} {int(counts[c])}" for c in CHANGES))
    return lines
