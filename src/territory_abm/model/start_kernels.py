"""Compiled loops (numba) of the start (:mod:`.start`), but for the start at job turnover's
rest, whose chains are in :mod:`.rest_kernels`.

The start solves per-node quantities by bisection; each step of a search needs a sum over
every household of its node. These kernels make one pass for that sum instead of numpy's
several (gather, multiply, clip, select, bincount) and add in row order, as ``np.bincount``
does, so that the searches give bit for bit what the numpy passes gave: the farm productivity
scale (:func:`farm_rows`, :func:`farm_scale_halvings`, :func:`farm_split`). The starting jobs'
rounds (:func:`keep_jobs`) take one pass per household and round instead of numpy's passes
over the rows still in play, with numpy's arithmetic in numpy's order and its powers from
tables numpy made. Besides: the migrants abroad at rest (:func:`income_ratios`,
:func:`abroad_log_weights`, :func:`draw_abroad`, for ``migration.migrants_abroad_at_rest``)
and their placement within incomes (:func:`placement_weights`, :func:`place_picks`), the
workers' mean skill and the nodes whose wages price households out. Conventions as in
:mod:`.kernels` (keyword-only calls).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .exact import maximum, minimum, pairwise_sum
from .kernels import WAGE_FLOOR, kernel


@njit(cache=True)
def _group_rows(keep, node, n_nodes):
    """The rows ``keep`` grouped by ``node``, in row order within each (a stable counting sort):
    node g's are ``rows[first[g]:first[g + 1]]``; returns ``rows, first``."""
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
