"""The shared-territory game without a browser (issue 17, item 7): each group governs one
municipality; the year advances when all have decided or when the trainer says; every group's
choices take effect in the same shared year; a municipality's own budget split changes only it
directly; the no-choice twin runs alongside."""

import numpy as np
import pytest
from conftest import SCENARIOS

from territory_abm import TerritoryModel
from territory_abm.dashboard.game import PROGRAMMES, SPLIT, Game, check_split, programme_label
from territory_abm.errors import InputError
from territory_abm.scenarios.loader import load_scenario

GAME = SCENARIOS / "classroom" / "shared_territory.toml"


def _game(scale: float = 0.25) -> Game:
    scenario = load_scenario(GAME).replace(households_scale=scale, steps=8)
    return Game(lambda seed: TerritoryModel(scenario, seed=seed), scenario.seed)


def test_groups_get_distinct_municipalities_until_none_is_free():
    game = _game()
    nodes = game.municipalities()
    players = [game.join(f"group {k}") for k in range(len(nodes))]
    assert [p.node for p in players] == nodes
    assert game.join("GROUP 0") is players[0]  # the same group again
    with pytest.raises(InputError, match="free municipality"):
        game.join("one too many")


def test_the_year_advances_only_when_every_group_has_decided():
    game = _game()
    game.join("a"), game.join("b")
    assert not game.decide("a", 2020) and game.model.year == 2020 and game.waiting() == ["b"]
    game.choose("a", programme="cash_transfer")  # a change makes the group undecided again
    assert game.waiting() == ["a", "b"]
    assert not game.decide("a")
    assert game.decide("b", 2020) and game.model.year == 2021 and game.twin.year == 2021
    assert game.waiting() == ["a", "b"]  # a new year: everyone decides again
    with pytest.raises(InputError, match="current year 2021") as stale:
        game.decide("a", 2020)  # a page that still showed last year
    # a browser trial (session 25) read "the decision of the current year 2022" as no reason at all
    from territory_abm.dashboard.text import error_message

    assert "the year moved on before this one arrived; choose again for 2021" in error_message(stale.value, "en")
    assert "el año avanzó antes de que esta llegara; vuelvan a elegir para 2021" in error_message(stale.value, "es")


def test_two_groups_choices_take_effect_in_the_same_shared_year():
    game = _game()
    a, b = game.join("a"), game.join("b")
    game.choose("a", programme="cash_transfer")
    game.choose("b", split={"services_spending_share": 0.7, "infrastructure_spending_share": 0.2})
    game.decide("a"), game.decide("b")
    model, twin = game.model, game.twin
    ia, ib = (model.territory.index(p.node) for p in (a, b))
    cost = np.asarray(model.node_stats["policy_cost"])
    assert cost[ia] > 0 and np.nansum(cost) == pytest.approx(cost[ia])  # a's transfer, paid in a only
    assert model.municipalities[ib].budget_split == (0.2, 0.7, 0.05)
    assert model.municipalities[ia].budget_split == (0.35, 0.45, 0.05)  # a kept the scenario's split
    # b's services rose against the twin's (which keeps the scenario's split), a's did not move by it
    assert model.municipalities[ib].service_quality > twin.municipalities[ib].service_quality
    assert model.municipalities[ia].service_quality == twin.municipalities[ia].service_quality
    frame = game.table()
    assert list(frame["year"].unique()) == [2020, 2021]
    assert set(frame.loc[frame["year"] == 2021, "governed_by"]) == {"a", "b", ""}


def test_the_trainer_advances_the_year_and_undecided_groups_keep_their_choice():
    game = _game()
    game.join("a")
    game.choose("a", programme="technical_assistance")
    game.advance()  # the trainer: "a" never pressed "We have decided"
    game.advance()
    assert game.model.year == 2022
    assert game.model.policies.labels == [programme_label(game.join("a").node, "technical_assistance")]
    game.choose("a", programme="technical_assistance", on=False)
    game.advance()
    policy = game.model.policies.policies[0]
    assert (policy.start, policy.end) == (2021, 2022)  # stopped once no longer asked for


def test_a_neighbours_road_reaches_the_municipality_next_to_it():
    """Road works asked for by Alto Verde's government shorten its road to the town; Cerro Azul,
    which reaches the town only through Alto Verde, travels faster too without choosing anything."""
    game = _game()
    players = {game.join(name).node: name for name in ("alto", "bajo", "cerro")}
    assert players == {"A": "alto", "B": "bajo", "C": "cerro"}
    game.choose("alto", programme="roads")
    for _ in range(3):
        for name in players.values():
            game.decide(name)
    model, twin = game.model, game.twin
    assert model.graph.edges["A", "T"]["travel_time"] < twin.graph.edges["A", "T"]["travel_time"]
    assert model.graph.edges["C", "A"]["travel_time"] == twin.graph.edges["C", "A"]["travel_time"]
    c = model.territory.index("C")
    assert model.market_time[c] < twin.market_time[c]


def test_restart_keeps_the_players_and_starts_the_territory_again():
    game = _game()
    game.join("a")
    game.advance()
    game.restart()
    assert game.model.year == 2020 and len(game.history) == 1 and game.join("a").node == "A"


@pytest.mark.parametrize("split", [{"infrastructure_spending_share": 0.6, "services_spending_share": 0.5},
                                   {"enforcement_spending_share": 0.9}, {"services_spending_share": -0.1}])
def test_a_split_out_of_range_or_over_the_budget_is_refused_and_changes_nothing(split):
    game = _game(0.1)
    game.join("a")
    before = game.join("a").choice
    with pytest.raises(InputError, match="budget_split"):
        game.choose("a", split=split)
    assert game.join("a").choice == before
    assert check_split(before.split) == before.split
    assert set(before.split) == set(SPLIT) and "roads" in PROGRAMMES


def test_the_games_archive_holds_the_territory_and_every_groups_decisions():
    import io
    import zipfile

    import pandas as pd

    game = _game(0.1)
    game.join("a"), game.join("b")
    game.choose("a", programme="market_linkage")
    game.decide("a")
    game.advance()  # the trainer, b undecided
    archive = zipfile.ZipFile(io.BytesIO(game.archive()))
    decisions = pd.read_csv(archive.open("decisions.csv"))
    assert decisions[["year", "group", "node_id", "decided"]].values.tolist() == [[2021, "a", "A", True],
                                                                                  [2021, "b", "B", False]]
    assert decisions["programmes"].fillna("").tolist() == ["market_linkage", ""]
    territory = pd.read_csv(archive.open("territory.csv"))
    assert len(territory) == 2 * len(game.municipalities()) and "twin_poverty_headcount" in territory


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_games_charts_draw_every_municipality_with_no_overlapping_text(lang):
    from territory_abm.dashboard.views import game_figure
    from territory_abm.output.figure_check import figure_problems

    game = _game(0.1)
    game.join("a")
    game.advance()
    fig = game_figure(game.table(), "A", lang)
    assert not figure_problems(fig)
    lines = [line for line in fig.axes[0].lines if line.get_gid()]
    assert len(lines) == len(game.municipalities())
    assert max(lines, key=lambda line: line.get_linewidth()).get_gid() == "node-A"  # the group's own, thick


def test_the_debrief_map_is_drawn_about_as_wide_as_the_console_shows_it():
    """A browser trial (session 25): the game's one-panel debrief map was 396 px wide, shown across
    a 1,216 px card, and its names blurred; it is now drawn about 1,000 px wide whatever its panels."""
    from territory_abm import TerritoryModel
    from territory_abm.dashboard.maps import DEBRIEF_PIXELS, DifferencePanel, difference_map

    model = TerritoryModel(str(SCENARIOS / "classroom" / "shared_territory.toml"), households_scale=0.02, steps=1,
                           seed=1)
    panel = DifferencePanel("game", str(model.territory.source), model.graph, {i: 0.01 for i in model.territory.ids})
    for panels in ([panel], [panel] * 3):
        fig = difference_map(panels, "difference", "en")
        width = fig.get_figwidth() * fig.dpi
        assert abs(width - DEBRIEF_PIXELS) < 2, width


def test_the_export_names_a_group_only_for_the_years_it_governed():
    """A browser trial (session 25): a group that joined in 2023 was named in its municipality's
    rows of 2020-2022 too. It governs from the year its page showed when it joined; after the
    territory starts again, from the new start."""
    game = _game(0.05)
    a = game.join("a")
    game.decide("a")  # alone: the year advances
    b = game.join("b")  # joins in the second year
    game.decide("a"), game.decide("b")
    table = game.table()
    rows = table.set_index(["node_id", "year"])["governed_by"]
    start, second = game.model.start_year, game.model.start_year + 1
    assert rows[(a.node, start)] == "a" and rows[(b.node, start)] == ""
    assert rows[(b.node, second)] == "b" and rows[(b.node, second + 1)] == "b"
    game.restart()
    after = game.table()
    assert after.loc[after["node_id"] == b.node, "governed_by"].eq("b").all()


@pytest.fixture
def page_game(monkeypatch):
    """A small game as the server's (``game_page.the_game``), its pages' figures drawn afresh."""
    from territory_abm.dashboard import game_page

    game = _game(0.05)
    monkeypatch.setattr(game_page, "the_game", lambda: game)
    monkeypatch.setattr(game_page, "_FIGURES", {})
    monkeypatch.setattr(game_page, "_CHARTS", {})
    game_page.territory_view.cache_clear()
    yield game
    game_page.territory_view.cache_clear()


def _free(lock) -> bool:
    """Whether another thread takes ``lock`` within a second (then lets it go)."""
    import threading

    taken = []

    def take():
        if lock.acquire(timeout=1.0):
            taken.append(True)
            lock.release()

    other = threading.Thread(target=take)
    other.start()
    other.join()
    return bool(taken)


def test_a_page_draws_its_map_and_charts_without_holding_the_games_lock(page_game, monkeypatch):
    """A browser trial (session 26): each page drew a new year's map and charts holding the game's
    lock, so the pages drew one after the other and every group's click waited for them all. The
    page reads what it shows under the lock and draws after letting it go."""
    from territory_abm.dashboard import game_page, views
    from territory_abm.dashboard.maps import TerritoryView

    free = {}
    draw_map, draw_charts = TerritoryView.draw, views.game_figure

    def map_drawn(self, *args, **kwargs):
        free["map"] = _free(page_game.lock)
        return draw_map(self, *args, **kwargs)

    def charts_drawn(*args, **kwargs):
        free["charts"] = _free(page_game.lock)
        return draw_charts(*args, **kwargs)

    monkeypatch.setattr(TerritoryView, "draw", map_drawn)
    monkeypatch.setattr(views, "game_figure", charts_drawn)
    page_game.join("a")
    page_game.advance()
    view = game_page.read_game_page(page_game, "a")
    assert free == {"map": True, "charts": True}
    assert view.map_png.startswith(b"\x89PNG") and view.charts_png.startswith(b"\x89PNG")
    assert view.status == (2021, ("a",), 1) and view.own == "Alto Verde"


def test_a_page_never_shows_a_year_half_stepped(page_game):
    """Steps stay serialized with the pages' reading (concurrent steps crashed pages before): a
    page asking while the territory steps waits for the whole step, then shows the new year
    everywhere (its status, table and figures)."""
    import threading

    from territory_abm.dashboard import game_page

    page_game.join("a")
    stepping, go_on = threading.Event(), threading.Event()
    step = page_game.twin.step

    def slow_step():  # the model has stepped, its twin not yet
        stepping.set()
        go_on.wait(10)
        step()

    page_game.twin.step = slow_step
    advancing = threading.Thread(target=lambda: game_page._locked(page_game.advance))
    advancing.start()
    assert stepping.wait(10)
    seen = []
    reading = threading.Thread(target=lambda: seen.append(game_page.read_game_page(page_game, "a")))
    reading.start()
    reading.join(0.5)
    assert not seen  # waits for the step
    go_on.set()
    advancing.join(10), reading.join(30)
    (view,) = seen
    year = view.status[0]
    assert year == 2021 == page_game.model.year == page_game.twin.year
    header, *rows = view.table
    assert len(rows) == len(page_game.municipalities())
    assert page_game.table()["year"].value_counts().to_dict() == {2020: len(rows), 2021: len(rows)}


def test_the_trainer_removes_a_group_and_its_municipality_has_no_government_from_that_year():
    """A browser trial (session 26): the trainer had no way to remove a group that joined by
    mistake. Removed, the group names its municipality only for the years before (territory.csv),
    its programme stops and its split returns to the scenario's from the next year, its decisions
    so far stay in decisions.csv, its name may not join again, and another group may take the
    municipality."""
    import io
    import zipfile

    import pandas as pd

    game = _game(0.05)
    a, b = game.join("a"), game.join("b")
    game.choose("b", programme="cash_transfer", split={"services_spending_share": 0.6})
    game.advance()  # 2021: b's transfer runs from now
    node = game.model.territory.index(b.node)
    assert np.asarray(game.model.node_stats["policy_cost"])[node] > 0
    removed = game.remove("B ")  # the name as typed, any case and spacing
    assert removed is b and b.left == 2021 and game.model.year == 2021  # a has not decided: no new year
    assert list(game.players) == ["a"] and game.waiting() == ["a"]
    assert game.model.municipalities[node].budget_split is None  # the scenario's split, as the twin's
    game.advance()  # 2022: nobody governs b's municipality
    assert np.nan_to_num(np.asarray(game.model.node_stats["policy_cost"])[node]) == 0
    from territory_abm.dashboard.controls import live_policy

    assert live_policy(game.model, "cash_transfer", programme_label(b.node, "cash_transfer")) is None
    with pytest.raises(InputError, match="the trainer removed that group"):
        game.join("b")  # its page, still open, does not take a municipality again
    c = game.join("c")
    assert c.node == b.node and c.joined == 2022
    archive = zipfile.ZipFile(io.BytesIO(game.archive()))
    territory = pd.read_csv(archive.open("territory.csv"), keep_default_na=False)
    governed = territory[territory["node_id"] == b.node].set_index("year")["governed_by"].to_dict()
    assert governed == {2020: "b", 2021: "", 2022: "c"}
    assert territory[territory["node_id"] == a.node]["governed_by"].eq("a").all()
    decisions = pd.read_csv(archive.open("decisions.csv"))
    assert decisions.loc[decisions["group"] == "b", "year"].tolist() == [2021]
    game.restart()  # b's years are gone with the game's; c governs the new territory from its start
    assert game.table().set_index(["node_id", "year"])["governed_by"][(b.node, 2020)] == "c"
    with pytest.raises(InputError, match="the trainer removed that group"):
        game.join("b")


def test_removing_the_last_undecided_group_advances_the_year():
    game = _game(0.05)
    game.join("a"), game.join("b")
    game.decide("a")
    game.remove("b")
    assert game.model.year == 2021 and game.waiting() == ["a"]
    with pytest.raises(InputError, match="one of the groups in the game, got b"):
        game.remove("b")
    game.remove("a")  # nobody left: no year advances by itself
    assert game.model.year == 2021 and not game.players


def test_the_consoles_game_controls_name_the_groups_and_note_a_removal():
    from territory_abm.dashboard.game_page import game_groups, remove_group
    from territory_abm.dashboard.text import t
    from territory_abm.dashboard.trainer import console_note

    game = _game(0.05)
    game.join("Los Robles"), game.join("Las Palmas")
    assert game_groups(game) == (("Los Robles", "Alto Verde"), ("Las Palmas", "Bajo Rio"))
    note = remove_group(game, "las palmas")
    assert note == ("removed", {"name": "Las Palmas", "municipality": "Bajo Rio", "year": 2020})
    assert console_note(note, "en") == "Group Las Palmas removed: Bajo Rio has no government from 2020 on."
    assert console_note(note, "es") == "Se quitó el grupo Las Palmas: Bajo Rio no tiene gobierno desde 2020."
    from territory_abm.dashboard.text import TEXT

    assert set(TEXT["en"]) == set(TEXT["es"])  # every text in both languages
    for lang in ("en", "es"):
        assert "{" not in t(lang, "remove_confirm").format(name="x", municipality="y", year=2020)


def _png_size(data: bytes) -> tuple[int, int]:
    import struct

    return struct.unpack(">II", data[16:24])  # the PNG's IHDR: width, height


def test_large_text_on_a_game_page_draws_its_map_and_charts_larger(page_game):
    """A browser trial (session 26): the game's page had no Large text (the dashboard's page has
    one). The group's choice is kept with the group, like its language; its figures are drawn in
    large-text mode, as the dashboard draws them, and keep their text apart."""
    from territory_abm.dashboard import game_page
    from territory_abm.dashboard.views import font_scale
    from territory_abm.output.figure_check import figure_problems

    player = page_game.join("a")
    page_game.advance()
    small = game_page.read_game_page(page_game, "a")
    view = game_page.territory_view(id(page_game.model))
    names = [label.get_fontsize() for label in view.labels]
    player.large_text = True
    large = game_page.read_game_page(page_game, "a")
    assert not small.large_text and large.large_text
    assert [label.get_fontsize() for label in view.labels] == pytest.approx([x * font_scale(True) for x in names])
    assert figure_problems(view.figure) == []
    (width, height), (large_width, large_height) = _png_size(small.charts_png), _png_size(large.charts_png)
    assert large_width == width and large_height == pytest.approx(height * font_scale(True), abs=1)


def test_each_groups_charts_are_the_years_charts_drawn_once_with_its_own_lines_thick():
    """Every page's charts of a year are one drawing with the group's own municipality drawn thick
    on top (views.GameCharts): as game_figure draws them for that group, pixel for pixel but for
    the edges of the thick lines."""
    import io

    from PIL import Image

    from territory_abm.dashboard.views import GameCharts, game_figure, png

    game = _game(0.05)
    for name in "abcd":
        game.join(name)
    game.advance(), game.advance()
    table = game.table()
    charts = GameCharts(table, "es")
    for own in ("A", "C", "T"):
        shown, drawn = (np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), int)
                        for data in (charts.png(own), png(game_figure(table, own, "es"))))
        assert shown.shape == drawn.shape
        differ = np.abs(shown - drawn).max(axis=2)
        assert (differ > 0).mean() < 0.002 and differ.max() <= 64, ((differ > 0).sum(), differ.max())
    plain = np.asarray(Image.open(io.BytesIO(png(game_figure(table, None, "es")))).convert("RGB"), int)
    assert (np.abs(shown - plain).max(axis=2) > 64).sum() > 500  # T's lines are thick


def test_the_trainer_restores_a_group_removed_by_mistake():
    """A browser trial (session 27): the trainer removed the wrong group and had no way back (its
    name may not join again, and under another name it starts with nothing chosen). Restored, it
    governs its municipality again from the year shown with the choice it had, undecided; the
    export names it for its years and nobody for the years it was out; another group that took the
    municipality meanwhile must be removed first."""
    import io
    import zipfile

    import pandas as pd

    from territory_abm.dashboard.controls import live_policy

    game = _game(0.05)
    game.join("a"), game.join("b")
    game.choose("b", programme="cash_transfer", split={"services_spending_share": 0.6})
    game.advance()  # 2021
    b = game.remove("b")
    with pytest.raises(InputError, match="the trainer removed that group"):
        game.join("b")
    game.advance()  # 2022: nobody governs b's municipality
    back = game.restore(" B")  # the name as typed, any case and spacing
    assert (back.name, back.node, back.joined, back.left, back.decided) == ("b", b.node, 2022, None, False)
    assert back.choice == b.choice and game.join("b") is back and game.waiting() == ["a", "b"]
    game.advance()  # 2023: b's choice runs again
    assert live_policy(game.model, "cash_transfer", programme_label(b.node, "cash_transfer")) is not None
    assert game.model.municipalities[game.model.territory.index(b.node)].budget_split[1] == 0.6
    territory = pd.read_csv(zipfile.ZipFile(io.BytesIO(game.archive())).open("territory.csv"), keep_default_na=False)
    governed = territory[territory["node_id"] == b.node].set_index("year")["governed_by"].to_dict()
    assert governed == {2020: "b", 2021: "", 2022: "b", 2023: "b"}  # removed in 2021, back in 2022
    with pytest.raises(InputError, match="one of the groups removed from the game, got b"):
        game.restore("b")  # not removed now
    game.remove("b")
    assert game.join("c").node == b.node  # another group takes the free municipality
    with pytest.raises(InputError, match="c governs Bajo Rio now"):
        game.restore("b")
    game.remove("c")
    assert game.restore("b").node == b.node and "c" not in game.players


def test_a_page_refused_for_want_of_a_municipality_does_not_join_by_itself_when_one_is_freed():
    """A browser trial (session 27): a sixth group's page, refused (all 5 governed), stayed open and
    took the municipality the trainer freed by removing a group by mistake, at its next redraw,
    before the trainer could restore it. Such a page no longer follows the game: it joins when
    its students press Join. A group's page, or a removed group's (it may be restored), does."""
    from territory_abm.dashboard import game_page

    game = _game(0.05)
    for k in range(len(game.municipalities())):
        game.join(f"g{k}")
    with pytest.raises(InputError, match="free municipality"):
        game.join("sixth")
    assert not game_page.follows_game(game, "sixth") and not game_page.follows_game(game, "<bad>")
    assert game_page.follows_game(game, "G0")
    game.remove("g1")
    assert game_page.follows_game(game, "g1") and not game_page.follows_game(game, "sixth")
    assert "sixth" not in game.players  # nothing joined it
    assert game_page.restore_group(game, "g1") == ("restored", {"name": "g1", "municipality": "Bajo Rio",
                                                               "year": 2020})
    assert game_page.removed_groups(game) == ()
    game.remove("g1")
    assert game_page.removed_groups(game) == (("g1", "Bajo Rio"),)


def test_the_consoles_restore_note_and_the_removal_warning_say_the_group_can_come_back():
    from territory_abm.dashboard.text import t
    from territory_abm.dashboard.trainer import console_note

    note = ("restored", {"name": "Las Palmas", "municipality": "Bajo Rio", "year": 2022})
    assert console_note(note, "en") == ("Group Las Palmas restored: it governs Bajo Rio again from 2022, with the "
                                        "choice it had.")
    assert console_note(note, "es").startswith("Se devolvió el grupo Las Palmas: gobierna de nuevo Bajo Rio desde 2022")
    for lang in ("en", "es"):
        assert t(lang, "restore_group") in t(lang, "remove_confirm")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("large", [False, True])
def test_the_consoles_map_of_differences_says_which_end_of_its_key_is_less(lang, large, monkeypatch):
    """A browser trial (session 27): the console's map of the differences had a key from -3 to 3,
    brown to purple, and left to the reader which side was the better one (less is better for
    poverty, worse for income). Each end of the key now says what it means, on the game's map (and
    the debrief's: the same function), without overlapping other text."""
    from territory_abm.dashboard import trainer
    from territory_abm.dashboard.maps import DIFFERENCES, ENDS, difference_ends
    from territory_abm.dashboard.text import TEXT
    from territory_abm.output.figure_check import figure_problems

    for key in DIFFERENCES:
        below, above = difference_ends(key, lang)
        assert below != above and all(k in TEXT[lang] for k in ENDS[key])
    game = _game(0.05)
    game.join("a")
    game.choose("a", programme="cash_transfer")
    game.advance()
    drawn = []
    monkeypatch.setattr(trainer, "difference_map", lambda *a, **k: drawn.append(trainer_map(*a, **k)) or drawn[-1])
    trainer.game_map(game, "poverty", lang, large)
    bar = drawn[0].axes[-1]  # the key
    assert (bar.get_xlabel(), bar.get_title(loc="right")) == difference_ends("poverty", lang)
    assert figure_problems(drawn[0]) == []


def trainer_map(*args, **kwargs):
    from territory_abm.dashboard.maps import difference_map

    return difference_map(*args, **kwargs)
