"""The territorial model: households, firms and municipalities over a market and a
migration network. One step is one year; :meth:`TerritoryModel.step` lists its phases,
each a function of the model in a module named after what it does:

1. ``policies.start_year``: policies that change structures (roads, land, credit,
   assistance, linkage, schooling, environmental rules, decentralisation) take effect;
2. ``public.public_sector``: municipalities collect revenue, spend, and keep up roads;
   travel times are updated; ``land_market.rent``: farms rent land for the year from
   estates and from households with nobody left on the farm, at the rent that clears;
3. ``labour``: firms (estates among them, ``estates``) post vacancies; households allocate
   their adults between farm and wage work; the labour market matches seekers and
   vacancies within commuting range;
4. ``budgets``: households receive transfers, remittances, local public spending, land
   rents and their estates' profits;
   they consume (the local share buys from local firms, food spending clears the local
   food markets, ``food.food_market``) and save;
5. ``firms.accounts``: the goods market clears; firms account for profit, pay taxes and
   dividends, adjust wages, exit after sustained losses and enter where profits are high;
6. ``environment``: households clear forest where it pays and is not enforced; nature regrows;
7. ``demography``, ``formation`` and ``migration``: births, deaths and ageing; adult
   children form households with their share of the land where adults outgrow the
   households (the start's households per adult); then migration (logit
   choice) with remittances; land left by households that died out or moved away passes
   to the remaining landholders (``environment.hand_over``);
8. outcomes are recorded by Mesa's DataCollector.

The starting state is built by ``start`` so that the model's own rules keep it. Before the
first phase, the rows of households no longer alive are dropped when they are many
(``households.compact_rows``; results unchanged).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import mesa
import numpy as np
from scipy.sparse import csr_array

from ..data.synthetic import remembered_population
from ..data.territory import Territory, load_territory
from ..errors import InputError
from ..params import CONTEXT_GROUP, STARTING_STATE, Parameters
from ..params import REGISTRY as PARAMETERS
from ..scenarios.loader import MAX_STEPS, Scenario, make_policy
from . import (allocator, budgets, context, demography, enterprises, environment, firms, food, formation, labour,
               land_market, migration, outcomes, public, start, start_market)
from .firms import FirmTable
from .exact import Memo, nan_to_num
from .households import compact_rows, household_record
from .kernels import node_populations
from .labour import COMMUTING_RESIDUE
from .ledger import Ledger
from .municipality import Municipality
from .policies import PolicyEngine
from .streams import random_streams, resolve_scenario


class TerritoryModel(mesa.Model):
    """Agent-based model of a rural territory.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A resolved scenario (from :func:`territory_abm.load_scenario`) or the path of a
        scenario TOML file.
    territory : Territory, optional
        Already loaded territory (default: load the scenario's).
    seed : int, optional
        The run's seed; all randomness flows from it. Default: the seed of a Scenario
        object (a resolved run specification, as the command line and experiments use);
        fresh entropy when the scenario is given as a path (Mesa's convention: a model made
        without a seed is a new draw, e.g. each iteration of ``mesa.batch_run``). Either
        way it is recorded in ``model.seed`` and ``model.scenario.seed``, so the run can
        be repeated.
    distribution_years : frozenset of int, optional
        Calendar years in which the median and Gini outcomes are computed (default: every
        year). They need sorts and nothing in the dynamics reads them, so experiments that
        analyse only some years skip the others (recorded as NaN); every other outcome and
        the course of the run are unchanged.
    steps, households_scale : optional
        Override the scenario's years to run and simulated households per real household.
    **kwargs : float
        Override behavioural parameters by registry name (``territory-abm parameters``),
        e.g. ``TerritoryModel("scenarios/baseline.toml", migration_stay_preference=5.0)``;
        checked against their ranges.

    ``running`` turns False after the scenario's last year, so Mesa's ``run_model`` and
    ``batch_run`` stop there.
    """

    def __init__(self, scenario: Scenario | str | Path, territory: Territory | None = None, seed: int | None = None,
                 distribution_years: frozenset[int] | None = None, *, steps: int | None = None,
                 households_scale: float | None = None, **kwargs: float):
        # ``kwargs``, not a more telling name: Mesa's SolaraViz accepts a catch-all only by that name
        allocator.tune()  # arrays reused from the heap instead of fresh pages (glibc; results unchanged)
        if territory is not None and not isinstance(territory, Territory):  # e.g. a seed given by position
            raise InputError("TerritoryModel", "territory", f"a Territory (territory_abm.data.load_territory) or None, "
                             f"got {territory!r}; give the seed as seed=")
        scenario = resolve_scenario(scenario, seed, steps, households_scale, kwargs)
        seed = scenario.seed
        super().__init__(seed=seed)
        self.distribution_years = distribution_years
        self.scenario = scenario
        self.seed = seed
        self.streams = random_streams(seed)
        self.params: Parameters = scenario.parameters
        self.territory = t = territory if territory is not None else load_territory(scenario.territory)
        self.start_year = self.year = scenario.start_year
        self.poverty_line = scenario.poverty_line
        self.ledger = Ledger()
        self.ledger.new_year()
        self.n_nodes = n = t.n_nodes
        self.populated = t.populated
        self.is_market = ~self.populated
        self.city_nodes = np.asarray(t.kinds) == "city"  # intermediate cities (the rest: rural municipalities, markets)
        self.graph = t.graph.copy()
        self.context, self.context_draws = context.draw_path(self.params, scenario.steps, self.streams["context"])
        public.update_travel(self)
        init = remembered_population(t, scenario.households_scale, self.streams["population"],
                                     landless_share=self.params.landless_share)
        self.land_quality_memo = Memo(np.exp)  # the households' land quality, read several times a year
        self.land_power_memo = Memo(np.power)  # their farmed land's power in farm output (``labour``)
        self.skill_memo, self.hiring_memo = Memo(np.exp), Memo(np.exp)  # ``labour.skill``, ``hiring_weight``
        start.households(self, init)
        self.maturation_rate = start.maturation_rate(self)
        self.headship = formation.headship(self)  # households per adult, by node, that formation keeps
        self.municipalities: list[Municipality | None] = [None] * n
        for i in np.flatnonzero(self.populated):
            self.municipalities[i] = Municipality(
                self, int(i), t.ids[i], t.names[i], str(t.kinds[i]),
                float(t.table["service_quality"][i]), float(t.table["governance"][i]),
                float(init.forest_ha[i]), float(init.area_ha[i]))
        # last year's firm taxes, in the treasuries when the first year's budgets are spent
        self.last_taxes = start.starting_taxes(self, init)
        for m in self.active_municipalities():
            m.treasury = float(self.last_taxes[m.node])
        self.local_price = np.ones(n)  # last clearing price of local non-tradables (index)
        self.cohort_education = nan_to_num(t.table["mean_education"]).copy()
        self.firm_table = FirmTable()
        start.firms(self, init)
        farmland = environment.farmland_by_node(self)
        for m in self.active_municipalities():
            m.capacity = max(m.area_ha - farmland[m.node], 0.0)
        self.nature_ratio0 = environment.nature_ratio(self)
        self.policies = PolicyEngine(self, scenario.policies)
        # adaptive expectations, by node: the chance that a new job seeker is hired (by home
        # node), and the local price local sellers plan with
        start_spend = start.starting_consumption(self)
        start_market.enterprises_outside(self, start_spend)
        # by node: sales outside the territory its enterprises held at the last pass-on (None while
        # ``outside_sales_pass_on`` is 0), and what waits for an enterprise (``enterprises``)
        self.outside_held = enterprises.outside_sales(self) if self.params.outside_sales_pass_on > 0 else None
        self.outside_waiting = np.zeros(n)
        self.outside_for_entrants = np.zeros(n)  # what waits for the node's entrants (``outside_sales_to_entrants``)
        self.local_spending_share = start_market.local_spending_shares(self, start_spend)
        self.expected_local_price = start_market.local_price(self, start_spend)
        self.start_local_price = self.expected_local_price.copy()  # the base of consumer prices; enterprises' reference price
        food.start(self, start_spend)  # food prices that clear the start; farm productivity at them
        self.start_food_price = self.food_price.copy()  # the base of consumer prices
        land_market.start(self)  # land qualities at which the starting rents clear with no tenancy
        self.settler_tfp = start.settler_tfp(self)  # from farm productivity at the starting food prices
        self.start_income_shares = start.income_shares(self)  # by node, against the tables' (run.json)
        self.job_finding = start.job_finding(self)
        self.best_wage = np.zeros(n)  # the year's best wage per skill unit reachable, by node (``labour``)
        self.flows = outcomes.YearFlows.zeros(n)
        self.freed_land = np.zeros(n)  # land given up this year, by node (ha)
        self.freed_effective_land = np.zeros(n)  # the same in effective hectares (``land_market``)
        self.land_for_sale: list = []  # this year's batches of land given up, with their sellers
        self.land_price = np.full(n, np.nan)  # this year's land price (USD per effective ha), by node
        self.land_coef = np.zeros(0)  # the farms' land coefficients of the year's rental market
        self.commuting = csr_array((n, n))  # workers by home (rows) and job node (columns), this year
        self.commuting_records: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        self.clearing_hurdle = environment.starting_hurdle(self)  # by node
        self.household_records: list[dict[str, np.ndarray]] = []
        self._record()
        self.datacollector = outcomes.make_datacollector(self)
        self.datacollector.collect(self)
        self.running = self.steps < scenario.steps

    # ------------------------------------------------------------------ the year
    def step(self) -> None:
        """Advance the territory by one year."""
        self.year = self.start_year + self.steps
        compact_rows(self)  # rows of households no longer alive go when they are many (results unchanged)
        self.ledger.new_year()
        self.flows = outcomes.YearFlows.zeros(self.n_nodes)
        self.policies.start_year(self.year)
        public.public_sector(self)
        farm = labour.farm_revenue_parts(self)  # the same for the rental and the labour market
        land_market.rent(self, farm)
        labour.labour_market(self, labour.post_vacancies(self), farm)
        budgets.household_budgets(self)
        firms.accounts(self)
        environment.clearing(self)
        environment.regrow_nature(self)
        demography.births_and_deaths(self)
        formation.form_households(self)
        formation.unite(self)
        migration.migrate(self)
        environment.hand_over(self)
        self._record()
        self.datacollector.collect(self)
        self.running = self.steps < self.scenario.steps

    def _record(self) -> None:
        """This year's outcomes, and households' records when the scenario asks for them."""
        self.node_stats, self.territory_stats = outcomes.compute(self)
        # the stored entries of the compressed rows in their order (as ``tocoo`` lists them)
        c = self.commuting.tocsr()
        home = np.repeat(np.arange(self.n_nodes, dtype=np.int64), np.diff(c.indptr))
        away = (home != c.indices) & (np.abs(c.data) > COMMUTING_RESIDUE)
        self.commuting_records.append((self.year, home[away], c.indices[away].astype(np.int64), c.data[away]))
        if self.scenario.record_households:
            self.household_records.append(household_record(self.households, self.year))

    def run(self, steps: int | None = None, progress=None) -> None:
        """Run ``steps`` years (default: the scenario's); ``progress`` is called after each."""
        for _ in range(self.scenario.steps if steps is None else steps):
            self.step()
            if progress is not None:
                progress()

    def release(self) -> None:
        """Let the model be garbage-collected once its outputs are taken. Mesa 3.3 keeps every
        model in a class-level id counter of ``mesa.Agent`` (mesa issue #3179, fixed after
        3.3), so a worker running thousands of models grew by about 8 MB per run until it was
        killed for lack of memory. Call after the last use of the model."""
        mesa.Agent._ids.pop(self, None)

    # ------------------------------------------------------------------ mid-run changes
    def set_parameters(self, overrides: dict[str, float]) -> None:
        """Change behavioural parameters (registry names, checked against their ranges);
        the next :meth:`step` uses them. Context parameters (national and outside growth, the
        market price's trend and shocks, climate shocks) move the context path from the next
        year on, with the same random numbers (``context.path_from``). A parameter read only
        at the start (``params.STARTING_STATE``: the draw of land holdings and wage premiums,
        the start's local market, clearing hurdle and amenities) cannot change in a built
        model: a new value is refused, naming it (the same value is accepted)."""
        params = self.params.with_overrides(overrides, source="set_parameters")
        changed = sorted(name for name in overrides if name in STARTING_STATE and params[name] != self.params[name])
        if changed:
            raise InputError("set_parameters", f"parameters.{changed[0]}",
                             f"a parameter the model reads only while it builds its start ({', '.join(changed)}): "
                             "set it before the model is built (a scenario's [parameters] or [context], or "
                             "TerritoryModel(scenario, name=value))")
        self.params = params
        if any(PARAMETERS[name].group == CONTEXT_GROUP for name in overrides):  # others leave the path as drawn
            self.context = context.path_from(self.params, self.context_draws, since=self.context.at(self),
                                             before=self.context)

    def set_lever(self, lever: str, values: dict[str, float] | None, target="all", label: str | None = None, *,
                  start: int | None = None, end: int | None = None) -> None:
        """Switch a policy lever on (``values``: its fields, checked against their ranges;
        missing fields take their defaults) or off (``values`` None) from the next year on.
        Each lever set this way has one policy, labelled ``label`` (default ``live:<lever>``).
        ``start`` and ``end`` (calendar years, inclusive) are the policy's years as a scenario
        file would give them (default: from the next year with no end within a run); a start
        already past keeps a running programme's schedule (e.g. roads' works spread over
        ``end - start + 1`` years) while its values change from the next year. A policy none
        of whose years is still to simulate (the next year to the scenario's last; only the
        next once :meth:`step` is called past it) is refused as a scenario file's outside its
        years is: years already simulated cannot be set."""
        label = label or f"live:{lever}"
        first = self.year + 1 if start is None else start
        last = self.start_year + MAX_STEPS if end is None else end
        if values is None:
            if label in self.policies.labels:
                old = self.policies.policies[self.policies.labels.index(label)]
                self.policies.set_policy(replace(old, end=min(old.end, self.year)))
            return
        to_come = (self.year + 1, max(self.year + 1, self.scenario.end_year))
        policy = make_policy("set_lever", {"lever": lever, "label": label, "start": first, "end": last,
                                          "target": target, **values}, first, last, still_to_simulate=to_come)
        self.policies.set_policy(policy)
        outcomes.add_policy_cost_column(self.datacollector, label)

    # ------------------------------------------------------------------ state read by phases
    def wants_distributions(self) -> bool:
        """Whether this year's median and Gini outcomes are computed."""
        return self.distribution_years is None or self.year in self.distribution_years

    def populations(self) -> np.ndarray:
        """Residents by node (persons)."""
        hh = self.households
        return node_populations(node=hh.node, alive=hh.alive, members=hh.members, n_nodes=self.n_nodes)

    def active_municipalities(self) -> list[Municipality]:
        """The municipalities and cities, in node order (external markets have none)."""
        return [m for m in self.municipalities if m is not None]
