"""Compiled passes that replaced numpy passes give the numpy results bit for bit (the golden
tables pin them to the last bit): numpy's pairwise sums, np.maximum and np.minimum with
their signed zeros, and each fused household pass against the numpy expressions it
replaced, on random households."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numba import njit

from territory_abm.model import enterprise_kernels as ek
from territory_abm.model.budget_kernels import cash_on_hand, spend
from territory_abm.model.food import food_spending
from territory_abm.model.kernels import WAGE_FLOOR, _farm_workers_wanted, consumption, household_receipts
from territory_abm.model.distribution_kernels import (WIDE_FROM, grouped_distribution, household_distributions,
                                                      stable_order)
from territory_abm.model.exact import maximum, minimum, nan_to_num, pairwise_sum, pairwise_sum_at


def same(a, b) -> bool:
    """Equal to the last bit, signed zeros and NaN included."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and bool(np.all(a.view(np.int64) == b.view(np.int64)))


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 127, 128, 129, 255, 1000, 8193, 65_537, 300_001])
def test_pairwise_sum_is_numpys_sum(n):
    rng = np.random.default_rng(n)
    a = rng.lognormal(5.0, 3.0, n) * rng.choice([-1.0, 1.0], n)
    assert same(pairwise_sum(a), a.sum())


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.integers(0, 600), elements=st.floats(-1e12, 1e12, allow_subnormal=False)))
def test_pairwise_sum_is_numpys_sum_on_any_values(a):
    assert same(pairwise_sum(a), a.sum())


@pytest.mark.parametrize("length, kept", [(0, 0), (9, 9), (9, 4), (200, 130), (8193, 8193), (54_000, 46_000)])
def test_pairwise_sum_at_is_numpys_sum_of_the_array_with_zeros_elsewhere(length, kept):
    rng = np.random.default_rng(length + kept)
    at = np.sort(rng.choice(length, kept, replace=False))
    values = rng.lognormal(5.0, 3.0, kept) * rng.choice([-1.0, 1.0], kept)
    a = np.zeros(length)
    a[at] = values
    assert same(pairwise_sum_at(values, at, length), a.sum())


@njit
def _pairs(op_max, x, y):
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        out[i] = maximum(x[i], y[i]) if op_max else minimum(x[i], y[i])
    return out


def test_maximum_and_minimum_are_numpys_with_signed_zeros_and_nan():
    v = np.array([-0.0, 0.0, np.nan, 1.0, -1.0, np.inf, -np.inf])
    x, y = (a.ravel() for a in np.meshgrid(v, v))
    assert same(_pairs(True, x, y), np.maximum(x, y))
    assert same(_pairs(False, x, y), np.minimum(x, y))


@pytest.mark.parametrize("nan", [0.0, 1.0, 7.25])
def test_nan_to_num_is_numpys(nan):
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 1e300, 200)
    x[rng.integers(0, 200, 60)] = rng.choice([np.nan, np.inf, -np.inf, -0.0, 0.0, 1e308], 60)
    for a in (x, x[::3], x[:1], np.array([-np.inf, np.nan, np.inf])):
        got, want = nan_to_num(a, nan=nan), np.nan_to_num(a, nan=nan)
        assert same(got, want) and got is not a
    assert same(nan_to_num(np.array([1, 2])), [1, 2]) and nan_to_num(np.float64(np.nan)) == 0.0


@pytest.mark.parametrize("b", [0.2, 0.4, 0.6])
def test_farm_workers_wanted_is_the_largest_k_whose_threshold_the_ratio_reaches(b):
    rng = np.random.default_rng(int(b * 10))
    thresholds = np.power(np.arange(1, 13) - 0.5, 1.0 - b)
    for _ in range(3_000):
        revenue, wage, most = rng.lognormal(7.0, 2.0), rng.choice([0.0, rng.lognormal(6.0, 1.5)]), int(rng.integers(0, 13))
        if wage <= 0:
            want = most
        else:
            ratio = b * revenue / max(wage, WAGE_FLOOR)
            want = max([k for k in range(1, most + 1) if ratio >= thresholds[k - 1]], default=0)
        assert _farm_workers_wanted(revenue, wage, b, thresholds, most) == want


def households(n=5_000, n_nodes=7, seed=0):
    """Random household columns with the enterprises' corner cases: dead rows, farms,
    households without enterprises, nodes without households."""
    rng = np.random.default_rng(seed)
    adults = rng.integers(0, 6, n).astype(np.int32)
    return dict(
        node=rng.integers(0, n_nodes - 1, n).astype(np.int32), alive=rng.random(n) < 0.9, adults=adults,
        employed=np.minimum(rng.integers(0, 4, n), adults).astype(np.int32),
        tfp=np.where(rng.random(n) < 0.5, rng.lognormal(5.0, 1.0, n), 0.0),
        scale=np.where(rng.random(n) < 0.3, rng.lognormal(7.0, 1.0, n), 0.0),
        capital=np.where(rng.random(n) < 0.3, rng.lognormal(8.0, 1.0, n), 0.0),
        outside=np.where(rng.random(n) < 0.1, rng.lognormal(6.0, 1.0, n), 0.0),
        assets=np.where(rng.random(n) < 0.2, 0.0, rng.lognormal(6.0, 2.0, n)),
        income=rng.normal(3000.0, 2000.0, n), n_nodes=n_nodes,
        price=np.append(rng.uniform(0.5, 1.5, n_nodes - 1), np.nan))


def every_row(h) -> dict:
    """The kernels' ``ids`` and ``ever`` of households whose rows were never compacted."""
    n = len(h["node"])
    return {"ids": np.arange(n), "ever": n}


def test_remittances_by_node_add_the_positive_net_remittances_in_row_order():
    h = households()
    n, rng = len(h["node"]), np.random.default_rng(5)
    node = np.sort(h["node"])  # runs of a node, as households mostly come
    tied = rng.random(n) < 0.3
    out = household_receipts(alive=h["alive"], adults=h["adults"], node=node, public_local=np.ones(h["n_nodes"]),
                             remits_to=np.where(tied, rng.integers(0, n, n), -1).astype(np.int32), ids=np.arange(n),
                             farm_income=rng.lognormal(7.0, 1.0, n), wage_income=rng.lognormal(7.0, 1.0, n),
                             enterprise_income=np.zeros(n), transfer_income=np.zeros(n),
                             migrants_abroad=rng.integers(0, 3, n) * (rng.random(n) < 0.3),
                             remittance_propensity=0.1, remittance_abroad=900.0, n_nodes=h["n_nodes"])
    want = np.zeros(h["n_nodes"])
    for i in np.flatnonzero(out.net_remittances > 0):
        want[node[i]] += out.net_remittances[i]
    assert (out.net_remittances < 0).any() and (out.net_remittances > 0).any()
    assert same(out.remittances_by_node, want)


def test_planned_income_is_the_numpy_rule():
    h = households()
    e, delta = 0.4, 0.07
    power = np.power(1.0 + np.arange(h["adults"].max() + 1), e)
    sales, income = np.zeros(len(h["node"])), np.zeros(len(h["node"]))
    totals = ek.plan_income(scale=h["scale"], tfp=h["tfp"], adults=h["adults"], employed=h["employed"],
                            alive=h["alive"], capital=h["capital"], outside=h["outside"], node=h["node"],
                            expected_price=h["price"], labour_power=power, depreciation=delta, sales=sales,
                            income=income, **every_row(h))
    # the numpy rule it replaced
    in_enterprise = np.where(h["tfp"] > 0, 0, np.maximum(h["adults"] - h["employed"], 0))
    want_sales = h["scale"] * np.power(1.0 + in_enterprise, e)
    upkeep = delta * h["capital"] * h["alive"]
    outside = h["outside"] * h["alive"]
    assert same(sales, want_sales)
    assert same(income, h["price"][h["node"]] * want_sales * h["alive"] + outside - upkeep)
    assert same(totals.upkeep, upkeep.sum()) and same(totals.outside, outside.sum())
    assert same(ek.node_sales(sales=sales, alive=h["alive"], node=h["node"], n_nodes=h["n_nodes"]),
                np.bincount(h["node"], sales * h["alive"], minlength=h["n_nodes"]))


def test_settling_enterprise_sales_is_the_numpy_rule():
    h = households(seed=1)
    price = np.nan_to_num(h["price"] * 0.9)
    sales = h["scale"] * 1.3
    assets, ent_income, income = h["assets"].copy(), h["income"] * 0.1, h["income"].copy()
    got = ek.settle_sales(price=price, expected_price=h["price"], sales=sales, alive=h["alive"], node=h["node"],
                          assets=assets, enterprise_income=ent_income, income=income, **every_row(h))
    sold = price[h["node"]] * sales * h["alive"]
    windfall = sold - h["price"][h["node"]] * sales * h["alive"]
    after = h["assets"] + windfall
    assert same(got.sold, sold.sum()) and same(got.written_off, np.maximum(-after, 0.0).sum())
    assert same(assets, np.maximum(after, 0.0))
    assert same(ent_income, h["income"] * 0.1 + windfall) and same(income, h["income"] + windfall)


def test_entry_and_exit_candidates_are_the_numpy_selections():
    h = households(seed=2)
    node, alive, capital, n = h["node"], h["alive"], h["capital"], h["n_nodes"]
    fall = np.array([0.0, 0.1, 0.0, 0.3, 0.2, 0.0, 0.0])
    assert np.array_equal(ek.closing_candidates(alive=alive, capital=capital, node=node, fall=fall),
                          np.flatnonzero(alive & (capital > 0) & (fall[node] > 0)))
    owner = alive & (capital > 0)
    totals = ek.owner_totals(alive=alive, capital=capital, scale=h["scale"], income=h["income"], node=node, n_nodes=n)
    assert same(totals.owners, np.bincount(node, owner, minlength=n))
    assert same(totals.scale, np.bincount(node, h["scale"] * owner, minlength=n))
    assert same(totals.households, np.bincount(node, alive, minlength=n))
    assert same(totals.income, np.bincount(node, h["income"] * alive, minlength=n))
    rise, typical = fall[::-1].copy(), np.array([1.0, 0.0, 2.0, 3.0, 1.0, 5.0, 0.0]) * 100
    price = 2.0 * typical
    able = ek.opening_candidates(alive=alive, capital=capital, assets=h["assets"], node=node, rise=rise,
                                 typical=typical, price=price)
    want = np.flatnonzero(alive & ~owner & (rise[node] > 0) & (typical[node] > 0) & (h["assets"] >= price[node]))
    assert np.array_equal(able.rows, want)
    assert np.array_equal(able.by_node, np.bincount(node[want], minlength=n))


def is_stable_sort(x, order) -> bool:
    """``order`` sorts ``x`` ascending (-0.0 before 0.0, NaN without sign last), equal values in row order."""
    if sorted(order.tolist()) != list(range(len(x))):
        return False
    y = x[order]
    key = [(np.isnan(v), v, not np.signbit(v), int(i)) for v, i in zip(y, order)]
    return key == sorted(key)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=False), st.sampled_from([0.0, -0.0, 1.0, -1.0, np.inf, np.nan]),
                          st.floats(1.0, 1.0 + 1e-9)), min_size=0, max_size=400))
def test_the_order_sorts_stably_like_numpy(values):
    # values in [1, 1 + 1e-9] share their top 32 key bits: the runs ordered after the radix passes
    x = np.array(values, dtype=np.float64)
    assert is_stable_sort(x, stable_order(x=x))


def test_long_runs_that_share_their_top_bits_are_ordered():
    x = 1.0 + np.arange(5_000)[::-1] * 1e-13  # one run, descending: the merge sort
    x[::3] = 1.0
    assert is_stable_sort(x, stable_order(x=x))


def test_many_values_are_sorted_with_wide_digits():
    # from WIDE_FROM values on the radix sort takes WIDE_DIGIT_BITS at a time
    rng = np.random.default_rng(8)
    x = np.round(rng.lognormal(7.0, 2.0, WIDE_FROM + 5_000), 2)  # ties
    x[rng.random(len(x)) < 0.1] = 0.0
    x[rng.random(len(x)) < 0.01] *= -1.0
    assert is_stable_sort(x, stable_order(x=x))


def reference_distribution(x, weights, group, n_groups):
    """Gini and weighted median by group and over all, in a plain loop over a numpy stable
    sort (no -0.0 in ``x``), with the kernel's arithmetic."""
    rows = [r for r in np.argsort(x, kind="stable") if 0 <= group[r] < n_groups]
    valid = (group >= 0) & (group < n_groups)
    wsum = np.zeros(n_groups)
    for r in np.flatnonzero(valid):
        wsum[group[r]] += weights[r]
    out_g, out_m = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    run, cum, num = np.zeros(n_groups + 1), np.zeros(n_groups + 1), np.zeros(n_groups + 1)
    total = 0.0
    for w in wsum:
        total += w
    half = np.append(0.5 * wsum - 1e-12, 0.5 * total - 1e-12)
    median = np.full(n_groups + 1, np.nan)
    for r in rows:
        for g in (group[r], n_groups):
            wx = weights[r] * x[r]
            num[g] += weights[r] * (2.0 * run[g] + wx)
            run[g] += wx
            cum[g] += weights[r]
            if np.isnan(median[g]) and cum[g] >= half[g] and (wsum[g] if g < n_groups else total) > 0:
                median[g] = x[r]
    weight = np.append(wsum, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        gini = np.where((weight > 0) & (run > 0), 1.0 - num / (weight * run), np.nan)
    out_g, out_m = gini[:n_groups], median[:n_groups]
    return out_g, out_m, gini[n_groups], median[n_groups]


def test_grouped_distribution_is_the_loop_over_a_stable_sort():
    rng = np.random.default_rng(3)
    n = 3_000
    x = np.round(rng.lognormal(7.0, 1.0, n), 1)  # ties
    x[rng.random(n) < 0.2] = 0.0
    group = rng.integers(-1, 6, n)  # -1 and 5: left out
    weights = rng.integers(1, 8, n).astype(float)
    got = grouped_distribution(x=x, weights=weights, group=group, n_groups=5)
    for a, b in zip(got, reference_distribution(x, weights, group, 5)):
        assert same(a, b)


def test_spending_is_consumption_then_its_local_and_food_shares():
    h = households(seed=4)
    n, node, alive = len(h["node"]), h["node"], h["alive"]
    members = (h["adults"] + 1).astype(np.int32)
    income, cash = h["income"], h["assets"] - 500.0
    local_share = np.linspace(0.1, 0.5, h["n_nodes"])
    rule = dict(subsistence_pc=250.0, consumption_share=0.8)
    food = dict(budget_share=0.35, reference_pc=1500.0, elasticity=0.6)
    consumed, assets = np.full(n, np.nan), np.full(n, np.nan)
    got = spend(income=income, cash=cash, members=members, alive=alive, node=node, local_share=local_share,
                food_budget_share=food["budget_share"], food_reference_pc=food["reference_pc"],
                food_income_elasticity=food["elasticity"], n_nodes=h["n_nodes"], consumption=consumed,
                assets=assets, **rule)
    want = np.where(alive, consumption(income=income, cash=cash, members=members, **rule), 0.0)
    assert same(consumed, want) and same(assets, np.maximum(cash - want, 0.0))
    assert same(got.local_demand_by_node, np.bincount(node, local_share[node] * want, minlength=h["n_nodes"]))
    assert same(got.food_demand_by_node, food_spending(spending=want, members=members, alive=alive, node=node,
                                                       local_share=local_share, n_nodes=h["n_nodes"], **food))
    total = 0.0
    for x in want[alive]:
        total += x
    assert same(got.total_spending, total)


@pytest.mark.parametrize("n", [5_000, WIDE_FROM + 1_000])
def test_household_distributions_are_the_grouped_distributions_of_income_per_person_and_land(n):
    h = households(n=n, seed=5)
    members = h["adults"] + np.random.default_rng(5).integers(0, 3, len(h["node"])).astype(np.int32)  # some 0
    land = np.where(h["tfp"] > 0, h["capital"] / 1000.0, 0.0)
    got = household_distributions(income=h["income"], members=members, land=land, node=h["node"], alive=h["alive"],
                                  n_nodes=h["n_nodes"])
    group = np.where(h["alive"], h["node"], h["n_nodes"])
    persons = members.astype(float)
    income = grouped_distribution(x=h["income"] / np.maximum(persons, 1.0), weights=persons, group=group,
                                  n_groups=h["n_nodes"])
    by_land = grouped_distribution(x=land, weights=np.ones(len(land)), group=group, n_groups=h["n_nodes"])
    for a, b in (*zip(got.income, income), *zip(got.land, by_land)):
        assert same(a, b)


def test_cash_on_hand_is_the_numpy_rule():
    h = households(seed=6)
    got = cash_on_hand(assets=h["assets"], income=h["income"], depreciation=0.05, **every_row(h))
    upkeep = 0.05 * h["assets"]
    assert same(got.cash, h["assets"] - upkeep + h["income"]) and same(got.upkeep, upkeep.sum())
