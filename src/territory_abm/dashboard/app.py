"""The Solara page served by ``territory-abm dashboard``: one model per classroom group.

The scenario comes from the environment variable ``TERRITORY_ABM_SCENARIO`` (a TOML file;
nothing in it is executed). A group joins with its name (``?group=NAME`` in the address, put
there by the join form); its model, language and panel choices are kept on the server by that
name (:mod:`.groups`), so a reload finds them again and no two groups share anything. Step,
play and reset act on the group's model; the lever and behaviour panels change it from the
next simulated year; reset starts the scenario again with the chosen seed.

Built with Solara directly rather than Mesa's SolaraViz, which keeps one model per page
module (shared by every browser session) and steps it without a lock.
"""

from __future__ import annotations

import functools
import re
import math
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote

import solara

from ..errors import InputError
from ..model import TerritoryModel
from ..params import REGISTRY
from ..scenarios.loader import load_scenario
from .access import join_code, join_error
from .controls import (
    LEVER_FIELDS,
    LEVER_YEARS,
    PARAMETERS,
    YEARS_RANGE,
    apply_lever,
    decimals_of,
    field_range,
    lever_defaults,
    live_policy,
    live_values,
    municipality_ids,
    parameter_range,
    ran_policy,
)
from .compare import PARTS, node_row, track_frame
from .groups import Group, GroupStore, group_key
from .text import NBSP, PARAMETER_LABELS, error_message, number, outcome_text, t, unit
from .maps import TerritoryView, map_note
from .markup import Markdown
from .views import COLOUR_BY, charts_figure, compare_figure, municipality_comparison, municipality_details, png

SCENARIO_VARIABLE = "TERRITORY_ABM_SCENARIO"
PLAY_INTERVAL = 0.3
"""Pause between simulated years while playing (s)."""
MAX_GROUPS = 40
"""Most groups one server keeps (each model takes some tens of MB)."""
IDLE_SECONDS = 2 * 3600.0
"""Groups unused this long (s) are dropped and their model released."""
SEED_MAX = 100

logger = logging.getLogger(__name__)


def scenario_path() -> Path:
    """The server's scenario file (``TERRITORY_ABM_SCENARIO``)."""
    path = os.environ.get(SCENARIO_VARIABLE)
    if not path:
        raise RuntimeError(f"set {SCENARIO_VARIABLE} to a scenario TOML file (territory-abm dashboard does)")
    return Path(path)


def exercise(path: Path) -> tuple[Callable[..., TerritoryModel], int]:
    """(model factory, seed) of the exercise in scenario file ``path``: ``factory(seed,
    **parameters)`` builds its model as ``territory-abm run`` would."""
    scenario = load_scenario(path)

    def factory(seed: int, **parameters: float) -> TerritoryModel:
        return TerritoryModel(scenario, seed=seed, **parameters)

    return factory, scenario.seed


def exercises() -> dict[str, Path]:
    """The exercises the trainer may load for every group: the scenario files beside the
    server's (by file name without ``.toml``)."""
    here = scenario_path()
    return {p.stem: p for p in sorted(here.resolve().parent.glob("*.toml"))} or {here.stem: here}


@functools.cache
def store() -> GroupStore:
    """The server's groups (one store per server process, built at the first page)."""
    factory, seed = exercise(scenario_path())
    return GroupStore(factory, seed=seed, max_groups=MAX_GROUPS, idle_seconds=IDLE_SECONDS, twins=True)


def group_from_search(search: str | None) -> str:
    """The ``group`` of a query string (``"group=Los%20Robles"`` -> ``"Los Robles"``; "" if none)."""
    return parse_qs(search or "").get("group", [""])[0].strip()


def code_from_search(search: str | None) -> str:
    """The join ``code`` of a query string ("" if none)."""
    return parse_qs(search or "").get("code", [""])[0].strip()


def join_address(path: str, name: str, code: str = "") -> str:
    """The address of group ``name``'s page (with the join code when the server asks for one)."""
    address = f"{path or '/'}?group={quote(' '.join(name.split()))}"
    return address + (f"&code={quote(''.join(code.split()).upper())}" if code else "")


def page_error(search: str | None) -> str:
    """Why the page at query ``search`` shows the join form rather than a group ("" if it may
    show the group; "-" when no group is named yet)."""
    name = group_from_search(search)
    if not name:
        return "-"
    try:
        group_key(name)
    except InputError as exc:
        return both_languages(exc)
    return join_error(code_from_search(search))


def both_languages(exc: InputError) -> str:
    """An input error in English and Spanish (for pages before a language is chosen)."""
    return f"{error_message(exc, 'en')} / {error_message(exc, 'es')}"


# ---------------------------------------------------------------------------- what a page shows


@dataclass(frozen=True)
class LeverView:
    on: bool
    values: dict
    target: str  # "all" or a node id
    years: int  # years it runs once on
    end: int | None  # its last year while on
    start: int | None = None  # its first year while on (a lever switched on during Play starts after the year shown)
    ran: tuple[int, int] | None = None  # while off: the first and last years it ran, if it did (controls.ran_policy)


@dataclass(frozen=True)
class View:
    """Everything a group's page shows, read from its model under the group's lock."""

    name: str
    language: str
    year: int
    steps: int
    seed: int
    colour_by: str
    selected: str
    map_png: bytes  # the municipalities as polygons, or the network (see map_note)
    map_note: str  # why the network is drawn instead of the polygons ("" when polygons)
    charts_png: bytes
    compare_png: bytes
    summary: str  # this run against the same-seed no-policy run, in words
    earlier: int  # earlier runs drawn faint
    hold_axes: bool
    large_text: bool
    details: tuple
    compared: tuple  # the selected municipality against the twin (views.municipality_comparison), () if none
    levers: dict
    params: dict
    start_params: dict  # the scenario's values (their sliders keep them exactly)
    municipalities: dict  # display name -> node id
    locked: bool  # the trainer locked the controls
    horizon: int | None = None  # the exercise's years (its scenario's steps): past them the page says so
    multipliers: str = ""  # this year's multipliers in words, below the summary (multipliers_text)


def read_view(group: Group, locked: bool = False) -> View:
    """The page of ``group`` (call inside ``GroupStore.use``); ``locked``: the trainer has
    locked the controls."""
    model, lang = group.model, group.language
    if group.territory_map is None:
        group.territory_map = TerritoryView(model)
    key = (id(model), model.steps, group.colour_by, group.selected, lang, group.hold_axes, group.large_text,
           len(group.earlier))
    cached = group.figures
    if cached is None or cached[0] != key:
        drawn = group.territory_map.png(model, group.colour_by, lang, selected=group.selected or None,
                                        large=group.large_text)
        track = track_frame(group.track)
        held = group.limits if group.hold_axes else None
        charts = png(charts_figure(track, group.earlier, lang, held=held, large=group.large_text))
        group.figures = cached = (key, drawn, charts, png(compare_figure(track, lang, held=held,
                                                                           large=group.large_text)))
    levers = {}
    for lever in LEVER_FIELDS:
        live = live_policy(model, lever)
        values = {**lever_defaults(lever), **group.lever_settings.get(lever, {}), **(live.values if live else {})}
        ran = ran_policy(model, lever) if live is None else None
        levers[lever] = LeverView(live is not None, values, group.lever_targets.get(lever, "all"),
                                  group.lever_years.get(lever, LEVER_YEARS[lever]), live.end if live else None,
                                  live.start if live else None, (ran.start, ran.end) if ran else None)
    details = tuple(municipality_details(model, group.selected, lang)) if group.selected else ()
    compared = ()
    if group.selected and group.twin is not None and model.steps > 0:  # from the twin already stepped
        compared = tuple(municipality_comparison(node_row(model, group.twin, group.selected), lang))
    return View(group.name, lang, model.year, model.steps, group.seed, group.colour_by, group.selected,
                cached[1], map_note(group.territory_map.missing, lang), cached[2], cached[3],
                summary(group.track, lang), len(group.earlier), group.hold_axes, group.large_text, details, compared,
                levers,
                {n: float(model.params[n]) for n in PARAMETERS},
                {n: float(model.scenario.parameters[n]) for n in PARAMETERS}, municipality_ids(model), locked,
                model.scenario.steps, multipliers_text(group.track, lang))


def summary(track: list[dict], lang: str) -> str:
    """The last year of ``track`` against the same-seed no-policy run, in words."""
    if len(track) < 2:
        return t(lang, "summary_none")
    row = track[-1]
    cost = sum(r["policy_cost"] for r in track)
    text = t(lang, "summary").format(
        year=row["year"],
        poverty=outcome_text("poverty_headcount", row["poverty_headcount"] - row["twin_poverty_headcount"], lang,
                             signed=True),
        income=outcome_text("mean_income_pc", row["mean_income_pc"] - row["twin_mean_income_pc"], lang, signed=True),
        others=outcome_text("mean_income_pc", row["income_others"] - row["twin_income_others"], lang, signed=True),
        cost=number(cost, lang, 0))
    return text


def multipliers_text(track: list[dict], lang: str) -> str:
    """This year's income multipliers of the policies in words ("" without a policy cost): shown
    below the summary in plain type (a trainer's trial, session 54: in the bold summary they
    buried the poverty and income a local official reads first)."""
    if len(track) < 2:
        return ""
    row = track[-1]
    return " ".join(t(lang, per + "s").format(**{key: number(row[f"{per}_{key}"], lang, 2) for key in
                                                 (f"{kind}_{part}" for kind in ("nominal", "real") for part in PARTS)})
                    for per in ("multiplier", "transfer_multiplier")
                    if math.isfinite(row.get(f"{per}_nominal_total", math.nan)))


def set_hold(group: Group, on: bool) -> None:
    """Hold the charts' axes (from what they show now) or let them rescale."""
    group.hold_axes, group.limits = bool(on), {}


THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
"""A number whose commas group thousands, as an English page writes it (1,234.5)."""


def parse_number(text: str, lang: str) -> float:
    """A number typed in a box as the page writes it for ``lang``: spaces ignored; in Spanish
    the decimal comma (a point accepted too: the page never groups thousands with one), in
    English the decimal point (commas group thousands)."""
    raw = "".join(str(text).replace(NBSP, " ").split())
    if lang != "es" and "," in raw and not THOUSANDS.fullmatch(raw):  # "0,5" on an English page is not 5
        raise InputError("dashboard", "number", f"a number with a decimal point, e.g. {number(1234.5, lang, 1)} "
                         f"(got {raw}; commas only group thousands)")
    raw = raw.replace(",", ".") if lang == "es" else raw.replace(",", "")
    try:
        return float(raw)
    except ValueError:
        raise InputError("dashboard", "number", f"a number, e.g. {number(1234.5, lang, 1)}") from None


# what the panels' controls call (tests call them too, to compare with scenario files)


def apply(group: Group, lever: str, on: bool) -> None:
    """Switch ``lever`` on (with the group's values, "Where" and years) or off."""
    target = group.lever_targets.get(lever, "all")
    apply_lever(group.model, lever, on, group.lever_settings.get(lever, {}),
                "all" if target == "all" else (target,), group.lever_years.get(lever, LEVER_YEARS[lever]))


def set_field(group: Group, lever: str, field: str, value: float) -> None:
    """Set one field of ``lever`` (from the next year if it is on)."""
    group.lever_settings = {**group.lever_settings, lever: {**group.lever_settings.get(lever, {}), field: value}}
    if live_values(group.model, lever) is not None:
        apply(group, lever, True)


def set_target(group: Group, lever: str, target: str) -> None:
    """Set where ``lever`` applies: "all" or a node id (from the next year if it is on)."""
    group.lever_targets = {**group.lever_targets, lever: target}
    if live_values(group.model, lever) is not None:
        apply(group, lever, True)


def set_years(group: Group, lever: str, years: int) -> None:
    """Set how many years ``lever`` runs once switched on (counted from its start if it is on)."""
    group.lever_years = {**group.lever_years, lever: int(years)}
    if live_values(group.model, lever) is not None:
        apply(group, lever, True)


def set_parameter(group: Group, name: str, value: float) -> None:
    """Change a behavioural parameter: before the first year the model starts again with it
    (as a scenario file's ``[parameters]`` would: the starting state depends on some), the
    levers switched on staying on; later, from the next year."""
    group.model.params.with_overrides({name: value}, source="dashboard")  # checked before anything changes
    if group.model.steps > 0:
        group.set_parameters({name: value})  # may refuse (a parameter of the start): nothing kept then
        group.parameters = {**group.parameters, name: float(value)}
        return
    group.parameters = {**group.parameters, name: float(value)}
    on = [lever for lever in LEVER_FIELDS if live_values(group.model, lever) is not None]
    group.restart()
    for lever in on:
        apply(group, lever, True)


# ---------------------------------------------------------------------------- components


@solara.component
def JoinForm(error: str = "", on_join=None):
    """The join page (``error``: why the last try failed); ``on_join()``, if given, is called at
    each click of Join besides going to the group's address (the same address, clicked again
    after a refusal, would draw nothing again)."""
    router = solara.use_router()
    name, set_name = solara.use_state(group_from_search(router.search))
    code, set_code = solara.use_state(code_from_search(router.search))
    needs_code = bool(join_code())

    def join():
        router.push(join_address(router.path, name, code if needs_code else ""))
        if on_join is not None:
            on_join()

    with solara.Card("Rural territory simulator / Simulador de territorios rurales", style={"max-width": "40em"}):
        from .game_page import game_on

        note = "join_note_game" if game_on() else "join_note"  # the game's groups share one territory (trial 25)
        Markdown(f"**{t('en', 'join_title')} / {t('es', 'join_title')}**\n\n{t('en', note)}\n\n"
                        f"{t('es', note)}")
        if error:
            solara.Error(error)
        solara.InputText("Group / Grupo", value=name, on_value=set_name, continuous_update=True)
        if needs_code:
            solara.InputText("Join code / Código", value=code, on_value=set_code, continuous_update=True)
        solara.Button("Join / Entrar", on_click=join, disabled=not name.strip() or (needs_code and not code.strip()),
                      color="primary")


# The tables take their card's width: Solara's Markdown stops at 1024 px, and at 1280 px the game's
# table wrapped "Pueblo Grande" and "Las Palmas" beside 200 px left empty (browser trials, sessions 26
# and 27); where the window is wide, the game's table keeps a municipality's name and its group's
# on one line (at 150 % zoom of 1280 px, 853 px, they wrap so that the table fits its card, in
# Spanish too). A map of differences is shown whole in the window: the game's, drawn 1,000 px wide
# across the console's card, was 1,050 px tall at 1280x720, its key and southern municipalities
# below the window's edge when its title showed (browser trial, session 27).
CSS = """
.territory-page .slider-row .v-input__slot { min-width: 8em; }
.territory-page .slider-label { font-size: 0.95rem; line-height: 1.25; }
.territory-page .number-box { max-width: 8.5em; flex: 0 0 8.5em; }
.territory-page .v-card__title { font-size: 1.15rem; word-break: normal; }
.territory-page .v-input--switch .v-label { font-size: 1rem; }
.territory-page .territory-table, .territory-page .groups-table { overflow-x: auto; max-width: 100%; }
.territory-page .territory-table table, .territory-page .groups-table table { font-size: 0.85rem; }
.territory-page .territory-table .rendered_html { padding-right: 0; }
.territory-page .territory-table .solara-markdown, .territory-page .groups-table .solara-markdown { max-width: none; }
@media (min-width: 1100px) { .territory-page .game-table td:nth-child(-n+2) { white-space: nowrap; } }
.territory-page .territory-table th, .territory-page .territory-table td { padding: 0.3em 0.25em; }
.territory-page .territory-table th:first-child, .territory-page .territory-table td:first-child {
  position: sticky; left: 0; z-index: 1; background-color: inherit; text-align: left; padding-left: 0; }
.territory-page .territory-table thead th:first-child { background-color: #fff; }
.territory-page img.debrief-map { max-height: calc(100vh - 40px); object-fit: contain; }
"""
LARGE_CSS = """
html { font-size: 20px !important; }
.territory-page .slider-label { font-size: 1.05rem; }
.territory-page .v-card__title { font-size: 1.4rem; }
.territory-page .summary { font-size: 1.1rem; }
.territory-page .multipliers { font-size: 0.9rem; }
"""


@solara.component
def PageStyle(large: bool):
    """The pages' style sheet; ``large``: large-text mode (the page's type larger; its figures
    are drawn with ``large=True``, :func:`.views.font_scale`)."""
    solara.Style(CSS + (LARGE_CSS if large else ""))


@solara.component
def LargeTextSwitch(lang: str, value: bool, on_value):
    """The **Large text** switch of a page (a group's, a game's, the trainer's console)."""
    solara.Switch(label=t(lang, "large_text"), value=value, on_value=lambda on: on_value(bool(on)))


@solara.component
def NumberSlider(label: str, value: float, low: float, high: float, step: float | None, on_value, lang: str,
                 integer: bool = False, disabled: bool = False):
    """A labelled slider with a number box beside it (written in the page's language); the
    label on its own line, so the slider keeps its width on a narrow screen. Without ``step``
    only the box (no slider position keeps the value)."""
    shown = decimals_of(step) if step else 4
    text = number(value, lang, 0 if integer else shown).replace(NBSP, " ")
    if not integer and step is None:
        text = f"{value:.6g}".replace(".", "," if lang == "es" else ".")

    error, set_error = solara.use_state("")

    def typed(entry: str):
        try:
            value = parse_number(entry, lang)
        except InputError as exc:  # said under the box, in the page's language
            set_error(error_message(exc, lang))
            return
        if not low <= value <= high:  # said, not moved to the nearest end (a trial typed -0.1 and got 0)
            set_error(error_message(InputError("dashboard", "number", f"a number in [{low:g}, {high:g}], got {value:g}"),
                                    lang))
            return
        set_error("")
        on_value(int(round(value)) if integer else value)

    with solara.Column(gap="0px", classes=["number-slider"]):
        solara.Text(label, classes=["slider-label"])
        with solara.Row(classes=["slider-row"], style={"align-items": "center", "flex-wrap": "nowrap"}):
            if step is not None:
                with solara.Div(style={"flex": "1 1 auto", "min-width": "8em"}):
                    if integer:
                        solara.SliderInt("", value=int(value), min=int(low), max=int(high), step=int(step),
                                         on_value=on_value, thumb_label=False, disabled=disabled)
                    else:
                        solara.SliderFloat("", value=value, min=low, max=high, step=step, on_value=on_value,
                                           thumb_label=False, disabled=disabled)
            solara.InputText("", value=text, on_value=typed, continuous_update=False, classes=["number-box"],
                             disabled=disabled)
        if error:
            solara.Text(error, classes=["number-error"], style={"color": "#b00020"})


@solara.component
def Controls(view: View, act, playing: bool, play, pause):
    lang = view.language
    seed, set_seed = solara.use_state(view.seed)
    # the box follows the group's seed when another page of the group resets with another seed
    solara.use_effect(lambda: set_seed(view.seed), [view.seed])
    languages = {t(lang, "english"): "en", t(lang, "spanish"): "es"}

    def reset():
        pause()
        act(lambda g: store().reset(g.name, seed))

    with solara.Card():
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Text(f"{t(lang, 'group')}: {view.name}", style={"font-weight": "bold"})
            solara.ToggleButtonsSingle(value=t(lang, "english" if lang == "en" else "spanish"),
                                       values=list(languages), dense=True,
                                       on_value=lambda label: act(lambda g: setattr(g, "language", languages[label]),
                                                                  control=False))
            solara.Button(t(lang, "step"), on_click=lambda: act(lambda g: g.step()),
                          disabled=playing or view.locked, color="primary")
            solara.Button(t(lang, "play"), on_click=play, disabled=playing or view.locked)
            solara.Button(t(lang, "pause"), on_click=pause, disabled=not playing)
            solara.Button(t(lang, "reset"), on_click=reset, disabled=view.locked)
            solara.Text(t(lang, "clock").format(year=view.year, steps=view.steps), style={"font-weight": "bold"})
            if view.horizon is not None and view.steps > view.horizon:
                solara.Text(t(lang, "beyond").format(years=view.horizon), classes=["beyond-note"])
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            with solara.Div(style={"min-width": "14em", "flex": "1 1 14em"}):
                NumberSlider(t(lang, "seed"), seed, 0, SEED_MAX, 1, set_seed, lang, integer=True, disabled=view.locked)
            solara.Switch(label=t(lang, "hold_axes"), value=view.hold_axes,
                          on_value=lambda on: act(lambda g: set_hold(g, on), control=False))
            LargeTextSwitch(lang, view.large_text, lambda on: act(lambda g: setattr(g, "large_text", on),
                                                                    control=False))


@solara.component
def MapPanel(view: View, act):
    lang = view.language
    labels = {t(lang, key): key for key in COLOUR_BY}

    def colour(label):
        act(lambda g: setattr(g, "colour_by", labels[label]), control=False)

    with solara.Card(t(lang, "map")):
        solara.Select(label=t(lang, "colour_by"), values=list(labels), value=t(lang, view.colour_by), on_value=colour)
        solara.Image(view.map_png, width="100%", classes=["territory-map", "map-network" if view.map_note
                                                         else "map-polygons"])
        if view.map_note:
            solara.Text(view.map_note, classes=["map-note"])


@solara.component
def ChartsPanel(view: View):
    lang = view.language
    with solara.Card(t(lang, "charts")):
        solara.Image(view.charts_png, width="100%")
        if view.earlier:
            solara.Text(t(lang, "earlier_note").format(n=view.earlier), classes=["earlier-note"])


@solara.component
def ComparePanel(view: View):
    lang = view.language
    with solara.Card(t(lang, "compare")):
        solara.Text(view.summary, classes=["summary"], style={"font-weight": "bold"})
        if view.multipliers:
            solara.Text(view.multipliers, classes=["multipliers"])
        solara.Image(view.compare_png, width="100%")


@solara.component
def LeverPanel(view: View, act):
    lang = view.language
    names = view.municipalities
    by_id = {v: k for k, v in names.items()}
    with solara.Card(t(lang, "levers")):
        solara.Text(t(lang, "levers_note"))
        for lever, fields in LEVER_FIELDS.items():
            state = view.levers[lever]
            with solara.Column(gap="0px"):
                solara.Switch(label=t(lang, lever), value=state.on, disabled=view.locked,
                              on_value=lambda on, lever=lever: act(lambda g: apply(g, lever, on)))
                for field in fields:
                    low, high, step = field_range(lever, field)
                    value = min(max(state.values[field], low), high)
                    NumberSlider(t(lang, field), value, low, high, step,
                                 lambda v, lever=lever, field=field: act(lambda g: set_field(g, lever, field, v)),
                                 lang, disabled=view.locked)
                years = t(lang, "years").format(years=state.years)
                if state.end is not None:  # its years as set: one switched on during Play starts after the year shown
                    years += " " + t(lang, "from_until").format(start=state.start, end=state.end)
                elif state.ran is not None:  # off now, but paid (or built) in these years
                    years += " " + t(lang, "ran").format(start=state.ran[0], end=state.ran[1])
                NumberSlider(years, state.years, YEARS_RANGE[0], YEARS_RANGE[1], 1,
                             lambda v, lever=lever: act(lambda g: set_years(g, lever, v)), lang, integer=True,
                             disabled=view.locked)
                choices = [t(lang, "all"), *names]

                def pick(label, lever=lever):
                    act(lambda g: set_target(g, lever, names.get(label, "all")))

                solara.Select(label=t(lang, "target"), values=choices, disabled=view.locked,
                              value=by_id.get(state.target, t(lang, "all")), on_value=pick)


@solara.component
def ParameterPanel(view: View, act):
    lang = view.language
    with solara.Card(t(lang, "parameters")):
        solara.Text(t(lang, "levers_note"))
        for name in PARAMETERS:
            low, high, step = parameter_range(name, view.start_params[name])
            shown = unit(lang, REGISTRY[name].unit)
            label = PARAMETER_LABELS[lang][name] + (f" ({shown})" if shown else "")
            change = lambda v, name=name: act(lambda g: set_parameter(g, name, v))  # noqa: E731
            NumberSlider(label, view.params[name], low, high, step, change, lang, disabled=view.locked)


@solara.component
def MunicipalityPanel(view: View, act):
    lang = view.language
    names = view.municipalities
    by_id = {v: k for k, v in names.items()}
    with solara.Card(t(lang, "details")):
        solara.Select(label=t(lang, "municipality"), values=list(names), value=by_id.get(view.selected),
                      on_value=lambda name: act(lambda g: setattr(g, "selected", names[name]), control=False))
        if view.details:
            table = "\n".join(f"| {label} | {value} |" for label, value in view.details)
            Markdown(f"**{by_id[view.selected]}** - {t(lang, 'year')} {view.year}\n\n| | |\n|---|---:|\n{table}")
        if view.compared:
            rows = "\n".join("| " + " | ".join(cells) + " |" for cells in view.compared)
            header = " | ".join(t(lang, key) for key in ("this_run", "no_policy", "difference"))
            with solara.Div(classes=["municipality-compare", "territory-table"]):  # scrolls on a narrow screen
                Markdown(f"**{t(lang, 'municipality_compare').format(name=by_id[view.selected], year=view.year)}"
                                f"**\n\n| | {header} |\n|---|---:|---:|---:|\n{rows}")


@solara.component
def GroupPage(name: str):
    """The page of group ``name``: everything read from and done to its model under its lock."""
    _, set_tick = solara.use_state(0)
    message, set_message = solara.use_state("")
    # while playing: an event, not component state, so Pause stops the loop at once whichever
    # thread is drawing the page; ``runs`` starts a new loop at each Play
    playing = solara.use_memo(threading.Event, [])
    started = solara.use_memo(lambda: [0], [name])  # the group's exercise when Play was pressed
    runs, set_runs = solara.use_state(0)

    def act(change, control: bool = True) -> bool:
        """Run ``change(group)`` holding the group's lock; errors go to the page (in its
        language), not a traceback. A ``control`` (step, reset, levers, parameters; not the
        view's choices) is refused while the trainer has locked the controls."""
        lang = "en"
        try:
            with store().use(name) as group:
                lang = group.language
                if control and store().locked:
                    set_message(t(lang, "locked"))
                    return False
                change(group)
                group.version += 1  # the group's other pages follow (a view choice too)
        except InputError as exc:
            set_message(error_message(exc, lang))
            return False
        except Exception:  # a bug must not replace the page with a traceback: log it, say so
            logger.exception("dashboard group %r: action failed", name)
            set_message(t("en", "failed") + " / " + t("es", "failed"))
            return False
        finally:
            set_tick(lambda n: n + 1)
        set_message("")
        return True

    def play() -> None:
        try:  # the exercise the click was made on, read under the group's lock (GroupStore.play_step)
            with store().use(name) as group:
                started[0] = group.exercise
        except InputError as exc:
            set_message(both_languages(exc))
            return
        playing.set()
        set_runs(lambda n: n + 1)

    def pause() -> None:
        playing.clear()
        set_tick(lambda n: n + 1)

    # set after every render: the page shows the latest year. Playing waits for it before the
    # next year, so a page slower to draw than the model steps is never flooded with redraws
    # (which kept the page from answering clicks)
    drawn = solara.use_memo(threading.Event, [])
    solara.use_effect(drawn.set)

    def loop(cancel: threading.Event) -> None:
        exercise = started[0]  # Play stops when the trainer starts the group on another exercise
        stepped = [True]

        def step(group) -> None:
            stepped[0] = store().play_step(group, exercise)

        while playing.is_set() and not cancel.is_set():
            drawn.clear()
            if not act(step) or not stepped[0]:
                playing.clear()
            while not drawn.wait(0.1) and playing.is_set() and not cancel.is_set():
                pass
            cancel.wait(PLAY_INTERVAL)
        set_tick(lambda n: n + 1)  # show the page as paused

    # not intrusive: cancelling (Play again, page closed) must never interrupt a step half-way
    solara.use_thread(loop, dependencies=[runs, name], intrusive_cancel=False)
    shown = solara.use_memo(lambda: [None], [name])  # the stamp (GroupStore.stamp) this page last drew
    solara.use_thread(lambda cancel: watch_group(cancel, name, shown, lambda: set_tick(lambda n: n + 1)),
                      dependencies=[name], intrusive_cancel=False)

    try:
        with store().use(name) as group:
            shown[0] = (store().version, group.version)
            view = read_view(group, store().locked)
    except InputError as exc:
        JoinForm(error=both_languages(exc))
        return
    except Exception:  # as in act: log the bug, keep the page
        logger.exception("dashboard group %r: page failed", name)
        solara.Error(t("en", "failed") + " / " + t("es", "failed"))
        return
    solara.Title(f"{view.name} - {t(view.language, 'title')}")
    PageStyle(view.large_text)
    with solara.Column(style={"padding": "8px"}, classes=["territory-page"]):
        Controls(view, act, playing.is_set(), play, pause)
        if view.locked:
            solara.Warning(t(view.language, "locked"), classes=["locked-note"])
        if message and message != t(view.language, "locked"):  # the note above says it while locked
            solara.Error(message)
        # side by side from 960 px wide (1280x720), one above the other below (150 % zoom)
        with solara.ColumnsResponsive(12, medium=6):
            with solara.Column():
                MapPanel(view, act)
                ComparePanel(view)
                ParameterPanel(view, act)
                MunicipalityPanel(view, act)
            with solara.Column():
                ChartsPanel(view)
                LeverPanel(view, act)


WATCH_INTERVAL = 0.25
"""How often (s) a page looks whether its group or the trainer changed something."""


def watch_group(cancel: threading.Event, name: str, shown: list, redraw: Callable[[], None]) -> None:
    """Until ``cancel``: ``redraw()`` whenever group ``name``'s page, as last drawn (``shown[0]``,
    a :meth:`.groups.GroupStore.stamp`), is older than the group: another page of the group
    stepped, reset or chose something, or the trainer locked the controls or loaded an exercise.
    A group no longer kept is left alone (a redraw would join it again)."""
    while not cancel.wait(WATCH_INTERVAL):
        now = store().stamp(name)
        if now is not None and now != shown[0]:
            redraw()


@solara.component
def Page():
    router = solara.use_router()
    query = parse_qs(router.search or "", keep_blank_values=True)
    if "trainer" in query:  # the trainer's console, behind the trainer's token
        from .trainer import TrainerPage

        TrainerPage(query["trainer"][0])
        return
    error = page_error(router.search)
    if error:  # no group named yet ("-"), a bad name or (classroom mode) no or a wrong join code
        JoinForm(error="" if error == "-" else error)
        return
    from .game_page import GamePage, game_on

    if game_on():  # the shared-territory game: the group governs a municipality of one territory
        GamePage(group_from_search(router.search))
        return
    GroupPage(group_from_search(router.search))
