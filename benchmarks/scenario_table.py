"""The README's table of policy effects, from a comparison's output directory.

For each scenario of a ``territory-abm compare`` run (the first is the reference): its
effect on poverty, Gini, income per person and forest cover (paired difference to the
reference, mean and 5-95 % interval over seeds) at the end of its programmes (at the
horizon where they run to it), its cost, and its income multipliers from ``impact.csv``
(cumulative; annual during the programme, nominal and real; beneficiaries and others, the
others split into spillover and composition).
Prints Markdown. Numbers are written as the report writes them (``report.numbers``: shares'
differences in points, an effect's column at one precision, no "-0.0" and no nonzero
interval end of a share printed as 0).

    territory-abm compare scenarios/baseline.toml scenarios/cash_transfers.toml ... \\
        --seeds 8 --households-scale 0.25 --out out/all
    python benchmarks/scenario_table.py out/all
"""

from __future__ import annotations

import argparse
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np
import pandas as pd

from territory_abm.experiments.compare import DIFFERENCE
from territory_abm.report import numbers

EFFECTS = (("poverty_headcount", "poverty"), ("gini_income", "Gini"), ("mean_income_pc", "income"),
           ("forest_cover", "forest cover"))
"""The effects shown, with their column labels (units from the outcome registry)."""


MULTIPLIER_PARTS = ("total", "beneficiaries", "non_beneficiaries", "spillover", "composition")
"""impact.csv's parts of each multiplier: all, the starting households a programme reached, the
others, and the others split into the starting households no programme reached, alive in both runs
(spillover), and the rest (composition: households in one run only, formed or arrived)."""


def _label(key: str, label: str) -> str:
    unit = numbers.unit(key, difference=True)
    return f"{label} ({unit})" if unit else label


def effects_table(directory: Path) -> str:
    summary = pd.read_csv(directory / "summary.csv")
    parts = {}  # each scenario's rows at the end of its programmes (at the horizon where they run to it)
    for name in list(dict.fromkeys(summary["scenario"]))[1:]:
        part = summary[summary["scenario"] == name]
        period = "programme end" if (part["period"] == "programme end").any() else "horizon"
        parts[name] = part[part["period"] == period].set_index("outcome")
    places = {key: numbers.shared_places(key, [tuple(p.loc[key, c] for c in DIFFERENCE) for p in parts.values()])
              for key, _ in EFFECTS}
    lines = ["| scenario | year | " + " | ".join(_label(key, label) for key, label in EFFECTS) + " |",
             "|---|---" + "|---" * len(EFFECTS) + "|"]
    for name, part in parts.items():
        cells = [numbers.with_interval(key, *(part.loc[key, c] for c in DIFFERENCE), places=places[key])
                 for key, _ in EFFECTS]
        lines.append(f"| {name} | {int(part['year'].iloc[0])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _multiplier(r, column: str) -> str:
    """``"1.39 [0.004, 2.47]"``: impact.csv's ``column`` and its 5-95 % range, at two places, a
    nonzero end never as 0 (``numbers.interval_end``, as the report writes them)."""
    mean, low, high = (getattr(r, column + end) for end in ("", "_q05", "_q95"))
    return f"{numbers.rounded(mean, 2)} [{numbers.interval_end(low, 2)}, {numbers.interval_end(high, 2)}]"


def multiplier_table(directory: Path) -> str:
    impact = pd.read_csv(directory / "impact.csv")
    kinds = (("multiplier", "cumulative"), ("annual_multiplier_nominal", "annual nominal"),
             ("annual_multiplier_real", "annual real"),
             ("transfer_multiplier_nominal", "annual nominal per USD transferred"),
             ("transfer_multiplier_real", "annual real per USD transferred"))
    lines = ["| scenario | cost per year (USD, simulated) | multiplier | all | beneficiaries | others | others: "
             "spillover | others: composition |", "|---|---|---|---|---|---|---|---|"]
    for r in impact.itertuples(index=False):
        for name, label in kinds:
            if name.startswith("transfer") and not np.isfinite(getattr(r, f"{name}_total", np.nan)):
                continue  # per USD transferred: only scenarios that pay households cash
            cells = [_multiplier(r, f"{name}_{part}") for part in MULTIPLIER_PARTS]
            lines.append(f"| {r.scenario} | {r.programme_cost_per_year_mean:,.0f} | {label} | " + " | ".join(cells)
                         + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="output directory of territory-abm compare")
    args = parser.parse_args()
    print(effects_table(args.directory))
    print()
    print(multiplier_table(args.directory))


if __name__ == "__main__":
    main()
