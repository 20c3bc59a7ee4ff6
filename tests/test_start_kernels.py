"""Compiled passes of the start give what the numpy they replaced gave, to the last bit (the
golden tables pin the start; these check the cases a seeded run may not meet): the job rule's
rounds with ties in pressure, households at their limits, nodes without a wage on offer and
powers from tables; mean worker skill and nodes priced out; the weights and draws of the
migrants abroad at rest with incomes that hold none and weights not finite, and a round of
their placement within incomes; the food quantity by sales group; the steady migration's
outflow."""

import numpy as np
import pytest

from territory_abm.model.food import MAX_GROUPS_PER_NODE, group_splits, local_quantity, plan_sales, sales_groups
from territory_abm.model.kernels import WAGE_FLOOR
from territory_abm.model.overhead_kernels import leave_and_outflow
from territory_abm.model.start import MIN_FARM_INCOME_SHARE
from territory_abm.model.rest_kernels import rest_chance, rest_jobs, rest_start
from territory_abm.model.start_kernels import (abroad_log_weights, draw_abroad, income_ratios, keep_jobs,
                                                place_picks, placement_weights, priced_out_nodes, worker_skill)


def numpy_jobs(employed, adults, income, unit_wage, skill, public, best_wage, farms, node, table_jobs, b):
    """The job rule's rounds as ``start.consistent_start_jobs`` wrote them in numpy: each
    household's jobs and the jobs kept by node."""
    n = len(table_jobs)
    wage = unit_wage[node] * skill
    best = np.maximum(best_wage[node] * skill, WAGE_FLOOR)
    employed = employed.astype(np.int64).copy()

    def pressure(rows, jobs):
        family = adults[rows] - jobs
        farm = np.maximum(income[rows] - wage[rows] * jobs - public[rows], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            wants = np.where(family >= 1, b * farm / (np.power(np.maximum(family, 1), b) * best[rows])
                             / np.power(family + 0.5, 1.0 - b), np.inf)
        return np.where(farms[rows], wants, 0.0)

    def fits(rows, jobs):
        left = income[rows] - wage[rows] * jobs - public[rows]
        return left >= np.where(farms[rows], MIN_FARM_INCOME_SHARE * income[rows], 0.0)

    freed = np.maximum(table_jobs - np.bincount(node, employed, minlength=n), 0)
    rows = np.flatnonzero(employed > 0)
    while rows.size:
        quit_ = rows[(pressure(rows, employed[rows]) >= 1.0) | ~fits(rows, employed[rows])]
        employed[quit_] -= 1
        freed += np.bincount(node[quit_], minlength=n)
        rows = quit_[employed[quit_] > 0]
    spare = np.where(farms, 2, 1)
    rows = np.flatnonzero(adults - employed >= spare)
    while freed.any() and rows.size:
        jobs = employed[rows] + 1
        after = pressure(rows, jobs)
        ok = (after < 1.0) & fits(rows, jobs)
        rows, after = rows[ok], after[ok]
        rows = rows[np.lexsort((after, node[rows]))]
        starts = np.searchsorted(node[rows], np.arange(n))
        rank = np.arange(len(rows)) - starts[node[rows]]
        take = rows[rank < freed[node[rows]]]
        employed[take] += 1
        freed -= np.bincount(node[take], minlength=n)
        rows = take[adults[take] - employed[take] >= spare[take]]
    return employed.astype(np.int32), np.bincount(node, employed, minlength=n).astype(float)


def households(seed: int, n: int = 4_000, n_nodes: int = 6) -> dict:
    """Random households, a third of them copies of others (ties in pressure), in node order
    or shuffled, with nodes short of workers (``table_jobs``) and one without households."""
    rng = np.random.default_rng(seed)
    adults = rng.integers(1, 9, n).astype(np.int32)
    h = dict(adults=adults, employed=np.minimum(rng.integers(0, 4, n), adults).astype(np.int32),
             income=rng.lognormal(8.0, 1.0, n), skill=np.exp(rng.normal(0.0, 0.3, n)),
             public=rng.uniform(0.0, 300.0, n), farms=rng.random(n) < 0.6,
             node=np.sort(rng.integers(0, n_nodes - 1, n)).astype(np.int32))
    copies, to = rng.integers(0, n, n // 3), rng.integers(0, n, n // 3)
    for column in h.values():
        column[to] = column[copies]
    order = rng.permutation(n) if seed % 2 else np.argsort(h["node"], kind="stable")
    h = {k: v[order] for k, v in h.items()}
    h["unit_wage"], h["best_wage"] = rng.lognormal(6.5, 0.3, n_nodes), rng.lognormal(6.6, 0.3, n_nodes)
    h["best_wage"][1] = 0.0  # no wage on offer: the floor
    h["table_jobs"] = np.bincount(h["node"], h["employed"], minlength=n_nodes).astype(np.int64) \
        + rng.integers(-n // n_nodes // 8, n // n_nodes // 4, n_nodes)
    return h


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("b", [0.2, 0.4, 0.5, 0.73])
def test_keeping_jobs_is_the_numpy_rule(seed, b):
    h = households(seed)
    want = numpy_jobs(**h, b=b)
    family = np.arange(int(h["adults"].max()) + 1)
    got = keep_jobs(**h, power_family=np.power(np.maximum(family, 1), b), power_half=np.power(family + 0.5, 1.0 - b),
                    elasticity=b, min_farm_share=MIN_FARM_INCOME_SHARE)
    assert np.array_equal(got.employed, want[0]) and got.employed.dtype == np.int32
    assert np.array_equal(got.kept, want[1])


def test_migrants_abroad_weights_and_draws_are_the_numpy_rule():
    """The passes of ``migration.migrants_abroad_at_rest`` against the numpy they replaced, with
    incomes that hold few or no migrants (y - k R not positive) and rates of 0 and NaN (log
    weights not finite)."""
    rng = np.random.default_rng(3)
    n, most, per_migrant, n_nodes = 3_000, 8, 900.0, 4
    income = np.where(rng.random(n) < 0.1, rng.uniform(0.0, 2_000.0, n), rng.lognormal(8.5, 1.0, n))
    persons = rng.integers(1, 9, n).astype(float)
    node = rng.integers(0, n_nodes, n)
    rows = np.flatnonzero(rng.random(n) < 0.8)
    mu, sd = rng.normal(7.0, 0.5, n_nodes), rng.uniform(0.3, 1.0, n_nodes)
    ks = np.arange(most + 1)
    return_terms, log_factorial = ks * np.log(0.15), np.cumsum(np.log(np.maximum(ks, 1)))
    y, pc, at = income[rows, None], persons[rows, None], node[rows]
    ratios = income_ratios(income=income, persons=persons, rows=rows, per_migrant=per_migrant, most=most)
    assert np.array_equal(ratios, np.maximum((y - ks[None, :] * per_migrant) / pc, 1.0))
    log_x = np.log(ratios)
    rates = rng.uniform(0.0, 0.2, (len(rows), most))
    rates[rng.random(rates.shape) < 0.05] = 0.0
    rates[rng.random(rates.shape) < 0.02] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rate = np.log(rates)
        log_f = -log_x - (log_x - mu[at, None]) ** 2 / (2 * sd[at, None] ** 2)
        log_path = np.concatenate([np.zeros((len(rows), 1)), np.cumsum(log_rate, axis=1)], axis=1)
        want = log_f - log_f[:, :1] + log_path - return_terms - log_factorial
    want = np.where((y - ks * per_migrant > 0) & np.isfinite(want), want, -np.inf)
    want[:, 0] = 0.0
    want -= want.max(axis=1, keepdims=True)
    got = abroad_log_weights(log_x=log_x, log_rate=log_rate, income=income, rows=rows, mu=mu, sd=sd, node=node,
                             per_migrant=per_migrant, return_terms=return_terms, log_factorial=log_factorial)
    assert np.array_equal(got.view(np.int64), want.view(np.int64))
    w, u = np.exp(want), rng.random(len(rows))
    cumulative = np.cumsum(w, axis=1)
    drawn = draw_abroad(w=w, u=u)
    assert np.array_equal(drawn.chosen, (cumulative < u[:, None] * cumulative[:, -1:]).sum(axis=1))
    assert np.array_equal(drawn.expected, (w * ks).sum(axis=1) / cumulative[:, -1])


def test_local_quantity_by_sales_group_is_the_households_plan():
    """The start's food quantity from each sales group's plan is what the households' own plans
    (``food.plan_sales``) send, summed in row order, with several price shares in a node, dead
    households, farms without income and a node whose dynamic price and local value are 0."""
    rng = np.random.default_rng(5)
    n, n_nodes, sigma = 5_000, 6, 2.5
    node = np.sort(rng.integers(0, n_nodes, n))
    alive = rng.random(n) < 0.9
    price_share = rng.choice([0.7, 0.85, 1.0], n)
    farm_income = np.where(rng.random(n) < 0.2, 0.0, rng.lognormal(7.0, 1.0, n))
    farm_gate = np.append(rng.uniform(0.5, 2.0, n_nodes - 1), 0.0)
    value, net_price = rng.uniform(0.5, 2.0, n_nodes), rng.uniform(0.5, 2.0, n_nodes)
    value[-1] = 0.0
    plan = plan_sales(node=node, price_share=price_share, alive=alive, farm_gate=farm_gate, local_value=value,
                      local_price=net_price, elasticity=sigma)
    sells = alive & (plan.price > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        want = np.bincount(node[sells], (farm_income * plan.split / plan.price)[sells], minlength=n_nodes)
    groups = sales_groups(farm_income=farm_income, price=np.ones(n), node=node, alive=alive, price_share=price_share,
                          farm_gate=farm_gate, n_nodes=n_nodes, max_groups=MAX_GROUPS_PER_NODE)
    split = group_splits(group_node=groups.node, group_dynamic=groups.dynamic, local_value=value, elasticity=sigma)
    got = local_quantity(farm_income=farm_income, group=groups.of, split=split,
                         price=split * net_price[groups.node] + (1.0 - split) * groups.dynamic, node=node,
                         n_nodes=n_nodes)
    assert np.array_equal(got, want)


def test_worker_skill_and_priced_out_nodes_are_the_numpy_rules():
    """Mean worker skill and the nodes priced out against the numpy they replaced, with a node
    without workers and households at the edge of paying for a job."""
    h = households(seed=11)
    n, n_nodes = len(h["node"]), len(h["table_jobs"])
    node, employed, adults, farms, skill = h["node"], h["employed"], h["adults"], h["farms"], h["skill"]
    employed[node == 2] = 0
    workers = np.bincount(node, employed, minlength=n_nodes)
    with np.errstate(invalid="ignore", divide="ignore"):
        want = np.where(workers > 0, np.bincount(node, employed * skill, minlength=n_nodes) / workers, 1.0)
    assert np.array_equal(worker_skill(employed=employed, skill=skill, node=node, n_nodes=n_nodes), want)
    # one household a node: each node's answer is its household's, incomes at the edge of a job
    rng = np.random.default_rng(12)
    wage, public = rng.lognormal(6.5, 0.5, n), rng.uniform(0.0, 300.0, n)
    income = wage * skill * (employed + 1) + public
    income = income * (1.0 + rng.choice([-1e-16, 0.0, 1e-16], n))
    left = income - wage * skill * (employed + 1) - public
    want = ~farms & (adults > employed) & (left < 0)
    got = priced_out_nodes(income=income, wage=wage, skill=skill, employed=employed, adults=adults, public=public,
                           farms=farms, node=np.arange(n), n_nodes=n)
    assert np.array_equal(got, want) and 0 < want.sum() < (~farms & (adults > employed)).sum()


@pytest.mark.parametrize("shuffled", [False, True])
def test_leave_and_outflow_are_the_numpy_rule(shuffled):
    """The steady migration's chances of leaving and outflow by node against numpy's, households
    in node order and shuffled (runs of a node's rows summed in a register), with households
    that cannot leave (exp(U) infinite) and a node without households."""
    rng = np.random.default_rng(9)
    n, n_nodes = 5_000, 7
    node = np.sort(rng.integers(0, n_nodes - 1, n))
    if shuffled:
        node = rng.permutation(node)
    stay = np.where(rng.random(n) < 0.05, np.inf, np.exp(rng.normal(3.0, 1.0, n)))
    move_worth, people = rng.uniform(0.01, 1.0, n_nodes), rng.uniform(1.0, 5.0, n)
    leave = 1.0 / (1.0 + stay * move_worth[node])
    got = leave_and_outflow(stay=stay, move_worth=move_worth, node=node, people=people, n_nodes=n_nodes)
    assert np.array_equal(got[0], leave)
    assert np.array_equal(got[1], np.bincount(node, leave * people, minlength=n_nodes))


@pytest.mark.parametrize("shuffled", [False, True])
def test_placement_passes_are_the_numpy_rule(shuffled):
    """A round of ``start.place_within_incomes`` against the numpy it replaced: the weights'
    cumulative sum in node order and their sums by node, and the picks placed up to each
    household's room (picks repeated, households without room), households in node order and
    shuffled."""
    rng = np.random.default_rng(4)
    n, n_nodes = 4_000, 5
    node = np.sort(rng.integers(0, n_nodes, n))
    if shuffled:
        node = rng.permutation(node)
    room_for = rng.integers(0, 4, n)
    placed = np.minimum(rng.integers(0, 4, n), room_for)
    expected = np.where(rng.random(n) < 0.3, 0.0, rng.exponential(0.8, n))
    order = np.argsort(node, kind="stable")
    free = np.where(placed < room_for, expected, 0.0)
    got = placement_weights(placed=placed, room_for=room_for, expected=expected, order=order, node=node,
                            n_nodes=n_nodes)
    assert np.array_equal(got.cumulative, np.cumsum(free[order]))
    assert np.array_equal(got.total, np.bincount(node, free, minlength=n_nodes))
    picks = rng.integers(0, n, 3_000)
    wanted = placed + np.bincount(picks, minlength=n)
    left = place_picks(placed=placed, room_for=room_for, picks=picks, node=node, n_nodes=n_nodes)
    assert np.array_equal(placed, np.minimum(wanted, room_for))
    assert np.array_equal(left, np.bincount(node, wanted - placed, minlength=n_nodes).astype(np.int64))


def rest_households(seed: int, n: int = 3_000, n_nodes: int = 5) -> dict:
    """Arguments of the rest kernels (``rest_kernels.rest_jobs``) for random households: 0 to 8
    adults, farms and enterprises whose own work wants none, some or all of them, own work of
    0, households outside the labour market, referrals, in node order or shuffled, and a node
    without households."""
    rng = np.random.default_rng(seed)
    b = 0.5
    most = 8
    node = np.sort(rng.integers(0, n_nodes - 1, n)).astype(np.int32)
    if seed % 2:
        node = rng.permutation(node)
    own = rng.lognormal(7.0, 1.5, n) * (rng.random(n) < 0.75)
    own[rng.random(n) < 0.05] = 1e9  # wants all its adults at any wage
    return dict(node=node, own=own, best=rng.lognormal(7.0, 0.3, n_nodes), skill_weight=np.exp(rng.normal(0, 0.4, n)),
                referral=0.5 * (seed % 3), separation=0.12, adults=rng.integers(0, most + 1, n).astype(np.int32),
                in_market=rng.random(n) < 0.95, in_enterprise=rng.random(n) < 0.3,
                farm_thresholds=np.power(np.arange(1, most + 1) - 0.5, 1.0 - b),
                enterprise_thresholds=np.power(np.arange(1, most + 1) + 0.5, 1.0 - b), elasticity=b)


def one_at_a_time(args: dict, chance: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each household's expected jobs at rest and its draw, one ``_rest_distribution`` at a time
    (the kernel before the chains ran in step)."""
    from territory_abm.model.rest_kernels import RestInputs, _rest_distribution

    a = args
    inputs = RestInputs(**a)
    out = np.empty(int(a["adults"].max()) + 1)
    expected, drawn = np.zeros(len(a["node"])), np.zeros(len(a["node"]), np.int32)
    for i in np.flatnonzero(a["in_market"]):
        expected[i] = _rest_distribution(out, inputs, i, chance[a["node"][i]])
        drawn[i] = min(np.searchsorted(np.cumsum(out[:a["adults"][i] + 1]), u[i], side="right"), a["adults"][i])
    return expected, drawn


@pytest.mark.parametrize("seed", range(6))
def test_the_rest_chains_in_step_are_each_households_chain(seed):
    """``rest_jobs`` runs the chains of a node's households of the same size in step (vector
    loops): each household's expected jobs and draw are those of its chain alone, to the bit,
    at chances inside (0, 1), at 0 (nobody hired) and at 1 (hired for sure: the chain's total
    is not finite), and where a node has no wage on offer; ``rest_start`` gives what
    ``rest_chance`` and then ``rest_jobs`` give, and each pass's sums by node are the sums of
    the households' expected jobs in row order."""
    from territory_abm.model.rest_kernels import (RestInputs, _chain_scratch, _most_adults, _rest_jobs_by_node,
                                                   _rest_layout)

    a = rest_households(seed)
    rng = np.random.default_rng(100 + seed)
    u = rng.random(len(a["node"]))
    for chance in (rng.uniform(0.02, 0.6, 5), np.array([0.0, 1.0, 0.3, 1e-9, 0.5])):
        a["best"][3] = 0.0 if seed == 2 else a["best"][3]
        got = rest_jobs(chance=chance, u=u, **a)
        expected, drawn = one_at_a_time(a, chance, u)
        assert np.array_equal(got.expected, expected)
        assert np.array_equal(got.drawn, drawn)
        inputs = RestInputs(**a)
        layout = _rest_layout(inputs, 5, _most_adults(a["adults"]))
        jobs, places = np.zeros(5), np.empty(len(layout.rows))
        _rest_jobs_by_node(jobs, places, chance, np.ones(5, bool), layout, inputs, _chain_scratch(layout))
        in_row_order = np.zeros(5)
        for g in range(5):
            total = 0.0
            for i in np.flatnonzero(a["node"] == g):
                total += expected[i]
            in_row_order[g] = total
        assert np.array_equal(jobs, in_row_order)
    table = 0.3 * np.bincount(a["node"], a["adults"] * a["in_market"], minlength=5)
    solve = dict(table_jobs=table, n_nodes=5, iterations=120, tolerance=np.full(5, 1e-6), bracket=1e-9, **a)
    both = rest_start(guess=np.full(5, np.nan), u=u, **solve)
    chance = rest_chance(guess=np.full(5, np.nan), **solve)
    assert np.array_equal(both.chance, chance)
    jobs = rest_jobs(chance=chance, u=u, **a)
    assert np.array_equal(both.expected, jobs.expected) and np.array_equal(both.drawn, jobs.drawn)


def test_farm_split_is_the_numpy_rule():
    """``start_kernels.farm_split`` against the numpy it replaced in ``start.split_residual``,
    with farms at their floor and top, residuals below the farm income, small enterprises, and
    NaN."""
    from territory_abm.model.start import MIN_ENTERPRISE_SHARE
    from territory_abm.model.start_kernels import farm_split

    rng = np.random.default_rng(7)
    n = 5_000
    node = rng.integers(0, 4, n)
    capacity = np.where(rng.random(n) < 0.6, rng.lognormal(0.0, 1.0, n), 0.0)
    income = rng.lognormal(8.0, 1.0, n)
    residual = income * rng.uniform(-0.2, 1.0, n)
    floor = 0.1 * income
    top = np.where(capacity > 0, np.maximum(residual, floor), 0.0)
    scale = np.array([100.0, 2000.0, 1e-6, np.nan])
    residual[:50] = np.nan
    farms = capacity > 0
    farm = np.where(farms, np.clip(scale[node] * capacity, floor, top), 0.0)
    enterprise = np.maximum(residual - farm, 0.0)
    small = farms & (enterprise < MIN_ENTERPRISE_SHARE * income)
    got = farm_split(scale=scale, capacity=capacity, floor=floor, top=top, residual=residual, income=income, node=node,
                     min_enterprise_share=MIN_ENTERPRISE_SHARE)
    assert np.array_equal(got.farm, np.where(small, farm + enterprise, farm), equal_nan=True)
    assert np.array_equal(got.enterprise, np.where(small, 0.0, enterprise), equal_nan=True)
