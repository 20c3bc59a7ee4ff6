"""``territory-abm sensitivity``: sample, run on an engine (resumable), analyse, write.

Outputs in the directory (``sensitivity.json`` last, only once every run finished):
``sample.csv`` (the points, as SALib drew them), ``outputs.csv`` (one row per run: point,
seed, parameter values, outcomes), ``analysed.csv`` (per point, the mean over seeds that
SALib analyses), ``indices.csv`` and ``indices.json`` (indices with confidence
intervals), ``indices.png``, and ``results.sqlite`` (every run's tables).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..experiments.commands import OneSeedWarning
from ..experiments.driver import ExperimentStatus, run_experiment
from ..experiments.engines import make_engine
from ..experiments.runs import RunSpec, read_result
from ..experiments.store import ResultStore
from ..output import tables
from .analysis import (WIDEST_SHARE_INTERVAL, analyse, indices_json, noise_share, point_values, sample_hash,
                       sample_points, to_whole_territory, unreadable_indices)
from .design import SensitivityDesign, load_design
from .outcomes import NOT_DATED, run_outcomes
from .plots import plot_indices

ROLES = ("scenario", "reference")


def design_sample(design: SensitivityDesign) -> np.ndarray:
    return sample_points(design.method, design.problem, design.samples, design.options, design.settings)


def sensitivity_specs(design: SensitivityDesign, x: np.ndarray) -> list[RunSpec]:
    """One run per point and seed (and per role when there is a reference scenario)."""
    specs = []
    names = list(design.parameters)
    # outcomes are final-year values and start-to-end changes: medians and Ginis are needed
    # in those two years only
    analysed_years = (design.scenario.start_year, design.scenario.end_year)
    roles = [("scenario", design.scenario)] + ([("reference", design.reference)] if design.reference else [])
    for point, row in enumerate(x):
        overrides = point_values(names, row)
        for seed in design.seeds:
            for role, scenario in roles:
                suffix = "" if role == "scenario" else "/reference"
                specs.append(RunSpec(f"point={point:06d}/seed={seed}{suffix}", scenario, seed, overrides,
                                     labels={"point": point, "role": role}, keep_nodes=False,
                                     distribution_years=analysed_years))
    return specs


class WideIntervalsWarning(UserWarning):
    """Sobol indices whose intervals cover the shares' whole range (0 to 1) wherever they lie:
    ``unreadable`` maps each outcome to them (``analysis.unreadable_indices``)."""

    def __init__(self, source: str, unreadable: dict[str, list[str]]) -> None:
        listed = "; ".join(f"{outcome}: {', '.join(names[:4])}" + (f" and {len(names) - 4} more" if len(names) > 4
                                                                     else "")
                           for outcome, names in unreadable.items())
        super().__init__(f"{source}: the intervals of some indices cover the whole range of a share of variance, "
                         f"0 to 1, wherever their estimate lies (half-width above {WIDEST_SHARE_INTERVAL:g}), so they "
                         f"cannot be read ({listed}); "
                         "use more samples (a larger N) or fewer, less noisy outcomes")


class ProgrammeEndedWarning(UserWarning):
    """A design reads its yearly outcomes in the last simulated year, after the scenario's
    programmes have ended (a researcher's trial, session 24: the cash transfer's effect on
    poverty read in 2030, the year after it stopped, had the opposite sign of 2029's)."""

    def __init__(self, design) -> None:
        super().__init__(f"{design.source}: the scenario's programmes end in {design.programme_end}, before the last "
                         f"simulated year {design.scenario.end_year}: yearly outcomes are read in "
                         f"{design.scenario.end_year}, after the programmes stopped; set year = \"programme_end\" "
                         "(or a year) in the design to read them while the programmes run")


def run_sensitivity(path: Path, out_dir: Path, workers: int | None = None, scheduler: str | None = None,
                    progress: bool = True, overrides: dict | None = None) -> ExperimentStatus:
    """Run the design in ``path`` into ``out_dir`` (resuming) and write the analysis when complete.

    ``overrides`` replace the design's ``samples``, ``seeds``, ``steps`` or
    ``households_scale`` (a quick try from the command line). Warns
    (:class:`~territory_abm.experiments.commands.OneSeedWarning`) when the design runs one
    seed per point: ``seed_noise_share`` is then undefined (``null``).
    """
    design = load_design(path, overrides)
    if design.year is None and design.programme_end is not None and set(design.outcomes) - NOT_DATED:
        warnings.warn(ProgrammeEndedWarning(design), stacklevel=2)
    if len(design.seeds) == 1:
        warnings.warn(OneSeedWarning(design.source, "seeds", "seed_noise_share in sensitivity.json is null and "
                                     "the indices cannot be told apart from seed noise"), stacklevel=2)
    x = design_sample(design)
    record = {**design.as_dict(), "sample_sha256": sample_hash(x)}
    specs = sensitivity_specs(design, x)
    engine = make_engine(workers, scheduler)
    try:
        status = run_experiment(specs, out_dir, record, engine, progress, label=f"sensitivity {design.method.name}")
    finally:
        engine.close()
    if status.complete:
        write_sensitivity(design, x, out_dir)
    return status


EMPTIED = 0.5
"""A run whose population ends below this share of its start has emptied: most of its people
left, and poverty or inequality 'falls' because the poor are gone (a researcher's trial,
session 24: the registry's range of ``migration_network_weight`` reaches values at which the
example territory fell from 14,760 to 1,042 people in 20 years)."""


NOISY = 0.2
"""Share of an outcome's variance across runs that is between seeds of one point above which
its indices partly measure chance (a researcher's trial, session 24: seed noise was 31-50 % of
the variance and every parameter got a Sobol ST of about 1 with S1 about 0)."""


class SeedNoiseWarning(UserWarning):
    """Seed noise is a large share of some outcomes' variance across a design's runs."""

    def __init__(self, source: str, noisy: dict[str, float]) -> None:
        listed = ", ".join(f"{name} {share:.0%}" for name, share in noisy.items())
        super().__init__(f"{source}: seed noise is more than {NOISY:.0%} of the variance across runs of {listed} "
                         "(sensitivity.json: seed_noise_share): their indices partly measure chance (total indices "
                         "near 1 with first-order ones near 0 can be noise, not interactions); add seeds or a "
                         "larger households_scale")


class EmptiedRunsWarning(UserWarning):
    """Some of a design's runs lost most of their population."""

    def __init__(self, source: str, emptied: dict) -> None:
        points = ", ".join(str(p) for p in emptied["points"][:10]) + (" ..." if len(emptied["points"]) > 10 else "")
        ends = emptied.get("at_range_ends", {})
        where = ("; their parameters in the outer tenth of their ranges: " + "; ".join(
            f"point {p}: " + (", ".join(f"{k}={v:g}" for k, v in ends[p].items()) or "none")
            for p in emptied["points"][:10] if p in ends)) if ends else ""
        super().__init__(f"{source}: {emptied['runs']} of {emptied['of']} runs ended with less than "
                         f"{EMPTIED:.0%} of their starting population (points {points}{where}; sensitivity.json: "
                         "emptied_runs): "
                         "the indices weigh territories that emptied, whose poverty and inequality fall as the poor "
                         "leave; narrow the ranges (the [ranges] table) to the values that keep a territory inhabited")


def collect_outputs(design: SensitivityDesign, out_dir: Path) -> tuple[pd.DataFrame, dict]:
    """One row per point and seed: parameter values and outcomes (differences to the
    reference when the design has one, with both sides kept as ``scenario:``/``reference:``);
    and the runs that emptied (population at the end below ``EMPTIED`` of the start): their
    count, the runs read, and their points."""
    rows: dict[tuple[int, int], dict] = {}
    names = list(design.outcomes)
    emptied, read = set(), 0
    with ResultStore(out_dir) as store:
        for description, payload in store.results():
            result = read_result(payload)
            key = (description["labels"]["point"], description["seed"])
            role = description["labels"]["role"]
            row = rows.setdefault(key, {"point": key[0], "seed": key[1], **description["overrides"]})
            values = run_outcomes(names, result["territory"], result["typology"], design.year)
            row.update({f"{role}:{k}": v for k, v in values.items()})
            population = result["territory"].sort_values("year")["population"].to_numpy(float)
            read += 1
            if population[-1] < EMPTIED * population[0]:
                emptied.add((key[0], key[1], role))
    df = pd.DataFrame(sorted(rows.values(), key=lambda r: (r["point"], r["seed"])))
    for name in names:
        df[name] = df[f"scenario:{name}"] - df[f"reference:{name}"] if design.reference else df[f"scenario:{name}"]
    if not design.reference:
        df = df.drop(columns=[f"scenario:{n}" for n in names])
    front = ["point", "seed", *design.parameters]
    points = sorted({point for point, _, _ in emptied})
    # a researcher's trial (session 28) was told "points 0" and had to find that point 0 put
    # migration_stay_preference at 2, the bottom of the design's range
    ends = {}
    for point in points[:10]:
        row = df[df["point"] == point].iloc[0]
        ends[point] = {name: float(row[name]) for name, (low, high) in zip(design.parameters, design.bounds)
                       if min(row[name] - low, high - row[name]) <= 0.1 * (high - low)}
    return df[front + [c for c in df.columns if c not in front]], {
        "runs": len(emptied), "of": read, "points": points, "at_range_ends": ends}


def write_sensitivity(design: SensitivityDesign, x: np.ndarray, out_dir: Path) -> list[str]:
    """Sample, outputs, indices and plots of a finished design; ``sensitivity.json`` last."""
    marker = out_dir / "sensitivity.json"
    marker.unlink(missing_ok=True)
    names, outcomes = list(design.parameters), list(design.outcomes)
    sample = pd.DataFrame(x, columns=names)
    sample.insert(0, "point", np.arange(len(x)))
    per_run, emptied = collect_outputs(design, out_dir)
    if emptied["runs"]:
        warnings.warn(EmptiedRunsWarning(design.source, emptied), stacklevel=2)
    expected = len(x) * len(design.seeds)
    if len(per_run) != expected or per_run[outcomes].shape[0] != expected:  # pragma: no cover - store damaged
        raise RuntimeError(f"{out_dir}: {len(per_run)} point-seed results, expected {expected}")
    by_point = per_run.groupby("point", sort=True)[outcomes].mean().reset_index()
    noise = noise_share(per_run, outcomes)
    noisy = {name: share for name, share in noise.items() if share > NOISY}  # NaN (one seed) is not above it
    if noisy:
        warnings.warn(SeedNoiseWarning(design.source, noisy), stacklevel=2)
    table, skipped, messages = analyse(design.method, design.problem, x, by_point[outcomes], design.options,
                                       design.settings)
    table = to_whole_territory(table, design.scenario.households_scale)
    unreadable = unreadable_indices(table)
    if unreadable:
        warnings.warn(WideIntervalsWarning(design.source, unreadable), stacklevel=2)
    outputs = {"sample.csv": sample, "outputs.csv": per_run, "analysed.csv": by_point, "indices.csv": table}
    for file, df in outputs.items():
        tables.write_csv(df, out_dir / file)
    tables.write_json({"method": design.method.name, "confidence_level": design.settings.confidence_level,
                       "indices": indices_json(table)}, out_dir / "indices.json")
    written = list(outputs) + ["indices.json"]
    if len(table):
        plot_indices(table, design.method, design.settings.confidence_level, out_dir / "indices.png",
                     title=_title(design))
        written.append("indices.png")
    tables.write_json({
        "complete": True, "kind": "sensitivity", **tables.provenance(), "name": design.name,
        "description": design.description, "source": design.source, "method": design.method.name,
        "method_title": design.method.title, "options": design.options, "samples": design.samples,
        "points": design.points, "runs": design.runs, "seeds": list(design.seeds),
        "parameters": dict(zip(names, (list(b) for b in design.bounds))), "outcomes": outcomes,
        "scenario": design.scenario.name, "reference": design.reference.name if design.reference else None,
        "steps": design.scenario.steps, "households_scale": design.scenario.households_scale,
        "year": design.scenario.end_year if design.year is None else design.year,
        "seed_noise_share": noise, "skipped_outcomes": skipped, "emptied_runs": emptied,
        "salib_warnings": messages, "unreadable_indices": unreadable, "outputs": written + ["sensitivity.json"],
    }, marker)
    return written


def _title(design: SensitivityDesign) -> str:
    what = f"{design.scenario.name} minus {design.reference.name}" if design.reference else design.scenario.name
    seeds = len(design.seeds)
    return (f"{design.method.title}: {what}, {design.points} points x {seeds} seed{'s' * (seeds != 1)}, "
            f"{design.scenario.steps} years at households_scale {design.scenario.households_scale:g} "
            f"({int(design.settings.confidence_level * 100)} % intervals)")
