"""Who receives remittances from abroad, at the start and in the run, by fifth of income per
person without them: whether the start's migrants abroad sit where the run's flows keep them.

Fifths are taken within each node of income per person less remittances, x, in two ways: x
as the start's posterior weighs it (``migration.migrants_abroad_at_rest``: the tables' income y
less the drawn migrants' remittances, m R), and x as the households start the run (their income
of the jobs drawn at turnover's rest, less remittances). For each fifth it prints, summed over
seeds (moves must cost money, as at the defaults):

- at the start: migrants abroad per household and what the birth-death chain the start assumes
  gives at the fifth's incomes, lambda(x) / r (lambda the start's yearly chance of sending one
  abroad at income y - m R, r ``migrant_return_rate``), and the share of households receiving;
  and how many starting migrants ``start.place_within_incomes`` moved beyond their household's
  room;
- in the run: net departures abroad per household-year (a household's migrants abroad up from
  one year to the next; a union brings the single's migrants with it) and net returns per
  migrant-year, by the fifth of the household's x at the start of the year; and the share of
  households receiving at the last year.

If the start were at the run's rest of who receives, a fifth's migrants abroad would be about
lambda(x) / r and about the run's departures over its returns, and the shares receiving would
hold over the years. docs/model_choices.md ("Own-account enterprises that close", its last
paragraphs) reads these figures.

    python benchmarks/remittances_at_rest.py [--scenario scenarios/stationary.toml] [--seeds 3]
        [--years 10] [--scale 0.25] [--workers 2] [--set NAME=VALUE ...]

The options are ``stationarity.py``'s (``run_seeds``).
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds, seed_model

from territory_abm.model import migration, start
from territory_abm.model.stats import grouped_fifths

FIGURES = ("weighed_households", "weighed_drawn", "weighed_chain", "households", "receiving", "drawn", "chain", "hh_years", "departures", "migrant_years", "returns",
           "end_households", "end_receiving")


def own_income_fifths(hh) -> np.ndarray:
    """Each alive household's fifth, within its node, of income per person less remittances (-1: not alive)."""
    own = (hh.income - hh.remittance_income) / np.maximum(hh.members, 1)
    return grouped_fifths(own, hh.node, hh.alive)


def by_fifth(fifth: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` summed by fifth (rows with fifth -1 left out)."""
    kept = fifth >= 0
    return np.bincount(fifth[kept], values[kept], minlength=5)


def run(args) -> tuple[dict[str, np.ndarray], int, int]:
    """The figures by fifth of one seed (``args`` as ``run_seeds`` gives them), the starting
    migrants abroad and how many of them the placement moved."""
    seen: dict = {}
    posterior, placement = migration.migrants_abroad_at_rest, start.place_within_incomes

    def record_posterior(params, steady, income, members, node, per_migrant, rng, rate=None):
        drawn, expected = posterior(params, steady, income, members, node, per_migrant, rng, rate)
        seen.update(income=income.copy(), per_migrant=per_migrant, rate=rate, members=members.copy())
        return drawn, expected

    def record_placement(drawn, room_for, expected, node, rng):
        placed = placement(drawn, room_for, expected, node, rng)
        seen["moved"] = seen.get("moved", 0) + int(np.maximum(drawn - room_for, 0).sum())
        return placed

    migration.migrants_abroad_at_rest, start.place_within_incomes = record_posterior, record_placement
    try:
        model = seed_model(args)
    finally:
        migration.migrants_abroad_at_rest, start.place_within_incomes = posterior, placement
    hh = model.households
    n = len(seen["income"])  # the start's households are the first rows
    abroad_at_start = int(hh.migrants_abroad[:n].sum())
    own = seen["income"] - hh.migrants_abroad[:n] * seen["per_migrant"]
    if seen["rate"] is None:
        raise SystemExit("remittances_at_rest.py reads the start's sending rate where moves cost money "
                         "(migration.moves_cost_money), as at the defaults")
    chance = seen["rate"](np.arange(n), np.maximum(own, 1.0))
    out = {name: np.zeros(5) for name in FIGURES}
    drawn = hh.migrants_abroad[:n].astype(float)
    # fifths of the income the posterior weighs (the tables' y less the drawn migrants' remittances)
    weighed = grouped_fifths(own / np.maximum(seen["members"], 1), hh.node[:n], np.ones(n, bool))
    out["weighed_households"] += by_fifth(weighed, np.ones(n))
    out["weighed_drawn"] += by_fifth(weighed, drawn)
    out["weighed_chain"] += by_fifth(weighed, chance / model.params.migrant_return_rate)
    # fifths of the incomes the households start the run with (those of the jobs drawn at turnover's rest)
    fifth = own_income_fifths(hh)[:n]
    out["households"] += by_fifth(fifth, np.ones(n))
    out["receiving"] += by_fifth(fifth, (drawn > 0).astype(float))
    out["drawn"] += by_fifth(fifth, drawn)
    out["chain"] += by_fifth(fifth, chance / model.params.migrant_return_rate)
    for _ in range(args[3]):
        hh = model.households
        ids, abroad, fifth = hh.id.copy(), hh.migrants_abroad.copy(), own_income_fifths(hh)
        model.step()
        hh = model.households
        rows = np.full(int(max(ids.max(initial=0), hh.id.max(initial=0))) + 1, -1)
        rows[hh.id] = np.arange(hh.n)
        now = rows[ids]
        kept = (fifth >= 0) & (now >= 0)
        kept[kept] &= hh.alive[now[kept]]
        change = np.where(kept, hh.migrants_abroad[np.maximum(now, 0)] - abroad, 0)
        fifth = np.where(kept, fifth, -1)
        out["hh_years"] += by_fifth(fifth, np.ones(len(ids)))
        out["departures"] += by_fifth(fifth, np.maximum(change, 0).astype(float))
        out["migrant_years"] += by_fifth(fifth, abroad.astype(float))
        out["returns"] += by_fifth(fifth, np.maximum(-change, 0).astype(float))
    hh = model.households
    fifth = own_income_fifths(hh)
    out["end_households"] += by_fifth(fifth, np.ones(hh.n))
    out["end_receiving"] += by_fifth(fifth, (hh.migrants_abroad > 0).astype(float))
    model.release()
    return out, abroad_at_start, seen.get("moved", 0)


def main() -> None:
    args, overrides, results = run_seeds(__doc__.split("\n\n")[0], run, seeds=3, years=10)
    total = {name: sum(r[0][name] for r in results) for name in FIGURES}
    print(f"{Path(args.scenario).name}: seeds 1-{args.seeds}, {args.years} years, households_scale {args.scale}"
          + (f", {overrides}" if overrides else ""))
    print("starting migrants abroad by seed, and those the placement moved: "
          + ", ".join(f"{abroad:,} ({moved})" for _, abroad, moved in results))
    print("fifth of income per person without remittances (within each node), poorest .. richest")

    def row(label: str, values: np.ndarray, fmt: str = "{:8.3f}") -> None:
        print(f"{label:<46}" + " ".join(fmt.format(v) for v in values))

    row("start, fifths of y - m R: migrants abroad", total["weighed_drawn"] / total["weighed_households"])
    row("start, fifths of y - m R: lambda(x) / r", total["weighed_chain"] / total["weighed_households"])
    row("start, fifths of the run's x: receiving", total["receiving"] / total["households"])
    row("start, fifths of the run's x: migrants abroad", total["drawn"] / total["households"])
    row("start, fifths of the run's x: lambda(x) / r", total["chain"] / total["households"])
    row("run: net departures abroad per household-year", total["departures"] / total["hh_years"], "{:8.4f}")
    row("run: net returns per migrant-year", total["returns"] / np.maximum(total["migrant_years"], 1), "{:8.4f}")
    row(f"year {args.years}: share of households receiving", total["end_receiving"] / total["end_households"])

if __name__ == "__main__":
    main()
