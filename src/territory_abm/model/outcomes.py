"""Outcomes per node and for the territory, and the Mesa DataCollector that records them.

Only aggregates per node and year are recorded (per-household histories on request:
``record_households = true`` in the scenario), since agent-level reporters do not scale
to 10^5 households.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import mesa
import numpy as np

from ..data.territory import SECTORS
from ..outcomes import yearly
from . import estates
from .distribution_kernels import household_distributions
from .exact import nan_to_num
from .kernels import node_household_totals
from .municipality import Municipality

NODE_OUTCOMES: dict[str, str] = yearly.labels()
"""Name -> "label (unit)" of every yearly outcome, from the registry (``territory_abm.outcomes``)."""


@dataclass
class YearFlows:
    """Node-level flows of the current year that outcomes report."""

    public_local: np.ndarray
    national_local: np.ndarray  # local incomes paid by the national level (its own spending, road works wages)
    wage_change: np.ndarray
    unmatched: np.ndarray
    hires: np.ndarray           # seekers the year's lottery hired, by home node (persons)
    referred_hires: np.ndarray  # their referrals' part of their odds (persons)
    commuters: np.ndarray
    remittances: np.ndarray
    programme_transfers: np.ndarray  # cash paid to households by programmes
    national_cash_transfers: np.ndarray  # the national conditional cash transfer paid to households (context)
    local_demand: np.ndarray
    firm_taxes: np.ndarray
    firm_exits: np.ndarray
    firm_entries: np.ndarray
    cleared: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    out_migrants: np.ndarray
    movers_income: np.ndarray  # people leaving times their household's income per person over the node's mean
    movers_weighed: np.ndarray  # people leaving from nodes with a positive mean income per person
    in_migrants: np.ndarray
    farm_sales: np.ndarray
    local_food_sales: np.ndarray
    food_sold_elsewhere: np.ndarray
    food_demand: np.ndarray

    @classmethod
    def zeros(cls, n: int) -> YearFlows:
        return cls(**{f.name: np.zeros(n) for f in fields(cls)})


def consumer_prices(model) -> np.ndarray:
    """Consumer price index by node (1 at the start), weighted by this year's spending:
    local non-tradables (a share ``model.local_spending_share`` of consumption) at this
    year's local price relative to the start, food (the node's food spending over its
    consumption) at this year's food price relative to the start, the rest (bought outside
    the territory) at a fixed price. Deflates incomes into real incomes (what they buy)."""
    hh, n = model.households, model.n_nodes
    spending = np.bincount(hh.node, hh.consumption * hh.alive, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        food_share = nan_to_num(model.flows.food_demand / spending)
        food = nan_to_num(model.food_price / model.start_food_price - 1.0)
    s = model.local_spending_share
    return 1.0 + s * (model.local_price / model.start_local_price - 1.0) + food_share * food


_FROM_FLOWS = ("out_migrants", "in_migrants", "net_migration")
"""Summed outcomes whose territory value is taken from the flows of all nodes."""


def _distribution_stats(model, income_pc: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Median and Gini of income per person (``income_pc``, by row) and Gini of land, per node
    and for the territory, over the alive households (one sort per variable serves nodes and
    territory)."""
    hh = model.households
    # land over land owned: an estate's land is its owner's
    d = household_distributions(income=hh.income, members=hh.members, land=estates.owned_land(model), node=hh.node,
                                alive=hh.alive, n_nodes=model.n_nodes, income_pc=income_pc)
    per_node = {"gini_income": d.income.gini, "median_income_pc": d.income.median, "gini_land": d.land.gini}
    territory = {"gini_income": float(d.income.gini_all), "median_income_pc": float(d.income.median_all),
                 "gini_land": float(d.land.gini_all)}
    return per_node, territory


def compute(model) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Outcomes per node (arrays over nodes) and for the territory (scalars).

    Household sums run over all rows, skipping households no longer alive (no copies of
    the alive rows).
    """
    hh, ft, n, f = model.households, model.firm_table, model.n_nodes, model.flows
    alive = hh.alive
    s: dict[str, np.ndarray] = {}
    (s["population"], s["households"], adults_by_node, income_by_node, schooling_by_node, poor, gap_sum,
     s["farm_workers"], lacking, income_pc) = node_household_totals(
        node=hh.node, alive=alive, members=hh.members, adults=hh.adults, employed=hh.employed, income=hh.income,
        education=hh.education, tfp=hh.tfp, enterprise_capital=hh.enterprise_capital, owner=estates.owners(model),
        poverty_line=model.poverty_line, n_nodes=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        s["mean_income_pc"] = income_by_node / s["population"]
        s["mean_education"] = schooling_by_node / adults_by_node
    if model.wants_distributions():
        distribution, distribution_territory = _distribution_stats(model, income_pc)
    else:  # not recorded this year (nothing in the dynamics reads them)
        distribution = dict.fromkeys(("median_income_pc", "gini_income", "gini_land"), np.full(n, np.nan))
        distribution_territory = dict.fromkeys(("median_income_pc", "gini_income", "gini_land"), np.nan)
    s["median_income_pc"] = distribution["median_income_pc"]
    with np.errstate(invalid="ignore", divide="ignore"):
        s["poverty_headcount"], s["poverty_gap"] = poor / s["population"], gap_sum / s["population"]
    s["gini_income"], s["gini_land"] = distribution["gini_income"], distribution["gini_land"]
    live = ft.alive
    for k, sector in enumerate(SECTORS):
        s[f"jobs_{sector}"] = np.bincount(ft.node, ft.workers * live * (ft.sector == k), minlength=n)
    s["unemployed"] = np.asarray(f.unmatched, float)
    s["without_livelihood"] = lacking
    s["hires"] = np.asarray(f.hires, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        s["referral_share"] = np.where(f.hires > 0, f.referred_hires / f.hires, np.nan)
    s["commuters"] = np.asarray(f.commuters, float)
    jobs = np.bincount(ft.node, ft.workers * live, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):  # per worker (firms pay per skill unit)
        s["mean_wage"] = np.bincount(ft.node, ft.wage * ft.labour * live, minlength=n) / jobs
    s["firms"] = np.bincount(ft.node, live, minlength=n).astype(float)
    s["births"], s["deaths"] = f.births.astype(float), f.deaths.astype(float)
    s["out_migrants"], s["in_migrants"] = f.out_migrants.astype(float), f.in_migrants.astype(float)
    s["net_migration"] = s["in_migrants"] - s["out_migrants"]
    with np.errstate(invalid="ignore", divide="ignore"):
        s["movers_income_ratio"] = np.where(f.movers_weighed > 0, f.movers_income / f.movers_weighed, np.nan)
    s["remittances"] = f.remittances
    s["programme_transfers"] = f.programme_transfers
    s["national_cash_transfers"] = f.national_cash_transfers
    s["farm_sales"], s["local_food_sales"] = f.farm_sales, f.local_food_sales
    s["food_sold_elsewhere"] = f.food_sold_elsewhere
    s["food_price"] = np.asarray(model.food_price, float)
    munis = model.municipalities

    def per_node(attr, default=np.nan):
        return np.array([getattr(m, attr) if m is not None else default for m in munis], float)

    s["natural_capital"] = per_node("natural_capital")
    s["forest_cover"] = per_node("forest_cover")
    s["cleared"] = f.cleared
    s["municipal_revenue"] = per_node("revenue")
    s["municipal_spending"] = per_node("spending")
    s["enforcement"] = per_node("enforcement")
    s["service_quality"] = per_node("service_quality")
    costs = model.policies.costs_by_node()
    s["policy_cost"] = costs.sum(axis=0) if costs.size else np.zeros(n)
    for label, row in zip(model.policies.labels, costs):
        s[f"{yearly.POLICY_COST_PREFIX}{label}"] = row
    # every outcome NaN off the municipalities, in one pass (a row of one block each)
    s = dict(zip(s, np.where(model.populated, np.array([np.asarray(v, float) for v in s.values()]), np.nan)))

    t: dict[str, float] = {}
    pop = s["population"][model.populated]
    t["population"] = float(np.nansum(pop))
    t["households"] = float(np.nansum(s["households"]))
    # territory sums from the node sums (every alive household is in a node)
    people, total_income, total_adults, schooling = (float(x.sum()) for x in
                                                     (s["population"][model.populated], income_by_node,
                                                      adults_by_node, schooling_by_node))
    t["mean_income_pc"] = float(total_income / max(people, 1.0))
    t["median_income_pc"] = distribution_territory["median_income_pc"]
    t["poverty_headcount"] = float(poor.sum() / people) if people > 0 else np.nan
    t["poverty_gap"] = float(gap_sum.sum() / people) if people > 0 else np.nan
    t["gini_income"], t["gini_land"] = distribution_territory["gini_income"], distribution_territory["gini_land"]
    t["mean_education"] = float(schooling / total_adults) if total_adults > 0 else np.nan
    # summed outcomes of the registry (population and households above, migrants below from the flows)
    summed = [*[k for k in yearly.summed() if k not in t and k not in _FROM_FLOWS],
              *[f"{yearly.POLICY_COST_PREFIX}{label}" for label in model.policies.labels]]
    if summed:  # np.nansum of each, at once: NaN as 0, each row summed as np.sum sums it alone
        block = np.array([s[key] for key in summed])
        t.update(zip(summed, np.where(np.isnan(block), 0.0, block).sum(axis=1).tolist()))
    t["mean_wage"] = float(np.nansum(s["mean_wage"] * jobs) / jobs.sum()) if jobs.sum() else np.nan
    t["out_migrants"] = float(f.out_migrants.sum())
    t["in_migrants"] = float(f.in_migrants.sum())
    t["net_migration"] = t["in_migrants"] - t["out_migrants"]
    t["movers_income_ratio"] = yearly.aggregate("movers_income_ratio", s["movers_income_ratio"], s)
    hires = float(f.hires.sum())
    t["referral_share"] = float(f.referred_hires.sum() / hires) if hires > 0 else np.nan
    area = np.nansum(per_node("area_ha"))
    t["forest_cover"] = t["natural_capital"] / area if area > 0 else np.nan
    t["enforcement"] = float(np.nanmean(s["enforcement"]))
    t["food_price"] = yearly.aggregate("food_price", s["food_price"], s)
    t["service_quality"] = float(np.nansum(s["service_quality"] * s["population"]) / max(t["population"], 1.0))
    return s, t


class NodeDataCollector(mesa.DataCollector):
    """Mesa's DataCollector whose municipality records are read from the node outcome
    arrays at once (a row per municipality) instead of one reporter call per value: the same
    records (step, agent id, then each reporter's value) at a twentieth of the calls."""

    def __init__(self, model_reporters: dict, node_reporters: dict, node_keys: list[str]):
        super().__init__(model_reporters=model_reporters, agenttype_reporters={Municipality: node_reporters})
        self._node_keys = node_keys

    def _record_agenttype(self, model, agent_type):
        if agent_type is not Municipality or agent_type not in model.agent_types:
            return super()._record_agenttype(model, agent_type)
        agents = list(model.agents_by_type[Municipality])
        stats = model.node_stats
        # float64 arrays: ``tolist`` gives the Python floats that ``float(array[node])`` gives
        values = np.column_stack([stats[k] for k in self._node_keys])[[a.node for a in agents]].tolist()
        return [(model.steps, a.unique_id, model.year, a.node_id, a.name, a.kind, *row)
                for a, row in zip(agents, values)]


def make_datacollector(model) -> mesa.DataCollector:
    """DataCollector with territory outcomes as model reporters and node outcomes as
    Municipality reporters (reading the arrays computed once per step; recorded a row per
    municipality at once by :class:`NodeDataCollector`)."""
    names = list(model.territory_stats)
    model_reporters = {"year": lambda m: m.year}
    model_reporters.update({k: (lambda m, k=k: m.territory_stats[k]) for k in names})
    node_reporters = {"year": lambda a: a.model.year, "node_id": "node_id", "name": "name", "kind": "kind"}
    node_reporters.update({k: (lambda a, k=k: float(a.model.node_stats[k][a.node])) for k in model.node_stats})
    return NodeDataCollector(model_reporters, node_reporters, list(model.node_stats))


def add_policy_cost_column(datacollector: mesa.DataCollector, label: str) -> None:
    """Give a policy set during a run (``TerritoryModel.set_lever``) its own cost column in
    the territory's records, as a scenario's policies have from the start: 0 in the years
    already recorded (it did not exist), then its cost in each year collected. Municipality
    records keep the columns they started with (their rows are tuples of a fixed layout)."""
    name = f"{yearly.POLICY_COST_PREFIX}{label}"
    if name in datacollector.model_reporters:
        return
    recorded = len(datacollector.model_vars["year"])
    datacollector._new_model_reporter(name, lambda m: m.territory_stats.get(name, 0.0))
    datacollector.model_vars[name] = [0.0] * recorded
