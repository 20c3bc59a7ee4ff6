"""The trainer's console without a browser (issue 17, item 2): it reads every group without
joining any, locks the controls, loads an exercise for every group, and exports every group's
run (settings, yearly outcomes, charts) in one archive; the Spanish page's error messages."""

import io
import json
import zipfile

import pandas as pd
import pytest
from conftest import SCENARIOS

from territory_abm import TerritoryModel
from territory_abm.dashboard import app
from territory_abm.dashboard.console import (
    debrief_figure,
    export_archive,
    file_stem,
    group_row,
    group_table,
    line_styles,
    markdown_table,
)
from territory_abm.dashboard.groups import GroupStore
from territory_abm.dashboard.text import ERRORS_ES, TEXT, error_message
from territory_abm.errors import InputError
from territory_abm.scenarios.loader import load_scenario

EXERCISE = SCENARIOS / "classroom" / "poverty_and_transfers.toml"
FOREST = SCENARIOS / "classroom" / "forest_frontier.toml"


def _factory(path):
    scenario = load_scenario(path).replace(households_scale=0.2, steps=6)
    return (lambda seed, **parameters: TerritoryModel(scenario, seed=seed, **parameters)), scenario.seed


@pytest.fixture(scope="module")
def store():
    """Three groups: one with a transfer for three years, one with a parameter changed, one idle."""
    factory, seed = _factory(EXERCISE)
    store = GroupStore(factory, seed=seed, twins=True)
    with store.use("Los Robles") as g:
        app.apply(g, "cash_transfer", True)
        for _ in range(3):
            g.step()
    with store.use("El Cedro") as g:
        app.set_parameter(g, "consumption_share", 0.9)
        g.step()
    with store.use("Los_Robles") as g:  # a name that makes the same folder name as the first
        pass
    yield store
    store.clear()


def test_the_console_reads_every_group_without_joining_any(store):
    rows = store.each(group_row)
    assert [r.name for r in rows] == ["Los Robles", "El Cedro", "Los_Robles"]
    robles = rows[0]
    assert robles.year == 2023 and robles.levers == ("cash_transfer",) and len(robles.track) == 4
    assert rows[1].parameters == {"consumption_share": 0.9} and rows[1].levers == ()
    assert robles.last["policy_cost"] > 0 and robles.last["twin_policy_cost"] == 0
    assert len(store.names()) == 3  # reading joined nobody
    table = group_table(rows, "es")
    # what each lever is set to, not its name alone (a trainer's trial, session 54)
    assert table[0][0] == "Grupo" and len(table) == 4
    assert table[1][2] == "Transferencias monetarias: Monto 300, Cobertura 0,30; todos los municipios; 2021-2040"
    assert markdown_table(table).count("\n") == 4
    # names on one line; a group past the scenario's years is marked (browser re-trial)
    from dataclasses import replace

    from territory_abm.dashboard.text import NBSP

    assert table[1][0] == f"Los{NBSP}Robles" and "(" not in table[1][1]
    past = group_table([replace(robles, steps=robles.horizon + 1)], "en")
    assert past[1][1] == f"{robles.year} (past{NBSP}its{NBSP}{robles.horizon}{NBSP}years)"
    spanish = group_table([replace(robles, steps=robles.horizon + 1)], "es")  # trial 24: four lines in Spanish
    assert spanish[1][1] == f"{robles.year} (pasados{NBSP}sus{NBSP}{robles.horizon}{NBSP}años)"


def test_the_console_names_where_a_lever_acts_and_what_it_pays():
    factory, seed = _factory(EXERCISE)
    store = GroupStore(factory, seed=seed, twins=True)
    with store.use("Uno") as g:
        node = g.model.territory.ids[1]
        app.set_target(g, "cash_transfer", node)
        app.set_field(g, "cash_transfer", "amount", 1000.0)
        app.set_years(g, "cash_transfer", 3)
        app.apply(g, "cash_transfer", True)
        app.apply(g, "roads", True)
        app.set_field(g, "land_redistribution", "share", 0.025)  # its slider's step is 0.005: three places
        app.apply(g, "land_redistribution", True)
        name = g.model.territory.names[1]
    row, = store.each(group_row)
    store.clear()
    table = group_table([row], "en")
    assert table[1][2].startswith(f"Cash transfers: Amount 1,000, Coverage 0.30; {name}; 2021-2023 / "
                                  "Roads to the town: Budget 500,000; all municipalities; 2021-2025 / "
                                  "Land redistribution: Land moved per year 0.025; "), table


def test_the_debrief_draws_one_line_per_group_in_each_chart(store):
    fig = debrief_figure(store.each(group_row), "en")
    for ax in fig.axes:
        assert [line.get_label() for line in ax.lines if not line.get_label().startswith("_")] == [
            "Los Robles", "El Cedro", "Los_Robles"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_debrief_in_large_text_keeps_its_text_apart(store, lang):
    """The console has Large text (a browser trial, session 26): the debrief's charts and maps
    are drawn larger and their text neither overlaps nor leaves the figure."""
    from territory_abm.dashboard.console import debrief_map
    from territory_abm.output.figure_check import figure_problems

    rows = store.each(group_row)
    assert figure_problems(debrief_figure(rows, lang, large=True)) == []
    assert figure_problems(debrief_map(rows, "poverty", lang, large=True)) == []


def test_the_debriefs_years_are_whole_and_each_written_once(store):
    """Trial 16: the ticks read "2020 2020 2021 2022 2022" (half years written as whole ones)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = debrief_figure(store.each(group_row), "en")
    FigureCanvasAgg(fig).draw()
    for ax in fig.axes:
        low, high = ax.get_xlim()
        ticks = [x for x in ax.get_xticks() if low <= x <= high]
        labels = [label.get_text() for label in ax.get_xticklabels() if label.get_text()]
        assert ticks and all(float(x).is_integer() for x in ticks), ticks
        assert len(labels) == len(set(labels)), labels


def test_every_group_of_a_full_server_has_a_line_style_of_its_own():
    """Trial 16: with 26 groups several were the same orange (eight colours, repeated)."""
    styles = [(s["color"], str(s["ls"]), s["marker"]) for s in line_styles(app.MAX_GROUPS)]
    assert len(set(styles)) == app.MAX_GROUPS


def test_the_archive_holds_every_groups_settings_outcomes_and_charts(store):
    drawn = []

    def draw(group):
        drawn.append(group.name)
        return {"charts.png": b"\x89PNG charts of " + group.name.encode(), "map.png": b"\x89PNG map"}

    archive = zipfile.ZipFile(io.BytesIO(export_archive(store, draw)))
    names = set(archive.namelist())
    folders = ["Los_Robles", "El_Cedro", "Los_Robles_2"]
    assert names == {"groups.csv"} | {f"{f}/{file}" for f in folders
                                      for file in ("settings.json", "outcomes.csv", "charts.png", "map.png")}
    assert sorted(drawn) == sorted(["Los Robles", "El Cedro", "Los_Robles"])
    settings = json.loads(archive.read("Los_Robles/settings.json"))
    assert settings["group"] == "Los Robles" and settings["year"] == 2023 and settings["seed"] == 7
    (policy,) = settings["policies"]
    assert (policy["lever"], policy["start"], policy["target"]) == ("cash_transfer", 2021, "all")
    assert json.loads(archive.read("El_Cedro/settings.json"))["parameters"] == {"consumption_share": 0.9}
    outcomes = pd.read_csv(archive.open("Los_Robles/outcomes.csv"))
    assert list(outcomes["year"]) == [2020, 2021, 2022, 2023]
    assert {"poverty_headcount", "twin_poverty_headcount", "income_others", "cumulative_cost"} <= set(outcomes)
    summary = pd.read_csv(archive.open("groups.csv"))
    assert list(summary["folder"]) == folders
    assert archive.read("El_Cedro/charts.png").startswith(b"\x89PNG")


def test_folder_names_are_safe_and_distinct():
    taken: set[str] = set()
    assert [file_stem(n, taken) for n in ("a b", "a_b", "../x", "Año 1", "  ", "Grupo Ñandú", "Peña", "東京")] == [
        "a_b", "a_b_2", "x", "Ano_1", "group", "Grupo_Nandu", "Pena", "group_2"]


def test_loading_an_exercise_starts_every_group_on_it_and_clears_its_settings():
    factory, seed = _factory(EXERCISE)
    store = GroupStore(factory, seed=seed, twins=True)
    with store.use("a") as g:
        app.apply(g, "cash_transfer", True)
        app.set_field(g, "cash_transfer", "amount", 500.0)
        g.step()
        old = g.model
    version = store.version
    store.load(*_factory(FOREST))
    assert store.version > version
    with store.use("a") as g:
        assert g.model is not old and g.model.scenario.name == "classroom_forest" and g.model.year == 2020
        assert g.lever_settings == {} and g.earlier == [] and len(g.track) == 1
        assert g.twin.scenario.name == "classroom_forest"
    with store.use("b") as g:  # a group joining later starts on it too
        assert g.model.scenario.name == "classroom_forest"
    store.clear()


def test_the_lock_is_kept_by_the_store_and_counted_as_a_change():
    store = GroupStore(lambda seed: object(), seed=1)
    version = store.version
    store.set_locked(True)
    assert store.locked and store.version == version + 1
    store.set_locked(False)
    assert not store.locked


# ---------------------------------------------------------------------------- Spanish error messages


def _errors() -> list[InputError]:
    """An error of each kind a group's or the trainer's page can show."""
    from territory_abm.dashboard.game import Game, check_split
    from territory_abm.dashboard.groups import group_key

    model = TerritoryModel(load_scenario(EXERCISE).replace(households_scale=0.1))
    small = load_scenario(SCENARIOS / "classroom" / "shared_territory.toml").replace(households_scale=0.02)
    game = Game(lambda seed: TerritoryModel(small, seed=seed), 1)
    game.join("Los Robles")
    game.remove("Los Robles")
    game.join("Las Palmas")  # takes Los Robles' municipality: it cannot be restored
    made = []
    for attempt in (lambda: group_key("<b>"),
                    lambda: GroupStore(lambda s: object(), seed=1, max_groups=0).use("x").__enter__(),
                    lambda: app.parse_number("doce", "es"),
                    lambda: model.params.with_overrides({"consumption_share": 7}, source="dashboard"),
                    lambda: model.params.with_overrides({"transport_cost_per_hour": 0.0001}, source="dashboard"),
                    lambda: model.set_lever("cash_transfer", {"amount": -5.0}),
                    lambda: model.set_lever("environmental_governance", {"clearing_cap": 500.0}),
                    lambda: model.set_lever("cash_transfer", {"coverage": 35.0}),  # a percent given for a share
                    lambda: check_split({"infrastructure_spending_share": 0.6, "services_spending_share": 0.5,
                                         "enforcement_spending_share": 0.1}),
                    lambda: game.join("Los Robles"),  # removed by the trainer
                    lambda: game.remove("El Cedro"),
                    lambda: game.restore("El Cedro"),  # never removed
                    lambda: game.restore("Los Robles")):  # its municipality governed by another group
        with pytest.raises(InputError) as caught:
            attempt()
        made.append(caught.value)
    model.release()
    game.model.release(), game.twin.release()
    return made


ENGLISH = {"number", "got", "in", "of", "at", "least", "most", "the", "group", "groups", "name", "letters",
           "share", "shares", "budget", "household", "yr", "e.g", "parameters", "a"}


def test_every_error_a_page_shows_has_its_spanish():
    for exc in _errors():
        spanish = error_message(exc, "es")
        assert not spanish.startswith(TEXT["es"]["refused"]), f"no Spanish for: {exc}"
        words = {w.casefold() for w in __import__("re").findall(r"[^\W\d_]+", spanish)}
        assert not words & ENGLISH - {"a"}, (spanish, words & ENGLISH)
        assert error_message(exc, "en").endswith(": " + exc.expected)


def test_spanish_errors_write_numbers_with_a_decimal_comma_and_name_the_label():
    exc = InputError("dashboard", "parameters.transport_cost_per_hour", "a number in [0.002, 0.08] 1/h, got 0.5")
    assert error_message(exc, "es") == ("Costo de transporte por hora de viaje: un número entre 0,002 y 0,08 por hora; "
                                        "se recibió 0,5")
    assert len(ERRORS_ES) == len({pattern for pattern, _ in ERRORS_ES})


def test_a_share_given_as_a_percent_is_asked_in_spanish_too():
    exc = InputError("dashboard", "cash_transfer.coverage",
                     "a number in [0, 1], got 35.0 (is it a percent? write it as a share, 0.35)")
    assert error_message(exc, "es").endswith("un número entre 0 y 1; se recibió 35,0 (¿es un porcentaje? escríbalo "
                                             "como proporción, 0,35)")


def test_an_error_without_its_spanish_still_says_in_spanish_that_the_value_was_refused():
    exc = InputError("dashboard", "something", "an unforeseen thing")
    assert error_message(exc, "es") == "Valor no aceptado (something): an unforeseen thing"


def test_page_tables_render_as_html_with_names_escaped():
    """The dashboard's Markdown (``markup.to_html``, shown without Solara's maths renderer) keeps
    tables and bold, and a name from a territory's data cannot inject markup."""
    from territory_abm.dashboard.markup import to_html

    html = to_html(markdown_table([["Municipality", "Poverty (%)"], ["<img src=x onerror=alert(1)>", "59.5"]]))
    assert "<table>" in html and "<td>59.5</td>" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert to_html("**Cerro Azul** - year 2021").startswith("<p><strong>Cerro Azul</strong>")
    for name in ("[x](javascript:alert(1))", "![i](http://evil.example/t.png)", "<http://evil.example>",
                 "[x][1]\n\n[1]: javascript:alert(1)"):
        made = to_html(markdown_table([["Municipality"], [name]]))
        assert "<a" not in made and "<img" not in made, made


def test_the_consoles_note_is_written_in_the_language_it_is_shown_in():
    """Trial 24: a note from a click in English ("Every group now starts exercise ...") stayed in
    English after the trainer switched the console to Spanish; the note is kept as what happened
    and written in the console's language when drawn."""
    from territory_abm.dashboard.text import t
    from territory_abm.dashboard.trainer import console_note
    from territory_abm.errors import InputError

    note = ("loaded", "remote_roads")
    assert console_note(note, "en") == t("en", "loaded").format(name="remote_roads")
    assert console_note(note, "es") == t("es", "loaded").format(name="remote_roads") != console_note(note, "en")
    error = ("error", InputError("exercise", "name", "an exercise of the list"))
    assert console_note(error, "en") and console_note(error, "es")


def test_several_problems_of_one_file_are_each_shown_on_a_page():
    """Review 24: an exercise file with several problems (InputErrors) showed the first alone
    on the trainer's console; each is shown, in the page's language."""
    from territory_abm.errors import InputErrors

    first = InputError("dashboard", "parameters.transport_cost_per_hour", "a number in [0.002, 0.08] 1/h, got 0.5")
    second = InputError("dashboard", "parameters.transport_cost_per_hour", "a number in [0.002, 0.08] 1/h, got 0.9")
    both = InputErrors([first, second])
    assert error_message(both, "es") == error_message(first, "es") + " | " + error_message(second, "es")
    assert "se recibió 0,9" in error_message(both, "es") and "got 0.9" in error_message(both, "en")
