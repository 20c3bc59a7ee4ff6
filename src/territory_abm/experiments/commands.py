"""The experiment commands end to end: build the design, run it (resuming), write outputs."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..data.territory import load_territory
from ..output import tables
from ..scenarios.loader import check_targets, load_scenario
from .compare import Comparison, compare_design, compare_specs
from .driver import ExperimentStatus, run_experiment
from .engines import make_engine
from .plots import plot_differences, plot_scenario_bands, plot_typology_shares


def compare(scenario_paths: list[Path], seeds: int, out_dir: Path, workers: int | None = None,
            scheduler: str | None = None, first_seed: int = 1, progress: bool = True,
            households_scale: float | None = None, steps: int | None = None) -> ExperimentStatus:
    """Run every scenario with seeds ``first_seed ... first_seed + seeds - 1`` and write the
    comparison tables and plots into ``out_dir`` (only once every run has finished)."""
    scenarios = []
    for path in scenario_paths:
        scenario = load_scenario(path)
        if households_scale is not None:
            scenario = scenario.replace(households_scale=households_scale)
        if steps is not None:
            scenario = scenario.replace(steps=steps)
        check_targets(scenario, load_territory(scenario.territory))
        scenarios.append(scenario)
    seed_list = list(range(first_seed, first_seed + seeds))
    specs = compare_specs(scenarios, seed_list)
    design = compare_design(scenarios, seed_list)
    engine = make_engine(workers, scheduler)
    try:
        status = run_experiment(specs, out_dir, design, engine, progress, label="compare")
    finally:
        engine.close()
    if status.complete:
        write_comparison(out_dir)
    return status


def write_comparison(out_dir: Path) -> list[str]:
    """Tables and plots of a finished comparison; ``comparison.json`` last."""
    marker = out_dir / "comparison.json"
    marker.unlink(missing_ok=True)  # not a finished comparison until it is rewritten
    comparison = Comparison(out_dir)
    territory, nodes, summary = comparison.territory(), comparison.nodes(), comparison.summary()
    shares = comparison.typology_shares()
    outputs = {"results.csv": nodes, "territory_results.csv": territory, "summary.csv": summary,
               "impact.csv": comparison.impact(), "impact_by_municipality.csv": comparison.impact_by_municipality(),
               "typology_shares.csv": shares}
    for name, df in outputs.items():
        tables.write_csv(df, out_dir / name)
    plot_scenario_bands(territory, comparison.scenarios, out_dir / "scenarios.png")
    plot_typology_shares(shares, out_dir / "typology.png")
    written = list(outputs) + ["scenarios.png", "typology.png"]
    if len(comparison.scenarios) > 1:
        plot_differences(summary, comparison.reference, out_dir / "differences.png")
        written.append("differences.png")
    tables.write_json({"complete": True, "kind": "compare", "version": __version__,
                       "scenarios": comparison.scenarios, "seeds": comparison.seeds,
                       "reference": comparison.reference, "horizon": comparison.horizon,
                       "programme_end": comparison.programme_end, "typology": comparison.tolerances.as_dict(),
                       "outputs": written + ["comparison.json"]},
                      out_dir / "comparison.json")
    return written
