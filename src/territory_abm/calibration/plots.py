"""Plots of a calibration: posterior marginals and pairs, observed vs simulated statistics,
and the posterior predictive check against the observations."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .design import CalibrationDesign  # noqa: E402
from .fit import Fit  # noqa: E402
from .observations import OBSERVABLES  # noqa: E402
from .report import PREDICTED  # noqa: E402


def plot_posterior(design: CalibrationDesign, fit: Fit, path: Path) -> None:
    """Marginal histograms (diagonal) and pairwise scatter of the uncertainty sample, on
    the prior's box, with the estimate marked."""
    names, d = list(design.parameters), len(design.parameters)
    size = max(2.4, 8.0 / d)
    fig, axes = plt.subplots(d, d, figsize=(size * d + 0.6, size * d + 0.4), squeeze=False, constrained_layout=True)
    for i in range(d):
        for j in range(d):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(fit.draws[:, i], bins=20, range=design.bounds[i], weights=fit.weights, color="tab:blue",
                        alpha=0.75)
                ax.axvline(fit.estimate[i], color="k", lw=1.2)
                ax.set_yticks([])
            else:
                ax.scatter(fit.draws[:, j], fit.draws[:, i], s=8 + 400 * fit.weights, alpha=0.5, color="tab:blue")
                ax.plot(fit.estimate[j], fit.estimate[i], "k+", ms=12)
                ax.set_ylim(design.bounds[i])
                if j == 0:
                    ax.set_ylabel(names[i], fontsize=8)
            ax.set_xlim(design.bounds[j])
            if i == d - 1:
                ax.set_xlabel(names[j], fontsize=8)
            ax.tick_params(labelsize=7)
    what = "posterior (ABC-SMC)" if fit.method == "abc_smc" else "bootstrap re-estimates (SMM)"
    fig.suptitle(f"{design.name}: {what}; axes span the prior", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_fit(fit_rows: pd.DataFrame, level: float, path: Path) -> None:
    """Observed against simulated for every statistic, with predictive intervals."""
    names = list(dict.fromkeys(fit_rows["statistic"]))
    columns = min(3, len(names))
    rows = int(np.ceil(len(names) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.8 * rows), squeeze=False, constrained_layout=True)
    for ax, name in zip(axes.flat, names):
        part = fit_rows[fit_rows["statistic"] == name]
        err = np.vstack([part["simulated"] - part["predictive_low"], part["predictive_high"] - part["simulated"]])
        ax.errorbar(part["observed"], part["simulated"], yerr=np.clip(np.nan_to_num(err), 0, None), fmt="o", ms=4,
                    alpha=0.8, capsize=2)
        values = np.concatenate([part["observed"], part["predictive_low"], part["predictive_high"]])
        values = values[np.isfinite(values)]
        if values.size:
            lo, hi = values.min(), values.max()
            pad = 0.05 * (hi - lo or 1.0)
            ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="grey", lw=1, ls="--")
        for row in part.itertuples(index=False):
            if row.municipality and np.isfinite(row.observed):
                ax.annotate(row.municipality, (row.observed, row.simulated), fontsize=6, alpha=0.7)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("observed", fontsize=8)
        ax.set_ylabel(f"simulated ({level:.0%} predictive)", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_predictive(design: CalibrationDesign, predictive: pd.DataFrame, level: float, path: Path) -> None:
    """Top row: the mean over observed municipalities of each outcome per year, band over
    posterior draws, with the observed start and end. Bottom row: each municipality's end
    value, interval over draws, against its observation."""
    obs = design.observations
    names = [n for n in PREDICTED if np.isfinite(obs.end[n]).any()]
    fig, axes = plt.subplots(2, len(names), figsize=(3.6 * len(names), 6.6), squeeze=False, constrained_layout=True)
    q = ((1 - level) / 2, (1 + level) / 2)
    for k, name in enumerate(names):
        top, bottom = axes[0, k], axes[1, k]
        mean_by_draw = predictive.groupby(["draw", "year"])[name].mean().unstack("year")
        years = mean_by_draw.columns.to_numpy()
        top.fill_between(years, mean_by_draw.quantile(q[0]), mean_by_draw.quantile(q[1]), alpha=0.3,
                         label=f"simulated {level:.0%}")
        top.plot(years, mean_by_draw.median(), lw=1.5)
        top.plot([obs.start_year, obs.end_year], [np.nanmean(obs.start[name]), np.nanmean(obs.end[name])], "ko",
                 label="observed")
        top.set_title(f"{name} (mean of municipalities)", fontsize=9)
        top.tick_params(labelsize=7)
        end = predictive[predictive["year"] == obs.end_year].groupby("node_id")[name]
        order = [m for m in obs.municipalities if m in end.groups]
        lo, mid, hi = (end.quantile(q[0]).reindex(order), end.median().reindex(order), end.quantile(q[1]).reindex(order))
        x = np.arange(len(order))
        bottom.errorbar(x, mid, yerr=[mid - lo, hi - mid], fmt="_", ms=10, capsize=2, label="simulated")
        bottom.plot(x, obs.end[name].reindex(order), "ko", ms=4, label="observed")
        bottom.set_xticks(x, order, rotation=90, fontsize=7)
        bottom.set_title(f"{name} in {obs.end_year} ({OBSERVABLES[name].unit})", fontsize=9)
        bottom.tick_params(labelsize=7)
    axes[0, 0].legend(fontsize=7)
    axes[1, 0].legend(fontsize=7)
    fig.suptitle(f"{design.name}: posterior predictive check", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)
