"""Plots of a comparison: scenario time series with uncertainty bands, differences to the
reference scenario, and the typology shares under each scenario.

Every figure fits an A4 page across (7.5 in wide, panels in a grid rather than one strip),
uses the Okabe-Ito colours (safe for colour-blind readers) with a line style per scenario as
well, and explains colours, shapes and bands in its legend. Each plot function draws,
saves and returns its figure, so that :mod:`territory_abm.output.figure_check` can check
the text of the very figure that was written. Text and tick labels are in the language in
force (:mod:`territory_abm.language`: English unless the Spanish report draws them).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import outcomes
from ..language import label as outcome_label
from ..language import say, spanish, word
from ..output.plots import DPI, decimal_commas, note_axis_origin, outcome_axis, wrap
from .compare import HIGH, HORIZON, LOW, PROGRAMME_END, few_units

WIDTH = 7.5
"""Figure width (inches): the text width of an A4 page, so the report shows charts at full size."""

SCENARIO_COLOURS = ("#000000", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
"""Okabe-Ito colours in order of the scenarios (the reference first, in black); yellow is left
out, it cannot be read on white."""

LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 1)))
"""One line style per scenario, so the lines can be told apart without colour."""

DIFF_OUTCOMES = tuple((name, outcomes.outcome(name).axis_label) for name in outcomes.DIFFERENCES)
"""(outcome, label) of the difference panels, from the outcome registry."""


def scenario_style(k: int) -> dict:
    """Colour and line style of the ``k``-th scenario (the reference is 0)."""
    return {"color": SCENARIO_COLOURS[k % len(SCENARIO_COLOURS)], "linestyle": LINE_STYLES[k % len(LINE_STYLES)]}


def _save(fig: Figure, path: Path, dpi: int) -> Figure:
    decimal_commas(fig)
    fig.set_dpi(dpi)  # the figure returned (and checked) is the one written (``output.plots.save``)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return fig


def _short(name: str) -> str:
    """The registry label up to its first explanation (``"poverty headcount"``), in the
    language in force."""
    text = outcome_label(name).split(":")[0]
    return text[0].upper() + text[1:]


def _unit(unit: str) -> str:
    """A registry unit in the language in force."""
    from ..report.numbers import unit_text

    return unit_text(unit)


def _difference_unit(name: str) -> tuple[float, str]:
    """Factor and unit of a difference as drawn: shares in percentage points."""
    spec = outcomes.outcome(name)
    if spec.kind == "share":
        return 100.0, say("points", "puntos")
    return 1.0, "" if spec.unit == "1" else _unit(spec.unit)


def _span_text(span: float, unit: str) -> str:
    """A least range as the axis label says it: "0.4 points" ("0,4 puntos")."""
    from ..report.numbers import plain

    return f"{plain(span, 'g')} {unit}".strip()


def _difference_label(unit: str) -> str:
    """The axis of a difference: ``"difference (points)"``."""
    return say("difference ({unit})", "diferencia ({unit})", unit=unit) if unit else say("difference", "diferencia")


def plot_scenario_bands(territory: pd.DataFrame, scenarios: list[str], path: Path, dpi: int = DPI,
                        households_scale: float = 1.0) -> Figure:
    """Per outcome (the registry's ``SERIES``), each scenario's mean over seeds with its
    5-95 % band, in a grid of panels; the last cell holds the legend. ``households_scale``:
    the scale the totals over households in ``territory`` are at (compare's tables: the
    simulated territory's); below 1 their panels' titles say so, so that a figure lifted from
    a comparison does not pass for the whole territory (the report draws whole-territory
    totals, at 1)."""
    series = list(outcomes.SERIES)
    columns = 3
    rows = int(np.ceil((len(series) + 1) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(WIDTH, 2.55 * rows + 0.3), squeeze=False,
                             constrained_layout=True)
    for ax, name in zip(axes.flat, series):
        scale = 100.0 if outcomes.outcome(name).kind == "share" else 1.0
        for k, scenario in enumerate(scenarios):
            by_year = territory[territory["scenario"] == scenario].groupby("year")[name]
            mean = by_year.mean() * scale
            style = scenario_style(k)
            ax.fill_between(mean.index, by_year.quantile(LOW / 100) * scale, by_year.quantile(HIGH / 100) * scale,
                            color=style["color"], alpha=0.15, lw=0)
            ax.plot(mean.index, mean.values, lw=1.6, **style)
        spec = outcomes.outcome(name)
        unit = "%" if spec.kind == "share" else ("" if spec.unit == "1" else _unit(spec.unit))
        title = _short(name)
        if spec.across == "sum" and households_scale != 1:
            title += say(", simulated territory (households_scale {scale}: divide by {scale} for the whole territory)",
                         ", territorio simulado (households_scale {scale}: divida por {scale} para todo el "
                         "territorio)", scale=f"{households_scale:g}")
        ax.set_title(wrap(title, 30), fontsize=8.5)
        ax.set_ylabel(unit, fontsize=7.5)
        ax.tick_params(labelsize=7)
        ax.xaxis.get_major_locator().set_params(integer=True, nbins=4)
        ax.grid(alpha=0.3)
        outcome_axis(ax, name, scale)
        note_axis_origin(ax)
    for ax in list(axes.flat)[len(series):]:
        ax.axis("off")
    key = list(axes.flat)[len(series)]
    handles = [Line2D([], [], lw=1.6, label=s + (say(" (reference)", " (referencia)") if k == 0 else ""),
                      **scenario_style(k)) for k, s in enumerate(scenarios)]
    handles.append(Patch(facecolor="#888888", alpha=0.3, label=say("band: {low}-{high} % of runs",
                                                                   "banda: {low}-{high} % de las corridas",
                                                                   low=LOW, high=HIGH)))
    key.legend(handles=handles, loc="center", fontsize=7.5, title=say("Line: scenario (mean over seeds)",
                                                                      "Línea: escenario (media sobre semillas)"),
               title_fontsize=7.5, frameon=False)
    for ax in list(axes.flat)[: len(series)]:
        ax.set_xlabel(say("year", "año"), fontsize=7.5)
    return _save(fig, path, dpi)


def plot_differences_over_time(by_year: pd.DataFrame, scenarios: list[str], programme_end: dict,
                               path: Path, dpi: int = DPI) -> Figure:
    """Each intervention's difference to the reference every year, paired by seed: its mean
    and 5-95 % band (``Comparison.differences_by_year``), one panel per outcome of
    ``DIFF_OUTCOMES``, a dotted line where its programmes end before the horizon
    (``programme_end``: scenario -> year or None); ``scenarios`` give the colours (the
    reference first, as in the time series). Where the levels' bands of all scenarios overlap,
    the paired differences show what the programmes change, and when."""
    columns = 2
    rows = int(np.ceil(len(DIFF_OUTCOMES) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(WIDTH, 2.4 * rows + 0.6), squeeze=False,
                             constrained_layout=True)
    shown = [s for s in scenarios[1:] if (by_year["scenario"] == s).any()]
    for ax, (name, _) in zip(axes.flat, DIFF_OUTCOMES):
        factor, unit = _difference_unit(name)
        for scenario in shown:
            part = by_year[(by_year["scenario"] == scenario) & (by_year["outcome"] == name)].sort_values("year")
            style = scenario_style(scenarios.index(scenario))
            ax.fill_between(part["year"], factor * part["diff_q05"], factor * part["diff_q95"], color=style["color"],
                            alpha=0.15, lw=0)
            ax.plot(part["year"], factor * part["diff_to_reference"], lw=1.6, label=scenario, **style)
            end = programme_end.get(scenario)
            if end is not None:
                ax.axvline(end, color=style["color"], lw=0.8, ls=":")
        ax.axhline(0, color="black", lw=0.8)
        outcome_axis(ax, name, factor)
        ax.set_title(wrap(_short(name), 30), fontsize=8.5)
        ax.set_ylabel(_difference_label(unit), fontsize=7.5)
        ax.tick_params(labelsize=7)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(DIFF_OUTCOMES):]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(3, max(len(labels), 1)), fontsize=7.5,
               frameon=False)
    fig.suptitle(wrap(say("Difference to the reference each year, paired by seed (mean and 5-95 % over seeds; "
                          "dotted: a programme's last year)",
                          "Diferencia con la referencia cada año, pareada por semilla (media y 5-95 % sobre "
                          "semillas; punteado: el último año de un programa)"), 90), fontsize=9)
    return _save(fig, path, dpi)


def plot_differences(summary: pd.DataFrame, reference: str, path: Path, dpi: int = DPI) -> Figure:
    """Difference of each scenario to the reference, paired by seed, with its 5-95 %
    interval: at the horizon (solid bar) and, for scenarios whose programmes end before it,
    at the programme end (hatched bar); one panel per outcome of ``DIFF_OUTCOMES``, the
    colour of a bar is its scenario's (as in the time series)."""
    scenarios = list(dict.fromkeys(summary["scenario"]))
    if "period" not in summary:
        summary = summary.assign(period=HORIZON)
    bars = [(s, p) for s in scenarios if s != reference for p in (HORIZON, PROGRAMME_END)
            if ((summary["scenario"] == s) & (summary["period"] == p)).any()]
    columns = 2
    rows = int(np.ceil(len(DIFF_OUTCOMES) / columns))
    panel = 0.3 * len(bars) + 1.0
    fig, axes = plt.subplots(rows, columns, figsize=(WIDTH, panel * rows + 0.75), squeeze=False,
                             constrained_layout=True)
    y = np.arange(len(bars))
    for k, (ax, (name, _)) in enumerate(zip(axes.flat, DIFF_OUTCOMES)):
        factor, unit = _difference_unit(name)
        part = summary[summary["outcome"] == name].set_index(["scenario", "period"])
        rows_ = part.reindex(bars)
        mean = factor * rows_["diff_to_reference"].to_numpy(float)
        err = factor * np.vstack([rows_["diff_to_reference"] - rows_["diff_q05"],
                                  rows_["diff_q95"] - rows_["diff_to_reference"]])
        colours = [scenario_style(scenarios.index(s))["color"] for s, _ in bars]
        ax.barh(y, np.nan_to_num(mean), xerr=np.nan_to_num(err), color=colours, height=0.7,
                hatch=["////" if p == PROGRAMME_END else "" for _, p in bars],
                alpha=1.0, edgecolor="white", linewidth=0.0, error_kw={"elinewidth": 1, "capsize": 2.5})
        for bar, (_, p) in zip(ax.patches, bars):
            if p == PROGRAMME_END:
                bar.set_alpha(0.55)
        ax.axvline(0, color="black", lw=0.8)
        if outcome_axis(ax, name, factor, axis="x"):  # said, so short bars read as small, not as nothing
            label = _difference_label(unit) + "\n" + say(
                "(axis at least {span} wide)", "(eje de al menos {span} de ancho)",
                span=_span_text(factor * outcomes.outcome(name).least_span, unit))
        else:
            label = _difference_label(unit)
        names = [f"{s} ({int(year)})" if np.isfinite(year) else s for (s, _), year in zip(bars, rows_["year"])]
        ax.set_yticks(y, names if k % columns == 0 else [""] * len(bars), fontsize=7)
        ax.set_ylim(len(bars) - 0.5, -0.5)
        ax.set_title(wrap(_short(name), 30), fontsize=8.5)
        ax.set_xlabel(label, fontsize=7.5)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.get_major_locator().set_params(nbins=5)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(DIFF_OUTCOMES):]:
        ax.axis("off")
    handles = [Patch(facecolor=scenario_style(scenarios.index(s))["color"], label=s)
               for s in dict.fromkeys(s for s, _ in bars)]
    handles += [Patch(facecolor="#777777", label=say("solid: at the horizon", "lleno: en el horizonte")),
                Patch(facecolor="#777777", alpha=0.55, hatch="////", edgecolor="white",
                      label=say("hatched: at the end of its programmes", "rayado: al final de sus programas")),
                Line2D([], [], color="black", lw=1, marker="|", markersize=6,
                       label=say("line: {low}-{high} % of paired runs", "línea: {low}-{high} % de las corridas "
                                 "pareadas", low=LOW, high=HIGH))]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=7, frameon=False,
               title=say("Difference to {reference} (same seeds); year in brackets",
                         "Diferencia con {reference} (mismas semillas); año entre paréntesis", reference=reference),
               title_fontsize=7.5)
    return _save(fig, path, dpi)


UNIT_LABELS = {"rural": "% of rural municipalities", "cities": "% of intermediate cities",
               "all": "% of municipalities and cities"}
UNIT_LABELS_ES = {"rural": "% de los municipios rurales", "cities": "% de las ciudades intermedias",
                  "all": "% de los municipios y ciudades"}
"""The Spanish of :data:`UNIT_LABELS`."""


def plot_typology_shares(shares: pd.DataFrame, path: Path, period: str = HORIZON, dpi: int = DPI) -> Figure:
    """Stacked bars of type shares per scenario, one panel per group (rural municipalities,
    intermediate cities, both; by count) plus both weighted by population; the colours
    are the registry's type colours."""
    part = shares[(shares["period"] == period) & (shares["measure"] == "type")]
    scenarios = list(dict.fromkeys(part["scenario"]))
    panels = [(g, "share_of_units", say("{group} (share of their number)", "{group} (proporción de su número)",
                                        group=word(outcomes.GROUPS[g]))) for g in outcomes.GROUPS] + \
        [("all", "share_of_population", say("all, weighted by population", "todos, ponderados por población"))]
    columns = 2
    rows = int(np.ceil(len(panels) / columns))
    panel = 0.28 * len(scenarios) + 0.95
    fig, axes = plt.subplots(rows, columns, figsize=(WIDTH, panel * rows + 0.9), squeeze=False,
                             constrained_layout=True)
    for k, (ax, (group, column, title)) in enumerate(zip(axes.flat, panels)):
        left = np.zeros(len(scenarios))
        # a group of few units in numbers of units (with 2 cities, 50 % is "1 of 2"), as the report's tables
        few = few_units(part[part["group"] == group]) if column == "share_of_units" else None
        scale = few if few else 100
        for t in outcomes.TYPES:
            rows_ = part[(part["group"] == group) & (part["category"] == t)].set_index("scenario")
            values = scale * np.nan_to_num(rows_[column].reindex(scenarios).to_numpy(float))
            ax.barh(np.arange(len(scenarios)), values, left=left, color=outcomes.TYPE_COLOURS[t], label=word(t),
                    height=0.7, edgecolor="white", linewidth=0.5)
            left += values
        ax.set_yticks(np.arange(len(scenarios)), scenarios if k % columns == 0 else [""] * len(scenarios),
                      fontsize=7)
        ax.set_ylim(len(scenarios) - 0.5, -0.5)
        ax.set_xlim(0, scale)
        if few:
            title = say("{group} (number of the {few}, mean over seeds)",
                        "{group} (número de las {few}, media sobre semillas)", group=word(outcomes.GROUPS[group]),
                        few=few)
            ax.set_xticks(np.arange(few + 1))
        ax.set_title(wrap(title[0].upper() + title[1:], 30), fontsize=8.5)
        if few:
            label = say("number of {group}", "número de {group}", group=word(outcomes.GROUPS[group]))
        else:
            label = (UNIT_LABELS_ES if spanish() else UNIT_LABELS)[group] if column == "share_of_units" \
                else say("% of population", "% de la población")
        ax.set_xlabel(label, fontsize=7.5)
        ax.tick_params(axis="x", labelsize=7)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    handles = [Patch(facecolor=outcomes.TYPE_COLOURS[t], label=word(t)) for t in outcomes.TYPES]
    when = {"horizon": "el horizonte", "programme end": "el final del programa"}.get(period, period) if spanish() \
        else period
    fig.legend(handles=handles, loc="outside lower center", ncol=len(outcomes.TYPES), fontsize=7, frameon=False,
               title=say("Colour: type of municipality at the {period} (mean over seeds; a change counts only beyond "
                         "its tolerance)",
                         "Color: tipo de municipio en {period} (media sobre semillas; un cambio cuenta solo más allá "
                         "de su tolerancia)", period=when), title_fontsize=7.5)
    return _save(fig, path, dpi)
