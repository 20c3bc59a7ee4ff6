"""The starting state: households, jobs, firms and expectations that the model's own rules keep.

The territory tables give each node's marginals (population, income and its Gini, land,
jobs by sector, wages); :func:`territory_abm.data.synthetic.draw_population` draws
households to match them. What the tables do not give is backed out here so that the first
year does not re-sort the territory: farm productivity (income minus wages and public
income), starting jobs that the job rule keeps, steady-state assets, firms that earn the
required return, local spending shares, the local price and the job-finding expectation.
Each function reads and sets attributes of the model it is given; ``TerritoryModel.__init__``
calls them in order. The local goods market's part (local spending shares, the local price,
enterprises' sales outside the territory) is in :mod:`.start_market`; the compiled passes are
in :mod:`.start_kernels` and, for the start at job turnover's rest, :mod:`.rest_kernels`.
"""

from __future__ import annotations

import copy
from typing import NamedTuple

import numpy as np

from ..data.territory import SECTORS
from . import enterprises, estates, labour, migration
from .demography import household_birth_rates, kind_birth_rates
from .firms import TRADABLE, add_firms, capital_per_worker, tfp_for_labour
from .households import HouseholdPopulation, asset_factor, farming_households, management_share
from .kernels import bincount, consumption, equilibrium_job_finding
from .rest_kernels import drawn_incomes, rest_own_work, rest_start
from .start_kernels import (farm_rows, farm_scale_halvings, farm_split, halving_grid, keep_jobs, place_picks,
                            placement_weights, priced_out_nodes, worker_skill)
from .start_market import consumption_at, local_room
from .streams import ReplayedDraws

MIN_FARM_INCOME_SHARE = 0.1
"""Farm income backed out at the start is at least this share of a farming household's
income (a garden plot or livestock), so that no farming household has zero productivity."""
MIN_ENTERPRISE_SHARE = 0.1
"""A farming household's income beyond its farm is a non-farm enterprise at the start only
if it is at least this share of its income (smaller amounts are counted as farm income)."""
START_WAGE_ROUNDS = 10
"""Most rounds of starting wages and starting jobs (they converge in a few)."""
TAU_BISECTIONS = 60
"""Halvings of [-30, 30] when solving for each node's farm productivity scale (log)."""
TAU_LOOKAHEAD = 6
"""Halvings of the farm productivity scale taken per call of ``start_kernels.farm_scale_halvings``:
the scales of the 2^6 - 1 midpoints they can reach are computed together beforehand (numpy's
exp, as the bisection one halving at a time had them)."""
MIN_WAGE_STEP = 0.5
"""A node's starting wage per skill unit falls by at most this factor a round while its
kept jobs fall short of the tables' wage share and households that do not farm are priced
out of jobs (``households``, ``priced_out``)."""
BISECTION_HALVINGS = 16
"""Halvings of [0, 1] when solving for the starting job-finding expectation (to 1.5e-5)."""
PLACEMENT_ROUNDS = 20
"""Most rounds of placing the starting migrants abroad that a household's income cannot hold
with other households of its node (``place_within_incomes``; each round places most of them)."""
REST_ITERATIONS = 120
"""Most passes over the households when solving for each node's chance of being hired at
turnover's rest (``rest_kernels.rest_start``, which solves it as ``rest_chance`` does; from
the previous round's chance most nodes take fewer than 10, a node whose jobs step across the tables' up to about 35). Its bisection steps
halve the bracket at least once every three passes, so ending at a bracket of ``REST_BRACKET``
from [0, 1] may take 90 passes and the search from a guess; a node still unsolved after them
would silently get the middle of its bracket."""
REST_JOBS_TOLERANCE = 1e-6
"""The jobs drawn at turnover's rest are drawn at each node's chance at which its expected jobs
are the tables' within this (persons), or within a bracket of ``REST_BRACKET``."""
REST_BRACKET = 1e-9
REST_ROUND_TOLERANCE = 1e-4
"""In the rounds that solve the level and spread of the target incomes, each node's chance is
solved only until its expected jobs are the tables' within this share of them, or within a
bracket of ``REST_ROUND_BRACKET`` (those rounds move it more than that; the rounds whose jobs
are kept solve it to ``REST_JOBS_TOLERANCE``)."""
REST_ROUND_BRACKET = 1e-6
REST_SPREAD_HALVINGS = 8
"""Halvings of each node's spread of target incomes at turnover's rest (for the poverty headcount)."""
REST_SPREAD_RANGE = (0.25, 2.0)
"""Range of the spread of target incomes (a factor on log income per person around the node's mean)."""
REST_LEVEL_ROUNDS = 4
"""Rounds of expected jobs, productivity and the level of target incomes at turnover's rest
before the spread's halvings begin (each halving is another round of them)."""
REST_SHARE_ROUNDS = 16
"""Most rounds of the jobs at turnover's rest at the final spread, until each node's local
share of its enterprises' sales (``local_sales_share``) is within ``REST_SHARE_TOLERANCE`` of
the share its jobs were drawn at and its mean income within ``REST_LEVEL_TOLERANCE`` of the
drawn mean (the level goes on by powers of the ratios in these rounds, a node's power halving
each time its miss turns back; the last round's jobs are the start's); a node's step of the
share halves each time its share's move turns back."""
REST_EXPECTED_STEP = 0.5
"""In the last rounds at turnover's rest, the share of the way from the expected jobs a round
backs productivity out at toward those its chain gives that the next round takes (the fixed
point of expected jobs and the productivity backed out at them cycled in two at some nodes when
taken whole; session 38). The rounds stop on the share and the level, not on the expected jobs,
which may still differ by a few per cent by node when they stop."""
REST_SHARE_TOLERANCE = 1e-3
REST_LEVEL_TOLERANCE = 2e-3
"""Relative miss of a node's mean income at turnover's rest from the drawn mean below which the
last rounds stop moving its level. The ratio's step under-corrects where part of a node's
income does not scale with the level (wages, public income, the own-account enterprises of
``own_account_at_rest``), so four rounds after the spread's halvings left a city 2.4 % below its
table (session 37, seed 3, scale 0.1)."""
ESTATE_PROFIT_ROUNDS = 8
"""Rounds of the estates' starting profits and the public income their taxes pay for (the
taxes are a small share of public income, so the rounds settle in a few)."""


def households(model, init) -> None:
    """Household columns from the synthetic draw ``init``: starting wages per skill unit at
    which no worker gains by commuting and the tables' wage share is held, starting jobs the
    job rule keeps, steady-state assets, and the income left after wages, public income and
    remittances split between the farm (farm TFP backed out from it) and a non-farm
    enterprise (sets ``model.households``, ``initial_wage`` (per skill unit),
    ``worker_skill``, ``mean_education``, ``start_wage_jobs`` and ``start_dividends``, each
    household's dividends in its starting income; ``init.wage`` becomes the wage per skill
    unit and ``init.jobs`` the jobs kept). The largest holdings are commercial estates
    (``model.estates``, :mod:`.estates`): their owners do not farm, their land leaves the
    ``land`` column, and their profit after tax is their owners' income beyond wages, public
    income, dividends and remittances (counted in ``other_income``)."""
    p, n = model.params, model.n_nodes
    cols = dict(init.columns)
    cols["alive"] = np.ones(len(cols["node"]), bool)
    cols["price_share"] = np.full(len(cols["node"]), 1.0 - p.intermediary_margin)
    node = cols["node"]
    model.mean_education = float(np.average(cols["education"], weights=cols["adults"]))
    cols["schooling_gap"] = cols["education"] - np.nan_to_num(model.territory.table["mean_education"])[node]
    cols["skill_residual"] = np.zeros(len(node))
    if p.wage_residual_sd > 0:  # a premium beyond schooling, correlated with the income drawn
        sigma, rho = p.wage_residual_sd, p.wage_residual_income_correlation
        log_pc = np.log(np.maximum(cols["income"] / cols["members"], 1.0))
        z = (log_pc - log_pc.mean()) / max(log_pc.std(), 1e-12)
        eps = rho * z + np.sqrt(1.0 - rho ** 2) * model.streams["population"].standard_normal(len(z))
        cols["skill_residual"] = sigma * eps - sigma ** 2 / 2
    skill = labour.skill_units(p, cols["education"], model.mean_education, cols["skill_residual"])
    hiring = init.jobs.sum(axis=1) > 0
    drawn = init.jobs.sum(axis=1).copy()
    model.estates = estates.select(p, node, cols["land"], init.jobs[:, 0])
    farms = farming_households(model, cols["node"], cols["land"])
    farms[model.estates.owner] = False  # the estate is their farm
    owns = np.zeros(len(node), bool)
    owns[model.estates.owner] = True
    cols["land"] = cols["land"].copy()
    cols["land"][model.estates.owner] = 0.0
    table_jobs = table_wage_jobs(model, node, cols["adults"])
    people = node_people(model, cols)  # members and adults do not change below
    # the tables' wage per worker, per skill unit of the drawn workers
    model.worker_skill = worker_skill(employed=cols["employed"], skill=skill, node=node, n_nodes=n)
    init.wage[:] = init.wage / model.worker_skill
    # the tables' incomes include the remittances of migrants abroad: they are drawn first,
    # within what each income holds beyond public income and dividends (``remittance_room``),
    # and jobs are handed out against the income left, the local income
    per_migrant = migration.remittance_per_migrant_abroad(model)
    public = public_income_per_adult(model, init, people)[node] * cols["adults"]
    # dividends of locally owned firms are part of the income the data report; they are paid
    # after the year's consumption, so they are saved whole (see ``steady_state_assets``)
    first = steady_state_assets(model, cols["income"], cols["members"])
    dividends = _share_by_assets(starting_dividends(model, init), node, first, n)
    # the moves a household weighs are those its assets pay for: the start's (below)
    abroad, expected, sends = starting_migrants(model, cols, remittance_room(cols["income"], public + dividends,
                                                                             farms | owns), per_migrant, dividends)
    remittances = per_migrant * abroad
    income = cols["income"]
    cols["income"] = income - remittances
    # lower the wage per skill unit of nodes short of the tables' jobs where households that do
    # not farm cannot pay for one at their incomes, while that adds jobs
    step, frozen, kept = np.ones(n), ~hiring, None
    for round_ in range(START_WAGE_ROUNDS):
        init.wage[:] = no_commuting_wages(model, init.wage, hiring)
        public = public_income_per_adult(model, init, people)[node] * cols["adults"]
        cols["employed"] = consistent_start_jobs(model, cols, init, public, farms | owns, skill, table_jobs)
        model.worker_skill = worker_skill(employed=cols["employed"], skill=skill, node=node, n_nodes=n)
        before, kept = kept, model.start_wage_jobs["kept"]
        if round_ == START_WAGE_ROUNDS - 1:
            break  # the jobs are those of the wages they were handed out at
        failed = (step < 1.0) & (kept <= before) if before is not None else np.zeros(n, bool)
        if failed.any():  # a node whose jobs the last cut did not raise gets its wage back
            init.wage[failed] /= step[failed]
            frozen |= failed
            step = np.ones(n)
            continue
        short = ~frozen & (kept < table_jobs - 0.5) & priced_out(model, cols, init, public, farms | owns, skill)
        step = np.where(short, np.maximum(kept / np.maximum(table_jobs, 1), MIN_WAGE_STEP), 1.0)
        if (step == 1.0).all():
            break
        init.wage[:] *= step
    cols["income"] = income
    model.start_wage_jobs["drawn"] = drawn
    model.start_wage_jobs["table"] = table_jobs
    estates.share_jobs(model.estates, init.jobs[:, 0], model.worker_skill)
    # each worker earns the wage per skill unit of its skill (the jobs are those kept, so this
    # shares each node's wage bill among its workers by skill, as ``kernels.labour_incomes`` does)
    wage_income = cols["employed"] * skill * init.wage[node]
    # the dividends of the firms at the wages they keep (the same starting assets: the
    # income is the tables' again)
    dividends = _share_by_assets(starting_dividends(model, init), node, first, n)
    # the public income and dividends of the jobs kept: migrants whose remittances the income
    # no longer holds go to households of the node that hold them
    if per_migrant > 0:
        public = public_income_per_adult(model, init, people)[node] * cols["adults"]
        room = remittance_room(cols["income"], wage_income + public + dividends, farms | owns)
        abroad = place_within_incomes(abroad, np.floor(room / per_migrant).astype(np.int64), expected, node,
                                      model.streams["initial_migrants"])
        remittances = per_migrant * abroad
    cols["migrants_abroad"] = abroad.astype(np.int32)
    # the taxes in public income are those of the firms that keep their jobs and of the estates
    # at the profits that pay their owners' incomes
    owner = model.estates.owner
    for _ in range(ESTATE_PROFIT_ROUNDS):
        public = public_income_per_adult(model, init, people)[node] * cols["adults"]
        residual = (cols["income"] - wage_income - public - remittances - dividends)[owner]
        estates.plan_profits(p, model.estates, init.wage, residual, capital_per_worker(p, init.wage))
    dividends, other = paid_beside_work(model, init, people, first, cols)
    cols["assets"] = steady_state_assets(model, cols["income"], cols["members"], dividends)
    own_work(model, cols, farms, wage_income, other, remittances, cols["employed"])
    model.start_local_share = model.start_idle_farm_income = None
    if p.job_separation_rate > 0:
        jobs_at_turnover_rest(model, cols, init, skill, farms, owns, other, remittances, table_jobs,
                              people, first)
        # the dividends and public income (taxes) of the firms at the jobs they now hold: those
        # of the rounds' last draw, which its incomes already hold (``held_jobs_at``)
        dividends, other = paid_beside_work(model, init, people, first, cols)
    cols["other_income"] = other
    cols["remittance_income"] = remittances
    cols["income"] = cols["farm_income"] + cols["wage_income"] + cols["enterprise_income"] + other + remittances
    if p.job_separation_rate > 0:
        # assets at rest at the incomes of the drawn jobs, and the TFP that keeps each farm's
        # income at them (a household's saving follows the income it has, not the drawn one)
        assets = steady_state_assets(model, cols["income"], cols["members"], dividends)
        cols["tfp"] = cols["tfp"] * (asset_factor(cols["assets"], p.farm_asset_elasticity)
                                     / asset_factor(assets, p.farm_asset_elasticity))
        cols["assets"] = assets
    model.households = HouseholdPopulation(cols)
    model.start_dividends = dividends
    model.initial_wage = init.wage.copy()
    record_leavers_shares(model, sends * cols["income"] / np.maximum(cols["members"], 1))


def record_leavers_shares(model, shares: np.ndarray) -> None:
    """Record the start's year as the run records each of its years: net of the ``shares``
    (USD/yr by household) of the year's income that its members leaving alone for abroad take
    with them, in expectation (``migration.single_leaves``: a single emigrant takes its
    household's income per person out of its ``other_income``, and births replace it with
    members without income). ``shares`` is each household's chance a year of sending a member
    abroad alone at the start's own flows (``starting_migrants``) times its income per person.
    Without it each run's first year fell by those shares from a start that had none (0.7 % of
    income per person under session 34's candidate setting, whose stay preference of 4.25, against
    5.22, makes the shares about four times as large; 0.2 % at the defaults, and as little under
    the candidate at stay 5.22, ``test_spatial_equilibrium.CANDIDATE``: docs/model_choices.md,
    "The start's recorded year").
    The start's back-outs that read the income read the income earned (:func:`earned_income`),
    as the year's budgets do (a member leaves after the year's spending); the shares stay in
    ``model.start_leavers_shares`` (by the start's rows)."""
    hh = model.households
    hh.other_income = hh.other_income - shares
    hh.income = hh.income - shares
    model.start_leavers_shares = shares


def earned_income(model) -> np.ndarray:
    """Each starting household's income earned in the start's year (USD/yr): its recorded
    income and the shares its single emigrants took (:func:`record_leavers_shares`)."""
    hh, shares = model.households, model.start_leavers_shares
    if hh.n != len(shares) or hh.n != hh.at_start:
        raise RuntimeError("start.earned_income: the households' rows are no longer the start's")
    return hh.income + shares


def paid_beside_work(model, init, people, first: np.ndarray, cols: dict,
                     held: HeldJobs | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each household's dividends of the locally owned firms at their current jobs (shared by
    the assets ``first``), and its income beside its own work, wages and remittances: public
    income (taxes of the firms and estates as they now stand), those dividends, and last year's
    estate profits of the estates' owners, paid in this year's budgets and spent and saved as
    any income (USD/yr). ``held``: the firms at those jobs instead (``held_jobs_at``)."""
    p, node = model.params, cols["node"]
    dividends = _share_by_assets(starting_dividends(model, init, held), node, first, model.n_nodes)
    public = public_income_per_adult(model, init, people, held)[node] * cols["adults"]
    planned = model.estates if held is None else held.estates
    return dividends, public + dividends + estates.owner_income(p, planned, len(node))


class OwnWorkFixed(NamedTuple):
    """The factors of each household's farm output that its jobs do not change (``own_work``)."""

    land_power: np.ndarray   # max(land, garden_plot_ha)^a (ha^a)
    asset_power: np.ndarray  # (1 + assets / ASSET_UNIT)^c, ``households.asset_factor``


def own_work_fixed(params, cols: dict) -> OwnWorkFixed:
    """The land and asset factors of the farm output of each household of ``cols``."""
    land = np.maximum(cols["land"], params.garden_plot_ha)
    return OwnWorkFixed(np.power(land, params.farm_land_elasticity),
                        asset_factor(cols["assets"], params.farm_asset_elasticity))


def own_work(model, cols: dict, farms: np.ndarray, wage_income: np.ndarray, other: np.ndarray,
             remittances: np.ndarray, employed: np.ndarray,
             fixed: OwnWorkFixed | None = None, farm_beyond: np.ndarray | None = None, tfp: bool = True) -> np.ndarray:
    """Farm and enterprise income, farm TFP and the enterprise's sales, capital and scale of
    each household (set in ``cols``) backed out of its income (``cols["income"]``) less
    ``wage_income``, ``other`` (public) income and ``remittances``, with ``employed`` wage
    workers (persons; a household's expected workers where jobs turn over, so fractional)
    away from its farm or enterprise (``split_residual``, with ``farm_beyond`` its farm income
    beyond the tables' by node). ``fixed``: the land and asset
    factors (``own_work_fixed``, computed here if not given); ``tfp``: whether to set
    ``cols["tfp"]`` (``farm_tfp``). Returns each farming household's family labour^b, L^b with
    L its adults not employed (at least 1; 1 where it does not farm: its farm income is 0).
    Each power is numpy's of the households it matters for (a farm's labour, an enterprise's:
    1^e is 1)."""
    p, node = model.params, cols["node"]
    fixed = own_work_fixed(p, cols) if fixed is None else fixed
    family_labour = np.maximum(cols["adults"] - employed, 1)
    labour_power = np.ones(len(node))
    labour_power[farms] = np.power(family_labour[farms], p.farm_labour_elasticity)
    capacity = np.where(farms, fixed.land_power * labour_power, 0.0)
    farm_income, enterprise_income = split_residual(model, cols["income"] - wage_income - other - remittances,
                                                    cols["income"], capacity, node,
                                                    unearned=bincount(node, other + remittances, minlength=model.n_nodes),
                                                    local=cols["income"] - remittances, beyond=farm_beyond)
    farm_income, enterprise_income = cap_city_farms(model, cols, farms, fixed, labour_power, farm_income,
                                                    enterprise_income)
    if tfp:
        cols["tfp"] = farm_tfp(model, cols, farms, fixed, labour_power, farm_income)
    cols["farm_income"] = farm_income
    cols["wage_income"] = wage_income
    cols["enterprise_income"] = enterprise_income
    cols["enterprise_sales"] = enterprises.sales_for_income(p, enterprise_income)
    cols["enterprise_capital"] = p.enterprise_capital_output * cols["enterprise_sales"]
    in_enterprise = np.where(farms, 0, np.maximum(cols["adults"] - employed, 0))
    scale_power = np.ones(len(node))
    scale_power[~farms] = np.power(1.0 + in_enterprise[~farms], p.enterprise_labour_elasticity)
    cols["enterprise_scale"] = cols["enterprise_sales"] / scale_power
    return labour_power


def farm_tfp(model, cols: dict, farms: np.ndarray, fixed: OwnWorkFixed, labour_power: np.ndarray,
             farm_income: np.ndarray) -> np.ndarray:
    """Farm TFP of each household of ``cols`` that yields its ``farm_income`` (USD/yr) with its
    land and assets (``fixed``) and family labour^b ``labour_power`` at its farm-gate price
    (0 where it does not farm)."""
    revenue = farm_revenue_at_one(model, cols, fixed, labour_power)
    return np.where(farms & (revenue > 0), farm_income / np.maximum(revenue, 1e-12), 0.0)


def farm_revenue_at_one(model, cols: dict, fixed: OwnWorkFixed, labour_power: np.ndarray) -> np.ndarray:
    """Each household's farm revenue at TFP 1 (USD/yr): ``farm_output`` of its land, assets
    (``fixed``) and family labour^b ``labour_power`` at TFP 1, bit for bit, at its farm-gate price."""
    unit = fixed.land_power * labour_power * fixed.asset_power
    return unit * model.farm_gate[cols["node"]] * cols["price_share"]


def cap_city_farms(model, cols: dict, farms: np.ndarray, fixed: OwnWorkFixed, labour_power: np.ndarray,
                   farm_income: np.ndarray, enterprise_income: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Farm and enterprise income (USD/yr) with each city farm's TFP at most the ceiling of
    ``city_farm_tfp_ceiling``: a city's few farming households (those holding land) would farm
    the whole of what their incomes hold beyond wages, public income and remittances
    (``split_residual``: the tables' farm share of a city's income is more than they can
    farm), and a TFP backed out of that residual, mostly not farm income, made the example's
    town farms five to ten times as productive as the rural ones (settler TFP 9,292 and 10,637
    against 988-2,185; session 50). What a city farm earns beyond its ceiling is its
    enterprise's, the floor of ``MIN_FARM_INCOME_SHARE`` of its income included (a tenth of a
    rich town household's income is more than a plot yields), however small (such enterprises
    are not folded back into the farm as ``split_residual``'s below ``MIN_ENTERPRISE_SHARE``
    are: that would lift the farm above its ceiling). Rural municipalities' farms are not
    capped. The cap acts where the start backs farm income out; the starting food prices
    (``food.start``) and, at turnover's rest, the assets at rest rescale the TFP after it, so a
    few city farms end somewhat above it."""
    factor, city = model.params.city_farm_tfp_ceiling, model.city_nodes
    node = cols["node"]
    if not city.any():
        return farm_income, enterprise_income
    revenue = farm_revenue_at_one(model, cols, fixed, labour_power)
    share = np.power(np.maximum(cols["adults"], 1), management_share(model.params))
    per_adult = np.where(farms & (revenue > 0), farm_income / np.maximum(revenue, 1e-12), 0.0) / share
    rural_farms = np.flatnonzero(farms & ~city[node] & (revenue > 0))
    if len(rural_farms) == 0:
        return farm_income, enterprise_income
    ceiling = factor * node_medians(per_adult[rural_farms], node[rural_farms], model.n_nodes).max()
    capped = np.where(farms & city[node], np.minimum(farm_income, ceiling * share * revenue), farm_income)
    return capped, enterprise_income + (farm_income - capped)


def jobs_at_turnover_rest(model, cols: dict, init, skill: np.ndarray, farms: np.ndarray,
                          owns: np.ndarray, other: np.ndarray, remittances: np.ndarray,
                          table_jobs: np.ndarray, people: tuple[np.ndarray, np.ndarray], first: np.ndarray) -> None:
    """Starting wage jobs where the hiring lottery with job turnover puts them at rest, and
    farm and enterprise productivity that does not depend on who holds a job this year
    (``job_separation_rate`` s > 0; without turnover the start keeps the drawn jobs that
    incomes can pay, ``consistent_start_jobs``).

    Each household's jobs at rest follow a birth-death chain (``rest_kernels._rest_distribution``):
    with k workers its other adults that the job rule sends to the lottery at the expected wage
    are hired at its chance h(k) (its referrals raise its weight), and each worker loses the job
    at s (1 - h(k)) (separated, and not hired again that year). A farm's own work is weighed at
    its revenue with one adult, an enterprise's at the part of its sales its node's market buys
    (``local_sales_share`` of the round before: the part sold outside the territory,
    ``start_market.enterprises_outside``, does not grow with its labour, and the run's job rule weighs only
    the local part; set in ``model.start_local_share``). Each node's chance c is solved
    (``rest_start``, as ``rest_chance``) so that the expected jobs are the tables' (``table_jobs``; where the
    willing adults are fewer even at c = 1, all of them work). A household's farm or
    enterprise productivity is backed out of a target income at its *expected* jobs E
    (``own_work``), so each year's jobs scatter around it; E and the productivity are iterated
    with the level and spread below. The jobs are then drawn and the incomes are those of the drawn jobs.
    The farms' part of each target is raised by node, round by round, by what the drawn jobs
    take from it, so that at the drawn jobs the farms earn the tables' farm share (where the
    households' residuals hold it, as without turnover).
    The target incomes are the drawn ones (``cols["income"]``) with each node's log income
    per person around its mean scaled by a spread and multiplied by a level, solved so that
    the incomes of the drawn jobs have the drawn incomes' mean and poverty headcount by node,
    their dividends, public income and estate owners' income (``other``, those before the
    rounds) those of the firms and estates at the round's drawn jobs
    (``paid_beside_work`` at ``held_jobs_at``, the dividends shared by the assets ``first``,
    public income among ``people``; the next round's productivity is backed out net of them)
    (the level by ratios each round, in the last rounds by damped powers of them, the spread by
    bisection, ``REST_SPREAD_HALVINGS``, in the direction the first two points show, keeping the spread whose poverty came nearest;
    ``model.start_rest_poverty_miss`` is what is left by node). Sets the job, income and productivity columns of ``cols``
    (``cols["income"]`` keeps the drawn incomes), scales the firms' jobs ``init.jobs`` to the
    drawn jobs, and shares the estates' among them at the profits those jobs pay
    (``plan_estates_at``)."""
    p, n = model.params, model.n_nodes
    node, adults, members = cols["node"], cols["adults"], cols["members"]
    b, e = p.farm_labour_elasticity, p.enterprise_labour_elasticity
    _, best_wage = labour.best_net_wage(model, init.wage, init.jobs.sum(axis=1) > 0)
    most = max(int(adults.max(initial=0)), 1)
    chain = dict(node=node, best=best_wage, skill_weight=np.exp(p.hiring_skill_preference
                                                          * (cols["education"] - model.mean_education)),
                 referral=p.hiring_referral_weight, separation=p.job_separation_rate, adults=adults,
                 in_market=~owns,  # an estate owner's adults run the estate and seek no new jobs
                 farm_thresholds=labour.farm_labour_thresholds(model, most),
                 enterprise_thresholds=labour.enterprise_labour_thresholds(model, most), elasticity=b)
    u = model.streams["population"].random(len(node))
    # the draws placing own-account enterprises at their rest (``own_account_at_rest``)
    own_u = model.streams["population"].random(len(node)) if p.own_account_entry > 0 else None
    draws = ReplayedDraws(model.streams["population"])  # the stream gives no other draws in the rounds
    drawn_income = cols["income"].copy()
    persons = np.maximum(bincount(node, members, minlength=n), 1)
    log_pc = np.log(np.maximum(drawn_income / members, 1.0))
    mu = bincount(node, members * log_pc, minlength=n) / persons
    want_mean = bincount(node, drawn_income, minlength=n) / persons

    def poverty(income):
        """Each node's poverty headcount at the households' ``income`` (USD/yr)."""
        return bincount(node, members * (income / members < model.poverty_line), minlength=n) / persons

    want_poor = poverty(drawn_income)
    wage = skill * init.wage[node]
    centred = log_pc - mu[node]
    fixed = own_work_fixed(p, cols)  # land and assets do not change in the rounds
    # L^b of a farm's family labour and (1 + L)^e of an enterprise's at the drawn jobs, by table
    drawn_labour, enterprise_labour = np.power(np.arange(most + 1), b), np.power(1.0 + np.arange(most + 1), e)

    chance = np.full(n, np.nan)  # each round's chance, the next round's first guess
    # the farm income of the tables' share (``split_residual``'s target at the drawn incomes),
    # and what the farms' target must hold beyond it so that the drawn jobs leave them that:
    # productivity backed out at the expected jobs yields less at the drawn ones (a farm whose
    # adults all hold jobs earns nothing, and L^b is concave), and without it the start put
    # 0.52 of the rural municipalities' income off the farm (tables 0.39, the start without
    # turnover 0.43; seeds 1-4, scale 0.25)
    nonfarm = np.nan_to_num(model.territory.table["nonfarm_income_share"])
    table_farm = (1.0 - nonfarm) * bincount(node, drawn_income, minlength=n)  # less the unearned income below
    farm_beyond = np.zeros(n)
    targets, backed_out = {}, {}

    def allocate(level, spread, expected, local, final=True):
        """One round: target incomes at ``level`` and ``spread``, productivity at the ``expected``
        jobs, each node's chance (to ``REST_JOBS_TOLERANCE`` where ``final``, else to
        ``REST_ROUND_TOLERANCE``), the own-account enterprises at their rest, the jobs at rest (an
        enterprise weighed at its node's ``local`` share of its sales) and the incomes of the
        drawn jobs."""
        if not np.array_equal(spread, targets.get("spread")):  # (the level's rounds keep the spread)
            scaled = np.exp(spread[node] * centred) * members  # the node's mean kept below
            targets.update(spread=spread.copy(), scaled=scaled,
                           mean=(want_mean / np.maximum(bincount(node, scaled, minlength=n) / persons, 1e-300))[node])
        cols["income"] = level[node] * targets["scaled"] * targets["mean"]
        labour_power = own_work(model, cols, farms, expected * wage, other, remittances, expected, fixed,
                                farm_beyond, tfp=False)
        # the farm TFP of the last round's productivity (``own_work``'s, set once the rounds end)
        backed_out.update(labour_power=labour_power, farm_income=cols["farm_income"])
        # the own-account enterprises at their rest, placed at the last round's jobs and chance
        # (none in the first round, which has no chance yet) and weighed by this round's chain
        placed = own_account_at_rest(p, node=node, adults=adults, employed=backed_out.get("employed", cols["employed"]),
                                     farms=farms, owns=owns, capital=cols["enterprise_capital"],
                                     scale=cols["enterprise_scale"], placed=backed_out.get("own_account"),
                                     assets=cols["assets"], power=enterprise_labour[adults], skill=skill,
                                     best_wage=best_wage, chance=chance, skill_weight=chain["skill_weight"], u=own_u)
        scale = cols["enterprise_scale"] + placed
        capital = cols["enterprise_capital"] + p.enterprise_capital_output * placed
        # a farm's revenue with one adult, an enterprise's local sales
        own, one_adult, in_enterprise = rest_own_work(
            farms=farms, capital=capital, farm_income=cols["farm_income"], labour_power=labour_power,
            scale=scale, local=local, node=node, skill=skill, enterprise_weight=e / b)
        jobs = rest_start(table_jobs=table_jobs.astype(float), guess=chance, u=u, own=own, in_enterprise=in_enterprise,
                          n_nodes=n, iterations=REST_ITERATIONS, **chain,
                          tolerance=np.full(n, REST_JOBS_TOLERANCE) if final else REST_ROUND_TOLERANCE * table_jobs,
                          bracket=REST_BRACKET if final else REST_ROUND_BRACKET)
        chance[:] = jobs.chance
        employed = jobs.drawn
        backed_out.update(employed=employed, own_account=placed)
        # the incomes of the drawn jobs, at the productivity of the expected ones (a farm whose
        # adults all hold jobs earns nothing, as ``kernels.labour_incomes`` pays)
        drawn = drawn_incomes(employed=employed, adults=adults, farms=farms, one_adult=one_adult, scale=scale,
                              capital=capital, wage=wage, other=other,
                              remittances=remittances, farm_power=drawn_labour, enterprise_power=enterprise_labour,
                              income_share=1.0 - p.asset_depreciation * p.enterprise_capital_output)
        cols["farm_income"], cols["wage_income"] = drawn.farm_income, drawn.wage_income
        cols["enterprise_sales"], cols["enterprise_income"] = drawn.enterprise_sales, drawn.enterprise_income
        return drawn.income, employed, jobs.expected, one_adult

    def paid_at(employed, income):
        """The firms and estates at the drawn jobs ``employed`` (``held_jobs_at``), the dividends,
        public income and estate owners' income (``paid_beside_work``) they pay, and ``income``
        (the round's, at the last ones) with them."""
        held = held_jobs_at(model, init, node, employed, skill)
        now_dividends, now_other = paid_beside_work(model, init, people, first, cols, held)
        return held, now_dividends, now_other, income + now_other - other

    # one loop for the fixed point of expected jobs and productivity and for the level (by
    # ratios) and spread (by bisection, between REST_LEVEL_ROUNDS rounds of the level alone)
    level, spread, expected, local = np.ones(n), np.ones(n), cols["employed"].astype(float), np.ones(n)
    low, high = np.full(n, REST_SPREAD_RANGE[0]), np.full(n, REST_SPREAD_RANGE[1])
    poor = at_one = want_poor
    rising = np.ones(n, bool)  # whether a node's poverty rises with the spread (measured below)
    best, miss = spread.copy(), np.full(n, np.inf)
    halvings = range(REST_LEVEL_ROUNDS, REST_LEVEL_ROUNDS + REST_SPREAD_HALVINGS)
    for round_ in range(2 * REST_LEVEL_ROUNDS + REST_SPREAD_HALVINGS):
        if round_ == halvings.start:  # the first halving's point also shows which way poverty goes
            at_one, spread = poor, 0.5 * (low + high)
        elif round_ in halvings:
            if round_ == halvings.start + 1:
                rising = poor >= at_one
            down = (poor > want_poor) == rising  # a smaller spread brings poverty nearer the drawn
            high, low = np.where(down, spread, high), np.where(down, low, spread)
            spread = 0.5 * (low + high)
        elif round_ == halvings.stop:
            spread = best  # where poverty came nearest (its response to the spread is not always monotone)
        income, employed, expected, _ = allocate(level, spread, expected, local, final=False)
        held, dividends, other, income = paid_at(employed, income)
        local = local_sales_share(model, init, node, held, income, cols["enterprise_sales"], dividends, members, draws)
        mean = bincount(node, income, minlength=n) / persons
        poor = poverty(income)
        if round_ in halvings:
            nearer = np.abs(poor - want_poor) < miss
            best, miss = np.where(nearer, spread, best), np.where(nearer, np.abs(poor - want_poor), miss)
        level *= np.where(mean > 0, want_mean / np.maximum(mean, 1e-9), 1.0)
        # at most the target incomes of the node's farming households: beyond the farms' residuals
        # every farm farms its whole residual (``split_residual``), so more changes nothing
        want_farm = np.maximum(table_farm - bincount(node, other + remittances, minlength=n), 0.0)
        farm_beyond = np.minimum(farm_beyond + want_farm - bincount(node, cols["farm_income"], minlength=n),
                                 bincount(node, np.where(farms, cols["income"], 0.0), minlength=n))
    # the local shares of the final spread (the level still moving to the drawn means): a node's
    # step toward the share its jobs sell at halves each time the move turns back (the drawn jobs
    # make the share a step function of it, which cycled at some seeds: Puerto Nuevo at seed 6
    # with rho 0.2, 0.2017, 0.2083, 0.1796, ...)
    # each node's level moves by a power of the ratio that halves each time its miss turns
    # back, and the expected jobs that the next round's productivity is backed out at go half
    # way to this round's (the chain's chance and the productivity backed out at the expected
    # jobs cycled in two at some nodes: seed 3, scale 0.1, referral weight 0.5, a node's chance
    # 0.211, 0.235, 0.211, ... and its mean income 2 % above and below the drawn one)
    step, moved = np.ones(n), np.zeros(n)
    level_step, level_miss = np.ones(n), np.zeros(n)
    for round_ in range(REST_SHARE_ROUNDS):
        income, employed, next_expected, one_adult = allocate(level, spread, expected, local)
        held, dividends, other, income = paid_at(employed, income)
        expected = expected + REST_EXPECTED_STEP * (next_expected - expected)
        settled = local_sales_share(model, init, node, held, income, cols["enterprise_sales"], dividends, members, draws)
        gap = settled - local
        mean = bincount(node, income, minlength=n) / persons
        ratio = np.where(mean > 0, want_mean / np.maximum(mean, 1e-9), 1.0)
        if ((np.abs(gap).max() < REST_SHARE_TOLERANCE and np.abs(ratio - 1.0).max() < REST_LEVEL_TOLERANCE)
                or round_ == REST_SHARE_ROUNDS - 1):
            break  # ``local`` is the share these jobs were drawn at, ``level`` their level
        step = np.where(gap * moved < 0, 0.5 * step, step)
        moved = step * gap
        local = local + moved
        miss = ratio - 1.0
        level_step = np.where(miss * level_miss < 0, 0.5 * level_step, level_step)
        level_miss = miss
        level *= ratio ** level_step
    model.start_local_share = local
    placed = backed_out["own_account"]  # the own-account enterprises the last round's chain weighed
    cols["enterprise_scale"] = cols["enterprise_scale"] + placed
    cols["enterprise_capital"] = cols["enterprise_capital"] + p.enterprise_capital_output * placed
    cols["enterprise_own_account"] = placed > 0
    cols["tfp"] = farm_tfp(model, cols, farms, fixed, backed_out["labour_power"], backed_out["farm_income"])
    # the farms whose adults all hold jobs earn nothing this year; their land is valued at what
    # it yields with one adult (``land_market.start``), as when a worker comes back to it
    model.start_idle_farm_income = np.where(farms & (employed >= adults), one_adult, 0.0)
    model.start_rest_poverty_miss = poverty(income) - want_poor
    cols["income"] = drawn_income
    cols["employed"] = employed
    kept, factor = held_jobs(init, node, employed, n)
    init.jobs *= factor[:, None]
    model.start_wage_jobs["kept"] = kept
    model.worker_skill = worker_skill(employed=employed, skill=skill, node=node, n_nodes=n)
    # the estates keep the profits planned for their owners with the jobs they now hold
    plan_estates_at(model, model.estates, init, init.jobs[:, 0], model.worker_skill)


def own_account_at_rest(p, node, adults, employed, farms, owns, capital, scale, placed, assets, power, skill,
                        best_wage, chance, skill_weight, u) -> np.ndarray:
    """The scale of the own-account enterprise each household runs at the start (0: none): those
    without a livelihood of their own at the jobs ``employed`` (no farm, wage job, enterprise or
    estate; adults and savings), or ``placed`` in the round before whatever their jobs, at the
    rest of the run's entry and exit (``enterprises.open_own_account`` at ``own_account_entry``
    e a year, ``enterprises.close_own_account`` at ``own_account_exit`` x a year): of those for
    whom one pays, a share e / (e + x) runs one (the two-state chain's rest; all of them at x =
    0), drawn by ``u``. As in the run, the enterprise is of ``own_account_scale`` times its
    node's typical scale or of the scale the savings pay for, and it pays where the run's rule says so
    (``enterprises.own_account_pays`` at price 1 with all the household's adults in it,
    ``power`` (1 + L)^e', the ``best_wage`` per skill unit reachable and the node's rest
    ``chance``; NaN, no chance yet: none). The typical scale is the mean over the node's
    enterprises (those backed out of incomes, ``capital`` and ``scale``, and the own-account
    ones ``placed`` in the round before; None: none yet), none where the node has none (the
    run's rule scales one to the node's incomes there). ``start_market.enterprises_outside``
    then cuts every enterprise's scale, these included, to the part its node's market buys,
    which makes their local scale the run's typical one (the run's entrants sell only locally;
    these keep the rest of their sales outside). (Weighing the start's enterprises at the cut
    scale here made the placements and the nodes' local shares cycle: Puerto Nuevo at seed 6.)
    None where e = 0 (``u`` None)."""
    if u is None:
        return np.zeros(len(node))
    n = len(best_wage)
    runs = capital > 0
    placed = np.zeros(len(node)) if placed is None else placed
    counted = runs | (placed > 0)
    count = np.bincount(node, counted, minlength=n)  # (0 where a node has none: its typical scale is 0)
    typical = np.bincount(node, np.where(counted, scale + placed, 0.0), minlength=n) / np.maximum(count, 1)
    size = np.minimum(p.own_account_scale * typical[node], np.maximum(assets, 0.0) / p.enterprise_capital_output)
    pays = enterprises.own_account_pays(p, scale=size, power=power, price=1.0, adults=adults, skill=skill,
                                        best_wage=best_wage[node], chance=chance[node], weight=skill_weight)
    share = 1.0 if p.own_account_exit <= 0 else p.own_account_entry / (p.own_account_entry + p.own_account_exit)
    # a household placed in the round before keeps its enterprise if one of its adults drew a job
    # (as in the run, where a job does not close it); without that the placements cycled
    at = ~farms & ~owns & ~runs & ((employed <= 0) | (placed > 0)) & (adults > 0) & pays & (u < share)
    return np.where(at, size, 0.0)


def held_jobs(init, node: np.ndarray, employed: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each node's wage jobs held (``employed`` summed by ``node``, persons) and their ratio to
    the firms' jobs ``init.jobs`` (0 where the node had none): the factor that scales its jobs
    by sector to those held."""
    held = bincount(node, employed, minlength=n)
    before = init.jobs.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return held, np.where(before > 0, held / before, 0.0)


def local_sales_share(model, init, node: np.ndarray, held: HeldJobs, income: np.ndarray,
                      sales: np.ndarray, dividends: np.ndarray, members: np.ndarray,
                      draws: ReplayedDraws | None = None) -> np.ndarray:
    """Share of its enterprises' ``sales`` (USD/yr at price 1, by household) that each node's
    local market buys at price 1 (``start_market.enterprises_outside``) when the firms hold the
    households' wage jobs (``held``, ``held_jobs_at``) and the households have ``income`` (USD/yr,
    of which ``dividends``), at the assets at rest of that income: the firms are those these jobs
    make (``firm_plan`` with the draws the population stream will give ``firms``), their workers
    of the node's mean skill at those jobs, and the local spending is that of the start's
    consumption rule (``starting_consumption``). 1 where a node's enterprises sell nothing.
    ``node``: each household's node; ``draws``: the population stream's next draws
    (:class:`ReplayedDraws`, made here if not given)."""
    n, beta = model.n_nodes, model.params.firm_labour_elasticity
    factor, mean_skill = held.factor, held.worker_skill
    plan = firm_plan(model, init.jobs * factor[:, None], estates.jobs_by_node(model.estates, n) * factor,
                     ReplayedDraws(model.streams["population"]) if draws is None else draws)
    revenue = np.bincount(plan.node, plan.workers * mean_skill[plan.node] * init.wage[plan.node] * ~plan.dynamic,
                          minlength=n) / beta
    spend = consumption_at(model.params, income, dividends, steady_state_assets(model, income, members, dividends),
                           members)
    room = local_room(model.params, bincount(node, spend, minlength=n), revenue)
    supply = bincount(node, sales, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(supply > 0, np.minimum(room / supply, 1.0), 1.0)


def settler_tfp(model) -> np.ndarray:
    """Median farm TFP of each node's farming households at the start per adult's part of their
    management, TFP / k^r with k adults (0 where none farms; r ``households.management_share``):
    the TFP of a household of one adult that settles there without a farm, k^r times it for k
    adults (``migration.settle_farms``)."""
    hh = model.households
    farmers = np.flatnonzero(hh.alive & (hh.tfp > 0))
    tfp = hh.tfp[farmers] / np.power(np.maximum(hh.adults[farmers], 1), management_share(model.params))
    return node_medians(tfp, hh.node[farmers], model.n_nodes)


def node_medians(values: np.ndarray, node: np.ndarray, n_nodes: int) -> np.ndarray:
    """The median of ``values`` at each node (``node`` by value; 0 where a node has none)."""
    order = np.argsort(node, kind="stable")  # by node
    values = values[order]
    count = np.bincount(node, minlength=n_nodes)
    first = np.cumsum(count) - count
    median = np.zeros(n_nodes)
    for g in np.flatnonzero(count):  # each node's middle values (a partition finds them without a sort)
        low, high = (count[g] - 1) // 2, count[g] // 2
        middle = np.partition(values[first[g]:first[g] + count[g]], (low, high))
        median[g] = 0.5 * (middle[low] + middle[high])
    return median


class IncomeShares(NamedTuple):
    """Each node's starting income mix (shares of its households' income; NaN where it has none)."""

    nonfarm: np.ndarray      # earned outside farming: wages and enterprises, as the tables count it
    beside_farm: np.ndarray  # all but the farms' and the estates' income: transfers and remittances too


def income_shares(model) -> IncomeShares:
    """Each node's starting income mix: the share earned outside farming, as the tables'
    ``nonfarm_income_share`` counts it (wage and enterprise income over income), and the share
    that is not farm income, 1 - (farm income + the estates' profits after tax) / income, public
    income, dividends and remittances included (the non-farm share of tables that count them).
    The start pays the tables' share as wages and backs farm income out of the rest less public
    income, dividends, the estates' owners' profits and remittances (``split_residual``), so the
    first holds where the farms can earn theirs; a city's farms earn at most at the territory's
    farm productivity (``cap_city_farms``), so a city whose tables give it more farm income than
    its land yields starts with more of its income in enterprises."""
    hh, n = model.households, model.n_nodes
    alive = hh.alive
    node = hh.node[alive]
    income = bincount(node, hh.income[alive], minlength=n)
    earned = bincount(node, (hh.wage_income + hh.enterprise_income)[alive], minlength=n)
    farm = bincount(node, hh.farm_income[alive], minlength=n) + bincount(
        model.estates.node, (1.0 - model.params.firm_tax_rate) * model.estates.profit, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return IncomeShares(np.where(income > 0, earned / income, np.nan),
                            np.where(income > 0, 1.0 - farm / income, np.nan))


def table_wage_jobs(model, node: np.ndarray, adults: np.ndarray) -> np.ndarray:
    """Wage jobs by node of the tables' ``wage_share`` of working-age adults (persons)."""
    share = np.nan_to_num(model.territory.table["wage_share"])
    return np.round(share * bincount(node, adults, minlength=model.n_nodes)).astype(np.int64) * model.populated


def priced_out(model, cols: dict, init, public: np.ndarray, farms: np.ndarray, skill: np.ndarray) -> np.ndarray:
    """Nodes with a household that does not farm and has an adult without a wage job, whose
    income (after ``public`` income) cannot pay one more job at the node's wage per skill unit
    (``init.wage``): their jobs are short because the wage is above what such a household's
    income allows (``consistent_start_jobs``), not because farms want the workers."""
    return priced_out_nodes(income=cols["income"], wage=init.wage, skill=skill, employed=cols["employed"],
                            adults=cols["adults"], public=public, farms=farms, node=cols["node"], n_nodes=model.n_nodes)


def no_commuting_wages(model, wage: np.ndarray, hiring: np.ndarray) -> np.ndarray:
    """Starting wages per skill unit (USD/yr) at which no worker gains by commuting: each
    hiring node's ``wage`` lowered, where needed, to the wage of every node whose workers can
    reach it divided by the share of it they would keep after commuting, w_j <= w_i / s_ij
    (repeated until no wage changes), the share before the fixed cost of a commute (which
    then stands between every starting worker and a commute). The tables give one wage per node, backed out as the
    non-farm income per wage worker, which in a city includes the incomes of its own-account
    enterprises; at that wage every worker within reach would commute to the city. At these
    wages the labour market's own rule (``markets.match_labour``, which ranks jobs by the
    wage per skill unit) keeps every starting worker at home; what the cut takes from the
    tables' non-farm income is enterprise income (``split_residual``)."""
    net_share = labour.commuting_share(model, fixed=False)
    origin, dest = model.commute.origin(), model.commute.dest
    reach = hiring[origin] & hiring[dest] & (net_share > 0) & (origin != dest)
    origin, dest, net_share = origin[reach], dest[reach], net_share[reach]
    wage = wage.copy()
    for _ in range(model.n_nodes):
        bound = np.full(model.n_nodes, np.inf)
        np.minimum.at(bound, dest, wage[origin] / net_share)
        capped = np.minimum(wage, bound)
        if np.array_equal(capped, wage):
            break
        wage = capped
    return wage


def split_residual(model, residual: np.ndarray, income: np.ndarray, capacity: np.ndarray,
                   node: np.ndarray, unearned: np.ndarray | None = None,
                   local: np.ndarray | None = None, beyond: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Farm and enterprise income (USD/yr) of each household from its ``residual`` income
    (after wages, public income and remittances).

    The tables' ``nonfarm_income_share`` is the share of income earned outside farming (wages
    and non-farm enterprises, as surveys' rural non-farm income counts it); the rest of the
    income is farm income (the estates' profits among it) and income not earned by work. So the
    node's farm income is 1 - ``nonfarm_income_share`` of its income less its ``unearned``
    income (USD/yr by node: public income, dividends, the estates' owners' profits and
    remittances; none if not given; until session 51 only the estates' profits, which put
    public income and remittances on top of the tables' non-farm share: docs/model_choices.md,
    "Town farms at the start"), plus ``beyond`` (USD/yr by node, none
    if not given: what the start at turnover's rest adds so that the farms earn the tables'
    share at the jobs it draws, ``jobs_at_turnover_rest``).
    A farming household (``capacity`` > 0: land^a labour^b) farms up to tau times its capacity,
    tau found per node (bisection on log tau) so that the node's farm income is the tables';
    what its residual holds beyond that is the income of a non-farm enterprise if it is at
    least ``MIN_ENTERPRISE_SHARE`` of its income (else it is farm income too). Farm income is
    at least ``MIN_FARM_INCOME_SHARE`` of the income earned locally (``local``: income without
    remittances from abroad; the whole income if not given) and never negative (a household whose
    remittances exceed its target income in a round of the start earns nothing locally and farms
    at a floor of none, not below it). A household that does not farm runs an
    enterprise with all its positive residual. Where residuals fall short of the tables'
    farm income, every farming household farms its whole residual (no enterprises)."""
    n = model.n_nodes
    nonfarm = np.nan_to_num(model.territory.table["nonfarm_income_share"])
    target = (1.0 - nonfarm) * bincount(node, income, minlength=n)
    if unearned is not None:
        target = np.maximum(target - unearned, 0.0)
    if beyond is not None:
        target = np.maximum(target + beyond, 0.0)
    floor = MIN_FARM_INCOME_SHARE * np.maximum(income if local is None else local, 0.0)
    farms = capacity > 0
    top = np.where(farms, np.maximum(residual, floor), 0.0)

    grouped = farm_rows(capacity=capacity, floor=floor, top=top, node=node, n_nodes=n)
    # the midpoints the next halvings can reach (0.5 (low + high) of each bracket, as one
    # halving at a time gives them) and their scales, in one call of numpy's exp
    grid = halving_grid(low=np.full(n, -30.0), high=np.full(n, 30.0), halvings=min(TAU_LOOKAHEAD, TAU_BISECTIONS))
    for done in range(0, TAU_BISECTIONS, TAU_LOOKAHEAD):
        following = min(TAU_LOOKAHEAD, max(TAU_BISECTIONS - done - TAU_LOOKAHEAD, 0))
        grid = farm_scale_halvings(grid=grid, points=np.exp(grid), target=target, capacity=grouped.capacity,
                                   floor=grouped.floor, top=grouped.top, first=grouped.first, halvings=following)
    split = farm_split(scale=np.exp(grid[:, -1]), capacity=capacity, floor=floor, top=top, residual=residual,
                       income=income, node=node, min_enterprise_share=MIN_ENTERPRISE_SHARE)
    return split.farm, split.enterprise


def consistent_start_jobs(model, cols: dict, init, public: np.ndarray, farms: np.ndarray, skill: np.ndarray,
                          table_jobs: np.ndarray) -> np.ndarray:
    """Starting wage jobs per household that the model's own job rule keeps (persons).

    The synthetic start gives jobs in proportion to income; a worker earns the node's wage
    per skill unit times their ``skill`` (``labour.skill``). With farm income backed out as
    income minus wages and public income, a farming household keeps its workers only while
    its farm's marginal product at its family labour L stays below the best net wage W
    within reach: b F / (L^b W) < (L + 1/2)^(1 - b), F its farm income (the rule of
    ``labour_kernels.seek_work``); a household that does not farm (``farms`` False) keeps them
    all, as long as its income (``cols["income"]``: without remittances from abroad, which the
    tables' incomes include) pays their wages beside its public income (and leaves a farm a
    tenth of it). Households that break this give up one job at a time (the worker returns
    to the farm, whose income rises by the wage); each node's freed jobs go, with the jobs of
    the tables' wage share of adults (``table_jobs`` by node, ``table_wage_jobs``) that the
    draw could not place, one per household and round (``start_kernels.keep_jobs``), to the
    households that would keep them most easily among those that can take one with an adult
    still on the farm (any adult not employed, for a household that does not farm) and farm
    income at least a tenth of their income (income not below wages and public income, for
    one that does not farm). Incomes are unchanged; jobs no household can keep are dropped
    (the node's firms start smaller; ``init.jobs`` is scaled in place and
    ``model.start_wage_jobs`` records jobs drawn and kept by node). Without this, about a
    sixth of the starting workers went back to their farms in the first year and poorer
    households took their jobs.
    """
    b = model.params.farm_labour_elasticity
    adults = cols["adults"]
    _, best = labour.best_net_wage(model, init.wage, init.jobs.sum(axis=1) > 0)
    family = np.arange(int(adults.max(initial=0)) + 1)  # family labour L: L^b and (L + 1/2)^(1 - b) by table
    jobs = keep_jobs(employed=cols["employed"], adults=adults, income=cols["income"], unit_wage=init.wage, skill=skill,
                     public=public, best_wage=best, farms=farms, node=cols["node"], table_jobs=table_jobs,
                     power_family=np.power(np.maximum(family, 1), b), power_half=np.power(family + 0.5, 1.0 - b),
                     elasticity=b, min_farm_share=MIN_FARM_INCOME_SHARE)
    before = init.jobs.sum(axis=1)
    model.start_wage_jobs = {"drawn": before.copy(), "kept": jobs.kept}
    with np.errstate(invalid="ignore", divide="ignore"):
        init.jobs *= np.where(before > 0, jobs.kept / before, 0.0)[:, None]
    return jobs.employed


def steady_state_assets(model, income: np.ndarray, members: np.ndarray,
                        dividends: np.ndarray | None = None) -> np.ndarray:
    """Assets (USD) at which a household's yearly saving at ``income`` (USD/yr) just makes
    good their wear (``asset_depreciation``), so that wealth is stationary at the start:
    saving / depreciation, zero for households at or below subsistence. ``dividends``
    (USD/yr, part of ``income``) arrive after the year's consumption and are saved whole."""
    p = model.params
    dividends = np.zeros(len(income)) if dividends is None else dividends
    budget = income - dividends
    saving = budget - consumption(income=budget, cash=np.full(len(income), np.inf), members=members,
                                  subsistence_pc=p.subsistence_pc, consumption_share=p.consumption_share)
    return np.maximum(saving + dividends, 0.0) / p.asset_depreciation


def starting_taxes(model, init, held: HeldJobs | None = None) -> np.ndarray:
    """Yearly taxes (USD/yr) by node of the starting firms, which earn the required return on
    their capital: the municipalities' tax revenue of the year before the start (``held``:
    of the firms at those jobs, ``held_jobs_at``)."""
    p = model.params
    planned = model.estates if held is None else held.estates
    return (p.firm_tax_rate * p.required_return * _starting_capital(model, init, held)
            + estates.starting_taxes(p, planned, model.n_nodes)) * model.populated


def starting_dividends(model, init, held: HeldJobs | None = None) -> np.ndarray:
    """Dividends (USD/yr) by node that the starting firms pay to local households when they
    earn the required return (the rule of ``firms.accounts``; the estates pay their owners;
    ``held``: the firms at those jobs, ``held_jobs_at``)."""
    p = model.params
    after_tax = (1.0 - p.firm_tax_rate) * p.required_return * _starting_capital(model, init, held)
    return p.dividend_payout * after_tax * p.local_ownership_share * model.populated


class HeldJobs(NamedTuple):
    """The firms' jobs at a draw of the households' jobs, before ``init.jobs`` is scaled to it
    (``held_jobs_at``)."""

    factor: np.ndarray        # each node's jobs held over the firms' jobs (``held_jobs``)
    worker_skill: np.ndarray  # the mean skill units of each node's workers at that draw
    estates: estates.Estates  # a copy of the estates with those jobs and the profits they then plan


def held_jobs_at(model, init, node: np.ndarray, employed: np.ndarray, skill: np.ndarray) -> HeldJobs:
    """The firms' jobs if they held the households' ``employed`` (persons) of ``skill`` units,
    as ``jobs_at_turnover_rest`` sets them once its rounds end: each
    node's jobs by sector scaled to those held, the estates sharing the node's farm jobs and
    planning their profits at them (a copy: ``model.estates`` is left as it is)."""
    factor = held_jobs(init, node, employed, model.n_nodes)[1]
    at = worker_skill(employed=employed, skill=skill, node=node, n_nodes=model.n_nodes)
    planned = copy.copy(model.estates)  # each call re-plans from the profits planned before the rounds
    plan_estates_at(model, planned, init, init.jobs[:, 0] * factor, at)
    return HeldJobs(factor, at, planned)


def plan_estates_at(model, planned: estates.Estates, init, farm_jobs: np.ndarray, skill_by_node: np.ndarray) -> None:
    """The estates ``planned`` at each node's commercial agriculture jobs ``farm_jobs`` (persons)
    and its workers' mean skill ``skill_by_node``: their jobs shared by land and the profits
    planned before kept where their labour still earns them (``estates.plan_profits``, which
    can only lower a profit the jobs no longer pay)."""
    p = model.params
    estates.share_jobs(planned, farm_jobs, skill_by_node)
    estates.plan_profits(p, planned, init.wage, (1.0 - p.firm_tax_rate) * planned.profit,
                         capital_per_worker(p, init.wage))


def _starting_capital(model, init, held: HeldJobs | None = None) -> np.ndarray:
    """Capital (USD) by node of the starting firms other than estates: their jobs' skill units
    at the capital per skill unit that earns the required return at the node's wage per skill
    unit (``held``: at those jobs and skill instead of ``init.jobs`` and ``model.worker_skill``)."""
    jobs = init.jobs.sum(axis=1) - estates.jobs_by_node(model.estates, model.n_nodes)
    if held is None:
        return capital_per_worker(model.params, init.wage) * jobs * model.worker_skill
    return capital_per_worker(model.params, init.wage) * jobs * held.factor * held.worker_skill


def _share_by_assets(node_amount: np.ndarray, node: np.ndarray, assets: np.ndarray, n: int) -> np.ndarray:
    """Each node's ``node_amount`` shared among its households in proportion to assets + 1
    (as ``kernels.pay_dividends`` pays dividends)."""
    weight = bincount(node, assets + 1.0, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num(node_amount / weight)[node] * (assets + 1.0)


def node_people(model, cols: dict) -> tuple[np.ndarray, np.ndarray]:
    """Persons and adults by node of the household columns ``cols`` (float)."""
    n = model.n_nodes
    return (bincount(cols["node"], cols["members"], minlength=n).astype(float),
            bincount(cols["node"], cols["adults"], minlength=n).astype(float))


def public_income_per_adult(model, init, people: tuple[np.ndarray, np.ndarray],
                            held: HeldJobs | None = None) -> np.ndarray:
    """Public spending paid as local incomes per adult at the start, by node (USD/yr):
    the local content of national transfers and of the taxes firms pay when they earn the
    required return, and of the national level's own spending (the transfers it keeps). It is part of the starting income the data report, so farm income
    (and farm productivity) is backed out net of it. ``people``: persons and adults by node
    (``node_people``); ``held``: the firms' taxes at those jobs (``held_jobs_at``)."""
    p = model.params
    pop, adults = people
    budget = (p.national_transfer_pc * p.decentralisation_share * pop + starting_taxes(model, init, held)) * model.populated
    national = p.national_transfer_pc * (1.0 - p.decentralisation_share) * pop * model.populated
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num((p.local_content_share * budget + p.national_local_content_share * national) / adults)


class FirmPlan(NamedTuple):
    """The starting firms other than estates, one row each (``firm_plan``)."""

    node: np.ndarray     # (firms,) node
    sector: np.ndarray   # (firms,) sector (``SECTORS`` order)
    workers: np.ndarray  # (firms,) workers (persons)
    dynamic: np.ndarray  # (firms,) whether it sells to dynamic markets


def firm_plan(model, jobs: np.ndarray, in_estates: np.ndarray, rng) -> FirmPlan:
    """The firms that a node's wage ``jobs`` by sector (persons, nodes x sectors) make besides
    its estates' ``in_estates`` commercial agriculture jobs (persons by node): each sector's
    jobs in firms of ``workers_per_firm`` (at least one where they are half a job or more). Of
    the ``k`` firms of a node and tradable sector, ``floor(k * share + u)`` sell to dynamic
    markets (``share`` the node's ``dynamic_market_share``, ``u`` that node and sector's
    uniform): ``k * share`` on average and within one firm of it. ``rng`` (a ``Generator`` or
    :class:`ReplayedDraws`) gives one uniform per node and sector, every node and sector whatever
    the jobs, so a node's count moves only with its own firms. (One draw per firm, node by node
    and sector by sector, shifted every later node's draws when a node's firms changed by one:
    in the start's share rounds a city's firms going 34 -> 33 -> 34 turned another city's
    dynamic firms 10 -> 9 -> 10 and its local share jumped by about 0.07 each round; session 40.)"""
    p, share = model.params, np.nan_to_num(np.asarray(model.territory.table["dynamic_market_share"], float))
    u = np.asarray(rng.random(jobs.size)).reshape(jobs.shape)
    populated = np.flatnonzero(model.populated)
    held = jobs[populated].astype(float)
    held[:, 0] = held[:, 0] - in_estates[populated]
    node, sector = np.nonzero(~(held < 0.5))  # by node, then sector
    if not node.size:
        return FirmPlan(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool))
    held, node = held[node, sector], populated[node]
    if not np.isfinite(held).all():
        raise ValueError("firm_plan: the wage jobs by node and sector must be finite")
    k = np.maximum(np.round(held / p.workers_per_firm).astype(np.int64), 1)
    dynamic = np.where(TRADABLE[sector], np.floor(k * share[node] + u[node, sector]), 0).astype(np.int64)
    rank = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)  # each firm's place among its cell's
    return FirmPlan(np.repeat(node, k), np.repeat(sector, k), np.repeat(held / k, k), rank < np.repeat(dynamic, k))


def firms(model, init) -> None:
    """Starting firms: the node's wage jobs by sector in firms of ``workers_per_firm``
    (``firm_plan``), each with the capital that earns the required return at the node's wage
    per skill unit and the TFP at which it wants exactly the skill units of its workers (the
    node's mean starting worker skill, ``model.worker_skill``, each), and the estates
    (:func:`estate_firms`), which hold the node's commercial agriculture jobs where it has
    estates (sets ``model.entrant_tfp`` too)."""
    p = model.params
    plan = firm_plan(model, init.jobs, estates.jobs_by_node(model.estates, model.n_nodes), model.streams["population"])
    if plan.node.size:
        wage = init.wage[plan.node]
        units = plan.workers * model.worker_skill[plan.node]
        capital = capital_per_worker(p, wage) * units
        price = np.where(plan.dynamic, model.farm_gate[plan.node], 1.0)
        add_firms(model, {"node": plan.node, "sector": plan.sector, "dynamic": plan.dynamic,
                          "tfp": tfp_for_labour(units, capital, price, wage, p.firm_labour_elasticity,
                                                p.firm_capital_elasticity),
                          "capital": capital, "wage": wage, "labour": units, "workers": plan.workers})
    estate_firms(model, init)
    model.entrant_tfp = entrant_tfp(model)


def estate_firms(model, init) -> None:
    """The estates' rows of the firm table: commercial agriculture selling to dynamic markets
    at the farm gate, with the starting jobs (``workers``, persons, and ``labour``, their skill
    units), wage per skill unit and capital of ``model.estates`` and the TFP at which each
    wants exactly its workers' skill units (sets the estates' ``firm_row`` and
    ``productivity``, TFP over land^g); each holds last year's profit after tax in cash, which
    it pays its owner in the first year's budgets."""
    p, e = model.params, model.estates
    if e.n == 0:
        return
    wage = init.wage[e.node]
    with np.errstate(invalid="ignore", divide="ignore"):
        tfp = np.nan_to_num(tfp_for_labour(e.labour, e.capital, model.farm_gate[e.node], wage,
                                           p.firm_labour_elasticity, p.firm_capital_elasticity))
    e.firm_row = np.arange(model.firm_table.n, model.firm_table.n + e.n)
    e.productivity = tfp / np.power(e.land, p.estate_land_elasticity)
    add_firms(model, {"node": e.node, "sector": np.zeros(e.n, np.int8), "dynamic": np.ones(e.n, bool),
                      "tfp": tfp, "capital": e.capital, "wage": wage, "labour": e.labour,
                      "workers": e.workers,
                      "revenue": wage * e.labour / p.firm_labour_elasticity,
                      "cash": (1.0 - p.firm_tax_rate) * e.profit})  # last year's profit, owed to the owner


def entrant_tfp(model) -> np.ndarray:
    """TFP of a typical entrant by node and sector (nodes x sectors).

    The sector's median TFP among the starting firms, times the node's productivity
    index (the median ratio of its firms' TFP to their sector medians; 1 where the node
    has no firms). Entrants are thus as productive as the local incumbents, so that the
    start is no invitation to enter and entry follows changes (prices, roads, schooling).
    TFPs are compared per worker: labour is in skill units, so a firm of workers of mean
    skill t has t^-b times the TFP of the same firm counted in workers (b the labour
    elasticity); the medians are taken over TFP t^b and each node's back in its own units.
    An estate counts as the firms that :func:`firms` would have made of its jobs: as many
    (about ``workers_per_firm`` workers each), the node's ``dynamic_market_share`` of them
    selling at the farm gate and the rest locally (at price 1), each with the TFP at which a
    firm of that size with the capital that earns the required return wants its workers' skill
    units at its price; its own TFP holds its land, which an entrant does not have. (Counted
    once, as one row, an estate of 100 jobs weighed in the medians as one firm instead of
    twenty, and the entrants' TFP of the example's cities rose 3-7 %: commercial agriculture
    firms entered the cities, 126 -> 140 and 124 -> 165 jobs in 12 years of seeds 1 and 2 with
    the start otherwise at rest, and those jobs went to the more schooled.)
    """
    p, ft, e = model.params, model.firm_table, model.estates
    tfp, sector, node = ft.tfp, ft.sector, ft.node
    if e.n:
        # an estate without workers at the start (drawn with none) makes no firm: its TFP per
        # unit of labour is undefined (NaN medians stopped firm entry: ``lam value too large``)
        k = np.where(e.labour > 0, np.maximum(1, np.round(e.workers / p.workers_per_firm)), 0).astype(np.int64)
        owner = np.repeat(np.arange(e.n), k)
        place = np.arange(owner.size) - np.repeat(np.cumsum(k) - k, k)  # each firm's place among its estate's
        share = np.nan_to_num(model.territory.table["dynamic_market_share"])[e.node[owner]]
        price = np.where((place + 0.5) / k[owner] < share, model.farm_gate[e.node[owner]], 1.0)
        units, wage = e.labour[owner] / k[owner], ft.wage[e.firm_row][owner]
        as_firms = tfp_for_labour(units, capital_per_worker(p, wage) * units, price, wage,
                                  p.firm_labour_elasticity, p.firm_capital_elasticity)
        others = np.ones(ft.n, bool)
        others[e.firm_row] = False
        tfp = np.concatenate([tfp[others], as_firms])
        sector = np.concatenate([sector[others], sector[e.firm_row][owner]])
        node = np.concatenate([node[others], e.node[owner]])
    per_worker = np.power(model.worker_skill, p.firm_labour_elasticity)
    tfp = tfp * per_worker[node]
    overall = float(np.median(tfp)) if tfp.size else 1.0
    sector_median = np.array([np.median(tfp[sector == s]) if np.any(sector == s) else overall
                              for s in range(len(SECTORS))])
    ratio = tfp / sector_median[sector] if tfp.size else tfp
    index = np.array([np.median(ratio[node == i]) if np.any(node == i) else 1.0 for i in range(model.n_nodes)])
    return (index / per_worker)[:, None] * sector_median[None, :]


def starting_consumption(model) -> np.ndarray:
    """Each household's consumption at its starting income (USD/yr), by the rule of the
    year's budgets: from income before dividends (they arrive after consumption) and the
    cash left after the assets' upkeep."""
    hh = model.households
    return consumption_at(model.params, earned_income(model), model.start_dividends, hh.assets, hh.members)


def job_finding(model) -> np.ndarray:
    """Expected chance of being hired of a new seeker of hiring weight 1, per node, at which
    the new seekers the start's wages and expectations bring, and the workers who lose their
    job (``job_separation_rate`` of those who live), take in expectation the jobs that
    workers' deaths (``death_rate`` times the node's workers, times ``death_job_share``: the run
    frees them since session 47, where before the household kept them) and separations free in a
    year (Harris–Todaro with turnover). Found by bisection on [0, 1]. The first year's hiring gives
    less: deaths come after its labour market, so it hires nobody new without separations and
    0.83-0.93 of this chance with them (docs/model_choices.md, "Job turnover in the registry")."""
    p, hh, n = model.params, model.households, model.n_nodes
    offers = labour.job_offers(model, model.firm_table.labour * model.firm_table.alive)
    separated = p.job_separation_rate * (1.0 - p.death_rate)
    freed = (p.death_rate * p.death_job_share + separated) * bincount(hh.node, hh.employed * hh.alive, minlength=n)
    own, in_enterprise = labour.own_work_revenue(model, labour.farm_revenue_at_one_worker(model))
    return equilibrium_job_finding(
        adults=labour.adults_in_labour_market(model), alive=hh.alive, employed=hh.employed,
        farm_revenue_at_one_worker=own / labour.skill(model), node=hh.node,
        best_wage=offers.best_wage, hiring_weight=labour.hiring_weight(model), hires=freed, separated=separated,
        farm_labour_elasticity=p.farm_labour_elasticity,
        farm_labour_thresholds=labour.farm_labour_thresholds(model),
        enterprise_thresholds=labour.enterprise_labour_thresholds(model), in_enterprise=in_enterprise,
        n_nodes=n, iterations=BISECTION_HALVINGS)


def maturation_rate(model) -> np.ndarray:
    """Share of children reaching working age each year, by node (1/yr): the rate at which
    children are replaced as they are born at the starting birth rates, b A / C with A and C
    the node's starting adults and children and b its births per person (the households' rates
    at the starting incomes, ``demography.household_birth_rates``), so that the starting age
    structure is the one the demography keeps (the data give no ages; migration, which takes
    adults, is left out). Nodes without children get the territory's rate."""
    hh, n = model.households, model.n_nodes
    adults = bincount(hh.node, hh.adults * hh.alive, minlength=n).astype(float)
    children = bincount(hh.node, (hh.members - hh.adults) * hh.alive, minlength=n).astype(float)
    p, income = model.params, earned_income(model)
    if p.city_birth_ratio == 1.0:
        rates = household_birth_rates(p, p.birth_rate, income, hh.members, hh.alive)
    else:  # each kind's births per person, shared by income within the kind as the year's births are
        rates = sum(np.where(among, household_birth_rates(p, kind_rate, income, hh.members, among), 0.0)
                    for among, kind_rate in kind_birth_rates(p, p.birth_rate, hh, model.city_nodes))
    persons = bincount(hh.node, hh.members * hh.alive, minlength=n).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        b = bincount(hh.node, rates * hh.members * hh.alive, minlength=n) / persons
    overall = model.params.birth_rate * adults.sum() / max(children.sum(), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(children > 0, b * adults / children, overall)


def starting_migrants(model, cols: dict[str, np.ndarray], room: np.ndarray, per_migrant: float,
                      dividends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Former members abroad of each household, drawn where the start's own flows keep them
    within the tables' incomes (``migration.migrants_abroad_at_rest``: a household's
    remittances from abroad, ``per_migrant`` USD/yr each, fit in its ``room``, USD/yr),
    their expected numbers and each household's chance a year of sending a member abroad
    alone at its drawn income (``SteadyMigration.sends``, p a (1 - w); read by
    :func:`record_leavers_shares`), where each household weighs the moves its starting assets pay for
    (``steady_state_assets`` at its income, with its ``dividends``, USD/yr; at the incomes it
    would have with fewer migrants abroad, the assets of those incomes); sets
    ``model.migrant_stock``, the migrant networks the start's flows keep (origin x
    destination, persons; the rest point of ``migration.steady_migration``) and
    ``model.migration_amenity``, the nodes' amenities (``migration.balancing_amenity``), at
    which the flows are weighed."""
    t = model.territory
    services = np.where(model.populated, np.nan_to_num(np.asarray(t.table["service_quality"], float)), 1.0)
    members = cols["members"]

    def assets_at(rows: np.ndarray, income: np.ndarray) -> np.ndarray:
        return steady_state_assets(model, income, members[rows], dividends[rows])

    costly = migration.moves_cost_money(model.params)
    assets = assets_at(np.arange(len(members)), cols["income"]) if costly else None
    model.migration_amenity = migration.balancing_amenity(model, cols["income"], members, cols["adults"], cols["node"],
                                                          services, assets)
    services = services + model.migration_amenity
    steady = migration.steady_migration(model, cols["income"], members, cols["adults"], cols["node"], services,
                                        assets)
    model.migrant_stock = steady.stock
    rng = model.streams["initial_migrants"]
    sends = steady.sends  # where moves cost money, ``rate`` below at the drawn incomes is this
    if per_migrant <= 0:
        return rng.poisson(steady.abroad), steady.abroad, sends
    rate = (migration.sending_rate_at(model, steady, members, cols["adults"], cols["node"], services, assets_at)
            if costly else None)
    drawn, expected = migration.migrants_abroad_at_rest(model.params, steady, cols["income"], members,
                                                        cols["node"], per_migrant, rng, rate)
    room_for = np.floor(room / per_migrant).astype(np.int64)
    return place_within_incomes(drawn, room_for, expected, cols["node"], rng), expected, sends


def remittance_room(income: np.ndarray, committed: np.ndarray, farms: np.ndarray) -> np.ndarray:
    """Remittances (USD/yr) a household's drawn ``income`` holds beside the income ``committed``
    to other sources (wages, public income, dividends): all that is left in a household that
    does not farm; in a farming household, as much as leaves its farm at least
    ``MIN_FARM_INCOME_SHARE`` of the income earned locally (``split_residual``)."""
    left = income - committed
    return np.maximum(np.where(farms, (left - MIN_FARM_INCOME_SHARE * income) / (1.0 - MIN_FARM_INCOME_SHARE), left),
                      0.0)


def place_within_incomes(drawn: np.ndarray, room_for: np.ndarray, expected: np.ndarray, node: np.ndarray,
                         rng: np.random.Generator) -> np.ndarray:
    """Migrants abroad per household (persons) with at most ``room_for`` in each household.

    The tables' income of a household includes the remittances its migrants abroad send, so a
    household cannot have more migrants than what its income holds beyond its wages, public
    income, dividends and a tenth of its income. The migrants ``drawn`` beyond a household's
    room go, in the same node, to households with room left, drawn in proportion to their
    ``expected`` migrants, in rounds until all are placed or no household of the node has room
    (the rest are not drawn): each node keeps its migrants abroad where incomes allow, and so
    its remittances, without lifting any household above its drawn income."""
    placed = np.minimum(drawn, room_for)
    n = int(node.max(initial=-1)) + 1
    excess = bincount(node, drawn - placed, minlength=n).astype(np.int64)
    order = np.argsort(node, kind="stable")
    starts = np.searchsorted(node[order], np.arange(n))
    for _ in range(PLACEMENT_ROUNDS):
        # the households with room left weigh their expected migrants (one compiled pass each)
        cumulative, total = placement_weights(placed=placed, room_for=room_for, expected=expected, order=order,
                                              node=node, n_nodes=n)
        before = np.concatenate(([0.0], cumulative))[starts]
        excess = np.where(total > 0, excess, 0)
        if excess.sum() == 0:
            break
        to = np.repeat(np.arange(n), excess)
        target = before[to] + rng.random(to.size) * total[to]
        picks = order[np.minimum(np.searchsorted(cumulative, target, side="right"), len(order) - 1)]
        excess = place_picks(placed=placed, room_for=room_for, picks=picks, node=node, n_nodes=n)
    return placed
