"""The trainer's console page (``?trainer=TOKEN``): opens only with the server's trainer's token.

Live, every :data:`LIVE_SECONDS`: every group's year, levers, parameters and outcomes against its
same-seed no-policy run. The trainer locks or unlocks every group's controls, starts every group
on an exercise (the scenario files beside the server's), opens the debrief (all groups side by
side, each against its own no-policy run) and downloads every group's run in one zip archive
(:mod:`.console`). In the shared-territory game (:mod:`.game`) the console also shows who governs
which municipality, who has decided, and advances the year.
"""

from __future__ import annotations

import solara

from ..errors import InputError
from .access import is_trainer
from .app import LargeTextSwitch, PageStyle, exercise, exercises, read_view, scenario_path, store
from .console import debrief_figure, debrief_map, export_archive, group_row, group_table, markdown_table
from .game_page import GameStatus, game_groups, game_or_none, game_status, removed_groups, territory_table
from .maps import DIFFERENCES, DifferencePanel, difference_ends, difference_map, node_differences
from .markup import Markdown
from .groups import Group
from .text import error_message, t
from .views import png

LIVE_SECONDS = 3.0
"""How often (s) the console reads the groups again."""
ARCHIVE = "classroom_runs.zip"
GAME_ARCHIVE = "shared_territory.zip"


def group_charts(group: Group) -> dict[str, bytes]:
    """The PNG files of a group's run in the archive: its map, outcome charts and comparison, as
    its page shows them (in its language; redrawn only if something changed since)."""
    view = read_view(group)
    return {"map.png": view.map_png, "charts.png": view.charts_png, "compare.png": view.compare_png}


def game_map(game, key: str, lang: str, large: bool = False) -> bytes:
    """The game's territory: each municipality's difference in menu entry ``key``
    (:data:`.maps.DIFFERENCES`) between all the groups' choices and no group's choices, this
    year, as PNG (``large``: large-text mode)."""
    with game.lock:
        model = game.model
        panel = DifferencePanel(t(lang, "game_title"), str(model.territory.source), model.graph.copy(),
                                node_differences(model, game.twin, key))
    title = t(lang, "game_map_title").format(what=t(lang, DIFFERENCES[key][2]), year=model.year)
    return png(difference_map([panel], title, lang, large=large, ends=difference_ends(key, lang)))


def game_archive(game) -> bytes:
    """The game so far as one zip archive (:meth:`.game.Game.archive`), read under its lock."""
    with game.lock:
        return game.archive()


def archive() -> bytes:
    """Every group's run as one zip archive (:func:`.console.export_archive`)."""
    return export_archive(store(), group_charts)


def load_exercise(name: str) -> None:
    """Start every group, and the groups joining from now on, on exercise ``name`` (a key of
    :func:`.app.exercises`)."""
    factory, seed = exercise(exercises()[name])
    store().load(factory, seed)


@solara.component
def TrainerPage(token: str):
    """The console, or only a message if ``token`` is not the server's trainer's token."""
    if not is_trainer(token):
        solara.Error(f"{t('en', 'trainer_wrong')} / {t('es', 'trainer_wrong')}")
        return
    Console()


def console_note(note: tuple[str, object], lang: str) -> str:
    """The console's note ``(kind, value)`` in ``lang``: an exercise loaded (its name), a group
    removed from the game (the fields of the "removed" text) or an input error."""
    kind, value = note
    if kind == "error":
        return error_message(value, lang)
    return t(lang, kind).format(**(value if isinstance(value, dict) else {"name": value}))


@solara.component
def Console():
    lang, set_lang = solara.use_state("en")
    large, set_large = solara.use_state(False)
    _, set_tick = solara.use_state(0)
    # what the page last said, as (kind, value), written in the console's language when drawn:
    # a note kept in the language of the click stayed English after a switch to Spanish (trial 24)
    message, set_message = solara.use_state(None)
    show_debrief, set_show_debrief = solara.use_state(False)
    map_key, set_map_key = solara.use_state("poverty")
    choices = list(exercises())
    chosen, set_chosen = solara.use_state(scenario_path().stem if scenario_path().stem in choices else choices[0])

    def live(cancel) -> None:
        while not cancel.wait(LIVE_SECONDS):
            set_tick(lambda n: n + 1)

    solara.use_thread(live, dependencies=[], intrusive_cancel=False)

    def act(change) -> None:
        """Run ``change()``; the page says what it returns (a confirmation: ``(kind, value)``)
        or its error."""
        try:
            set_message(change())
        except InputError as exc:
            set_message(("error", exc))
        set_tick(lambda n: n + 1)

    def load() -> tuple[str, str]:
        load_exercise(chosen)
        return "loaded", chosen

    rows = store().each(group_row)
    game = game_or_none()
    key = tuple((r.name, r.steps, len(r.track)) for r in rows)
    debrief = solara.use_memo(lambda: png(debrief_figure(rows, lang, large=large)) if show_debrief and rows else None,
                              [key, lang, show_debrief, large])
    debrief_png = solara.use_memo(lambda: png(debrief_map(rows, map_key, lang, large=large))
                                  if show_debrief and rows else None, [key, lang, show_debrief, map_key, large])
    map_labels = {t(lang, DIFFERENCES[k][2]): k for k in DIFFERENCES}
    shared = (id(game.model), game.model.steps) if game is not None else None  # the game's map: once a year
    drawn = solara.use_memo(lambda: game_map(game, map_key, lang, large) if game is not None else None,
                            [shared, lang, map_key, large])
    languages = {t(lang, "english"): "en", t(lang, "spanish"): "es"}
    solara.Title(t(lang, "trainer_title"))
    PageStyle(large)
    with solara.Column(style={"padding": "8px"}, classes=["territory-page", "trainer-console"]):
        with solara.Card(t(lang, "trainer_title")):
            with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
                solara.ToggleButtonsSingle(value=t(lang, "english" if lang == "en" else "spanish"),
                                           values=list(languages), dense=True,
                                           on_value=lambda label: set_lang(languages[label]))
                solara.Switch(label=t(lang, "lock"), value=store().locked,
                              on_value=lambda on: act(lambda: store().set_locked(on)))
                LargeTextSwitch(lang, large, set_large)
            if game is None:
                with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
                    solara.Select(label=t(lang, "exercise"), values=choices, value=chosen, on_value=set_chosen)
                    solara.Button(t(lang, "load_exercise"), on_click=lambda: act(load), color="primary")
            if message:
                solara.Info(console_note(message, lang))
        if game is not None:  # the shared-territory game: its state, table and archive instead of the groups'
            with game.lock:
                status, table, groups = game_status(game), territory_table(game, lang), game_groups(game)
                removed = removed_groups(game)
            GameStatus(status, lang, act, trainer=True, groups=groups, removed=removed)
            with solara.Card(t(lang, "territory_table")):
                with solara.Div(classes=["territory-table", "game-table"]):
                    Markdown(markdown_table(table))
                # made when the trainer clicks, not at each live redraw (it held the game's lock every 3 s)
                solara.FileDownload(lambda: game_archive(game), filename=GAME_ARCHIVE, label=t(lang, "export_game"),
                                    mime_type="application/zip")
            with solara.Card(t(lang, "debrief_map")):
                solara.Select(label=t(lang, "colour_by"), values=list(map_labels),
                              value=t(lang, DIFFERENCES[map_key][2]), on_value=lambda v: set_map_key(map_labels[v]))
                solara.Image(drawn, width="100%", classes=["debrief-map"])
            return
        with solara.Card(t(lang, "groups_live").format(n=len(rows))):
            if rows:
                with solara.Div(classes=["groups-table"]):
                    Markdown(markdown_table(group_table(rows, lang)))
            else:
                solara.Text(t(lang, "no_groups"))
        with solara.Card(t(lang, "debrief")):
            solara.Switch(label=t(lang, "show_debrief"), value=show_debrief, on_value=set_show_debrief)
            if debrief is not None:
                solara.Image(debrief, width="100%")
                solara.Select(label=t(lang, "debrief_map"), values=list(map_labels),
                              value=t(lang, DIFFERENCES[map_key][2]), on_value=lambda v: set_map_key(map_labels[v]))
                solara.Image(debrief_png, width="100%", classes=["debrief-map"])
        with solara.Card(t(lang, "export")):
            solara.Text(t(lang, "export_note"))
            solara.FileDownload(archive, filename=ARCHIVE, label=t(lang, "export"),
                                mime_type="application/zip")


