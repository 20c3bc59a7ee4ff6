"""The labour market of a year: firms post vacancies, households choose how many adults
seek wage work, seekers and vacancies match within commuting range, incomes are paid.

Wages differ by skill, and firms pay per skill unit (issue 13 item 1): a worker with s years
of schooling supplies exp(r (s - mean)) skill units (:func:`skill`; r this year's ``education_return``,
moved by its context trend (``context.education_return``),
the mean over the territory's adults) and earns the wage per skill unit of the node that
employs them times that. Firms post vacancies in skill units at a wage per skill unit
(``FirmTable.wage``), so wage bills, labour demand and output are in skill units. Households
compare each adult's marginal farm product with their own skill's best wage reachable net
of commuting; new seekers plan with that wage times their expected chance of being hired
(the chance of a seeker of hiring weight 1, ``model.job_finding``, adaptive, turned into the
household's own by :func:`hiring_weight`). Matching is :func:`markets.match_labour`, over the
whole network and in skill units: every seeker applies where the wage per skill unit net of
commuting is best (it ranks destinations alike for every skill); last year's workers keep
their jobs first, and the other jobs of an origin go to its new seekers by a lottery weighted
by skill and referrals (``kernels.lottery_chance``); each home node's wages are shared among its workers by
skill. The household loops are compiled and fused in :mod:`.labour_kernels`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_array

from . import context, food, land_market
from .environment import nature_ratio
from .exact import nan_to_num
from .firms import desired_labour, firm_prices
from .households import asset_factor
from .kernels import labour_incomes
from .labour_kernels import Seeking, hire, revenue_at_one_worker, revenue_parts, seek_work
from .markets import UNFILLED_TOLERANCE, match_labour, wage_adjustment

COMMUTING_RESIDUE = 1e-9
"""Commuters (persons) below which a flow of the year's commuting is float residue of the labour
market's matching: not recorded in ``commuting.csv`` nor counted in the yearly ``commuters``
(entries of 1e-13 were, and a researcher's trial read ``commuters`` 1.9e-13 in territory.csv)."""
LOTTERY_STEPS = 60
"""Most steps when solving for the year's chance of being hired (``kernels.lottery_chance``;
Newton's method from last year's expectation takes a handful)."""


class JobOffers(NamedTuple):
    """What the firms of each node offer this year."""

    vacancies: np.ndarray   # (n,) posted vacancies by node (skill units)
    net_share: np.ndarray   # (pairs,) share of a wage at the destination kept by a commuter from the origin (``model.commute``)
    best_wage: np.ndarray   # (n,) best wage per skill unit net of commuting reachable from each node (USD/yr)
    unit_wage: np.ndarray   # (n,) mean posted wage per skill unit by node (USD/yr), 0 without vacancies


def post_vacancies(model) -> np.ndarray:
    """Each firm's posted vacancies (skill units): last year's workers moved toward the labour
    it wants at its expected price and wage by ``hiring_adjustment``; new firms post what
    they want."""
    p = model.params
    ft = model.firm_table
    target = desired_labour(ft.tfp, ft.capital, firm_prices(model), ft.wage,
                            p.firm_labour_elasticity, p.firm_capital_elasticity)
    start = np.where(ft.labour > 0, ft.labour, target)
    vac = np.where(ft.alive, start + p.hiring_adjustment * (target - start), 0.0)
    ft.vacancies = vac
    return vac


def job_offers(model, vacancies: np.ndarray) -> JobOffers:
    """Vacancies (skill units) and mean posted wage per skill unit by node, the share of a
    wage kept after commuting and the best wage per skill unit net of commuting reachable
    from each node, given each firm's ``vacancies`` (skill units)."""
    ft, n = model.firm_table, model.n_nodes
    node_vac = np.bincount(ft.node, vacancies, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit_wage = nan_to_num(np.bincount(ft.node, vacancies * ft.wage, minlength=n) / node_vac)
    net_share, best = best_net_wage(model, unit_wage, node_vac > 0)
    return JobOffers(vacancies=node_vac, net_share=net_share, best_wage=best, unit_wage=unit_wage)


def skill(model, rows: np.ndarray | None = None) -> np.ndarray:
    """Each household's skill: the skill units each of its workers supplies, which is their
    wage relative to the wage per skill unit (``skill_units`` at this year's premium per year of
    schooling, :func:`skill_shift`); of the households ``rows`` only, where given."""
    hh = model.households
    at = slice(None) if rows is None else rows
    r = context.education_return(model)
    units = r * (hh.education[at] - model.mean_education) + hh.skill_residual[at]
    if r != model.params.education_return:
        units = units + skill_shift(model, r)
    # skill_units' exp, from the model's memo over all households (the territory's mean schooling is
    # the start's: only the households whose adults' schooling changed have new values); for a few
    # households numpy's exp of their values, what the memo gives them
    return model.skill_memo(units) if rows is None else np.exp(units)


def skill_shift(model, r: float) -> float:
    """Log shift of every worker's skill units at a premium ``r`` per year of schooling other than
    the start's (``education_return``, which ``context.education_return_trend`` moves): the one
    that keeps the territory's skill units per adult what the start's premium gives its adults
    this year, so that a changed premium moves wages between the more and the less schooled
    without adding or taking labour. Computed at the year's first call and kept for the year."""
    cached = getattr(model, "_skill_shift", None)
    if cached is not None and cached[:2] == (model.year, r):
        return cached[2]
    hh = model.households
    live = np.flatnonzero(hh.alive & (hh.adults > 0))
    gap, premium, adults = hh.education[live] - model.mean_education, hh.skill_residual[live], hh.adults[live]
    # numpy's own sums, not a BLAS dot: OpenBLAS splits a long dot over its threads, so its last
    # bits (and a run's path after them) would follow the machine's cores (tests/test_reproducible.py)
    start = float(np.sum(adults * np.exp(model.params.education_return * gap + premium)))
    now = float(np.sum(adults * np.exp(r * gap + premium)))
    shift = float(np.log(start / now)) if start > 0 and now > 0 else 0.0
    model._skill_shift = (model.year, r, shift)
    return shift


def skill_units(params, education: np.ndarray, mean_education: float, premium: np.ndarray) -> np.ndarray:
    """Skill units of a worker of ``education`` (years) whose household's wage premium beyond
    schooling is ``premium`` (log): exp(r (schooling - the territory's ``mean_education``) +
    premium), r ``education_return``: the start's (the run's years use :func:`skill`, which
    follows the premium's trend)."""
    return np.exp(params.education_return * (education - mean_education) + premium)


def commuting_share(model, fixed: bool = True) -> np.ndarray:
    """Share of a wage kept after commuting, for each pair of nodes within commuting range
    (``model.commute``): 1 at home, else 1 minus ``commute_cost_per_hour`` times the travel
    time and, if ``fixed``, ``commute_fixed_cost``."""
    p, pairs = model.params, model.commute
    away = pairs.dest != pairs.origin()
    return np.clip(1.0 - p.commute_cost_per_hour * pairs.time - fixed * p.commute_fixed_cost * away, 0.0, 1.0)


def best_net_wage(model, node_wage: np.ndarray, hiring: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The share of a wage kept after commuting (pairs within commuting range) and the best
    net wage (USD/yr) reachable from each node among the ``hiring`` nodes."""
    net_share, dest = commuting_share(model), model.commute.dest
    return net_share, model.commute.row_max(np.where(hiring[dest], node_wage[dest] * net_share, 0.0))


class FarmRevenueParts(NamedTuple):
    """The parts of each household's expected farm revenue this year that do not depend on
    the land it farms (``farm_revenue_parts``)."""

    tfp: np.ndarray     # (households,) TFP with the practices adopted with technical assistance
    nature: np.ndarray  # (households,) natural capital's factor at the household's node
    price: np.ndarray   # (households,) expected price per unit of output, after climate shocks (USD/unit)
    assets: np.ndarray | None = None        # (households,) the assets ``asset_factor`` was computed at (USD)
    asset_factor: np.ndarray | None = None  # (households,) (1 + assets / ASSET_UNIT)^c at them


def farm_revenue_parts(model) -> FarmRevenueParts:
    """The year's parts of farm revenue besides land: at the price each household expects
    for its output this year (local food markets and dynamic markets, ``food.farm_prices``,
    which sets the households' sales plan) and this year's natural capital (sets
    ``model.nature_factor``, by node). The rental market and the labour market of a year
    read the same parts (nothing between them changes prices, assets, TFP or nature; assets are read at each use), so
    ``TerritoryModel.step`` computes them once for both."""
    p, hh = model.params, model.households
    # natural capital (soils, water, pollinators) augments farming, which still produces without it
    model.nature_factor = np.power((1.0 + nature_ratio(model)) / (1.0 + model.nature_ratio0),
                                   p.natural_capital_elasticity)
    # practices adopted with technical assistance; climate shocks
    parts = revenue_parts(tfp=hh.tfp, assistance_gain=hh.assistance_gain, assets=hh.assets, node=hh.node,
                          nature_by_node=model.nature_factor, price=food.farm_prices(model),
                          output_factor=context.farm_output_factor(model))
    return FarmRevenueParts(tfp=parts.tfp, nature=parts.nature, price=parts.price, assets=parts.assets,
                            asset_factor=np.power(parts.asset_base, p.farm_asset_elasticity))


def farm_revenue_at_one_worker(model, land: np.ndarray | float | None = None,
                               parts: FarmRevenueParts | None = None) -> np.ndarray:
    """Farm revenue per unit of labour^b of each household (USD/yr), i.e. with one worker on
    the farm, ``households.farm_output`` at the year's ``parts`` (default: ``farm_revenue_parts``,
    which sets ``model.nature_factor`` and the households' sales plan) on ``land``
    effective hectares (default: the land it farms this year; 1.0 gives the revenue per
    effective hectare^a)."""
    parts = farm_revenue_parts(model) if parts is None else parts
    p, assets = model.params, model.households.assets
    if land is None:  # the land farmed this year: about half the households farm what they farmed last year
        land_factor = model.land_power_memo(land_market.farmed_land(model), p.farm_land_elasticity)
    else:
        land_factor = np.atleast_1d(np.power(land, p.farm_land_elasticity))
    # the assets' factor the parts hold while the assets are those it was computed at (the rental and
    # the labour market of a year read the same assets)
    same = parts.assets is not None and np.array_equal(parts.assets, assets)
    return revenue_at_one_worker(tfp=parts.tfp, land_factor=land_factor,
                                 asset_factor=parts.asset_factor if same else asset_factor(assets, p.farm_asset_elasticity),
                                 nature=parts.nature, price=parts.price)


def seekers(model, revenue_at_one_worker: np.ndarray, best_wage: np.ndarray,
            job_finding: np.ndarray, weight: np.ndarray | None = None, skills: np.ndarray | None = None) -> Seeking:
    """Seekers per household and by node (all, last year's workers, new; persons and skill
    units), given each household's farm revenue with one worker, the best wage per skill unit
    on offer (USD/yr) and the expected chance of being hired of a new seeker of hiring weight 1
    by node (each household expects the chance its own weight gives, ``weight``, by default
    ``hiring_weight``; ``skills`` by default ``skill``): ``labour_kernels.seek_work``,
    comparing own work (``own_work_revenue``) per skill unit with the wage."""
    p, hh = model.params, model.households
    weight = hiring_weight(model) if weight is None else weight
    skills = skill(model) if skills is None else skills
    return seek_work(adults=adults_in_labour_market(model), alive=hh.alive, employed=hh.employed,
                     farm_revenue_at_one_worker=revenue_at_one_worker, in_enterprise=runs_enterprise(model),
                     enterprise_scale=hh.enterprise_scale, expected_local_price=model.expected_local_price,
                     skill=skills, hiring_weight=weight, job_finding=job_finding, best_wage=best_wage,
                     node=hh.node, farm_labour_elasticity=p.farm_labour_elasticity,
                     enterprise_labour_elasticity=p.enterprise_labour_elasticity,
                     farm_labour_thresholds=farm_labour_thresholds(model),
                     enterprise_thresholds=enterprise_labour_thresholds(model), n_nodes=model.n_nodes)


def runs_enterprise(model) -> np.ndarray:
    """Households whose adults not in wage jobs work in their non-farm enterprise: those
    that run one and have no farm."""
    hh = model.households
    return (hh.enterprise_capital > 0) & (hh.tfp <= 0)


def adults_in_labour_market(model) -> np.ndarray:
    """Adults of each household who may hold or seek wage work: all of them, except in an
    estate owner's, whose adults not in wage jobs run the estate (its owners keep or give
    up the jobs they hold by the farm households' rule and seek no new ones)."""
    hh = model.households
    adults, rows = hh.adults.copy(), model.estates.owner  # the owners' rows only, not a mask and a pass of all
    adults[rows] = np.minimum(hh.employed[rows], hh.adults[rows])
    return adults


def own_work_revenue(model, farm_revenue: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What an adult's own work earns, as the revenue the job rule weighs against wages
    (USD/yr), and whether it is a non-farm enterprise: the farm's ``farm_revenue`` with one
    worker, except in a household that runs an enterprise and has no farm, whose adults
    not in wage jobs work in it. Its local sales at the expected local price p are
    S (1 + L)^e (S ``enterprise_scale`` times p, e ``enterprise_labour_elasticity``), so the
    k-th adult adds about e S (k + 1/2)^(e - 1): given as b P = e S (b the farm's labour
    elasticity), it is weighed by the farm's rule with ``enterprise_labour_thresholds``."""
    p, hh = model.params, model.households
    in_enterprise = runs_enterprise(model)
    rows = np.flatnonzero(in_enterprise)
    own = farm_revenue.copy()
    own[rows] = (p.enterprise_labour_elasticity / p.farm_labour_elasticity * hh.enterprise_scale[rows]
                 * model.expected_local_price[hh.node[rows]])
    return own, in_enterprise


def hiring_weight(model, rows: np.ndarray | None = None) -> np.ndarray:
    """Each household's weight as a new job seeker: firms choose among applicants by skill,
    and applicants with a worker in the firm are referred (odds of being hired relative to
    a seeker of the territory's mean schooling without referral):
    exp(``hiring_skill_preference`` (schooling - mean)) (1 + ``hiring_referral_weight``
    times the household's workers of last year). Of the households ``rows`` only, where given."""
    p, hh = model.params, model.households
    at = slice(None) if rows is None else rows
    schooling = p.hiring_skill_preference * (hh.education[at] - model.mean_education)
    # the exp from the model's memo over all households (only households whose adults' schooling
    # changed have new values); for a few households numpy's exp of theirs, what the memo gives them
    odds = model.hiring_memo(schooling) if rows is None else np.exp(schooling)
    return odds * (1.0 + p.hiring_referral_weight * hh.employed[at])


def enterprise_labour_thresholds(model, most: int | None = None) -> np.ndarray:
    """(k + 1/2)^(1 - e) for k = 1 .. ``most`` (by default the most adults in a household): an
    enterprise of a household without a farm wants k or more adults at wage w where e S / w
    reaches the k-th value (``own_work_revenue``)."""
    most = max(int(model.households.adults.max(initial=0)), 1) if most is None else most
    return np.power(np.arange(1, most + 1) + 0.5, 1.0 - model.params.enterprise_labour_elasticity)


def farm_labour_thresholds(model, most: int | None = None) -> np.ndarray:
    """(k - 1/2)^(1 - b) for k = 1 .. ``most`` (by default the most adults in a household): a
    farm wants k or more workers at wage w where b P / w reaches the k-th value."""
    most = max(int(model.households.adults.max(initial=0)), 1) if most is None else most
    return np.power(np.arange(1, most + 1) - 0.5, 1.0 - model.params.farm_labour_elasticity)


def labour_market(model, vacancies: np.ndarray, parts: FarmRevenueParts | None = None) -> None:
    """Households decide how many adults seek wage work; seekers and vacancies (skill units)
    match in skill units. Last year's workers keep their jobs first; the remaining jobs of
    each origin go to its new seekers by a lottery weighted by ``hiring_weight`` that hands
    out the origin's skill units in expectation. Sets household employment, wage and farm
    incomes, firm labour (skill units) and workers, this year's wage change, unmatched
    seekers and commuters (persons). ``parts``: the year's ``farm_revenue_parts`` (default:
    computed here)."""
    p, hh, ft, n = model.params, model.households, model.firm_table, model.n_nodes
    offers = job_offers(model, vacancies)
    model.best_wage = offers.best_wage  # what own-account entry weighs (``enterprises.open_own_account``)
    node_vac, unit_wage = offers.vacancies, offers.unit_wage
    revenue = farm_revenue_at_one_worker(model, parts=parts)
    weight, units = hiring_weight(model), skill(model)
    wanted = seekers(model, revenue, offers.best_wage, model.job_finding, weight, units)
    pairs = model.commute
    origin, dest = pairs.origin(), pairs.dest
    flows, _ = match_labour(wanted.units_by_node, node_vac, unit_wage, pairs, offers.net_share)
    units_by_origin = pairs.by_origin(flows)
    # last year's workers keep their jobs as far as the origin's jobs go, less the separations
    with np.errstate(invalid="ignore", divide="ignore"):
        kept_share = nan_to_num(np.minimum(units_by_origin / wanted.returning_units_by_node, 1.0))
    keep_rate = kept_share * (1.0 - p.job_separation_rate)
    rng = model.streams["labour"]
    u_keep, u_fresh = hh.uniforms(rng, 2)
    # the skill units of each origin beyond the workers who keep theirs go to its new seekers
    # (with the workers who lost theirs) by a lottery weighted by ``hiring_weight``
    hired = hire(seekers=wanted.per_household, fresh_units=wanted.fresh_units, employed=hh.employed,
                 hiring_weight=weight, skill=units, node=hh.node,
                 hires=(np.maximum(units_by_origin - wanted.returning_units_by_node, 0.0)
                        + p.job_separation_rate * np.minimum(units_by_origin, wanted.returning_units_by_node)),
                 keep_rate=keep_rate, guess=model.job_finding, u_keep=u_keep, u_fresh=u_fresh,
                 referral_weight=p.hiring_referral_weight, n_nodes=n, iterations=LOTTERY_STEPS)
    chance = hired.chance
    hh.employed = hired.jobs
    # whether anyone sought work in the lottery: new seekers, or workers separated from the jobs kept
    # (``update_job_finding`` reads only whether this is positive)
    in_lottery = wanted.new_by_node + p.job_separation_rate * kept_share * wanted.returning_by_node
    matched = pairs.to_dest(flows)  # the skill units the match sends to each node's vacancies
    update_job_finding(model, chance, in_lottery, node_vac, node_vac - matched)
    # the draws' skill units and workers, sent where the origin's match sent its units
    with np.errstate(invalid="ignore", divide="ignore"):
        flows *= nan_to_num(hired.skill_units_by_node / units_by_origin)[origin]
        workers = flows * nan_to_num(hired.jobs_by_node / hired.skill_units_by_node)[origin]
    filled = pairs.to_dest(flows)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = nan_to_num(vacancies / node_vac[ft.node])
    ft.labour = filled[ft.node] * share
    ft.workers = pairs.to_dest(workers)[ft.node] * share
    gross = pairs.by_origin(flows * unit_wage[dest])
    net = pairs.by_origin(flows * offers.net_share * unit_wage[dest])
    model.ledger.record("firms", "households", "wages", gross.sum())
    model.ledger.record("households", "rest_of_world", "commuting", gross.sum() - net.sum())
    labour_power = np.power(np.arange(max(int(hh.adults.max(initial=0)), 1) + 1.0), p.farm_labour_elasticity)
    incomes = labour_incomes(skill_units=hired.skill_units, skill_units_by_node=hired.skill_units_by_node,
                             net_wage_bill_by_node=net, adults=hh.adults, alive=hh.alive, jobs=hired.jobs,
                             farm_revenue_at_one_worker=revenue, family_labour_power=labour_power, node=hh.node)
    hh.wage_income, hh.farm_income = incomes.wage_income, incomes.farm_income
    laid_off = np.maximum(wanted.returning_units_by_node - units_by_origin, 0.0)
    # wages answer the match's excess demand: the lottery decides who is hired, not how many
    # (its draw falls short of the match about half the time by chance, which counted as
    # unfilled vacancies ratcheted wages up: docs/model_choices.md, 'A wage ratchet')
    model.flows.wage_change = wage_adjustment(node_vac, matched, pairs.to_dest(laid_off[origin]), p.wage_adjustment,
                                              p.wage_cut_response)
    model.flows.unmatched = wanted.by_node - hired.jobs_by_node
    model.flows.hires, model.flows.referred_hires = hired.hires_by_node, hired.referred_by_node
    model.flows.commuters = pairs.by_origin(np.where((origin != dest) & (np.abs(workers) > COMMUTING_RESIDUE),
                                                     workers, 0.0))
    model.commuting = csr_array((workers, dest, pairs.indptr), shape=(n, n))  # workers by home (rows) and job node (columns)


def update_job_finding(model, chance: np.ndarray, node_fresh: np.ndarray, vacancies: np.ndarray,
                       unfilled: np.ndarray) -> None:
    """Adaptive expectation of the chance of being hired of a new seeker of weight 1, by
    node (``chance`` this year's); where nobody sought work in the lottery (``node_fresh``:
    the new seekers and the separated workers, persons), the chance is 1 if reachable
    vacancies went unfilled."""
    open_jobs = model.commute.by_origin((unfilled > UNFILLED_TOLERANCE * vacancies)[model.commute.dest]) > 0
    observed = np.where(node_fresh > 0, chance, np.where(open_jobs, 1.0, model.job_finding))
    model.job_finding += model.params.expectation_adjustment * (observed - model.job_finding)
