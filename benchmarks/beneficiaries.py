"""Where a programme's beneficiaries' income gain comes from, by income column.

Runs a policy scenario and its reference (default: ``scenarios/cash_transfers.toml`` against
``scenarios/baseline.toml``) on the same seeds and, as ``impact.csv`` counts beneficiaries (the
starting households a programme reached, from the year it first reached them, in the years
they live in the territory in both runs, during the programme's years), sums the change of
each of their income columns against the same households in the reference run, per USD of
programme cost over those years. Also members, adults, wage jobs, migrants abroad (person-years)
and assets (USD) per million USD of cost, to show who stays. The income columns add up to the
income row.

    python benchmarks/beneficiaries.py [--scenario scenarios/cash_transfers.toml]
        [--reference scenarios/baseline.toml] [--seeds 8] [--scale 0.25]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
INCOME = ("transfer_income", "wage_income", "farm_income", "enterprise_income", "other_income",
          "remittance_income", "income")
OTHER = ("members", "adults", "employed", "migrants_abroad", "assets")


def by_id(model, column: str, n0: int) -> np.ndarray:
    """A household column at the starting households' ids (0 where a household does not live)."""
    hh = model.households
    return hh.by_id(getattr(hh, column) * hh.alive)[:n0].astype(float)


def one_seed(args) -> tuple[dict[str, float], float]:
    """Changes of the beneficiaries' columns summed over the programme years (USD or persons),
    and the programme cost over those years (USD)."""
    scenario_path, reference_path, seed, scale = args
    from territory_abm import TerritoryModel, load_scenario
    from territory_abm.experiments.compare import programme_years

    models = [TerritoryModel(load_scenario(path).replace(seed=seed, households_scale=scale))
              for path in (scenario_path, reference_path)]
    run, ref = models
    scenario = run.scenario
    first, last = programme_years(scenario.as_dict(), scenario.start_year, scenario.start_year + scenario.steps)
    n0 = run.households.n
    reached = np.zeros(n0, bool)
    change = dict.fromkeys(INCOME + OTHER, 0.0)
    cost = 0.0
    for _ in range(run.scenario.steps):
        for m in models:
            m.step()
        reached |= by_id(run, "programmes", n0) != 0
        if not first <= run.year <= last:
            continue
        cost += run.territory_stats["policy_cost"] - ref.territory_stats["policy_cost"]
        both = reached & (by_id(run, "alive", n0) > 0) & (by_id(ref, "alive", n0) > 0)
        for column in change:
            change[column] += float((by_id(run, column, n0) - by_id(ref, column, n0))[both].sum())
    return change, cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "cash_transfers.toml"))
    parser.add_argument("--reference", default=str(ROOT / "scenarios" / "baseline.toml"))
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--scale", type=float, default=0.25)
    args = parser.parse_args()
    jobs = [(args.scenario, args.reference, seed, args.scale) for seed in range(1, args.seeds + 1)]
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(one_seed, jobs))
    print(f"{Path(args.scenario).name} against {Path(args.reference).name}: {args.seeds} seeds, households_scale "
          f"{args.scale}; beneficiaries' change per USD of programme cost, programme years")
    print(f"{'column':28s} {'mean':>10s} {'seed sd':>9s} {'min':>10s} {'max':>10s}")
    for column in INCOME + OTHER:
        per = 1.0 if column in INCOME else 1e6  # persons and assets per million USD
        values = np.array([per * change[column] / cost for change, cost in results])
        label = column if column in INCOME else f"{column} per M USD"
        print(f"{label:28s} {values.mean():10.4f} {values.std(ddof=1) if len(values) > 1 else np.nan:9.4f} "
              f"{values.min():10.4f} {values.max():10.4f}")
    print("programme cost per seed (USD, simulated):", ", ".join(f"{cost:,.0f}" for _, cost in results))


if __name__ == "__main__":
    main()
