"""Which households lose and gain the synthetic draw's wage jobs at the start (issue 12 item 1,
issue 13 item 1): the jobs ``start.consistent_start_jobs`` frees and hands out again.

For several seeds (scenario default ``scenarios/stationary.toml``, start only) prints, per node
kind: adults, the tables' wage jobs, the draw's jobs, the jobs kept; then by group (farming or
not, with migrants abroad at the start or not, third of schooling over the territory's
households) the draw's jobs, the jobs lost and gained and those kept; and, among households with
an adult free to take one more job (two on a farm, which keeps one), those whose income (the
tables', remittances included) cannot pay it beside their public income and a tenth of it for
a farm ("priced out"), against the rest (their farm wants the worker, or no job was left).
Figures are summed over seeds.

    python benchmarks/start_jobs.py [--seeds 4] [--scale 0.25] [--scenario ...] [--workers 2]
        [--set NAME=VALUE ...]
"""

from __future__ import annotations

from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
from stationarity import run_seeds

KINDS = ("municipality", "city")


def one_run(args) -> dict[str, np.ndarray]:
    """Counts by node kind (rows of ``KINDS``) for one seed (the start only: ``years`` unused)."""
    path, seed, scale, _years, overrides = args
    from territory_abm import TerritoryModel, load_scenario
    from territory_abm.model import start

    seen = {}
    original = start.consistent_start_jobs

    def record(model, cols, init, public, farms, skill, table_jobs):
        seen.setdefault("drawn", cols["employed"].copy())  # the draw's jobs: the first call's
        out = original(model, cols, init, public, farms, skill, table_jobs)
        seen.update(public=public.copy(), farms=farms.copy(), skill=skill.copy())
        return out

    start.consistent_start_jobs = record
    try:
        sc = load_scenario(path).replace(households_scale=scale, seed=seed, steps=1)
        model = TerritoryModel(sc.replace(parameters=sc.parameters.with_overrides(overrides, source="--set")))
    finally:
        start.consistent_start_jobs = original
    hh = model.households
    kind = np.asarray(model.territory.kinds)[hh.node]
    drawn, kept, farms = seen["drawn"].astype(np.int64), hh.employed.astype(np.int64), seen["farms"]
    third = np.searchsorted(np.quantile(hh.education, [1 / 3, 2 / 3]), hh.education)
    groups = {"farming": farms, "not farming": ~farms, "migrants abroad": hh.migrants_abroad > 0,
              "none abroad": hh.migrants_abroad == 0}
    groups |= {f"schooling third {k + 1}": third == k for k in range(3)}
    free = hh.adults - kept >= np.where(farms, 2, 1)
    left = hh.income - model.initial_wage[hh.node] * seen["skill"] * (kept + 1) - seen["public"]
    priced = free & (left < np.where(farms, start.MIN_FARM_INCOME_SHARE * hh.income, 0.0))
    table = start.table_wage_jobs(model, hh.node, hh.adults)
    out = {}
    for name in KINDS:
        sel = kind == name
        row = [hh.adults[sel].sum(), table[np.unique(hh.node[sel])].sum(), drawn[sel].sum(), kept[sel].sum()]
        for g in groups.values():
            s = sel & g
            row += [drawn[s].sum(), np.maximum(drawn - kept, 0)[s].sum(), np.maximum(kept - drawn, 0)[s].sum(),
                    kept[s].sum()]
        row += [(sel & free).sum(), (sel & priced).sum()]
        out[name] = np.array(row, float)
    out["groups"] = list(groups)
    model.release()
    return out


def main() -> None:
    args, overrides, runs = run_seeds(__doc__.splitlines()[0], one_run, seeds=4)
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, households_scale {args.scale}"
          + (f", {overrides}" if overrides else "") + " (summed over seeds)")
    for name in KINDS:
        row = sum(r[name] for r in runs)
        adults, table, drawn, kept = row[:4]
        print(f"\n{name}: adults {adults:.0f}, tables' jobs {table:.0f} ({table / adults:.3f}), drawn {drawn:.0f}, "
              f"kept {kept:.0f} ({kept / adults:.3f})")
        print(f"  {'group':<20} {'drawn':>7} {'lost':>6} {'gained':>6} {'kept':>7}")
        for k, group in enumerate(runs[0]["groups"]):
            d, lost, gained, k_ = row[4 + 4 * k: 8 + 4 * k]
            print(f"  {group:<20} {d:7.0f} {lost:6.0f} {gained:6.0f} {k_:7.0f}")
        free, priced = row[-2:]
        print(f"  households with an adult free for one more job: {free:.0f}; priced out by their income: "
              f"{priced:.0f}; the rest (farm wants the worker, or no job left): {free - priced:.0f}")


if __name__ == "__main__":
    main()
