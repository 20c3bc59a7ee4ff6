"""Which mechanisms move the patterns the model does not reproduce (issue 14): a diagnosis,
not a calibration.

Runs the shipped ensemble design (``experiments/ensemble.toml``; by default 30 territories x 1
seed) once as shipped and once for each ``PARAMETER=VALUE`` given, one parameter changed at a
time, with the same territories, contexts and seeds (common random numbers), and prints every
pattern of ``experiments/rtd_patterns.toml`` under each, with the observed value.

    python benchmarks/pattern_drivers.py [--territories 30] [--seeds 1] hiring_skill_preference=1 ...
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from territory_abm.calibration.pattern_design import with_truth
from territory_abm.ensemble.command import run_design
from territory_abm.ensemble.design import load_ensemble
from territory_abm.ensemble.patterns import evaluate, load_patterns

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "experiments" / "ensemble.toml"
PATTERNS = ROOT / "experiments" / "rtd_patterns.toml"
DEFAULT = ("hiring_skill_preference=1.0", "commute_limit=0.25", "migration_stay_preference=10.0",
           "wage_pass_through=0.0", "education_return=0.14", "landless_share=0.5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("changes", nargs="*", default=list(DEFAULT), help="PARAMETER=VALUE, one run each")
    parser.add_argument("--territories", type=int, default=30)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    patterns = load_patterns(PATTERNS)
    design = load_ensemble(DESIGN, {"territories": args.territories, "seeds": args.seeds})
    columns = {"observed": [p.observed for p in patterns]}
    with tempfile.TemporaryDirectory() as tmp:
        for change in ["as shipped", *args.changes]:
            truth = {} if change == "as shipped" else {change.split("=")[0]: float(change.split("=")[1])}
            started = time.perf_counter()
            out = Path(tmp) / str(len(columns))
            status = run_design(with_truth(design, truth, design.seed), out, workers=args.workers, progress=False)
            assert status.complete, status.failures[:3]
            units = pd.read_csv(out / "municipalities.csv", keep_default_na=False, na_values=[""])
            result = evaluate(patterns, units, seed=design.seed)
            columns[change] = [f"{v:.3g} [{lo:.3g}, {hi:.3g}]" for v, lo, hi in
                               zip(result["simulated"], result["low"], result["high"])]
            print(f"{change}: {time.perf_counter() - started:.0f} s", flush=True)
    table = pd.DataFrame(columns, index=[p.name for p in patterns])
    print(f"{args.territories} territories x {args.seeds} seeds of {DESIGN.name}; simulated [5-95 % over territories]")
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.T.to_string())


if __name__ == "__main__":
    main()
