"""Parameter recovery of the calibration to cross-territory patterns: coverage of the
reported intervals over several known truths (issue 14, item 3).

For each truth (a Latin hypercube over the inner 80 % of the priors), the patterns below
are simulated by an ensemble at that truth with its own territories, contexts and seeds
(``calibration.synthetic.simulated_patterns``: observed value = the ensemble's value,
tolerance = two bootstrap standard errors), the calibration is run on them exactly as
``territory-abm calibrate`` runs a patterns file, and the script prints, per parameter, how
often the truth lay inside the reported interval (coverage; nominal = the confidence level)
and the mean absolute error of the estimate as a share of the prior's width.

    python benchmarks/pattern_recovery.py                   # 6 truths, 12 territories x 2 seeds
    python benchmarks/pattern_recovery.py --truths 3 --territories 20
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.stats import qmc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from territory_abm.calibration import run_calibration  # noqa: E402
from territory_abm.calibration.synthetic import simulated_patterns, write_patterns  # noqa: E402
from territory_abm.ensemble.design import load_ensemble  # noqa: E402
from territory_abm.ensemble.patterns import Pattern  # noqa: E402

PRIORS = {"clearing_propensity": (0.0, 0.2), "migration_stay_preference": (3.0, 9.0)}
TARGETS = [
    Pattern("forest_loss", "mean", 0.0, 1.0, "simulated", "assumption", variable="forest_change"),
    Pattern("net_migration", "mean", 0.0, 1.0, "simulated", "assumption", variable="net_migration_rate"),
    Pattern("population_growth", "mean", 0.0, 1.0, "simulated", "assumption", variable="population_growth"),
    Pattern("convergence", "slope", 0.0, 1.0, "simulated", "assumption", x="log_income_start",
            y="income_growth_log"),
]


def truths(count: int, seed: int) -> list[dict[str, float]]:
    u = qmc.LatinHypercube(d=len(PRIORS), seed=seed).random(count)
    return [{name: float(lo + (0.1 + 0.8 * x) * (hi - lo)) for (name, (lo, hi)), x in zip(PRIORS.items(), row)}
            for row in u]


def case(directory: Path, truth: dict, index: int, args) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    ensemble = directory / "ensemble.toml"
    ensemble.write_text(f'scenario = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n'
                        f"territories = {args.territories}\nseeds = {args.seeds}\nseed = 5\nsteps = {args.steps}\n"
                        f"households_scale = {args.scale}\n")
    observed = simulated_patterns(load_ensemble(ensemble), TARGETS, truth, seed=1000 + index,
                                  out_dir=directory / "truth", workers=args.workers)
    write_patterns(observed, directory / "patterns.toml")
    priors = "\n".join(f"{n} = [{lo}, {hi}]" for n, (lo, hi) in PRIORS.items())
    names = ", ".join(f'"{n}"' for n in PRIORS)
    path = directory / "calibration.toml"
    path.write_text(f'ensemble = "ensemble.toml"\npatterns = "patterns.toml"\nmethod = "smm"\n'
                    f"parameters = [{names}]\nconfidence_level = {args.level}\n[priors]\n{priors}\n"
                    f"[options]\npopsize = {args.popsize}\nmaxiter = {args.maxiter}\nbootstrap = 200\n")
    status = run_calibration(path, directory / "out", workers=args.workers, progress=False)
    return {"status": status, "estimates": status.estimates.set_index("parameter")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truths", type=int, default=6)
    parser.add_argument("--territories", type=int, default=12)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--scale", type=float, default=0.03)
    parser.add_argument("--popsize", type=int, default=5)
    parser.add_argument("--maxiter", type=int, default=6)
    parser.add_argument("--level", type=float, default=0.9)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"{args.truths} truths; ensemble {args.territories} territories x {args.seeds} seeds, {args.steps} years, "
          f"households scale {args.scale}; SMM popsize {args.popsize}, maxiter {args.maxiter}; "
          f"{args.level:.0%} intervals; {args.workers} workers")
    inside = {n: [] for n in PRIORS}
    error = {n: [] for n in PRIORS}
    started = time.perf_counter()
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k, truth in enumerate(truths(args.truths, seed=17)):
            t0 = time.perf_counter()
            result = case(Path(tmp) / f"case{k}", truth, k, args)
            runs += result["status"].runs
            parts = []
            for name, (lo, hi) in PRIORS.items():
                row = result["estimates"].loc[name]
                hit = bool(row["low"] <= truth[name] <= row["high"])
                inside[name].append(hit)
                error[name].append(abs(row["estimate"] - truth[name]) / (hi - lo))
                parts.append(f"{name} truth {truth[name]:.4g} estimate {row['estimate']:.4g} "
                             f"[{row['low']:.4g}, {row['high']:.4g}] {'in' if hit else 'OUT'}")
            print(f"truth {k}: " + "; ".join(parts) + f" ({time.perf_counter() - t0:.0f} s)", flush=True)
    print(f"\n{runs} calibration runs in {time.perf_counter() - started:.0f} s")
    for name in PRIORS:
        print(f"{name}: coverage {np.mean(inside[name]):.2f} ({sum(inside[name])}/{len(inside[name])}, nominal "
              f"{args.level:.2f}); mean |error| {np.mean(error[name]):.3f} of the prior's width")


if __name__ == "__main__":
    main()
