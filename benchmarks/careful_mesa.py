"""A careful one-Mesa-agent-per-household version of the territorial model: the speed
reference of ``speed.py``.

Written the way a careful Mesa 3 user would write it: every household and every firm is a
``mesa.Agent`` whose behaviours are short Python scalar rules, run phase by phase with
AgentSet ``do`` (``shuffle_do`` for migration); what is the same for every household of a
node (farm-gate price times the nature factor, the best net wage within reach, each
origin's destination utilities with their log-sum and cumulative logit shares) is
computed once a year per node with numpy; the agents add up the node totals the next
phase needs as they act, in Python lists. Municipalities are the package's own
:class:`~territory_abm.model.municipality.Municipality` agents, and node-level market
functions (labour matching, goods clearing, wage adjustment, destination utilities) are
the package's, since they cost per node, not per household.

It starts from the columnar model's initial state (the same households, firms,
municipalities, network and expectations, copied into agents) and applies, each year, the
same rules as ``territory_abm.model.TerritoryModel``: municipal revenue, spending and road
upkeep with new travel times; firms post vacancies toward their desired labour; households
seek wage work against their farm (Harris–Todaro, with last year's workers keeping theirs
first); matching within commuting range (local first, then by wage); jobs assigned with
stochastic rounding and schooling-weighted shares of each node's wage bill net of
commuting; farm income; local public spending per adult and remittances (internal migrant
households to their origin household, migrants abroad); consumption and saving; the local
goods market; firm accounts (profit, taxes to municipalities, dividends to households by
assets, wage adjustment toward excess demand, exit after sustained losses, Poisson entry
by node and sector); forest clearing with enforcement and fines, and nature regrowth;
births, deaths and ageing; logit migration of single members or whole households, with
migrant networks; land left behind handed to the node's remaining landholders.

What differs from the columnar model:

- random draws come from Python's ``random`` (the model's ``self.random``; firm entry
  from ``self.rng``), one per decision, so runs are alike in distribution, not draw for
  draw;
- no policies (the benchmark scenario has none), no ledger of household and firm flows
  (only the municipalities' own entries), no DataCollector and no distribution outcomes
  (medians, Ginis): only the node totals the dynamics read (residents, households, mean
  income per person and schooling of adults) are kept, so the careful version does a
  little less work per year than the columnar one;
- households that die out or leave the territory are removed from the model (the
  columnar model keeps their rows, marked not alive);
- no local food market (``territory_abm.model.food``): farm output is sold at the farm-gate
  price, with the productivity at which the columnar start's farm income is earned there;
- firms hire workers and pay per worker (the wage bill shared by schooling), as the columnar
  model did before issue 13 item 1; the columnar model's firms hire and pay skill units, so
  the copied firms read their skill units as workers and their wage per skill unit as a
  wage per worker;
- none of the labour market's and the livelihoods' later rules: no job turnover or wage
  premium beyond schooling, free moves, no own-account entry, no movers' assets, no growth of
  households formed, no customers outside passed on. The side-by-side runs of ``speed.py``
  therefore run both versions at :data:`REFERENCE_RULES`, whatever the model's defaults.
"""

from __future__ import annotations

import bisect
import math
from types import SimpleNamespace

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import mesa
import numpy as np

from territory_abm.data.territory import SECTORS, TRADABLE_SECTORS
from territory_abm.model.firms import desired_labour, firm_output
from territory_abm.model.ledger import Ledger
from territory_abm.model.markets import MAX_LOCAL_PRICE, clear_local_goods, match_labour, wage_adjustment
from territory_abm.model.migration import NETWORK_SCALE
from territory_abm.model.municipality import Municipality, sustained_quality
from territory_abm.model.network import Pairs, travel_time_matrix
from territory_abm.model.public import node_road_quality

try:
    from territory_abm.params import RULES_OFF
except ImportError:  # a source tree before session 35 (ab_speed.py's --a), whose defaults these rules are
    RULES_OFF = {}

REFERENCE_RULES = {**RULES_OFF, "outside_sales_entrant_cap": 0.0, "enterprise_exit_outside_shelter": 0.0}
"""The values of the parameters whose other values this version does not implement (the
columnar model's defaults until session 34, ``params.RULES_OFF``, and two rules still off):
the side-by-side runs set them in both versions, so they compare like with like."""

MIN_FARM_GATE_SHARE = 0.05
TRADABLE = [s in TRADABLE_SECTORS for s in SECTORS]


def farm_days(potential: float, wage: float, labour_el: float, thresholds: list[float], most: int) -> int:
    """Family labour a farm wants at ``wage`` (persons, at most ``most``): the largest k with
    b P / w >= (k - 1/2)^(1 - b), i.e. round((b P / w)^(1 / (1 - b))); ``most`` without a wage."""
    if wage <= 0:
        return most
    ratio = labour_el * potential / max(wage, 1e-9)
    k = 0
    while k < most and ratio >= thresholds[k]:
        k += 1
    return k


class Household(mesa.Agent):
    """A household: members, adults, schooling (years), land (ha), assets (USD), farm TFP."""

    def __init__(self, model, node, members, adults, education, land, assets, tfp, price_share,
                 employed=0, income=0.0, remits_to=None, migrants_abroad=0):
        super().__init__(model)
        self.node, self.members, self.adults, self.education = node, members, adults, education
        self.land, self.assets, self.tfp, self.price_share = land, assets, tfp, price_share
        self.employed, self.income, self.remits_to = employed, income, remits_to
        self.alive = True
        self.migrants_abroad = migrants_abroad
        self.potential = self.seekers = self.skill = self.want = 0.0
        self.farm_income = self.wage_income = self.other_income = 0.0
        self.sent = self.received = 0.0

    def seek_work(self):
        """Farm potential at this year's prices, and adults seeking wage work."""
        m, p, g = self.model, self.model.p, self.node
        self.potential = (m.farm_price[g] * self.price_share * self.tfp
                          * max(self.land, p.garden_plot_ha) ** p.farm_land_elasticity
                          * (1.0 + self.assets / 1000.0) ** p.farm_asset_elasticity)
        a = self.adults
        m.node_households[g] += 1
        m.node_adults[g] += a
        if a <= 0:
            self.seekers = 0
            return
        b, th, wage = p.farm_labour_elasticity, m.thresholds(a), m.best_wage[g]
        stay = min(self.employed, a - farm_days(self.potential, wage, b, th, a))
        free = a - stay
        s = stay + free - farm_days(self.potential, wage * m.job_finding_list[g], b, th, free)
        self.seekers = s
        keep = min(s, self.employed)
        m.node_seekers[g] += s
        m.node_keep[g] += keep
        m.node_fresh[g] += s - keep

    def take_job(self):
        """Last year's workers keep their jobs, new seekers are hired, at the node's rates."""
        m, g, s = self.model, self.node, self.seekers
        self.skill = 0.0
        if s <= 0:
            self.employed = 0
            return
        keep = min(s, self.employed)
        fresh = s - keep
        kept = min(math.floor(keep * m.keep_rate[g] + self.random.random()), keep)
        hired = min(math.floor(fresh * m.fresh_rate[g] + self.random.random()), fresh)
        self.employed = jobs = kept + hired
        if jobs > 0:
            self.skill = jobs * math.exp(m.p.education_return * (self.education - m.mean_education))
            m.node_employed[g] += jobs
            m.node_skill[g] += self.skill

    def earn(self):
        """Wages, farm income and local public spending; migrant households remit home."""
        m, p, g = self.model, self.model.p, self.node
        self.wage_income = m.net_wages[g] * self.skill / m.node_skill[g] if self.skill > 0 else 0.0
        labour = self.adults - self.employed
        self.farm_income = self.potential * labour ** p.farm_labour_elasticity if labour > 0 else 0.0
        self.other_income = m.public_local[g] * self.adults / m.node_adults[g] if m.node_adults[g] > 0 else 0.0
        origin = self.remits_to
        self.sent = 0.0
        if origin is not None and origin.alive:
            self.sent = p.remittance_propensity * (self.farm_income + self.wage_income)
            origin.received += self.sent

    def consume(self):
        """Income arrives; consume (subsistence first, then a share of the rest) and save."""
        m, p, g = self.model, self.model.p, self.node
        abroad = p.remittance_propensity * p.external_income_pc * self.migrants_abroad
        income = (self.farm_income + self.wage_income + self.other_income
                  + self.received - self.sent + abroad)
        self.received = 0.0
        cash = self.assets - p.asset_depreciation * self.assets + income
        need = p.subsistence_pc * self.members
        spend = min(max(need + p.consumption_share * max(income - need, 0.0), 0.0), max(cash, 0.0))
        self.assets = max(cash - spend, 0.0)
        self.income = income
        m.local_demand[g] += m.local_spending_share[g] * spend
        m.dividend_weight[g] += self.assets + 1.0

    def plan_clearing(self):
        """Receive local dividends (by assets); decide how much forest to clear."""
        m, p, g = self.model, self.model.p, self.node
        paid = m.local_dividends[g]
        if paid > 0:
            share = paid * (self.assets + 1.0) / m.dividend_weight[g]
            self.assets += share
            self.other_income += share
            self.income += share
        self.want = 0.0
        if self.adults > self.employed:
            gain = p.farm_land_elasticity * self.farm_income / max(self.land, 1.0) * p.clearing_horizon
            self.want = p.clearing_propensity * min(max(gain / m.clearing_cost[g] - 1.0, 0.0), 2.0)
            m.node_want[g] += self.want

    def clear_and_age(self):
        """Clear forest (fined if caught); births, deaths and children coming of age."""
        m, p, g, rnd = self.model, self.model.p, self.node, self.random.random
        if self.want > 0:
            cleared = self.want * m.clearing_scale[g]
            if cleared > 0:
                if rnd() < m.enforcement[g]:
                    fined = min(p.clearing_fine * cleared, self.assets)
                    self.assets -= fined
                    m.node_fines[g] += fined
                self.land += cleared
                m.node_cleared[g] += cleared
        m.farmland[g] += self.land
        members, a = self.members, self.adults
        births = math.floor(p.birth_rate * members + rnd())
        deaths = min(math.floor(p.death_rate * members + rnd()), members)
        adult_deaths = min(round(min(deaths * a / max(members, 1), a)), a)
        child_deaths = min(deaths - adult_deaths, members - a)
        children = members - a - child_deaths + births
        new_adults = min(math.floor(m.maturation_rate[g] * children + rnd()), children)
        old = a - adult_deaths
        grown = old + new_adults
        if grown > 0:
            self.education = (self.education * old + m.cohort_education[g] * new_adults) / grown
        self.members = members + births - adult_deaths - child_deaths
        self.adults = 1 if grown == 0 and self.members > 0 else grown
        if self.members <= 0:
            self.dissolve(to_municipality=True)
        else:
            m.population[g] += self.members

    def migrate(self):
        """Logit choice between staying and the origin's destinations (precomputed)."""
        m, p, g = self.model, self.model.p, self.node
        if self.adults > 0 and m.log_sum_exp[g] > -math.inf:
            stay = m.stay_base[g] + p.migration_income_weight * math.log(max(self.income / max(self.members, 1), 1.0))
            u = self.random.random()
            logit_u = math.inf if u == 0.0 else math.log1p(-u) - math.log(u)
            if stay - m.log_sum_exp[g] < logit_u:
                shares = m.cumulative_shares[g]
                self.move(min(bisect.bisect_left(shares, self.random.random()), len(shares) - 1))
        if self.alive and self.land > 0:
            m.held[self.node] += self.land

    def move(self, dest):
        m, p, origin = self.model, self.model.p, self.node
        whole = self.adults <= 1 or self.random.random() < p.whole_household_share
        m.migrant_stock[origin][dest] += self.members if whole else 1
        internal = not m.is_market[dest]
        if whole and not internal:
            self.dissolve(to_municipality=False)
        elif whole:
            m.freed_land[origin] += self.land
            self.land = 0.0
            self.node = dest
        else:
            self.members -= 1
            self.adults -= 1
            if internal:
                Household(m, dest, 1, 1, self.education, 0.0, 0.0, self.tfp, 1.0 - p.intermediary_margin,
                          remits_to=self)
            else:
                self.migrants_abroad += 1

    def settle(self):
        """Take up a share of the land left at the node; add to the node totals."""
        m, g = self.model, self.node
        if self.land > 0:
            self.land *= 1.0 + m.land_growth[g]
        m.node_persons[g] += self.members
        m.node_income[g] += self.income
        m.node_grown[g] += self.adults
        m.node_schooling[g] += self.education * self.adults

    def dissolve(self, to_municipality):
        m = self.model
        m.freed_land[self.node] += self.land
        if to_municipality:
            m.municipalities[self.node].treasury += self.assets
        self.land = self.assets = 0.0
        self.alive = False
        self.remove()


class Firm(mesa.Agent):
    """A firm: Cobb-Douglas output A K^alpha L^beta, sold on the dynamic market or locally."""

    def __init__(self, model, node, sector, dynamic, tfp, capital, wage, labour=0.0, cash=0.0, loss_years=0):
        super().__init__(model)
        self.node, self.sector, self.dynamic, self.tfp, self.capital = node, sector, dynamic, tfp, capital
        self.wage, self.labour, self.cash, self.loss_years = wage, labour, cash, loss_years
        self.vacancies = self.output = 0.0

    def post_vacancy(self):
        """Close part of the gap to the labour at which the marginal product equals the wage."""
        m, p, g = self.model, self.model.p, self.node
        price = m.farm_gate[g] if self.dynamic else m.expected_local_price_list[g]
        b = p.firm_labour_elasticity
        target = (b * price * self.tfp * self.capital ** p.firm_capital_elasticity / max(self.wage, 1e-9)) ** (1 / (1 - b))
        start = self.labour if self.labour > 0 else target
        self.vacancies = start + p.hiring_adjustment * (target - start)
        m.node_vacancies[g] += self.vacancies
        m.node_offered[g] += self.vacancies * self.wage

    def hire(self):
        """Take this firm's share of the node's filled jobs; produce."""
        m, p, g = self.model, self.model.p, self.node
        self.labour = m.filled[g] * self.vacancies / m.node_vacancies[g] if m.node_vacancies[g] > 0 else 0.0
        self.output = self.tfp * self.capital ** p.firm_capital_elasticity * self.labour ** p.firm_labour_elasticity
        if not self.dynamic:
            m.local_supply[g] += self.output

    def account(self):
        """Profit, taxes, dividends, wage adjustment; exit after sustained losses."""
        m, p, g = self.model, self.model.p, self.node
        price = m.farm_gate[g] if self.dynamic else m.local_price_now[g]
        profit = self.output * price - self.wage * self.labour - p.depreciation_rate * self.capital
        tax = p.firm_tax_rate * max(profit, 0.0)
        dividends = p.dividend_payout * max(profit - tax, 0.0)
        self.cash += profit - tax - dividends
        self.loss_years = self.loss_years + 1 if profit < 0 else 0
        m.node_taxes[g] += tax
        m.local_dividends[g] += dividends * p.local_ownership_share
        self.wage = max(self.wage * (1.0 + m.wage_change[g]), p.minimum_wage)
        if self.loss_years >= p.firm_exit_loss_years:
            self.remove()
            return
        m.node_labour[g] += self.labour
        m.node_wage_bill[g] += self.wage * self.labour


class CarefulTerritory(mesa.Model):
    """The careful Mesa version, started from the columnar model's initial state.

    Parameters
    ----------
    scenario : Scenario
        Resolved scenario (without policies).
    start : TerritoryModel, optional
        A columnar model not yet stepped, whose state is copied (default: built here).
    """

    def __init__(self, scenario, start=None):
        super().__init__(seed=scenario.seed)
        if start is None:
            from territory_abm import TerritoryModel
            start = TerritoryModel(scenario)
        if scenario.policies:
            raise ValueError("the careful Mesa version has no policies")
        self.params = start.params
        self.territory, self.graph, self.n_nodes = start.territory, start.graph.copy(), start.n_nodes
        self.populated = start.populated
        self.is_market = start.is_market.tolist()
        self.ledger = Ledger()
        self.ledger.new_year()
        self._init_network()
        n = self.n_nodes
        self.municipalities: list[Municipality | None] = [None] * n
        for old in start.municipalities:
            if old is not None:
                new = Municipality(self, old.node, old.node_id, old.name, old.kind, old.service_quality,
                                   old.governance, old.natural_capital, old.area_ha)
                new.capacity, new.treasury = old.capacity, old.treasury
                self.municipalities[old.node] = new
        self.last_taxes = start.last_taxes.copy()
        self.nature_ratio0 = start.nature_ratio0.copy()
        self.mean_education = start.mean_education
        self.cohort_education = start.cohort_education.tolist()
        self.initial_wage = start.initial_wage.copy()
        self.entrant_tfp = start.entrant_tfp.copy()
        self.job_finding = start.job_finding.copy()
        self.local_spending_share = start.local_spending_share.tolist()
        self.expected_local_price = start.expected_local_price.copy()
        self.local_price = start.local_price.copy()
        self.migrant_stock = start.migrant_stock.toarray().tolist()
        self.maturation_rate = start.maturation_rate.tolist()
        # the context path and the calendar, read by the Municipality agents' budgets
        self.context, self.start_year, self.year = start.context, start.start_year, start.year
        self.node_mean_income = np.array(start.node_stats["mean_income_pc"], float)
        self.node_mean_education = np.array(start.node_stats["mean_education"], float)
        self._thresholds: list[float] = []
        hh = start.households
        # no food market here: the productivity that earns the start's farm income at the farm gate
        tfp = hh.tfp * start.food_plan.price / np.maximum(start.farm_gate[hh.node] * hh.price_share, 1e-12)
        for i in np.flatnonzero(hh.alive).tolist():
            Household(self, int(hh.node[i]), int(hh.members[i]), int(hh.adults[i]), float(hh.education[i]),
                      float(hh.land[i]), float(hh.assets[i]), float(tfp[i]), float(hh.price_share[i]),
                      employed=int(hh.employed[i]), income=float(hh.income[i]),
                      migrants_abroad=int(hh.migrants_abroad[i]))
        ft = start.firm_table
        for r in np.flatnonzero(ft.alive).tolist():
            Firm(self, int(ft.node[r]), int(ft.sector[r]), bool(ft.dynamic[r]), float(ft.tfp[r]),
                 float(ft.capital[r]), float(ft.wage[r]), float(ft.labour[r]), float(ft.cash[r]),
                 int(ft.loss_years[r]))
        self.population = np.bincount(hh.node, hh.members * hh.alive, minlength=n).astype(float)
        self.households = self.agents_by_type[Household]
        self.firms = self.agents_by_type[Firm]
        start.release()

    # ------------------------------------------------------------------ per node, once a year
    def _init_network(self) -> None:
        p = self.params
        self.travel = travel_time_matrix(self.graph, self.territory.ids, p.road_quality_penalty)
        markets = np.flatnonzero(self.is_market)
        cut = 1.0 - p.transport_cost_per_hour * self.travel[:, markets].min(axis=1)
        self.farm_gate_array = p.dynamic_market_price * np.maximum(cut, MIN_FARM_GATE_SHARE)
        self.farm_gate = self.farm_gate_array.tolist()
        self.reachable = self.travel <= p.commute_limit
        self.reachable[:, markets] = False
        self.commute = Pairs.from_dense(np.where(self.reachable, self.travel, np.inf))

    def thresholds(self, most: int) -> list[float]:
        """(k - 1/2)^(1 - b) for k = 1 .. at least ``most``, computed once and extended on demand."""
        if len(self._thresholds) < most:
            e = 1.0 - self.params.farm_labour_elasticity
            self._thresholds = [(k - 0.5) ** e for k in range(1, max(most, 16) + 1)]
        return self._thresholds

    def _zeros(self) -> list[float]:
        return [0.0] * self.n_nodes

    def _munis(self):
        return [m for m in self.municipalities if m is not None]

    # ------------------------------------------------------------------ the year
    def step(self) -> None:
        """One year, in the columnar model's phase order: public sector, labour market, incomes,
        consumption, firm accounts, clearing, demography, migration, land hand-over."""
        # parameters as plain attributes for the agents: attribute access on ``Parameters``
        # goes through a Python ``__getattr__``, a sixth of the time when agents used it
        self.p = SimpleNamespace(**self.params)
        self.year = self.start_year + self.steps
        self.ledger.new_year()
        self._thresholds = []  # parameters may change between years
        self._public_sector()
        self._labour_market()
        self.households.do("earn")
        self.local_demand, self.dividend_weight = self._zeros(), self._zeros()
        self.households.do("consume")
        self._firm_accounts()
        self.enforcement = [m.enforcement if m else 0.0 for m in self.municipalities]
        self.clearing_cost = [self.p.clearing_cost + e * self.p.clearing_fine for e in self.enforcement]
        self.node_want = self._zeros()
        self.households.do("plan_clearing")
        self._clear_and_age()
        self._destinations()
        self.held = self._zeros()
        self.households.shuffle_do("migrate")
        self._settle()

    def _public_sector(self) -> None:
        p, pop = self.params, self.population
        self.public_local = self._zeros()
        # the national level's own spending in each municipality (its local content is paid as local incomes)
        self.flows = SimpleNamespace(national_local=np.zeros(self.n_nodes))
        for m in self._munis():
            m.decentralisation_share, m.extra_enforcement = p.decentralisation_share, 0.0
            m.collect_revenue(pop[m.node])
            m.spend(pop[m.node])
            self.public_local[m.node] = m.local_payment + float(self.flows.national_local[m.node])
        self.last_taxes = np.zeros(self.n_nodes)
        index = self.territory.index
        for a, b, data in self.graph.edges(data=True):
            upkeep = 0.0
            for end in (a, b):
                m = self.municipalities[index(end)]
                if m is not None:
                    upkeep += 0.5 * m.infrastructure_spending / max(pop[m.node], 1.0)
            if "upkeep_reference" not in data:
                data["quality_start"], data["upkeep_reference"] = data["road_quality"], upkeep
            target = sustained_quality(data["quality_start"], upkeep, data["upkeep_reference"],
                                       p.roads_spending_elasticity)
            q = data["road_quality"] + p.quality_adjustment * (target - data["road_quality"])
            data["road_quality"] = min(max(q, 0.01), 1.0)
        self._init_network()

    def _labour_market(self) -> None:
        p, n = self.params, self.n_nodes
        ratio = np.ones(n)
        for m in self._munis():
            ratio[m.node] = m.natural_capital / m.capacity if m.capacity > 0 else 0.0
        nature = np.power((1.0 + ratio) / (1.0 + self.nature_ratio0), p.natural_capital_elasticity)
        self.farm_price = (self.farm_gate_array * nature).tolist()
        self.expected_local_price_list = self.expected_local_price.tolist()
        self.node_vacancies, self.node_offered = self._zeros(), self._zeros()
        self.firms.do("post_vacancy")
        vac = np.array(self.node_vacancies)
        with np.errstate(invalid="ignore", divide="ignore"):
            node_wage = np.nan_to_num(np.array(self.node_offered) / vac)
        net_share = np.clip(1.0 - p.commute_cost_per_hour * self.travel, 0.0, 1.0)
        best = np.where(self.reachable & (vac > 0)[None, :], node_wage[None, :] * net_share, 0.0).max(axis=1)
        self.best_wage = best.tolist()
        self.job_finding_list = self.job_finding.tolist()
        self.node_households, self.node_adults = self._zeros(), self._zeros()
        self.node_seekers, self.node_keep, self.node_fresh = self._zeros(), self._zeros(), self._zeros()
        self.households.do("seek_work")
        seekers, keep, fresh = np.array(self.node_seekers), np.array(self.node_keep), np.array(self.node_fresh)
        flows, _ = match_labour(seekers, vac, node_wage, self.commute, net_share[self.commute.origin(), self.commute.dest])
        flows = self.commute.dense(flows, fill=0.0)
        jobs_by_origin = flows.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            keep_rate = np.nan_to_num(np.minimum(jobs_by_origin / keep, 1.0))
            fresh_rate = np.nan_to_num(np.clip((jobs_by_origin - keep) / fresh, 0.0, 1.0))
        self.keep_rate, self.fresh_rate = keep_rate.tolist(), fresh_rate.tolist()
        self.node_employed, self.node_skill = self._zeros(), self._zeros()
        self.households.do("take_job")
        employed = np.array(self.node_employed)
        open_jobs = (self.reachable & ((vac - flows.sum(axis=0)) > 0)[None, :]).any(axis=1)
        observed = np.where(fresh > 0, fresh_rate, np.where(open_jobs, 1.0, self.job_finding))
        self.job_finding += p.expectation_adjustment * (observed - self.job_finding)
        with np.errstate(invalid="ignore", divide="ignore"):
            flows *= np.nan_to_num(employed / jobs_by_origin)[:, None]
        filled = flows.sum(axis=0)
        self.filled, self.local_supply = filled.tolist(), self._zeros()
        self.firms.do("hire")
        self.net_wages = (flows * net_share * node_wage[None, :]).sum(axis=1).tolist()
        laid_off = np.maximum(keep - jobs_by_origin, 0.0)  # last year's workers without a job again
        self.wage_change = wage_adjustment(vac, filled, laid_off @ self.reachable, p.wage_adjustment,
                                           p.wage_cut_response).tolist()

    def _firm_accounts(self) -> None:
        p = self.params
        price, _ = clear_local_goods(np.array(self.local_demand), np.array(self.local_supply), MAX_LOCAL_PRICE)
        self.local_price_now = np.nan_to_num(price).tolist()
        self.local_price = np.where(np.isnan(price), self.local_price, price)
        self.expected_local_price += p.expectation_adjustment * (self.local_price - self.expected_local_price)
        self.node_taxes, self.local_dividends = self._zeros(), self._zeros()
        self.node_labour, self.node_wage_bill = self._zeros(), self._zeros()
        self.firms.do("account")
        for m in self._munis():
            m.treasury += self.node_taxes[m.node]
        self.last_taxes = np.array(self.node_taxes)
        self.local_dividends = [d if w > 0 else 0.0 for d, w in zip(self.local_dividends, self.dividend_weight)]
        self._enter_firms()

    def _enter_firms(self) -> None:
        """Poisson entry per node and sector (the columnar model's rule, by node with numpy)."""
        p = self.params
        labour = np.array(self.node_labour)
        with np.errstate(invalid="ignore", divide="ignore"):
            wage = np.array(self.node_wage_bill) / labour
        wage = np.where(np.isfinite(wage) & (wage > 0), wage, np.maximum(self.initial_wage, p.minimum_wage))
        capital = (wage * (1.0 / p.firm_labour_elasticity - 1.0) / (p.required_return + p.depreciation_rate)
                   * p.workers_per_firm)[:, None]
        prices = np.where(np.array(TRADABLE)[None, :], self.farm_gate_array[:, None], self.expected_local_price[:, None])
        tfp = self.entrant_tfp
        want = np.minimum(desired_labour(tfp, capital, prices, wage[:, None], p.firm_labour_elasticity,
                                         p.firm_capital_elasticity), 20 * p.workers_per_firm)
        profit = prices * firm_output(tfp, capital, want, p.firm_labour_elasticity, p.firm_capital_elasticity) \
            - wage[:, None] * want - p.depreciation_rate * capital
        rate = profit / capital - p.required_return
        services = np.array([m.service_quality if m else 0.0 for m in self.municipalities])
        educ = np.nan_to_num(self.node_mean_education, nan=self.mean_education)
        attract = np.exp(p.entry_infrastructure_weight * (node_road_quality(self) + services - 1.0)
                         + p.entry_skill_weight * (educ - self.mean_education))
        lam = (p.firm_entry_rate * (np.array(self.node_households) / 1000.0)[:, None] * np.maximum(rate, 0.0) / 0.1
               * attract[:, None])
        lam[~self.populated] = 0.0
        entrants = self.rng.poisson(np.minimum(lam, 50.0))
        dyn_share = np.nan_to_num(self.territory.table["dynamic_market_share"])
        for g, s in zip(*np.nonzero(entrants)):
            for _ in range(int(entrants[g, s])):
                Firm(self, int(g), int(s), TRADABLE[s] and self.random.random() < dyn_share[g],
                     float(tfp[g, s] * math.exp(self.random.gauss(0.0, 0.2))), float(capital[g, 0]), float(wage[g]))

    def _clear_and_age(self) -> None:
        forest = [m.natural_capital if m else 0.0 for m in self.municipalities]
        self.clearing_scale = [f / w if w > f else 1.0 for f, w in zip(forest, self.node_want)]
        self.node_cleared, self.node_fines, self.farmland = self._zeros(), self._zeros(), self._zeros()
        self.population, self.freed_land = self._zeros(), self._zeros()
        self.households.do("clear_and_age")
        for m in self._munis():
            m.natural_capital = max(m.natural_capital - self.node_cleared[m.node], 0.0)
            m.treasury += self.node_fines[m.node]
            m.regrow_nature(self.farmland[m.node])

    def _destinations(self) -> None:
        """Each origin's destination utilities, their log-sum and cumulative shares, once a year."""
        p = self.params
        pop = np.array(self.population)
        income = np.where(self.is_market, p.external_income_pc, np.nan_to_num(self.node_mean_income, nan=1.0))
        services = np.array([m.service_quality if m else 1.0 for m in self.municipalities])
        valid = np.array(self.is_market) | (pop > 0)
        # the nested logit over every destination, dense: a log y_d - c T + w log(1 + migrants per
        # hundred residents) + s q_d (+ the abroad preference at external markets), over the
        # dissimilarity lambda within the move nest, whose worth against staying is lambda times
        # the log-sum
        travel = np.asarray(self.travel, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            network = np.log1p(NETWORK_SCALE * np.array(self.migrant_stock) / np.maximum(pop, 1.0)[:, None])
        v = (p.migration_income_weight * np.log(np.maximum(income, 1.0))[None, :] - p.migration_cost_per_hour * travel
             + p.migration_network_weight * network + p.migration_services_weight * services[None, :]
             + p.migration_abroad_preference * np.array(self.is_market)[None, :])
        util = np.where(valid[None, :] & np.isfinite(travel) & ~np.eye(len(pop), dtype=bool),
                        v / p.migration_nest_dissimilarity, -np.inf)
        top = np.max(util, axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.nan_to_num(np.exp(util - top[:, None]))
        total = shares.sum(axis=1)
        with np.errstate(divide="ignore"):
            self.log_sum_exp = np.where(np.isfinite(top), p.migration_nest_dissimilarity * (top + np.log(total)),
                                        -np.inf).tolist()
        cum = np.cumsum(shares, axis=1)
        cum /= np.where(cum[:, -1:] > 0, cum[:, -1:], 1.0)
        self.cumulative_shares = cum.tolist()
        self.stay_base = (p.migration_stay_preference + p.migration_services_weight * services).tolist()

    def _settle(self) -> None:
        self.land_growth = [f / h if h > 0 else 0.0 for f, h in zip(self.freed_land, self.held)]
        self.node_persons, self.node_income = self._zeros(), self._zeros()
        self.node_grown, self.node_schooling = self._zeros(), self._zeros()
        self.households.do("settle")
        persons, grown = np.array(self.node_persons), np.array(self.node_grown)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.node_mean_income = np.where(self.populated, np.array(self.node_income) / persons, np.nan)
            self.node_mean_education = np.where(self.populated, np.array(self.node_schooling) / grown, np.nan)
        self.population = persons
