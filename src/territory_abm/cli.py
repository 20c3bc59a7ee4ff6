"""Command line: territory-abm run | compare | sensitivity | calibrate | report | dashboard | classroom | ensemble |
patterns | import | init | validate | parameters.

User errors (bad files, fields, values) print one line naming the file, the field and
what is expected, and exit with status 2; no traceback. Warnings (such as one seed, where
seed noise cannot be measured) print one line starting with "warning:".
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

from .data.territory import load_territory
from .errors import InputError
from .params import markdown_table
from .scenarios.loader import MAX_STEPS, SCENARIO_FIELDS, check_targets, load_scenario
from .suggest import not_found


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative number, got {text}")
    return value


def _steps(text: str) -> int:
    """``--steps``: years to simulate, refused outside [1, MAX_STEPS] in the words the
    scenario file's ``steps`` is (``--steps -5`` said "non-negative", ``--steps 0`` "[1, 500]")."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_STEPS:
        raise argparse.ArgumentTypeError(f"a whole number in [1, {MAX_STEPS}] yr, got {text}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def _assignment(text: str) -> tuple[str, float]:
    """``NAME=VALUE`` of ``--set``: a registry name (checked later, with "did you mean") and a number."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE (a registry parameter and a number), got {text!r}")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number after {name.strip()}=, got {value!r}") from None


def _add_set_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--set", type=_assignment, action="append", default=[], metavar="NAME=VALUE",
                        help=f"replace a registry parameter's value {what} (repeatable; territory-abm parameters "
                             "lists them with their ranges)")


def _language(text: str) -> str:
    """``report --language``: a language the report is written in (``report.language.LANGUAGES``)."""
    from .report.command import check_language

    try:
        return check_language(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.expected) from None


def _count(text: str) -> int:
    """A count (``--seeds``, ``--workers``, ...): a whole number of at least 1, refused in those
    words whatever the number (``--seeds -2`` said "non-negative", which let 0 look allowed)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text}")
    return value


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    engine = parser.add_mutually_exclusive_group()
    engine.add_argument("--workers", type=_count, help="local worker processes (default: all cores)")
    engine.add_argument("--scheduler", help="address of a Dask scheduler, e.g. tcp://10.0.0.5:8786")


EXAMPLES = {
    None: """first steps:
  territory-abm run scenarios/baseline.toml                      one run, tables and plots in out/baseline
  territory-abm compare scenarios/baseline.toml scenarios/roads.toml --seeds 5 --out out/roads
  territory-abm report out/roads                                 adviser report of that comparison
  territory-abm validate scenarios/*.toml                        check files without running
  territory-abm parameters                                       the parameter registry

every command has its own help and examples: territory-abm run --help""",
    "run": """examples:
  territory-abm run scenarios/baseline.toml
  territory-abm run scenarios/roads.toml --seed 7 --steps 10 --out out/roads-quick
  territory-abm run scenarios/baseline.toml --households-scale 0.05 --no-plots   a quick, small run
  territory-abm run scenarios/baseline.toml --set migration_stay_preference=7 --out out/stay7""",
    "compare": """examples:
  territory-abm compare scenarios/baseline.toml scenarios/roads.toml --out out/roads
  territory-abm compare scenarios/baseline.toml scenarios/cash_transfers.toml scenarios/roads.toml \\
      scenarios/land_redistribution.toml --seeds 20 --workers 2 --out out/four
  territory-abm compare scenarios/baseline.toml scenarios/roads.toml --seeds 2 --steps 5 \\
      --households-scale 0.05 --out out/try                       a quick try

the first scenario is the reference (a file given twice is compared once); a summary table of the final year
is printed at the end""",
    "sensitivity": """examples:
  territory-abm sensitivity experiments/morris_screening.toml --out out/morris
  territory-abm sensitivity experiments/morris_screening.toml --samples 2 --seeds 1 --steps 5 \\
      --households-scale 0.05 --out out/morris-try                a quick try (minutes, not hours)

the options replace the design file's fields of the same name; rerun on the same --out to resume""",
    "calibrate": """examples:
  territory-abm calibrate calibration/example.toml --out out/calibration
  territory-abm calibrate calibration/example.toml --samples 3 --seeds 2 --households-scale 0.05 \\
      --out out/calibration-try          a quick try of the pipeline (its estimates mean little: see the warnings)
  territory-abm calibrate calibration/rtd_patterns.toml --out out/calibration-patterns
                                     fit behaviour to cross-territory patterns (runs a whole ensemble per try)

the run's years follow from the observations (or the ensemble's steps); rerun on the same --out to resume""",
    "report": """example:
  territory-abm report out/roads --question "Which intervention should the province fund first?"
  territory-abm report out/roads --language es                   the same report in Spanish
      (out/roads: the directory a territory-abm compare wrote)""",
    "dashboard": """examples:
  territory-abm dashboard
  territory-abm dashboard scenarios/classroom/remote_roads.toml --port 8765""",
    "classroom": """examples:
  territory-abm classroom --host 0.0.0.0        the classroom network: prints the address, a QR code,
                                                the join code and the trainer's token
  territory-abm classroom scenarios/classroom/remote_roads.toml --host 192.168.1.20 --port 8800
  territory-abm classroom scenarios/classroom/shared_territory.toml --game --host 0.0.0.0
                                                the shared-territory game: a municipality per group""",
    "ensemble": """examples:
  territory-abm ensemble experiments/ensemble.toml --out out/ensemble
  territory-abm ensemble experiments/ensemble.toml --territories 4 --seeds 1 --workers 1 --out out/ens-try   a quick try
  territory-abm ensemble experiments/ensemble.toml --out out/ensemble --write-territories   keep the territories

rerun the same command on the same --out to resume after an interruption""",
    "patterns": """examples:
  territory-abm patterns out/ensemble experiments/rtd_patterns.toml
  territory-abm patterns out/ensemble experiments/rtd_patterns.toml --out out/ensemble/patterns""",
    "import": """examples:
  territory-abm import examples/valley/mapping.toml --out territories/valley
  territory-abm run territories/valley/scenario.toml        the imported territory's baseline

what was not in the data (and how it was filled) is in OUT/filled.csv and every run.json""",
    "stationary": """examples:
  territory-abm stationary scenarios/baseline.toml --out out/stationary.toml
      (the example's own drift: 4 seeds at scale 0.25 over the scenario's years)
  territory-abm stationary territories/mine/scenario.toml --seeds 8 --out territories/mine/stationary.toml

it writes the scenario (run or compare it as any other) and prints each outcome's change
with its seed-to-seed spread: what moves there moves for a reason inside the model""",
    "init": """examples:
  territory-abm init my_units.csv --out territories/mine --year 2015
      (my_units.csv: id or name, population, mean_income or mean_consumption, and any other
      column of docs/data_format.md; every unit is linked to one assumed market: edit edges.csv)""",
    "validate": """examples:
  territory-abm validate scenarios/*.toml experiments/*.toml calibration/example.toml
  territory-abm validate calibration/data/example
  territory-abm validate examples/valley/mapping.toml     an import, checked without writing anything""",
}


SCALE = SCENARIO_FIELDS["households_scale"]
SCALE_HELP = f"simulated households per real household, {SCALE.low:g} to {SCALE.high:g}"
"""``--households-scale``'s help: the range a scenario file accepts."""


def _sub(sub, name: str, help: str):
    """A subcommand whose help ends with its examples."""
    return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".", epilog=EXAMPLES.get(name),
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_quick_options(parser: argparse.ArgumentParser, samples: str, steps: bool) -> None:
    quick = parser.add_argument_group("quick try", "replace the file's fields of the same name (checked like them)")
    quick.add_argument("--samples", type=_count, help=samples)
    quick.add_argument("--seeds", type=_count, help="replicate seeds per point")
    if steps:
        quick.add_argument("--steps", type=_steps, help="years to simulate")
    quick.add_argument("--households-scale", type=_positive_float, help=SCALE_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="territory-abm", description="Simulate rural territories (households, firms, "
                                     "municipalities) to test public policies.",
                                     epilog=EXAMPLES[None], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = _sub(sub, "run", "run one scenario and write its outputs")
    run.add_argument("scenario", type=Path, help="scenario TOML file")
    run.add_argument("--seed", type=_positive_int, help="random seed (overrides the scenario)")
    run.add_argument("--steps", type=_steps, help="years to simulate (overrides the scenario)")
    run.add_argument("--households-scale", type=_positive_float, help=f"{SCALE_HELP} (overrides the scenario)")
    _add_set_option(run, "for this run (recorded in run.json)")
    run.add_argument("--out", type=Path, default=None, help="output directory (default: out/<scenario name>)")
    run.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    cmp = _sub(sub, "compare", "run scenarios over the same seeds and compare them")
    cmp.add_argument("scenarios", nargs="+", type=Path, help="scenario TOML files; the first is the reference")
    # defaults applied in cmd_compare: comparison.json records the options as given (None: not given)
    cmp.add_argument("--seeds", type=_count, default=None, help=f"seeds per scenario (default {COMPARE_SEEDS})")
    cmp.add_argument("--first-seed", type=_positive_int, default=None, help="first seed (default 1)")
    cmp.add_argument("--steps", type=_steps, help="years to simulate (overrides the scenarios)")
    cmp.add_argument("--households-scale", type=_positive_float, help=f"{SCALE_HELP} (overrides the scenarios)")
    _add_engine_options(cmp)
    _add_set_option(cmp, "in every scenario alike (recorded in comparison.json)")
    cmp.add_argument("--out", type=Path, required=True, help="output directory (rerun on it to resume)")
    cmp.add_argument("--no-plots", action="store_true",
                     help="skip the PNG plots (the tables are written; report draws its own charts)")
    cmp.add_argument("--quiet", action="store_true", help="no progress bar or summary table")
    sens = _sub(sub, "sensitivity", "SALib sensitivity analysis of a design file (experiments/*.toml)")
    sens.add_argument("design", type=Path, help="sensitivity design TOML file")
    _add_quick_options(sens, "the method's sample size N (Morris: trajectories)", steps=True)
    _add_engine_options(sens)
    sens.add_argument("--out", type=Path, required=True, help="output directory (rerun on it to resume)")
    sens.add_argument("--quiet", action="store_true", help="no progress bar")
    cal = _sub(sub, "calibrate", "fit parameters to a territory's observed data or to cross-territory patterns "
               "(calibration/*.toml)")
    cal.add_argument("calibration", type=Path, help="calibration TOML file")
    _add_quick_options(cal, "the method's size: generations of the optimiser (smm: options.maxiter) or "
                       "particles per generation (abc_smc: options.population_size)", steps=False)
    _add_engine_options(cal)
    cal.add_argument("--out", type=Path, required=True, help="output directory (rerun on it to resume)")
    cal.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    cal.add_argument("--quiet", action="store_true", help="no progress bar")
    rep = _sub(sub, "report", "adviser report (HTML and PDF) of a finished comparison")
    rep.add_argument("directory", type=Path, help="output directory of territory-abm compare")
    rep.add_argument("--out", type=Path, help="where to write report.html and report.pdf (default: DIRECTORY)")
    rep.add_argument("--question", help="the question the report answers (default: which intervention to choose)")
    rep.add_argument("--language", type=_language, default="en",
                     help="language of the report: en (English, the default) or es (Spanish)")
    dash = _sub(sub, "dashboard", "classroom dashboard in the browser (a model per group)")
    dash.add_argument("scenario", type=Path, nargs="?", help="scenario TOML file (default: the first classroom exercise)")
    dash.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    dash.add_argument("--port", type=_count, help="port (default: a free one)")
    dash.add_argument("--game", action="store_true", help="the shared-territory game: each group governs one "
                      "municipality of one territory (e.g. scenarios/classroom/shared_territory.toml)")
    room = _sub(sub, "classroom", "classroom network mode of the dashboard: join code, trainer's token, QR code, "
                "request limit")
    room.add_argument("scenario", type=Path, nargs="?", help="scenario TOML file (default: the first classroom exercise)")
    room.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer "
                      "only; 0.0.0.0: every network of this computer, e.g. the classroom's)")
    room.add_argument("--port", type=_count, default=None, help="port (default 8765, the same every class)")
    room.add_argument("--game", action="store_true", help="the shared-territory game: each group governs one "
                      "municipality of one territory (e.g. scenarios/classroom/shared_territory.toml)")
    ens = _sub(sub, "ensemble", "generate territories from declared distributions and run each (experiments/*.toml)")
    ens.add_argument("design", type=Path, help="ensemble design TOML file")
    quick = ens.add_argument_group("quick try", "replace the file's fields of the same name (checked like them)")
    quick.add_argument("--territories", type=_count, help="territories generated")
    quick.add_argument("--seeds", type=_count, help="replicate runs per territory")
    quick.add_argument("--steps", type=_steps, help="years to simulate")
    quick.add_argument("--households-scale", type=_positive_float, help=SCALE_HELP)
    _add_engine_options(ens)
    ens.add_argument("--out", type=Path, required=True, help="output directory (rerun on it to resume)")
    ens.add_argument("--write-territories", action="store_true",
                     help="keep the generated territory directories in OUT/territories")
    ens.add_argument("--quiet", action="store_true", help="no progress bar")
    pat = _sub(sub, "patterns", "hold an ensemble's outcomes against observed patterns (experiments/*patterns.toml)")
    pat.add_argument("directory", type=Path, help="output directory of territory-abm ensemble")
    pat.add_argument("patterns", type=Path, help="patterns TOML file")
    pat.add_argument("--out", type=Path, help="where to write patterns.csv and the plot (default: DIRECTORY)")
    imp = _sub(sub, "import", "build a territory directory from boundaries and tables through a mapping file")
    imp.add_argument("mapping", type=Path, help="mapping TOML file (docs/data_format.md, 'Importing')")
    imp.add_argument("--out", type=Path, required=True, help="territory directory to write")
    imp.add_argument("--force", action="store_true", help="replace OUT if it exists")
    sta = _sub(sub, "stationary", "write a scenario's stationary version (no policy, context flat, births that "
               "hold the population) and print its own drift over seeds")
    sta.add_argument("scenario", type=Path, help="scenario TOML file (its territory, parameters and years)")
    sta.add_argument("--seeds", type=_count, default=4, help="seeds the births are solved and the drift measured "
                     "on (default 4)")
    sta.add_argument("--first-seed", type=_positive_int, default=1, help="first seed (default 1)")
    sta.add_argument("--steps", type=_steps, help="years to simulate (overrides the scenario)")
    sta.add_argument("--households-scale", type=_positive_float, default=0.25,
                     help=f"{SCALE_HELP} (default 0.25: the drift is per person, the scale sets its noise)")
    sta.add_argument("--workers", type=_count, default=1, help="local worker processes (default 1)")
    _add_set_option(sta, "in the written scenario")
    sta.add_argument("--out", type=Path, required=True, help="scenario TOML file to write (refused if it exists)")
    ini = _sub(sub, "init", "write a template territory from a table of whatever columns you have")
    ini.add_argument("table", type=Path, help="CSV table, one row per unit, columns named as in docs/data_format.md")
    ini.add_argument("--out", type=Path, required=True, help="territory directory to write")
    ini.add_argument("--year", type=_count, default=2010, help="year of the data (the scenario's start; default 2010)")
    ini.add_argument("--poverty-line", type=_positive_float, default=1200.0,
                     help="USD/person/yr, to fill a poverty rate or Gini (default 1200)")
    ini.add_argument("--force", action="store_true", help="replace OUT if it exists")
    val = _sub(sub, "validate", "check scenario and data files without running")
    val.add_argument("files", nargs="+", type=Path,
                     help="scenario, sensitivity, calibration or import mapping TOML files, territory directories "
                     "or CSV files")
    _sub(sub, "parameters", "print the parameter registry as a Markdown table")
    return parser


def cmd_run(args) -> int:
    from tqdm import tqdm

    from .experiments.commands import set_lines
    from .output.maps import no_geo_extra_note
    from .runner import check_out_dir, simulate, summary, write_outputs

    scenario = load_scenario(args.scenario).with_command_line(args.households_scale, args.steps, args.seed,
                                                               dict(args.set))
    check_targets(scenario, load_territory(scenario.territory))
    out = args.out or Path("out") / scenario.name
    check_out_dir(out)
    if not args.quiet:
        compile_notice()
    bar = tqdm(total=scenario.steps, desc=scenario.name, unit="yr", disable=args.quiet, file=sys.stderr)
    result = simulate(scenario, progress=lambda: bar.update(1))
    bar.close()
    files = write_outputs(result, out, with_plots=not args.no_plots, command_line=_overrides(args))
    if not args.quiet:
        print(summary(result))
        for line in set_lines(dict(args.set), where=""):
            print(line)
        print(f"\nwrote {', '.join(files)} to {out} ({result.wall_time:.1f} s)")
        note = no_geo_extra_note(result.model.territory.source)
        if not args.no_plots and note:
            print(f"{note}; network.png draws it as a network")
    return 0


COMPARE_SEEDS = 10
"""Seeds per scenario of ``compare`` without ``--seeds``."""


def _overrides(args) -> dict:
    """The options of ``run`` or ``compare`` that override the scenario files or set the seeds,
    as given (``run.json``, ``comparison.json``)."""
    given = {"--seed": getattr(args, "seed", None), "--seeds": getattr(args, "seeds", None),
             "--first-seed": getattr(args, "first_seed", None), "--steps": args.steps,
             "--households-scale": args.households_scale, "--set": dict(args.set) or None}
    return {option: value for option, value in given.items() if value is not None}


def cmd_compare(args) -> int:
    from .experiments.commands import compare

    if not args.quiet:
        compile_notice()
    seeds = COMPARE_SEEDS if args.seeds is None else args.seeds
    first_seed = 1 if args.first_seed is None else args.first_seed
    status = compare(args.scenarios, seeds, args.out, workers=args.workers, scheduler=args.scheduler,
                     first_seed=first_seed, progress=not args.quiet,
                     households_scale=args.households_scale, steps=args.steps, parameters=dict(args.set),
                     command_line=_overrides(args), with_plots=not args.no_plots)
    return _report_status(status, args.out, "comparison")


def cmd_sensitivity(args) -> int:
    from .sensitivity.command import run_sensitivity

    if not args.quiet:
        compile_notice()
    status = run_sensitivity(args.design, args.out, workers=args.workers, scheduler=args.scheduler,
                             progress=not args.quiet, overrides=_quick(args, "samples", "seeds", "steps",
                                                                      "households_scale"))
    return _report_status(status, args.out, "sensitivity analysis")


def cmd_calibrate(args) -> int:
    from .calibration import run_calibration
    from .calibration.report import fit_line

    if not args.quiet:
        compile_notice()
    status = run_calibration(args.calibration, args.out, workers=args.workers, scheduler=args.scheduler,
                             progress=not args.quiet, overrides=_quick(args, "samples", "seeds", "households_scale"),
                             with_plots=not args.no_plots)
    table = status.estimates[["parameter", "estimate", "low", "high", "narrowing", "identified"]]
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if status.fit:
        print(fit_line(status.fit))
    print(f"{status.runs} runs ({status.wall_time_s:.1f} s); wrote the calibration and calibrated.toml to {args.out}",
          file=sys.stderr)
    for warning in status.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if status.failures:
        for run_id, error in status.failures:
            print(f"failed: {run_id}: {error}", file=sys.stderr)
        print("some runs failed (their parameter values counted as far from the data): rerun the same "
              "command to retry them", file=sys.stderr)
        return 1
    return 0


def _quick(args, *names: str) -> dict:
    """The quick-try options given on the command line, by file field name."""
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def compile_notice() -> None:
    from .experiments.engines import compile_notice as notice

    notice(sys.stderr)


def cmd_report(args) -> int:
    from .report import write_report

    for path in write_report(args.directory, args.out, args.question, args.language):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_dashboard(args) -> int:
    from .dashboard.server import serve

    return serve(args.scenario, args.host, args.port, game=args.game)


def cmd_classroom(args) -> int:
    from .dashboard.server import serve

    return serve(args.scenario, args.host, args.port, classroom=True, game=args.game)


def cmd_ensemble(args) -> int:
    from .ensemble.command import run_ensemble

    if not args.quiet:
        compile_notice()
    status = run_ensemble(args.design, args.out, workers=args.workers, scheduler=args.scheduler,
                          progress=not args.quiet, write_territories=args.write_territories,
                          overrides=_quick(args, "territories", "seeds", "steps", "households_scale"))
    return _report_status(status, args.out, "ensemble")


def cmd_patterns(args) -> int:
    from .ensemble.patterns import report_patterns

    text, files = report_patterns(args.directory, args.patterns, args.out)
    print(text)
    print(f"wrote {', '.join(str(f) for f in files)}", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    from .data.importer import import_territory

    return _report_filled(import_territory(args.mapping, args.out, force=args.force), args.out)


def cmd_stationary(args) -> int:
    import pandas as pd

    from . import __version__
    from .experiments import stationary

    if args.out.exists():
        raise InputError(args.out, "--out", "a file that does not exist yet (the stationary scenario is written there)")
    if args.out.suffix != ".toml":
        raise InputError(args.out, "--out", "a file name ending in .toml")
    held = sorted(set(dict(args.set)) & {*stationary.FLAT_DRIVERS, "birth_rate"})
    if held:
        raise InputError("command line", "--set", f"parameters other than {', '.join(held)}: the stationary version "
                         "holds the context's drivers of change at 0 and solves the birth rate")
    scenario = load_scenario(args.scenario).with_command_line(args.households_scale, args.steps, None, dict(args.set))
    check_targets(scenario, load_territory(scenario.territory))
    own_rate = scenario.parameters.birth_rate
    scenario = stationary.flat(scenario)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    compile_notice()
    print(f"solving the birth rate that holds the population: {len(seeds)} seeds, {scenario.steps} years, "
          f"households_scale {scenario.households_scale:g}", file=sys.stderr)
    with stationary.Runner(scenario, seeds, args.workers) as runner:
        try:
            solution = stationary.solve_births(runner)
        except ValueError as exc:
            raise InputError(args.scenario, "birth_rate", f"a territory whose population some birth rate holds: {exc}") \
                from None
        table = stationary.drift(runner, solution.birth_rate)
        nodes = stationary.node_drift(runner, solution.birth_rate)
    text = stationary.scenario_toml(scenario.replace(parameters=scenario.parameters.with_overrides(
        {"birth_rate": solution.birth_rate})), solution, seeds, __version__, args.out.parent)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".toml.tmp")
    tmp.write_text(text)
    os.replace(tmp, args.out)
    print(f"birth rate {solution.birth_rate:.5f} /yr (scenario's {own_rate:g}; "
          f"{len(solution.tried)} evaluations of {len(seeds)} runs): population {solution.population_change:+.2%} "
          f"over {scenario.steps} years")
    print(f"changes over {scenario.steps} years, mean over seeds (seed-to-seed sd):")
    for row in table.itertuples(index=False):
        start, end, change, within = _drift_texts(row)
        print(f"  {row.outcome:<18} {start:>8} -> {end:<8} {change}  {within}")
    kinds = nodes["unit"].isin(["rural municipalities", "intermediate cities"])
    for row in nodes[kinds].itertuples(index=False):
        start, end, change, within = _drift_texts(row)
        print(f"  {row.unit}: {row.outcome} {start} -> {end} {change}  {within}")
    one = nodes[~kinds & (nodes["outcome"] == "poverty_headcount")]
    if len(seeds) > 1:
        print(f"  {int((~one['within_one_sd'].astype(bool)).sum())} of {len(one)} municipalities and cities have a poverty "
              f"change beyond one sd (with no drift about {stationary.chance_beyond(len(seeds)) * len(one):.1f} would, "
              f"by chance over {len(seeds)} seeds)")
    drift_csv = args.out.with_name(args.out.stem + "_drift.csv")
    territory = table.assign(unit="territory", kind="territory")[list(nodes.columns)]
    tmp = drift_csv.with_suffix(".csv.tmp")
    pd.concat([territory, nodes], ignore_index=True).to_csv(tmp, index=False)
    os.replace(tmp, drift_csv)
    print(f"wrote {args.out} and {drift_csv} (each outcome's change by unit: territory, kinds, municipalities)")
    return 0


def _drift_texts(row) -> tuple[str, str, str, str]:
    """A row of ``stationary.drift`` or ``node_drift`` as printed: its start and end (whole
    numbers from 100 up, else 4 decimals), its change with the seed sd (the population's in %),
    and whether it lies within one sd."""
    level = "{:,.0f}" if abs(row.start) >= 100 else "{:.4f}"
    if row.outcome == "population":
        change = f"{100 * row.change:+.2f}% ({100 * row.seed_sd:.2f}%)"
    else:
        change = ("{:+,.0f} ({:,.0f})" if abs(row.start) >= 100 else "{:+.4f} ({:.4f})").format(row.change, row.seed_sd)
    within = {True: "within one sd", False: "BEYOND one sd", None: ""}[row.within_one_sd]
    return level.format(row.start), level.format(row.end), change, within


def cmd_init(args) -> int:
    from .data.importer import init_territory

    filled = init_territory(args.table, args.out, year=args.year, poverty_line=args.poverty_line, force=args.force)
    print("every unit is linked to one assumed market (X1, 3 h, road quality 0.5): edit edges.csv")
    return _report_filled(filled, args.out)


def _report_filled(filled: dict, out: Path) -> int:
    """Print what a new territory's data did not give and how it was filled, and a note on
    Ginis fitted so low that the start will not hold them (``importer.narrow_fitted_ginis``)."""
    from .data.importer import narrow_fitted_ginis

    if filled:
        print("not in the data (see filled.csv; every run.json repeats this):")
        width = max(len(e["column"]) for e in filled.values())
        for e in filled.values():
            print(f"  {e['column']:<{width}}  {e['how']:<8} {e['nodes']:>5} units: {e['rule']}")
        note = narrow_fitted_ginis(out)
        if note:
            print(note)
    print(f"wrote the territory to {out}; run it with: territory-abm run {out / 'scenario.toml'}", file=sys.stderr)
    return 0


def _report_status(status, out: Path, what: str) -> int:
    """Print what an experiment did; exit 1 naming the failed runs."""
    print(f"{status.total} runs: {status.reused} already stored, {status.ran} run now, "
          f"{len(status.failures)} failed ({status.wall_time_s:.1f} s)", file=sys.stderr)
    if status.failures:
        for run_id, error in status.failures:
            print(f"failed: {run_id}: {error}", file=sys.stderr)
        print(f"{what} incomplete: rerun the same command to retry the failed runs; "
              f"finished runs are kept in {out}", file=sys.stderr)
        return 1
    print(f"wrote the {what} to {out}", file=sys.stderr)
    return 0


def _toml_kind(path: Path) -> str:
    """Calibration files name ``observations`` or a ``patterns`` file, patterns files hold
    ``[[patterns]]`` tables, ensemble designs ``territories``, ``[distributions]`` or a ``base``,
    sensitivity designs a ``method``; scenario files none of these."""
    import tomllib

    try:
        with path.open("rb") as fh:
            keys = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return "scenario"  # the scenario loader reports the problem
    if "columns" in keys and "markets" in keys:
        return "mapping"
    if "observations" in keys or isinstance(keys.get("patterns"), str):
        return "calibration"
    if isinstance(keys.get("patterns"), list):
        return "patterns"
    if "distributions" in keys or "territories" in keys or "base" in keys:
        return "ensemble"
    return "sensitivity" if "method" in keys else "scenario"


def _is_observations(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as fh:
            header = [h.strip() for h in fh.readline().split(",")]
    except (OSError, UnicodeDecodeError):
        return False
    return "municipality" in header and "year" in header


def validate_path(path: Path) -> str:
    """Validate one file or directory; returns what it was checked as."""
    if path.is_dir():
        load_territory(path)
        return "territory"
    kind = _toml_kind(path) if path.suffix == ".toml" else ""
    if kind == "sensitivity":
        from .sensitivity import load_design

        design = load_design(path)
        return f"sensitivity design: {design.method.name}, {design.runs} runs"
    if kind == "mapping":
        import tempfile

        from .data.importer import import_territory

        with tempfile.TemporaryDirectory() as tmp:  # the whole import, written nowhere
            filled = import_territory(path, Path(tmp) / "territory")
            units = int(load_territory(Path(tmp) / "territory").populated.sum())
        return f"import mapping: {units} units, {len(filled)} columns or rules not from the data"
    if kind == "calibration":
        from .calibration import load_calibration

        cal = load_calibration(path)
        if not hasattr(cal, "observations"):
            return (f"calibration to patterns: {cal.method}, {len(cal.parameters)} parameters, "
                    f"{len(cal.patterns)} patterns, {cal.ensemble.territories} territories x {cal.ensemble.seeds} seeds")
        return (f"calibration: {cal.method}, {len(cal.parameters)} parameters, "
                f"{len(cal.observations.municipalities)} municipalities observed "
                f"at {', '.join(map(str, cal.observations.dates))} ({len(cal.observations.periods)} period(s))")
    if kind == "patterns":
        from .ensemble.patterns import load_patterns

        patterns = load_patterns(path)
        published = sum(p.status == "published" for p in patterns)
        return f"patterns: {len(patterns)} ({published} published)"
    if kind == "ensemble":
        from .ensemble.design import load_ensemble

        design = load_ensemble(path)
        return (f"ensemble: {design.territories} territories x {design.seeds} seed{'s' if design.seeds != 1 else ''}, "
                f"{design.scenario.steps} years")
    if path.suffix == ".toml":
        scenario = load_scenario(path)
        check_targets(scenario, load_territory(scenario.territory))
        return "scenario"
    if path.suffix == ".csv" and _is_observations(path):
        from .calibration import load_observations

        with path.open(encoding="utf-8") as fh:
            years = [int(r["year"]) for r in csv.DictReader(fh) if r.get("year", "").strip().isdigit()]
        # without a scenario the start year is unknown: check the rows against the territory
        load_observations(path, load_territory(path.parent), min(years) - 1 if years else 0)
        return "observations (against the territory in the same directory)"
    if path.suffix == ".csv":
        load_territory(path.parent)
        return "territory table"
    if not path.exists():
        raise InputError(path, "file", not_found(path, "a scenario, sensitivity design or calibration .toml file, "
                                                 "a territory directory or one of its .csv tables"))
    raise InputError(path, "file", "a scenario, sensitivity design or calibration .toml file, a territory "
                     "directory or one of its .csv tables")


def cmd_validate(args) -> int:
    failed = 0
    for path in args.files:
        try:
            kind = validate_path(path)
            print(f"ok: {path} ({kind})")
        except InputError as exc:
            for problem in exc.each:  # every problem found in one reading of the file
                print(f"error: {problem}", file=sys.stderr)
            failed += 1
    return 2 if failed else 0


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings as one line on standard error, without the source line."""
    print(f"warning: {message}", file=sys.stderr)


CLOSED_PIPE_STATUS = 141
"""Exit status when standard output's reader has gone (``territory-abm parameters | head``):
128 + SIGPIPE (13), what a shell reports for ``seq``, ``cat`` or ``git`` in the same pipe,
as SIGTERM's is 128 + 15. Not 1 (some runs failed) and not 0: the output was cut, and a
script under ``set -o pipefail`` should see it as it sees those tools'. Returned rather than
dying of the signal (SIG_DFL): the dashboard's server and the engine's workers must survive a
closed socket or pipe."""


def _terminated(signum, frame) -> None:
    """SIGTERM (a job scheduler's or ``kill``'s) ends the command as an exit does, so that its
    ``finally`` blocks run: the engine's workers, the forkserver and the resource tracker stop with
    it (killed without them, a compare left all three running; finished runs are in the store)."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    names = [name for name, _ in getattr(args, "set", [])]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:  # the last would win silently
        parser.error(f"argument --set: {', '.join(twice)} given more than once (give each parameter once)")
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return _dispatch(args)
        except BrokenPipeError:
            # the reader stopped early (``territory-abm parameters | head``): no traceback, and
            # standard output goes nowhere so that the interpreter's last flush fails no more
            # (Python's documentation, "Note on SIGPIPE")
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return CLOSED_PIPE_STATUS
        finally:
            if main_thread:  # a caller's own handler (a notebook, a test runner) comes back
                signal.signal(signal.SIGTERM, previous)


def _dispatch(args) -> int:
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "compare":
            return cmd_compare(args)
        if args.command == "sensitivity":
            return cmd_sensitivity(args)
        if args.command == "calibrate":
            return cmd_calibrate(args)
        if args.command == "report":
            return cmd_report(args)
        if args.command == "dashboard":
            return cmd_dashboard(args)
        if args.command == "classroom":
            return cmd_classroom(args)
        if args.command == "ensemble":
            return cmd_ensemble(args)
        if args.command == "patterns":
            return cmd_patterns(args)
        if args.command == "import":
            return cmd_import(args)
        if args.command == "init":
            return cmd_init(args)
        if args.command == "stationary":
            return cmd_stationary(args)
        print(markdown_table())
        return 0
    except InputError as exc:
        for problem in exc.each:
            print(f"error: {problem.describe(shown_source(problem.source))}", file=sys.stderr)
        return 2


def shown_source(source: str) -> str:
    """An error's file as the user would type it: relative to the working directory where it
    lies under it (a territory named in a scenario is resolved to an absolute path; ``run``
    printed /tmp/.../edges.csv where ``validate`` printed my/terr1/edges.csv)."""
    path = Path(source)
    if not path.is_absolute():
        return source
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return source


if __name__ == "__main__":
    sys.exit(main())
