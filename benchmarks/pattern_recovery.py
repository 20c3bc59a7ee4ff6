"""Parameter recovery of the calibration to cross-territory patterns: coverage of the
reported intervals over many known truths and many draws of territories (issue 14, item 3).

One pool of generated territories is run once at every value of a grid over the parameter's
prior (common random numbers: the same territories, contexts and seeds at every value), each
run reduced to the patterns' sufficient statistics by the calibration's own evaluator
(``PatternEvaluator``). Then, for every inner grid value taken as the truth and for several
random splits of the pool into two disjoint sets of territories:

- the *observed* patterns are those of ``--observed`` territories at the truth, with their
  standard error from the bootstrap over those territories (as
  ``calibration.synthetic.simulated_patterns`` gives it);
- the *calibration* ensemble is ``--calibration`` other territories at every grid value
  (linearly interpolated to a grid ten times finer, so that the interval is not held to
  the evaluated values);
- the estimate is the value of least distance and the interval the bootstrap of
  ``calibration.smm.bootstrap_estimates`` (territories with replacement, observed values
  drawn from their uncertainty), exactly as ``territory-abm calibrate`` computes them;

and the script prints the coverage (how often the interval held the truth, with its 95 %
Wilson interval; nominal = ``--level``), the mean interval width and the mean absolute error
as shares of the prior's width, for each size of calibration ensemble. The differential
evolution search is replaced by the grid (it only decides where vectors are evaluated;
``tests/test_pattern_calibration.py`` runs the whole command on a known truth).

    python benchmarks/pattern_recovery.py                             # migration_stay_preference
    python benchmarks/pattern_recovery.py --parameter clearing_propensity --low 0 --high 0.2
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from territory_abm.calibration import load_calibration  # noqa: E402
from territory_abm.calibration.objective import SCALE_FLOOR  # noqa: E402
from territory_abm.calibration.pattern_fit import PatternEvaluator, PatternObjective  # noqa: E402
from territory_abm.calibration.smm import bootstrap_estimates, covered_draws, re_estimates  # noqa: E402
from territory_abm.calibration.synthetic import write_patterns  # noqa: E402
from territory_abm.ensemble.patterns import BOOTSTRAP, Pattern  # noqa: E402
from territory_abm.experiments.engines import make_engine  # noqa: E402

TARGETS = [
    Pattern("forest_loss", "mean", 0.0, 1.0, "simulated", "assumption", variable="forest_change"),
    Pattern("net_migration", "mean", 0.0, 1.0, "simulated", "assumption", variable="net_migration_rate"),
    Pattern("population_growth", "mean", 0.0, 1.0, "simulated", "assumption", variable="population_growth"),
    Pattern("convergence", "slope", 0.0, 1.0, "simulated", "assumption", x="log_income_start",
            y="income_growth_log"),
]
FINE = 10
"""Interpolated values between two evaluated grid values, plus one."""
LOCAL = 8
"""Points of the emulated local design (the default ``local_points`` for one parameter)."""


def pool_values(args, directory: Path) -> tuple[np.ndarray, np.ndarray]:
    """The grid and the sums of every territory of the pool at every grid value:
    (grid, seeds, territories, patterns, SUMS)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ensemble.toml").write_text(
        f'scenario = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\nterritories = {args.pool}\n'
        f"seeds = {args.seeds}\nseed = 5\nsteps = {args.steps}\nhouseholds_scale = {args.scale}\n")
    write_patterns(TARGETS, directory / "patterns.toml")
    (directory / "calibration.toml").write_text(
        f'ensemble = "ensemble.toml"\npatterns = "patterns.toml"\nmethod = "smm"\nparameters = ["{args.parameter}"]\n'
        f"[priors]\n{args.parameter} = [{args.low}, {args.high}]\n")
    design = load_calibration(directory / "calibration.toml")
    grid = np.linspace(args.low, args.high, args.grid)
    engine = make_engine(args.workers, None)
    try:
        values = PatternEvaluator(design, directory / "out", engine).values(grid[:, None])
    finally:
        engine.close()
    return grid, values


def interpolate(grid: np.ndarray, values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Sums at ``points`` linearly interpolated between the evaluated grid values."""
    position = np.interp(points, grid, np.arange(len(grid)))
    left = np.minimum(np.floor(position).astype(int), len(grid) - 2)
    w = (position - left).reshape(-1, *[1] * (values.ndim - 1))
    return (1 - w) * values[left] + w * values[left + 1]


def optimiser_like(grid, values, objective, calib, rng, args, cover: bool, between: bool = False):
    """The vectors a search would have evaluated: ``--scattered`` draws over the prior (the
    optimiser's generations), then ``LOCAL`` Latin hypercube points within 5 % of the prior's
    width around the best (``smm.local_design`` once the population has converged) and,
    with ``cover``, the further designs of ``smm.covered_draws``; returns the bootstrap draws,
    re-estimated over the evaluated vectors or, with ``between``, between them as SMM does for
    patterns (``smm.re_estimates``, ``calibration.surrogate``)."""
    lo, hi = args.low, args.high
    points = rng.uniform(lo, hi, args.scattered)
    best = points[int(np.nanargmin(objective.distance(interpolate(grid, values, points)[:, :, calib])))]
    half = 0.05 * (hi - lo)
    local = np.clip(best - half + 2 * half * (np.arange(LOCAL) + rng.uniform(size=LOCAL)) / LOCAL, lo, hi)
    points = np.concatenate([points, local])
    seed = int(rng.integers(2**31))
    estimator = re_estimates if between else bootstrap_estimates

    def estimates() -> np.ndarray:
        return estimator(objective, points[:, None], interpolate(grid, values, points)[:, :, calib], args.bootstrap,
                         seed)

    draws = estimates()
    if cover:
        box = SimpleNamespace(lower=np.array([lo]), upper=np.array([hi]), parameters=(args.parameter,),
                              options={"local_points": LOCAL}, sampler_seed=seed)

        def redo(wider: np.ndarray) -> np.ndarray:
            nonlocal points
            points = np.concatenate([points, wider[:, 0]])
            return estimates()

        draws, _ = covered_draws(box, draws, local[:, None], redo)
    return draws


def observed_patterns(objective: PatternObjective, runs: np.ndarray, rng: np.random.Generator):
    """Pooled pattern values of ``runs`` (1, seeds, territories, patterns, SUMS) and their
    standard errors: the 5-95 % bootstrap range over territories / 3.29."""
    n = runs.shape[2]
    value = objective.simulated(runs)[0]
    draws = np.array([objective.simulated(runs, rows=rng.integers(0, n, n))[0] for _ in range(BOOTSTRAP)])
    error = (np.nanpercentile(draws, 95, axis=0) - np.nanpercentile(draws, 5, axis=0)) / (2 * 1.6449)
    return value, np.maximum(error, SCALE_FLOOR)


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a binomial share."""
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def coverage(grid, values, fine, fine_values, size: int, args, search: str = "dense") -> dict:
    patterns = tuple(TARGETS)
    weights = np.ones(len(patterns))
    plain = PatternObjective(patterns, weights, np.zeros(len(patterns)), np.ones(len(patterns)))
    rng = np.random.default_rng(2024 + size)
    width = args.high - args.low
    hits, errors, widths, truths = [], [], [], []
    for j in range(1, len(grid) - 1):
        for _ in range(args.splits):
            order = rng.permutation(values.shape[2])
            seen, calib = order[:args.observed], order[args.observed:args.observed + size]
            observed, error = observed_patterns(plain, values[j:j + 1][:, :, seen], rng)
            objective = PatternObjective(patterns, weights, observed, error)
            runs = fine_values[:, :, calib]
            estimate = fine[int(np.nanargmin(objective.distance(runs)))]
            if search == "dense":
                draws = bootstrap_estimates(objective, fine[:, None], runs, args.bootstrap, int(rng.integers(2**31)))
            else:
                draws = optimiser_like(grid, values, objective, calib, rng, args, cover=search != "optimiser",
                                       between=search == "between")
            low, high = np.quantile(draws[:, 0], [(1 - args.level) / 2, (1 + args.level) / 2])
            hits.append(low <= grid[j] <= high)
            truths.append(j)
            errors.append(abs(estimate - grid[j]) / width)
            widths.append((high - low) / width)
    n, k = len(hits), int(np.sum(hits))
    by_truth = {float(grid[j]): float(np.mean([h for h, t in zip(hits, truths) if t == j])) for j in sorted(set(truths))}
    return {"size": size, "n": n, "hits": k, "coverage": k / n, "wilson": wilson(k, n),
            "error": float(np.mean(errors)), "width": float(np.mean(widths)), "by_truth": by_truth}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parameter", default="migration_stay_preference")
    parser.add_argument("--low", type=float, default=3.0)
    parser.add_argument("--high", type=float, default=9.0)
    parser.add_argument("--grid", type=int, default=13, help="evaluated values over the prior (the ends are not truths)")
    parser.add_argument("--pool", type=int, default=60, help="territories run at every grid value")
    parser.add_argument("--observed", type=int, default=20, help="territories of the observed patterns")
    parser.add_argument("--calibration", type=int, nargs="+", default=[12, 40],
                        help="territories of the calibration ensemble (one coverage figure each)")
    parser.add_argument("--splits", type=int, default=10, help="random splits of the pool per truth")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--scale", type=float, default=0.03)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--level", type=float, default=0.9)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scattered", type=int, default=40,
                        help="vectors of the emulated optimiser before its local design")
    parser.add_argument("--searches", nargs="+", default=["dense", "optimiser", "covered", "between"],
                        choices=["dense", "optimiser", "covered", "between"], help="where vectors are evaluated "
                        "and how the bootstrap re-estimates (see the printed meaning of each)")
    parser.add_argument("--keep", type=Path, help="keep the pool's runs here (rerunning resumes from them)")
    args = parser.parse_args()
    if args.observed + max(args.calibration) > args.pool:
        parser.error("--observed plus the largest --calibration must not exceed --pool")
    print(f"{args.parameter} over [{args.low}, {args.high}]: {args.grid} grid values x {args.pool} territories x "
          f"{args.seeds} seeds, {args.steps} years, households scale {args.scale}; observed from {args.observed} "
          f"territories; {args.grid - 2} truths x {args.splits} splits; {args.level:.0%} intervals")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        grid, values = pool_values(args, args.keep or Path(tmp))
    runs = args.grid * args.pool * args.seeds
    print(f"{runs} runs in {time.perf_counter() - started:.0f} s on {args.workers} workers")
    plain = PatternObjective(tuple(TARGETS), np.ones(len(TARGETS)), np.zeros(len(TARGETS)), np.ones(len(TARGETS)))
    pooled = plain.simulated(values)
    print("pooled pattern values over the whole pool (identification: how they move with the parameter):")
    print("  " + " ".join(f"{'value':>8}" if k == 0 else f"{p.name:>18}" for k, p in enumerate([None, *TARGETS])))
    for theta, row in zip(grid, pooled):
        print(f"  {theta:8.4g} " + " ".join(f"{v:18.5g}" for v in row))
    fine = np.linspace(grid[0], grid[-1], (len(grid) - 1) * FINE + 1)
    fine_values = interpolate(grid, values, fine)
    searches = {"dense": "vectors every tenth of a grid step",
                "optimiser": f"{args.scattered} scattered vectors and {LOCAL} within 5 % around the best",
                "covered": "the same and smm.covered_draws's further local designs",
                "between": "the same, re-estimated between evaluated vectors (as SMM does for patterns)"}
    for size in args.calibration:
        for search in args.searches:
            meaning = searches[search]
            c = coverage(grid, values, fine, fine_values, size, args, search)
            print(f"{size} calibration territories, {meaning}: coverage {c['coverage']:.2f} ({c['hits']}/{c['n']}, "
                  f"95 % {c['wilson'][0]:.2f}-{c['wilson'][1]:.2f}; nominal {args.level:.2f}); mean interval width "
                  f"{c['width']:.3f} and mean |error| {c['error']:.3f} of the prior's width", flush=True)
            print("    by truth: " + ", ".join(f"{t:.4g}: {v:.1f}" for t, v in c["by_truth"].items()), flush=True)


if __name__ == "__main__":
    main()
