"""Migration and births at rest under a flat context (issue 12 items 1 and 4): the start's migrant
networks and migrants abroad are the rest point of the start's own flows, migrants return,
and under ``stationary.toml`` the migrant stock and the remittance share stay where they start."""

import numpy as np
import pytest

from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import migration
from territory_abm.model.municipality import Municipality
from territory_abm.model.stats import grouped_fifths

FREE_MOVES = {"migration_move_cost": 0.0, "migration_move_cost_per_hour": 0.0, "migration_move_cost_abroad": 0.0}
"""Moves that cost no money: selection by income alone (with costs, who can pay selects too)."""


@pytest.fixture(scope="module")
def start():
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=3, seed=3)
    return TerritoryModel(sc)


def start_services(model) -> np.ndarray:
    return np.where(model.populated, np.nan_to_num(np.asarray(model.territory.table["service_quality"], float)), 1.0)


def expected_movers(model, choice, income, members, adults, node, services, assets) -> np.ndarray:
    """(pairs,) persons expected to move along each pair of ``choice`` in a year, household by
    household: each weighs the destinations its assets pay for (``migration.move_cost`` per
    person, for all its members when it always moves whole) in its own nested logit."""
    p = model.params
    pairs = choice.destinations
    cost = migration.move_cost(p, pairs.time, model.is_market[pairs.dest])
    n = model.n_nodes
    # the staying utility weighs (1 - rho) of the household's own log income per person and rho
    # of its node's log mean income per person (migration_income_persistence)
    rho = p.migration_income_persistence
    node_mean = np.bincount(node, income, minlength=n) / np.maximum(np.bincount(node, members, minlength=n), 1)
    whole = migration.whole_household_chance(p, adults)
    flows = np.zeros(len(pairs.dest))
    for i in np.flatnonzero(adults > 0):
        row = np.arange(pairs.indptr[node[i]], pairs.indptr[node[i] + 1])
        row = row[cost[row] * (members[i] if whole[i] == 1 else 1) <= assets[i]]
        v = choice.utilities[row]
        if not np.isfinite(v).any():
            continue
        lse = np.log(np.exp(v - v.max()).sum()) + v.max()
        own = (1 - rho) * np.log(max(income[i] / members[i], 1.0)) + rho * np.log(max(node_mean[node[i]], 1.0))
        stay = migration.staying_utility(p, own, services[node[i]])
        leave = 1.0 / (1.0 + np.exp(stay - p.migration_nest_dissimilarity * lse))
        flows[row] += leave * (whole[i] * members[i] + 1 - whole[i]) * np.exp(v - lse)
    return flows


@pytest.mark.parametrize("abroad_cost, rho", [(0.0, 0.0), (1000.0, 0.0), (3000.0, 0.0), (0.0, 0.6), (1000.0, 0.6)])
def test_starting_networks_are_what_a_year_of_the_start_flows_and_returns_keeps(start, abroad_cost, rho):
    """The start's networks M are kept by a year of the start's flows F and returns r: (1 - r) M
    + F = M, with F summed household by household over the moves each can pay for (no money
    cost: every destination), at either weighing of the household's own income (rho)."""
    on = {"migration_move_cost": 200.0, "migration_move_cost_per_hour": 5.0} if abroad_cost else {}
    model = TerritoryModel(start.scenario, migration_move_cost_abroad=abroad_cost,
                           migration_income_persistence=rho, **on)
    hh, r = model.households, model.params.migrant_return_rate
    services = start_services(model)
    steady = migration.steady_migration(model, hh.income, hh.members, hh.adults, hh.node, services, hh.assets)
    pairs = steady.choice.destinations
    flows = expected_movers(model, steady.choice, hh.income, hh.members, hh.adults, hh.node, services, hh.assets)
    stock = steady.stock.toarray()
    kept = (1.0 - r) * stock + pairs.dense(flows, fill=0.0)
    assert np.allclose(kept, stock, rtol=1e-6, atol=1e-6)
    at_start = model.migrant_stock.toarray()
    assert at_start[:, model.is_market].sum() > 0 and at_start[:, ~model.is_market].sum() > 0


def test_migrants_abroad_at_rest_known_answer():
    """One origin, one destination abroad: a household leaving with chance p, whole with
    chance w, keeps p (1 - w) / (r + p w) former members abroad."""
    p, w, r = 0.02, 0.25, 0.08
    gain, loss = p * (1 - w), r + p * w
    m = gain / loss
    assert m * (1 - loss) + gain == pytest.approx(m)  # what a year keeps
    assert m == pytest.approx(0.015 / 0.085)


def test_returning_migrants_rejoin_their_households_and_networks_shrink(start):
    model = TerritoryModel(start.scenario)
    model.set_parameters({"migrant_return_rate": 0.3})
    hh = model.households
    hh.migrants_abroad[hh.alive] += 5
    hh.remits_to[:] = np.arange(hh.n)[::-1]  # every household remits to another
    abroad, members, adults = hh.migrants_abroad.copy(), hh.members.copy(), hh.adults.copy()
    stock = model.migrant_stock.copy()
    back = migration.return_migration(model)
    came = abroad - hh.migrants_abroad
    assert back.sum() == came.sum() > 0
    assert np.array_equal(hh.members - members, came) and np.array_equal(hh.adults - adults, came)
    assert came.sum() / abroad[hh.alive].sum() == pytest.approx(0.3, abs=0.03)
    assert np.allclose(model.migrant_stock.toarray(), 0.7 * stock.toarray())
    assert np.mean(hh.remits_to < 0) == pytest.approx(0.3, abs=0.03)


@pytest.mark.slow
def test_migrant_stock_and_remittance_share_stay_where_they_start():
    """Under ``stationary.toml`` (8 seeds, scale 0.25, 20 years) the migrants abroad per
    resident and the share of remittances from abroad in income change by less than twice
    their seed-to-seed standard deviation plus a tenth of their starting level."""
    rows = []
    for seed in range(1, 9):
        sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.25, steps=20, seed=seed)
        model = TerritoryModel(sc)
        ends = [abroad_measures(model)]
        model.run()
        ends.append(abroad_measures(model))
        rows.append(ends)
        model.release()
    rows = np.array(rows)  # seeds x (start, end) x (stock, share)
    change = rows[:, 1] - rows[:, 0]
    mean, sd, level = change.mean(axis=0), change.std(axis=0, ddof=1), rows[:, 0].mean(axis=0)
    assert np.all(np.abs(mean) <= 2 * sd + 0.1 * level), (mean, sd, level)


def abroad_measures(model) -> tuple[float, float]:
    """Migrants abroad per resident, and remittances from abroad over income."""
    hh, alive = model.households, model.households.alive
    abroad = hh.migrants_abroad[alive].sum()
    remitted = migration.remittance_per_migrant_abroad(model) * abroad
    return abroad / hh.members[alive].sum(), remitted / hh.income[alive].sum()


def test_poorer_households_have_more_births_and_the_territory_keeps_its_rate():
    """Known answer: incomes per person 100 and 400 (one person each) at elasticity 0.5 give
    births in the ratio sqrt(4) = 2, averaging the context's rate over persons; elasticity 0
    gives everyone the context's rate; dead households do not count."""
    from territory_abm.model.demography import household_birth_rates
    from territory_abm.params import Parameters

    income, members = np.array([100.0, 400.0, 5.0]), np.array([1, 1, 3])
    alive = np.array([True, True, False])
    p = Parameters().with_overrides({"fertility_income_elasticity": 0.5})
    rates = household_birth_rates(p, 0.02, income, members, alive)
    assert rates[0] / rates[1] == pytest.approx(2.0)
    assert rates[:2].mean() == pytest.approx(0.02)
    flat = household_birth_rates(p.with_overrides({"fertility_income_elasticity": 0.0}), 0.02, income, members, alive)
    assert np.allclose(flat, 0.02)


def test_migrants_abroad_at_rest_without_remittances_are_poisson_at_the_yearly_rates():
    """Known answer: with a remittance too small to move a household's income, the rates of
    sending members abroad do not change with the migrants already abroad, so a household
    sending one a year with chance s keeps Poisson(s / r) members abroad."""
    from territory_abm.params import Parameters

    p = Parameters()
    k = 40_000
    sends = np.where(np.arange(k) % 2 == 0, 0.02, 0.05)
    steady = migration.SteadyMigration(stock=None, abroad=sends / p.migrant_return_rate, outflow=None,
                                       sends=sends, leave=np.full(k, 0.1))
    income = np.random.default_rng(1).lognormal(9.0, 0.6, k)
    drawn, expected = migration.migrants_abroad_at_rest(p, steady, income, np.full(k, 4), np.zeros(k, np.int64),
                                                        1e-9, np.random.default_rng(2))
    assert np.allclose(expected, sends / p.migrant_return_rate, rtol=1e-3)
    for s in (0.02, 0.05):
        rows = sends == s
        assert drawn[rows].mean() == pytest.approx(s / p.migrant_return_rate, rel=0.05)
        assert drawn[rows].var() == pytest.approx(s / p.migrant_return_rate, rel=0.1)


def test_migrants_abroad_at_rest_with_rates_at_each_income_is_the_same_rule():
    """Given the rates at each income as a function (``rate``, as ``sending_rate_at`` gives them
    where moves cost money), the rest point is that of the staying odds' scaling when the function
    is that scaling (so moving costs change only what the rates are, not the rule). The scaling
    written here weighs the whole of a household's own log income: movers who expect a
    destination's mean income (``migration_income_persistence`` 0; the rule at other values is
    the test below)."""
    from territory_abm.params import Parameters

    p = Parameters().with_overrides({"migration_income_persistence": 0.0})
    k = 500
    gen = np.random.default_rng(3)
    income = gen.lognormal(8.5, 0.7, k)
    leave = gen.uniform(0.01, 0.1, k)
    sends = leave * gen.uniform(0.2, 0.8, k)
    steady = migration.SteadyMigration(None, None, None, sends=sends, leave=leave)
    members, node = np.full(k, 3), gen.integers(0, 3, k)

    def rate(rows, x):
        odds = (1 - leave[rows]) / leave[rows]
        return sends[rows] / leave[rows] / (1.0 + odds * np.exp(p.migration_income_weight
                                                               * (np.log(np.maximum(x / 3, 1.0))
                                                                  - np.log(np.maximum(income[rows] / 3, 1.0)))))

    drawn, expected = migration.migrants_abroad_at_rest(p, steady, income, members, node, 800.0,
                                                        np.random.default_rng(4))
    drawn_f, expected_f = migration.migrants_abroad_at_rest(p, steady, income, members, node, 800.0,
                                                            np.random.default_rng(4), rate)
    assert np.allclose(expected_f, expected, rtol=1e-9) and expected.sum() > 10
    assert np.array_equal(drawn_f, drawn)


def test_migrants_abroad_at_rest_follow_the_rates_along_the_way_known_answer():
    """Known answer of the birth-death rest point: one household of income y (per person, one
    person) on a flat income density (a huge spread), sending with chance p(x) a at income x
    and odds of staying that fall as x^weight: P(m) / P(0) = prod_j lambda(y - j R) / (r^m m!),
    weight 1 for movers who expect a destination's mean income (``migration_income_persistence``
    0; at rho the weight is (1 - rho) times it: the test below)."""
    from territory_abm.params import Parameters

    p = Parameters().with_overrides({"migration_income_weight": 1.0, "migration_income_persistence": 0.0})
    r, R, y, leave, a = p.migrant_return_rate, 1000.0, 5000.0, 0.05, 0.5
    k = 2  # a second household spreads the node's income density (sd of log income 2.3)
    steady = migration.SteadyMigration(None, None, None, sends=np.array([leave * a, 0.0]),
                                       leave=np.array([leave, 0.0]))
    _, expected = migration.migrants_abroad_at_rest(p, steady, np.array([y, y * 1e4]), np.ones(k, np.int64),
                                                    np.zeros(k, np.int64), R, np.random.default_rng(0))
    odds = (1 - leave) / leave

    def rate(x):
        return a / (1 + odds * x / y)

    sd = np.log(1e4) / 2
    mu = np.log(y) + sd

    def density(x):  # the lognormal of the node, up to its constant
        return np.exp(-np.log(x) - (np.log(x) - mu) ** 2 / (2 * sd ** 2))

    weights = [density(y - m * R) / density(y) * np.prod([rate(y - j * R) for j in range(1, m + 1)])
               / (r ** m * np.prod(np.arange(1, m + 1))) for m in range(5)]  # y - 5R = 0: no more
    assert expected[0] == pytest.approx(np.dot(np.arange(5), weights) / np.sum(weights), rel=1e-9)
    assert expected[1] == 0.0


def test_starting_migrants_fit_in_incomes_and_keep_the_node_totals():
    """``place_within_incomes``: no household gets more migrants than its room; what one
    cannot hold goes to households of the same node with room, so node totals stay where room
    allows, and a node without room drops its excess."""
    from territory_abm.model.start import place_within_incomes

    rng = np.random.default_rng(5)
    node = np.repeat([0, 1], 500)
    drawn = rng.poisson(0.6, 1000)
    room = np.where(np.arange(1000) % 3 == 0, 0, 3)
    room[500:] = 0
    room[500:510] = 1
    expected = np.full(1000, 0.6)
    placed = place_within_incomes(drawn, room, expected, node, rng)
    assert np.all(placed <= room)
    assert placed[:500].sum() == drawn[:500].sum()  # node 0 has room for all
    assert placed[500:].sum() == 10  # node 1: ten households with room for one each
    assert np.all(placed[drawn <= room] >= drawn[drawn <= room])  # nobody loses the migrants it can hold


def test_the_start_holds_remittances_within_the_tables_incomes(start):
    """Issue 12 item 4: the tables' incomes include remittances. Each node starts at its
    table's mean income (no household is lifted above its drawn income by what its migrants
    abroad send), households with migrants abroad hold their remittances within their income
    and their farms keep about a tenth of the income earned locally at least, and the start has
    migrants abroad sending a few per cent of income."""
    from territory_abm.model.start import MIN_FARM_INCOME_SHARE, earned_income

    hh = start.households
    table = np.asarray(start.territory.table["mean_income"], float)
    # the tables' incomes are those earned in the start's year; the start records them net of
    # what its single emigrants take (``start.record_leavers_shares``), as the run records a year
    income = np.bincount(hh.node, earned_income(start), minlength=start.n_nodes) / np.maximum(start.populations(), 1)
    # the start at turnover's rest solves each node's level for the drawn jobs' incomes, within
    # 2 % of the table's mean (docs/model_choices.md, "A start at turnover's rest"); without
    # turnover, within 0.2 %
    rtol = 0.02 if start.params.job_separation_rate > 0 else 2e-3
    assert np.allclose(income[start.populated], table[start.populated], rtol=rtol)
    away = hh.migrants_abroad > 0
    assert away.mean() > 0.05
    assert np.all(hh.remittance_income[away] < hh.income[away])
    farming = away & (hh.tfp > 0)
    local = hh.income[farming] - hh.remittance_income[farming]
    # (where dividends, which jobs are not checked against, leave less, the floor lifts the
    # income a little, and with it the local income the floor is a tenth of)
    if start.params.job_separation_rate == 0:
        assert np.all(hh.farm_income[farming] >= 0.95 * MIN_FARM_INCOME_SHARE * local)
    else:  # at turnover's rest the floor is kept at the expected jobs, not the drawn ones: a farm whose
        # every adult drew a job earns nothing, as in the run; the others keep some farm income
        worked = farming & (hh.employed < hh.adults)
        assert np.all(hh.farm_income[worked] > 0) and not hh.farm_income[farming & ~worked].any()
    share = hh.remittance_income[hh.alive].sum() / hh.income[hh.alive].sum()
    assert 0.01 < share < 0.1


def test_migrants_abroad_at_rest_weigh_what_rho_leaves_of_own_income():
    """Known answer: a household that keeps a share rho of its income gap wherever it goes
    weighs (1 - rho) of its own log income against the destinations, so the rest point at
    income weight 2 and rho 0.5 is the one at weight 1 and rho 0."""
    from territory_abm.params import Parameters

    k = 300
    gen = np.random.default_rng(5)
    income, leave = gen.lognormal(8.5, 0.7, k), gen.uniform(0.01, 0.1, k)
    steady = migration.SteadyMigration(None, None, None, sends=leave * 0.4, leave=leave)
    members, node = np.full(k, 3), gen.integers(0, 3, k)
    results = [migration.migrants_abroad_at_rest(
        Parameters().with_overrides({"migration_income_weight": w, "migration_income_persistence": rho}),
        steady, income, members, node, 800.0, np.random.default_rng(6)) for w, rho in ((1.0, 0.0), (2.0, 0.5), (2.0, 0.0))]
    assert np.array_equal(results[0][0], results[1][0]) and np.allclose(results[0][1], results[1][1], rtol=1e-12)
    assert not np.allclose(results[0][1], results[2][1], rtol=1e-3)


@pytest.mark.parametrize("rho", [0.0, 1.0])
def test_who_leaves_by_income_follows_how_much_of_its_gap_a_household_keeps(rho, monkeypatch):
    """Selection of movers by income (migration_income_persistence rho). At rho = 1 a household
    expects its home node's gap to every destination whatever its income, so within a node the
    start's chance of moving does not depend on income (known answer: equal for all households
    of a node with the same adults), and in two simulated years the poorest fifth of each node
    moves about as often as the richest. At rho = 0 (every household expects a destination's
    mean) the poorest fifth moves several times as often (about 18 times here, the fifths of the
    start over two years; about 22 times with the fifths recomputed each year)."""
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.25, steps=2, seed=2)
    model = TerritoryModel(sc, migration_income_persistence=rho, **FREE_MOVES)
    hh = model.households
    steady = migration.steady_migration(model, hh.income, hh.members, hh.adults, hh.node, start_services(model))
    fifth = grouped_fifths(hh.income / np.maximum(hh.members, 1), hh.node, (hh.adults > 0) & hh.alive)
    for g in np.unique(hh.node):
        rows = np.flatnonzero((hh.node == g) & (hh.adults > 0) & hh.alive)
        one = rows[hh.adults[rows] == 2]
        spread = np.ptp(steady.leave[one]) if one.size else 0.0
        assert (spread < 1e-12) if rho == 1.0 else (one.size < 10 or spread > 0.01)
    movers = []
    original = migration.choose_movers

    def record(**kw):
        rows = original(**kw)
        movers.append(rows)
        return rows

    base = np.bincount(fifth[fifth >= 0], minlength=5)
    monkeypatch.setattr(migration, "choose_movers", record)
    model.run()
    moved = np.concatenate(movers)
    moved = moved[moved < fifth.size]
    rate = np.bincount(fifth[moved][fifth[moved] >= 0], minlength=5) / base
    # the yearly outcome that reports it: movers' households' income per person over their node's
    ratio = model.datacollector.get_model_vars_dataframe()["movers_income_ratio"].iloc[1:]
    nodes = model.datacollector.get_agenttype_vars_dataframe(Municipality)
    leaving = nodes["out_migrants"] > 0
    assert nodes.loc[leaving, "movers_income_ratio"].gt(0).all() and nodes.loc[~leaving, "movers_income_ratio"].isna().all()
    if rho == 1.0:
        assert 0.6 < rate[0] / rate[4] < 1.6, rate
        assert ratio.between(0.75, 1.33).all(), ratio
    else:
        assert rate[0] / rate[4] > 5, rate
        assert (ratio < 0.6).all(), ratio
    model.release()


def test_the_yearly_choice_weighs_own_income_against_the_home_nodes_recorded_mean(monkeypatch):
    """At rho 0.6 the income the yearly choice weighs against the destinations is 0.4 of the
    household's log income per person and 0.6 of its home node's log mean income per person as
    last recorded, the mean the start's rest point weighs at the start (known answer, computed
    here from the household columns as the choice sees them)."""
    rho = 0.6
    sc = load_scenario(SCENARIOS / "stationary.toml").replace(households_scale=0.1, steps=2, seed=4)
    model = TerritoryModel(sc, migration_income_persistence=rho, **FREE_MOVES)
    hh = model.households
    steady = migration.steady_migration(model, hh.income, hh.members, hh.adults, hh.node, start_services(model))
    recorded = np.array(model.node_stats["mean_income_pc"], float)
    assert np.allclose(steady.income_node[model.populated], recorded[model.populated], rtol=1e-12)
    seen = []
    original = migration.choose_movers

    def record(**kw):
        h = model.households
        seen.append((kw["log_income_pc"].copy(), h.income.copy(), h.members.copy(), h.node.copy(),
                     np.array(model.node_stats["mean_income_pc"], float)))
        return original(**kw)

    monkeypatch.setattr(migration, "choose_movers", record)
    model.run()
    assert len(seen) == 2
    for weighed, income, members, node, mean in seen:
        own = np.log(np.maximum(income / np.maximum(members, 1), 1.0))
        expected = (1 - rho) * own + rho * np.log(np.maximum(mean, 1.0))[node]
        assert np.allclose(weighed, expected, rtol=1e-12, atol=1e-12)
    model.release()


@pytest.mark.parametrize("n, movers", [(1, 0), (15, 300), (53, 2_000), (300, 5_000)])
def test_add_movers_is_scipys_sum_of_the_stock_and_the_movers(n, movers):
    from scipy.sparse import csr_array
    rng = np.random.default_rng(n)
    entries = 3 * n
    stock = csr_array((rng.random(entries) * 50, (rng.integers(0, n, entries), rng.integers(0, n, entries))),
                      shape=(n, n)) * 0.93
    stock.data[::7] = 0.0  # entries left at zero (a return rate of 1) are dropped by the sum
    origin, dest = rng.integers(0, n, movers), rng.integers(0, n, movers)
    people = rng.integers(1, 6, movers)
    want = stock + csr_array((people.astype(float), (origin, dest)), shape=(n, n))
    got = migration.add_movers(stock, origin, dest, people)
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data.view(np.int64), want.data.view(np.int64))
