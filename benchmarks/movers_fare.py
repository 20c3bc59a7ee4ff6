"""How movers fare: who moves between the rural municipalities and the cities, and what they earn
a year after arriving, against what the migration choice expects.

For each direction (kind of origin -> kind of destination) and kind of move (a whole household
moving inside the territory; a single member's new household, whose origin is not traced),
prints the households a year that are still at their destination a year later, their income per person the year they leave relative to their
origin's mean (whole households), relative to their destination's mean a year after they
arrived, and the share of their persons poor then. The choice weighs a destination's residents'
mean income per person (times the mover's relative income to the power
``migration_income_persistence``), so a ratio after arrival far below the one before says that
movers expect much more than arrivals get in their first year (with job turnover they climb to
their destination's mean in a few years: docs/model_choices.md, 'How movers fare').

    python benchmarks/movers_fare.py [--seeds 4] [--years 8] [--set NAME=VALUE ...]
"""

from __future__ import annotations

import collections

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np

from stationarity import run_seeds, seed_model


def node_means(model) -> np.ndarray:
    """(n,) each node's income per person over its alive households (NaN where nobody lives)."""
    hh = model.households
    alive = hh.alive
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.bincount(hh.node[alive], hh.income[alive], minlength=model.n_nodes)
                / np.bincount(hh.node[alive], hh.members[alive], minlength=model.n_nodes))


def moves_of_the_year(model, step) -> list[tuple[int, int, int, float, str]]:
    """Run ``step`` (the year) and return its moves: (household id, origin node or -1 for a
    single mover's new household, destination node, income per person relative to the origin's
    mean before the year's migration, kind of move). Migration is the year's last phase that
    moves households, so the households of the year's end are compared with those before it."""
    from territory_abm.model import migration

    before = {}
    original = migration.migrate

    def noted(m):
        hh = m.households
        alive = hh.alive
        means = node_means(m)
        pc = hh.income[alive] / np.maximum(hh.members[alive], 1)
        before.update(zip(hh.id[alive].tolist(), zip(hh.node[alive].tolist(), (pc / means[hh.node[alive]]).tolist())))
        original(m)

    migration.migrate = noted  # TerritoryModel.step calls it through the module
    try:
        step()
    finally:
        migration.migrate = original
    hh = model.households
    alive = hh.alive
    moves = []
    for i, d in zip(hh.id[alive].tolist(), hh.node[alive].tolist()):
        origin, relative = before.get(i, (-1, np.nan))
        if origin < 0 or origin != d:
            moves.append((i, origin, d, relative, "single" if origin < 0 else "whole"))
    return moves


def where_they_are(model, moves) -> list[tuple[tuple, float, int, bool]]:
    """For each of ``moves`` (``moves_of_the_year``'s tuples: the household's id first, its
    destination third) whose household is still at its destination now: (the move, income per
    person over the destination's mean, persons, poor). Shared with ``movers_climb.py``."""
    hh = model.households
    alive = hh.alive
    at = dict(zip(hh.id[alive].tolist(), np.flatnonzero(alive).tolist()))
    means = node_means(model)
    out = []
    for move in moves:
        row = at.get(move[0])
        dest = move[2]
        if row is None or hh.node[row] != dest:
            continue
        pc = hh.income[row] / max(hh.members[row], 1)
        out.append((move, pc / means[dest], int(hh.members[row]), bool(pc < model.poverty_line)))
    return out


def one_run(args) -> list[tuple[str, str, str, float, float, int, bool]]:
    """The moves of years 1..years - 1 of one seed with how they fare a year later: (move kind,
    origin kind, destination kind, relative income before, relative income after, persons, poor
    after), for the households still at their destination."""
    model = seed_model(args)
    kinds = np.asarray(model.territory.kinds)
    out, last = [], []
    for _ in range(args[3]):
        moves = moves_of_the_year(model, model.step)
        for (_, origin, dest, relative, kind), after, persons, poor in where_they_are(model, last):
            out.append((kind, kinds[origin] if origin >= 0 else "?", kinds[dest], relative, after, persons, poor))
        last = moves
    model.release()
    return out


def main() -> None:
    args, overrides, runs = run_seeds(__doc__.splitlines()[0], one_run, seeds=4, years=8)
    groups = collections.defaultdict(list)
    for run in runs:
        for kind, origin, dest, before, after, persons, poor in run:
            groups[(kind, origin, dest)].append((before, after, persons, poor))
    years = (args.years - 1) * args.seeds
    print(f"{args.seeds} seeds, households_scale {args.scale}, moves of years 1-{args.years - 1}, {overrides}")
    print(f"{'move':6s} {'from':13s} {'to':13s} {'households/yr':>13s} {'before':>7s} {'after':>7s} {'poor after':>10s}")
    for (kind, origin, dest), rows in sorted(groups.items()):
        v = np.array(rows, float)
        before = f"{np.mean(v[:, 0]):7.2f}" if kind == "whole" else f"{'':7s}"
        print(f"{kind:6s} {origin:13s} {dest:13s} {len(v) / years:13.1f} {before} {np.mean(v[:, 1]):7.2f} "
              f"{np.average(v[:, 3], weights=v[:, 2]):10.2f}")
    print("before: income per person over the origin's mean the year of the move; after: over the destination's "
          "a year later")


if __name__ == "__main__":
    main()
