"""The experiment commands end to end: build the design, run it (resuming), write outputs."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd

from ..data.territory import load_territory
from ..outcomes import HEADLINE
from ..output import tables
from ..report import numbers
from ..runner import scale_lines, turnover_lines
from ..output.maps import comparison_map, no_geo_extra_note
from .store import ResultStore
from ..scenarios.loader import check_targets, load_scenario
from .compare import DIFFERENCE, STEADY_SEEDS, Comparison, compare_design, compare_specs, differences_text, setting_differences
from .driver import ExperimentStatus, run_experiment
from .engines import make_engine
from .plots import plot_differences, plot_differences_over_time, plot_scenario_bands, plot_typology_shares


def compare(scenario_paths: list[Path], seeds: int, out_dir: Path, workers: int | None = None,
            scheduler: str | None = None, first_seed: int = 1, progress: bool = True,
            households_scale: float | None = None, steps: int | None = None,
            parameters: dict[str, float] | None = None, command_line: dict | None = None,
            with_plots: bool = True) -> ExperimentStatus:
    """Run every scenario with seeds ``first_seed ... first_seed + seeds - 1`` and write the
    comparison tables and (``with_plots``) plots into ``out_dir`` (only once every run has
    finished; ``report`` draws its own charts from the tables, so it needs none of them); with
    ``progress``, print a summary table of the headline outcomes at the end. ``parameters``
    (``--set``) replace registry values in every scenario alike; ``command_line``, the options
    that set the comparison as given, is recorded in ``comparison.json`` (as ``run.json`` does).

    A file given more than once (the same file once resolved, as ``scenarios/baseline.toml
    scenarios/*.toml`` gives the reference twice) is compared once, in its first place, with a
    note; two different files of one scenario name are still refused (``compare_specs``).

    Warns (:class:`OneSeedWarning`) when ``seeds`` is 1: differences between scenarios
    cannot then be told from chance; and (:class:`NotOnlyPoliciesWarning`) for each scenario
    that differs from the reference in more than its policies, naming each difference, before
    any run and again under the summary table. Such a comparison still runs: comparing a policy
    under another context, or two contexts without a policy, is a question a user may ask on
    purpose, and unlike a different scale or length (refused) it keeps the runs paired.
    """
    scenario_paths, repeats = distinct_files(scenario_paths)
    for path in repeats:
        print(f"note: {path} is given more than once: it is compared once, in its first place", file=sys.stderr)
    if seeds == 1:
        warnings.warn(OneSeedWarning("compare", "--seeds", "the 5-95 % ranges over seeds are empty and a "
                                     "difference between scenarios cannot be told from chance"), stacklevel=2)
    scenarios = []
    for path in scenario_paths:
        scenario = load_scenario(path).with_command_line(households_scale, steps, parameters=parameters)
        check_targets(scenario, load_territory(scenario.territory))
        scenarios.append(scenario)
    for line in reference_notes(scenarios):
        print(line, file=sys.stderr)
    seed_list = list(range(first_seed, first_seed + seeds))
    specs = compare_specs(scenarios, seed_list)
    design = compare_design(scenarios, seed_list)
    differing = {name: d for name, d in setting_differences(design["scenarios"]).items() if d}
    for name, differences in differing.items():
        warnings.warn(NotOnlyPoliciesWarning(name, scenarios[0].name, differences), stacklevel=2)
    engine = make_engine(workers, scheduler)
    try:
        status = run_experiment(specs, out_dir, design, engine, progress, label="compare")
    finally:
        engine.close()
    if status.complete:
        write_comparison(out_dir, command_line, with_plots)
        if progress:
            print(summary_text(pd.read_csv(out_dir / "summary.csv"), seeds))
            if 1 < seeds < STEADY_SEEDS:
                print(few_seeds_note(seeds))
            for line in outlasting_notes(scenarios):
                print(line)
            for name, differences in differing.items():
                print(f"note: {name} also differs from {scenarios[0].name} in "
                      f"{', '.join(d['name'] for d in differences)} (see the warning): {name} - {scenarios[0].name} "
                      "is not its policies' effect alone.")
            for line in (scale_lines(scenarios[0].households_scale) + turnover_lines(scenarios[0].parameters)
                         + set_lines(parameters)):
                print(line)
            if with_plots and (note := no_geo_extra_note(scenarios[0].territory)):  # as run says it (the map is the reference's)
                print(note)
    return status


def reference_notes(scenarios: list) -> list[str]:
    """Notes before the runs where the reference is not what it is taken for: a comparison of one
    scenario (nothing to compare it with: its tables hold no differences and ``report`` refuses
    it), or a reference with policies beside a scenario without any (its differences are then
    the reference's policies taken away, with the sign reversed: an adviser trial, session 26,
    put the baseline second and read 'baseline lowers the mean income')."""
    reference = scenarios[0]
    if len(scenarios) == 1:
        return [f"note: {reference.name} is compared with nothing: give the reference first and the interventions "
                "after it (e.g. scenarios/baseline.toml scenarios/roads.toml); report needs at least two scenarios"]
    if not reference.policies:
        return []
    bare = [s.name for s in scenarios[1:] if not s.policies]
    return [f"note: the reference {reference.name} (the first scenario) has policies and {', '.join(bare)} "
            f"{'has' if len(bare) == 1 else 'have'} none: each difference to it is {reference.name}'s policies taken "
            "away; give the scenario without policies first"] if bare else []


def distinct_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """``paths`` in their order without a file given again (the same file once resolved:
    ``scenarios/baseline.toml`` and ``./scenarios/../scenarios/baseline.toml`` are one), and the
    repeats dropped, as given."""
    seen, kept, repeats = set(), [], []
    for path in paths:
        key = Path(path).resolve()
        (repeats if key in seen else kept).append(path)
        seen.add(key)
    return kept, repeats


def outlasting_notes(scenarios: list) -> list[str]:
    """Under a printed summary: a note for each scenario whose programmes run past the last
    simulated year (a shorter ``--steps``, or a file's own years): its final-year differences
    are those of a programme still running, its later years and their cost not simulated."""
    notes = []
    for scenario in scenarios:
        last = max((policy.end for policy in scenario.policies), default=None)
        if last is not None and last > scenario.end_year:
            notes.append(f"note: the programme of {scenario.name} runs to {last}, past the last simulated year "
                         f"{scenario.end_year}: its differences are those of a programme still running "
                         f"(its years {scenario.end_year + 1}-{last} and their cost are not simulated).")
    return notes


def few_seeds_note(seeds: int) -> str:
    """What 5-95 % ranges over ``seeds`` seeds are, said where they are shown."""
    return (f"note: with {seeds} seeds the 5-95 % ranges lie close to the smallest and largest of {seeds} paired "
            f"differences: read them as rough; {STEADY_SEEDS} or more seeds give steadier ranges.")


class OneSeedWarning(UserWarning):
    """An experiment runs one seed per point or scenario: seed noise cannot be measured.

    Parameters
    ----------
    what : str
        The command or design file.
    field : str
        The option or field that set one seed.
    consequence : str
        What cannot be measured.
    """

    def __init__(self, what: str, field: str, consequence: str) -> None:
        super().__init__(f"{what}: {field} = 1: {consequence}; use 2 or more seeds to measure seed noise")


class NotOnlyPoliciesWarning(UserWarning):
    """A scenario of a comparison differs from the reference in more than its policies.

    Parameters
    ----------
    scenario, reference : str
        The scenario's and the reference scenario's names.
    differences : list of dict
        The scenario's :func:`~territory_abm.experiments.compare.setting_differences`.
    """

    def __init__(self, scenario: str, reference: str, differences: list[dict]) -> None:
        super().__init__(f"compare: {scenario} differs from the reference {reference} in more than its policies: "
                         f"{differences_text(differences, reference)}; its differences to {reference} mix its "
                         "policies' effect with these changes (comparison.json: setting_differences; the report "
                         "says so on page one)")


def set_lines(parameters: dict | None, where: str = ", in every scenario") -> list[str]:
    """Under a printed summary: the registry values ``--set`` replaced (``where``: in which
    runs), so that a log says which settings made it (a summary with four rules on read as one
    without them)."""
    if not parameters:
        return []
    return [f"(--set{where}: " + ", ".join(f"{name}={value:g}" for name, value in parameters.items()) + ")"]


def summary_text(summary: pd.DataFrame, seeds: int | None = None) -> str:
    """The headline outcomes in the final year: the reference scenario's mean over seeds,
    and each other scenario's difference to it with its 5-95 % range over seeds, at the
    report's precision (``report.numbers.shared_places``: an outcome's differences at one
    precision, with the places that keep a share's nonzero interval ends, and the mean of an
    interval on one side of zero, from printing as 0, as in the report). Below it, where a
    scenario's programmes end before the final year, the same differences in the year they
    end (a programme that ended a year before the horizon is read there too, as the report
    does). With one seed (``seeds`` 1) the differences alone, as one run has no range."""
    one_run = seeds == 1
    periods = summary["period"] if "period" in summary.columns else pd.Series("horizon", index=summary.index)
    horizon = summary[periods == "horizon"]
    scenarios = list(dict.fromkeys(horizon["scenario"]))
    reference = scenarios[0]
    table = _difference_table(horizon, reference, scenarios, one_run=one_run)
    what = ("mean over seeds" if len(scenarios) == 1 else
            "difference to the reference in one run per scenario (no range)" if one_run else
            "difference to the reference, mean [5-95 % over seeds]")
    final = (f"final year ({int(horizon['year'].max())})" if "year" in horizon.columns and len(horizon)
             else "final year")  # a trial (session 25): the header did not say which year
    ended = summary.iloc[0:0]
    if "year" in summary.columns:  # summary.csv's rows have it (hand-made summaries may not)
        ended = summary[(periods == "programme end") & summary["scenario"].isin(scenarios[1:])
                        & (summary["year"] < horizon["year"].max())]
    # a researcher's trial (session 28) read the mix's +0.5 points of poverty in 2030, a year after its
    # programmes ended, as its effect (-1.6 in 2029, in the table below): the header says so first
    after = (f" (the programmes of {ended['scenario'].nunique()} of the {len(scenarios) - 1} interventions end "
             "before it: their effect while they run is in the second table)") if not ended.empty else ""
    text = f"{final}{after}; {what}:\n{table}"
    if not ended.empty:
        years = ended.groupby("scenario")["year"].first()
        names = [s for s in scenarios[1:] if s in years.index]
        table = _difference_table(ended, reference, [reference, *names], years=years, one_run=one_run)
        text += f"\n\nat the end of each programme (its last year in brackets; summary.csv, period 'programme end'):\n{table}"
    return text


def _difference_table(part_rows: pd.DataFrame, reference: str, scenarios: list[str],
                      years: pd.Series | None = None, one_run: bool = False) -> str:
    """The headline outcomes' rows of ``part_rows``: the reference's mean (none where ``years``
    is given: the rows are other scenarios' years) and each other scenario's difference to it
    [5-95 %] (the difference alone with ``one_run``: one seed has no range), its column headed
    with its year where ``years`` gives one."""
    rows = []
    for name in HEADLINE:
        part = part_rows[part_rows["outcome"] == name].set_index("scenario")
        if part.empty:
            continue
        unit = numbers.unit(name)
        row = {"outcome": name, "unit": "% (differences in points)" if unit == "%" else unit}
        if years is None:
            row[f"{reference} (mean)"] = _number(name, part.loc[reference, "mean"])
        differences = part.loc[scenarios[1:], list(DIFFERENCE)]
        # the report's places (numbers.shared_places): the row at one precision, and an
        # interval on one side of zero never prints as 0
        places = numbers.shared_places(name, differences.itertuples(index=False))
        for scenario, r in differences.iterrows():
            head = f"{scenario} - {reference}" + (f" ({int(years[scenario])})" if years is not None else "")
            # an interval's nonzero end never prints as 0 (numbers.interval_texts); n/a where undefined
            mean, low, high = ("n/a" if t == numbers.MISSING else t
                               for t in numbers.interval_texts(name, *r, places=places))
            row[head] = mean if one_run else f"{mean} [{low}, {high}]"
        rows.append(row)
    return _aligned(pd.DataFrame(rows))


def _aligned(df: pd.DataFrame) -> str:
    """Plain-text table: text columns left-aligned, the rest right-aligned."""
    widths = {c: max(len(c), *(len(str(v)) for v in df[c])) for c in df.columns}
    left = {"outcome", "unit"}

    def cell(column, value):
        return str(value).ljust(widths[column]) if column in left else str(value).rjust(widths[column])
    lines = ["  ".join(cell(c, c) for c in df.columns)]
    lines += ["  ".join(cell(c, v) for c, v in zip(df.columns, row)) for row in df.itertuples(index=False)]
    return "\n".join(line.rstrip() for line in lines)


def _number(name: str, value: float, signed: bool = False, places: int | None = None) -> str:
    """Outcome ``name``'s value in the report's unit and precision (``report.numbers``:
    shares in %, their differences in points, no "-0"; ``places`` after the point instead of
    the outcome's); "n/a" where undefined."""
    text = numbers.value(name, value, signed=signed, places=places)
    return "n/a" if text == numbers.MISSING else text


def _design_scenarios(out_dir: Path) -> list[dict]:
    with ResultStore(out_dir) as store:
        return store.manifest()["design"]["scenarios"]


def write_comparison(out_dir: Path, command_line: dict | None = None, with_plots: bool = True) -> list[str]:
    """Tables and (``with_plots``) plots of a finished comparison; ``comparison.json`` last, with
    the ``command_line`` options that set it as given and the files written. A comparison
    rewritten without plots removes the plots an earlier writing left, so that every file in the
    directory is of this writing."""
    marker = out_dir / "comparison.json"
    marker.unlink(missing_ok=True)  # not a finished comparison until it is rewritten
    comparison = Comparison(out_dir)
    territory, nodes, summary = comparison.territory(), comparison.nodes(), comparison.summary()
    shares = comparison.typology_shares()
    outputs = {"results.csv": nodes, "territory_results.csv": territory, "summary.csv": summary,
               "differences_by_year.csv": comparison.differences_by_year(),
               "impact.csv": comparison.impact(), "impact_by_municipality.csv": comparison.impact_by_municipality(),
               "typology_shares.csv": shares, "pairwise.csv": comparison.pairwise()}
    for name, df in outputs.items():
        tables.write_csv(df, out_dir / name)
    design = _design_scenarios(out_dir)
    written = list(outputs)
    if with_plots:
        written += _plot_comparison(out_dir, comparison, design, outputs)
    else:
        for name in COMPARISON_PLOTS:
            (out_dir / name).unlink(missing_ok=True)
    tables.write_json({"complete": True, "kind": "compare", **tables.provenance(),
                       "scenarios": comparison.scenarios, "seeds": comparison.seeds,
                       # one value each: ``compare_specs`` refuses scenarios that differ in them
                       "households_scale": design[0]["households_scale"], "steps": design[0]["steps"],
                       "reference": comparison.reference, "horizon": comparison.horizon,
                       "programme_end": comparison.programme_end, "typology": comparison.tolerances.as_dict(),
                       # each scenario as run: its file, territory, parameters and policies
                       "scenario_settings": design,
                       # per scenario after the reference: what differs from it besides the policies
                       "setting_differences": setting_differences(design),
                       "command_line": command_line or {}, "outputs": written + ["comparison.json"]},
                      out_dir / "comparison.json")
    return written


COMPARISON_PLOTS = ("scenarios.png", "typology.png", "differences.png", "differences_over_time.png", "map.png")
"""The figures a comparison writes (:func:`_plot_comparison`), those of two or more scenarios and
the map where its territory has one."""


def _plot_comparison(out_dir: Path, comparison: Comparison, design: list[dict], outputs: dict) -> list[str]:
    """The comparison's figures (:data:`COMPARISON_PLOTS`) in ``out_dir``; returns those written."""
    # the tables' totals are the simulated territory's: the figure says at what scale
    plot_scenario_bands(outputs["territory_results.csv"], comparison.scenarios, out_dir / "scenarios.png",
                        households_scale=design[0]["households_scale"])
    plot_typology_shares(outputs["typology_shares.csv"], out_dir / "typology.png")
    written = ["scenarios.png", "typology.png"]
    if len(comparison.scenarios) > 1:
        plot_differences(outputs["summary.csv"], comparison.reference, out_dir / "differences.png")
        plot_differences_over_time(outputs["differences_by_year.csv"], comparison.scenarios, comparison.programme_end,
                                   out_dir / "differences_over_time.png")
        written += ["differences.png", "differences_over_time.png"]
    if comparison_map(outputs["results.csv"], design, comparison.reference, comparison.horizon,
                      out_dir / "map.png") is not None:
        written.append("map.png")
    return written
