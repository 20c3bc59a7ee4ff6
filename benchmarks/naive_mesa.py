"""A tutorial-style one-Mesa-agent-per-household version: the second, slower line of
``speed.py``. The reference is ``careful_mesa.py``.

Written the way a first Mesa tutorial would: each household is an Agent whose ``step``
applies simplified household rules with Python scalars, and every household recomputes
the utility of every destination each year (a loop over all nodes per household and year),
which a careful Mesa user would compute once per origin.

Rules per household and year (simplified from the columnar model): labour allocation
against a fixed best wage with a fixed job rate per node, farming, forest clearing,
consumption and saving, births/deaths/ageing, and a logit migration choice over all
destinations. No firms, labour market, public sector or remittances; node wages, job
rates and incomes stay at their starting values. It therefore simulates a different
territory from the columnar model (``speed.py`` prints residents, income and workers of
each version) and measures the cost of the tutorial style, not of the model's rules.
"""

from __future__ import annotations

import math

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import mesa
import numpy as np

from territory_abm.data.synthetic import draw_population
from territory_abm.data.territory import load_territory
from territory_abm.model.network import travel_time_matrix


class Household(mesa.Agent):
    def __init__(self, model, node, members, adults, education, land, assets, tfp):
        super().__init__(model)
        self.node, self.members, self.adults = node, members, adults
        self.education, self.land, self.assets, self.tfp = education, land, assets, tfp
        self.employed, self.income = 0, 0.0

    def step(self):
        m, p = self.model, self.model.params
        # labour allocation
        price = m.farm_gate[self.node] * (1 - p.intermediary_margin)
        potential = (price * self.tfp * self.land ** p.farm_land_elasticity
                     * (1 + self.assets / 1000) ** p.farm_asset_elasticity * m.nature_factor[self.node])
        wage = m.best_wage[self.node]
        want = (p.farm_labour_elasticity * potential / wage) ** (1 / (1 - p.farm_labour_elasticity)) if wage > 0 else 1e9
        seekers = max(0, min(self.adults, self.adults - round(min(want, 1e6))))
        self.employed = sum(1 for _ in range(seekers) if self.random.random() < m.job_rate[self.node])
        wage_income = self.employed * wage
        farm_income = potential * max(self.adults - self.employed, 0) ** p.farm_labour_elasticity
        # clearing
        gain = p.farm_land_elasticity * farm_income / max(self.land, 1.0) * p.clearing_horizon
        cleared = p.clearing_propensity * min(max(gain / p.clearing_cost - 1, 0), 2)
        if cleared > 0 and m.forest[self.node] > cleared:
            m.forest[self.node] -= cleared
            self.land += cleared
        # consumption and saving
        self.income = farm_income + wage_income
        need = p.subsistence_pc * self.members
        cash = self.assets * (1 - p.asset_depreciation) + self.income
        spend = min(need + p.consumption_share * max(self.income - need, 0), cash)
        self.assets = max(cash - spend, 0.0)
        # demography
        births = sum(1 for _ in range(self.members) if self.random.random() < p.birth_rate)
        deaths = sum(1 for _ in range(self.members) if self.random.random() < p.death_rate)
        children = self.members - self.adults
        # children reach working age at the rate that keeps the age structure (b A / C, as the model)
        maturation = p.birth_rate * self.adults / children if children else 0.0
        grown = sum(1 for _ in range(children) if self.random.random() < maturation)
        self.members = max(self.members + births - deaths, 1)
        self.adults = min(max(self.adults + grown - min(deaths, self.adults - 1), 1), self.members)
        # logit migration over all destinations
        income_pc = self.income / self.members
        stay = (p.migration_stay_preference + p.migration_income_weight * math.log(max(income_pc, 1))
                + p.migration_services_weight * 0.5)
        utilities = []
        for d in range(m.n_nodes):
            if d == self.node:
                continue
            u = (p.migration_income_weight * math.log(max(m.node_income[d], 1))
                 - p.migration_cost_per_hour * m.travel[self.node, d] + p.migration_services_weight * 0.5)
            utilities.append((d, u))
        denom = math.exp(stay) + sum(math.exp(u) for _, u in utilities)
        r = self.random.random() * denom
        acc = math.exp(stay)
        if r > acc:
            for d, u in utilities:
                acc += math.exp(u)
                if r <= acc:
                    if not m.is_market[d]:
                        self.node = d
                    break


class NaiveTerritory(mesa.Model):
    def __init__(self, scenario):
        super().__init__(seed=scenario.seed)
        self.params = p = scenario.parameters
        t = load_territory(scenario.territory)
        self.n_nodes = t.n_nodes
        self.is_market = ~t.populated
        self.travel = travel_time_matrix(t.graph.copy(), t.ids, p.road_quality_penalty)
        market_time = self.travel[:, self.is_market].min(axis=1)
        self.farm_gate = p.dynamic_market_price * np.maximum(1 - p.transport_cost_per_hour * market_time, 0.05)
        init = draw_population(t, scenario.households_scale, self.rng)
        c = init.columns
        self.forest = list(init.forest_ha)
        self.nature_factor = [1.0] * self.n_nodes
        self.best_wage = list(np.where(t.populated, init.wage, 0.0))
        self.job_rate = [0.5] * self.n_nodes
        self.node_income = list(np.where(t.populated, np.nan_to_num(t.table["mean_income"]), p.external_income_pc))
        for i in range(len(c["node"])):
            need = p.subsistence_pc * int(c["members"][i])
            assets = (1 - p.consumption_share) * max(float(c["income"][i]) - need, 0.0) / p.asset_depreciation
            Household(self, int(c["node"][i]), int(c["members"][i]), int(c["adults"][i]), float(c["education"][i]),
                      float(c["land"][i]), assets, 300.0)

    def step(self):
        self.agents.shuffle_do("step")
