"""Plots of a calibration: posterior marginals and pairs, observed vs simulated statistics,
and the posterior predictive check against the observations."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from ..output.figure_check import hide_colliding  # noqa: E402
from ..output.plots import DPI, LINE_COLOUR, note_axis_origin, save  # noqa: E402
from .design import CalibrationDesign  # noqa: E402
from .fit import Fit  # noqa: E402
from .observations import OBSERVABLES  # noqa: E402
from .report import PREDICTED  # noqa: E402


def plot_posterior(design: CalibrationDesign, fit: Fit, path: Path) -> Figure:
    """Marginal histograms (diagonal) and pairwise scatter of the uncertainty sample, on
    the prior's box, with the estimate marked."""
    names, d = list(design.parameters), len(design.parameters)
    size = max(2.4, 8.0 / d)
    fig, axes = plt.subplots(d, d, figsize=(size * d + 0.6, size * d + 0.4), squeeze=False, constrained_layout=True, dpi=DPI)
    for i in range(d):
        for j in range(d):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(fit.draws[:, i], bins=20, range=design.bounds[i], weights=fit.weights, color=LINE_COLOUR,
                        alpha=0.75)
                ax.axvline(fit.estimate[i], color="k", lw=1.2)
                ax.set_yticks([])
            else:
                ax.scatter(fit.draws[:, j], fit.draws[:, i], s=8 + 400 * fit.weights, alpha=0.5, color=LINE_COLOUR)
                ax.plot(fit.estimate[j], fit.estimate[i], "k+", ms=12)
                ax.set_ylim(design.bounds[i])
                if j == 0:
                    ax.set_ylabel(names[i], fontsize=8)
            ax.set_xlim(design.bounds[j])
            if i == d - 1:
                ax.set_xlabel(names[j], fontsize=8)
            ax.tick_params(labelsize=7)
    what = "posterior (ABC-SMC)" if fit.method == "abc_smc" else "bootstrap re-estimates (SMM)"
    key = [Patch(color=LINE_COLOUR, alpha=0.75, label=f"{what}: weight of each value"),
           Line2D([], [], color="k", lw=1.2, marker="+", ms=10, label="estimate")]
    if d > 1:
        key.insert(1, Line2D([], [], ls="", marker="o", color=LINE_COLOUR, alpha=0.5, label="draw (area: weight)"))
    fig.legend(handles=key, loc="outside lower center", ncols=len(key), fontsize=8, frameon=False)
    fig.suptitle(f"{design.name}: {what}; axes span the prior", fontsize=10)
    return save(fig, path)


LABELLED = 4
"""Fit panels name the municipalities farthest from their observation (at most this many,
where there is room)."""
FIT_MIN_WIDTH = 7.5
"""Narrowest fit figure (inches): room for the title and the legend with one or two panels."""


def plot_fit(fit_rows: pd.DataFrame, level: float, path: Path) -> Figure:
    """Observed against simulated for every statistic, with predictive intervals; the
    municipalities farthest from the diagonal are named."""
    names = list(dict.fromkeys(fit_rows["statistic"]))
    columns = min(3, len(names))
    rows = int(np.ceil(len(names) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(max(3.9 * columns, FIT_MIN_WIDTH), 3.6 * rows + 0.5),
                             squeeze=False, constrained_layout=True, dpi=DPI)
    labels = []
    for ax, name in zip(axes.flat, names):
        part = fit_rows[fit_rows["statistic"] == name]
        # the interval as it is (it need not hold the point: the point is the estimate's mean over
        # seeds, the interval the spread over posterior draws)
        ax.vlines(part["observed"], part["predictive_low"], part["predictive_high"], color=LINE_COLOUR, alpha=0.5,
                  lw=1.5, label=f"{level:.0%} predictive interval (posterior draws)")
        ax.plot(part["observed"], part["simulated"], "o", ms=4, alpha=0.8, color=LINE_COLOUR,
                label="simulated at the estimate")
        values = np.concatenate([part["observed"], part["predictive_low"], part["predictive_high"]])
        values = values[np.isfinite(values)]
        if values.size:
            lo, hi = values.min(), values.max()
            pad = 0.05 * (hi - lo or 1.0)
            ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="grey", lw=1, ls="--",
                    label="simulated = observed")
        miss = (part["simulated"] - part["observed"]).abs()
        for row in part.assign(miss=miss).sort_values("miss", ascending=False).head(LABELLED).itertuples(index=False):
            if row.municipality and np.isfinite(row.observed) and np.isfinite(row.simulated):
                text = f"{row.municipality} {row.period}" if getattr(row, "period", "") else row.municipality
                label = ax.annotate(text, (row.observed, row.simulated), fontsize=7,
                                    xytext=(3, 3), textcoords="offset points")
                label.priority = float(row.miss)
                labels.append(label)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("observed", fontsize=8)
        ax.set_ylabel("simulated", fontsize=8)
        ax.tick_params(labelsize=7)
        note_axis_origin(ax, "x")
        note_axis_origin(ax, "y")
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=8,
               frameon=False)
    named = (fit_rows["municipality"].fillna("").astype(str) != "").any()
    fig.suptitle(f"Observed and simulated statistics; labels: the {LABELLED} municipalities farthest from "
                 "their observation" if named else "Observed and simulated statistics", fontsize=9)
    hide_colliding(fig, sorted(labels, key=lambda t: -t.priority))
    return save(fig, path)


def plot_predictive(design: CalibrationDesign, predictive: pd.DataFrame, level: float, path: Path) -> Figure:
    """One row per outcome. Left: the mean over observed municipalities per year, band over
    posterior draws, with the observed means at every census date. Right: each municipality's end value,
    interval over draws, against its observation."""
    obs = design.observations
    names = [n for n in PREDICTED if np.isfinite(obs.end[n]).any()]
    fig, axes = plt.subplots(len(names), 2, figsize=(10, 2.7 * len(names) + 0.8), squeeze=False,
                             constrained_layout=True, width_ratios=(1, 1.4))
    q = ((1 - level) / 2, (1 + level) / 2)
    for k, name in enumerate(names):
        left, right = axes[k, 0], axes[k, 1]
        unit = {"1": "share"}.get(OBSERVABLES[name].unit, OBSERVABLES[name].unit)
        mean_by_draw = predictive.groupby(["draw", "year"])[name].mean().unstack("year")
        years = mean_by_draw.columns.to_numpy()
        left.fill_between(years, mean_by_draw.quantile(q[0]), mean_by_draw.quantile(q[1]), alpha=0.3,
                          color=LINE_COLOUR, label=f"simulated, {level:.0%} of posterior draws")
        left.plot(years, mean_by_draw.median(), lw=1.5, color=LINE_COLOUR, label="simulated, median draw")
        left.plot(list(obs.dates), [np.nanmean(obs.frames[year][name]) for year in obs.dates], "ko",
                  label="observed")
        left.set_title(f"{name}: mean of municipalities", fontsize=9)
        left.set_ylabel(unit, fontsize=8)
        left.tick_params(labelsize=7)
        note_axis_origin(left)
        end = predictive[predictive["year"] == obs.end_year].groupby("node_id")[name]
        order = [m for m in obs.municipalities if m in end.groups]
        lo, mid, hi = (end.quantile(q[0]).reindex(order), end.median().reindex(order), end.quantile(q[1]).reindex(order))
        x = np.arange(len(order))
        right.errorbar(x, mid, yerr=[mid - lo, hi - mid], fmt="_", ms=10, capsize=2, color=LINE_COLOUR)
        right.plot(x, obs.end[name].reindex(order), "ko", ms=4)
        right.set_xticks(x, order, rotation=90, fontsize=7)
        right.set_title(f"{name} in {obs.end_year}, by municipality", fontsize=9)
        right.set_ylabel(unit, fontsize=8)
        right.tick_params(axis="y", labelsize=7)
        note_axis_origin(right)
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8,
               frameon=False)
    fig.suptitle(f"{design.name}: posterior predictive check (right: median and {level:.0%} interval of the "
                 "draws; dots observed)", fontsize=10)
    return save(fig, path)
