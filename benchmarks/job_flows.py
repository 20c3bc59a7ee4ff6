"""Who gains wage jobs where the start should stay put: job flows of the households poor at
the start against the others (issue 12 item 1, labour side; ``tests/test_hiring.py``).

Runs the stationary scenario with what else moves it switched off (forest clearing,
migration, and births set equal to deaths: ``tests/test_hiring.py``'s ``KEPT``) for several
seeds and prints, for the initially poor and the others, summed over years and seeds: jobs
at the start and the end, separations (a worker's death, a return to the farm or a lay-off)
and hires, and each group's share of them. A hiring rule keeps the start's allocation only
if each group's share of the hires equals its share of the separations.

    python benchmarks/job_flows.py [--seeds 4] [--years 12] [--scale 0.1] [--set NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
FLOWS = ("death", "farm or lay-off", "hired")


def one_run(path: Path, seed: int, years: int, scale: float, overrides: dict[str, float]) -> dict:
    """Jobs at the start and end and the year's flows by group (initially poor, others),
    from the households' state before and after each year: a job held last year by a
    household with fewer adults now than jobs, or that died out, ended with a death; one
    not held now, with the farm or a lay-off; one held now beyond last year's, a hire."""
    from territory_abm import TerritoryModel, load_scenario

    sc = load_scenario(path).replace(households_scale=scale, steps=years, seed=seed)
    model = TerritoryModel(sc.replace(parameters=sc.parameters.with_overrides(overrides, source="--set")))
    hh = model.households
    n0 = hh.n
    groups = (hh.income / hh.members < model.poverty_line, hh.income / hh.members >= model.poverty_line)
    out = {"start": np.array([hh.employed[g].sum() for g in groups], float)}
    for name in FLOWS:
        out[name] = np.zeros(2)
    for _ in range(years):
        held, adults = hh.employed[:n0].astype(float), hh.adults[:n0].astype(float)
        model.step()
        hh = model.households
        now = np.where(hh.alive[:n0], hh.employed[:n0], 0).astype(float)
        died = np.where(hh.alive[:n0], np.maximum(held - adults, 0.0), held)
        kept = np.minimum(held, adults) * hh.alive[:n0]
        for k, g in enumerate(groups):
            out["death"][k] += died[g].sum()
            out["farm or lay-off"][k] += np.maximum(kept - now, 0.0)[g].sum()
            out["hired"][k] += np.maximum(now - kept, 0.0)[g].sum()
    out["end"] = np.array([np.where(hh.alive[:n0], hh.employed[:n0], 0)[g].sum() for g in groups], float)
    model.release()
    return out


def main() -> None:
    from test_hiring import KEPT

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "stationary.toml"))
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--years", type=int, default=12)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    overrides = dict(KEPT) | {k: float(v) for k, v in (item.split("=", 1) for item in args.set)}
    runs = [one_run(Path(args.scenario), seed, args.years, args.scale, overrides) for seed in range(1, args.seeds + 1)]
    total = {key: sum(r[key] for r in runs) for key in runs[0]}
    print(f"{Path(args.scenario).name}: {args.seeds} seeds, {args.years} years, scale {args.scale}, {overrides}")
    print(f"{'jobs':<16} {'initially poor':>14} {'others':>10} {'poor share':>10}")
    for key in ("start", *FLOWS, "end"):
        poor, others = total[key]
        print(f"{key:<16} {poor:14.0f} {others:10.0f} {poor / max(poor + others, 1e-9):10.3f}")
    separations = sum(total[key] for key in FLOWS[:2])
    print(f"separations: poor share {separations[0] / max(separations.sum(), 1e-9):.3f}; "
          f"hires: poor share {total['hired'][0] / max(total['hired'].sum(), 1e-9):.3f}")


if __name__ == "__main__":
    main()
