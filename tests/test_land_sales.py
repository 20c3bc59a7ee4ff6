"""The land sale market (issue 13 item 4): land given up by households that died out or moved
away is sold at the price that clears, at a start where nothing changes at about the rent's
worth, with land, effective land and money conserved."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import land_market
from territory_abm.model.land_kernels import sell_land


@pytest.fixture(scope="module")
def renting():
    """The stationary example (scale 0.1, seed 2) after its first rental market."""
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=2)
    m = TerritoryModel(sc, seed=2)
    land_market.rent(m)
    return m


def give_up(m, seller, count=3):
    """Households ``count`` landholders of the first rural node give up their land."""
    hh = m.households
    node = int(np.flatnonzero(m.populated & (np.asarray(m.territory.kinds) != "city"))[0])
    rows = np.flatnonzero(hh.alive & (hh.node == node) & (hh.land > 1.0))[:count]
    land_market.give_up_land(m, rows, seller)
    return node, rows


def test_land_given_up_sells_at_the_rents_worth_to_the_farms_in_proportion_to_their_land(renting):
    """Known answer at the start: every farm's marginal value of an effective hectare is the
    rent, so the land sells at (just under) the rent over land_price_years and each buyer
    takes a share proportional to its own effective land (c r^(-k) is its own land at the
    starting rent), up to what its assets pay for: where demand exceeds the land for sale,
    every buyer is served the same share of its demand, so a buyer whose assets cap its demand
    pays that share of its assets, the largest share of its assets any buyer pays, and buys
    less for its land than the others (no buyer at the rules off, ``RULES_OFF``; two of 129 at
    the start at turnover's rest with the wage premium, seed 2); hectares and effective
    hectares are conserved."""
    m = copy.deepcopy(renting)
    hh, p = m.households, m.params
    owned0 = (hh.land * hh.alive).sum() + m.freed_land.sum()
    node, rows = give_up(m, "rest_of_world")
    hh.alive[rows] = False
    own = land_market.own_effective_land(m)
    effective0 = (own * hh.alive).sum() + m.freed_effective_land.sum()  # the garden plots at their quality included
    assets0 = hh.assets.copy()
    land_market.sell(m)
    rent_worth = m.land_rent[node] * p.land_price_years
    assert m.land_price[node] == pytest.approx(rent_worth, rel=0.02)
    assert m.land_price[node] <= rent_worth * (1 + 1e-9)
    buyers = np.flatnonzero(assets0 - hh.assets > 0)
    assert buyers.size > 5 and np.all(hh.node[buyers] == node)
    share = (assets0 - hh.assets)[buyers] / own[buyers]
    capped = share < 0.95 * np.median(share)  # buyers whose assets capped their demand
    assert capped.sum() <= 0.05 * buyers.size
    assert np.std(share[~capped]) / np.mean(share[~capped]) < 0.05  # in proportion to own land
    of_assets = (assets0 - hh.assets)[buyers] / assets0[buyers]
    if capped.any():
        assert np.ptp(of_assets[capped]) < 1e-9 and np.all(of_assets <= of_assets[capped][0] + 1e-9)
    assert (hh.land * hh.alive).sum() + m.freed_land.sum() == pytest.approx(owned0, rel=1e-12)
    assert (land_market.own_effective_land(m) * hh.alive).sum() + m.freed_effective_land.sum() \
        == pytest.approx(effective0, rel=1e-9)


@pytest.mark.parametrize("seller", ["households", "rest_of_world", "municipalities"])
def test_buyers_pay_what_sellers_receive(renting, seller):
    m = copy.deepcopy(renting)
    hh = m.households
    m.ledger.new_year()
    node, rows = give_up(m, seller)
    if seller != "households":
        hh.alive[rows] = False
    before = {"households": hh.assets.sum(), "municipalities": sum(x.treasury for x in m.active_municipalities())}
    land_market.sell(m)
    paid = m.ledger.current[("households", seller, "land sales")]
    assert paid > 0
    after = {"households": hh.assets.sum(), "municipalities": sum(x.treasury for x in m.active_municipalities())}
    if seller == "households":
        assert after["households"] == pytest.approx(before["households"], rel=1e-12)
    else:
        assert before["households"] - after["households"] == pytest.approx(paid, rel=1e-9)
    if seller == "municipalities":
        assert after["municipalities"] - before["municipalities"] == pytest.approx(paid, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(assets=st.lists(st.floats(0.0, 1e5), min_size=3, max_size=3), for_sale=st.floats(0.01, 50.0))
def test_no_buyer_pays_more_than_its_assets_and_no_more_is_sold_than_offered(assets, for_sale):
    """Property: at any assets, buyers spend within them, what is sold never exceeds what is
    for sale, and the price stays within its bracket."""
    coef, own = np.array([3.0, 5.0, 8.0]), np.array([2.0, 4.0, 1.0])
    log_r0 = 2.0
    sales = sell_land(coef=coef, quality=own, land=np.ones(3), garden_plot=0.0, assets=np.array(assets),
                      node=np.zeros(3, np.int64), alive=np.ones(3, bool), for_sale=np.array([for_sale]),
                      low=np.array([log_r0 - 4.0 + np.log(10)]),
                      high=np.array([log_r0 + np.log(10)]), years=10.0, exponent=1.0 / 0.65, iterations=50)
    assert sales.bought.sum() <= for_sale * (1 + 1e-9)
    if np.isfinite(sales.log_price[0]):
        price = np.exp(sales.log_price[0])
        assert np.all(sales.bought * price <= np.array(assets) * (1 + 1e-9) + 1e-9)
        assert log_r0 - 4.0 + np.log(10) - 1e-9 <= sales.log_price[0] <= log_r0 + np.log(10) + 1e-9
    else:
        assert sales.bought.sum() == 0


def test_unsold_land_passes_to_the_holders():
    """Where no one can pay (every household's assets nil), nothing sells and the land given
    up is handed over to the node's holders: land is conserved."""
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.05, steps=1)
    m = TerritoryModel(sc, seed=3)
    land_market.rent(m)
    hh = m.households
    total = (hh.land * hh.alive).sum()
    node, rows = give_up(m, "rest_of_world")
    hh.alive[rows] = False
    hh.assets[:] = 0.0
    from territory_abm.model import environment
    environment.hand_over(m)
    assert not np.isfinite(m.land_price[node])
    assert (hh.land * hh.alive).sum() == pytest.approx(total, rel=1e-12)
