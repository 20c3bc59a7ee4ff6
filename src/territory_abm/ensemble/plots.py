"""Plot of an ensemble held against observed patterns: typology shares (simulated with
their bootstrap interval vs observed with its tolerance), income growth against the
change in inequality coloured by whether the territory has an intermediate city, and the
convergence scatter (income growth on log initial income, with the fitted OLS slope and,
when the patterns file has one, the observed slope). Okabe-Ito colours; the figure fits an
A4 page across."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import outcomes
from ..output.plots import DPI
from . import statistics as st

WIDTH = 7.5
SIMULATED, OBSERVED = "#0072B2", "#D55E00"
WITH_CITY, WITHOUT_CITY = "#009E73", "#CC79A7"
CITY_GROUPS = ((1, WITH_CITY, "territory with an intermediate city"), (0, WITHOUT_CITY, "territory without"))


def plot_patterns(result: pd.DataFrame, units: pd.DataFrame, path: Path, dpi: int = DPI):
    """Draw, save and return the figure."""
    fig, axes = plt.subplots(2, 2, figsize=(WIDTH, 7.0), constrained_layout=True)
    (left, right), (converge, legend) = axes
    legend.axis("off")
    shares = result[result["statistic"].str.startswith("share ")]
    types = units[units["type"].isin(outcomes.TYPES)]["type"].value_counts(normalize=True)
    labels = [f"type: {t}" for t in outcomes.TYPES] + list(shares["pattern"])
    simulated = [float(types.get(t, 0.0)) for t in outcomes.TYPES] + list(shares["simulated"])
    y = np.arange(len(labels))
    left.barh(y, 100 * np.asarray(simulated), color=SIMULATED, height=0.6, label="simulated (pooled)")
    n = len(outcomes.TYPES)
    for k, r in enumerate(shares.itertuples()):
        left.errorbar(100 * r.simulated, n + k, xerr=[[100 * (r.simulated - r.low)], [100 * (r.high - r.simulated)]],
                      color="black", capsize=3, linewidth=1, label="5-95 % over territories" if k == 0 else None)
        left.errorbar(100 * r.observed, n + k, xerr=100 * r.tolerance, fmt="D", color=OBSERVED, capsize=3,
                      label="observed +- tolerance" if k == 0 else None)
    left.set_yticks(y, labels, fontsize=7)
    left.set_ylim(len(labels) - 0.5, -0.5)
    left.set_xlim(0, 100)
    left.set_xlabel("% of units (municipalities and cities)", fontsize=8)
    left.set_title("Typology shares: simulated vs observed", fontsize=9)
    left.legend(fontsize=6.5, loc="lower right", frameon=False)
    for value, colour, label in CITY_GROUPS:
        part = units[units["has_city"] == value]
        right.scatter(100 * part["gini_change"], 100 * part["income_growth_log"], s=5, alpha=0.5, color=colour,
                      label=label, marker="o" if value else "^")
    right.axhline(0, color="grey", linewidth=0.6)
    right.axvline(0, color="grey", linewidth=0.6)
    right.set_xlabel("change in income Gini over the period (points)", fontsize=8)
    right.set_ylabel("income growth (% per year, log)", fontsize=8)
    right.set_title("Municipalities: growth against inequality", fontsize=9)
    right.legend(fontsize=6.5, frameon=False, markerscale=2)
    plot_convergence(converge, units, result)
    legend.legend(*converge.get_legend_handles_labels(), fontsize=7, frameon=False, markerscale=2,
                  loc="center left", title="convergence (left)", title_fontsize=7.5)
    for ax in (left, right, converge):
        ax.tick_params(labelsize=7)
    fig.set_dpi(dpi)  # the figure returned (and checked) is the one written (``output.plots.save``)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return fig


def plot_convergence(ax, units: pd.DataFrame, result: pd.DataFrame) -> None:
    """Income growth (% per year, log) on log initial income, by city presence, with the
    OLS line over every unit (beta convergence: a negative slope) and the observed slope
    of an ``income_convergence``-like pattern (slope of income_growth_log on
    log_income_start) drawn through the same centre."""
    x, y = units["log_income_start"].to_numpy(float), units["income_growth_log"].to_numpy(float)
    for value, colour, label in CITY_GROUPS:
        keep = units["has_city"].to_numpy(int) == value
        ax.scatter(x[keep], 100 * y[keep], s=5, alpha=0.5, color=colour, label=label, marker="o" if value else "^")
    beta = st.slope(x, y)
    finite = np.isfinite(x) & np.isfinite(y)
    if np.isfinite(beta):
        cx, cy = x[finite].mean(), y[finite].mean()
        grid = np.linspace(x[finite].min(), x[finite].max(), 2)
        ax.plot(grid, 100 * (cy + beta * (grid - cx)), color=SIMULATED, linewidth=1.5,
                label=f"simulated slope {beta:.3g}")
        observed = result[result["statistic"] == "slope income_growth_log on log_income_start"]
        for r in observed.itertuples():
            ax.plot(grid, 100 * (cy + r.observed * (grid - cx)), color=OBSERVED, linewidth=1.5, linestyle="--",
                    label=f"observed slope {r.observed:.3g} ({r.pattern})")
    ax.set_xlabel("log of initial income per person (USD/yr)", fontsize=8)
    ax.set_ylabel("income growth (% per year, log)", fontsize=8)
    ax.set_title("Convergence: growth on initial income", fontsize=9)
