"""The README's table of policy effects, from a comparison's output directory.

For each scenario of a ``territory-abm compare`` run (the first is the reference): its
effect on poverty, Gini, income per person and forest cover (paired difference to the
reference, mean and 5-95 % interval over seeds) at the end of its programmes (at the
horizon where they run to it), its cost, and its income multipliers from ``impact.csv``
(cumulative; annual during the programme, nominal and real; beneficiaries and others, the
others split into spillover and composition).
Prints Markdown.

    territory-abm compare scenarios/baseline.toml scenarios/cash_transfers.toml ... \\
        --seeds 8 --households-scale 0.25 --out out/all
    python benchmarks/scenario_table.py out/all
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

EFFECTS = (("poverty_headcount", "poverty", 3, 1.0), ("gini_income", "Gini", 3, 1.0),
           ("mean_income_pc", "income (USD/person/yr)", 0, 1.0), ("forest_cover", "forest cover (points)", 1, 100.0))


MULTIPLIER_PARTS = ("total", "beneficiaries", "non_beneficiaries", "spillover", "composition")
"""impact.csv's parts of each multiplier: all, the starting households a programme reached, the
others, and the others split into the starting households no programme reached, alive in both runs
(spillover), and the rest (composition: households in one run only, formed or arrived)."""


def _interval(mean: float, low: float, high: float, digits: int) -> str:
    return f"{mean:+.{digits}f} [{low:+.{digits}f}, {high:+.{digits}f}]"


def effects_table(directory: Path) -> str:
    summary = pd.read_csv(directory / "summary.csv")
    scenarios = list(dict.fromkeys(summary["scenario"]))[1:]
    lines = ["| scenario | year | " + " | ".join(label for _, label, _, _ in EFFECTS) + " |",
             "|---|---" + "|---" * len(EFFECTS) + "|"]
    for name in scenarios:
        part = summary[summary["scenario"] == name]
        period = "programme end" if (part["period"] == "programme end").any() else "horizon"
        part = part[part["period"] == period].set_index("outcome")
        cells = [_interval(*(scale * part.loc[key, c] for c in ("diff_to_reference", "diff_q05", "diff_q95")),
                           digits) for key, _, digits, scale in EFFECTS]
        lines.append(f"| {name} | {int(part['year'].iloc[0])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


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
            cells = [f"{getattr(r, f'{name}_{part}'):.2f} [{getattr(r, f'{name}_{part}_q05'):.2f}, "
                     f"{getattr(r, f'{name}_{part}_q95'):.2f}]" for part in MULTIPLIER_PARTS]
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
