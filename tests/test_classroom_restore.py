"""Restoring a group removed from the shared-territory game resumes its programmes (session 28).

Session 27's restore gave the group its choice back, and a programme it had asked for started
again from the next year, for all its years. Now a restored group finds its programmes as they
were when it was removed: the same policy (start year, values, households reached), its years
done and its spending so far, running the years it had still to run. While the group was out its
municipality had no government (the scenario's split, no programme): the programmes did not run
in those years, so the territory differs from a game in which the group was never removed,
except when the trainer restores the group before the year advances.
"""

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS

from territory_abm import TerritoryModel
from territory_abm.dashboard.controls import LEVER_YEARS, live_policy
from territory_abm.dashboard.game import Game, Programme, programme_label
from territory_abm.outcomes.yearly import POLICY_COST_PREFIX
from territory_abm.scenarios.loader import load_scenario

GAME = SCENARIOS / "classroom" / "shared_territory.toml"


def _game(scale: float = 0.05) -> Game:
    scenario = load_scenario(GAME).replace(households_scale=scale, steps=12)
    return Game(lambda seed: TerritoryModel(scenario, seed=seed), scenario.seed)


def _costs(game: Game, label: str) -> dict[int, float]:
    """Year -> the programme's cost that year, as the model records it."""
    records = game.model.datacollector.model_vars
    return dict(zip(records["year"], records[POLICY_COST_PREFIX + label]))


def test_a_restored_groups_programme_resumes_with_its_start_years_done_and_spending():
    """Known answer: b asks for road works (5 years) in 2020; they run 2021-2023; b is removed in
    2023 and the class advances 2 years without it; restored in 2025, b's works show the same
    start (2021), 3 of 5 years done and the same spending as the model's records, and run 2026
    and 2027, the years they had left: 5 years in all, none while nobody governed."""
    game = _game()
    game.join("a"), game.join("b")
    game.choose("b", programme="roads")
    for _ in range(3):
        game.advance()  # 2021-2023: the works run
    node = game.join("b").node
    label = programme_label(node, "roads")
    before = game.programmes(node)
    spent = sum(_costs(game, label).values())
    assert before == [Programme("roads", 2021, LEVER_YEARS["roads"], 3, pytest.approx(spent, rel=1e-12))]
    assert spent > 0
    index = game.model.policies.labels.index(label)  # its bit in the households' programme masks
    game.remove("b")
    assert game.programmes(node) == []  # nobody governs: it runs no more from the next year
    game.advance(), game.advance()  # 2024, 2025 without b
    assert [_costs(game, label)[y] for y in (2024, 2025)] == [0.0, 0.0]
    game.restore("b")
    assert game.model.year == 2025 and game.programmes(node) == before  # as it was when b was removed
    policy = live_policy(game.model, "roads", label)
    assert (policy.start, policy.end) == (2021, 2027)  # its 2 years left, after the 2 it did not run
    assert game.model.policies.labels.index(label) == index and len(game.model.policies.labels) == index + 1
    game.advance()  # 2026
    now = game.programmes(node)[0]
    assert (now.start, now.done, now.years) == (2021, 4, 5)
    assert now.spent == pytest.approx(sum(_costs(game, label).values()), rel=1e-12) and now.spent > spent
    game.advance()  # 2027: its last year
    ran = [y for y, cost in _costs(game, label).items() if cost > 0]
    assert ran == [2021, 2022, 2023, 2026, 2027]  # 5 years, as asked; none while b was out


def test_a_group_restored_before_the_year_advances_leaves_the_territory_as_if_never_removed():
    """Removed and restored in the same year (no year run without it), the group's programmes and
    split go on as if the trainer had never removed it: the game's records are identical to a
    game without the removal, every municipality every year."""
    games = []
    for removed in (False, True):
        game = _game()
        game.join("a"), game.join("b")
        game.choose("b", programme="cash_transfer", split={"services_spending_share": 0.6})
        game.choose("b", programme="technical_assistance")
        game.choose("a", programme="roads")
        game.advance(), game.advance()  # 2022
        if removed:
            game.remove("b")
            game.restore("b")
        for _ in range(3):
            game.advance()  # 2025
        games.append(game)
    plain, restored = games
    pd.testing.assert_frame_equal(plain.table(), restored.table())
    node = plain.join("b").node
    assert plain.programmes(node) == restored.programmes(node) and len(plain.programmes(node)) == 2
    assert restored.programmes(node)[0].done == 5


def test_while_a_group_is_out_its_municipality_runs_no_programme_so_the_territory_differs():
    """The semantics chosen (guide, 'Where to see it on screen'): removed, a group's municipality
    has no government, so its transfers stop and its households not paid in those years; restored,
    they are paid again (the same households, by the same policy) for the years left. Its outcomes
    are not those of a game without the removal."""
    games = []
    for removed in (False, True):
        game = _game()
        game.join("a"), game.join("b")
        game.choose("b", programme="cash_transfer")
        game.advance(), game.advance()  # 2022
        if removed:
            game.remove("b")
            game.advance()  # 2023 without b
            game.restore("b")
        else:
            game.advance()
        game.advance()  # 2024: b's transfers paid again
        games.append(game)
    plain, restored = games
    node = plain.join("b").node
    label = programme_label(node, "cash_transfer")
    assert _costs(restored, label)[2023] == 0 < _costs(plain, label)[2023]
    assert _costs(restored, label)[2024] > 0
    ours = restored.programmes(node)[0]
    assert (ours.start, ours.done, ours.years) == (2021, 3, LEVER_YEARS["cash_transfer"])
    assert plain.programmes(node)[0].done == 4
    rows = [g.table().set_index(["node_id", "year"]).loc[(node, 2023)] for g in games]
    assert not np.isclose(rows[0]["mean_income_pc"], rows[1]["mean_income_pc"], rtol=1e-9)


def test_restarting_the_territory_forgets_a_removed_groups_programmes():
    """The territory started again has no programme of the old one: a group restored after it
    starts what it asks for afresh at the next year."""
    game = _game()
    game.join("a"), game.join("b")
    game.choose("b", programme="roads")
    game.advance(), game.advance()
    game.remove("b")
    game.restart()
    game.restore("b")
    node = game.join("b").node
    assert game.programmes(node) == []
    game.advance()
    assert [(p.start, p.done) for p in game.programmes(node)] == [(2021, 1)]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_groups_page_lists_its_running_programmes_in_its_language(lang, monkeypatch):
    """The decision panel lists each programme running: since when, years done of all, spent."""
    from territory_abm.dashboard import game_page

    game = _game()
    monkeypatch.setattr(game_page, "the_game", lambda: game)
    monkeypatch.setattr(game_page, "_FIGURES", {})
    monkeypatch.setattr(game_page, "_CHARTS", {})
    game_page.territory_view.cache_clear()
    try:
        game.join("a").language = lang
        game.choose("a", programme="roads")
        game.advance()
        view = game_page.read_game_page(game, "a")
    finally:
        game_page.territory_view.cache_clear()
    assert view.programmes == tuple(game.programmes(view.node))
    (line,) = game_page.running_lines(view.programmes, lang)
    spent = view.programmes[0].spent
    if lang == "en":
        assert line == f"Roads to the town: since 2021, 1 of 5 years done, {spent:,.0f} USD spent"
    else:
        assert line.startswith("Caminos al pueblo: desde 2021, 1 de 5 años hechos, ") and line.endswith(" USD gastados")


def test_a_group_that_took_the_municipality_meanwhile_ends_the_removed_groups_programmes():
    """Another group governed the municipality while the first was out: the first, restored after
    it, starts what it asks for afresh (its old programme's years were not kept for it)."""
    game = _game()
    game.join("a"), game.join("b")
    game.choose("b", programme="roads")
    game.advance(), game.advance()  # 2022: b's works 2 years done
    game.remove("b")
    node = game.join("c").node  # b's municipality
    game.advance()  # 2023: c asks for nothing
    game.remove("c")
    game.restore("b")
    assert game.programmes(node) == []
    game.advance()  # 2024
    assert [(p.start, p.done) for p in game.programmes(node)] == [(2024, 1)]
