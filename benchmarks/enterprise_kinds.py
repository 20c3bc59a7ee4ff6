"""Household enterprises by kind over a run: those opened by own-account entry
(``enterprises.open_own_account``, the start's stock at their rest included) and the others (the
start's enterprises backed out of incomes, and entrants by the price rule), every 5 years, mean
over seeds: how many run (in the cities too), their income per resident (USD/yr; a household
whose enterprise closed in the year counts its year's enterprise income), their mean scale
(USD/yr of sales at price 1), and the populated nodes' mean expected local price. Session 52 used
it to tell where the stationary run's enterprise income goes at ``own_account_scale`` 1 and 0.25.

    python benchmarks/enterprise_kinds.py [--seeds 8] [--scale 0.25] [--years 20] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``), with the stationary scenario as the default.
"""

from __future__ import annotations

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model

EVERY = 5
"""Years between the rows printed."""
COLUMNS = ("year", "own-account", "others", "own inc/pc", "others inc/pc", "own in cities", "others in cities",
           "own scale", "others scale", "price")


def by_kind(model) -> list[float]:
    """This year's row of ``COLUMNS`` (the year left 0)."""
    hh = model.households
    running = hh.alive & (hh.enterprise_capital > 0)
    own, others = running & hh.enterprise_own_account, running & ~hh.enterprise_own_account
    city = np.asarray(model.city_nodes)[hh.node]
    persons = float(hh.members[hh.alive].sum())
    # income over every alive household of the kind, those whose enterprise closed this year included
    earned = hh.enterprise_income * hh.alive
    return [0.0, own.sum(), others.sum(), earned[hh.enterprise_own_account].sum() / persons,
            earned[~hh.enterprise_own_account].sum() / persons, (own & city).sum(), (others & city).sum(),
            hh.enterprise_scale[own].mean() if own.any() else 0.0,
            hh.enterprise_scale[others].mean() if others.any() else 0.0,
            float(np.nanmean(model.expected_local_price[model.populated]))]


def run(job) -> np.ndarray:
    model = seed_model(job)
    rows = []
    for year in range(job[3] + 1):
        if year:
            model.step()
        if year % EVERY == 0:
            rows.append([year] + by_kind(model)[1:])
    return np.array(rows, float)


def main() -> None:
    args, overrides, results = run_seeds(__doc__.splitlines()[0], run)
    print(f"stationary (or --scenario): {args.seeds} seeds, households_scale {args.scale}, {args.years} years"
          + (f", {overrides}" if overrides else ""))
    print(" ".join(f"{c:>16s}" for c in COLUMNS))
    for row in np.mean(results, axis=0):
        print(" ".join(f"{v:16.2f}" for v in row))


if __name__ == "__main__":
    main()
