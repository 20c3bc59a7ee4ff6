"""Levers and parameters changed on a running model (the classroom dashboard's controls)
take effect from the next year, are checked like scenario files, and keep the books."""

import numpy as np
import pytest

from territory_abm import TerritoryModel
from territory_abm.errors import InputError
from territory_abm.model import context


@pytest.fixture
def model(baseline):
    return TerritoryModel(baseline.replace(steps=6, seed=5))


def test_a_lever_switched_on_mid_run_pays_from_the_next_year_and_stops_when_switched_off(model):
    model.step()
    model.set_lever("cash_transfer", {"amount": 400, "coverage": 0.5}, target=("M05",))
    assert model.territory_stats["policy_cost"] == 0  # this year's outcomes are unchanged
    model.step()
    costs = dict(zip(model.territory.ids, model.node_stats["policy_cost"]))
    assert costs["M05"] > 0 and all(v == 0 for k, v in costs.items() if k not in ("M05",) and np.isfinite(v))
    # the scenario's programme on top of the context's national transfer
    national = context.national_cct_amount(model)
    paid = model.households.transfer_income[model.households.alive]
    assert set(np.unique(paid)) <= {0.0, 400.0, national, 400.0 + national} and (paid >= 400.0).any()
    assert model.territory_stats["programme_transfers"] == pytest.approx(400.0 * np.isin(paid, (400.0, 400.0 + national)).sum())
    model.set_lever("cash_transfer", None)
    model.step()
    assert model.territory_stats["policy_cost"] == 0
    assert model.territory_stats["programme_transfers"] == 0
    # the lever has its own cost column in the territory's records: 0 before it was set,
    # then what it cost in each year, as a scenario's policy has
    records = model.datacollector.get_model_vars_dataframe()
    own = records["cost_live:cash_transfer"].to_numpy()
    assert np.array_equal(own, records["policy_cost"].to_numpy())
    assert own[:2].tolist() == [0.0, 0.0] and own[2] > 0 and own[3] == 0


def test_changing_a_lever_keeps_one_policy_and_its_reached_households(model):
    model.set_lever("technical_assistance", {"coverage": 0.2})
    model.step()
    reached = model.households.programmes.copy()
    model.set_lever("technical_assistance", {"coverage": 0.4})
    assert model.policies.labels.count("live:technical_assistance") == 1
    model.step()
    assert np.all((model.households.programmes[:len(reached)] & reached) == reached)


def test_live_changes_are_validated(model):
    with pytest.raises(InputError, match="amount"):
        model.set_lever("cash_transfer", {"amount": -5})
    with pytest.raises(InputError, match="lever"):
        model.set_lever("helicopter_money", {})
    with pytest.raises(InputError, match="target"):
        model.set_lever("roads", {}, target=("NOWHERE",))
    with pytest.raises(InputError, match="clearing_propensity"):
        model.set_parameters({"clearing_propensity": 7.0})


def test_a_parameter_changed_mid_run_is_used_from_the_next_step(model):
    model.step()
    model.set_parameters({"clearing_propensity": 0.0, "natural_capital_regrowth": 0.0})
    before = model.territory_stats["natural_capital"]
    model.step()
    assert model.territory_stats["cleared"] == 0
    assert model.territory_stats["natural_capital"] == pytest.approx(before)


def test_a_lever_set_mid_run_must_act_in_a_year_still_to_simulate(baseline):
    """At 2012 of a run to 2014 (start 2010, 4 steps) the years still to simulate are
    2013-2014: a policy wholly before (years already simulated) or after them is refused with
    the scenario file's message, naming them; a running programme's earlier start, a policy
    running past the last year and a malformed range behave as before. Past the scenario's last
    year (``step()`` by hand simulates one more) the next year is the one still to simulate."""
    model = TerritoryModel(baseline.replace(steps=4, seed=5))
    model.step(), model.step()
    for start, end, field in ((2000, 2005, "end"), (2011, 2012, "end"), (2015, 2020, "start")):
        with pytest.raises(InputError) as err:
            model.set_lever("cash_transfer", {"amount": 400}, label="t", start=start, end=end)
        assert err.value.field == f"policies[0].{field}"
        assert f"policy 't' runs {start}-{end}, outside the years still to simulate 2013-2014" in err.value.expected
        assert "years already simulated cannot be set" in err.value.expected
    assert "t" not in model.policies.labels
    with pytest.raises(InputError, match=r"policies\[0\]\.end: a year not before start \(2014\), got 2013"):
        model.set_lever("cash_transfer", {"amount": 400}, start=2014, end=2013)
    model.set_lever("roads", {"budget": 2e6}, label="works", start=2011, end=2013)  # its works' schedule
    model.set_lever("cash_transfer", {"amount": 400}, start=2014, end=2030)
    assert model.policies.labels[-2:] == ["works", "live:cash_transfer"]
    model.run_model()
    assert model.year == 2014 and not model.running
    model.set_lever("cash_transfer", {"amount": 500})  # from 2015, which step() would simulate
    with pytest.raises(InputError, match="outside the years still to simulate 2015-2015"):
        model.set_lever("market_linkage", {"coverage": 0.5}, start=2016, end=2018)
