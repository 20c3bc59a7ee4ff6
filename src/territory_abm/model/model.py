"""The territorial model: households, firms and municipalities over a market and a
migration network. One step is one year.

Step order (each year):

1. policies that change structures (roads, land, credit, assistance, linkage, schooling,
   environmental rules, decentralisation) take effect;
2. municipalities collect revenue, spend, and keep up roads; travel times are updated;
3. firms post vacancies; households allocate their adults between farm and wage work;
   the labour market matches seekers and vacancies within commuting range;
4. households farm and receive wages, transfers, remittances and local public spending;
   they consume (the local share buys from local firms) and save;
5. the goods market clears; firms account for profit, pay taxes and dividends, adjust
   wages, exit after sustained losses and enter where profits are high;
6. households clear forest where it pays and is not enforced; nature regrows;
7. births, deaths and ageing; then migration (logit choice) with remittances; land left
   by households that died out or moved away passes to the remaining landholders;
8. outcomes are recorded by Mesa's DataCollector.
"""

from __future__ import annotations

from dataclasses import replace

import mesa
import numpy as np

from ..data.synthetic import draw_population
from ..data.territory import SECTORS, TRADABLE_SECTORS, Territory, load_territory
from ..params import Parameters
from ..scenarios.loader import MAX_STEPS, Scenario, make_policy
from . import outcomes
from .firms import Firm, FirmTable, desired_labour, firm_output, tfp_for_labour
from .households import HouseholdPopulation, farm_output
from .kernels import (assign_jobs, choose_movers, clear_forest, clearing_wish, consume, consumption, demography,
                      equilibrium_job_finding, hand_over_land, household_receipts, job_seekers, labour_incomes,
                      node_populations, pay_dividends)
from .ledger import Ledger
from .markets import clear_local_goods, match_labour, wage_adjustment
from .migration import choose_destinations, destination_utilities
from .municipality import Municipality
from .network import travel_time_matrix
from .policies import PolicyEngine

MAX_LOCAL_PRICE = 5.0
MIN_FARM_GATE_SHARE = 0.05
_TRADABLE = np.array([s in TRADABLE_SECTORS for s in SECTORS])
STREAMS = ("population", "labour", "firms", "clearing", "demography", "migration", "policies")


def random_streams(seed: int) -> dict[str, np.random.Generator]:
    """One generator per source of randomness, all derived from the run's seed.

    Separate streams keep common random numbers across scenarios: a policy that draws
    (e.g. who a programme reaches) does not shift the draws of births, deaths, migration or
    job assignment, so paired differences between scenarios measure the policy, not luck.
    """
    return {name: np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k,)))
            for k, name in enumerate(STREAMS)}


class TerritoryModel(mesa.Model):
    """Agent-based model of a rural territory.

    Parameters
    ----------
    scenario : Scenario
        Resolved scenario (territory, parameters, policies, poverty line, steps, seed).
    territory : Territory, optional
        Already loaded territory (default: load ``scenario.territory``).
    seed : int, optional
        Overrides ``scenario.seed``. All randomness flows from one numpy Generator.
    distribution_years : frozenset of int, optional
        Calendar years in which the median and Gini outcomes are computed (default: every
        year). They need sorts and nothing in the dynamics reads them, so experiments that
        analyse only some years skip the others (recorded as NaN); every other outcome and
        the course of the run are unchanged.
    """

    def __init__(self, scenario: Scenario, territory: Territory | None = None, seed: int | None = None,
                 distribution_years: frozenset[int] | None = None):
        seed = scenario.seed if seed is None else seed
        super().__init__(seed=seed)
        self.distribution_years = distribution_years
        self.scenario = scenario
        self.seed = seed
        self.streams = random_streams(seed)
        self.params: Parameters = scenario.parameters
        self.territory = territory if territory is not None else load_territory(scenario.territory)
        self.start_year = scenario.start_year
        self.year = scenario.start_year
        self.poverty_line = scenario.poverty_line
        self.ledger = Ledger()
        self.ledger.new_year()
        t = self.territory
        self.n_nodes = n = t.n_nodes
        self.populated = t.populated
        self.is_market = ~self.populated
        self.graph = t.graph.copy()
        self._init_network()
        init = draw_population(t, scenario.households_scale, self.streams["population"])
        self._init_households(init)
        self.municipalities: list[Municipality | None] = [None] * n
        for i in np.flatnonzero(self.populated):
            self.municipalities[i] = Municipality(
                self, int(i), t.ids[i], t.names[i], str(t.kinds[i]),
                float(t.table["service_quality"][i]), float(t.table["governance"][i]),
                float(init.forest_ha[i]), float(init.area_ha[i]))
        self.last_taxes = np.zeros(n)
        self.local_price = np.ones(n)  # last clearing price of local non-tradables (index)
        self.cohort_education = np.nan_to_num(t.table["mean_education"]).copy()
        self.migrant_stock = np.zeros((n, n))
        self.firm_table = FirmTable()
        self.firm_agents: dict[int, Firm] = {}
        self._init_firms(init)
        farmland = np.bincount(self.households.node, self.households.land, minlength=n)
        for m in self._municipalities():
            m.capacity = max(m.area_ha - farmland[m.node], 0.0)
        self.nature_ratio0 = self._nature_ratio()
        self.policies = PolicyEngine(self, scenario.policies)
        # adaptive expectations, by node: the chance that a new job seeker is hired (by home
        # node), and the local price local sellers plan with
        self.job_finding = self._initial_job_finding()
        start_spend = self._starting_consumption()
        self.local_spending_share = self._local_spending_shares(start_spend)
        self.expected_local_price = self._initial_local_price(start_spend)
        self.flows = outcomes.YearFlows.zeros(n)
        self._freed_land = np.zeros(n)  # land given up this year, by node (ha)
        self.household_records: list[dict[str, np.ndarray]] = []
        self.node_stats, self.territory_stats = outcomes.compute(self)
        self.datacollector = outcomes.make_datacollector(self)
        self.datacollector.collect(self)
        if scenario.record_households:
            self._record_households()

    # ------------------------------------------------------------------ set-up
    def _init_network(self) -> None:
        self.travel = travel_time_matrix(self.graph, self.territory.ids, self.params.road_quality_penalty)
        markets = np.flatnonzero(self.is_market)
        self.market_time = self.travel[:, markets].min(axis=1)
        cut = 1.0 - self.params.transport_cost_per_hour * self.market_time
        self.farm_gate = self.params.dynamic_market_price * np.maximum(cut, MIN_FARM_GATE_SHARE)
        self.reachable = self.travel <= self.params.commute_limit
        self.reachable[:, markets] = False

    def _init_households(self, init) -> None:
        p = self.params
        cols = dict(init.columns)
        cols["alive"] = np.ones(len(cols["node"]), bool)
        cols["price_share"] = np.full(len(cols["node"]), 1.0 - p.intermediary_margin)
        node = cols["node"]
        public = self._initial_public_income_per_adult(init, cols)[node] * cols["adults"]
        cols["employed"] = self._consistent_start_jobs(cols, init, public)
        wage_income = cols["employed"] * init.wage[node]
        cols["assets"] = self._steady_state_assets(cols["income"], cols["members"])
        farm_income = np.maximum(cols["income"] - wage_income - public, 0.1 * cols["income"])
        labour = np.maximum(cols["adults"] - cols["employed"], 1)
        unit = farm_output(1.0, np.maximum(cols["land"], p.garden_plot_ha), labour, cols["assets"], 1.0,
                           p.farm_land_elasticity, p.farm_labour_elasticity, p.farm_asset_elasticity)
        price = self.farm_gate[node] * cols["price_share"]
        cols["tfp"] = np.where(unit > 0, farm_income / np.maximum(unit * price, 1e-12), 0.0)
        cols["farm_income"] = farm_income
        cols["wage_income"] = wage_income
        cols["other_income"] = public
        cols["income"] = farm_income + wage_income + public
        self.households = HouseholdPopulation(cols)
        self.initial_wage = init.wage
        self.mean_education = float(np.average(cols["education"], weights=cols["adults"]))

    def _consistent_start_jobs(self, cols: dict, init, public: np.ndarray) -> np.ndarray:
        """Starting wage jobs per household that the model's own job rule keeps (persons).

        The synthetic start gives jobs in proportion to income. With farm income backed out
        as income minus wages and public income, a household keeps its workers only while
        its farm's marginal product at its family labour L stays below the best net wage W
        within reach: b F / (L^b W) < (L + 1/2)^(1 - b), F its farm income (the rule of
        ``kernels.job_seekers``). Households that break this give up one job at a time (the
        worker returns to the farm, whose income rises by the wage); each node's freed jobs
        go, one per household and round, to the households that would keep them most easily
        among those that can take one with an adult still on the farm and farm income at
        least a tenth of their income. Incomes are unchanged; jobs no household can keep
        are dropped (the node's firms start smaller). Without this, about a sixth of the
        starting workers went back to their farms in the first year and poorer households
        took their jobs.
        """
        p, n = self.params, self.n_nodes
        b = p.farm_labour_elasticity
        node, adults, income = cols["node"], cols["adults"], cols["income"]
        wage = init.wage[node]
        _, best = self._best_net_wage(init.wage, init.jobs.sum(axis=1) > 0)
        best = np.maximum(best[node], 1e-9)
        employed = cols["employed"].astype(np.int64).copy()

        def pressure(rows, jobs):
            """b F / (L^b W) / (L + 1/2)^(1 - b) of households ``rows`` holding ``jobs``: 1 or
            more, the farm wants a worker back."""
            labour = adults[rows] - jobs
            farm = np.maximum(income[rows] - wage[rows] * jobs - public[rows], 0.0)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(labour >= 1, b * farm / (np.power(np.maximum(labour, 1), b) * best[rows])
                                / np.power(labour + 0.5, 1.0 - b), np.inf)

        freed = np.zeros(n, np.int64)
        rows = np.flatnonzero(employed > 0)
        while rows.size:  # give up jobs one at a time until the farm no longer wants the worker
            quit_ = rows[pressure(rows, employed[rows]) >= 1.0]
            employed[quit_] -= 1
            freed += np.bincount(node[quit_], minlength=n)
            rows = quit_[employed[quit_] > 0]
        rows = np.flatnonzero(adults - employed >= 2)
        while freed.any() and rows.size:  # one freed job per household and round
            jobs = employed[rows] + 1
            after = pressure(rows, jobs)
            ok = (after < 1.0) & (income[rows] - wage[rows] * jobs - public[rows] >= 0.1 * income[rows])
            rows, after = rows[ok], after[ok]
            rows = rows[np.lexsort((after, node[rows]))]  # by node, easiest keepers first
            starts = np.searchsorted(node[rows], np.arange(n))
            rank = np.arange(len(rows)) - starts[node[rows]]
            take = rows[rank < freed[node[rows]]]
            employed[take] += 1
            freed -= np.bincount(node[take], minlength=n)
            # where a node's freed jobs outnumbered its takers, they all took one: only they can take more
            rows = take[adults[take] - employed[take] >= 2]
        kept = np.bincount(node, employed, minlength=n).astype(float)
        before = init.jobs.sum(axis=1)
        self.start_wage_jobs = {"drawn": before.copy(), "kept": kept}
        with np.errstate(invalid="ignore", divide="ignore"):
            init.jobs *= np.where(before > 0, kept / before, 0.0)[:, None]
        return employed.astype(np.int32)

    def _steady_state_assets(self, income: np.ndarray, members: np.ndarray) -> np.ndarray:
        """Assets (USD) at which a household's yearly saving at ``income`` (USD/yr) just makes
        good their wear (``asset_depreciation``), so that wealth is stationary at the start:
        saving / depreciation, zero for households at or below subsistence."""
        p = self.params
        saving = income - consumption(income, np.full(len(income), np.inf), members, p.subsistence_pc,
                                      p.consumption_share)
        return np.maximum(saving, 0.0) / p.asset_depreciation

    def _initial_public_income_per_adult(self, init, cols) -> np.ndarray:
        """Municipal spending paid as local incomes per adult at the start, by node (USD/yr):
        the local content of national transfers and of the taxes firms pay when they earn the
        required return. It is part of the starting income the data report, so farm income
        (and farm productivity) is backed out net of it."""
        p, n = self.params, self.n_nodes
        pop = np.bincount(cols["node"], cols["members"], minlength=n).astype(float)
        adults = np.bincount(cols["node"], cols["adults"], minlength=n).astype(float)
        capital = self.capital_per_worker(init.wage) * init.jobs.sum(axis=1)
        taxes = p.firm_tax_rate * p.required_return * capital
        budget = (p.national_transfer_pc * p.decentralisation_share * pop + taxes) * self.populated
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.nan_to_num(p.local_content_share * budget / adults)

    def _init_firms(self, init) -> None:
        p = self.params
        t = self.territory.table
        rows: dict[str, list] = {k: [] for k in ("node", "sector", "dynamic", "tfp", "capital", "wage", "labour")}
        for i in np.flatnonzero(self.populated):
            for s, sector in enumerate(SECTORS):
                jobs = init.jobs[i, s]
                if jobs < 0.5:
                    continue
                k = max(1, int(round(jobs / p.workers_per_firm)))
                labour = np.full(k, jobs / k)
                dynamic = (self.streams["population"].random(k) < t["dynamic_market_share"][i]) & _TRADABLE[s]
                price = np.where(dynamic, self.farm_gate[i], 1.0)
                capital = self.capital_per_worker(init.wage[i]) * labour
                rows["node"].append(np.full(k, i))
                rows["sector"].append(np.full(k, s))
                rows["dynamic"].append(dynamic)
                rows["capital"].append(capital)
                rows["wage"].append(np.full(k, init.wage[i]))
                rows["labour"].append(labour)
                rows["tfp"].append(tfp_for_labour(labour, capital, price, init.wage[i],
                                                  p.firm_labour_elasticity, p.firm_capital_elasticity))
        if rows["node"]:
            self._add_firms({k: np.concatenate(v) for k, v in rows.items()})
        self.entrant_tfp = self._entrant_tfp()

    def _entrant_tfp(self) -> np.ndarray:
        """TFP of a typical entrant by node and sector (nodes x sectors).

        The sector's median TFP among the starting firms, times the node's productivity
        index (the median ratio of its firms' TFP to their sector medians; 1 where the node
        has no firms). Entrants are thus as productive as the local incumbents, so that the
        start is no invitation to enter and entry follows changes (prices, roads, schooling).
        """
        ft = self.firm_table
        tfp, sector, node = ft.tfp, ft.sector, ft.node
        overall = float(np.median(tfp)) if tfp.size else 1.0
        sector_median = np.array([np.median(tfp[sector == s]) if np.any(sector == s) else overall
                                  for s in range(len(SECTORS))])
        ratio = tfp / sector_median[sector] if tfp.size else tfp
        index = np.array([np.median(ratio[node == i]) if np.any(node == i) else 1.0 for i in range(self.n_nodes)])
        return index[:, None] * sector_median[None, :]

    def capital_per_worker(self, wage):
        """Capital per worker (USD) at which a firm paying ``wage`` earns the required return.

        At the optimum revenue is w L / beta, so profit per worker is w (1/beta - 1) - delta k;
        setting it to r k gives k = w (1/beta - 1) / (r + delta)."""
        p = self.params
        return wage * (1.0 / p.firm_labour_elasticity - 1.0) / (p.required_return + p.depreciation_rate)

    def _add_firms(self, columns: dict[str, np.ndarray]) -> None:
        columns = dict(columns)
        columns["alive"] = np.ones(len(columns["node"]), bool)
        columns["entry_year"] = np.full(len(columns["node"]), self.year)
        for row in self.firm_table.append(columns):
            self.firm_agents[int(row)] = Firm(self, int(row))

    def _municipalities(self):
        return [m for m in self.municipalities if m is not None]

    def _nature_ratio(self) -> np.ndarray:
        ratio = np.ones(self.n_nodes)
        for m in self._municipalities():
            ratio[m.node] = m.natural_capital / m.capacity if m.capacity > 0 else 0.0
        return ratio

    # ------------------------------------------------------------------ the year
    def step(self) -> None:
        """Advance the territory by one year."""
        self.year = self.start_year + self.steps
        self.ledger.new_year()
        self.flows = outcomes.YearFlows.zeros(self.n_nodes)
        self.policies.start_year(self.year)
        self._public_sector()
        vacancies = self._post_vacancies()
        self._labour_market(vacancies)
        self._household_budgets()
        self._firm_accounts()
        self._clear_forest()
        self._regrow_nature()
        self._demography()
        self._migrate()
        self._hand_over_land()
        self.node_stats, self.territory_stats = outcomes.compute(self)
        self.datacollector.collect(self)
        if self.scenario.record_households:
            self._record_households()

    def release(self) -> None:
        """Let the model be garbage-collected once its outputs are taken. Mesa 3.3 keeps every
        model in a class-level id counter of ``mesa.Agent`` (mesa issue #3179, fixed after
        3.3), so a worker running thousands of models grew by about 8 MB per run until it was
        killed for lack of memory. Call after the last use of the model."""
        self.firm_agents.clear()
        mesa.Agent._ids.pop(self, None)

    # ------------------------------------------------------------------ mid-run changes
    def set_parameters(self, overrides: dict[str, float]) -> None:
        """Change behavioural parameters (registry names, checked against their ranges);
        the next :meth:`step` uses them."""
        self.params = self.params.with_overrides(overrides, source="set_parameters")

    def set_lever(self, lever: str, values: dict[str, float] | None, target="all", label: str | None = None) -> None:
        """Switch a policy lever on (``values``: its fields, checked against their ranges;
        missing fields take their defaults) or off (``values`` None) from the next year on.
        Each lever set this way has one policy, labelled ``label`` (default ``live:<lever>``)."""
        label = label or f"live:{lever}"
        first, last = self.year + 1, self.start_year + MAX_STEPS
        if values is None:
            if label in self.policies.labels:
                old = self.policies.policies[self.policies.labels.index(label)]
                self.policies.set_policy(replace(old, end=min(old.end, self.year)))
            return
        policy = make_policy("set_lever", {"lever": lever, "label": label, "start": first, "end": last,
                                          "target": target, **values}, first, last)
        self.policies.set_policy(policy)

    def wants_distributions(self) -> bool:
        """Whether this year's median and Gini outcomes are computed."""
        return self.distribution_years is None or self.year in self.distribution_years

    def _populations(self) -> np.ndarray:
        hh = self.households
        return node_populations(hh.node, hh.alive, hh.members, self.n_nodes)

    def _public_sector(self) -> None:
        """Revenue, spending, road upkeep and service quality; then travel times."""
        p = self.params
        pop = self._populations()
        for m in self._municipalities():
            m.decentralisation_share = self.policies.decentralisation_share(m.node)
            m.extra_enforcement = self.policies.enforcement_budget(m.node)
            m.collect_revenue(pop[m.node])
            m.spend(pop[m.node])
            self.flows.public_local[m.node] = m.local_payment
        self.last_taxes[:] = 0.0
        for a, b, data in self.graph.edges(data=True):
            q = data["road_quality"]
            gain = 0.0
            for end in (a, b):
                m = self._muni_by_id(end)
                if m is not None:
                    gain += 0.5 * p.infrastructure_effectiveness * m.infrastructure_spending / max(pop[m.node], 1.0)
            data["road_quality"] = min(max(q + gain * (1 - q) - p.quality_depreciation * q, 0.01), 1.0)
        self._init_network()

    def _muni_by_id(self, node_id: str) -> Municipality | None:
        return self.municipalities[self.territory.index(node_id)]

    def firm_prices(self) -> np.ndarray:
        """Expected output price of each firm: farm-gate-style price for dynamic-market
        sellers, the expected local price for local sellers."""
        ft = self.firm_table
        return np.where(ft.dynamic, self.farm_gate[ft.node], self.expected_local_price[ft.node])

    def _post_vacancies(self) -> np.ndarray:
        p = self.params
        ft = self.firm_table
        target = desired_labour(ft.tfp, ft.capital, self.firm_prices(), ft.wage,
                                p.firm_labour_elasticity, p.firm_capital_elasticity)
        start = np.where(ft.labour > 0, ft.labour, target)
        vac = np.where(ft.alive, start + p.hiring_adjustment * (target - start), 0.0)
        ft.vacancies = vac
        return vac

    def _job_offers(self, vacancies: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Vacancies and mean posted wage by node, the share of a wage kept after commuting
        (origin x destination), and the best net wage reachable from each node (USD/yr)."""
        ft, n = self.firm_table, self.n_nodes
        node_vac = np.bincount(ft.node, vacancies, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            node_wage = np.nan_to_num(np.bincount(ft.node, vacancies * ft.wage, minlength=n) / node_vac)
        net_share, best = self._best_net_wage(node_wage, node_vac > 0)
        return node_vac, node_wage, net_share, best

    def _best_net_wage(self, node_wage: np.ndarray, hiring: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The share of a wage kept after commuting (origin x destination) and the best net
        wage (USD/yr) reachable from each node among the ``hiring`` nodes."""
        net_share = np.clip(1.0 - self.params.commute_cost_per_hour * self.travel, 0.0, 1.0)
        offer = np.where(self.reachable & hiring[None, :], node_wage[None, :] * net_share, 0.0)
        return net_share, offer.max(axis=1)

    def _farm_potential(self) -> np.ndarray:
        """Farm revenue per unit of labour^b of each household (USD/yr), at this year's
        farm-gate price and natural capital."""
        p, hh = self.params, self.households
        # natural capital (soils, water, pollinators) augments farming, which still produces without it
        self.nature_factor = np.power((1.0 + self._nature_ratio()) / (1.0 + self.nature_ratio0),
                                      p.natural_capital_elasticity)
        price = self.farm_gate[hh.node] * hh.price_share
        return farm_output(hh.tfp, np.maximum(hh.land, p.garden_plot_ha), 1.0, hh.assets, self.nature_factor[hh.node],
                           p.farm_land_elasticity, 0.0, p.farm_asset_elasticity) * price

    def _starting_consumption(self) -> np.ndarray:
        """Each household's consumption at its starting income (USD/yr)."""
        p, hh = self.params, self.households
        return consumption(hh.income, hh.assets + hh.income, hh.members, p.subsistence_pc, p.consumption_share)

    def _local_spending_shares(self, spend: np.ndarray) -> np.ndarray:
        """Share of consumption each node's households spend on local non-tradables, backed
        out from the start: the share at which residents' spending buys the starting output
        of local sellers at price 1, i.e. pays their wages and the required return on their
        capital (revenue w L / beta at the firm optimum). Capped at ``max_local_spending_share``
        (above it the local price falls and sellers shrink); nodes without local sellers get
        the consumption-weighted mean of the others, so that entrants can find demand."""
        p, hh, ft, n = self.params, self.households, self.firm_table, self.n_nodes
        node_spend = np.bincount(hh.node, spend * hh.alive, minlength=n)
        local = ft.alive & ~ft.dynamic
        revenue = np.bincount(ft.node, ft.wage * ft.labour * local, minlength=n) / p.firm_labour_elasticity
        has = (revenue > 0) & (node_spend > 0)
        share = np.zeros(n)
        share[has] = np.minimum(revenue[has] / node_spend[has], p.max_local_spending_share)
        fallback = float(np.average(share[has], weights=node_spend[has])) if has.any() else 0.5 * p.max_local_spending_share
        return np.where(has, share, fallback)

    def _initial_local_price(self, spend: np.ndarray) -> np.ndarray:
        """Local price index at which the starting local spending buys the starting output of
        local sellers (1 unless a node's share hit its cap); 1 where a node has no local
        sellers. Local sellers plan with it from the first year."""
        p, hh, ft, n = self.params, self.households, self.firm_table, self.n_nodes
        demand = np.bincount(hh.node, self.local_spending_share[hh.node] * spend * hh.alive, minlength=n)
        output = firm_output(ft.tfp, ft.capital, ft.labour, p.firm_labour_elasticity, p.firm_capital_elasticity)
        supply = np.bincount(ft.node, output * (ft.alive & ~ft.dynamic), minlength=n)
        price, _ = clear_local_goods(demand, supply, MAX_LOCAL_PRICE)
        return np.where(np.isnan(price), 1.0, np.maximum(price, 1.0 / MAX_LOCAL_PRICE))

    def _initial_job_finding(self) -> np.ndarray:
        """Expected job-finding chance per node at which the adults seeking wage work equal
        the jobs held at the start, so that the start is a labour-market equilibrium
        (Harris–Todaro). Found by bisection on [0, 1]; 1 where jobs exceed seekers even then."""
        hh, n = self.households, self.n_nodes
        _, _, _, best_wage = self._job_offers(self.firm_table.labour * self.firm_table.alive)
        potential = self._farm_potential()
        jobs = np.bincount(hh.node, hh.employed, minlength=n)
        b = self.params.farm_labour_elasticity
        # 16 halvings: to 1.5e-5, finer than any expectation needs
        return equilibrium_job_finding(hh.adults, hh.alive, hh.employed, potential, hh.node, best_wage, jobs, b,
                                       self._farm_labour_thresholds(), n, 16)

    def _job_seekers(self, potential: np.ndarray, wage: np.ndarray, expected_wage: np.ndarray):
        """Seekers per household and by node (all, last year's workers, new), given the best
        wage on offer and the expected wage of a new seeker by node (USD/yr)."""
        hh, b = self.households, self.params.farm_labour_elasticity
        return job_seekers(hh.adults, hh.alive, hh.employed, potential, b, wage, expected_wage, hh.node,
                           self._farm_labour_thresholds(), self.n_nodes)

    def _farm_labour_thresholds(self) -> np.ndarray:
        """(k - 1/2)^(1 - b) for k = 1 .. the most adults in a household: a farm wants k or
        more workers at wage w where b P / w reaches the k-th value."""
        most = max(int(self.households.adults.max(initial=0)), 1)
        return np.power(np.arange(1, most + 1) - 0.5, 1.0 - self.params.farm_labour_elasticity)

    def _labour_market(self, vacancies: np.ndarray) -> None:
        """Households decide how many adults seek wage work; seekers and vacancies match.
        Last year's workers keep their jobs first; the remaining jobs of each origin go to
        its new seekers with equal chance."""
        p, hh, ft, n = self.params, self.households, self.firm_table, self.n_nodes
        node_vac, node_wage, net_share, best_wage = self._job_offers(vacancies)
        potential = self._farm_potential()
        seekers, node_seekers, node_keep, node_fresh = self._job_seekers(potential, best_wage,
                                                                         best_wage * self.job_finding)
        flows, unmatched = match_labour(node_seekers, node_vac, node_wage, self.reachable)
        jobs_by_origin = flows.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            keep_rate = np.nan_to_num(np.minimum(jobs_by_origin / node_keep, 1.0))
            fresh_rate = np.nan_to_num(np.clip((jobs_by_origin - node_keep) / node_fresh, 0.0, 1.0))
        rng = self.streams["labour"]
        u_keep, u_fresh = rng.random(hh.n), rng.random(hh.n)
        employed, skill, node_employed, node_skill = assign_jobs(
            seekers, hh.employed, keep_rate, fresh_rate, u_keep, u_fresh, hh.node, hh.education,
            p.education_return, self.mean_education, n)
        hh.employed = employed
        self._update_job_finding(fresh_rate, node_fresh, node_vac - flows.sum(axis=0))
        with np.errstate(invalid="ignore", divide="ignore"):
            flows *= np.nan_to_num(node_employed / jobs_by_origin)[:, None]
        filled = flows.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            ft.labour = np.nan_to_num(filled[ft.node] * vacancies / node_vac[ft.node])
        gross = flows @ node_wage
        net = (flows * net_share * node_wage[None, :]).sum(axis=1)
        self.ledger.record("firms", "households", "wages", gross.sum())
        self.ledger.record("households", "rest_of_world", "commuting", gross.sum() - net.sum())
        labour_power = np.power(np.arange(max(int(hh.adults.max(initial=0)), 1) + 1.0), p.farm_labour_elasticity)
        hh.wage_income, hh.farm_income, farm_sales = labour_incomes(
            skill, node_skill, net, hh.adults, hh.alive, employed, potential, labour_power, hh.node)
        self.ledger.record("rest_of_world", "households", "farm sales", farm_sales)
        self.flows.wage_change = wage_adjustment(node_vac, filled, unmatched, p.wage_adjustment, p.wage_cut_response)
        self.flows.unmatched = node_seekers - node_employed
        self.flows.commuters = flows.sum(axis=1) - np.diag(flows)

    def _update_job_finding(self, fresh_rate: np.ndarray, node_fresh: np.ndarray, unfilled: np.ndarray) -> None:
        """Adaptive expectation of a new seeker's chance of being hired, by node; where
        nobody new sought work, the chance is 1 if reachable vacancies went unfilled."""
        open_jobs = (self.reachable & (unfilled > 0)[None, :]).any(axis=1)
        observed = np.where(node_fresh > 0, fresh_rate, np.where(open_jobs, 1.0, self.job_finding))
        self.job_finding += self.params.expectation_adjustment * (observed - self.job_finding)

    def _household_budgets(self) -> None:
        """Transfers, remittances and local spending arrive; households consume and save."""
        p, hh, n = self.params, self.households, self.n_nodes
        node, alive = hh.node, hh.alive
        hh.transfer_income = self.policies.pay_households(self.year)
        hh.other_income, hh.remittance_income, income, self.flows.remittances, internal, abroad = household_receipts(
            alive, hh.adults, node, self.flows.public_local, hh.remits_to, hh.farm_income, hh.wage_income,
            hh.transfer_income, hh.migrants_abroad, p.remittance_propensity, p.external_income_pc, n)
        if internal:
            self.ledger.record("households", "households", "internal remittances", internal)
        self.ledger.record("rest_of_world", "households", "remittances from abroad", abroad)
        upkeep = p.asset_depreciation * hh.assets
        self.ledger.record("households", "rest_of_world", "asset upkeep", upkeep.sum())
        cash = hh.assets - upkeep + income
        cash -= self.policies.collect_repayments(cash)
        hh.consumption, hh.assets, self.flows.local_demand, spent = consume(
            income, cash, hh.members, alive, p.subsistence_pc, p.consumption_share, self.local_spending_share, node, n)
        hh.income = income
        self.ledger.record("households", "rest_of_world", "imported consumption",
                           spent - self.flows.local_demand.sum())

    def _firm_accounts(self) -> None:
        """Production, sales, profit, taxes, dividends, wages, exit and entry."""
        p, ft, hh, n = self.params, self.firm_table, self.households, self.n_nodes
        alive = ft.alive
        output = firm_output(ft.tfp, ft.capital, ft.labour, p.firm_labour_elasticity, p.firm_capital_elasticity) * alive
        ft.output = output
        local = alive & ~ft.dynamic
        supply = np.bincount(ft.node, output * local, minlength=n)
        price, absorbed = clear_local_goods(self.flows.local_demand, supply, MAX_LOCAL_PRICE)
        self.local_price = np.where(np.isnan(price), self.local_price, price)
        self.expected_local_price += p.expectation_adjustment * (self.local_price - self.expected_local_price)
        self.ledger.record("households", "firms", "local sales", absorbed.sum())
        self.ledger.record("households", "rest_of_world", "imported consumption", (self.flows.local_demand - absorbed).sum())
        revenue = np.where(ft.dynamic, output * self.farm_gate[ft.node], output * np.nan_to_num(price)[ft.node]) * alive
        self.ledger.record("rest_of_world", "firms", "dynamic-market sales", (revenue * ft.dynamic).sum())
        wages = ft.wage * ft.labour * alive
        depreciation = p.depreciation_rate * ft.capital * alive
        profit = revenue - wages - depreciation
        tax = p.firm_tax_rate * np.maximum(profit, 0.0)
        dividends = p.dividend_payout * np.maximum(profit - tax, 0.0)
        ft.revenue, ft.profit = revenue, profit
        ft.cash = ft.cash + profit - tax - dividends
        ft.loss_years = np.where(profit < 0, ft.loss_years + 1, 0) * alive
        self.ledger.record("firms", "rest_of_world", "depreciation", depreciation.sum())
        taxes = np.bincount(ft.node, tax, minlength=n)
        self.last_taxes = taxes
        for m in self._municipalities():
            m.treasury += taxes[m.node]
        self.ledger.record("firms", "municipalities", "taxes", taxes.sum())
        local_div = np.bincount(ft.node, dividends * p.local_ownership_share, minlength=n)
        self.ledger.record("firms", "rest_of_world", "dividends abroad", dividends.sum() - local_div.sum())
        paid_local = pay_dividends(local_div, hh.assets, hh.other_income, hh.income, hh.alive, hh.node)
        self.ledger.record("firms", "households", "dividends", paid_local.sum())
        self.ledger.record("firms", "rest_of_world", "dividends abroad", (local_div - paid_local).sum())
        self.flows.firm_taxes = taxes
        ft.wage = np.maximum(ft.wage * (1.0 + self.flows.wage_change[ft.node]), p.minimum_wage)
        self._exit_firms()
        self._enter_firms()

    def _exit_firms(self) -> None:
        ft = self.firm_table
        leaving = np.flatnonzero(ft.alive & (ft.loss_years >= self.params.firm_exit_loss_years))
        if leaving.size == 0:
            return
        self.ledger.record("firms", "rest_of_world", "cash of exiting firms", ft.cash[leaving].sum())
        ft.cash[leaving] = 0.0
        ft.alive[leaving] = False
        ft.labour[leaving] = 0.0
        for row in leaving:
            self.firm_agents.pop(int(row)).remove()
        self.flows.firm_exits = np.bincount(ft.node[leaving], minlength=self.n_nodes)

    def _enter_firms(self) -> None:
        """Poisson entry per node and sector at a rate rising with an entrant's profit rate,
        road and service quality, and schooling."""
        p, ft, n = self.params, self.firm_table, self.n_nodes
        alive = ft.alive
        labour_sum = np.bincount(ft.node, ft.labour * alive, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            wage = np.bincount(ft.node, ft.wage * ft.labour * alive, minlength=n) / labour_sum
        wage = np.where(np.isfinite(wage) & (wage > 0), wage, np.maximum(self.initial_wage, p.minimum_wage))
        capital = (self.capital_per_worker(wage) * p.workers_per_firm)[:, None]
        prices = np.where(_TRADABLE[None, :], self.farm_gate[:, None], self.expected_local_price[:, None])
        tfp = self.entrant_tfp
        labour = desired_labour(tfp, capital, prices, wage[:, None], p.firm_labour_elasticity, p.firm_capital_elasticity)
        labour = np.minimum(labour, 20 * p.workers_per_firm)
        profit = prices * firm_output(tfp, capital, labour, p.firm_labour_elasticity, p.firm_capital_elasticity) \
            - wage[:, None] * labour - p.depreciation_rate * capital
        rate = profit / capital - p.required_return
        hh = self.households
        households = np.bincount(hh.node, hh.alive, minlength=n)
        road = self.node_road_quality()
        services = np.array([m.service_quality if m else 0.0 for m in self.municipalities])
        educ = self.node_stats.get("mean_education", np.full(n, self.mean_education))
        attract = np.exp(p.entry_infrastructure_weight * (road + services - 1.0)
                         + p.entry_skill_weight * (np.nan_to_num(educ, nan=self.mean_education) - self.mean_education))
        lam = p.firm_entry_rate * (households / 1000.0)[:, None] * np.maximum(rate, 0.0) / 0.1 * attract[:, None]
        lam[~self.populated] = 0.0
        entrants = self.streams["firms"].poisson(np.minimum(lam, 50.0))
        if entrants.sum() == 0:
            return
        nodes, sectors = np.nonzero(entrants)
        counts = entrants[nodes, sectors]
        nodes, sectors = np.repeat(nodes, counts), np.repeat(sectors, counts)
        k = len(nodes)
        dyn_share = np.nan_to_num(self.territory.table["dynamic_market_share"])[nodes]
        self._add_firms({
            "node": nodes, "sector": sectors,
            "dynamic": _TRADABLE[sectors] & (self.streams["firms"].random(k) < dyn_share),
            "tfp": self.entrant_tfp[nodes, sectors] * np.exp(self.streams["firms"].normal(0.0, 0.2, k)),
            "capital": capital[nodes, 0], "wage": wage[nodes],
        })
        self.flows.firm_entries = np.bincount(nodes, minlength=n)

    def node_road_quality(self) -> np.ndarray:
        """Mean road quality of the edges at each node (0-1; 0 without edges)."""
        total, count = np.zeros(self.n_nodes), np.zeros(self.n_nodes)
        index = self.territory.index
        for a, b, q in self.graph.edges(data="road_quality"):
            for end in (index(a), index(b)):
                total[end] += q
                count[end] += 1
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / count, 0.0)

    def _clear_forest(self) -> None:
        """Households clear forest where the expected return beats cost plus expected fine."""
        p, hh = self.params, self.households
        node = hh.node
        enforcement = np.array([m.enforcement if m else 0.0 for m in self.municipalities])
        want = clearing_wish(hh.farm_income, hh.land, hh.alive, hh.adults, hh.employed, node, enforcement,
                             p.farm_land_elasticity, p.clearing_horizon, p.clearing_cost, p.clearing_fine,
                             p.clearing_propensity)
        want = self.policies.limit_clearing(want, enforcement)
        forest = np.array([m.natural_capital if m else 0.0 for m in self.municipalities])
        u_caught = self.streams["clearing"].random(hh.n)
        node_cleared, node_fines = clear_forest(want, forest, u_caught, enforcement, p.clearing_fine, hh.assets,
                                                hh.land, node)
        self.ledger.record("households", "municipalities", "clearing fines", node_fines.sum())
        for m in self._municipalities():
            m.natural_capital = max(m.natural_capital - node_cleared[m.node], 0.0)
            m.treasury += node_fines[m.node]
        self.flows.cleared = node_cleared

    def _regrow_nature(self) -> None:
        hh = self.households
        farmland = np.bincount(hh.node, hh.land * hh.alive, minlength=self.n_nodes)
        for m in self._municipalities():
            m.regrow_nature(farmland[m.node])

    def _demography(self) -> None:
        """Births, deaths and children reaching working age; empty households dissolve."""
        p, hh, rng, n = self.params, self.households, self.streams["demography"], self.n_nodes
        alive = hh.alive
        u_birth, u_death, u_adult = rng.random(hh.n), rng.random(hh.n), rng.random(hh.n)
        cohort = self.cohort_education + self.policies.schooling_gain(np.arange(n))
        self.flows.births, self.flows.deaths = demography(
            alive, hh.members, hh.adults, hh.education, hh.node, u_birth, u_death, u_adult, p.birth_rate,
            p.death_rate, p.adult_share_of_births_per_year, cohort, n)
        gone = np.flatnonzero(alive & (hh.members <= 0))
        if gone.size:
            self._dissolve(gone, "estates of dissolved households", "municipalities")

    def _give_up_land(self, rows: np.ndarray) -> None:
        """Households ``rows`` leave their node's land; it is handed over at the end of the
        year (:meth:`_hand_over_land`)."""
        hh = self.households
        self._freed_land += np.bincount(hh.node[rows], hh.land[rows], minlength=self.n_nodes)
        hh.land[rows] = 0.0

    def _hand_over_land(self) -> None:
        """Land given up this year (by households that died out or moved away) passes to
        the node's remaining landholders in proportion to their holdings (kin and
        neighbours take it over; land sales are not modelled). Where a node has no
        landholder left the land is abandoned and returns to natural capital capacity."""
        if self._freed_land.any():
            hh = self.households
            hand_over_land(self._freed_land, hh.node, hh.alive, hh.land)
        self._freed_land[:] = 0.0

    def _dissolve(self, rows: np.ndarray, item: str, payee: str) -> None:
        """Households leave the model; their assets go to ``payee``; their land passes to
        the node's other landholders at the end of the year."""
        hh = self.households
        self._give_up_land(rows)
        estate = np.bincount(hh.node[rows], hh.assets[rows], minlength=self.n_nodes)
        self.ledger.record("households", payee, item, estate.sum())
        if payee == "municipalities":
            for m in self._municipalities():
                m.treasury += estate[m.node]
        hh.assets[rows] = 0.0
        hh.alive[rows] = False
        hh.members[rows] = 0
        hh.adults[rows] = 0
        hh.employed[rows] = 0

    def _migrate(self) -> None:
        """Logit migration of single members or whole households."""
        p, hh, rng, n = self.params, self.households, self.streams["migration"], self.n_nodes
        alive = hh.alive
        pop = self._populations()
        income_node = np.array(self.node_stats["mean_income_pc"], float)
        income_node = np.where(self.is_market, p.external_income_pc, np.nan_to_num(income_node, nan=1.0))
        services = np.array([m.service_quality if m else 1.0 for m in self.municipalities])
        valid = self.is_market | (pop > 0)
        util = destination_utilities(income_node, self.travel, self.migrant_stock, pop, services, valid,
                                     p.migration_income_weight, p.migration_cost_per_hour,
                                     p.migration_network_weight, p.migration_services_weight)
        with np.errstate(divide="ignore"):
            top = np.max(util, axis=1)
            lse = top + np.log(np.sum(np.exp(util - top[:, None]), axis=1))
        lse = np.where(np.isfinite(top), lse, -np.inf)
        log_income_pc = np.log(np.maximum(hh.income / np.maximum(hh.members, 1), 1.0))
        u = rng.random(hh.n)
        with np.errstate(divide="ignore"):
            logit_u = np.log1p(-u) - np.log(u)
        movers = choose_movers(log_income_pc, alive, hh.adults, hh.node, services, lse, logit_u,
                               p.migration_stay_preference, p.migration_income_weight, p.migration_services_weight)
        self.flows.out_migrants = np.zeros(n)
        self.flows.in_migrants = np.zeros(n)
        if movers.size == 0:
            return
        origin = hh.node[movers]
        dest = choose_destinations(origin, util, rng)
        whole = (hh.adults[movers] <= 1) | (rng.random(movers.size) < p.whole_household_share)
        people = np.where(whole, hh.members[movers], 1)
        self.migrant_stock += np.bincount(origin * n + dest, people, minlength=n * n).reshape(n, n)
        self.flows.out_migrants = np.bincount(origin, people, minlength=n).astype(float)
        internal = ~self.is_market[dest]
        self.flows.in_migrants = np.bincount(dest[internal], people[internal], minlength=n).astype(float)
        # whole households leaving the territory take their assets with them
        leave = movers[whole & ~internal]
        if leave.size:
            self._dissolve(leave, "assets of emigrating households", "rest_of_world")
        # whole households moving inside the territory: new home, land left to the old node
        move = movers[whole & internal]
        self._give_up_land(move)
        hh.node[move] = dest[whole & internal]
        # single members: leave the household; abroad they remit, inside they form a new household
        single = ~whole
        rows = movers[single]
        hh.members[rows] -= 1
        hh.adults[rows] -= 1
        abroad = rows[~internal[single]]
        hh.migrants_abroad[abroad] += 1
        inside = rows[internal[single]]
        if inside.size:
            k = inside.size
            self.households.append({
                "alive": np.ones(k, bool), "node": dest[single][internal[single]],
                "members": np.ones(k, np.int32), "adults": np.ones(k, np.int32),
                "education": hh.education[inside], "tfp": hh.tfp[inside],
                "price_share": np.full(k, 1.0 - p.intermediary_margin), "remits_to": inside,
            })

    def _record_households(self) -> None:
        hh = self.households
        self.household_records.append({
            "year": np.full(hh.n, self.year), "row": np.arange(hh.n), "alive": hh.alive.copy(),
            "node": hh.node.copy(), "members": hh.members.copy(), "income": hh.income.copy(),
            "land": hh.land.copy(), "assets": hh.assets.copy(), "employed": hh.employed.copy(),
            "programmes": hh.programmes.copy(),
        })

    # ------------------------------------------------------------------ helpers
    def run(self, steps: int | None = None, progress=None) -> None:
        """Run ``steps`` years (default: the scenario's); ``progress`` is called after each."""
        for _ in range(self.scenario.steps if steps is None else steps):
            self.step()
            if progress is not None:
                progress()
