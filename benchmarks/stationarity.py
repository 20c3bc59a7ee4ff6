"""How far the example territory moves on its own: 20-year changes over seeds.

Runs a scenario (default ``scenarios/stationary.toml``: no policy, context held flat) for
several seeds and prints, for territory poverty, Gini and mean income per person, the mean
20-year change, its seed-to-seed standard deviation, and whether the mean change lies within
one standard deviation (the stationarity the model aims at, issue 12), then whether the seeds
tell a drift at all: Student's t of the mean change against 0 (its standard error is the sd
over the square root of the seeds) and its two-sided p-value (scipy's ``ttest_1samp``). The
first is the issue's criterion and, at a drift near one sd, passes or fails by the draw of the
seeds' spread; the second grows with the seeds (session 47: income -12 USD, sd 12, at 8 seeds,
t -2.9; at 32 seeds -15, sd 14, t -6.1). Also the spread of
per-municipality changes, and the same outcomes over the residents of the rural municipalities
and of the intermediate cities apart, with their share of the residents (a territory at rest in
total can hide parts that move the opposite way). Run the shipped baseline to see what its context does.

    python benchmarks/stationarity.py [--scenario scenarios/stationary.toml] [--seeds 8]
        [--scale 0.25] [--years 20] [--set NAME=VALUE ...]

``--set`` overrides registry parameters, e.g. ``--set clearing_propensity=0`` to see how much
of the movement a mechanism accounts for.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from scipy import stats

OUTCOMES = ("poverty_headcount", "gini_income", "mean_income_pc")
ROOT = Path(__file__).resolve().parents[1]


def seed_model(args):
    """The model of one ``run_seeds`` job: ``args`` = (scenario path, seed, households scale,
    years, parameter overrides given with ``--set``)."""
    from territory_abm import TerritoryModel, load_scenario

    path, seed, scale, years, overrides = args
    scenario = load_scenario(path).replace(seed=seed, households_scale=scale, steps=years)
    return TerritoryModel(scenario.replace(parameters=scenario.parameters.with_overrides(overrides, source="--set")))


def abroad_measures(model) -> tuple[float, float]:
    """Migrants abroad per 100 residents, and remittances from abroad as a share of income."""
    from territory_abm.model import migration

    hh = model.households
    alive = hh.alive
    abroad = hh.migrants_abroad[alive].sum()
    remitted = migration.remittance_per_migrant_abroad(model) * abroad
    return 100.0 * abroad / hh.members[alive].sum(), remitted / hh.income[alive].sum()


def one_run(args) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Start and end of each outcome, per-municipality poverty changes, population change, and
    migration: gross out-migration and rural municipalities' net migration (%/yr, mean over the
    years), migrants abroad per 100 residents and remittances' share of income (start, end)."""
    from territory_abm.output import tables

    model = seed_model(args)
    first = abroad_measures(model)
    start = households_at(model)
    kinds = by_kind(model)
    model.run()
    kinds = np.stack([kinds, by_kind(model)])
    territory = model.datacollector.get_model_vars_dataframe()
    nodes = tables.node_table(model)
    rural = nodes[nodes["kind"] == "municipality"].pivot(index="year", columns="node_id", values="poverty_headcount")
    ends = territory[list(OUTCOMES)].iloc[[0, -1]].to_numpy()
    population = territory["population"].iloc[-1] / territory["population"].iloc[0] - 1.0
    gross = (territory["out_migrants"] / territory["population"]).iloc[1:].mean()
    by_year = nodes[nodes["kind"] == "municipality"].groupby("year")[["net_migration", "population"]].sum()
    rural_net = (by_year["net_migration"] / by_year["population"]).iloc[1:].mean()
    migration = np.array([100 * gross, 100 * rural_net, *first, *abroad_measures(model)])
    who = who_moves_poverty(model, start)
    model.release()
    return ends, (rural.iloc[-1] - rural.iloc[0]).to_numpy(), population, migration, who, kinds


def households_at(model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The alive households' ids, members and whether they are poor."""
    hh = model.households
    alive = hh.alive
    poor = hh.income[alive] / np.maximum(hh.members[alive], 1) < model.poverty_line
    return hh.id[alive].copy(), hh.members[alive].copy(), poor


KINDS = ("municipality", "city")


def by_kind(model) -> np.ndarray:
    """(len(KINDS), 4): for rural municipalities and intermediate cities, the poverty headcount,
    Gini and mean income of their residents' income per person (persons weighted, the outcomes'
    definitions: ``distribution_kernels.household_distributions`` over the kinds as groups) and
    their share of the territory's residents."""
    from territory_abm.model.distribution_kernels import grouped_distribution

    hh = model.households
    alive = hh.alive
    names = np.asarray(model.territory.kinds)
    kind = np.select([names == name for name in KINDS], np.arange(len(KINDS)), len(KINDS))  # others left out
    group = np.where(alive, kind[hh.node], len(KINDS)).astype(np.int32)
    pc = np.ascontiguousarray(hh.income / np.maximum(hh.members, 1), float)
    persons = np.bincount(group, hh.members, minlength=len(KINDS) + 1)[:len(KINDS)]
    poor = np.bincount(group, hh.members * (pc < model.poverty_line), minlength=len(KINDS) + 1)[:len(KINDS)]
    income = np.bincount(group, hh.income, minlength=len(KINDS) + 1)[:len(KINDS)]
    gini = grouped_distribution(x=pc, weights=hh.members.astype(float), group=group, n_groups=len(KINDS)).gini
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.column_stack([poor / persons, gini, income / persons, persons / persons.sum()])


def who_moves_poverty(model, start) -> np.ndarray:
    """The poverty change taken apart by household: persons and poor persons at the start in
    households still there at the end (kept) and in those gone (died out or left whole), at the
    end in the kept households and in households added in the run (formed by adult children or
    single movers), and the households without a livelihood of their own at the end (no farm,
    wage job or enterprise: ``enterprises.without_livelihood``), their persons and poor persons."""
    from territory_abm.model.enterprises import without_livelihood

    ids0, members0, poor0 = start
    ids1, members1, poor1 = households_at(model)
    kept0, kept1 = np.isin(ids0, ids1), np.isin(ids1, ids0)
    none = without_livelihood(model)[model.households.alive]
    return np.array([members0[kept0].sum(), members0[kept0 & poor0].sum(), members0[~kept0].sum(),
                     members0[~kept0 & poor0].sum(), members1[kept1].sum(), members1[kept1 & poor1].sum(),
                     members1[~kept1].sum(), members1[~kept1 & poor1].sum(),
                     none.sum(), members1[none].sum(), members1[none & poor1].sum()], float)


def run_seeds(description: str, run, seeds: int = 8, years: int = 20, scenario: str = "stationary.toml",
              window: int | None = None):
    """Parse the common options (scenario, seeds, scale, years, workers, ``--set``; ``seeds``,
    ``years`` and ``scenario``, a file of scenarios/, their defaults; ``--window``, years a
    period, where ``window`` gives its default) and call ``run((scenario, seed, scale, years,
    overrides))`` for seeds 1.. in a process pool. Returns the options, the overrides and the
    results in seed order."""
    parser = argparse.ArgumentParser(description=description)
    if window is not None:
        parser.add_argument("--window", type=int, default=window, help="years a period of the figures")
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / scenario))
    parser.add_argument("--seeds", type=int, default=seeds)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--years", type=int, default=years)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a registry parameter (repeatable)")
    args = parser.parse_args()
    overrides = {name: float(value) for name, value in (item.split("=", 1) for item in args.set)}
    jobs = [(args.scenario, seed, args.scale, args.years, overrides) for seed in range(1, args.seeds + 1)]
    with ProcessPoolExecutor(args.workers) as pool:
        return args, overrides, list(pool.map(run, jobs))


def seed_means(description: str, run, seeds: int, years: int, window: int):
    """``run_seeds`` with ``--window``, for a ``run`` that returns a dict of arrays: prints the
    scenario, seeds, scale, years and overrides, and returns the options and each array's mean
    over the seeds."""
    args, overrides, results = run_seeds(description, run, seeds=seeds, years=years, window=window)
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    return args, {name: np.mean([r[name] for r in results], axis=0) for name in results[0]}


def periods(years: int, window: int):
    """(first, last, slice) of each period of ``window`` years in ``years`` (0-based first
    year, last exclusive; the last period may be shorter)."""
    for first in range(0, years, window):
        last = min(first + window, years)
        yield first, last, slice(first, last)


def main() -> None:
    args, overrides, results = run_seeds(__doc__.splitlines()[0], one_run)
    ends = np.stack([r[0] for r in results])            # seeds x (start, end) x outcomes
    change = ends[:, 1, :] - ends[:, 0, :]
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    print(f"{'outcome':<18} {'start':>9} {'end':>9} {'mean change':>12} {'seed sd':>9}  within one sd"
          f"  {'t':>6} {'p':>7}")
    for k, name in enumerate(OUTCOMES):
        mean, sd = change[:, k].mean(), change[:, k].std(ddof=1)
        drift = stats.ttest_1samp(change[:, k], 0.0) if len(change) > 1 and sd > 0 else None
        print(f"{name:<18} {ends[:, 0, k].mean():9.4g} {ends[:, 1, k].mean():9.4g} {mean:12.4g} {sd:9.3g}  "
              f"{'yes' if abs(mean) <= sd else 'no':<13}"
              + (f"  {drift.statistic:6.2f} {drift.pvalue:7.3f}" if drift is not None else ""))
    kinds = np.stack([r[5] for r in results])  # seeds x (start, end) x kinds x measures
    moved = kinds[:, 1] - kinds[:, 0]
    for j, kind in enumerate(KINDS):
        print(f"{kind + ' residents:':<24}" + "; ".join(
            f"{name} {kinds[:, 0, j, m].mean():{fmt}} -> {kinds[:, 1, j, m].mean():{fmt}} ({moved[:, j, m].mean():+{fmt}}, "
            f"sd {moved[:, j, m].std(ddof=1):{fmt}})"
            for m, (name, fmt) in enumerate((("poverty", ".4f"), ("Gini", ".4f"), ("income", ",.0f"),
                                             ("share of residents", ".4f")))))
    rural = np.stack([r[1] for r in results])
    print(f"rural municipalities' poverty change: mean {rural.mean():+.4f}, sd over municipalities "
          f"{rural.mean(axis=0).std(ddof=1):.4f}, sd over seeds {rural.std(axis=0, ddof=1).mean():.4f}")
    print(f"population change: {np.mean([r[2] for r in results]):+.1%}")
    mig = np.stack([r[3] for r in results])
    print(f"migration: gross out-migration {mig[:, 0].mean():.2f} %/yr, rural municipalities' net migration "
          f"{mig[:, 1].mean():+.2f} %/yr (seeds {mig[:, 1].min():+.2f} to {mig[:, 1].max():+.2f}); migrants abroad "
          f"per 100 residents {mig[:, 2].mean():.2f} -> {mig[:, 4].mean():.2f}; remittances from abroad "
          f"{mig[:, 3].mean():.2%} -> {mig[:, 5].mean():.2%} of income")
    w = np.stack([r[4] for r in results]).mean(axis=0)
    print(f"who moves poverty (persons, mean over seeds): households of the start still there "
          f"{w[1] / w[0]:.3f} -> {w[5] / w[4]:.3f} poor ({w[0]:,.0f} -> {w[4]:,.0f} persons); households gone "
          f"(died out or left whole) {w[3] / w[2]:.3f} poor at the start ({w[2]:,.0f} persons); households added "
          f"in the run {w[7] / max(w[6], 1):.3f} poor at the end ({w[6]:,.0f} persons); without a livelihood "
          f"(no farm, wage job or enterprise) at the end {w[8]:,.0f} households, {w[9]:,.0f} persons, "
          f"{w[10] / max(w[9], 1):.3f} poor")


if __name__ == "__main__":
    main()
