"""Without any policy and with the context held flat (``scenarios/stationary.toml``) the
example territory must not collapse or explode on its own.

The start is built as an equilibrium (entrants as productive as incumbents, new job seekers
expecting the chance of being hired the first year gives them, local sellers planning at a clearing price of 1 because each municipality's local
spending share is backed out from its starting local sellers, local hiring first), so a
baseline run keeps every municipality populated and its firms in business. These bounds
failed before that was done: the intermediate cities lost 40 % of their people in ten years
when their local sellers' costs exceeded local spending and their farms lost all output with
their last forest.
"""

import numpy as np
import pytest

from conftest import SCENARIOS

from territory_abm import TerritoryModel, load_scenario
from territory_abm.model import labour
from territory_abm.output import tables


@pytest.fixture(scope="module", params=[1, 2])
def run(request):
    stationary = load_scenario(SCENARIOS / "stationary.toml")
    model = TerritoryModel(stationary.replace(seed=request.param, households_scale=0.1, steps=20))
    model.run(20)
    return model.datacollector.get_model_vars_dataframe(), tables.node_table(model)


def test_no_collapse_of_the_territory_or_any_municipality(run):
    territory, nodes = run
    start = territory.iloc[0]
    assert (territory.mean_income_pc / start.mean_income_pc).between(0.8, 1.6).all()
    assert (territory.firms / start.firms).between(0.7, 1.5).all()
    yearly_net_migration = (territory.net_migration / territory.population).iloc[1:]
    assert np.all(yearly_net_migration.between(-0.02, 0.005))  # net out-migration within 0-2 %/yr
    by_node = nodes[nodes["kind"] != "market"].pivot(index="year", columns="node_id", values="population")
    # with births set to balance deaths and the territory's net out-migration, remote rural
    # municipalities lose people to the cities (up to about 2.5 %/yr); none empties. M01 (seed
    # 2, scale 0.1) keeps 0.72 of its people on main at 2ae84db and 0.59 with hiring by skill
    # and referrals (branch hiring), where its poor no longer take the jobs that fall vacant
    # and leave instead (seed 3: 0.70 and 0.69)
    assert (by_node / by_node.iloc[0]).min().min() > 0.5, "a municipality lost more than half of its people"
    income = nodes[nodes["kind"] != "market"].pivot(index="year", columns="node_id", values="mean_income_pc")
    assert (income / income.iloc[0]).min().min() > 0.7, "a municipality's income per person collapsed"


def test_poverty_and_inequality_stay_near_their_start(run):
    territory, _ = run
    start = territory.iloc[0]
    assert territory.poverty_headcount.between(0.5 * start.poverty_headcount, 1.5 * start.poverty_headcount).all()
    assert (territory.gini_income - start.gini_income).abs().max() < 0.05


def test_no_starting_worker_wants_to_return_to_the_farm(baseline):
    """The start is an equilibrium of the job rule: every starting worker keeps seeking
    wage work in the first year (their farm's marginal product is below the best wage in
    reach), so the first year does not re-sort households between farm and wage work."""
    model = TerritoryModel(baseline.replace(households_scale=0.2))
    hh = model.households
    best_wage = labour.job_offers(model, labour.post_vacancies(model)).best_wage
    seekers, *_ = labour.seekers(model, labour.farm_revenue_at_one_worker(model), best_wage,
                                 model.job_finding)
    workers = hh.employed > 0
    assert workers.sum() > 1000
    assert np.array_equal(np.minimum(seekers, hh.employed)[workers], hh.employed[workers])
