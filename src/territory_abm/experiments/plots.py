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
from .compare import HIGH, HORIZON, LOW, PROGRAMME_END

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
    """Difference of each scenario to the reference at the horizon and, for scenarios whose
    programmes end before it, at the programme end (lighter bar, year in the label), with
    5-95 % intervals."""
    others = [s for s in summary["scenario"].unique() if s != reference]
    bars = [(s, p) for s in others for p in (HORIZON, PROGRAMME_END)
            if ((summary["scenario"] == s) & (summary["period"] == p)).any()]
    fig, axes = plt.subplots(1, len(DIFF_OUTCOMES), figsize=(4.2 * len(DIFF_OUTCOMES), 0.45 * len(bars) + 2.2),
                             constrained_layout=True)
    colour = {HORIZON: "#2c7fb8", PROGRAMME_END: "#a6bddb"}
    for ax, (outcome, label) in zip(axes, DIFF_OUTCOMES):
        part = summary[summary["outcome"] == outcome].set_index(["scenario", "period"])
        rows = part.loc[bars]
        y = np.arange(len(bars))
        err = np.vstack([rows["diff_to_reference"] - rows["diff_q05"], rows["diff_q95"] - rows["diff_to_reference"]])
        ax.barh(y, rows["diff_to_reference"], xerr=np.nan_to_num(err), color=[colour[p] for _, p in bars],
                capsize=3)
        ax.axvline(0, color="black", lw=0.8)
        names = [f"{s} ({int(year)})" for (s, _), year in zip(bars, rows["year"])]
        ax.set_yticks(y, names if ax is axes[0] else [""] * len(bars), fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"Δ {label}", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Difference to {reference} at the horizon (dark) and at the end of each programme that ends "
                 f"earlier (light); paired by seed, {LOW}-{HIGH} % interval", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_typology_shares(shares: pd.DataFrame, path: Path, period: str = HORIZON) -> None:
    """Stacked bars of type shares per scenario, one panel per group (rural municipalities,
    intermediate cities, both; by count) plus both weighted by population."""
    part = shares[(shares["period"] == period) & (shares["measure"] == "type")]
    scenarios = list(dict.fromkeys(part["scenario"]))
    panels = [(g, "share_of_units", f"{outcomes.GROUPS[g]} (share of them)") for g in outcomes.GROUPS] + \
        [("all", "share_of_population", "all, weighted by population")]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 0.5 * len(scenarios) + 1.8),
                             constrained_layout=True, sharey=True)
    for ax, (group, column, title) in zip(axes, panels):
        left = np.zeros(len(scenarios))
        for t in outcomes.TYPES:
            rows = part[(part["group"] == group) & (part["category"] == t)].set_index("scenario")
            values = 100 * np.nan_to_num(rows[column].reindex(scenarios).to_numpy(float))
            ax.barh(scenarios, values, left=left, color=outcomes.TYPE_COLOURS[t], label=t)
            left += values
        ax.set_xlim(0, 100)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("%")
    axes[0].invert_yaxis()
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=7, ncol=len(outcomes.TYPES), loc="outside lower center")
    fig.suptitle(f"Municipal types at the {period} (mean over seeds; a change counts only beyond its tolerance)",
                 fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)
