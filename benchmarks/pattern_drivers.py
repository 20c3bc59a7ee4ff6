"""Which mechanisms move the patterns the model does not reproduce (issue 14): a diagnosis,
not a calibration.

Runs the shipped ensemble design (``experiments/ensemble.toml``; by default 30 territories x 1
seed) once as shipped and once for each ``PARAMETER=VALUE`` given, one parameter changed at a
time, with the same territories, contexts and seeds (common random numbers), and prints every
pattern of ``experiments/rtd_patterns.toml`` under each, with the observed value.

    python benchmarks/pattern_drivers.py [--territories 30] [--seeds 1] hiring_skill_preference=1 ...
    python benchmarks/pattern_drivers.py migration_move_cost=200,migration_move_cost_per_hour=5   # together

Beside the patterns it prints, under each setting, a diagnosis of the poverty-growth slope: the
slope the same income changes would give if every household's income had changed in the same
proportion (distribution-neutral growth on each municipality's starting lognormal, from its
starting poverty and Gini), and the correlations across municipalities of income growth with
the change of the Gini and with net migration: the simulated slope less the neutral one is what
changes of distribution that go with growth add.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
import pandas as pd
from scipy.stats import norm

from territory_abm.calibration.pattern_design import with_truth
from territory_abm.ensemble.command import run_design
from territory_abm.ensemble.design import load_ensemble
from territory_abm.ensemble.patterns import evaluate, load_patterns, read_units

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "experiments" / "ensemble.toml"
PATTERNS = ROOT / "experiments" / "rtd_patterns.toml"
DEFAULT = ("hiring_skill_preference=1.0", "commute_limit=0.25", "migration_stay_preference=10.0",
           "wage_pass_through=0.0", "education_return=0.14", "landless_share=0.5")


def neutral_growth_diagnosis(units: pd.DataFrame) -> dict[str, float]:
    """Over rural municipalities with poverty at the start: the slope of relative poverty change
    on relative income change as simulated, and as distribution-neutral growth would give it
    (each municipality's start a lognormal with its starting Gini and poverty, every income
    times 1 + its growth), and the correlations of growth with the Gini change and with net
    migration."""
    u = units[(units["kind"] == "municipality") & (units["poverty_start"] > 0)]
    u = u[np.isfinite(u[["income_growth_total", "poverty_change_relative", "gini_start", "gini_change",
                         "net_migration_rate"]]).all(axis=1)]
    sigma = np.sqrt(2.0) * norm.ppf((u["gini_start"] + 1.0) / 2.0)
    z = norm.ppf(u["poverty_start"].clip(1e-6, 1 - 1e-6))
    growth = u["income_growth_total"]
    neutral = norm.cdf(z - np.log1p(growth) / sigma) / u["poverty_start"] - 1.0
    return {"slope simulated": np.polyfit(growth, u["poverty_change_relative"], 1)[0],
            "slope if neutral": np.polyfit(growth, neutral, 1)[0],
            "corr(growth, Gini change)": np.corrcoef(growth, u["gini_change"])[0, 1],
            "corr(growth, net migration)": np.corrcoef(growth, u["net_migration_rate"])[0, 1]}


def parse_change(change: str) -> dict[str, float]:
    """``a=1,b=2`` -> {"a": 1.0, "b": 2.0}; "as shipped" -> {}."""
    if change == "as shipped":
        return {}
    return {k.strip(): float(v) for k, v in (part.split("=") for part in change.split(","))}


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
    diagnosis = {}
    with tempfile.TemporaryDirectory() as tmp:
        for change in ["as shipped", *args.changes]:
            truth = parse_change(change)
            started = time.perf_counter()
            out = Path(tmp) / str(len(columns))
            status = run_design(with_truth(design, truth, design.seed), out, workers=args.workers, progress=False)
            assert status.complete, status.failures[:3]
            units, territories = read_units(out)
            result = evaluate(patterns, units, seed=design.seed, territories=territories)
            columns[change] = [f"{v:.3g} [{lo:.3g}, {hi:.3g}]" for v, lo, hi in
                               zip(result["simulated"], result["low"], result["high"])]
            diagnosis[change] = neutral_growth_diagnosis(units)
            print(f"{change}: {time.perf_counter() - started:.0f} s", flush=True)
    table = pd.DataFrame(columns, index=[p.name for p in patterns])
    print(f"{args.territories} territories x {args.seeds} seeds of {DESIGN.name}; simulated [5-95 % over territories]")
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.T.to_string())
        print("\npoverty-growth slope: simulated, and if every income had grown alike (rural municipalities)")
        print(pd.DataFrame(diagnosis).T.round(3).to_string())


if __name__ == "__main__":
    main()
