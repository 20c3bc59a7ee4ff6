"""Compiled loops (numba) of the start's searches over all households (:mod:`.start`).

The start solves per-node quantities by bisection; each step of a search needs a sum over
every household of its node. These kernels make one pass for that sum instead of numpy's
several (gather, multiply, clip, select, bincount) and add in row order, as ``np.bincount``
does, so that the searches give bit for bit what the numpy passes gave. The starting jobs'
rounds (:func:`keep_jobs`) take one pass per household and round instead of numpy's passes
over the rows still in play, with numpy's arithmetic in numpy's order and its powers from
tables numpy made. Conventions as in :mod:`.kernels` (keyword-only calls).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .exact import maximum, minimum, pairwise_sum
from .kernels import ERROR_MODEL, WAGE_FLOOR, _farm_workers_wanted, _hire_chance, kernel


class RowsByNode(NamedTuple):
    """Rows grouped by node, in row order within each: node g's are ``rows[first[g]:first[g + 1]]``."""

    rows: np.ndarray   # (rows kept,) row indices
    first: np.ndarray  # (nodes + 1,) where each node's rows begin


@njit(cache=True)
def _group_rows(keep, node, n_nodes):
    """:class:`RowsByNode` of the rows ``keep`` (a counting sort by ``node``, stable)."""
    first = np.zeros(n_nodes + 1, np.int64)
    for i in range(node.shape[0]):
        if keep[i]:
            first[node[i] + 1] += 1
    for g in range(n_nodes):
        first[g + 1] += first[g]
    place = first[:-1].copy()
    rows = np.empty(first[n_nodes], np.int64)
    for i in range(node.shape[0]):
        if keep[i]:
            rows[place[node[i]]] = i
            place[node[i]] += 1
    return rows, first


@kernel(RowsByNode)
def rows_by_node(keep, node, n_nodes):
    """The rows ``keep`` grouped by ``node``, in row order within each node (:class:`RowsByNode`)."""
    return _group_rows(keep, node, n_nodes)


class FarmRows(NamedTuple):
    """The farming households (capacity > 0) by node, in row order within each, with what their
    farm income at a scale is made of (``start.split_residual``): node g's are ``first[g]:first[g + 1]``."""

    first: np.ndarray     # (nodes + 1,) where each node's farms begin
    capacity: np.ndarray  # (farms,) land^a labour^b
    floor: np.ndarray     # (farms,) least farm income (USD/yr)
    top: np.ndarray       # (farms,) most farm income (USD/yr)


@kernel(FarmRows)
def farm_rows(capacity, floor, top, node, n_nodes):
    """:class:`FarmRows` of the households of ``capacity`` > 0 (a stable counting sort by ``node``)."""
    rows, first = _group_rows(capacity > 0, node, n_nodes)
    return first, capacity[rows], floor[rows], top[rows]


class FarmSplit(NamedTuple):
    """Farm and enterprise income of each household (USD/yr, ``start.split_residual``)."""

    farm: np.ndarray
    enterprise: np.ndarray


@kernel(FarmSplit)
def farm_split(scale, capacity, floor, top, residual, income, node, min_enterprise_share):
    """Each farm's income at its node's productivity ``scale``, ``clip(scale * capacity, floor,
    top)`` (0 where ``capacity`` is 0), the rest of its ``residual`` (at least 0) its
    enterprise's, or its farm's too where below ``min_enterprise_share`` of its ``income``:
    numpy's ``where``, ``clip`` and ``maximum`` (NaN kept, ``exact``), one pass."""
    n = capacity.shape[0]
    farm, enterprise = np.empty(n), np.empty(n)
    for i in range(n):
        farms = capacity[i] > 0
        own = minimum(maximum(scale[node[i]] * capacity[i], floor[i]), top[i]) if farms else 0.0
        rest = maximum(residual[i] - own, 0.0)
        small = farms and rest < min_enterprise_share * income[i]
        farm[i] = own + rest if small else own
        enterprise[i] = 0.0 if small else rest
    return farm, enterprise


@njit(cache=True)
def _capped_sum(scale, capacity, floor, top, begin, end):
    """The sum of ``clip(scale * capacity, floor, top)`` over rows ``begin:end``, in their order."""
    total = 0.0
    for i in range(begin, end):
        total += min(max(scale * capacity[i], floor[i]), top[i])
    return total


@njit(cache=True)
def _halving_grid(low, high, halvings):
    """:func:`halving_grid`."""
    width = 2 ** halvings
    grid = np.empty((low.shape[0], width + 1))
    for g in range(low.shape[0]):
        grid[g, 0], grid[g, width] = low[g], high[g]
        step = width
        while step > 1:
            for k in range(0, width, step):
                grid[g, k + step // 2] = 0.5 * (grid[g, k] + grid[g, k + step])
            step //= 2
    return grid


@kernel()
def halving_grid(low, high, halvings):
    """Each node's bracket [``low``, ``high``] and the midpoints that the next ``halvings``
    halvings can reach (nodes x 2^halvings + 1): a tree of midpoints, each 0.5 (low + high) of
    the bracket it halves, the same numbers one halving at a time gives."""
    return _halving_grid(low, high, halvings)


@kernel()
def farm_scale_halvings(grid, points, target, capacity, floor, top, first, halvings):
    """The halvings of each node's bracket of the log farm productivity scale
    (``start.split_residual``) on the ``grid`` (:func:`halving_grid`) whose scales exp(x) are
    ``points``: each moves the upper end to the midpoint where the node's farm income at its
    scale, the sum of ``clip(scale * capacity, floor, top)`` over its farming households
    ``first[g]:first[g + 1]`` (:func:`farm_rows`) in row order, is above ``target``, else the
    lower end, as the bisection one halving at a time does; returns the :func:`halving_grid` of
    the bracket they leave for the next ``halvings`` (0: the bracket, nodes x 2). A pass over
    them sums at a midpoint and at both of its halves' midpoints (three independent sums in one
    pass), so takes two halvings."""
    n_nodes, width = points.shape[0], points.shape[1] - 1
    low, high = np.empty(n_nodes), np.empty(n_nodes)
    for g in range(n_nodes):
        a, b = 0, width
        begin, end = first[g], first[g + 1]
        while b - a > 1:
            mid = (a + b) // 2
            if b - a == 2:  # one halving left
                if _capped_sum(points[g, mid], capacity, floor, top, begin, end) > target[g]:
                    b = mid
                else:
                    a = mid
                continue
            left, right = (a + mid) // 2, (mid + b) // 2
            s_mid, s_left, s_right = 0.0, 0.0, 0.0
            x_mid, x_left, x_right = points[g, mid], points[g, left], points[g, right]
            for i in range(begin, end):
                c, f, t = capacity[i], floor[i], top[i]
                s_mid += min(max(x_mid * c, f), t)
                s_left += min(max(x_left * c, f), t)
                s_right += min(max(x_right * c, f), t)
            if s_mid > target[g]:
                b = mid
                if s_left > target[g]:
                    b = left
                else:
                    a = left
            else:
                a = mid
                if s_right > target[g]:
                    b = right
                else:
                    a = right
        low[g], high[g] = grid[g, a], grid[g, b]
    return _halving_grid(low, high, halvings)


@njit(cache=True)
def _job_rule(jobs, adults, income, wage, public, best, farms, power_family, power_half, elasticity,
              min_farm_share):
    """The job rule of a household of ``adults`` holding ``jobs`` (``start.consistent_start_jobs``):
    its farm's pressure b F / (L^b W) / (L + 1/2)^(1 - b), with family labour L = ``adults`` -
    ``jobs`` (inf below 1), farm income F the ``income`` left after the jobs' ``wage`` and
    ``public`` income (at least 0) and best net wage W = ``best`` (USD/yr), L^b and
    (L + 1/2)^(1 - b) from the tables ``power_family`` and ``power_half`` (numpy's powers); 0
    where it does not farm (``farms``). And whether what is left pays for the jobs and leaves a
    farm ``min_farm_share`` of the income. Numpy's arithmetic in numpy's order."""
    left = income - wage * jobs - public
    if not farms:
        return 0.0, left >= 0.0
    fits = left >= min_farm_share * income
    family = adults - jobs
    if family < 1:
        return np.inf, fits
    return elasticity * max(left, 0.0) / (power_family[family] * best) / power_half[family], fits


class KeptJobs(NamedTuple):
    """The starting jobs the job rule keeps."""

    employed: np.ndarray  # (households,) wage jobs of each household (persons)
    kept: np.ndarray      # (nodes,) wage jobs kept by node (persons)


@kernel(KeptJobs)
def keep_jobs(employed, adults, income, unit_wage, skill, public, best_wage, farms, node, table_jobs, power_family,
              power_half, elasticity, min_farm_share):
    """Wage jobs per household (persons) that the job rule keeps (``start.consistent_start_jobs``,
    rule :func:`_job_rule`, a household's wage its node's ``unit_wage`` per skill unit times its
    ``skill``, its best net wage its node's ``best_wage`` times its skill, at least
    ``WAGE_FLOOR``): each household with a pressure of 1 or more or whose income does not fit
    its jobs gives up one at a time, and its node's jobs free grow by one each (at first the
    ``table_jobs`` the households' ``employed`` do not fill); then, in rounds, each node's free
    jobs go one per household to those with a free adult (two on a farm) that would keep one
    more, the lowest pressure first and ties in the order of the round before (as numpy's
    stable ``lexsort`` by node and pressure orders them), until no job is left or no household
    takes one."""
    n, n_nodes = node.shape[0], table_jobs.shape[0]
    employed = employed.astype(np.int64)
    wage, best = np.empty(n), np.empty(n)
    held = np.zeros(n_nodes)
    for i in range(n):
        wage[i] = unit_wage[node[i]] * skill[i]
        best[i] = maximum(best_wage[node[i]] * skill[i], WAGE_FLOOR)
        held[node[i]] += employed[i]
    freed = np.maximum(table_jobs - held, 0.0)  # jobs the draw could not place are free too
    for i in range(n):
        while employed[i] > 0:
            pressure, fits = _job_rule(employed[i], adults[i], income[i], wage[i], public[i], best[i], farms[i],
                                       power_family, power_half, elasticity, min_farm_share)
            if not (pressure >= 1.0 or not fits):  # numpy's test, NaN included
                break
            employed[i] -= 1
            freed[node[i]] += 1
    rows = np.empty(n, np.int64)
    count = 0
    for i in range(n):
        if adults[i] - employed[i] >= (2 if farms[i] else 1):
            rows[count] = i
            count += 1
    pressure = np.empty(n)
    grouped = np.empty(n, np.int64)
    next_rows = np.empty(n, np.int64)
    while count > 0 and np.any(freed != 0):
        first = np.zeros(n_nodes + 1, np.int64)
        takers = 0
        for k in range(count):  # those that would keep one more job, in the round's order
            i = rows[k]
            after, fits = _job_rule(employed[i] + 1, adults[i], income[i], wage[i], public[i], best[i], farms[i],
                                    power_family, power_half, elasticity, min_farm_share)
            if after < 1.0 and fits:
                rows[takers] = i
                pressure[takers] = after
                first[node[i] + 1] += 1
                takers += 1
        first = np.cumsum(first)
        place = first[:-1].copy()
        for k in range(takers):  # by node, in the round's order within each
            g = node[rows[k]]
            grouped[place[g]] = k
            place[g] += 1
        count = 0
        for g in range(n_nodes):
            # the node's takers at pressure 0 (households that do not farm) come first in the
            # round's order, then the others by pressure (stable)
            group = grouped[first[g]:first[g + 1]]
            zero = group[pressure[group] == 0.0]
            rest = group[pressure[group] != 0.0]
            ordered = np.concatenate((zero, rest[np.argsort(pressure[rest], kind="mergesort")])) \
                if zero.shape[0] < freed[g] else zero
            taken = 0
            for k in ordered:
                if taken >= freed[g]:
                    break
                i = rows[k]
                employed[i] += 1
                taken += 1
                if adults[i] - employed[i] >= (2 if farms[i] else 1):
                    next_rows[count] = i
                    count += 1
            freed[g] -= taken
        rows, next_rows = next_rows, rows
    kept = np.zeros(n_nodes)
    for i in range(n):
        kept[node[i]] += employed[i]
    return employed.astype(np.int32), kept


@njit(cache=True)
def _left_after_migrants(income, k, per_migrant):
    """A household's ``income`` without ``k`` migrants abroad remitting ``per_migrant`` each
    (USD/yr; numpy's ``y - ks * per_migrant``)."""
    return income - k * per_migrant


@kernel()
def income_ratios(income, persons, rows, per_migrant, most):
    """max((y - k R) / n, 1) for households ``rows`` (income y, ``persons`` n) and k = 0..``most``
    migrants abroad remitting R = ``per_migrant`` each: income per person without them (USD/yr,
    at least 1), whose log ``migration.migrants_abroad_at_rest`` weighs (rows x most + 1)."""
    out = np.empty((rows.shape[0], most + 1))
    for j in range(rows.shape[0]):
        i = rows[j]
        for k in range(most + 1):
            out[j, k] = maximum(_left_after_migrants(income[i], k, per_migrant) / persons[i], 1.0)
    return out


@kernel()
def abroad_log_weights(log_x, log_rate, income, rows, mu, sd, node, per_migrant, return_terms, log_factorial):
    """Log weights of 0..m migrants abroad of households ``rows`` (``migration.migrants_abroad_at_rest``),
    less each row's largest: log f(x_k) - log f(x_0) (f the lognormal density of income per
    person of the node, log mean ``mu`` and sd ``sd``, at ``log_x``) plus the cumulative sum of
    ``log_rate`` over the path to k, less ``return_terms`` (k log r) and ``log_factorial``
    (log k!); -inf where the income without them, y - k R, is not positive or the weight is not
    finite, 0 for k = 0. numpy's arithmetic in numpy's order (rows x m + 1)."""
    m = log_x.shape[1]
    out = np.empty((rows.shape[0], m))
    for j in range(rows.shape[0]):
        i = rows[j]
        g = node[i]
        spread = 2 * (sd[g] * sd[g])
        d = log_x[j, 0] - mu[g]
        log_f0 = -log_x[j, 0] - d * d / spread
        path = 0.0
        top = 0.0
        for k in range(m):
            d = log_x[j, k] - mu[g]
            if k > 0:
                path = log_rate[j, 0] if k == 1 else path + log_rate[j, k - 1]
            w = ((-log_x[j, k] - d * d / spread) - log_f0 + path) - return_terms[k] - log_factorial[k]
            if k == 0:
                w = 0.0
            elif not (_left_after_migrants(income[i], k, per_migrant) > 0 and np.isfinite(w)):
                w = -np.inf
            out[j, k] = w
            top = maximum(top, w)
        for k in range(m):
            out[j, k] = out[j, k] - top
    return out


class AbroadDraws(NamedTuple):
    """Migrants abroad drawn from each household's weights, and their expected numbers."""

    chosen: np.ndarray    # (rows,) drawn (persons)
    expected: np.ndarray  # (rows,) expected (persons)


@kernel(AbroadDraws)
def draw_abroad(w, u):
    """For each row of weights ``w`` of 0..m migrants abroad, the number drawn with the uniform
    ``u``: how many cumulative weights fall below u times their total; and the expected number,
    the weights' mean of k (numpy's cumulative sums and pairwise row sums)."""
    rows, m = w.shape
    chosen = np.zeros(rows, np.int64)
    expected = np.empty(rows)
    cumulative = np.empty(m)
    weighed = np.empty(m)
    for j in range(rows):
        total = 0.0
        for k in range(m):
            total = w[j, 0] if k == 0 else total + w[j, k]
            cumulative[k] = total
            weighed[k] = w[j, k] * k
        cut = u[j] * total
        for k in range(m):
            if cumulative[k] < cut:
                chosen[j] += 1
        expected[j] = pairwise_sum(weighed) / total
    return chosen, expected


@kernel()
def worker_skill(employed, skill, node, n_nodes):
    """Mean ``skill`` of the workers (``employed``) by node, 1 where a node has none: workers and
    their skill summed in row order (``np.bincount``'s sums)."""
    workers = np.zeros(n_nodes)
    units = np.zeros(n_nodes)
    for i in range(node.shape[0]):
        workers[node[i]] += employed[i]
        units[node[i]] += employed[i] * skill[i]
    mean = np.ones(n_nodes)
    for g in range(n_nodes):
        if workers[g] > 0:
            mean[g] = units[g] / workers[g]
    return mean


@kernel()
def priced_out_nodes(income, wage, skill, employed, adults, public, farms, node, n_nodes):
    """Nodes with a household that does not farm (``farms``) and has an adult without a wage
    job whose ``income`` less its ``public`` income cannot pay one more job at its node's
    ``wage`` per skill unit times its ``skill`` (``start.priced_out``)."""
    out = np.zeros(n_nodes, np.bool_)
    for i in range(node.shape[0]):
        if not farms[i] and adults[i] > employed[i]:
            if income[i] - wage[node[i]] * skill[i] * (employed[i] + 1) - public[i] < 0:
                out[node[i]] = True
    return out


class PlacementWeights(NamedTuple):
    """The weights of the households with room for more migrants abroad (``start.place_within_incomes``)."""

    cumulative: np.ndarray  # (households,) cumulative sum of the weights in ``order`` (numpy's cumsum)
    total: np.ndarray       # (nodes,) the weights by node, summed in row order (np.bincount's sums)


@kernel(PlacementWeights)
def placement_weights(placed, room_for, expected, order, node, n_nodes):
    """Each household's weight, its ``expected`` migrants abroad where it has room for more
    (``placed`` below ``room_for``), else 0: their cumulative sum over the households in
    ``order`` and their sums by node."""
    n = node.shape[0]
    weight = np.empty(n)
    total = np.zeros(n_nodes)
    run = -1  # a run of one node's rows: its sum in a register (the same additions in row order)
    node_total = 0.0
    for i in range(n):
        weight[i] = expected[i] if placed[i] < room_for[i] else 0.0
        if node[i] != run:
            if run >= 0:
                total[run] = node_total
            run, node_total = node[i], total[node[i]]
        node_total += weight[i]
    if run >= 0:
        total[run] = node_total
    cumulative = np.empty(n)
    running = 0.0
    for k in range(n):
        running = weight[order[k]] if k == 0 else running + weight[order[k]]
        cumulative[k] = running
    return cumulative, total


@kernel()
def place_picks(placed, room_for, picks, node, n_nodes):
    """Places one migrant abroad in each household of ``picks`` (rows, repeated as often as
    picked), at most up to its ``room_for`` (``placed`` is updated in place); returns the
    migrants left over by node."""
    wanted = placed.copy()
    for i in picks:
        wanted[i] += 1
    left = np.zeros(n_nodes, np.int64)
    for i in range(node.shape[0]):
        placed[i] = min(wanted[i], room_for[i])
        left[node[i]] += wanted[i] - placed[i]
    return left


@njit(cache=True, error_model=ERROR_MODEL)
def _rest_distribution(out, chance, own, best, skill_weight, referral, separation, adults, in_enterprise,
                       farm_thresholds, enterprise_thresholds, elasticity):
    """A household's wage jobs at turnover's rest: ``out[k]`` the chance it holds k (k = 0 ..
    ``adults``), a birth-death chain whose step up from k is the household's new seekers in
    that state, max(W_k - k, 0), times h(k), and whose step down is k ``separation`` (1 -
    h(k)): h(k) its chance of being hired with k workers' referrals (``kernels._hire_chance``
    of the node's ``chance`` and the weight ``skill_weight`` (1 + ``referral`` k)) and W_k the
    adults the job rule sends to the lottery at the expected wage ``best`` h(k) (those beyond
    what the farm or enterprise, ``own`` per skill unit, wants). Returns the expected jobs.
    The states above the first that cannot be reached (no seekers, or a chance of 0) are 0
    without computing their steps."""
    thresholds = enterprise_thresholds if in_enterprise else farm_thresholds
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


REST_GUESS_STEP = 1e-3
"""First step from a guessed chance at turnover's rest (``rest_chance``), as a share of it."""


@njit(cache=True, error_model=ERROR_MODEL)
def _seeking_rows(node, own, best, adults, in_market, in_enterprise, farm_thresholds, enterprise_thresholds,
                  elasticity, n_nodes):
    """The households whose expected jobs at rest can be above 0, by node and in row order within
    each (``rows[first[g]:first[g + 1]]``): those in the labour market (``in_market``) with an
    adult whose farm or enterprise does not want all its adults even at the node's whole ``best``
    wage (h = 1; a smaller expected wage leaves it wanting them as well, with thresholds that do
    not fall). The others' expected jobs are exactly 0 (one state, k = 0), and adding 0 changes
    no node's sum, so skipping them gives every sum bit for bit."""
    rising = True
    for t in range(1, farm_thresholds.shape[0]):
        rising = rising and farm_thresholds[t] >= farm_thresholds[t - 1]
    for t in range(1, enterprise_thresholds.shape[0]):
        rising = rising and enterprise_thresholds[t] >= enterprise_thresholds[t - 1]
    keep = np.empty(node.shape[0], np.bool_)
    for i in range(node.shape[0]):  # without branches on the households' data (the processor mispredicts them)
        g, a, enterprise = node[i], adults[i], in_enterprise[i]
        length = enterprise_thresholds.shape[0] if enterprise else farm_thresholds.shape[0]
        last = min(max(a, 1), max(length, 1)) - 1  # read only where 1 <= a <= length
        threshold = (enterprise_thresholds[last] if enterprise else farm_thresholds[last]) if length > 0 else np.inf
        weighed = elasticity * own[i]
        wants_all = (rising & (best[g] > 0) & (weighed >= 0.0) & (a <= length)
                     & (weighed / max(best[g], WAGE_FLOOR) >= threshold))  # all its adults at any expected wage
        keep[i] = in_market[i] & (a != 0) & (not wants_all)
    return _group_rows(keep, node, n_nodes)


@njit(cache=True, error_model=ERROR_MODEL)
def _willing(own, best, adults, in_enterprise, farm_thresholds, enterprise_thresholds, elasticity):
    """A household's expected jobs at turnover's rest at a chance of 1 (``_rest_distribution`` at
    h = 1 for every k, without its chain): its adults beyond those its farm or enterprise wants
    at the whole ``best`` wage, all of them hired for sure (persons)."""
    thresholds = enterprise_thresholds if in_enterprise else farm_thresholds
    wanted = min(_farm_workers_wanted(own, best * 1.0, elasticity, thresholds[:min(adults, thresholds.shape[0])],
                                      adults), adults)
    return float(max(adults - wanted, 0))


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
def _rest_layout(node, own, best, skill_weight, referral, separation, adults, in_market, in_enterprise,
                 farm_thresholds, enterprise_thresholds, elasticity, n_nodes, most):
    """:class:`RestLayout`: each node's seeking rows in groups of the same adults and own work
    (enterprise or farm), a group's rows in row order, with the factors of their chains that
    the chance does not change (skill_weight (1 + referral k), the weight of k referrals,
    ``kernels._hire_chance``'s argument; b ``own``; (k + 1) ``separation``) by the same
    arithmetic as ``_rest_distribution``."""
    rows, first = _seeking_rows(node, own, best, adults, in_market, in_enterprise, farm_thresholds,
                                enterprise_thresholds, elasticity, n_nodes)
    positive = True  # then a household whose b P is 0 wants no adult at any wage (0 / w reaches no threshold)
    for t in range(farm_thresholds.shape[0]):
        positive = positive and farm_thresholds[t] > 0
    for t in range(enterprise_thresholds.shape[0]):
        positive = positive and enterprise_thresholds[t] > 0
    keys = 4 * (most + 1)  # key = (most + 1) * (2 enterprise + none wanted) + adults
    order = np.empty(rows.shape[0], np.int64)
    starts = np.empty(rows.shape[0] + 1, np.int64)
    group_adults = np.empty(rows.shape[0], np.int64)
    enterprise, none_wanted = np.empty(rows.shape[0], np.bool_), np.empty(rows.shape[0], np.bool_)
    key = np.empty(rows.shape[0], np.int64)
    for j in range(rows.shape[0]):
        i = rows[j]
        key[j] = (most + 1) * (2 * in_enterprise[i] + (positive and elasticity * own[i] == 0.0)) + adults[i]
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
        weights[0, q] = skill_weight[i]  # no referrals: h(0) of the weight itself
        own_b[q] = elasticity * own[i]
    for q in range(groups):
        for k in range(1, group_adults[q] + 1):
            factor = 1.0 + referral * k
            for r in range(starts[q], starts[q + 1]):
                weights[k, r] = weights[0, r] * factor
    separations = np.empty(most + 1)
    for k in range(most + 1):
        separations[k] = (k + 1) * separation
    return (rows, first, order, starts[:groups + 1].copy(), group_adults[:groups].copy(), enterprise[:groups].copy(),
            node_groups, weights, own_b, separations, none_wanted[:groups].copy())


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
def _rest_chains(states, total, work, chance, best, adults, thresholds, weights, own_b, separations, begin, size,
                 none_wanted):
    """The unnormalised chains of ``_rest_distribution`` of the ``size`` households of ``adults``
    from ``begin`` in a :class:`RestLayout`'s order, all at the node's ``chance`` and ``best``
    wage: ``states[k, r]`` for k = 0 .. adults and their ``total`` (``work``: 5 rows of
    scratch). The same arithmetic in the same order as one household at a time, states past a
    chain's end 0, so normalised they are its distribution where the total is finite."""
    hired, hired_next, count, ratio, alive = work[0], work[1], work[2], work[3], work[4]
    for r in range(size):
        states[0, r] = 1.0
        total[r] = 1.0
        alive[r] = 1.0
    _hire_chances(hired, weights[0], chance, begin, size)
    reach = min(adults, thresholds.shape[0])
    if none_wanted:  # b P = 0 reaches no threshold (``_rest_layout``)
        count[:size] = 0.0
    for k in range(adults):
        _hire_chances(hired_next, weights[k + 1], chance, begin, size)
        if not none_wanted:
            _wanted_counts(count, ratio, own_b, hired, best, thresholds, reach, begin, size)
        _chain_step(states[k], states[k + 1], hired, hired_next, count, alive, total, adults, k, separations[k], best,
                    size)


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
def _rest_jobs_by_node(jobs, expected, at, active, layout, node, own, best, skill_weight, referral, separation,
                       adults, in_enterprise, farm_thresholds, enterprise_thresholds, elasticity, out, states, total,
                       mean, work):
    """Each ``active`` node's expected jobs at turnover's rest at its chance ``at`` (in place on
    ``jobs``): its households' (``expected``, by place in ``layout.rows``) summed in row order.
    A household whose chain's total is not finite (hired for sure) takes ``_rest_distribution``."""
    rows, first, order, starts, group_adults, enterprise, node_groups, weights, own_b, separations, none_wanted = layout
    for g in range(jobs.shape[0]):
        if not active[g]:
            continue
        for q in range(node_groups[g], node_groups[g + 1]):
            a, begin, size = group_adults[q], starts[q], starts[q + 1] - starts[q]
            thresholds = enterprise_thresholds if enterprise[q] else farm_thresholds
            _rest_chains(states, total, work, at[g], best[g], a, thresholds, weights, own_b, separations, begin, size,
                         none_wanted[q])
            _expected_jobs(mean, states, total, a, size)
            for r in range(size):
                j = order[begin + r]
                if np.isfinite(total[r]):
                    expected[j] = mean[r]
                else:
                    i = rows[j]
                    expected[j] = _rest_distribution(out, at[g], own[i], best[g], skill_weight[i], referral,
                                                      separation, a, in_enterprise[i], farm_thresholds,
                                                      enterprise_thresholds, elasticity)
        total_g = 0.0
        for j in range(first[g], first[g + 1]):
            total_g += expected[j]
        jobs[g] = total_g


@njit(cache=True, error_model=ERROR_MODEL)
def _willing_by_node(jobs, willing, layout, best, farm_thresholds, enterprise_thresholds, work):
    """Each node's jobs at a chance of 1 (into ``jobs``): its households' :func:`_willing` (into
    ``willing``, by place in ``layout.rows``; a group's households at once, the count of
    :func:`_wanted_counts` at a chance of 1) summed in row order."""
    rows, first, order, starts, group_adults, enterprise, node_groups, weights, own_b, separations, none_wanted = layout
    count, ratio, hired = work[2], work[3], work[0]
    for g in range(jobs.shape[0]):
        for q in range(node_groups[g], node_groups[g + 1]):
            a, begin, size = group_adults[q], starts[q], starts[q + 1] - starts[q]
            thresholds = enterprise_thresholds if enterprise[q] else farm_thresholds
            hired[:size] = 1.0  # the wage best * 1.0, as ``_willing`` weighs it
            _wanted_counts(count, ratio, own_b, hired, best[g], thresholds, min(a, thresholds.shape[0]), begin, size)
            for r in range(size):
                wanted = a if best[g] * 1.0 <= 0 else min(count[r], a)
                willing[order[begin + r]] = float(max(a - wanted, 0))
        total = 0.0
        for j in range(first[g], first[g + 1]):
            total += willing[j]
        jobs[g] = total


@njit(cache=True)
def _largest_group(starts):
    """Most rows of a group of ``starts`` (at least 1)."""
    size = 1
    for q in range(starts.shape[0] - 1):
        size = max(size, starts[q + 1] - starts[q])
    return size


@njit(cache=True)
def _most_adults(adults):
    """The most adults of a household (at least 1)."""
    most = 1
    for i in range(adults.shape[0]):
        most = max(most, adults[i])
    return most


@njit(cache=True, error_model=ERROR_MODEL)
def _solve_chance(layout, table_jobs, guess, node, own, best, skill_weight, referral, separation, adults,
                  in_enterprise, farm_thresholds, enterprise_thresholds, elasticity, n_nodes, iterations, tolerance,
                  bracket):
    """:func:`rest_chance` of the households of ``layout`` (:func:`_rest_layout`)."""
    most = layout[7].shape[0] - 1
    out = np.empty(most + 1)
    low, high = np.zeros(n_nodes), np.ones(n_nodes)
    f_low, f_high = -table_jobs.copy(), np.zeros(n_nodes)  # no jobs at c = 0
    jobs = np.zeros(n_nodes)
    active = np.ones(n_nodes, np.bool_)
    rows, starts = layout[0], layout[3]
    largest = _largest_group(starts)
    states, total_r = np.empty((most + 1, largest)), np.empty(largest)
    mean, work = np.empty(largest), np.empty((5, largest))
    expected = np.empty(rows.shape[0])
    _willing_by_node(jobs, expected, layout, best, farm_thresholds, enterprise_thresholds, work)
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
        _rest_jobs_by_node(jobs, expected, at, active, layout, node, own, best, skill_weight, referral, separation,
                           adults, in_enterprise, farm_thresholds, enterprise_thresholds, elasticity, out, states,
                           total_r, mean, work)
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
    layout = _rest_layout(node, own, best, skill_weight, referral, separation, adults, in_market, in_enterprise,
                          farm_thresholds, enterprise_thresholds, elasticity, n_nodes, _most_adults(adults))
    return _solve_chance(layout, table_jobs, guess, node, own, best, skill_weight, referral, separation, adults,
                         in_enterprise, farm_thresholds, enterprise_thresholds, elasticity, n_nodes, iterations,
                         tolerance, bracket)


class RestJobs(NamedTuple):
    """Wage jobs at turnover's rest (``start.jobs_at_turnover_rest``)."""

    expected: np.ndarray  # (households,) expected jobs (persons)
    drawn: np.ndarray     # (households,) jobs drawn from the rest distribution with ``u`` (persons)


@njit(cache=True, error_model=ERROR_MODEL)
def _draw_jobs(layout, chance, u, node, own, best, skill_weight, referral, separation, adults, in_market,
               in_enterprise, farm_thresholds, enterprise_thresholds, elasticity):
    """:func:`rest_jobs` with the seeking households of ``layout`` (:func:`_rest_layout`)."""
    n, n_nodes = node.shape[0], chance.shape[0]
    most = layout[7].shape[0] - 1
    out = np.empty(most + 1)
    expected = np.zeros(n)
    drawn = np.zeros(n, np.int32)
    rows, first, order, starts, group_adults, enterprise, node_groups, weights, own_b, separations, none_wanted = layout
    largest = _largest_group(starts)
    states, total, work = np.empty((most + 1, largest)), np.empty(largest), np.empty((5, largest))
    done = np.zeros(n, np.bool_)
    for g in range(n_nodes):
        for q in range(node_groups[g], node_groups[g + 1]):
            a, begin, size = group_adults[q], starts[q], starts[q + 1] - starts[q]
            thresholds = enterprise_thresholds if enterprise[q] else farm_thresholds
            _rest_chains(states, total, work, chance[g], best[g], a, thresholds, weights, own_b, separations, begin,
                         size, none_wanted[q])
            for r in range(size):
                i = rows[order[begin + r]]
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
    for i in range(n):
        if not in_market[i] or done[i]:
            continue
        g = node[i]
        expected[i] = _rest_distribution(out, chance[g], own[i], best[g], skill_weight[i], referral, separation,
                                         adults[i], in_enterprise[i], farm_thresholds, enterprise_thresholds, elasticity)
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
    layout = _rest_layout(node, own, best, skill_weight, referral, separation, adults, in_market, in_enterprise,
                          farm_thresholds, enterprise_thresholds, elasticity, chance.shape[0], _most_adults(adults))
    return _draw_jobs(layout, chance, u, node, own, best, skill_weight, referral, separation, adults, in_market,
                      in_enterprise, farm_thresholds, enterprise_thresholds, elasticity)


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
    layout = _rest_layout(node, own, best, skill_weight, referral, separation, adults, in_market, in_enterprise,
                          farm_thresholds, enterprise_thresholds, elasticity, n_nodes, _most_adults(adults))
    chance = _solve_chance(layout, table_jobs, guess, node, own, best, skill_weight, referral, separation, adults,
                           in_enterprise, farm_thresholds, enterprise_thresholds, elasticity, n_nodes, iterations,
                           tolerance, bracket)
    expected, drawn = _draw_jobs(layout, chance, u, node, own, best, skill_weight, referral, separation, adults,
                                 in_market, in_enterprise, farm_thresholds, enterprise_thresholds, elasticity)
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
