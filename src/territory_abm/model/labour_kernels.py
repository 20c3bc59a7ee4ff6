"""The labour phase's household loops, compiled and fused (numba): who seeks wage work, and
who is hired.

The year's labour market (``labour.labour_market``) passes over all households twice
here, instead of once per rule: :func:`seek_work` decides each household's seekers and sums
them by node (persons and skill units); :func:`hire` solves the weighted lottery's chance
and draws the jobs. Between the two, the network match runs over nodes only
(``markets.match_labour``). Transcendental functions (the skills' and hiring weights' exp,
farm output's powers) stay in numpy and come in as arrays: numpy's vectorised exp and pow
differ from the compiled ones in the last bits, and the kernels give bit for bit what the
numpy rules they replace gave. Node sums add in household order, as ``np.bincount`` does.
Conventions as in :mod:`.kernels` (keyword-only calls, named tuples).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .exact import maximum
from .households import ASSET_UNIT
from .kernels import _farm_workers_wanted, _hire_chance, _staying_workers, kernel, lottery_chance

_lottery_chance = lottery_chance.compiled


class Seeking(NamedTuple):
    per_household: np.ndarray        # (households,) adults seeking wage work (persons)
    fresh_units: np.ndarray          # (households,) skill units of the new seekers (not last year's workers)
    by_node: np.ndarray              # (n_nodes,) seekers by home node (persons)
    returning_by_node: np.ndarray    # (n_nodes,) seekers who held a job last year (persons)
    new_by_node: np.ndarray          # (n_nodes,) seekers without a job last year (persons)
    units_by_node: np.ndarray        # (n_nodes,) seekers' skill units by home node
    returning_units_by_node: np.ndarray  # (n_nodes,) skill units of the seekers who held a job last year


class RevenueParts(NamedTuple):
    tfp: np.ndarray          # (households,) TFP with the practices adopted with technical assistance
    nature: np.ndarray       # (households,) natural capital's factor at the household's node
    price: np.ndarray        # (households,) price per unit of output after the year's climate shock (USD/unit)
    assets: np.ndarray       # (households,) a copy of the assets (USD)
    asset_base: np.ndarray   # (households,) 1 + assets / ASSET_UNIT, whose power is the assets' factor


class Hiring(NamedTuple):
    chance: np.ndarray               # (n_nodes,) chance of being hired of a new seeker of weight 1
    jobs: np.ndarray                 # (households,) wage jobs held (persons)
    skill_units: np.ndarray          # (households,) jobs times the household's skill
    jobs_by_node: np.ndarray         # (n_nodes,) workers by home node (persons)
    skill_units_by_node: np.ndarray  # (n_nodes,) skill units by home node
    hires_by_node: np.ndarray        # (n_nodes,) seekers the lottery hired (new and separated; persons)
    referred_by_node: np.ndarray     # (n_nodes,) the hires' referrals' part of their odds (persons)


@kernel(Seeking)
def seek_work(adults, alive, employed, farm_revenue_at_one_worker, in_enterprise, enterprise_scale,
              expected_local_price, skill, hiring_weight, job_finding, best_wage, node, farm_labour_elasticity,
              enterprise_labour_elasticity, farm_labour_thresholds, enterprise_thresholds, n_nodes):
    """Adults of each household who seek wage work this year (persons), the skill units of
    its new seekers, and by node the seekers, last year's workers among them and the new
    ones (persons), and the skill units of all seekers and of last year's workers.

    A farm wants family labour L* = (b P / w)^(1/(1-b)) where its marginal product equals
    the wage w (``farm_revenue_at_one_worker`` P is revenue per unit of labour^b). A worker of
    skill s earns s times the wage per skill unit, so the farm is weighed as P / s against the
    ``best_wage`` per skill unit on offer (by node). Last year's workers keep seeking while the
    best wage beats the farm at L*; the other adults weigh the farm against the expected wage,
    the best wage times the household's chance of being hired as a new seeker (``_hire_chance``
    of its node's ``job_finding`` and its ``hiring_weight``: Harris–Todaro, the reservation
    wage being the farm's marginal product). No wage on offer: everyone farms. In a household
    ``in_enterprise`` (an enterprise and no farm) the workers keep seeking while a wage is on
    offer (the start does not weigh them against the enterprise, which it backs out after
    their jobs) and the other adults weigh the enterprise by the same rule with
    ``enterprise_thresholds``, its revenue given as b P = e S p (``enterprise_scale`` S at the
    ``expected_local_price`` p, e ``enterprise_labour_elasticity``: ``labour.own_work_revenue``).
    """
    b = farm_labour_elasticity
    n = adults.shape[0]
    seekers = np.zeros(n)
    fresh_units = np.zeros(n)
    node_seekers = np.zeros(n_nodes)
    node_keep = np.zeros(n_nodes)
    node_fresh = np.zeros(n_nodes)
    node_units = np.zeros(n_nodes)
    node_keep_units = np.zeros(n_nodes)
    # the node sums of a run of one node's rows in registers (the same additions in row order)
    run = -1
    sum_seekers = sum_keep = sum_fresh = sum_units = sum_keep_units = 0.0
    for i in range(n):
        a = adults[i] if alive[i] else 0
        if a <= 0:
            continue
        g = node[i]
        if g != run:
            if run >= 0:
                node_seekers[run], node_keep[run], node_fresh[run] = sum_seekers, sum_keep, sum_fresh
                node_units[run], node_keep_units[run] = sum_units, sum_keep_units
            run = g
            sum_seekers, sum_keep, sum_fresh = node_seekers[g], node_keep[g], node_fresh[g]
            sum_units, sum_keep_units = node_units[g], node_keep_units[g]
        if in_enterprise[i]:
            own = enterprise_labour_elasticity / b * enterprise_scale[i] * expected_local_price[g]
            th = enterprise_thresholds
        else:
            own = farm_revenue_at_one_worker[i]
            th = farm_labour_thresholds
        revenue = own / skill[i]
        chance = _hire_chance(job_finding[g], hiring_weight[i])
        stay = _staying_workers(employed[i], a, revenue, best_wage[g], b, th, in_enterprise[i])
        free = a - stay
        s = float(stay + free - _farm_workers_wanted(revenue, best_wage[g] * chance, b, th, free))
        keep = min(s, float(employed[i]))
        seekers[i] = s
        fresh_units[i] = (s - keep) * skill[i]
        sum_seekers += s
        sum_keep += keep
        sum_fresh += s - keep
        sum_units += s * skill[i]
        sum_keep_units += keep * skill[i]
    if run >= 0:
        node_seekers[run], node_keep[run], node_fresh[run] = sum_seekers, sum_keep, sum_fresh
        node_units[run], node_keep_units[run] = sum_units, sum_keep_units
    return seekers, fresh_units, node_seekers, node_keep, node_fresh, node_units, node_keep_units


@kernel(Hiring)
def hire(seekers, fresh_units, employed, hiring_weight, skill, node, hires, keep_rate, guess, u_keep, u_fresh,
         referral_weight, n_nodes, iterations):
    """The year's hiring: the chance of a new seeker of weight 1 at which each node's new
    seekers take its ``hires`` skill units in expectation (``kernels.lottery_chance``, from
    ``guess``, at most ``iterations`` steps), then the jobs (persons): last year's workers
    keep theirs at ``keep_rate`` (by node), and those who do not keep it seek again as new
    seekers; each new seeker is hired with ``_hire_chance`` of that chance and the household's
    ``hiring_weight``, each rounded stochastically with the uniform draws ``u_keep`` and
    ``u_fresh`` (up with probability equal to the fraction); skill units are jobs times
    ``skill``. The lottery's seekers are the ``fresh_units`` and, in expectation, the skill
    units of the workers who lose their job. Also by node: the seekers the lottery hired, and
    the part of their odds their household's referrals made, rho k / (1 + rho k) each (rho
    ``referral_weight``, k the household's workers of last year), how many of the hires a
    survey would count as found through contacts."""
    n = seekers.shape[0]
    pool = fresh_units.copy()
    for i in range(n):
        if seekers[i] > 0 and employed[i] > 0:
            g = node[i]
            pool[i] += (1.0 - keep_rate[g]) * min(seekers[i], float(employed[i])) * skill[i]
    chance = _lottery_chance(pool, hiring_weight, node, hires, guess, n_nodes, iterations)
    jobs = np.zeros(n, np.int32)
    units = np.zeros(n)
    node_jobs = np.zeros(n_nodes)
    node_units = np.zeros(n_nodes)
    node_hires = np.zeros(n_nodes)
    node_referred = np.zeros(n_nodes)
    # every household is drawn for, seekers or not, without a jump on whether it seeks, is hired or
    # holds a job (about half the households seek, in no order the processor predicts): one that
    # does not seek keeps 0.0 and is hired 0.0 (its draws are below 1), so it holds no job and
    # adds 0.0 to each of its node's sums, which are not -0.0 and so do not change
    run = -1  # a run of one node's rows: its sums in registers (the same additions in row order)
    run_jobs = run_units = run_hires = run_referred = 0.0
    for i in range(n):
        s = seekers[i]
        g = node[i]
        keep = min(s, float(employed[i]))
        fresh = s - keep
        kept = min(np.floor(keep * keep_rate[g] + u_keep[i]), keep)
        fresh += keep - kept
        hired = min(np.floor(fresh * _hire_chance(chance[g], hiring_weight[i]) + u_fresh[i]), fresh)
        referrals = referral_weight * employed[i]
        j = int(kept + hired)
        jobs[i] = j
        units[i] = j * skill[i]
        if g != run:
            if run >= 0:
                node_jobs[run], node_units[run] = run_jobs, run_units
                node_hires[run], node_referred[run] = run_hires, run_referred
            run, run_jobs, run_units = g, node_jobs[g], node_units[g]
            run_hires, run_referred = node_hires[g], node_referred[g]
        run_hires += hired
        run_referred += hired * referrals / (1.0 + referrals)
        run_jobs += j
        run_units += units[i]
    if run >= 0:
        node_jobs[run], node_units[run] = run_jobs, run_units
        node_hires[run], node_referred[run] = run_hires, run_referred
    return chance, jobs, units, node_jobs, node_units, node_hires, node_referred


@kernel(RevenueParts)
def revenue_parts(tfp, assistance_gain, assets, node, nature_by_node, price, output_factor):
    """The parts of each household's farm revenue besides land and labour (``labour.farm_revenue_parts``),
    in one pass: ``tfp`` times 1 + ``assistance_gain``, its node's natural capital factor, its
    ``price`` times the climate's ``output_factor``, a copy of its ``assets`` and
    1 + assets / ``ASSET_UNIT`` (``households.asset_factor`` takes its power in numpy)."""
    n = tfp.shape[0]
    out_tfp, nature, out_price, out_assets, base = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        out_tfp[i] = tfp[i] * (1.0 + assistance_gain[i])
        nature[i] = nature_by_node[node[i]]
        out_price[i] = price[i] * output_factor
        out_assets[i] = assets[i]
        base[i] = 1.0 + assets[i] / ASSET_UNIT
    return out_tfp, nature, out_price, out_assets, base


@kernel()
def farmed_land(quality, land, garden_plot, rented):
    """Effective hectares each household farms (``land_market.farmed_land``): its land, at
    least the ``garden_plot``, times its land ``quality``, plus what it ``rented`` (at least 0)."""
    n = land.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = maximum(quality[i] * maximum(land[i], garden_plot) + rented[i], 0.0)
    return out


@kernel()
def revenue_at_one_worker(tfp, land_factor, asset_factor, nature, price):
    """``households.farm_output`` with one worker (labour^b = 1) times ``price``, bit for bit:
    tfp land^a (1 + assets / ASSET_UNIT)^c f(K) p, from the powers computed in numpy
    (``land_factor`` land^a, one per household or one for all; ``asset_factor``)."""
    n = tfp.shape[0]
    out = np.empty(n)
    one = land_factor.shape[0] == 1
    for i in range(n):
        out[i] = tfp[i] * land_factor[0 if one else i] * asset_factor[i] * nature[i] * price[i]
    return out
