"""Plot of an ensemble held against observed patterns: typology shares (simulated with
their bootstrap interval vs observed with its tolerance), and income growth against the
change in inequality coloured by whether the territory has an intermediate city.
Okabe-Ito colours; the figure fits an A4 page across."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import outcomes
from ..output.plots import DPI

WIDTH = 7.5
SIMULATED, OBSERVED = "#0072B2", "#D55E00"
WITH_CITY, WITHOUT_CITY = "#009E73", "#CC79A7"


def plot_patterns(result: pd.DataFrame, units: pd.DataFrame, path: Path, dpi: int = DPI):
    """Draw, save and return the figure."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(WIDTH, 3.6), constrained_layout=True)
    shares = result[result["statistic"].str.startswith("share ")]
    types = units[units["type"].isin(outcomes.TYPES)]["type"].value_counts(normalize=True)
    labels = [f"type: {t}" for t in outcomes.TYPES] + list(shares["pattern"])
    simulated = [float(types.get(t, 0.0)) for t in outcomes.TYPES] + list(shares["simulated"])
    y = np.arange(len(labels))
    left.barh(y, 100 * np.asarray(simulated), color=SIMULATED, height=0.6, label="simulated (pooled)")
    n = len(outcomes.TYPES)
    for k, r in enumerate(shares.itertuples()):
        left.errorbar(100 * r.simulated, n + k, xerr=[[100 * (r.simulated - r.low)], [100 * (r.high - r.simulated)]],
                      color="black", capsize=3, linewidth=1, label="5-95 % over runs" if k == 0 else None)
        left.errorbar(100 * r.observed, n + k, xerr=100 * r.tolerance, fmt="D", color=OBSERVED, capsize=3,
                      label="observed +- tolerance" if k == 0 else None)
    left.set_yticks(y, labels, fontsize=7)
    left.set_ylim(len(labels) - 0.5, -0.5)
    left.set_xlim(0, 100)
    left.set_xlabel("% of municipalities", fontsize=8)
    left.set_title("Typology shares: simulated vs observed", fontsize=9)
    left.legend(fontsize=6.5, loc="lower right", frameon=False)
    for value, colour, label in ((1, WITH_CITY, "territory with an intermediate city"),
                                 (0, WITHOUT_CITY, "territory without")):
        part = units[units["has_city"] == value]
        right.scatter(100 * part["gini_change"], 100 * part["income_growth_log"], s=5, alpha=0.5, color=colour,
                      label=label, marker="o" if value else "^")
    right.axhline(0, color="grey", linewidth=0.6)
    right.axvline(0, color="grey", linewidth=0.6)
    right.set_xlabel("change in income Gini over the period (points)", fontsize=8)
    right.set_ylabel("income growth (% per year, log)", fontsize=8)
    right.set_title("Growth against change in inequality", fontsize=9)
    right.legend(fontsize=6.5, frameon=False, markerscale=2)
    for ax in (left, right):
        ax.tick_params(labelsize=7)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return fig
