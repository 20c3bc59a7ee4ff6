"""The pages of the shared-territory game (:mod:`.game`): a group's page (its municipality's
decision, the whole territory) and the game's part of the trainer's console.

The server plays the game when ``TERRITORY_ABM_GAME`` is "1" (``territory-abm classroom
--game``); one game per server process, on the server's scenario.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from dataclasses import dataclass, replace

import pandas as pd
import solara

from ..errors import InputError
from .access import GAME_VARIABLE
from .app import (WATCH_INTERVAL, JoinForm, LargeTextSwitch, NumberSlider, PageStyle, both_languages, exercise,
                  scenario_path, store)
from .console import markdown_table
from .controls import parameter_range
from .markup import Markdown
from .game import PROGRAMMES, SPLIT, Choice, Game, Programme
from .groups import group_key
from .text import error_message, number, t
from .maps import TerritoryView, map_note
from .views import COLOUR_BY, GameCharts, MapState, map_state

logger = logging.getLogger(__name__)


def game_on() -> bool:
    """Whether this server plays the shared-territory game."""
    return os.environ.get(GAME_VARIABLE) == "1"


@functools.cache
def the_game() -> Game:
    """The server's game (built at its first page, on the server's scenario)."""
    factory, seed = exercise(scenario_path())
    return Game(factory, seed)


def game_or_none() -> Game | None:
    """The server's game, or None when the server does not play it."""
    return the_game() if game_on() else None


GAME_MAP_TALLEST = 5.0
"""The tallest (in) the game's map grows for a territory taller than wide (the classroom's: 5 in,
where the dashboard's map keeps 3.6): the map is alone in its column, beside the decision and the
charts, and at 3.6 in, with each governed municipality's name written over its group's, the
town's name gave way in large text."""


@functools.lru_cache(maxsize=2)
def territory_view(model_id: int) -> TerritoryView:
    """The map of the game's territory (the model of id ``model_id``: one per game start); build it
    holding the game's lock (it draws a :class:`.views.MapState` read under the lock)."""
    return TerritoryView(the_game().model, tallest=GAME_MAP_TALLEST)


def governed(game: Game) -> dict[str, str]:
    """Node id -> name of the group governing it (hold the game's lock)."""
    return {p.node: p.name for p in game.players.values()}


def territory_table(game: Game, lang: str) -> list[list[str]]:
    """Header and one line per municipality: who governs it, whether they decided, their choice
    for the coming year, and this year's poverty (with its change since last year and its
    difference from the run without any group's choice), income per person (and its
    difference) and forest cover (hold the game's lock)."""
    frame = game.table()
    now, year = frame[frame["year"] == game.model.year], game.model.year
    before = frame[frame["year"] == year - 1].set_index("node_id")
    players = {p.node: p for p in game.players.values()}
    header = [t(lang, k) for k in ("municipality", "governed_by", "decided", "split_short", "programmes",
                                   "poverty", "vs_last_year", "vs_no_choices", "income", "vs_no_choices",
                                   "forest_cover")]
    lines = [header]
    for _, row in now.iterrows():
        player = players.get(row["node_id"])
        if player is None:
            who, decided, split, asked = t(lang, "nobody"), "-", "-", "-"
        else:
            who, decided = player.name, t(lang, "yes" if player.decided else "no")
            split = " / ".join(number(100 * player.choice.split[name], lang, 0) for name in SPLIT) + " %"
            asked = ", ".join(t(lang, p) for p in PROGRAMMES if p in player.choice.programmes) or "-"
        change = (number(100 * (row["poverty_headcount"] - before.loc[row["node_id"], "poverty_headcount"]), lang, 1,
                         signed=True) if row["node_id"] in before.index else "-")
        lines.append([row["name"], who, decided, split, asked, number(100 * row["poverty_headcount"], lang, 1) + " %",
                      change,
                      number(100 * (row["poverty_headcount"] - row["twin_poverty_headcount"]), lang, 1, signed=True),
                      number(row["mean_income_pc"], lang, 0),
                      number(row["mean_income_pc"] - row["twin_mean_income_pc"], lang, 0, signed=True),
                      number(100 * row["forest_cover"], lang, 1) + " %"])
    return lines


def game_status(game: Game) -> tuple[int, tuple[str, ...], int]:
    """(year, groups not decided yet, number of groups) of the game (hold its lock)."""
    return game.model.year, tuple(game.waiting()), len(game.players)


def game_groups(game: Game) -> tuple[tuple[str, str], ...]:
    """(name, municipality governed) of each group in the game (hold its lock)."""
    names = dict(zip(game.model.territory.ids, game.model.territory.names))
    return tuple((p.name, names[p.node]) for p in game.players.values())


def removed_groups(game: Game) -> tuple[tuple[str, str], ...]:
    """(name, municipality it governed) of each group the trainer removed and may restore (hold its lock)."""
    names = dict(zip(game.model.territory.ids, game.model.territory.names))
    return tuple((p.name, names[p.node]) for p in game.removed.values())


def remove_group(game: Game, name: str) -> tuple[str, dict]:
    """The trainer removes group ``name`` (:meth:`.game.Game.remove`); returns the console's note."""
    with game.lock:
        player = game.remove(name)
        names = dict(zip(game.model.territory.ids, game.model.territory.names))
    return "removed", {"name": player.name, "municipality": names[player.node], "year": player.left}


def restore_group(game: Game, name: str) -> tuple[str, dict]:
    """The trainer restores group ``name`` (:meth:`.game.Game.restore`); returns the console's note."""
    with game.lock:
        player = game.restore(name)
        names = dict(zip(game.model.territory.ids, game.model.territory.names))
    return "restored", {"name": player.name, "municipality": names[player.node], "year": player.joined}


def follows_game(game: Game, name: str) -> bool:
    """Whether group ``name``'s open page redraws as the game changes: it governs, or the trainer
    removed it (and may restore it). A page refused for want of a free municipality waits for
    its students to press Join again: redrawn, it joined by itself (a browser trial, session 27:
    a sixth group's page, refused minutes before, took the municipality the trainer had just
    freed by removing a group by mistake, so that the removal could not be taken back)."""
    try:
        key = group_key(name)
    except InputError:
        return False
    with game.lock:
        return key in game.players or key in game.removed


@solara.component
def GameStatus(status: tuple, lang: str, act, trainer: bool = False, groups: tuple = (), removed: tuple = ()):
    """Who has decided (``status``: :func:`game_status`); on the trainer's console, the buttons
    that advance the year, start the territory again, remove one of the ``groups``
    (:func:`game_groups`), the last two after a second click, and restore one of the groups
    ``removed`` (:func:`removed_groups`). Everything shown comes in the arguments: a component is
    drawn again only when they change."""
    year, waiting, players = status
    game = the_game()
    # the change waiting for its second click: "restart" or "remove" (a browser trial, session 25,
    # found one click erasing the game's years and decisions, which the guide asks the trainer to
    # compare with a second game)
    confirming, set_confirming = solara.use_state("")
    chosen, set_chosen = solara.use_state("")
    back, set_back = solara.use_state("")
    governs, governed_before = dict(groups), dict(removed)

    def restart():
        set_confirming("")
        act(lambda: _locked(game.restart))

    def remove():
        set_confirming("")
        set_chosen("")
        act(lambda: remove_group(game, chosen))

    def restore():
        set_back("")
        act(lambda: restore_group(game, back))

    with solara.Card(t(lang, "game_title")):
        with solara.Column(gap="2px"):
            solara.Text(t(lang, "game_clock").format(year=year, players=players), style={"font-weight": "bold"})
            solara.Text(t(lang, "waiting_for").format(names=", ".join(waiting)) if waiting else t(lang, "no_groups"),
                        classes=["game-waiting"])
        if not trainer:
            return
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Button(t(lang, "advance"), color="primary", on_click=lambda: act(lambda: _locked(game.advance)))
            if not confirming:
                solara.Button(t(lang, "restart_game"), on_click=lambda: set_confirming("restart"))
                if groups:  # a group that joined by mistake (a browser trial, session 26)
                    with solara.Div(style={"min-width": "12em"}):
                        solara.Select(label=t(lang, "remove_pick"), values=list(governs),
                                      value=chosen if chosen in governs else None, on_value=set_chosen)
                    solara.Button(t(lang, "remove_group"), disabled=chosen not in governs,
                                  on_click=lambda: set_confirming("remove"))
        if removed and not confirming:  # a group removed by mistake (a browser trial, session 27): one click back
            with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
                with solara.Div(style={"min-width": "12em"}):
                    solara.Select(label=t(lang, "restore_pick"), values=list(governed_before),
                                  value=back if back in governed_before else None, on_value=set_back)
                solara.Button(t(lang, "restore_group"), disabled=back not in governed_before, on_click=restore)
        if confirming == "restart":
            Confirmation(t(lang, "restart_confirm"), t(lang, "restart_yes"), t(lang, "restart_no"), restart,
                         lambda: set_confirming(""))
        elif confirming == "remove" and chosen in governs:
            Confirmation(t(lang, "remove_confirm").format(name=chosen, municipality=governs[chosen], year=year),
                         t(lang, "remove_yes").format(name=chosen), t(lang, "remove_no").format(name=chosen), remove,
                         lambda: set_confirming(""))


@solara.component
def Confirmation(warning: str, yes: str, no: str, on_yes, on_no):
    """The second click of a change that cannot be undone: ``warning`` says what it does."""
    solara.Warning(warning)
    with solara.Row():
        solara.Button(yes, color="error", on_click=on_yes)
        solara.Button(no, on_click=on_no)


def _locked(change) -> None:
    with the_game().lock:
        change()


def running_lines(programmes: tuple[Programme, ...], lang: str) -> list[str]:
    """One line per programme running in a group's municipality (:meth:`.game.Game.programmes`):
    since when, its years done of all, what it has cost so far."""
    return [t(lang, "running_line").format(programme=t(lang, p.lever), start=p.start, done=p.done, years=p.years,
                                           spent=number(p.spent, lang, 0)) for p in programmes]


@solara.component
def DecisionPanel(name: str, choice, decided: bool, year: int, lang: str, act, locked: bool,
                  programmes: tuple = ()):
    """Group ``name``'s decision for the year after ``year``: its ``choice`` so far, ``decided``,
    and the ``programmes`` running (:meth:`.game.Game.programmes`: a restored group finds them as
    they were when it was removed)."""
    with solara.Card(t(lang, "decision").format(year=year + 1)):
        solara.Text(t(lang, "decision_note"))
        for key, share in zip(("split_roads", "split_services", "split_enforcement"), SPLIT):
            low, high, step = parameter_range(share, choice.split[share])
            NumberSlider(t(lang, key), choice.split[share], low, min(high, 1.0), step,
                         lambda v, share=share: act(lambda g: g.choose(name, split={share: v})), lang,
                         disabled=locked)
        rest = 1.0 - sum(choice.split.values())
        # each on a line of its own (two Texts side by side ran together: "15 %Programmes asked for")
        solara.Text(t(lang, "administration").format(share=number(100 * rest, lang, 0)), style={"display": "block"})
        solara.Text(t(lang, "programmes"), style={"font-weight": "bold", "display": "block", "margin-top": "8px"})
        for programme in PROGRAMMES:
            solara.Switch(label=t(lang, programme), value=programme in choice.programmes, disabled=locked,
                          on_value=lambda on, p=programme: act(lambda g: g.choose(name, programme=p, on=on)))
        if programmes:
            solara.Text(t(lang, "running"), style={"font-weight": "bold", "display": "block", "margin-top": "8px"})
            for line in running_lines(programmes, lang):
                solara.Text(line, classes=["running-programme"], style={"display": "block"})
        if decided:
            solara.Success(t(lang, "decided_wait"), classes=["decided-note"])
        solara.Button(t(lang, "decide"), color="primary", disabled=decided or locked,
                      on_click=lambda: act(lambda g: g.decide(name, year)))


@solara.component
def GamePage(name: str):
    """Group ``name``'s page in the game: its municipality's decision and the whole territory."""
    _, set_tick = solara.use_state(0)
    message, set_message = solara.use_state("")
    game = the_game()

    def act(change, control: bool = True) -> None:
        lang = "en"
        try:
            with game.lock:
                lang = game.join(name).language
                if control and store().locked:
                    set_message(t(lang, "locked"))
                    return
                change(game)
            set_message("")
        except InputError as exc:
            set_message(error_message(exc, lang))
        except Exception:
            logger.exception("game group %r: action failed", name)
            set_message(t("en", "failed") + " / " + t("es", "failed"))
        finally:
            set_tick(lambda n: n + 1)

    def watch(cancel: threading.Event) -> None:  # another group's decision, the trainer's year or lock
        seen = (game.version, store().version)
        while not cancel.wait(WATCH_INTERVAL):
            if (game.version, store().version) != seen:
                seen = (game.version, store().version)
                if follows_game(game, name):
                    set_tick(lambda n: n + 1)

    solara.use_thread(watch, dependencies=[name], intrusive_cancel=False)
    try:
        view = read_game_page(game, name)
    except InputError as exc:
        JoinForm(error=both_languages(exc), on_join=lambda: set_tick(lambda n: n + 1))
        return
    lang, colour_by, status, note = view.language, view.colour_by, view.status, view.map_note
    locked = store().locked
    languages = {t(lang, "english"): "en", t(lang, "spanish"): "es"}
    colours = {t(lang, k): k for k in COLOUR_BY}

    def set_view(attribute: str, value) -> None:
        act(lambda g: setattr(g.join(name), attribute, value), control=False)

    solara.Title(f"{name} - {t(lang, 'game_title')}")
    PageStyle(view.large_text)
    with solara.Column(style={"padding": "8px"}, classes=["territory-page", "game-page"]):
        with solara.Card():
            with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
                solara.Text(f"{t(lang, 'group')}: {name}", style={"font-weight": "bold"})
                solara.Text(t(lang, "you_govern").format(name=view.own), classes=["you-govern"],
                            style={"font-weight": "bold"})
                solara.ToggleButtonsSingle(value=t(lang, "english" if lang == "en" else "spanish"),
                                           values=list(languages), dense=True,
                                           on_value=lambda label: set_view("language", languages[label]))
                LargeTextSwitch(lang, view.large_text, lambda on: set_view("large_text", on))
        GameStatus(status, lang, act)
        if locked:
            solara.Warning(t(lang, "locked"), classes=["locked-note"])
        if message and message != t(lang, "locked"):
            solara.Error(message)
        with solara.ColumnsResponsive(12, medium=6):
            with solara.Column():
                with solara.Card(t(lang, "map")):
                    solara.Select(label=t(lang, "colour_by"), values=list(colours), value=t(lang, colour_by),
                                  on_value=lambda label: set_view("colour_by", colours[label]))
                    solara.Image(view.map_png, width="100%", classes=["territory-map", "map-network" if note
                                                                    else "map-polygons"])
                    if note:
                        solara.Text(note, classes=["map-note"])
            with solara.Column():
                DecisionPanel(name, view.choice, view.decided, status[0], lang, act, locked, view.programmes)
                with solara.Card(t(lang, "game_charts")):
                    solara.Image(view.charts_png, width="100%")
        # the whole width: its eleven columns were cut off in half a 1280x720 page (browser trial)
        with solara.Card(t(lang, "territory_table")):
            with solara.Div(classes=["territory-table", "game-table"]):
                Markdown(markdown_table(view.table))


@dataclass(frozen=True)
class GameView:
    """Everything a group's page of the game shows, read at once (:func:`read_game_page`)."""

    name: str
    node: str  # the municipality the group governs (node id)
    own: str  # its name
    language: str
    colour_by: str
    large_text: bool
    status: tuple  # game_status
    choice: Choice
    decided: bool
    table: list  # territory_table
    map_png: bytes
    charts_png: bytes
    map_note: str  # why the map is the network ("" for polygons)
    programmes: tuple = ()  # the programmes running in its municipality (Game.programmes)


def read_game_page(game: Game, name: str) -> GameView:
    """What group ``name``'s page shows (joining the group if new): read at once holding the game's
    lock, so that it is all of one year (a step takes the lock too), and drawn after letting it go,
    so that the pages draw a new year side by side and a group's choice does not wait for them (a
    browser trial, session 26: 4 groups' pages took about 2 s each to show a new year).

    Raises
    ------
    InputError
        If ``name`` cannot join (a bad name, no municipality free).
    """
    with game.lock:
        player = game.join(name)
        lang, colour_by, large, model = player.language, player.colour_by, player.large_text, game.model
        # the figures change with the year and with the groups governing (their names are on the map)
        key = (id(model), model.steps, lang, colour_by, large, player.node, tuple(sorted(governed(game).items())))
        figures = _drawn(key)
        inputs = None if figures is not None else GameFigures.read(game, player.node, colour_by, lang, large)
        names = dict(zip(model.territory.ids, model.territory.names))
        view = GameView(player.name, player.node, names[player.node], lang, colour_by, large, game_status(game),
                        player.choice, player.decided, territory_table(game, lang), b"", b"",
                        map_note(territory_view(id(model)).missing, lang), tuple(game.programmes(player.node)))
    if figures is None:
        figures = _keep(key, inputs.draw())
    return replace(view, map_png=figures[0], charts_png=figures[1])


@dataclass(frozen=True)
class GameFigures:
    """What a page's map and charts show (:meth:`read` under the game's lock), drawn by
    :meth:`draw` without it: nothing here changes when the game steps."""

    view: TerritoryView
    state: MapState
    table: pd.DataFrame  # Game.table: a frame of its own
    node: str  # the page's group's municipality
    governed: dict
    language: str
    large: bool  # large-text mode
    year: tuple  # (id of the game's model, its steps): the charts of every page of this year

    @classmethod
    def read(cls, game: Game, node: str, colour_by: str, lang: str, large: bool) -> GameFigures:
        """The figures of ``game`` now as the group governing ``node`` sees them (hold the game's lock)."""
        model = game.model
        return cls(territory_view(id(model)), map_state(model, colour_by), game.table(), node, governed(game), lang,
                   large, (id(model), model.steps))

    def draw(self) -> tuple[bytes, bytes]:
        """(map PNG, charts PNG)."""
        charts = _charts((*self.year, self.language, self.large), self.table)
        return (self.view.draw(self.state, self.language, selected=self.node, governed=self.governed, large=self.large),
                charts.png(self.node))


_FIGURES: dict = {}
_FIGURES_LOCK = threading.Lock()


def _drawn(key: tuple) -> tuple[bytes, bytes] | None:
    """The figures drawn for ``key`` (the game's state and the page's choices) by any page, or None."""
    with _FIGURES_LOCK:
        return _FIGURES.get(key)


_CHARTS: dict = {}
_CHARTS_LOCK = threading.Lock()


def _charts(key: tuple, table: pd.DataFrame) -> GameCharts:
    """The game's charts of ``key`` (the model, its year, the language and size), drawn once
    whichever pages ask at once (the others wait for it)."""
    with _CHARTS_LOCK:
        if key not in _CHARTS:
            for old in [k for k in _CHARTS if k[:2] != key[:2]]:  # of years gone by (clearing them all
                del _CHARTS[old]  # dropped this year's too, drawn again for the next page: session 28)
            _CHARTS[key] = GameCharts(table, key[-2], large=key[-1])
        return _CHARTS[key]


def _keep(key: tuple, drawn: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    with _FIGURES_LOCK:
        if len(_FIGURES) > 200:  # figures of years gone by
            _FIGURES.clear()
        _FIGURES[key] = drawn
    return drawn
