"""Plots of experiments: scenario time series with uncertainty bands, differences to the
reference scenario, and sensitivity indices."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import outcomes
from ..output.plots import SERIES
from .compare import HIGH, LOW

DIFF_OUTCOMES = tuple((name, outcomes.outcome(name).axis_label) for name in outcomes.DIFFERENCES)
"""(outcome, label) of the difference panels, from the outcome registry."""


def plot_scenario_bands(territory: pd.DataFrame, scenarios: list[str], path: Path) -> None:
    """Per outcome, each scenario's mean over seeds with its 5-95 % band."""
    fig, axes = plt.subplots(1, len(SERIES), figsize=(4 * len(SERIES), 3.4), constrained_layout=True)
    colours = plt.get_cmap("tab10")
    for ax, (col, label) in zip(axes, SERIES):
        for i, scenario in enumerate(scenarios):
            by_year = territory[territory["scenario"] == scenario].groupby("year")[col]
            mean = by_year.mean()
            ax.fill_between(mean.index, by_year.quantile(LOW / 100), by_year.quantile(HIGH / 100),
                            color=colours(i % 10), alpha=0.2, lw=0)
            ax.plot(mean.index, mean.values, color=colours(i % 10), lw=1.8, label=scenario)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(f"Scenarios: mean over seeds, band {LOW}-{HIGH} %", fontsize=11)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_differences(summary: pd.DataFrame, reference: str, path: Path) -> None:
    """Final-year difference of each scenario to the reference, with 5-95 % intervals."""
    others = [s for s in summary["scenario"].unique() if s != reference]
    fig, axes = plt.subplots(1, len(DIFF_OUTCOMES), figsize=(4.2 * len(DIFF_OUTCOMES), 0.5 * len(others) + 2.2),
                             constrained_layout=True)
    for ax, (outcome, label) in zip(axes, DIFF_OUTCOMES):
        rows = summary[(summary["outcome"] == outcome) & summary["scenario"].isin(others)].set_index("scenario").loc[others]
        y = np.arange(len(others))
        err = np.vstack([rows["diff_to_reference"] - rows["diff_q05"], rows["diff_q95"] - rows["diff_to_reference"]])
        ax.barh(y, rows["diff_to_reference"], xerr=np.nan_to_num(err), color="#2c7fb8", alpha=0.8, capsize=3)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, others if ax is axes[0] else [""] * len(others), fontsize=8)
        ax.set_title(f"Δ {label}", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Final year, difference to {reference} (paired by seed; {LOW}-{HIGH} % interval)", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)
