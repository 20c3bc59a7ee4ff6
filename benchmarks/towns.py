"""Towns and the labour market, per node kind: what the start keeps of the tables and how
the first 20 years move it (issue 13 items 1 and 2).

Runs a scenario (default ``scenarios/stationary.toml``) for several seeds and prints, per
node kind (rural municipality, intermediate city): the wage-job share of working-age adults
at the start against the table's ``wage_share``, the non-farm share of household income at
the start and at the end against the table's ``nonfarm_income_share`` (non-farm: everything
but farm sales), commuters per year, and the population change over the run.

    python benchmarks/towns.py [--scenario scenarios/stationary.toml] [--seeds 4]
        [--scale 0.25] [--years 20] [--set NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("municipality", "city")


def kind_figures(model) -> dict[str, np.ndarray]:
    """Per node kind (order of ``KINDS``): adults, wage jobs held by residents, income, farm
    income, population, and the tables' adult-weighted wage share and income-weighted
    non-farm share."""
    hh, t = model.households, model.territory
    n = model.n_nodes
    alive = hh.alive
    node_adults = np.bincount(hh.node, hh.adults * alive, minlength=n).astype(float)
    node_jobs = np.bincount(hh.node, hh.employed * alive, minlength=n).astype(float)
    node_income = np.bincount(hh.node, hh.income * alive, minlength=n)
    node_farm = np.bincount(hh.node, hh.farm_income * alive, minlength=n)
    node_pop = np.bincount(hh.node, hh.members * alive, minlength=n).astype(float)
    out = {}
    for kind in KINDS:
        sel = np.asarray(t.kinds) == kind
        out[kind] = np.array([node_adults[sel].sum(), node_jobs[sel].sum(), node_income[sel].sum(),
                              node_farm[sel].sum(), node_pop[sel].sum(),
                              np.average(np.nan_to_num(t.table["wage_share"][sel]), weights=node_adults[sel]),
                              np.average(np.nan_to_num(t.table["nonfarm_income_share"][sel]),
                                         weights=node_income[sel])])
    return out


def one_run(args):
    path, seed, scale, years, overrides = args
    from territory_abm import TerritoryModel, load_scenario

    scenario = load_scenario(path).replace(seed=seed, households_scale=scale, steps=years)
    scenario = scenario.replace(parameters=scenario.parameters.with_overrides(overrides, source="--set"))
    model = TerritoryModel(scenario)
    first = kind_figures(model)
    commuters = []
    for _ in range(years):
        model.step()
        commuters.append(float(model.flows.commuters.sum()))
    last = kind_figures(model)
    model.release()
    return first, last, np.array(commuters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "stationary.toml"))
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a registry parameter (repeatable)")
    args = parser.parse_args()
    overrides = {name: float(value) for name, value in (item.split("=", 1) for item in args.set)}
    jobs = [(args.scenario, seed, args.scale, args.years, overrides) for seed in range(1, args.seeds + 1)]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(one_run, jobs))
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    print(f"{'kind':<13} {'wage share':>10} {'table':>6} {'non-farm start':>14} {'end':>6} {'table':>6} "
          f"{'population change':>17}")
    for kind in KINDS:
        first = np.stack([r[0][kind] for r in results]).mean(axis=0)
        last = np.stack([r[1][kind] for r in results]).mean(axis=0)
        print(f"{kind:<13} {first[1] / first[0]:10.3f} {first[5]:6.2f} {1 - first[3] / first[2]:14.3f} "
              f"{1 - last[3] / last[2]:6.3f} {first[6]:6.2f} {last[4] / first[4] - 1:+17.1%}")
    commuters = np.stack([r[2] for r in results])
    print(f"commuters per year (territory, mean over seeds): year 1 {commuters[:, 0].mean():.0f}, "
          f"mean over the run {commuters.mean():.0f}, last year {commuters[:, -1].mean():.0f}")


if __name__ == "__main__":
    main()
