"""Convergence at rest: do the generated territories' rural municipalities converge in income
with nothing to make them?

Runs territories of ``experiments/ensemble_stationary.toml`` (the shipped ensemble's territories
under the stationary scenario's flat context, no drawn context) and, for each variant, prints the
slope of the rural municipalities' income growth (log, per year) on their log starting income,
pooled and within territories (each territory's units demeaned), their mean growth, and the
income change of each fifth of the municipalities by starting income, split into the change of
its stayers' income and its newcomers' income and share (:func:`parts`). A start at rest gives a
slope of about 0; the ensemble's ``income_convergence`` pattern (observed -0.01 a year, over all
units, the cities included) is read against it (README, "Territory ensembles").

    python benchmarks/convergence_at_rest.py [--territories 12] [--years 10] [--workers 2]
        [--scale 1] [VARIANT ...]

Each VARIANT is NAME=VALUE (a registry parameter; several joined by commas make one variant),
run beside the defaults, e.g. ``migration_stay_preference=10`` (almost nobody moves).
"""

from __future__ import annotations

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

DESIGN = Path(__file__).resolve().parents[1] / "experiments" / "ensemble_stationary.toml"


def parse_variant(text: str) -> dict[str, float]:
    """``NAME=VALUE[,NAME=VALUE...]`` as parameter overrides ("defaults": none), each checked
    against the registry (a ``SystemExit`` naming the problem, before any run)."""
    from territory_abm.params import REGISTRY, validate_value
    from territory_abm.suggest import did_you_mean

    if text == "defaults":
        return {}
    out = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in REGISTRY:
            raise SystemExit(f"variant {text!r}: {part!r} is not NAME=VALUE of a registry parameter"
                             f"{did_you_mean(name, REGISTRY)}")
        try:
            out[name] = validate_value(name, float(value), "variant")
        except Exception as exc:  # a value that is not a number, or out of the parameter's range
            raise SystemExit(f"variant {text!r}: {exc}") from None
    return out


def run_territory(args) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One territory's rural municipalities: log starting income per person, annual log growth
    over the years, and (units, 3) the parts of the change (:func:`parts`) (``args`` =
    (territory index, years, households scale, overrides))."""
    from territory_abm import TerritoryModel
    from territory_abm.ensemble.design import load_ensemble
    from territory_abm.ensemble.runs import generated_territory

    index, years, scale, overrides = args
    design = load_ensemble(DESIGN)
    _, territory = generated_territory(design, index)
    scenario = design.scenario.replace(seed=design.run_seeds(index)[0], steps=years, households_scale=scale)
    model = TerritoryModel(scenario, territory=territory, **overrides)
    hh = model.households
    first = {"id": hh.id.copy(), "node": hh.node.copy(), "income": hh.income.copy(), "members": hh.members.copy()}
    start = np.array(model.node_stats["mean_income_pc"], float)
    for _ in range(years):
        model.step()
    end = np.array(model.node_stats["mean_income_pc"], float)
    rural = model.populated & (np.asarray(territory.kinds) != "city")
    return np.log(start[rural]), np.log(end[rural] / start[rural]) / years, parts(model, first)[rural]


def parts(model, first: dict[str, np.ndarray]) -> np.ndarray:
    """(nodes, 3) where a node's change of income per person comes from: the change of its
    stayers' income per person (the starting households still alive at their starting node; end
    over start, each over the same households), the income per person of its newcomers at the end
    (households formed, arrived or moved in since the start) over the node's, and the newcomers'
    share of its people at the end. ``first``: the starting households' id, node, income and
    members."""
    hh, n = model.households, model.n_nodes
    alive = hh.alive
    ever = int(max(first["id"].max(initial=-1), hh.id.max(initial=-1))) + 1
    start_node = np.full(ever, -1)
    start_node[first["id"]] = first["node"]
    stayer = alive & (start_node[hh.id] == hh.node)
    newcomer = alive & ~stayer
    stayed = np.zeros(ever, bool)
    stayed[hh.id[stayer]] = True
    stayed_first = stayed[first["id"]]

    def per_person(rows, income, members, node):  # called under the errstate below
        return np.bincount(node[rows], income[rows], minlength=n) / np.bincount(node[rows], members[rows], minlength=n)

    people = np.bincount(hh.node[alive], hh.members[alive], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        stayers = (per_person(stayer, hh.income, hh.members, hh.node)
                   / per_person(stayed_first, first["income"], first["members"], first["node"]))
        newcomers = (per_person(newcomer, hh.income, hh.members, hh.node)
                     / per_person(alive, hh.income, hh.members, hh.node))
        share = np.bincount(hh.node[newcomer], hh.members[newcomer], minlength=n) / people
    return np.c_[stayers, newcomers, share]


def convergence(runs: list[tuple[np.ndarray, ...]]) -> dict[str, float]:
    """Slopes of growth on log starting income over the units of ``runs`` (one (log start,
    growth) pair of arrays per territory): ``pooled`` (OLS with an intercept) and ``within``
    (each territory's units demeaned first), and the mean growth; units whose start or growth is
    not finite (a municipality emptied) are left out."""
    runs = [(r[0][keep], r[1][keep]) for r in runs for keep in [np.isfinite(r[0]) & np.isfinite(r[1])]]
    x = np.concatenate([r[0] for r in runs])
    g = np.concatenate([r[1] for r in runs])
    xd = np.concatenate([r[0] - r[0].mean() for r in runs if r[0].size])
    gd = np.concatenate([r[1] - r[1].mean() for r in runs if r[0].size])
    dx = x - x.mean()
    return {"pooled": float((dx * (g - g.mean())).sum() / (dx * dx).sum()),
            "within": float((xd * gd).sum() / (xd * xd).sum()), "mean_growth": float(g.mean()), "units": len(x)}


def by_fifth(runs: list[tuple[np.ndarray, ...]], column: int = 1) -> np.ndarray:
    """Mean of each fifth of the units by starting income (poorest first) of the runs' annual
    growth (``column`` 1) or of their parts (``column`` 2: (fifths, 3) over :func:`parts`' columns,
    NaN left out)."""
    x = np.concatenate([r[0] for r in runs])
    values = np.concatenate([r[column] for r in runs])
    fifth = np.minimum((np.argsort(np.argsort(x)) * 5) // len(x), 4)
    return np.array([np.nanmean(values[fifth == k], axis=0) for k in range(5)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="*", help="NAME=VALUE[,NAME=VALUE], one run of the territories each")
    parser.add_argument("--territories", type=int, default=12)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"{args.territories} territories of {DESIGN.name}, {args.years} years, households scale {args.scale}, "
          "one seed each; rural municipalities' income growth (log, /yr) on log starting income")
    print(f"{'variant':40s} {'pooled':>9s} {'within':>9s} {'mean':>9s} {'units':>6s}   growth a year by fifth, "
          "poorest first; below, each fifth's parts over the whole period")
    variants = {text: parse_variant(text) for text in ["defaults", *args.variants]}  # all checked first
    with ProcessPoolExecutor(args.workers) as pool:
        for text, overrides in variants.items():
            runs = list(pool.map(run_territory, [(i, args.years, args.scale, overrides)
                                                 for i in range(args.territories)]))
            c = convergence(runs)
            fifths = " ".join(f"{v:+.4f}" for v in by_fifth(runs))
            print(f"{text:40s} {c['pooled']:+9.5f} {c['within']:+9.5f} {c['mean_growth']:+9.5f} {c['units']:6d}   "
                  f"{fifths}", flush=True)
            for k, row in enumerate(by_fifth(runs, column=2)):
                print(f"    fifth {k + 1}: stayers' income per person {row[0] - 1:+.4f} over the years; newcomers "
                      f"{row[1]:.3f} of the node's income per person, {row[2]:.3f} of its people", flush=True)


if __name__ == "__main__":
    main()
