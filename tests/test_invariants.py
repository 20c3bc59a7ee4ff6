"""Books, population conservation and natural capital bounds, year by year."""

import numpy as np
import pytest

from conftest import SCENARIOS, step_with_balanced_books

from territory_abm import TerritoryModel, load_scenario




@pytest.mark.parametrize("name", ["baseline", "policy_mix", "land_redistribution"])
def test_books_balance_every_year(name):
    sc = load_scenario(SCENARIOS / f"{name}.toml").replace(households_scale=0.05, steps=6)
    model = TerritoryModel(sc, seed=3)
    for _ in range(sc.steps):
        step_with_balanced_books(model)
        # the programmes' cash outcome is what the books show the government paying households in cash
        flows = model.ledger.flows()
        paid = sum(flows.get(("government", "households", item), 0.0)
                   for item in ("cash transfers", "payments for ecosystem services"))
        assert model.territory_stats["programme_transfers"] == pytest.approx(paid, rel=1e-12, abs=1e-6)


def test_population_is_conserved(baseline):
    model = TerritoryModel(baseline, seed=5)
    for _ in range(baseline.steps):
        pop_before = model.households.members[model.households.alive].sum()
        model.step()
        hh = model.households
        pop_after = hh.members[hh.alive].sum()
        f = model.flows
        left_territory = f.out_migrants.sum() - f.in_migrants.sum()
        assert pop_after - pop_before == f.births.sum() - f.deaths.sum() - left_territory
        assert (hh.members[hh.alive] >= 1).all()
        assert (hh.adults[hh.alive] >= 1).all() and (hh.adults <= hh.members).all()
        assert (hh.assets >= 0).all()


def test_natural_capital_within_capacity():
    sc = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.05, steps=10)
    sc = sc.replace(parameters=sc.parameters.with_overrides({"clearing_propensity": 1.0, "clearing_cost": 50.0,
                                                              "natural_capital_regrowth": 0.15}))
    model = TerritoryModel(sc, seed=1)
    for _ in range(sc.steps):
        model.step()
        for m in model.municipalities:
            if m is not None:
                assert 0.0 <= m.natural_capital <= m.capacity + 1e-9
    land = np.bincount(model.households.node, model.households.land * model.households.alive)
    for m in model.municipalities:
        if m is not None:
            assert land[m.node] + m.natural_capital <= m.area_ha * (1 + 1e-9)


def test_household_view_reads_and_writes(baseline):
    model = TerritoryModel(baseline, seed=2)
    h = model.households[0]
    assert h.members == model.households.members[0]
    h.assets = 123.0
    assert model.households.assets[0] == 123.0
    assert "Household(0:" in repr(h)
    with pytest.raises(AttributeError):
        _ = h.not_a_field


def test_books_balance_with_credit_and_education(tmp_path):
    path = tmp_path / "credit.toml"
    path.write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\nsteps = 6\nhouseholds_scale = 0.05\n'
                    '[[policies]]\nlever = "credit"\nstart = 2011\nend = 2013\ncoverage = 0.5\nloan = 2000.0\n'
                    'term = 2\n[[policies]]\nlever = "education"\nstart = 2011\nend = 2016\n')
    sc = load_scenario(path)
    model = TerritoryModel(sc, seed=4)
    repaid = 0.0
    for _ in range(sc.steps):
        step_with_balanced_books(model)
        repaid += model.ledger.flows().get(("households", "government", "loan repayments"), 0.0)
    assert repaid > 0
    assert (model.households.programmes & 1).sum() > 0
