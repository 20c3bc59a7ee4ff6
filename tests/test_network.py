"""Sparse travel times (issue 15 item 6): the pairs within a cutoff are the all-pairs shortest
times cut at it, every node keeps its pairs with every external market, an incremental
update after a road changes equals a search from scratch, and consumers see only the
pairs within their own limit."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import network
from territory_abm.model.network import (Pairs, TravelTimes, _adjacency, _edge_times, _entry_order,
                                         travel_time_matrix)


def random_network(n: int, seed: int, markets: int = 2) -> tuple[nx.Graph, list[str], np.ndarray]:
    """A connected random network of ``n`` nodes, the last ``markets`` of them external markets."""
    rng = np.random.default_rng(seed)
    graph = nx.connected_watts_strogatz_graph(n, 4, 0.3, seed=seed)
    graph = nx.relabel_nodes(graph, {i: f"N{i}" for i in range(n)})
    for _, _, data in graph.edges(data=True):
        data["travel_time"], data["road_quality"] = float(rng.uniform(0.2, 3.0)), float(rng.uniform(0.2, 1.0))
    ids = [f"N{i}" for i in range(n)]
    return graph, ids, np.arange(n) >= n - markets


def check_against_dense(travel: TravelTimes, graph: nx.Graph, ids: list[str], is_market: np.ndarray) -> None:
    dense = travel_time_matrix(graph, ids, 1.0)
    expected = np.where((dense <= travel.cutoff) & ~is_market[None, :], dense, np.inf)
    assert np.array_equal(travel.pairs.dense(), expected)
    # searched from the markets: the same paths summed the other way round
    assert np.allclose(travel.to_market, dense[:, is_market], rtol=1e-12, atol=0.0)
    if is_market.any():
        assert np.allclose(travel.market_time, dense[:, is_market].min(axis=1), rtol=1e-12, atol=0.0)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(6, 40), seed=st.integers(0, 2**31), cutoff=st.floats(0.5, 12.0))
def test_pairs_are_the_shortest_times_within_the_cutoff(n, seed, cutoff):
    graph, ids, is_market = random_network(n, seed)
    travel = TravelTimes(graph, ids, is_market, 1.0, cutoff)
    check_against_dense(travel, graph, ids, is_market)
    for limit in (0.0, cutoff / 2, cutoff):
        within = travel.within(limit)
        assert np.array_equal(within.dense(), np.where(travel.pairs.dense() <= limit, travel.pairs.dense(), np.inf))
        with_markets = travel.within(limit, markets=True)
        got = with_markets.dense()
        assert np.array_equal(got[:, is_market], travel.to_market)  # every node weighs every market
        assert np.array_equal(got[:, ~is_market], within.dense()[:, ~is_market])
        assert all((np.diff(with_markets.dest[a:b]) > 0).all()
                   for a, b in zip(with_markets.indptr[:-1], with_markets.indptr[1:]))
    with pytest.raises(ValueError, match="kept up to"):
        travel.within(cutoff + 1.0)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(6, 40), seed=st.integers(0, 2**31), cutoff=st.floats(0.5, 8.0), changed=st.integers(1, 3))
def test_an_incremental_update_equals_a_search_from_scratch(n, seed, cutoff, changed):
    graph, ids, is_market = random_network(n, seed)
    travel = TravelTimes(graph, ids, is_market, 1.0, cutoff)
    assert travel.update(graph, 1.0) == 0  # roads unchanged: nothing searched again
    rng = np.random.default_rng(seed)
    edges = list(graph.edges)
    for k in rng.choice(len(edges), min(changed, len(edges)), replace=False):
        graph.edges[edges[k]]["road_quality"] = float(rng.uniform(0.01, 1.0))
    searched = travel.update(graph, 1.0)
    assert 0 <= searched <= n
    check_against_dense(travel, graph, ids, is_market)



@settings(max_examples=10, deadline=None)
@given(n=st.integers(6, 40), seed=st.integers(0, 2**31), cutoff=st.floats(0.5, 8.0))
def test_every_road_changed_searches_every_origin_again(n, seed, cutoff):
    # as each year's upkeep does: every node is an end of a changed edge, so all are searched
    graph, ids, is_market = random_network(n, seed)
    travel = TravelTimes(graph, ids, is_market, 1.0, cutoff)
    rng = np.random.default_rng(seed)
    for _, _, data in graph.edges(data=True):
        data["road_quality"] = float(rng.uniform(0.01, 1.0))
    assert travel.update(graph, 1.0) == n
    check_against_dense(travel, graph, ids, is_market)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(6, 40), seed=st.integers(0, 2**31), cutoff=st.floats(0.5, 8.0))
def test_one_search_of_every_origin_is_the_searches_in_blocks(n, seed, cutoff):
    # few nodes, all origins: one search without the cutoff; else blocks of ROW_CHUNK origins within it
    graph, ids, is_market = random_network(n, seed)
    at_once = TravelTimes(graph, ids, is_market, 1.0, cutoff)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(network, "ROW_CHUNK", 4)
        in_blocks = TravelTimes(graph, ids, is_market, 1.0, cutoff)
    for a, b in ((at_once.pairs, in_blocks.pairs), (at_once.to_market, in_blocks.to_market)):
        for x, y in zip(a, b):
            assert np.array_equal(x, y) and np.asarray(x).dtype == np.asarray(y).dtype


@pytest.mark.parametrize("loop", [False, True])
def test_the_kept_adjacency_takes_each_years_times(loop):
    # an update of the same edges reorders the new times into the kept adjacency: the one scipy
    # makes of them; a loop (two entries at one pair of ends, which scipy sums) has no such order
    graph, ids, is_market = random_network(25, 7)
    if loop:
        graph.add_edge("N3", "N3", travel_time=0.5, road_quality=0.5)
    travel = TravelTimes(graph, ids, is_market, 1.0, 6.0)
    rng = np.random.default_rng(7)
    for _ in range(3):
        for _, _, data in graph.edges(data=True):
            data["road_quality"] = float(rng.uniform(0.01, 1.0))
        travel.update(graph, 1.0)
        check_against_dense(travel, graph, ids, is_market)
        a, b, times = _edge_times(graph, {node: i for i, node in enumerate(ids)}, 1.0)
        fresh = _adjacency(len(ids), a, b, times)
        order = _entry_order(len(ids), a, b, fresh)
        assert (order is None) == loop
        if not loop:
            assert np.array_equal(np.concatenate([times, times])[order], fresh.data)
            assert np.array_equal(travel._adjacency.data, fresh.data)


def test_a_local_road_change_searches_only_the_origins_near_it():
    # a line of 30 nodes an hour apart: upgrading the first road touches origins within the cutoff of it
    graph = nx.path_graph([f"N{i}" for i in range(30)])
    for _, _, data in graph.edges(data=True):
        data["travel_time"], data["road_quality"] = 1.0, 1.0
    ids = [f"N{i}" for i in range(30)]
    travel = TravelTimes(graph, ids, np.zeros(30, bool), 0.0, 3.0)
    graph.edges["N0", "N1"]["travel_time"] = 0.5
    assert travel.update(graph, 0.0) == 5  # N0 .. N4: N4 is 3 h from N1
    check_against_dense(travel, graph, ids, np.zeros(30, bool))


def test_pairs_helpers_match_dense_sums():
    times = np.array([[0.0, 1.0, np.inf], [1.0, 0.0, 2.0], [np.inf, np.inf, np.inf]])
    pairs = Pairs.from_dense(times)
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    dense = pairs.dense(values, fill=0.0)
    assert pairs.by_origin(values).tolist() == dense.sum(axis=1).tolist()
    assert pairs.to_dest(values).tolist() == dense.sum(axis=0).tolist()
    assert pairs.row_max(values, empty=-1.0).tolist() == [2.0, 5.0, -1.0]
    kept = pairs.where(values > 2.5)
    assert kept.indptr.tolist() == [0, 0, 3, 3] and kept.dest.tolist() == [0, 1, 2]


def test_migrants_move_only_within_the_migration_reach():
    """With a reach of 2 hours, every migrant inside the territory settles at most 2 hours from
    home; external markets stay open to all."""
    sc = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.1, steps=3, seed=3)
    model = TerritoryModel(sc, migration_reach=2.0)
    model.run()
    stock = model.migrant_stock.tocoo()
    internal = ~model.is_market[stock.col] & (stock.data > 0)
    assert internal.any()
    dense = travel_time_matrix(model.graph, model.territory.ids, model.params.road_quality_penalty)
    assert (dense[stock.row[internal], stock.col[internal]] <= 2.0 + 1e-9).all()
    assert (stock.data[model.is_market[stock.col]] > 0).any()


def test_the_example_territory_lies_within_the_default_migration_reach():
    """The default reach changes nothing on the example: a run with the widest reach is
    identical (so the golden tables, pinned before the reach existed, still hold)."""
    sc = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.1, steps=3, seed=5)
    default, widest = TerritoryModel(sc), TerritoryModel(sc, migration_reach=72.0)
    default.run()
    widest.run()
    dense = travel_time_matrix(default.graph, default.territory.ids, default.params.road_quality_penalty)
    assert dense[np.isfinite(dense)].max() < default.params.migration_reach
    a, b = (m.datacollector.get_model_vars_dataframe() for m in (default, widest))
    assert a.equals(b)


def test_a_limit_raised_during_a_run_widens_the_search():
    sc = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.05, steps=2, seed=6)
    model = TerritoryModel(sc)
    assert model.travel.cutoff == model.params.migration_reach
    model.step()
    model.set_parameters({"migration_reach": 72.0})
    model.step()
    assert model.travel.cutoff == 72.0


def test_node_road_quality_is_the_mean_over_each_nodes_edges():
    from types import SimpleNamespace

    from territory_abm.model.public import node_road_quality

    graph = nx.Graph()
    graph.add_nodes_from(["A", "B", "C", "D"])
    graph.add_edge("A", "B", road_quality=0.2)
    graph.add_edge("C", "B", road_quality=0.7)
    ids = ["A", "B", "C", "D"]
    model = SimpleNamespace(graph=graph, territory=SimpleNamespace(index=ids.index), n_nodes=4)
    assert node_road_quality(model).tolist() == [0.2, (0.2 + 0.7) / 2, 0.7, 0.0]  # D has no road


def test_pairs_kept_whole_are_not_copied():
    graph, ids, is_market = random_network(20, 3)
    travel = TravelTimes(graph, ids, is_market, 1.0, 4.0)
    assert travel.within(4.0) is travel.pairs  # every pair is within the cutoff: the same arrays
    part = travel.within(2.0)
    assert part is not travel.pairs and np.array_equal(part.dense(), np.where(travel.pairs.dense() <= 2.0,
                                                                              travel.pairs.dense(), np.inf))
