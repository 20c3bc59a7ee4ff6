"""The compiled passes of the year's births, budgets, farm revenue and formation give the
numpy results they replaced bit for bit, on random households (``same`` and the households
of ``test_fused_kernels``): the golden tables pin them to the last bit."""

import numpy as np
import pytest

from test_fused_kernels import every_row, households, same

from territory_abm.model.budget_kernels import rents_and_profits
from territory_abm.model.demography import household_births
from territory_abm.model.demography_kernels import adult_schooling
from territory_abm.model.households import ASSET_UNIT, HouseholdPopulation
from territory_abm.model.labour_kernels import farmed_land, revenue_at_one_worker, revenue_parts
from territory_abm.model.land_kernels import headcount, land_by_node
from territory_abm.params import Parameters


def numpy_births(params, rate, hh):
    """The numpy rule ``demography.household_births`` replaced."""
    alive = hh.alive
    total = rate * float(np.sum(hh.members, where=alive))
    lack = np.where(alive, np.maximum(hh.usual_size - hh.members, 0), 0).astype(float)
    lacking = lack.sum()
    if lacking >= total:
        return lack * (total / lacking) if lacking > 0 else lack
    persons = np.where(alive, hh.members, 0).astype(float)
    income_pc = np.maximum(hh.income / np.maximum(hh.members, 1), 1.0)
    mean = max(hh.total(income_pc * persons) / max(persons.sum(), 1.0), 1.0)
    weight = (income_pc / mean) ** -params.fertility_income_elasticity
    rates = 1.0 * weight * (persons.sum() / max(hh.total(weight * persons), 1e-12))
    rest = rates * np.where(alive, hh.members, 0)
    return lack + (total - lacking) * rest / max(hh.total(rest), 1e-12)


@pytest.mark.parametrize("rate", [0.001, 0.03])  # births below the members lacking, and beyond
@pytest.mark.parametrize("compacted", [False, True])
def test_births_are_the_numpy_rule(rate, compacted):
    rng = np.random.default_rng(11)
    n = 3000
    members = rng.integers(0, 9, n).astype(np.int32)
    hh = HouseholdPopulation({"node": np.zeros(n, np.int32), "members": members, "alive": rng.random(n) < 0.8,
                              "usual_size": members + (rng.random(n) < 0.02) - (rng.random(n) < 0.1),  # some above it
                              "income": rng.lognormal(8.0, 1.5, n) * rng.choice([-1.0, 1.0], n, p=[0.05, 0.95])})
    if compacted:
        hh.keep(np.flatnonzero(hh.alive | (rng.random(n) < 0.3)))
    p = Parameters().with_overrides({"fertility_income_elasticity": 0.5})
    assert same(household_births(p, rate, hh), numpy_births(p, rate, hh))


@pytest.mark.parametrize("estates", [0, 40])
def test_rents_and_profits_are_the_numpy_rule(estates):
    h = households(seed=7)
    rng = np.random.default_rng(estates)
    n, k = len(h["node"]), h["n_nodes"]
    rent = np.where(rng.random(k) < 0.2, 0.0, rng.lognormal(4.0, 1.0, k))
    rented = np.where(rng.random(n) < 0.5, 0.0, rng.normal(0.0, 2.0, n))
    other = np.where(rng.random(n) < 0.3, -0.0, rng.lognormal(5.0, 1.0, n))  # signed zeros stay as numpy leaves them
    owner, paid = rng.integers(0, n, estates), rng.lognormal(8.0, 1.0, estates) * (rng.random(estates) < 0.8)
    transfers = np.where(rng.random(n) < 0.7, 0.0, rng.lognormal(6.0, 1.0, n))
    other_income, income = other.copy(), h["income"].copy()
    got = rents_and_profits(transfer_income=transfers, alive=h["alive"], node=h["node"], rent=rent, rented=rented,
                            owner=owner, paid=paid, other_income=other_income, income=income, n_nodes=k,
                            **every_row(h))
    # the numpy rule it replaced (``land_market.collect_rents`` and ``estates.pay_owners`` before)
    net = -rent[h["node"]] * rented
    amount = np.bincount(owner, paid, minlength=n)
    want_other = other + net
    if estates:  # paying no estate added nothing
        want_other += amount
    assert same(other_income, want_other) and same(income, h["income"] + (net + amount))
    assert same(got.rents_received, net[net > 0].sum()) and same(got.profits, amount.sum())
    assert same(got.transfers_by_node, np.bincount(h["node"], transfers * h["alive"], minlength=k))


def test_farm_revenue_passes_are_the_numpy_rule():
    h = households(seed=8)
    rng = np.random.default_rng(8)
    n, k = len(h["node"]), h["n_nodes"]
    gain, price, nature = rng.uniform(0.0, 0.3, n), rng.lognormal(0.0, 0.3, n), rng.uniform(0.5, 1.0, k)
    parts = revenue_parts(tfp=h["tfp"], assistance_gain=gain, assets=h["assets"], node=h["node"],
                          nature_by_node=nature, price=price, output_factor=0.9)
    assert same(parts.tfp, h["tfp"] * (1.0 + gain)) and same(parts.nature, nature[h["node"]])
    assert same(parts.price, price * 0.9) and same(parts.assets, h["assets"])
    assert same(parts.asset_base, 1.0 + h["assets"] / ASSET_UNIT)


def test_farmed_land_and_revenue_at_one_worker_are_the_numpy_rule():
    h = households(seed=10)
    rng = np.random.default_rng(10)
    n = len(h["node"])
    tfp, nature, price = h["tfp"], rng.uniform(0.5, 1.0, n), rng.lognormal(0.0, 0.3, n)
    quality, land = rng.lognormal(0.0, 0.5, n), np.where(rng.random(n) < 0.2, 0.0, rng.lognormal(1.0, 1.0, n))
    rented = np.where(rng.random(n) < 0.6, 0.0, rng.normal(0.0, 3.0, n))
    farmed = farmed_land(quality=quality, land=land, garden_plot=0.5, rented=rented)
    assert same(farmed, np.maximum(quality * np.maximum(land, 0.5) + rented, 0.0))
    factor = np.power(1.0 + h["assets"] / ASSET_UNIT, 0.2)
    for land_factor in (np.power(farmed, 0.35), np.power(np.atleast_1d(1.0), 0.35)):
        want = tfp * land_factor * np.power(np.maximum(1.0, 0), 0.0) * factor * nature * price  # farm_output's order
        assert same(revenue_at_one_worker(tfp=tfp, land_factor=land_factor, asset_factor=factor, nature=nature,
                                          price=price), want)


def test_headcount_land_and_schooling_are_the_numpy_rule():
    h = households(seed=9)
    rng = np.random.default_rng(9)
    k = h["n_nodes"]
    now = headcount(node=h["node"], alive=h["alive"], adults=h["adults"], n_nodes=k)
    assert same(now.adults, np.bincount(h["node"], h["adults"] * h["alive"], minlength=k))
    assert same(now.households, np.bincount(h["node"], h["alive"], minlength=k))
    land = np.where(rng.random(len(h["node"])) < 0.3, 0.0, rng.lognormal(1.0, 1.0, len(h["node"])))  # the dead's too
    assert same(land_by_node(node=h["node"], alive=h["alive"], land=land, n_nodes=k),
                np.bincount(h["node"], land * h["alive"], minlength=k))
    cohort, gap, child = rng.uniform(3.0, 9.0, k), rng.normal(0.0, 2.0, len(h["node"])), rng.uniform(0, 1, len(h["node"]))
    assert same(adult_schooling(cohort=cohort, node=h["node"], schooling_gap=gap, child_schooling=child),
                cohort[h["node"]] + gap + child)
