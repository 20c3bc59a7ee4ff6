"""Without any policy the example territory should stay near its starting state.

The start is built as an equilibrium (entrants as productive as incumbents, job seekers equal
to jobs, local sellers planning at the clearing price), so a baseline run must not drift into
a boom or a collapse on its own. These bounds failed before that was done (poverty fell from
0.30 to 0.03 and the number of firms nearly doubled in 20 years).
"""

import numpy as np
import pytest

from territory_abm import TerritoryModel


@pytest.mark.parametrize("seed", [1, 2])
def test_baseline_stays_near_its_start(baseline, seed):
    model = TerritoryModel(baseline.replace(seed=seed, households_scale=0.1, steps=20))
    model.run(20)
    d = model.datacollector.get_model_vars_dataframe()
    start = d.iloc[0]
    assert d.poverty_headcount.between(0.5 * start.poverty_headcount, 1.5 * start.poverty_headcount).all()
    assert (d.mean_income_pc / start.mean_income_pc).between(0.6, 1.4).all()
    assert (d.firms / start.firms).between(0.5, 1.5).all()
    assert (d.gini_income - start.gini_income).abs().max() < 0.08
    yearly_net_migration = (d.net_migration / d.population).iloc[1:]
    assert np.all(yearly_net_migration.between(-0.02, 0.005))  # net out-migration within 0-2 %/yr
