"""Dropping the rows of households no longer alive (``households.compact_rows``) changes no
result, to the bit: a run compacted every year shows what a run never compacted shows."""

import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS
from territory_abm import TerritoryModel, load_scenario
from territory_abm.experiments.runs import RunSpec, simulate
from territory_abm.model import households, model as model_module
from territory_abm.model.demography import household_births
from territory_abm.model.households import COLUMNS, HouseholdPopulation
from territory_abm.params import Parameters
from territory_abm.scenarios.levers import REGISTRY
from territory_abm.scenarios.loader import make_policy

NEVER, EVERY_YEAR = 2.0, 0.0
"""``COMPACT_DEAD_SHARE`` that never compacts, and one that compacts whenever a row can go."""


def visible(m) -> list[bytes]:
    """What a run shows this year: the alive households' columns in id order, the year's
    ledger and the outcomes."""
    hh = m.households
    columns = [getattr(hh, c)[hh.alive].tobytes() for c in COLUMNS]
    ledger = repr(sorted((k, v.hex()) for k, v in m.ledger.current.items())).encode()
    stats = repr(sorted((k, float(v).hex()) for k, v in m.territory_stats.items())).encode()
    nodes = [np.asarray(v, float).tobytes() for _, v in sorted(m.node_stats.items())]
    return [*columns, ledger, stats, *nodes]


def seeded_run(monkeypatch, share: float, scenario, seed: int, params: dict):
    monkeypatch.setattr(households, "COMPACT_DEAD_SHARE", share)
    m = TerritoryModel(scenario, seed=seed, **params)
    years = [visible(m)]
    for _ in range(scenario.steps):
        m.step()
        years.append(visible(m))
    return m, years


def assert_compaction_changes_nothing(monkeypatch, scenario, seed: int, params: dict) -> None:
    kept, kept_years = seeded_run(monkeypatch, NEVER, scenario, seed, params)
    compacted, compacted_years = seeded_run(monkeypatch, EVERY_YEAR, scenario, seed, params)
    assert kept.households.n == kept.households.ever
    assert compacted.households.n < compacted.households.ever  # rows were dropped
    for year, (a, b) in enumerate(zip(kept_years, compacted_years)):
        assert a == b, f"year {year}"
    pd.testing.assert_frame_equal(kept.datacollector.get_model_vars_dataframe(),
                                  compacted.datacollector.get_model_vars_dataframe(), check_exact=True)
    assert kept.ledger.flows() == compacted.ledger.flows()


@pytest.mark.parametrize("name, scale, steps, seed, params", [
    ("baseline", 0.1, 8, 7, {}),  # births beyond the losses every year (``demography.household_births``)
    ("baseline", 0.1, 8, 7, {"migration_stay_preference": 3.0, "migration_move_cost": 200.0}),  # many leave, paying
    ("policy_mix", 0.05, 6, 13, {}),
])
def test_compacting_every_year_shows_what_a_run_never_compacted_shows(monkeypatch, name, scale, steps, seed, params):
    scenario = load_scenario(SCENARIOS / f"{name}.toml").replace(households_scale=scale, steps=steps)
    assert_compaction_changes_nothing(monkeypatch, scenario, seed, params)


@pytest.mark.parametrize("lever", sorted(REGISTRY))
def test_compacting_every_year_changes_no_lever(monkeypatch, lever):
    """Each lever from the second year on, with many households leaving (rows to drop every year)."""
    base = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.05, steps=6)
    policy = make_policy("compaction", {"lever": lever, "label": lever, "start": base.start_year + 1,
                                        "end": base.end_year}, base.start_year, base.end_year)
    assert_compaction_changes_nothing(monkeypatch, base.replace(policies=(policy,)), 5,
                                      {"migration_stay_preference": 3.0})


def test_kept_households_are_the_starting_ones_by_id(monkeypatch):
    """Impact accounting (``keep_households``) reads the starting households by id: their
    incomes, real incomes and programme reach are the same whether rows were dropped or not."""
    scenario = load_scenario(SCENARIOS / "cash_transfers.toml").replace(households_scale=0.1, steps=6)
    spec = RunSpec("compaction", scenario, 5, overrides={"migration_stay_preference": 3.0}, keep_households=True)
    compacted = []
    original = model_module.compact_rows
    monkeypatch.setattr(model_module, "compact_rows", lambda m: compacted.append(original(m)))
    results = []
    for share in (NEVER, EVERY_YEAR):
        monkeypatch.setattr(households, "COMPACT_DEAD_SHARE", share)
        results.append(simulate(spec))
    assert not any(compacted[:6]) and any(compacted[6:])
    a, b = (r["households"] for r in results)
    for key in a:
        assert a[key].dtype == b[key].dtype and a[key].tobytes() == b[key].tobytes(), key
    assert results[0]["real_income_total"].tobytes() == results[1]["real_income_total"].tobytes()


def test_ties_name_ids_and_those_of_dropped_rows_fade_as_if_kept():
    def population() -> HouseholdPopulation:
        hh = HouseholdPopulation({"node": np.zeros(8, np.int32), "alive": np.ones(8, bool),
                                  "members": np.ones(8, np.int32)})
        hh.remits_to[[1, 2, 4, 6, 7]] = [0, 3, 1, 5, 2]  # ids of the households remitted to
        hh.alive[[0, 2, 3]] = False
        return hh

    kept, compacted = population(), population()
    assert compacted.keep(np.array([1, 4, 5, 6, 7])).tolist() == [-1, 0, -1, -1, 1, 2, 3, 4]
    assert compacted.id.tolist() == [1, 4, 5, 6, 7] and compacted.n == 5 and compacted.ever == 8
    for year in range(4):  # the same ties fade, those of the dropped row 2 included (draws in id order)
        assert (compacted.remits_to == kept.remits_to[compacted.id]).all(), year
        kept.fade_ties(np.random.default_rng(year), 0.4)
        compacted.fade_ties(np.random.default_rng(year), 0.4)
    rows = compacted.append({"node": np.zeros(2, np.int32), "members": np.ones(2, np.int32)})
    assert compacted.id[rows].tolist() == [8, 9] and (compacted.remits_to[rows] == -1).all()
    assert not compacted.alive[rows].any()
    assert (compacted.draw(np.random.default_rng(1).random) == np.random.default_rng(1).random(10)[compacted.id]).all()


@pytest.mark.parametrize("length", [5, 100, 1000, 20_000])
def test_total_sums_as_numpy_sums_the_rows_before_compaction(length):
    rng = np.random.default_rng(length)
    dead = rng.random(length) < 0.3
    before = np.where(dead, 0.0, np.where(rng.random(length) < 0.2, -0.0, rng.normal(size=length) * 1e3))
    hh = HouseholdPopulation({"node": np.zeros(length, np.int32), "alive": ~dead})
    hh.keep(np.flatnonzero(~dead))
    assert hh.total(before[~dead]).hex() == before.sum().hex()
    if length == 20_000:  # numpy's pairwise sum of the alive rows alone differs in the last bits
        assert before[~dead].sum() != before.sum()


def test_births_of_the_kept_rows_are_those_of_every_row():
    """``demography.household_births`` shares the births beyond the losses by sums over the
    rows taken as before compaction (``HouseholdPopulation.total``)."""
    rng = np.random.default_rng(3)
    n = 5_000
    members = rng.integers(1, 9, n).astype(np.int32)
    alive = rng.random(n) < 0.7
    columns = {"node": np.zeros(n, np.int32), "members": np.where(alive, members, 0), "usual_size": members,
               "income": rng.lognormal(8.0, 1.0, n), "alive": alive}
    every_row, compacted = HouseholdPopulation(columns), HouseholdPopulation(columns)
    compacted.keep(np.flatnonzero(alive))
    p = Parameters().with_overrides({"fertility_income_elasticity": 0.5})
    before, after = household_births(p, 0.05, every_row), household_births(p, 0.05, compacted)
    assert after.tobytes() == before[alive].tobytes()


def test_twin_comparisons_read_the_households_by_id(monkeypatch):
    """The dashboard's comparison of a policy run with its twin (the run without it) takes
    the same households in both by id, whichever rows each run dropped."""
    from territory_abm.dashboard.compare import track_row

    base = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.05, steps=5)
    policy = make_policy("transfers", {"lever": "cash_transfer", "label": "transfers", "start": base.start_year + 1,
                                       "end": base.end_year}, base.start_year, base.end_year)
    tracks = []
    for share in (NEVER, EVERY_YEAR):
        monkeypatch.setattr(households, "COMPACT_DEAD_SHARE", share)
        model = TerritoryModel(base.replace(policies=(policy,)), seed=5, migration_stay_preference=3.0)
        twin = TerritoryModel(base, seed=5, migration_stay_preference=3.0)
        track = []
        for _ in range(base.steps):
            model.step()
            twin.step()
            track.append(track_row(model, twin))
        tracks.append(repr(track))
    assert twin.households.n < twin.households.ever and model.households.n != twin.households.n
    assert tracks[0] == tracks[1]
