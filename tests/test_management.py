"""A farm's management (``households.split_tfp``, ``households.joined_tfp``): a household's farm
TFP read as A M^r, M the management its adults hold together (r = 1 - land's - labour's
elasticity), is shared when an adult leaves with a part of it (an adult child forming a
household, a single member moving inside the territory) and added when two farms join in a
union. Before session 43 a single mover took its origin's whole TFP to a farm of one adult
(the origin kept its own) and a union kept the host's alone: moves made management and unions
lost it (docs/model_choices.md, 'Session 43: a farm's management is shared and added')."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from territory_abm.model import formation, migration, start
from territory_abm.model.households import joined_tfp, management_share, split_tfp


class _Elasticities:
    def __init__(self, land, labour):
        self.farm_land_elasticity, self.farm_labour_elasticity = land, labour


@settings(max_examples=200, deadline=None)
@given(tfp=st.floats(0.0, 1e5), share=st.floats(0.01, 0.99), land=st.floats(0.15, 0.6), labour=st.floats(0.2, 0.6))
def test_a_farm_split_and_joined_again_has_its_tfp_back(tfp, share, land, labour):
    """Property: joining is the inverse of splitting wherever the management's exponent r is
    positive; at r <= 0 the join keeps the larger TFP (its limit as r falls to 0)."""
    p = _Elasticities(land, labour)
    taken, kept = split_tfp(p, np.array([tfp]), np.array([share]))
    joined = joined_tfp(p, kept, taken)
    if management_share(p) > 0.02:  # far enough from 0 that the powers 1/r do not lose the digits
        assert joined[0] == pytest.approx(tfp, rel=1e-9, abs=1e-12)
    elif management_share(p) <= 0:
        assert joined[0] == max(taken[0], kept[0])


def test_a_join_adds_management_and_one_without_a_farm_takes_the_other_s():
    """Known answer at r = 0.25: two equal farms joined have 2^0.25 times the TFP; a host
    without a farm (TFP 0) takes the single's, a single without one leaves the host's."""
    p = _Elasticities(0.35, 0.40)
    assert management_share(p) == pytest.approx(0.25)
    np.testing.assert_allclose(joined_tfp(p, np.array([3.0, 0.0, 5.0]), np.array([3.0, 2.0, 0.0])),
                               [3.0 * 2 ** 0.25, 2.0, 5.0], rtol=1e-12)


def test_a_negative_tfp_joins_as_none_and_the_join_stays_a_number():
    """The start backs out a negative TFP for a few households a run (a target income below the
    household's remittances in its rounds; more at extreme parameters). Raised to 1/r it was not
    a number, and a union of such a farm made the host's TFP NaN and crashed the run in firm
    entry (21 % of the Sobol benchmark's runs, session 44): a negative TFP now counts as none."""
    p = _Elasticities(0.5558, 0.4)  # r = 0.044: 1/r about 23
    joined = joined_tfp(p, np.array([1441.1, -35.9, -35.9, 0.0]), np.array([-35.9, 1441.1, -2.0, -3.0]))
    assert np.array_equal(joined, [1441.1, 1441.1, 0.0, 0.0])


def test_a_run_at_a_sobol_sample_that_crashed_keeps_every_tfp_a_number():
    """The Sobol benchmark's sample that crashed in session 44 (seed 1, scale 0.1): its start
    backed out 30 negative TFPs (a local income below none, remittances above the round's target
    income, made ``split_residual``'s floor negative), and in the fourth year a union of one made
    its host's TFP NaN and firm entry raised "lam value too large". The start now backs out no
    negative TFP (session 45: this fails before), and the run finishes its years with every TFP a
    number."""
    from conftest import SCENARIOS
    from territory_abm import TerritoryModel, load_scenario

    sample = {"farm_land_elasticity": 0.5557976962532848, "transport_cost_per_hour": 0.019456985488533973,
              "intermediary_margin": 0.5442346648313104, "local_ownership_share": 0.6205247500911355,
              "migration_stay_preference": 2.7483462020754814, "wage_adjustment": 0.08384457603096962,
              "firm_entry_rate": 0.248257327824831, "clearing_propensity": 0.21105386782437563}
    scenario = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.1, seed=1, steps=5)
    model = TerritoryModel(scenario.replace(parameters=scenario.parameters.with_overrides(sample, source="test")))
    assert (model.households.tfp >= 0).all()
    with np.errstate(invalid="ignore"):
        for _ in range(5):
            model.step()
    assert np.isfinite(model.households.tfp).all()


def test_a_single_mover_takes_its_part_of_the_farm_s_management(year_under_way):
    """Known answer (``migration.migrate``): a single member moving to a rural municipality
    from a farming household of k adults takes TFP t (1/k)^r and the household keeps
    t (1 - 1/k)^r; a mover from a household that did not farm takes the settlers' TFP of one
    adult; one moving to a city without land farms no more and leaves the farm its TFP, as
    one moving abroad does. Before, the mover to a rural municipality took t and the household
    kept t (this fails then)."""
    m = copy.deepcopy(year_under_way)
    # many movers, who carry their TFP (the default since session 51 rescales it to the
    # destination's level: the next test)
    m.set_parameters({"migration_stay_preference": 2.0, "mover_productivity_local": 0.0})
    hh, r = m.households, management_share(m.params)
    n0, ids, tfp = hh.n, hh.id.copy(), hh.tfp.copy()
    migration.migrate(m)
    moved = np.arange(n0, hh.n)
    origin = np.searchsorted(ids, hh.remits_to[moved])
    assert np.array_equal(hh.id[origin], hh.remits_to[moved])
    k = hh.adults[origin] + 1.0  # the origin's adults before the move
    rural = np.asarray(m.territory.kinds)[hh.node[moved]] != "city"
    farmed = tfp[origin] > 0
    from_farm = rural & farmed
    assert from_farm.sum() > 10 and (rural & ~farmed).sum() > 0 and (~rural).sum() > 0
    np.testing.assert_allclose(hh.tfp[moved[from_farm]], tfp[origin[from_farm]] * (1 / k[from_farm]) ** r, rtol=1e-12)
    np.testing.assert_allclose(hh.tfp[origin[from_farm]], tfp[origin[from_farm]] * (1 - 1 / k[from_farm]) ** r,
                               rtol=1e-12)
    to_city = ~rural & farmed
    assert to_city.any() and np.array_equal(hh.tfp[origin[to_city]], tfp[origin[to_city]])
    settlers = rural & ~farmed
    np.testing.assert_allclose(hh.tfp[moved[settlers]], m.settler_tfp[hh.node[moved[settlers]]], rtol=1e-12)
    without_land = ~rural & (hh.land[moved] < m.params.garden_plot_ha)
    assert without_land.any() and np.all(hh.tfp[moved[without_land]] == 0)


def test_a_mover_takes_its_destination_s_productivity_level_when_asked(year_under_way):
    """``mover_productivity_local`` t: a single mover to a rural municipality takes its part of
    the farm's management times (S_dest / S_origin)^t, S the nodes' settler productivity, and so
    does a household moving whole that farms where it goes; at t 0 (the default) the TFP is the
    origin's, as in the test above. The same movers and destinations are drawn either way (the
    draws come before)."""
    runs = {}
    for t in (0.0, 1.0, 0.5):
        m = copy.deepcopy(year_under_way)
        m.set_parameters({"migration_stay_preference": 2.0, "mover_productivity_local": t})
        hh = m.households
        n0, node0, tfp0 = hh.n, hh.node.copy(), hh.tfp.copy()
        migration.migrate(m)
        runs[t] = (m, n0, node0, tfp0)
    base, local, half = runs[0.0][0].households, runs[1.0][0].households, runs[0.5][0].households
    m, n0, node0, tfp0 = runs[1.0]
    assert base.n == local.n and np.array_equal(base.node, local.node)
    s = m.settler_tfp
    moved = np.arange(n0, local.n)
    home = np.searchsorted(local.id[:n0], local.remits_to[moved])
    whole = np.flatnonzero(local.node[:n0] != node0)
    rows = np.concatenate([moved, whole])
    came_from = np.concatenate([node0[home], node0[whole]])
    # movers from a farm (a settler without one takes its node's settler TFP, the test above)
    had_farm = np.concatenate([tfp0[home], tfp0[whole]]) > 0
    farming = had_farm & (base.tfp[rows] > 0) & (s[came_from] > 0) & (s[local.node[rows]] > 0)
    assert farming.sum() > 10 and np.isin(whole, rows[farming]).any()
    ratio = s[local.node[rows[farming]]] / s[came_from[farming]]
    assert np.abs(np.log(ratio)).max() > 0.1  # the nodes differ
    np.testing.assert_allclose(local.tfp[rows[farming]], base.tfp[rows[farming]] * ratio, rtol=1e-12)
    np.testing.assert_allclose(half.tfp[rows[farming]], base.tfp[rows[farming]] * ratio ** 0.5, rtol=1e-12)
    # the households they left keep their TFP whatever t, and so does everyone who did not move
    stayed = np.setdiff1d(np.arange(n0), whole)
    assert np.array_equal(local.tfp[stayed], base.tfp[stayed])


def test_local_productivity_leaves_movers_from_or_to_a_node_without_farmers_alone():
    """Known answer of ``migration.local_productivity``: (S_dest / S_origin)^t where both are
    positive, the TFP unchanged where either node has no farmers (S 0) or at t 0."""
    from types import SimpleNamespace

    model = SimpleNamespace(settler_tfp=np.array([100.0, 400.0, 0.0]),
                            params=SimpleNamespace(mover_productivity_local=0.5))
    tfp = np.array([10.0, 10.0, 10.0, 10.0])
    out = migration.local_productivity(model, tfp, np.array([0, 1, 2, 0]), np.array([1, 0, 0, 2]))
    np.testing.assert_allclose(out, [20.0, 5.0, 10.0, 10.0], rtol=1e-12)
    model.params.mover_productivity_local = 0.0
    assert migration.local_productivity(model, tfp, np.array([0, 1, 2, 0]), np.array([1, 0, 0, 2])) is tfp


def test_settlers_take_the_node_s_median_management_per_adult(year_under_way):
    """Known answer (``start.settler_tfp``, ``migration.settle_farms``): the settlers' TFP of a
    node is the median over its farming households of TFP / k^r (k their adults), and a
    household of k adults settling there without a farm takes k^r times it."""
    m = copy.deepcopy(year_under_way)
    hh, r = m.households, management_share(m.params)
    settler = start.settler_tfp(m)
    rural = np.flatnonzero(np.asarray(m.territory.kinds) != "city")
    for g in rural[:4]:
        at = hh.alive & (hh.node == g) & (hh.tfp > 0)
        assert settler[g] == pytest.approx(np.median(hh.tfp[at] / hh.adults[at] ** r), rel=1e-12)
    rows = np.flatnonzero(hh.alive & (hh.adults >= 2))[:6]
    hh.tfp[rows] = 0.0
    hh.node[rows] = rural[0]
    m.settler_tfp = settler
    migration.settle_farms(m, rows)
    np.testing.assert_allclose(hh.tfp[rows], settler[rural[0]] * hh.adults[rows] ** r, rtol=1e-12)


def test_a_union_adds_the_two_farms_management(year_under_way):
    """Known answer (``formation.unite``): the host's TFP after a union is ``joined_tfp`` of
    the host's and the single's; before, the host kept its own and the single's was lost
    (this fails then wherever both farmed)."""
    m = copy.deepcopy(year_under_way)
    m.set_parameters({"household_union_adjustment": 1.0})
    m.headship = formation.headship(m) * 0.85
    hh = m.households
    single, host = formation.union_partners(copy.deepcopy(m), copy.deepcopy(m.streams["unions"]))
    before = np.maximum(hh.tfp[host], hh.tfp[single])
    expected = joined_tfp(m.params, hh.tfp[host], hh.tfp[single])
    both = (hh.tfp[host] > 0) & (hh.tfp[single] > 0)
    assert both.sum() > 5
    formation.unite(m)
    np.testing.assert_allclose(hh.tfp[host], expected, rtol=1e-12)
    assert np.all(hh.tfp[host[both]] > before[both]) and np.array_equal(hh.tfp[host[~both]], before[~both])
