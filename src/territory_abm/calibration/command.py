"""``territory-abm calibrate``: fit, then write estimates, diagnostics, plots and
``calibrated.toml``; ``calibration.json`` last, only when everything was written.

Outputs in the directory: ``estimate.csv`` (per parameter: estimate, interval, prior,
narrowing, identified and why not), ``posterior.csv`` (the uncertainty sample with weights),
``evaluations.csv`` (every parameter vector run and its distance), ``history.csv`` (per
generation), ``fit.csv`` (observed vs simulated per statistic and municipality),
``predictive.csv`` (outcomes per year of the posterior predictive draws),
``posterior.png``, ``fit.png``, ``predictive.png``, ``calibrated.toml`` and
``results.sqlite`` (every run, for resuming).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..experiments.engines import make_engine
from ..output import tables
from .abc import fit_abc
from .design import CalibrationDesign, load_calibration
from .evaluate import Evaluator
from .fit import Fit
from .objective import Objective
from .pattern_design import PatternCalibrationDesign
from .pattern_fit import PatternEvaluator, PatternObjective, write_pattern_calibration
from .smm import fit_smm
from .plots import plot_fit, plot_posterior, plot_predictive
from .report import (calibrated_scenario, calibration_warnings, estimate_table, fit_summary, fit_table,
                     predictive_table)

MARKER = "calibration.json"


@dataclass
class CalibrationStatus:
    runs: int
    failures: list[tuple[str, str]]
    wall_time_s: float
    estimates: pd.DataFrame
    warnings: list[str]
    fit: dict = field(default_factory=dict)  # report.fit_summary of fit.csv, also in calibration.json

    @property
    def complete(self) -> bool:
        return not self.failures


def run_calibration(path: Path, out_dir: Path, workers: int | None = None, scheduler: str | None = None,
                    progress: bool = True, overrides: dict | None = None, with_plots: bool = True) -> CalibrationStatus:
    """Calibrate as ``path`` says into ``out_dir`` (resuming from the runs stored there);
    ``overrides`` replace the file's ``samples``, ``seeds`` or ``households_scale`` (see
    :data:`~territory_abm.calibration.design.OVERRIDES`); without ``with_plots`` no PNG is
    drawn (every table and ``calibrated.toml`` are the same)."""
    started = time.perf_counter()
    design = load_calibration(path, overrides)
    out_dir = Path(out_dir)
    engine = make_engine(workers, scheduler)
    bar = _bar(design, progress)
    to_patterns = isinstance(design, PatternCalibrationDesign)
    try:
        evaluator = (PatternEvaluator if to_patterns else Evaluator)(design, out_dir, engine, bar)
        make_objective = PatternObjective.from_pilot if to_patterns else Objective.from_pilot
        (out_dir / MARKER).unlink(missing_ok=True)  # not a finished calibration until rewritten
        fit = fit_abc(design, evaluator, design.options["population_size"], make_objective) \
            if design.method == "abc_smc" else fit_smm(design, evaluator, make_objective)
        at_estimate = evaluator.values(fit.estimate, "estimate")[0]
        draws = _predictive_draws(design, fit)
        predictive = evaluator.values(draws, "predictive")
        node_tables = [] if to_patterns else [evaluator.nodes(theta, design.seeds[0]) for theta in draws]
    finally:
        if bar is not None:
            bar.close()
        engine.close()
    wall_time = time.perf_counter() - started
    if to_patterns:
        written = write_pattern_calibration(design, fit, evaluator, at_estimate, predictive, out_dir, wall_time,
                                            with_plots)
    else:
        written = write_calibration(design, fit, evaluator, at_estimate, draws, predictive, node_tables, out_dir,
                                    wall_time, with_plots)
    failures = sorted(evaluator.failures.items())
    return CalibrationStatus(evaluator.runs, failures, time.perf_counter() - started, written.estimates,
                             written.warnings, written.fit)


class WrittenFit(NamedTuple):
    """What :func:`write_fit` wrote that the command prints: the estimates (``estimate.csv``),
    the warnings and the fit's summary (``report.fit_summary``)."""

    estimates: pd.DataFrame
    warnings: list[str]
    fit: dict


def _predictive_draws(design: CalibrationDesign, fit: Fit) -> np.ndarray:
    rng = np.random.default_rng([design.sampler_seed, 1])
    picks = rng.choice(len(fit.draws), size=design.predictive_draws, replace=True, p=fit.weights)
    return fit.draws[picks]


def write_calibration(design: CalibrationDesign, fit: Fit, evaluator: Evaluator, at_estimate: np.ndarray,
                      draws: np.ndarray, predictive: np.ndarray, node_tables: list, out_dir: Path,
                      wall_time_s: float, with_plots: bool = True) -> WrittenFit:
    predicted = predictive_table(design, node_tables)
    return write_fit(design, fit, evaluator, at_estimate, predictive, out_dir, wall_time_s,
                     tables_extra={"predictive.csv": predicted},
                     plots_extra={"predictive.png": lambda path: plot_predictive(design, predicted,
                                                                                 design.confidence_level, path)},
                     record_extra={"observations": design.observations.source,
                                   "period": [design.observations.start_year, design.observations.end_year]},
                     with_plots=with_plots)


def write_fit(design, fit: Fit, evaluator, at_estimate: np.ndarray, predictive: np.ndarray, out_dir: Path,
              wall_time_s: float, tables_extra: dict, plots_extra: dict, record_extra: dict,
              with_plots: bool = True) -> WrittenFit:
    """What every calibration writes (estimates, posterior, evaluations, history, fit, their
    plots unless not ``with_plots``, ``calibrated.toml``), the method's own tables and plots,
    then ``calibration.json`` with ``record_extra`` (what the fit was to) and the fit's summary
    (``report.fit_summary``); returns the estimates, the warnings written
    (``report.calibration_warnings``) and that summary."""
    names = list(design.parameters)
    estimates = estimate_table(design, fit)
    posterior = pd.DataFrame(fit.draws, columns=names)
    posterior["weight"] = fit.weights
    keys, thetas = evaluator.evaluated_thetas()
    evaluations = pd.DataFrame(thetas, columns=names)
    evaluations.insert(0, "key", keys)
    evaluations["distance"] = fit.objective.distance(evaluator.values(thetas))
    fit_rows = fit_table(design, fit, at_estimate, predictive)
    outputs = {"estimate.csv": estimates, "posterior.csv": posterior, "evaluations.csv": evaluations,
               "history.csv": fit.history, "fit.csv": fit_rows, **tables_extra}
    for file, df in outputs.items():
        tables.write_csv(df, out_dir / file)
    plots = {"posterior.png": lambda path: plot_posterior(design, fit, path),
             "fit.png": lambda path: plot_fit(fit_rows, design.confidence_level, path),
             **plots_extra} if with_plots else {}
    for file, plot in plots.items():
        plot(out_dir / file)
    warnings = calibration_warnings(design, fit, estimates)
    scenario_text = calibrated_scenario(design, estimates, out_dir, warnings)
    (out_dir / "calibrated.toml").write_text(scenario_text, encoding="utf-8")
    written = list(outputs) + [*plots, "calibrated.toml"]
    best = float(fit.objective.distance(at_estimate[None])[0])
    summary = fit_summary(fit_rows, design.confidence_level)
    tables.write_json({
        "complete": True, "kind": "calibration", **tables.provenance(), "name": design.name,
        "description": design.description, "source": design.source, "method": design.method,
        "options": design.options, "parameters": dict(zip(names, (list(b) for b in design.bounds))),
        "statistics": design.statistics, "seeds": list(design.seeds), "sampler_seed": design.sampler_seed,
        "scenario": design.scenario.as_dict(), **record_extra,
        "confidence_level": design.confidence_level, "identification_factor": design.identification_factor,
        "estimate": dict(zip(names, map(float, fit.estimate))), "distance_at_estimate": best, "fit": summary,
        "identified": {r.parameter: r.identified for r in estimates.itertuples(index=False)},
        "evaluated_vectors": len(keys), "runs": evaluator.runs, "notes": fit.notes, "warnings": warnings,
        "failures": dict(sorted(evaluator.failures.items())), "wall_time_s": wall_time_s,
        "outputs": written + [MARKER],
    }, out_dir / MARKER)
    return WrittenFit(estimates, warnings, summary)


def _bar(design: CalibrationDesign, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit="run", desc=f"calibrate {design.method}", dynamic_ncols=True)
