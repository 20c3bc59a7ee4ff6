"""Towns and the labour market, per node kind: what the start keeps of the tables and how
the first 20 years move it (issue 13 items 1 and 2).

Runs a scenario (default ``scenarios/stationary.toml``) for several seeds and prints, per
node kind (rural municipality, intermediate city): the wage-job share of working-age adults
at the start against the table's ``wage_share``, the non-farm share of household income at
the start and at the end against the table's ``nonfarm_income_share`` (non-farm: everything
but farm sales), the population change over the run, the share of households running a
non-farm enterprise at the start and the end, the firms' mean starting wage per worker, and
commuters per year by home node kind.

    python benchmarks/towns.py [--scenario scenarios/stationary.toml] [--seeds 4]
        [--scale 0.25] [--years 20] [--set NAME=VALUE ...]
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model
KINDS = ("municipality", "city")


def kind_figures(model) -> dict[str, np.ndarray]:
    """Per node kind (order of ``KINDS``): adults, wage jobs held by residents, income, farm
    income, population, the tables' adult-weighted wage share and income-weighted non-farm
    share, households, households running an enterprise, and the mean wage per worker of
    the kind's firms (USD/yr)."""
    hh, t = model.households, model.territory
    n = model.n_nodes
    alive = hh.alive
    node_adults = np.bincount(hh.node, hh.adults * alive, minlength=n).astype(float)
    node_jobs = np.bincount(hh.node, hh.employed * alive, minlength=n).astype(float)
    node_income = np.bincount(hh.node, hh.income * alive, minlength=n)
    node_farm = np.bincount(hh.node, hh.farm_income * alive, minlength=n)
    node_pop = np.bincount(hh.node, hh.members * alive, minlength=n).astype(float)
    node_households = np.bincount(hh.node, alive, minlength=n).astype(float)
    owners = getattr(hh, "enterprise_capital", np.zeros(hh.n)) > 0  # none before issue 13
    node_owners = np.bincount(hh.node, owners & alive, minlength=n).astype(float)
    ft = model.firm_table
    workers = getattr(ft, "workers", None)  # persons; before pay per skill unit, ``labour`` counted them
    node_labour = np.bincount(ft.node, (ft.labour if workers is None else workers) * ft.alive, minlength=n)
    node_bill = np.bincount(ft.node, ft.wage * ft.labour * ft.alive, minlength=n)
    out = {}
    for kind in KINDS:
        sel = np.asarray(t.kinds) == kind
        out[kind] = np.array([node_adults[sel].sum(), node_jobs[sel].sum(), node_income[sel].sum(),
                              node_farm[sel].sum(), node_pop[sel].sum(),
                              np.average(np.nan_to_num(t.table["wage_share"][sel]), weights=node_adults[sel]),
                              np.average(np.nan_to_num(t.table["nonfarm_income_share"][sel]),
                                         weights=node_income[sel]),
                              node_households[sel].sum(), node_owners[sel].sum(),
                              node_bill[sel].sum() / max(node_labour[sel].sum(), 1e-9)])
    return out


def one_run(args):
    years = args[3]
    model = seed_model(args)
    first = kind_figures(model)
    kinds = np.asarray(model.territory.kinds)
    commuters = []  # per year: commuters living in each kind of node (``KINDS`` order)
    for _ in range(years):
        model.step()
        commuters.append([float(model.flows.commuters[kinds == kind].sum()) for kind in KINDS])
    last = kind_figures(model)
    model.release()
    return first, last, np.array(commuters)


def main() -> None:
    args, overrides, results = run_seeds(__doc__.splitlines()[0], one_run, seeds=4)
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    print(f"{'kind':<13} {'wage share':>10} {'table':>6} {'non-farm start':>14} {'end':>6} {'table':>6} "
          f"{'population change':>17} {'enterprises start':>17} {'end':>5} {'wage start':>10} "
          f"{'commuters/yr: year 1':>20} {'mean':>5} {'last':>5}")
    commuters = np.stack([r[2] for r in results])  # seeds x years x kinds
    for k, kind in enumerate(KINDS):
        first = np.stack([r[0][kind] for r in results]).mean(axis=0)
        last = np.stack([r[1][kind] for r in results]).mean(axis=0)
        print(f"{kind:<13} {first[1] / first[0]:10.3f} {first[5]:6.2f} {1 - first[3] / first[2]:14.3f} "
              f"{1 - last[3] / last[2]:6.3f} {first[6]:6.2f} {last[4] / first[4] - 1:+17.1%} "
              f"{first[8] / first[7]:17.3f} {last[8] / last[7]:5.3f} {first[9]:10.0f} "
              f"{commuters[:, 0, k].mean():20.0f} {commuters[:, :, k].mean():5.0f} {commuters[:, -1, k].mean():5.0f}")
    print("commuters: residents of the kind working in another node (persons at the run's scale, mean over seeds)")


if __name__ == "__main__":
    main()
