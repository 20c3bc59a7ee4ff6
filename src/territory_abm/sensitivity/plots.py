"""Plots of sensitivity indices: Morris mu*-sigma, and index bars with intervals."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .methods import Method  # noqa: E402


def plot_indices(table: pd.DataFrame, method: Method, confidence_level: float, path: Path, title: str = "") -> None:
    """One panel per outcome: Morris mu* against sigma (with mu* intervals), or bars of the
    method's main index (and total index, e.g. Sobol S1 and ST) with their intervals."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    columns = min(3, len(outcomes))
    rows = int(np.ceil(len(outcomes) / columns))
    n_params = table["parameter"].nunique()
    height = 3.4 if method.name == "morris" else max(2.6, 0.32 * n_params + 1.4)
    fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, height * rows), squeeze=False,
                             constrained_layout=True)
    for ax, outcome in zip(axes.flat, outcomes):
        part = table[(table["outcome"] == outcome) & (table["parameter_2"] == "")]
        if method.name == "morris":
            _morris_panel(ax, part)
        else:
            _bars_panel(ax, part, method)
        ax.set_title(outcome, fontsize=10)
    for ax in list(axes.flat)[len(outcomes):]:
        ax.set_visible(False)
    fig.suptitle(title or method.title, fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _morris_panel(ax, part: pd.DataFrame) -> None:
    wide = part.pivot(index="parameter", columns="index", values="value")
    conf = part[part["index"] == "mu_star"].set_index("parameter")["conf"].reindex(wide.index)
    ax.errorbar(wide["mu_star"], wide["sigma"], xerr=np.nan_to_num(conf.to_numpy()), fmt="o", color="#2c7fb8",
                ecolor="#9ecae1", capsize=3, ms=5)
    for name, row in wide.iterrows():
        ax.annotate(name, (row["mu_star"], row["sigma"]), fontsize=6, xytext=(3, 3), textcoords="offset points")
    top = float(np.nanmax(np.r_[wide["mu_star"].to_numpy(), wide["sigma"].to_numpy(), 0.0])) or 1.0
    ax.plot([0, top], [0, top], color="grey", lw=0.7, ls="--")  # sigma = mu*: strongly non-linear or interacting
    ax.set_xlabel("mu* (mean absolute elementary effect)", fontsize=8)
    ax.set_ylabel("sigma (spread of effects)", fontsize=8)
    ax.grid(alpha=0.3)


def _bars_panel(ax, part: pd.DataFrame, method: Method) -> None:
    indices = [method.main] + ([method.total] if method.total else [])
    params = list(dict.fromkeys(part["parameter"]))
    y = np.arange(len(params))
    height = 0.8 / len(indices)
    for k, index in enumerate(indices):
        rows = part[part["index"] == index].set_index("parameter").reindex(params)
        ax.barh(y + (k - (len(indices) - 1) / 2) * height, rows["value"], height=height,
                xerr=np.nan_to_num(rows["conf"].to_numpy()), capsize=2, label=index,
                color=("#2c7fb8", "#fdae61")[k], alpha=0.9)
    ax.set_yticks(y, params, fontsize=7)
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.7)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
