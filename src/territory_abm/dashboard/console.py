"""The trainer's console: every group's settings and outcomes, the debrief of all groups against
each one's same-seed no-policy run, and one archive with every group's run.

Pure functions of a group (read under its lock, :meth:`.groups.GroupStore.each`) or of the rows
read from the groups; the page (:mod:`.app`) draws them.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .compare import track_frame
from .controls import LEVER_FIELDS, decimals_of, field_range, live_policy
from .groups import Group, GroupStore
from .maps import DIFFERENCES, DifferencePanel, difference_ends, difference_map, node_differences
from .text import NBSP, number, outcome_text, t
from .views import Ticks, YearTicks, fits, font_scale


@dataclass(frozen=True)
class GroupRow:
    """What the console shows of one group (read under its lock).

    ``track`` is the group's run against its same-seed no-policy twin, one row per year
    (:func:`.compare.track_frame`); the last row gives the other numbers.
    """

    name: str
    seed: int
    year: int
    steps: int
    levers: tuple[str, ...]  # levers switched on now
    parameters: dict  # behavioural parameters the group chose
    track: pd.DataFrame
    territory: str = ""  # the model's territory directory (for the debrief map)
    graph: object = None  # a copy of the model's network (drawn when the territory has no geometry)
    differences: dict = field(default_factory=dict)  # debrief map key -> {node id: this year's difference}
    horizon: int | None = None  # the scenario's years: a group past them is marked in the table
    settings: dict = field(default_factory=dict)  # lever on -> (its fields' values, target names, start, end)

    @property
    def last(self) -> pd.Series:
        return self.track.iloc[-1]


def group_row(group: Group) -> GroupRow:
    """The console's row of ``group`` (call under its lock, e.g. through ``GroupStore.each``)."""
    model = group.model
    live = {lever: live_policy(model, lever) for lever in LEVER_FIELDS}
    on = tuple(lever for lever, policy in live.items() if policy is not None)
    names = dict(zip(model.territory.ids, model.territory.names))
    settings = {lever: ({f: float(policy.values[f]) for f in LEVER_FIELDS[lever]},
                        None if policy.target == "all" else tuple(names.get(i, i) for i in policy.target),
                        policy.start, policy.end) for lever, policy in live.items() if policy is not None}
    differences = {key: node_differences(model, group.twin, key) for key in DIFFERENCES} if group.twin else {}
    return GroupRow(group.name, group.seed, int(model.year), int(model.steps), on, dict(group.parameters),
                    track_frame(group.track), str(model.territory.source), model.graph.copy(), differences,
                    int(model.scenario.steps), settings)


def lever_text(row: GroupRow, lever: str, lang: str) -> str:
    """A lever a group has on, with what it set (a trainer's trial, session 54: the table said
    'Cash transfers' alike for 300 USD to all municipalities and 1,000 USD to one): 'Cash
    transfers: Amount 300, Coverage 0.3; Cerro Azul; 2026-2030'."""
    if lever not in row.settings:
        return t(lang, lever)
    values, target, start, end = row.settings[lever]
    fields = ", ".join(f"{t(lang, f).split(' (')[0]} {number(v, lang, decimals_of(field_range(lever, f)[2]))}"
                       for f, v in values.items())  # at the places its slider shows
    where = t(lang, "all") if target is None else ", ".join(target)
    return f"{t(lang, lever)}: {fields}; {where}; {start}-{end}"


def group_table(rows: list[GroupRow], lang: str) -> list[list[str]]:
    """Header and one line per group: year, levers on, parameters changed, and poverty, income
    per person and income of households not reached, each with its difference from the group's
    same-seed no-policy run, and the policy cost so far (the words of the page's ``lang``)."""
    header = [t(lang, k) for k in ("group", "year", "levers_on", "parameters_changed", "poverty",
                                   "vs_no_policy_points", "income", "vs_no_policy", "income_others", "vs_no_policy",
                                   "cumulative_cost")]
    lines = [header]
    for row in rows:
        last = row.last if len(row.track) else None
        year = str(row.year)
        if row.horizon is not None and row.steps > row.horizon:  # the group stepped past the scenario's years
            # the note on one line, after the year (in Spanish it wrapped onto four lines)
            year += " (" + NBSP.join(t(lang, "past_horizon").format(years=row.horizon).split(" ")) + ")"
        # a name on one line (the table wrapped "Group 1" as "Group / 1")
        cells = [NBSP.join(row.name.split(" ")), year, " / ".join(lever_text(row, lever, lang) for lever in row.levers) or "-",
                 ", ".join(row.parameters) or "-"]
        if last is None:
            cells += ["-"] * 7
        else:
            cells += [number(100 * last["poverty_headcount"], lang, 1) + " %",
                      outcome_text("poverty_headcount", last["poverty_headcount"] - last["twin_poverty_headcount"],
                                   lang, signed=True),
                      number(last["mean_income_pc"], lang, 0),
                      outcome_text("mean_income_pc", last["mean_income_pc"] - last["twin_mean_income_pc"], lang,
                                   signed=True),
                      number(last["income_others"], lang, 0),
                      outcome_text("mean_income_pc", last["income_others"] - last["twin_income_others"], lang,
                                   signed=True),
                      number(last["cumulative_cost"], lang, 0)]
        lines.append(cells)
    return lines


def markdown_table(lines: list[list[str]]) -> str:
    """``lines`` (header first) as a Markdown table; '|' in a cell is escaped."""
    def row(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([row(lines[0]), "|" + "---|" * len(lines[0]), *(row(c) for c in lines[1:])])


DEBRIEF = (("diff_poverty", lambda f: 100 * (f["poverty_headcount"] - f["twin_poverty_headcount"])),
           ("diff_income", lambda f: f["mean_income_pc"] - f["twin_mean_income_pc"]),
           ("diff_others", lambda f: f["income_others"] - f["twin_income_others"]),
           ("cumulative_cost", lambda f: f["cumulative_cost"]))
"""The debrief's charts: (label key, the plotted column of a group's track)."""


def debrief_figure(rows: list[GroupRow], lang: str, *, large: bool = False) -> Figure:
    """All groups side by side: each group's difference from its own same-seed no-policy run
    (poverty in points, income per person, income of households not reached) and its cumulative
    policy cost, by year, one line per group."""
    size = 10 * font_scale(large)
    fig = Figure(figsize=(9.6, 5.4), dpi=90, layout="constrained")
    axes = fig.subplots(2, 2).flat
    styles = line_styles(len(rows))
    for ax, (key, column) in zip(axes, DEBRIEF):
        ax.axhline(0, color="#6e7781", lw=1)
        for row, style in zip(rows, styles):
            if len(row.track):
                ax.plot(row.track["year"], column(row.track), ms=4, label=row.name, **style)
        ax.set_title(fits(t(lang, key), fig.get_figwidth() / 2 - 0.6, size), fontsize=size, loc="left")
        ax.tick_params(labelsize=size * 0.9)
        ax.yaxis.set_major_formatter(Ticks(lang))
        ax.xaxis.set_major_formatter(YearTicks())
        ax.xaxis.get_major_locator().set_params(integer=True)  # whole years, each once
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside right center", fontsize=size * 0.8, frameon=False)
    return fig


def debrief_map(rows: list[GroupRow], key: str, lang: str, *, large: bool = False) -> Figure:
    """One small map per group: each municipality's difference in menu entry ``key``
    (:data:`.maps.DIFFERENCES`) from the group's own same-seed no-policy run, this year
    (``large``: large-text mode)."""
    panels = [DifferencePanel(f"{row.name} ({row.year})", row.territory, row.graph, row.differences.get(key, {}))
              for row in rows]
    return difference_map(panels, t(lang, "debrief_map_title").format(what=t(lang, DIFFERENCES[key][2])), lang,
                          large=large, ends=difference_ends(key, lang))


OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
DASHES = ("-", "--", ":", "-.", (0, (6, 2, 1, 2, 1, 2)))
MARKERS = ("o", "s", "^", "D", "v")


def line_styles(n: int) -> list[dict]:
    """``n`` distinguishable line styles (``Axes.plot`` keywords): Okabe-Ito's eight colours,
    then the same colours dashed and with another marker, so that up to 40 groups (the
    server's most) have a style each; beyond that they repeat (the legend names each line)."""
    return [{"color": OKABE_ITO[i % len(OKABE_ITO)], "ls": DASHES[i // len(OKABE_ITO) % len(DASHES)],
             "marker": MARKERS[i // len(OKABE_ITO) % len(MARKERS)]} for i in range(n)]


def settings(group: Group) -> dict:
    """What a group's run was made of, enough to run it again: the exercise (scenario name and
    territory), seed, years simulated, the parameters chosen, every lever as switched on from the
    page (its fields, target, first and last year, as a scenario file's ``[[policies]]`` entry),
    and the lever panel's settings (call under the group's lock)."""
    model = group.model
    return {"group": group.name, "scenario": model.scenario.name, "territory": str(model.scenario.territory),
            "seed": group.seed, "start_year": int(model.start_year), "year": int(model.year),
            "steps": int(model.steps), "parameters": dict(group.parameters),
            "policies": [p.as_dict() for p in model.policies.policies if p.start <= model.year + 1],
            "lever_settings": group.lever_settings, "lever_targets": group.lever_targets,
            "lever_years": group.lever_years}


def file_stem(name: str, taken: set[str]) -> str:
    """A folder name for group ``name`` in the archive: ASCII letters, digits, '-' and '_'
    only (any unzip tool reads them), accented letters as their base letter ("Grupo Ñandú":
    Grupo_Nandu, where dropping them gave Grupo_and, trial 24), not in ``taken`` (a number
    added if it is)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.strip()) if not unicodedata.combining(c))
    stem = re.sub(r"[^\w-]+", "_", plain, flags=re.ASCII).strip("_") or "group"
    candidate, k = stem, 2
    while candidate.casefold() in taken:
        candidate, k = f"{stem}_{k}", k + 1
    taken.add(candidate.casefold())
    return candidate


def export_archive(store: GroupStore, draw: Callable[[Group], dict[str, bytes]]) -> bytes:
    """A zip archive of every group's run: for each group a folder with ``settings.json``
    (:func:`settings`), ``outcomes.csv`` (one row per year: the run's outcomes, its same-seed
    no-policy twin's with a ``twin_`` prefix, incomes of households reached and not reached,
    the cumulative cost) and the charts ``draw(group)`` gives (file name -> PNG bytes); and
    ``groups.csv`` with one line per group. Each group is read under its lock."""
    def read(group: Group) -> tuple[str, dict, pd.DataFrame, dict[str, bytes]]:
        return group.name, settings(group), track_frame(group.track), draw(group)

    taken: set[str] = set()
    buffer = io.BytesIO()
    summary = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, setting, track, charts in store.each(read):
            folder = file_stem(name, taken)
            archive.writestr(f"{folder}/settings.json", json.dumps(setting, indent=2, allow_nan=False,
                                                                   ensure_ascii=False, default=_plain))
            archive.writestr(f"{folder}/outcomes.csv", track.to_csv(index=False, float_format="%.10g"))
            for file, data in charts.items():
                archive.writestr(f"{folder}/{file}", data, compress_type=zipfile.ZIP_STORED)  # PNG: compressed
            last = track.iloc[-1] if len(track) else {}
            summary.append({"group": name, "folder": folder, "seed": setting["seed"], "year": setting["year"],
                            **{k: last.get(k, np.nan) for k in ("poverty_headcount", "twin_poverty_headcount",
                                                                 "mean_income_pc", "twin_mean_income_pc",
                                                                 "cumulative_cost")}})
        archive.writestr("groups.csv", pd.DataFrame(summary, columns=["group", "folder", "seed", "year",
                                                                      "poverty_headcount", "twin_poverty_headcount",
                                                                      "mean_income_pc", "twin_mean_income_pc",
                                                                      "cumulative_cost"])
                         .to_csv(index=False, float_format="%.10g"))
    return buffer.getvalue()


def _plain(value):
    """JSON for numpy numbers (settings hold floats and ints from sliders and the model)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")
