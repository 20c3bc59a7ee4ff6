"""Which incomes move the Gini: the Gini of per-person income taken apart by source
(``stats.concentration_by_source``, Lerman and Yitzhaki 1985) at the start and at the end of
a scenario's run, mean over seeds. Per source: its share of income, its concentration
coefficient (2 cov(source, rank in income) / its mean: 0 for a source shared equally,
negative for one that goes mostly to the poorest) and its contribution, share times
concentration; the contributions add up to the Gini, so their changes add up to its change.
Also for the rural municipalities' and the intermediate cities' residents apart.

    python benchmarks/gini_sources.py [--scenario scenarios/baseline.toml] [--seeds 8]
        [--scale 0.25] [--years 20] [--workers 2] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``), with the baseline as the default scenario.
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model

from territory_abm.model.stats import INCOME_SOURCES, concentration_by_source

GROUPS = ("territory", "municipality", "city")


def decomposition(model) -> np.ndarray:
    """(groups, sources + 1, 3): for each of ``GROUPS`` the Gini (last row, first column) and
    each source's share, concentration coefficient and contribution."""
    hh = model.households
    alive = hh.alive
    kinds = np.asarray(model.territory.kinds)[hh.node[alive]]
    members = hh.members[alive].astype(float)
    sources = {name: getattr(hh, name)[alive] / members for name in INCOME_SOURCES}
    out = np.full((len(GROUPS), len(INCOME_SOURCES) + 1, 3), np.nan)
    for g, group in enumerate(GROUPS):
        rows = np.ones(len(members), bool) if group == "territory" else kinds == group
        gini, parts = concentration_by_source({k: v[rows] for k, v in sources.items()}, members[rows])
        out[g, :-1] = [parts[name] for name in INCOME_SOURCES]
        out[g, -1] = gini
    return out


def one_run(args) -> tuple[np.ndarray, np.ndarray, float]:
    model = seed_model(args)
    start, persons = decomposition(model), model.households.members[model.households.alive].sum()
    model.run()
    end = decomposition(model)
    growth = model.households.members[model.households.alive].sum() / persons - 1.0
    model.release()
    return start, end, growth


def finite_mean(x: np.ndarray) -> float:
    """The mean of the finite values of ``x`` (NaN where none is: a source nobody received)."""
    return float(x[np.isfinite(x)].mean()) if np.isfinite(x).any() else float("nan")


def main() -> None:
    args, overrides, results = run_seeds(__doc__.splitlines()[0], one_run, scenario="baseline.toml")
    start = np.stack([r[0] for r in results])  # seeds x groups x (sources + 1) x 2
    end = np.stack([r[1] for r in results])
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    print(f"population change {np.mean([r[2] for r in results]):+.1%}")
    for g, group in enumerate(GROUPS):
        gini0, gini1 = start[:, g, -1, 0], end[:, g, -1, 0]
        change = gini1 - gini0
        print(f"\n{group}: Gini {gini0.mean():.4f} -> {gini1.mean():.4f} (change {change.mean():+.4f}, "
              f"seed sd {change.std(ddof=1) if len(change) > 1 else float('nan'):.4f})")
        print(f"{'source':<18} {'share':>15} {'concentration':>17} {'contribution':>17} "
              f"{'change':>8} {'seed sd':>8}")
        for k, name in enumerate(INCOME_SOURCES):
            (s0, c0, k0), (s1, c1, k1) = start[:, g, k].T, end[:, g, k].T
            moved = k1 - k0
            print(f"{name:<18} {s0.mean():6.3f} -> {s1.mean():6.3f} {finite_mean(c0):+7.3f} -> {finite_mean(c1):+7.3f} "
                  f"{k0.mean():+7.4f} -> {k1.mean():+7.4f} {moved.mean():+8.4f} "
                  f"{moved.std(ddof=1) if len(moved) > 1 else float('nan'):8.4f}")


if __name__ == "__main__":
    main()
