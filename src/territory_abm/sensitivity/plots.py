"""Plots of sensitivity indices: Morris mu*-sigma, and index bars with intervals."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from matplotlib.figure import Figure  # noqa: E402

from ..output.figure_check import hide_colliding  # noqa: E402
from ..output.plots import DPI, save, wrap  # noqa: E402
from .analysis import SOBOL_SHARES, WIDEST_SHARE_INTERVAL  # noqa: E402
from .methods import Method  # noqa: E402


LABELLED = 5
"""Morris panels name the parameters of the largest mu* (at most this many, where there is room)."""
LABEL_NUDGES = ((0.0, 0.0), (0.0, -11.0), (0.0, 9.0), (0.0, -20.0), (0.0, 18.0))
"""Shifts (points) a Morris point label tries in turn before it gives way to others."""

SHARE_AXIS = (-0.5, 1.5)
"""Axis (shares of variance) of a panel whose intervals are too wide to read
(``analysis.WIDEST_SHARE_INTERVAL``): the shares' range with room for their estimation error."""

COLOURS = ("#0072B2", "#E69F00")
"""Okabe-Ito blue and orange: main and total index."""


def plot_indices(table: pd.DataFrame, method: Method, confidence_level: float, path: Path,
                 title: str = "") -> Figure:
    """One panel per outcome: Morris mu* against sigma (with mu* intervals clipped at 0), or
    bars of the method's main index (and total index, e.g. Sobol S1 and ST) with their
    intervals. Returns the figure written to ``path``."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    columns = min(2, len(outcomes))
    rows = int(np.ceil(len(outcomes) / columns))
    n_params = table["parameter"].nunique()
    height = 3.8 if method.name == "morris" else max(2.6, 0.3 * n_params + 1.4)  # one row of two: not a strip
    fig, axes = plt.subplots(rows, columns, figsize=(5.4 * columns, height * rows + 0.5), squeeze=False, dpi=DPI,
                             constrained_layout=True)
    labels = []
    for ax, outcome in zip(axes.flat, outcomes):
        part = table[(table["outcome"] == outcome) & (table["parameter_2"] == "")]
        if method.name == "morris":
            labels += _morris_panel(ax, part, confidence_level)
        else:
            _bars_panel(ax, part, method, confidence_level)
        ax.set_title(outcome, fontsize=10)
    for ax in list(axes.flat)[len(outcomes):]:
        ax.set_visible(False)
    fig.suptitle(wrap(title or method.title, 90), fontsize=10)
    if method.name == "morris":
        first = axes.flat[0]
        # one entry a row under a single panel: side by side they ran past its 5.4 inches
        fig.legend(*first.get_legend_handles_labels(), loc="outside lower center", ncols=3 if columns > 1 else 1,
                   fontsize=8, frameon=False)
        # each panel's largest mu* first (priorities are shares of the panel's largest), and a
        # label that collides tries a few shifts before it gives way
        hide_colliding(fig, sorted(labels, key=lambda t: -t.priority), nudges=LABEL_NUDGES, inside_axes=True)
    return save(fig, path)


def _morris_panel(ax, part: pd.DataFrame, confidence_level: float) -> list:
    """mu* against sigma; returns the point labels, each with its ``priority`` (mu* over the
    panel's largest)."""
    wide = part.pivot(index="parameter", columns="index", values="value")
    conf = part[part["index"] == "mu_star"].set_index("parameter")["conf"].reindex(wide.index)
    mu, sigma = wide["mu_star"].to_numpy(), wide["sigma"].to_numpy()
    half = np.nan_to_num(conf.to_numpy())
    # mu* is a mean of absolute values: its interval stops at 0
    xerr = np.vstack([np.minimum(half, np.maximum(mu, 0.0)), half])
    ax.errorbar(mu, sigma, xerr=xerr, fmt="o", color=COLOURS[0], ecolor="#9ecae1", capsize=3, ms=5,
                label=f"parameter: mu* with its {confidence_level:.0%} interval (clipped at 0)")
    top = float(np.nanmax(np.r_[mu + half, sigma, 0.0])) or 1.0
    ax.plot([0, top], [0, top], color="grey", lw=0.7, ls="--",
            label="sigma = mu*: non-linear or interacting above the line")
    ax.set_xlim(0, top * 1.08)
    ax.set_ylim(0, max(float(np.nanmax(np.r_[sigma, 0.0])), top) * 1.08 or 1.0)
    units = part.loc[part["index"] == "mu_star", "unit"] if "unit" in part else ()
    unit = units.iloc[0] if len(units) else "outcome units per parameter range"
    ax.set_xlabel(f"mu* (mean absolute elementary effect, {unit})", fontsize=8)
    ax.set_ylabel("sigma (spread of effects, same unit)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    labels = []
    order = np.argsort(-np.nan_to_num(mu, nan=-np.inf))[:LABELLED]
    for k in order:
        if not np.isfinite(mu[k]) or mu[k] <= 0:
            continue
        right = mu[k] > 0.55 * top  # labels of points on the right run leftwards, inside the panel
        # a leader line from the label to its point: a label nudged off a cluster still says whose it is
        # (a researcher's trial, session 24: labels floated above points at the origin)
        label = ax.annotate(wide.index[k], (mu[k], sigma[k]), fontsize=7, xytext=(-4 if right else 4, 4),
                            textcoords="offset points", ha="right" if right else "left",
                            arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "#888888", "shrinkA": 1,
                                        "shrinkB": 3})
        label.priority = float(mu[k] / np.nanmax(mu))
        labels.append(label)
    if len(wide) > LABELLED:
        # top left, where few points fall (sigma far above a small mu*): at the bottom right it took the
        # room of the largest mu*'s label when sigma was near 0 (a researcher's trial, session 24)
        ax.text(0.02, 0.98, f"labels: largest mu* only ({len(wide)} parameters in indices.csv)",
                transform=ax.transAxes, ha="left", va="top", fontsize=6, color="#555555")
    return labels


def _bars_panel(ax, part: pd.DataFrame, method: Method, confidence_level: float) -> None:
    indices = [method.main] + ([method.total] if method.total else [])
    params = list(dict.fromkeys(part["parameter"]))
    y = np.arange(len(params))
    height = 0.8 / len(indices)
    for k, index in enumerate(indices):
        rows = part[part["index"] == index].set_index("parameter").reindex(params)
        ax.barh(y + (k - (len(indices) - 1) / 2) * height, rows["value"], height=height,
                xerr=np.nan_to_num(rows["conf"].to_numpy()), capsize=2, color=COLOURS[k], alpha=0.9,
                label=f"{index} ({confidence_level:.0%} interval)")
    ax.set_yticks(y, params, fontsize=7)
    ax.invert_yaxis()
    shown = part[part["index"].isin(indices)]
    if shown["index"].isin(SOBOL_SHARES).all() and (shown["conf"] > WIDEST_SHARE_INTERVAL).any():
        # intervals wider than a share's whole range would squeeze every bar to a line
        ax.set_xlim(*SHARE_AXIS)
        ax.text(0.99, 0.01, "intervals cut at the axis: too wide to read", transform=ax.transAxes, ha="right",
                va="bottom", fontsize=7, color="#B00000")
    ax.axvline(0, color="black", lw=0.7)
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(fontsize=7, loc="best")
    ax.grid(axis="x", alpha=0.3)
