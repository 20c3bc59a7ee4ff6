"""Compiled loops (numba) of the start at job turnover's rest (``start.jobs_at_turnover_rest``).

Each household's wage jobs at rest follow a birth-death chain (:func:`_rest_distribution`).
:func:`rest_chance` solves each node's chance of being hired at which its households'
expected jobs are the tables', :func:`rest_jobs` draws the jobs at a chance and
:func:`rest_start` does both on one layout of the households (:class:`RestLayout`: the
chains of a node's households of the same size run in step, :func:`_rest_chains`).
:func:`rest_own_work` gives what the chains weigh each household's own work at and
:func:`drawn_incomes` the incomes of the jobs drawn. The households and the chain's
parameters travel between the compiled helpers as one :class:`RestInputs`, their scratch
arrays as one :class:`ChainScratch`. Conventions as in :mod:`.kernels` (keyword-only calls).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .kernels import ERROR_MODEL, WAGE_FLOOR, _farm_workers_wanted, _hire_chance, kernel
from .start_kernels import _group_rows

REST_GUESS_STEP = 1e-3
"""First step from a guessed chance at turnover's rest (``rest_chance``), as a share of it."""


class RestInputs(NamedTuple):
    """The households weighed at turnover's rest and the chain's parameters: the arguments of
    :func:`rest_chance`, :func:`rest_jobs` and :func:`rest_start` that describe them."""

    node: np.ndarray                   # (households,) node
    own: np.ndarray                    # (households,) own work's revenue per skill unit (USD/yr)
    best: np.ndarray                   # (nodes,) best net wage (USD/yr)
    skill_weight: np.ndarray           # (households,) hiring weight without referrals
    referral: float                    # weight each worker's referral adds (a share of the weight)
    separation: float                  # job separation rate s (1/yr)
    adults: np.ndarray                 # (households,) adults (persons)
    in_market: np.ndarray              # (households,) whether its adults seek wage jobs
    in_enterprise: np.ndarray          # (households,) whether its own work is an enterprise (else a farm)
    farm_thresholds: np.ndarray        # the job rule's thresholds of a farm's k-th adult
    enterprise_thresholds: np.ndarray  # those of an enterprise
    elasticity: float                  # b, the farm's labour elasticity


@njit(cache=True, error_model=ERROR_MODEL)
def _rest_distribution(out, inputs, i, chance):
    """Household ``i``'s wage jobs at turnover's rest at its node's ``chance``: ``out[k]`` the
    chance it holds k (k = 0 .. its adults), a birth-death chain whose step up from k is the
    household's new seekers in that state, max(W_k - k, 0), times h(k), and whose step down is
    k s (1 - h(k)): h(k) its chance of being hired with k workers' referrals
    (``kernels._hire_chance`` of the ``chance`` and the weight ``skill_weight`` (1 +
    ``referral`` k)) and W_k the adults the job rule sends to the lottery at the expected
    wage ``best`` h(k) (those beyond what the farm or enterprise, ``own`` per skill unit,
    wants). Returns the expected jobs. The states above the first that cannot be reached (no
    seekers, or a chance of 0) are 0 without computing their steps."""
    adults, own, skill_weight = inputs.adults[i], inputs.own[i], inputs.skill_weight[i]
    best = inputs.best[inputs.node[i]]
    referral, separation, elasticity = inputs.referral, inputs.separation, inputs.elasticity
    thresholds = inputs.enterprise_thresholds if inputs.in_enterprise[i] else inputs.farm_thresholds
    reach = min(adults, thresholds.shape[0])
    out[0] = 1.0
    total = 1.0
    top = adults  # the states above ``top`` cannot be reached
    h_next = _hire_chance(chance, skill_weight)  # h(0): no referrals (skill_weight * 1.0 is skill_weight)
    for k in range(adults):
        hk = h_next  # h(k), computed as h(k + 1) in the step before
        h_next = _hire_chance(chance, skill_weight * (1.0 + referral * (k + 1)))
        # (only the first ``reach`` thresholds can count: a household's adults, 2.8 on average,
        # against the territory's most, 11)
        seekers = adults - min(_farm_workers_wanted(own, best * hk, elasticity, thresholds[:reach], adults), adults) - k
        if seekers <= 0:
            top = k
            break
        up = seekers * hk
        down = (k + 1) * separation * (1.0 - h_next)
        out[k + 1] = out[k] * up / down if down > 0 else np.inf
        total += out[k + 1]
        if out[k + 1] == 0.0:
            top = k + 1
            break
    for k in range(top + 1, adults + 1):
        out[k] = 0.0
    expected = 0.0
    if not np.isfinite(total):  # hired for sure: every willing adult works
        top = 0
        for k in range(adults + 1):
            if np.isinf(out[k]):
                top = k
            out[k] = 0.0
        out[top] = 1.0
        return float(top)
    for k in range(top + 1):
        out[k] /= total
        expected += k * out[k]
    return expected


@njit(cache=True, error_model=ERROR_MODEL)
def _seeking_rows(inputs, n_nodes):
    """The households whose expected jobs at rest can be above 0, by node and in row order within
    each (``rows[first[g]:first[g + 1]]``): those in the labour market (``in_market``) with an
    adult whose farm or enterprise does not want all its adults even at the node's whole ``best``
    wage (h = 1; a smaller expected wage leaves it wanting them as well, with thresholds that do
    not fall). The others' expected jobs are exactly 0 (one state, k = 0), and adding 0 changes
    no node's sum, so skipping them gives every sum bit for bit."""
    node, own, best, adults = inputs.node, inputs.own, inputs.best, inputs.adults
    farm_thresholds, enterprise_thresholds = inputs.farm_thresholds, inputs.enterprise_thresholds
    rising = True
    for t in range(1, farm_thresholds.shape[0]):
        rising = rising and farm_thresholds[t] >= farm_thresholds[t - 1]
    for t in range(1, enterprise_thresholds.shape[0]):
        rising = rising and enterprise_thresholds[t] >= enterprise_thresholds[t - 1]
    keep = np.empty(node.shape[0], np.bool_)
    for i in range(node.shape[0]):  # without branches on the households' data (the processor mispredicts them)
        g, a, enterprise = node[i], adults[i], inputs.in_enterprise[i]
        length = enterprise_thresholds.shape[0] if enterprise else farm_thresholds.shape[0]
        last = min(max(a, 1), max(length, 1)) - 1  # read only where 1 <= a <= length
        threshold = (enterprise_thresholds[last] if enterprise else farm_thresholds[last]) if length > 0 else np.inf
        weighed = inputs.elasticity * own[i]
        wants_all = (rising & (best[g] > 0) & (weighed >= 0.0) & (a <= length)
                     & (weighed / max(best[g], WAGE_FLOOR) >= threshold))  # all its adults at any expected wage
        keep[i] = inputs.in_market[i] & (a != 0) & (not wants_all)
    return _group_rows(keep, node, n_nodes)


class RestLayout(NamedTuple):
    """The seeking households of each node (``_seeking_rows``) laid out for the chains of
    households of the same size, whose states run in step (:func:`_rest_chains`)."""

    rows: np.ndarray         # (seekers,) household rows by node, in row order within each
    first: np.ndarray        # (nodes + 1,) where each node's rows begin
    order: np.ndarray        # (seekers,) places in ``rows``, by node and in groups within each
    starts: np.ndarray       # (groups + 1,) where each group begins in ``order``
    adults: np.ndarray       # (groups,) the adults of the group's households
    enterprise: np.ndarray   # (groups,) whether they weigh an enterprise (else a farm)
    node_groups: np.ndarray  # (nodes + 1,) where each node's groups begin
    weights: np.ndarray      # (most + 1, seekers) hiring weight with k referrals (k to the adults), by ``order``
    own_b: np.ndarray        # (seekers,) b times own work's revenue per skill unit, by ``order``
    separations: np.ndarray  # (most + 1,) (k + 1) s
    none_wanted: np.ndarray  # (groups,) whether b P is 0 (own work wants no adult at any wage)


@njit(cache=True, error_model=ERROR_MODEL)
def _rest_layout(inputs, n_nodes, most):
    """:class:`RestLayout` of ``inputs`` (:class:`RestInputs`, households of at most ``most``
    adults): each node's seeking rows in groups of the same adults and own work (enterprise or
    farm), a group's rows in row order, with the factors of their chains that the chance does
    not change (skill_weight (1 + referral k), the weight of k referrals,
    ``kernels._hire_chance``'s argument; b ``own``; (k + 1) ``separation``) by the same
    arithmetic as ``_rest_distribution``."""
    own, adults, elasticity = inputs.own, inputs.adults, inputs.elasticity
    rows, first = _seeking_rows(inputs, n_nodes)
    positive = True  # then a household whose b P is 0 wants no adult at any wage (0 / w reaches no threshold)
    for t in range(inputs.farm_thresholds.shape[0]):
        positive = positive and inputs.farm_thresholds[t] > 0
    for t in range(inputs.enterprise_thresholds.shape[0]):
        positive = positive and inputs.enterprise_thresholds[t] > 0
    keys = 4 * (most + 1)  # key = (most + 1) * (2 enterprise + none wanted) + adults
    order = np.empty(rows.shape[0], np.int64)
    starts = np.empty(rows.shape[0] + 1, np.int64)
    group_adults = np.empty(rows.shape[0], np.int64)
    enterprise, none_wanted = np.empty(rows.shape[0], np.bool_), np.empty(rows.shape[0], np.bool_)
    key = np.empty(rows.shape[0], np.int64)
    for j in range(rows.shape[0]):
        i = rows[j]
        key[j] = (most + 1) * (2 * inputs.in_enterprise[i] + (positive and elasticity * own[i] == 0.0)) + adults[i]
    node_groups = np.zeros(n_nodes + 1, np.int64)
    count = np.empty(keys, np.int64)
    place = np.empty(keys, np.int64)
    groups = 0
    for g in range(n_nodes):
        count[:] = 0
        for j in range(first[g], first[g + 1]):
            count[key[j]] += 1
        at = first[g]
        node_groups[g] = groups
        for k in range(keys):
            place[k] = at
            if count[k] > 0:
                starts[groups], group_adults[groups] = at, k % (most + 1)
                enterprise[groups], none_wanted[groups] = k // (most + 1) >= 2, k // (most + 1) % 2 == 1
                groups += 1
            at += count[k]
        for j in range(first[g], first[g + 1]):
            order[place[key[j]]] = j
            place[key[j]] += 1
    node_groups[n_nodes] = groups
    starts[groups] = rows.shape[0]
    weights = np.empty((most + 1, rows.shape[0]))  # beyond a group's adults: not read
    own_b = np.empty(rows.shape[0])
    for q in range(rows.shape[0]):
        i = rows[order[q]]
        weights[0, q] = inputs.skill_weight[i]  # no referrals: h(0) of the weight itself
        own_b[q] = elasticity * own[i]
    for q in range(groups):
        for k in range(1, group_adults[q] + 1):
            factor = 1.0 + inputs.referral * k
            for r in range(starts[q], starts[q + 1]):
                weights[k, r] = weights[0, r] * factor
    separations = np.empty(most + 1)
    for k in range(most + 1):
        separations[k] = (k + 1) * inputs.separation
    return RestLayout(rows=rows, first=first, order=order, starts=starts[:groups + 1].copy(),
                      adults=group_adults[:groups].copy(), enterprise=enterprise[:groups].copy(),
                      node_groups=node_groups, weights=weights, own_b=own_b, separations=separations,
                      none_wanted=none_wanted[:groups].copy())


class ChainScratch(NamedTuple):
    """Work arrays of the chains of one group at a time (:func:`_rest_chains`), sized for the
    largest group of a :class:`RestLayout`; every value is written before it is read."""

    states: np.ndarray  # (most + 1, largest) the chains' unnormalised states
    total: np.ndarray   # (largest,) their totals
    work: np.ndarray    # (5, largest) hire chances at k and k + 1, wanted counts, ratios, whether alive
    mean: np.ndarray    # (largest,) expected jobs
    out: np.ndarray     # (most + 1,) one household's distribution (``_rest_distribution``)


@njit(cache=True)
def _largest_group(starts):
    """Most rows of a group of ``starts`` (at least 1)."""
    size = 1
    for q in range(starts.shape[0] - 1):
        size = max(size, starts[q + 1] - starts[q])
    return size


@njit(cache=True)
def _chain_scratch(layout):
    """:class:`ChainScratch` for the groups of ``layout``."""
    most = layout.weights.shape[0] - 1
    largest = _largest_group(layout.starts)
    return ChainScratch(states=np.empty((most + 1, largest)), total=np.empty(largest), work=np.empty((5, largest)),
                        mean=np.empty(largest), out=np.empty(most + 1))


@njit(cache=True, error_model=ERROR_MODEL)
def _hire_chances(out, weights, chance, begin, size):
    """``kernels._hire_chance`` of ``chance`` and ``weights[begin:begin + size]`` (into ``out``)."""
    rest = 1.0 - chance
    for r in range(size):
        w = weights[begin + r]
        out[r] = 1.0 if chance >= 1.0 else chance * w / (rest + chance * w)


@njit(cache=True, error_model=ERROR_MODEL)
def _wanted_counts(count, ratio, own_b, hired, best, thresholds, reach, begin, size):
    """``kernels._farm_workers_wanted``'s count of the first ``reach`` ``thresholds`` that b P /
    max(w, ``WAGE_FLOOR``) reaches, w = ``best`` times the chance ``hired`` (into ``count``, as
    floats; where w <= 0 the caller takes all the adults instead)."""
    for r in range(size):
        ratio[r] = own_b[begin + r] / max(best * hired[r], WAGE_FLOOR)
        count[r] = 0.0
    for t in range(reach):
        threshold = thresholds[t]
        for r in range(size):
            count[r] += 1.0 if ratio[r] >= threshold else 0.0


@njit(cache=True, error_model=ERROR_MODEL)
def _chain_step(below, above, hired, hired_next, count, alive, total, adults, k, separations, best, size):
    """One step up of the chains (``_rest_distribution``'s loop at k, for households of ``adults``):
    the state above from the state ``below``, or 0 where a chain ended (no seekers at k, or a
    state of 0 before; ``alive`` 1.0 while it runs), added to ``total``; ``hired`` becomes
    ``hired_next``. The rows run in step, so the loop is a vector loop."""
    most = float(adults)
    for r in range(size):
        h = hired[r]
        seekers = (most - (most if best * h <= 0 else min(count[r], most))) - k
        down = separations * (1.0 - hired_next[r])
        state = below[r] * (seekers * h) / down
        state = state if down > 0 else np.inf
        live = (alive[r] > 0.0) & (seekers > 0)
        state = state if live else 0.0
        above[r] = state
        total[r] = total[r] + state  # + 0.0 where it ended: the same total
        alive[r] = 1.0 if live & (state != 0.0) else 0.0
        hired[r] = hired_next[r]


@njit(cache=True, error_model=ERROR_MODEL)
def _rest_chains(scratch, layout, inputs, q, chance, best):
    """The unnormalised chains of ``_rest_distribution`` of the households of group ``q`` of
    ``layout`` (in its order), all at the node's ``chance`` and ``best`` wage: ``states[k, r]``
    for k = 0 .. the group's adults and their ``total`` (in ``scratch``). The same arithmetic in
    the same order as one household at a time, states past a chain's end 0, so normalised they
    are its distribution where the total is finite."""
    adults, begin = layout.adults[q], layout.starts[q]
    size = layout.starts[q + 1] - begin
    thresholds = inputs.enterprise_thresholds if layout.enterprise[q] else inputs.farm_thresholds
    states, total, work = scratch.states, scratch.total, scratch.work
    hired, hired_next, count, ratio, alive = work[0], work[1], work[2], work[3], work[4]
    for r in range(size):
        states[0, r] = 1.0
        total[r] = 1.0
        alive[r] = 1.0
    _hire_chances(hired, layout.weights[0], chance, begin, size)
    reach = min(adults, thresholds.shape[0])
    if layout.none_wanted[q]:  # b P = 0 reaches no threshold (``_rest_layout``)
        count[:size] = 0.0
    for k in range(adults):
        _hire_chances(hired_next, layout.weights[k + 1], chance, begin, size)
        if not layout.none_wanted[q]:
            _wanted_counts(count, ratio, layout.own_b, hired, best, thresholds, reach, begin, size)
        _chain_step(states[k], states[k + 1], hired, hired_next, count, alive, total, adults, k,
                    layout.separations[k], best, size)


@njit(cache=True, error_model=ERROR_MODEL)
def _expected_jobs(mean, states, total, adults, size):
    """Each chain's expected jobs, sum of k states[k] / total in k's order (``_rest_distribution``'s;
    its k = 0 term adds 0.0), into ``mean``."""
    for r in range(size):
        mean[r] = 0.0
    for k in range(1, adults + 1):
        for r in range(size):
            mean[r] += k * (states[k, r] / total[r])


@njit(cache=True, error_model=ERROR_MODEL)
def _rest_jobs_by_node(jobs, expected, at, active, layout, inputs, scratch):
    """Each ``active`` node's expected jobs at turnover's rest at its chance ``at`` (in place on
    ``jobs``): its households' (``expected``, by place in ``layout.rows``) summed in row order.
    A household whose chain's total is not finite (hired for sure) takes ``_rest_distribution``."""
    for g in range(jobs.shape[0]):
        if not active[g]:
            continue
        for q in range(layout.node_groups[g], layout.node_groups[g + 1]):
            begin, size = layout.starts[q], layout.starts[q + 1] - layout.starts[q]
            _rest_chains(scratch, layout, inputs, q, at[g], inputs.best[g])
            _expected_jobs(scratch.mean, scratch.states, scratch.total, layout.adults[q], size)
            for r in range(size):
                j = layout.order[begin + r]
                if np.isfinite(scratch.total[r]):
                    expected[j] = scratch.mean[r]
                else:
                    expected[j] = _rest_distribution(scratch.out, inputs, layout.rows[j], at[g])
        total_g = 0.0
        for j in range(layout.first[g], layout.first[g + 1]):
            total_g += expected[j]
        jobs[g] = total_g


@njit(cache=True, error_model=ERROR_MODEL)
def _willing_by_node(jobs, willing, layout, inputs, scratch):
    """Each node's jobs at a chance of 1 (into ``jobs``): its households' expected jobs at h = 1
    for every k (into ``willing``, by place in ``layout.rows``), their adults beyond those their
    farm or enterprise wants at the whole ``best`` wage, all of them hired for sure (a group's
    households at once, the count of :func:`_wanted_counts` at a chance of 1), summed in row
    order."""
    count, ratio, hired = scratch.work[2], scratch.work[3], scratch.work[0]
    for g in range(jobs.shape[0]):
        best = inputs.best[g]
        for q in range(layout.node_groups[g], layout.node_groups[g + 1]):
            a, begin, size = layout.adults[q], layout.starts[q], layout.starts[q + 1] - layout.starts[q]
            thresholds = inputs.enterprise_thresholds if layout.enterprise[q] else inputs.farm_thresholds
            hired[:size] = 1.0  # the wage best * 1.0
            _wanted_counts(count, ratio, layout.own_b, hired, best, thresholds, min(a, thresholds.shape[0]), begin,
                           size)
            for r in range(size):
                wanted = a if best * 1.0 <= 0 else min(count[r], a)
                willing[layout.order[begin + r]] = float(max(a - wanted, 0))
        total = 0.0
        for j in range(layout.first[g], layout.first[g + 1]):
            total += willing[j]
        jobs[g] = total


@njit(cache=True)
def _most_adults(adults):
    """The most adults of a household (at least 1)."""
    most = 1
    for i in range(adults.shape[0]):
        most = max(most, adults[i])
    return most


@njit(cache=True, error_model=ERROR_MODEL)
def _solve_chance(layout, inputs, table_jobs, guess, n_nodes, iterations, tolerance, bracket):
    """:func:`rest_chance` of the households of ``layout`` (:func:`_rest_layout` of ``inputs``)."""
    low, high = np.zeros(n_nodes), np.ones(n_nodes)
    f_low, f_high = -table_jobs.copy(), np.zeros(n_nodes)  # no jobs at c = 0
    jobs = np.zeros(n_nodes)
    active = np.ones(n_nodes, np.bool_)
    scratch = _chain_scratch(layout)
    expected = np.empty(layout.rows.shape[0])
    _willing_by_node(jobs, expected, layout, inputs, scratch)
    chance = np.ones(n_nodes)
    for g in range(n_nodes):
        f_high[g] = jobs[g] - table_jobs[g]
        active[g] = f_high[g] > 0.0  # otherwise even c = 1 gives no more jobs than the tables'
    at = np.empty(n_nodes)
    step = np.zeros(n_nodes)  # > 0 while a node searches up from its guess, < 0 down, 0 once bracketed
    for g in range(n_nodes):
        if 0.0 < guess[g] < 1.0:
            at[g], step[g] = guess[g], REST_GUESS_STEP * guess[g]
        else:
            at[g] = 0.5
    side = np.zeros(n_nodes, np.int64)  # which end the last iteration moved (-1 low, +1 high)
    widths = np.ones((n_nodes, 3))  # the bracket's width after each of the last three iterations
    for it in range(iterations):
        _rest_jobs_by_node(jobs, expected, at, active, layout, inputs, scratch)
        more = False
        for g in range(n_nodes):
            if not active[g]:
                continue
            f = jobs[g] - table_jobs[g]
            if abs(f) <= tolerance[g]:
                chance[g] = at[g]
                active[g] = False
                continue
            if f > 0.0:
                high[g], f_high[g] = at[g], f
                if side[g] == 1:
                    f_low[g] *= 0.5
                side[g] = 1
            else:
                low[g], f_low[g] = at[g], f
                if side[g] == -1:
                    f_high[g] *= 0.5
                side[g] = -1
            if high[g] - low[g] < bracket:
                chance[g] = 0.5 * (low[g] + high[g])
                active[g] = False
                continue
            more = True
            if step[g] != 0.0:  # searching from the guess for the other end
                if it == 0:  # twice the step at which the jobs would be proportional to the chance
                    step[g] = max(abs(step[g]), 2.0 * abs(f) * at[g] / max(table_jobs[g], 1.0))
                    step[g] = step[g] if f < 0.0 else -step[g]
                    side[g] = 0
                elif (f < 0.0) != (step[g] > 0.0):
                    step[g] = 0.0  # the root is bracketed: on to regula falsi
                if step[g] != 0.0:
                    at[g] = min(max(at[g] + step[g], 0.5 * (at[g] + low[g])), 0.5 * (at[g] + high[g]))
                    step[g] *= 4.0
                    continue
                side[g] = 0
            widths[g, 0], widths[g, 1], widths[g, 2] = widths[g, 1], widths[g, 2], high[g] - low[g]
            if widths[g, 2] > 0.5 * widths[g, 0] and side[g] != 0:
                at[g] = 0.5 * (low[g] + high[g])  # the last two iterations did not halve the bracket
                widths[g, :] = widths[g, 2]
            else:
                at[g] = (low[g] * f_high[g] - high[g] * f_low[g]) / (f_high[g] - f_low[g])
                if not low[g] < at[g] < high[g]:
                    at[g] = 0.5 * (low[g] + high[g])
        if not more:
            break
    for g in range(n_nodes):
        if active[g]:
            chance[g] = 0.5 * (low[g] + high[g])
    return chance


@kernel()
def rest_chance(table_jobs, guess, node, own, best, skill_weight, referral, separation, adults, in_market,
                in_enterprise, farm_thresholds, enterprise_thresholds, elasticity, n_nodes, iterations, tolerance,
                bracket):
    """Each node's chance c of being hired of a new seeker of weight 1 at which its households'
    expected jobs at turnover's rest (:func:`_rest_distribution`) are its ``table_jobs`` (1
    where even at c = 1 they are fewer). The expected jobs rise with c from none at c = 0
    (with steps where the job rule sends one more adult to the lottery: with referrals one
    household's step can be several persons), so c is bracketed and found by regula falsi
    with the Illinois halving of the retained end's value, and a bisection step where the
    last two iterations did not halve the bracket. ``guess`` (by node; outside (0, 1): none)
    is a chance to try first, e.g. the previous round's: from it a step of twice its miss
    over the tables' jobs times the chance (about twice the step at which jobs would be
    proportional to the chance; at least ``REST_GUESS_STEP`` times it), growing fourfold,
    looks for the other end of a narrow bracket.
    Each node stops once its jobs are within ``tolerance`` (persons, by node) of the tables' or
    its bracket is below ``bracket`` (where its jobs jump across the tables' as one more adult
    seeks), after at most ``iterations`` passes over the households."""
    inputs = RestInputs(node=node, own=own, best=best, skill_weight=skill_weight, referral=referral,
                        separation=separation, adults=adults, in_market=in_market, in_enterprise=in_enterprise,
                        farm_thresholds=farm_thresholds, enterprise_thresholds=enterprise_thresholds,
                        elasticity=elasticity)
    layout = _rest_layout(inputs, n_nodes, _most_adults(adults))
    return _solve_chance(layout, inputs, table_jobs, guess, n_nodes, iterations, tolerance, bracket)


class RestJobs(NamedTuple):
    """Wage jobs at turnover's rest (``start.jobs_at_turnover_rest``)."""

    expected: np.ndarray  # (households,) expected jobs (persons)
    drawn: np.ndarray     # (households,) jobs drawn from the rest distribution with ``u`` (persons)


@njit(cache=True, error_model=ERROR_MODEL)
def _draw_jobs(layout, inputs, chance, u):
    """:func:`rest_jobs` with the seeking households of ``layout`` (:func:`_rest_layout` of ``inputs``)."""
    node, adults = inputs.node, inputs.adults
    n, n_nodes = node.shape[0], chance.shape[0]
    expected = np.zeros(n)
    drawn = np.zeros(n, np.int32)
    scratch = _chain_scratch(layout)
    states, total = scratch.states, scratch.total
    done = np.zeros(n, np.bool_)
    for g in range(n_nodes):
        for q in range(layout.node_groups[g], layout.node_groups[g + 1]):
            a, begin, size = layout.adults[q], layout.starts[q], layout.starts[q + 1] - layout.starts[q]
            _rest_chains(scratch, layout, inputs, q, chance[g], inputs.best[g])
            for r in range(size):
                i = layout.rows[layout.order[begin + r]]
                if not np.isfinite(total[r]):
                    continue  # one at a time below
                done[i] = True
                # the distribution's mean (``_expected_jobs``) and the first state its cumulative
                # sum passes u at, from the same quotients
                mean_r, cumulative, drawn_r = 0.0, 0.0, -1
                for k in range(a + 1):
                    share = states[k, r] / total[r]
                    if k > 0:
                        mean_r += k * share
                    cumulative += share
                    if drawn_r < 0 and (u[i] < cumulative or k == a):
                        drawn_r = k
                expected[i], drawn[i] = mean_r, drawn_r
    out = scratch.out
    for i in range(n):
        if not inputs.in_market[i] or done[i]:
            continue
        expected[i] = _rest_distribution(out, inputs, i, chance[node[i]])
        cumulative = 0.0
        for k in range(adults[i] + 1):
            cumulative += out[k]
            if u[i] < cumulative or k == adults[i]:
                drawn[i] = k
                break
    return expected, drawn


@kernel(RestJobs)
def rest_jobs(chance, u, node, own, best, skill_weight, referral, separation, adults, in_market, in_enterprise,
              farm_thresholds, enterprise_thresholds, elasticity):
    """Each household's expected jobs at turnover's rest at its node's ``chance``
    (:func:`_rest_distribution`), and a draw of them with the uniform ``u``: the chains of a
    node's households of the same size in step (:func:`_rest_chains`); those that cannot
    seek (``_seeking_rows``) or whose chain's total is not finite one at a time."""
    inputs = RestInputs(node=node, own=own, best=best, skill_weight=skill_weight, referral=referral,
                        separation=separation, adults=adults, in_market=in_market, in_enterprise=in_enterprise,
                        farm_thresholds=farm_thresholds, enterprise_thresholds=enterprise_thresholds,
                        elasticity=elasticity)
    layout = _rest_layout(inputs, chance.shape[0], _most_adults(adults))
    return _draw_jobs(layout, inputs, chance, u)


class RestStart(NamedTuple):
    """Each node's chance at turnover's rest and the jobs drawn at it (``start.jobs_at_turnover_rest``)."""

    chance: np.ndarray    # (nodes,) :func:`rest_chance`
    expected: np.ndarray  # (households,) :func:`rest_jobs` at that chance
    drawn: np.ndarray     # (households,)


@kernel(RestStart)
def rest_start(table_jobs, guess, u, node, own, best, skill_weight, referral, separation, adults, in_market,
               in_enterprise, farm_thresholds, enterprise_thresholds, elasticity, n_nodes, iterations, tolerance,
               bracket):
    """:func:`rest_chance` and :func:`rest_jobs` at the chance it finds, the seeking households
    laid out once for both (the same numbers as the two calls)."""
    inputs = RestInputs(node=node, own=own, best=best, skill_weight=skill_weight, referral=referral,
                        separation=separation, adults=adults, in_market=in_market, in_enterprise=in_enterprise,
                        farm_thresholds=farm_thresholds, enterprise_thresholds=enterprise_thresholds,
                        elasticity=elasticity)
    layout = _rest_layout(inputs, n_nodes, _most_adults(adults))
    chance = _solve_chance(layout, inputs, table_jobs, guess, n_nodes, iterations, tolerance, bracket)
    expected, drawn = _draw_jobs(layout, inputs, chance, u)
    return chance, expected, drawn


class RestOwnWork(NamedTuple):
    """What the chain at turnover's rest weighs each household's own work at (``start.jobs_at_turnover_rest``)."""

    own: np.ndarray            # (households,) own work's revenue per skill unit (USD/yr)
    one_adult: np.ndarray      # (households,) a farm's revenue with one adult (USD/yr; 0 without a farm)
    in_enterprise: np.ndarray  # (households,) whether it weighs an enterprise


@kernel(RestOwnWork)
def rest_own_work(farms, capital, farm_income, labour_power, scale, local, node, skill, enterprise_weight):
    """Each household's own work per skill unit: where it runs an enterprise (it does not farm
    and has ``capital`` > 0), ``enterprise_weight`` (e / b) times its enterprise's ``scale``
    times its node's ``local`` share of sales, else its farm's revenue with one adult,
    ``farm_income`` over ``labour_power`` (L^b); over its ``skill``. numpy's arithmetic in
    numpy's order, one pass."""
    n = node.shape[0]
    own, one_adult = np.empty(n), np.empty(n)
    in_enterprise = np.empty(n, np.bool_)
    for i in range(n):
        in_enterprise[i] = (not farms[i]) and capital[i] > 0
        one_adult[i] = farm_income[i] / labour_power[i]
        weighed = enterprise_weight * scale[i] * local[node[i]] if in_enterprise[i] else one_adult[i]
        own[i] = weighed / skill[i]
    return own, one_adult, in_enterprise


class DrawnIncomes(NamedTuple):
    """Each household's incomes at the jobs drawn at turnover's rest (USD/yr)."""

    farm_income: np.ndarray
    wage_income: np.ndarray
    enterprise_sales: np.ndarray
    enterprise_income: np.ndarray
    income: np.ndarray  # the four and ``other`` and ``remittances``


@kernel(DrawnIncomes)
def drawn_incomes(employed, adults, farms, one_adult, scale, capital, wage, other, remittances, farm_power,
                  enterprise_power, income_share):
    """The incomes of the ``employed`` (persons) drawn at turnover's rest, at the productivity of
    the expected jobs: a farm's revenue with one adult ``one_adult`` times L^b (``farm_power[L]``,
    L its ``adults`` not employed; nothing where all hold jobs), an enterprise's sales (where it
    has ``capital``) its ``scale`` times (1 + L)^e (``enterprise_power[L]``, L 0 beside a farm)
    and its income ``income_share`` of them, the wages ``employed`` times ``wage``; numpy's
    arithmetic in numpy's order, one pass."""
    n = adults.shape[0]
    farm_income, wage_income = np.empty(n), np.empty(n)
    sales, enterprise_income, income = np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        family = adults[i] - employed[i]
        farm_income[i] = one_adult[i] * farm_power[family] if farms[i] else 0.0
        sold = scale[i] * enterprise_power[0 if farms[i] else max(family, 0)]
        sales[i] = sold if capital[i] > 0 else 0.0
        enterprise_income[i] = sales[i] * income_share
        wage_income[i] = employed[i] * wage[i]
        income[i] = farm_income[i] + wage_income[i] + enterprise_income[i] + other[i] + remittances[i]
    return farm_income, wage_income, sales, enterprise_income, income
