"""Household enterprises by kind over a run: those opened by own-account entry
(``enterprises.open_own_account``, the start's stock at their rest included) and the others (the
start's enterprises backed out of incomes, and entrants by the price rule), every 5 years, mean
over seeds: how many run (in the cities too), their income per resident (USD/yr; an enterprise
that closed in the year counts its year's income under its kind), their mean scale
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


def own_account_ids(model) -> np.ndarray:
    """Ids of the households running an enterprise opened by own-account entry."""
    hh = model.households
    return hh.id[hh.alive & hh.enterprise_own_account & (hh.enterprise_capital > 0)]


def by_kind(model, before: np.ndarray) -> list[float]:
    """This year's row of ``COLUMNS`` (the year left 0); ``before``: :func:`own_account_ids` at
    the year's start. A year's enterprise income is own-account where the household ran such an
    enterprise at the year's start or runs one now: closing one (``enterprises.close``, after the
    year's sales) clears its mark, and its year's income would otherwise count as the others'."""
    hh = model.households
    running = hh.alive & (hh.enterprise_capital > 0)
    own, others = running & hh.enterprise_own_account, running & ~hh.enterprise_own_account
    city = np.asarray(model.city_nodes)[hh.node]
    persons = float(hh.members[hh.alive].sum())
    earned = hh.enterprise_income * hh.alive
    own_year = hh.enterprise_own_account | np.isin(hh.id, before)
    return [0.0, own.sum(), others.sum(), earned[own_year].sum() / persons,
            earned[~own_year].sum() / persons, (own & city).sum(), (others & city).sum(),
            hh.enterprise_scale[own].mean() if own.any() else 0.0,
            hh.enterprise_scale[others].mean() if others.any() else 0.0,
            float(np.nanmean(model.expected_local_price[model.populated]))]


def run(job) -> np.ndarray:
    model = seed_model(job)
    rows = []
    before = own_account_ids(model)
    for year in range(job[3] + 1):
        if year:
            before = own_account_ids(model)
            model.step()
        if year % EVERY == 0:
            rows.append([year] + by_kind(model, before)[1:])
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
