"""Parameter recovery of the calibration: coverage of the reported intervals over several
known truths.

For each truth (a Latin hypercube over the inner 80 % of the priors), observations are
simulated by the model at that truth with its own seed (start and end year of the example
territory, optional census noise), the calibration is run on them exactly as
``territory-abm calibrate`` runs, and the script prints, per parameter, how often the truth
lay inside the reported interval (coverage; nominal = the confidence level) and the mean
absolute error of the estimate as a share of the prior's width.

    python benchmarks/recovery.py                         # SMM, 8 truths
    python benchmarks/recovery.py --method abc_smc --truths 4
    python benchmarks/recovery.py --noise 0.02            # census noise on every column
    python benchmarks/recovery.py --se 0.02 0.08          # small-area estimates: poverty with a standard
                                                          # error drawn per municipality and year in [2, 8]
                                                          # points, noise at it, the errors used as weights
    python benchmarks/recovery.py --census 5 10           # censuses 5 and 10 years after the start (and the start)
    python benchmarks/recovery.py --keep DIR --municipal  # also the intervals of the bootstrap used until
                                                          # 2026-12-01 (municipalities resampled) on the same runs
    python benchmarks/recovery.py --keep DIR              # keep each truth's calibration in DIR (a second
                                                          # call resumes from its stored runs) and write
                                                          # DIR/recovery.csv, one row per truth and parameter
    python benchmarks/recovery.py --keep DIR --only 0 1 2 # some of the truths (run the others in other processes)
    python benchmarks/recovery.py --keep DIR --report     # the table over every DIR/recovery*.csv
    python benchmarks/recovery.py --keep DIR2 --se 0.02 0.08 --reuse DIR
                                                          # start each truth's store with the runs of DIR's
                                                          # calibration of the same truth (same runs: only the
                                                          # observations differ), so shared vectors run once
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
import pandas as pd
from scipy.stats import binomtest, qmc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from territory_abm.calibration import load_calibration, run_calibration  # noqa: E402
from territory_abm.calibration.command import MARKER  # noqa: E402
from territory_abm.calibration.evaluate import Evaluator  # noqa: E402
from territory_abm.calibration.report import weighted_quantile  # noqa: E402
from territory_abm.calibration.smm import bootstrap_estimates, fit_smm  # noqa: E402
from territory_abm.calibration.synthetic import simulated_observations, write_observations  # noqa: E402
from territory_abm.params import REGISTRY  # noqa: E402
from territory_abm.experiments.engines import make_engine  # noqa: E402
from territory_abm.experiments.store import STORE_NAME, ResultStore  # noqa: E402
from territory_abm.scenarios.loader import load_scenario  # noqa: E402

PARAMETERS = ["migration_stay_preference", "birth_rate", "frontier_clearing_rate"]
PRIORS = {"frontier_clearing_rate": (0.0, 0.02)}
"""The clearing parameter is the frontier's rate (session 28; clearing_propensity until then):
the start backs out each node's clearing hurdle from it, so the propensity no longer sets how
much forest is cleared and the census changes cannot identify it (README, "Observations")."""
STATISTICS = {"net_migration_rate": 1.0, "population_growth": 1.0, "forest_change": 1.0, "income_growth_log": 0.5,
              "poverty_change": 0.5}
LEVEL = 0.9
"""Confidence level of the calibrations' intervals (the calibration files' default)."""
OPTIONS = {"smm": "popsize = 6\nmaxiter = 12\nbootstrap = 200\n",
           "abc_smc": "population_size = 60\ngenerations = 5\npilot = 6\n"}


def bounds(name: str) -> tuple[float, float]:
    return PRIORS.get(name, (REGISTRY[name].low, REGISTRY[name].high))


def truths(count: int, seed: int) -> list[dict[str, float]]:
    u = qmc.LatinHypercube(d=len(PARAMETERS), seed=seed).random(count)
    out = []
    for row in u:
        values = {}
        for name, x in zip(PARAMETERS, row):
            lo, hi = bounds(name)
            values[name] = float(lo + (0.1 + 0.8 * x) * (hi - lo))
        out.append(values)
    return out


def write_case(directory: Path, truth: dict, seed: int, args) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    base = load_scenario(ROOT / "scenarios" / "baseline.toml").replace(households_scale=args.scale)
    noise = {c: args.noise for c in ("population", "mean_income_pc", "poverty_headcount", "gini_income",
                                     "forest_cover", "net_migration")} if args.noise else None
    census = [base.start_year + y for y in (args.census or [args.years])]
    observations = simulated_observations(base, truth, seed, max(args.census or [args.years]), noise, with_start=True,
                                          census_years=census)
    if args.se:
        observations = with_standard_errors(observations, "poverty_headcount", args.se, seed)
    write_observations(observations, directory / "observations.csv")
    scenario = os.path.relpath(ROOT / "scenarios" / "baseline.toml", directory)
    priors = "".join(f"{n} = [{lo!r}, {hi!r}]\n" for n, (lo, hi) in PRIORS.items())
    stats = "".join(f"{k} = {v}\n" for k, v in STATISTICS.items())
    names = ", ".join(f'"{n}"' for n in PARAMETERS)
    path = directory / "calibration.toml"
    path.write_text(f'name = "recovery"\nscenario = "{scenario}"\nobservations = "observations.csv"\n'
                    f'method = "{args.method}"\nseeds = {args.seeds}\nhouseholds_scale = {args.scale}\n'
                    f"parameters = [{names}]\n\n[priors]\n{priors}\n[statistics]\n{stats}\n"
                    f"[options]\n{OPTIONS[args.method]}")
    return path


def with_standard_errors(observations, column: str, span: tuple[float, float], seed: int):
    """``column`` with noise at a standard error drawn per row uniformly in ``span`` (clipped
    to [0, 1]), and the errors in ``se_<column>``, as small-area estimates are published."""
    rng = np.random.default_rng([seed, 7])
    se = rng.uniform(*span, len(observations))
    observations = observations.copy()
    observations[column] = np.clip(observations[column] + se * rng.standard_normal(len(se)), 0.0, 1.0)
    observations[f"se_{column}"] = se
    return observations


def reuse_runs(case: Path, source: Path, out: Path) -> int:
    """Copy into the new store ``out`` the finished runs of the calibration stored in
    ``source`` when both run the same scenario (steps, scale) at the same seeds: a run is the
    model at a parameter vector and a seed, whatever the observations, so the calibration
    finds them stored instead of running them again. Returns the number copied (0 when
    ``out`` already has a store, the designs' runs differ or ``source`` has not finished:
    reading a store that another process is still writing can make that process's next
    commit fail with "database is locked", as it did once)."""
    if (out / STORE_NAME).exists() or not (source / MARKER).exists():
        return 0
    wanted = load_calibration(case).as_dict()
    with ResultStore(source) as store:
        stored = store.manifest()["design"]

    def runs(design: dict) -> str:  # what the runs depend on (not where the scenario file was named from)
        scenario = {k: v for k, v in design["scenario"].items() if k != "source"}
        return json.dumps([scenario, design["seeds"]], sort_keys=True, default=str)

    if runs(stored) != runs(wanted):
        return 0
    ResultStore(out, wanted).close()  # the calibration's own manifest (its Evaluator claims this design)
    with contextlib.closing(sqlite3.connect(out / STORE_NAME)) as db:
        db.execute("ATTACH DATABASE ? AS source", (str(source / STORE_NAME),))
        with db:
            db.execute("INSERT INTO runs SELECT * FROM source.runs WHERE status = 'ok'")
        return db.execute("SELECT count(*) FROM runs").fetchone()[0]


def municipal_intervals(case: Path, out: Path, level: float) -> dict[str, tuple[float, float]]:
    """Intervals of the bootstrap used until 2026-12-01 (municipalities and seeds resampled,
    the observed values kept) on the stored runs of a finished SMM calibration (its search
    replayed from the store: no new runs)."""
    design = load_calibration(case)
    engine = make_engine(1, None)
    try:
        evaluator = Evaluator(design, out, engine)
        fit = fit_smm(design, evaluator)
        _, thetas = evaluator.evaluated_thetas()
        draws = bootstrap_estimates(replace(fit.objective, realizations=None), thetas, evaluator.values(thetas),
                                    design.options["bootstrap"], design.sampler_seed)
    finally:
        engine.close()
    weights = np.full(len(draws), 1.0 / len(draws))
    return {name: (weighted_quantile(draws[:, j], weights, (1 - level) / 2),
                   weighted_quantile(draws[:, j], weights, (1 + level) / 2))
            for j, name in enumerate(design.parameters)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=sorted(OPTIONS), default="smm")
    parser.add_argument("--truths", type=int, default=8)
    parser.add_argument("--seeds", type=int, default=4, help="replicate seeds per evaluation")
    parser.add_argument("--scale", type=float, default=0.1, help="households scale of the territory")
    parser.add_argument("--years", type=int, default=10, help="years between the two census dates")
    parser.add_argument("--census", type=int, nargs="+", metavar="YEARS",
                        help="census dates as years after the start (default: --years), e.g. 5 10")
    parser.add_argument("--noise", type=float, default=0.0, help="census noise (see simulated_observations)")
    parser.add_argument("--se", type=float, nargs=2, metavar=("LOW", "HIGH"),
                        help="poverty observed with noise at a standard error in [LOW, HIGH], stated in the data")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--municipal", action="store_true",
                        help="also report the bootstrap used until 2026-12-01 (municipalities resampled; smm)")
    parser.add_argument("--only", type=int, nargs="+", metavar="K", help="run only these truths (0-based), e.g. "
                        "to share them among processes with the same --keep")
    parser.add_argument("--keep", type=Path, help="directory for the calibrations (kept; resumed when run again)")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="a --keep directory of the same truths whose stored runs start each new calibration's store")
    parser.add_argument("--report", action="store_true",
                        help="run nothing: the table over every DIR/recovery*.csv of --keep (truths run in parts)")
    args = parser.parse_args()
    if args.report:
        if args.keep is None:
            parser.error("--report needs --keep DIR")
        parts = [pd.read_csv(f) for f in sorted(args.keep.glob("recovery*.csv"))]
        if not parts:
            parser.error(f"no recovery*.csv in {args.keep}")
        summarise(pd.concat(parts).drop_duplicates(["truth", "parameter"], keep="last"))
        return
    rows = []
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        tmp = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for k, truth in enumerate(truths(args.truths, seed=11)):
            if args.only is not None and k not in args.only:
                continue
            path = write_case(Path(tmp) / f"truth{k}", truth, seed=1000 + k, args=args)
            if args.reuse:
                copied = reuse_runs(path, args.reuse / f"out{k}", Path(tmp) / f"out{k}")
                print(f"truth {k + 1}: {copied} runs reused from {args.reuse / f'out{k}'}", flush=True)
            status = run_calibration(path, Path(tmp) / f"out{k}", workers=args.workers, progress=False)
            old = municipal_intervals(path, Path(tmp) / f"out{k}", LEVEL) if args.municipal else {}
            line = []
            for row in status.estimates.itertuples(index=False):
                rows.append({"truth": k, "parameter": row.parameter, "true": truth[row.parameter],
                             "estimate": row.estimate, "low": row.low, "high": row.high,
                             **({"municipal_low": old[row.parameter][0], "municipal_high": old[row.parameter][1]}
                                if old else {})})
                line.append(f"{row.parameter} {truth[row.parameter]:.4g} -> {row.estimate:.4g} "
                            f"[{row.low:.4g}, {row.high:.4g}]")
            print(f"truth {k + 1}/{args.truths} ({status.runs} runs): " + "; ".join(line), flush=True)
    if args.keep:
        name = "recovery.csv" if args.only is None else f"recovery_{'_'.join(map(str, args.only))}.csv"
        pd.DataFrame(rows).to_csv(args.keep / name, index=False)
    print(f"\n{args.method}: {len(rows) // len(PARAMETERS)} truths, {args.seeds} seeds per evaluation, scale {args.scale}, "
          f"censuses after {args.census or [args.years]} years, noise {args.noise}, poverty standard errors {args.se}; "
          f"{time.perf_counter() - started:.0f} s")
    summarise(pd.DataFrame(rows))


def summarise(rows: pd.DataFrame) -> None:
    """Per parameter: coverage of the intervals, mean absolute error and mean interval width
    (shares of the prior's width); over all, the coverage with its 95 % (Wilson) interval;
    the same for the former bootstrap's intervals where ``rows`` has them."""
    width = rows["parameter"].map(lambda n: bounds(n)[1] - bounds(n)[0])
    columns = [("", "low", "high")]
    if "municipal_low" in rows and rows["municipal_low"].notna().any():
        columns.append(("the same runs, municipalities resampled (the bootstrap used until 2026-12-01):",
                        "municipal_low", "municipal_high"))
    for title, low, high in columns:
        table = rows.dropna(subset=[low, high])
        hit = (table[low] <= table["true"]) & (table["true"] <= table[high])
        if title:
            print(f"\n{title}")
        print(f"{'parameter':<28}{'coverage':>10}{'nominal':>9}{'mean |error| / prior width':>30}{'interval / prior':>18}")
        for name in PARAMETERS:
            mine = table["parameter"] == name
            error = ((table["estimate"] - table["true"]).abs() / width)[mine].mean()
            print(f"{name:<28}{hit[mine].mean():>10.2f}{LEVEL:>9.2f}{error:>30.3f}"
                  f"{((table[high] - table[low]) / width)[mine].mean():>18.3f}")
        ci = binomtest(int(hit.sum()), len(hit)).proportion_ci(0.95, method="wilson")
        print(f"{'all':<28}{hit.mean():>10.2f}{LEVEL:>9.2f}   {int(hit.sum())} of {len(hit)} intervals held the truth "
              f"(95 % interval of the coverage {ci.low:.2f}-{ci.high:.2f}) over {table['truth'].nunique()} truths")


if __name__ == "__main__":
    main()
