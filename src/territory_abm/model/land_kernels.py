"""Compiled loops of the land rental market (``land_market``)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .exact import maximum
from .kernels import ERROR_MODEL, _alive_node_sums, kernel


class Tenancy(NamedTuple):
    log_rent: np.ndarray    # (n_nodes,) log rent that clears (USD per effective ha); nan where no market
    net: np.ndarray         # (households,) effective ha rented in (negative: let)
    estate_let: np.ndarray  # (estates,) effective ha each estate lets
    coef: np.ndarray        # (households,) c in a farm's land wanted c r^(-k) at rent r (0: not farming)


@njit(cache=True, error_model=ERROR_MODEL)
def _by_node(node, member, n_nodes):
    """Rows with ``member`` grouped by node (a counting sort): node g's rows are
    ``rows[start[g]:start[g + 1]]``. Households come mostly in runs of one node: a run's count
    and place are kept in registers, and every row is counted (0 or 1) and written (a row not
    listed to a spare last place) without a jump on whether it is a member, which follows no
    order the processor predicts."""
    start = np.zeros(n_nodes + 1, np.int64)
    run, count = -1, 0
    for i in range(node.shape[0]):
        if node[i] != run:
            if run >= 0:
                start[run + 1] += count
            run, count = node[i], 0
        count += member[i]
    if run >= 0:
        start[run + 1] += count
    for g in range(n_nodes):
        start[g + 1] += start[g]
    total = start[n_nodes]
    rows = np.empty(total + 1, np.int64)
    fill = start[:n_nodes].copy()
    run, place = -1, 0
    for i in range(node.shape[0]):
        if node[i] != run:
            if run >= 0:
                fill[run] = place
            run = node[i]
            place = fill[run]
        rows[place if member[i] else total] = i
        place += member[i]
    return rows[:total], start


RENT_TOLERANCE = 1e-12
"""Width of the bracket of log rents at which the search stops."""


SEARCHED_AT_ONCE = 4
"""Nodes whose searches :func:`_search` steps side by side (each excess is a running sum that
waits on the addition before it: four sums at once keep the adder busy)."""


@njit(cache=True, error_model=ERROR_MODEL)
def _search(nodes, lo, hi, iterations, c_by, own_by, floor_by, cap_by, years, start, offered, estate_coef,
            estate_land, e_rows, e_start, k_h, estate_exponent):
    """The root in [``lo[j]``, ``hi[j]``] of each node j of ``nodes`` of its decreasing excess
    (:func:`_excess_at`): regula falsi with the Illinois halving (Dowell & Jarratt 1971,
    doi:10.1007/BF01934364), stopped when the bracket is narrower than ``RENT_TOLERANCE`` or
    after ``iterations`` steps; ``lo`` where excess is not positive there, ``hi`` where it is
    still positive there. Returns the roots by node (NaN for nodes not searched).

    Each node's search is its own sequence of steps; ``SEARCHED_AT_ONCE`` of them advance side
    by side, their excesses summed in one pass (each in its own order, as alone). ``excess(hi)``
    is not computed where ``excess(lo)`` already decides."""
    W = SEARCHED_AT_ONCE
    root = np.full(lo.shape[0], np.nan)
    slot = np.full(W, -1, np.int64)  # node of each slot (-1: none)
    a, b = np.zeros(W), np.zeros(W)  # the bracket
    f_a, f_b = np.zeros(W), np.zeros(W)  # excess at its ends (Illinois-halved)
    x = np.zeros(W)  # the last point of the iteration (``b`` before any step)
    at = np.zeros(W)  # where the excess is wanted next
    side = np.zeros(W, np.int64)
    steps = np.zeros(W, np.int64)
    stage = np.zeros(W, np.int64)  # 0: excess(a) wanted; 1: excess(b); 2: iterating
    f = np.zeros(W)
    queued = 0
    for s in range(W):
        if queued < nodes.shape[0]:
            j = nodes[queued]
            queued += 1
            slot[s], a[s], b[s], stage[s], at[s] = j, lo[j], hi[j], 0, lo[j]
    while True:
        busy = 0
        for s in range(W):
            busy += slot[s] >= 0
        if busy == 0:
            break
        _excess_at(at, slot, f, c_by, own_by, floor_by, cap_by, years, start, offered, estate_coef, estate_land,
                   e_rows, e_start, k_h, estate_exponent)
        for s in range(W):
            if slot[s] < 0:
                continue
            done, value = False, 0.0
            if stage[s] == 0:
                f_a[s] = f[s]
                if f_a[s] <= 0.0:
                    done, value = True, a[s]
                else:
                    stage[s], at[s] = 1, b[s]
            elif stage[s] == 1:
                f_b[s] = f[s]
                if f_b[s] >= 0.0:
                    done, value = True, b[s]
                else:
                    stage[s], x[s], side[s], steps[s] = 2, b[s], 0, 0
            elif f[s] == 0.0:
                done, value = True, x[s]
            elif f[s] > 0.0:
                a[s], f_a[s] = x[s], f[s]
                if side[s] == 1:
                    f_b[s] *= 0.5
                side[s] = 1
            else:
                b[s], f_b[s] = x[s], f[s]
                if side[s] == -1:
                    f_a[s] *= 0.5
                side[s] = -1
            while True:  # until the slot wants an excess or has no node left
                if not done and stage[s] == 2:
                    if steps[s] >= iterations:
                        done, value = True, x[s]
                    else:
                        x[s] = (a[s] * f_b[s] - b[s] * f_a[s]) / (f_b[s] - f_a[s])
                        steps[s] += 1
                        if b[s] - a[s] < RENT_TOLERANCE:  # done at this step, whatever the excess there
                            done, value = True, x[s]
                        else:
                            at[s] = x[s]
                if not done:
                    break
                root[slot[s]] = value
                done = False
                if queued < nodes.shape[0]:
                    j = nodes[queued]
                    queued += 1
                    slot[s], a[s], b[s], stage[s], at[s] = j, lo[j], hi[j], 0, lo[j]
                else:
                    slot[s] = -1
                    break
    return root


@njit(cache=True, error_model=ERROR_MODEL)
def _excess_at(log_rent, slot, out, c_by, own_by, floor_by, cap_by, years, start, offered, estate_coef,
               estate_land, e_rows, e_start, k_h, estate_exponent):
    """``out[s]``: effective hectares wanted less those offered in node ``slot[s]`` at
    ``log_rent[s]``, for the ``SEARCHED_AT_ONCE`` slots (-1: none): farms ``start[j]`` ..
    ``start[j + 1]`` of the node-ordered arrays want max(min(c r^(-k) - own, cap / (r years)),
    floor) each (rental: the floor is minus the land they hold, no cap (``cap_by`` empty);
    sale at price r years: floor 0, cap their assets), ``offered[j]`` is let or for sale by
    others, and the node's estates ``e_rows[e_start[j]:e_start[j + 1]]`` let what they do not
    keep. Each node's farms are added in order, the four nodes' in one pass as far as the
    shortest goes (a slot without a node repeats the first busy one's, unused)."""
    busy = 0
    for s in range(4):
        if slot[s] >= 0:
            busy = s
            break
    j0, j1, j2, j3 = slot[0], slot[1], slot[2], slot[3]
    j0, j1, j2, j3 = (j0 if j0 >= 0 else slot[busy]), (j1 if j1 >= 0 else slot[busy]), \
        (j2 if j2 >= 0 else slot[busy]), (j3 if j3 >= 0 else slot[busy])
    x0, x1, x2, x3 = log_rent[0], log_rent[1], log_rent[2], log_rent[3]
    x0, x1, x2, x3 = (x0 if slot[0] >= 0 else log_rent[busy]), (x1 if slot[1] >= 0 else log_rent[busy]), \
        (x2 if slot[2] >= 0 else log_rent[busy]), (x3 if slot[3] >= 0 else log_rent[busy])
    f0, f1, f2, f3 = start[j0], start[j1], start[j2], start[j3]
    n0, n1, n2, n3 = start[j0 + 1] - f0, start[j1 + 1] - f1, start[j2 + 1] - f2, start[j3 + 1] - f3
    sc0, sc1, sc2, sc3 = np.exp(-k_h * x0), np.exp(-k_h * x1), np.exp(-k_h * x2), np.exp(-k_h * x3)
    e0, e1, e2, e3 = -offered[j0], -offered[j1], -offered[j2], -offered[j3]
    m = min(min(n0, n1), min(n2, n3))
    # the node's farms as slices: indices from 0 need no check for negative ones
    c0, c1, c2, c3 = c_by[f0:f0 + n0], c_by[f1:f1 + n1], c_by[f2:f2 + n2], c_by[f3:f3 + n3]
    o0, o1, o2, o3 = own_by[f0:f0 + n0], own_by[f1:f1 + n1], own_by[f2:f2 + n2], own_by[f3:f3 + n3]
    l0, l1, l2, l3 = floor_by[f0:f0 + n0], floor_by[f1:f1 + n1], floor_by[f2:f2 + n2], floor_by[f3:f3 + n3]
    if cap_by.shape[0] == 0:  # no cap (the rental market): min(x, inf) is x, NaN included
        for q in range(m):
            e0 += max(c0[q] * sc0 - o0[q], l0[q])
            e1 += max(c1[q] * sc1 - o1[q], l1[q])
            e2 += max(c2[q] * sc2 - o2[q], l2[q])
            e3 += max(c3[q] * sc3 - o3[q], l3[q])
        for q in range(m, n0):
            e0 += max(c0[q] * sc0 - o0[q], l0[q])
        for q in range(m, n1):
            e1 += max(c1[q] * sc1 - o1[q], l1[q])
        for q in range(m, n2):
            e2 += max(c2[q] * sc2 - o2[q], l2[q])
        for q in range(m, n3):
            e3 += max(c3[q] * sc3 - o3[q], l3[q])
    else:
        p0, p1, p2, p3 = cap_by[f0:f0 + n0], cap_by[f1:f1 + n1], cap_by[f2:f2 + n2], cap_by[f3:f3 + n3]
        b0, b1 = 1.0 / (years * np.exp(x0)), 1.0 / (years * np.exp(x1))
        b2, b3 = 1.0 / (years * np.exp(x2)), 1.0 / (years * np.exp(x3))
        for q in range(m):
            e0 += max(min(c0[q] * sc0 - o0[q], p0[q] * b0), l0[q])
            e1 += max(min(c1[q] * sc1 - o1[q], p1[q] * b1), l1[q])
            e2 += max(min(c2[q] * sc2 - o2[q], p2[q] * b2), l2[q])
            e3 += max(min(c3[q] * sc3 - o3[q], p3[q] * b3), l3[q])
        for q in range(m, n0):
            e0 += max(min(c0[q] * sc0 - o0[q], p0[q] * b0), l0[q])
        for q in range(m, n1):
            e1 += max(min(c1[q] * sc1 - o1[q], p1[q] * b1), l1[q])
        for q in range(m, n2):
            e2 += max(min(c2[q] * sc2 - o2[q], p2[q] * b2), l2[q])
        for q in range(m, n3):
            e3 += max(min(c3[q] * sc3 - o3[q], p3[q] * b3), l3[q])
    out[0], out[1], out[2], out[3] = e0, e1, e2, e3
    for s in range(4):
        if slot[s] < 0:
            continue
        j = slot[s]
        estate_scale = np.exp(-estate_exponent * log_rent[s])
        excess = out[s]
        for q in range(e_start[j], e_start[j + 1]):
            keep = estate_coef[e_rows[q]] * estate_scale
            if keep < estate_land[e_rows[q]]:
                excess -= estate_land[e_rows[q]] - keep
        out[s] = excess


@njit(cache=True, error_model=ERROR_MODEL)
def _largest_first(start, searched):
    """The nodes j with ``searched[j]``, those with the most farms (``start[j + 1] - start[j]``)
    first, so that the searches :func:`_search` steps side by side sum runs of about the same
    length (each node's root is the same in any order)."""
    farms = start[1:] - start[:-1]
    order = np.argsort(-farms, kind="mergesort")
    return order[searched[order]]


@kernel(Tenancy)
def clear_rents(revenue_per_land, adults, employed, quality, land, garden_plot, alive, tfp, node, estate_coef, estate_land,
                estate_node, low, high, has, land_elasticity, labour_elasticity, estate_exponent, iterations):
    """The year's tenancy: the log rent (USD per effective ha) that clears each node's rental
    market, searched in [``low``, ``high``] (at most ``iterations`` steps of regula falsi), and each farm's,
    idle household's and estate's position at it.

    A household in the market (``alive``, ``tfp`` > 0, in a node that ``has`` a market) with
    family workers L = ``adults`` - ``employed`` (integers) farms if L > 0 and its expected
    revenue ``revenue_per_land`` R at one worker per effective hectare^a is positive; it is
    idle if L <= 0 and it holds ``land``. It holds ``held`` = q h effective ha and farms on
    ``own`` = q max(h, ``garden_plot``) (q its land ``quality``, h its ``land``). A farming
    household values an effective hectare at a c^(1/k) E'^(-1/k) at E' hectares,
    c = (a R max(L, 1)^b)^k, k = 1 / (1 - a), so at
    rent r it farms max(c r^(-k), ``own`` - ``held``) (it may let the land it holds, not its
    garden plot) and rents in that less ``own`` (negative: lets); an idle household lets
    all it holds; an estate with ``estate_coef`` c_e keeps min(c_e r^(-k_e), its
    ``estate_land``) and lets the rest (k_e = ``estate_exponent``). The rent is where demand
    first no longer exceeds supply; what is then wanted and let are matched pro rata (the
    long side is served in proportion). Households and estates are grouped by node (a
    counting sort) so each node's search reads only its own (:func:`_search`). (One pass over the
    households finds the farms and the idle: the same values as numpy's passes.)"""
    n_nodes = low.shape[0]
    a, b = land_elasticity, labour_elasticity
    k_h = 1.0 / (1.0 - a)
    n = node.shape[0]
    coef = np.zeros(n)
    idle_supply = np.zeros(n_nodes)
    farming = np.zeros(n, np.bool_)
    idle = np.zeros(n, np.bool_)
    # L^b by family size, one power each (a table up to the most adults: the same powers)
    labour_term = np.arange(max(adults.max(), 1) + 1).astype(np.float64) ** b if n else np.ones(2)
    labour_term[0] = 1.0
    # one pass finds the farms (their coefficients, in row order) and the idle and counts the
    # farms by node; a second groups the farms by node (a counting sort, in row order)
    start = np.zeros(n_nodes + 1, np.int64)
    for i in range(n):
        if not (alive[i] and tfp[i] > 0 and has[node[i]]):
            continue
        family = adults[i] - employed[i]
        if family > 0 and revenue_per_land[i] > 0:
            farming[i] = True
            coef[i] = (a * revenue_per_land[i] * labour_term[family]) ** k_h
            start[node[i] + 1] += 1
        elif family <= 0 and land[i] > 0:
            idle[i] = True
            idle_supply[node[i]] += quality[i] * land[i]
    for g in range(n_nodes):
        start[g + 1] += start[g]
    rows = np.empty(start[n_nodes], np.int64)
    c_by, own_by, let_by = np.empty(rows.size), np.empty(rows.size), np.empty(rows.size)
    fill = start[:n_nodes].copy()
    for i in range(n):
        if farming[i]:
            q = fill[node[i]]
            fill[node[i]] = q + 1
            rows[q], c_by[q] = i, coef[i]
            own_by[q], let_by[q] = quality[i] * maximum(land[i], garden_plot), -(quality[i] * land[i])
    no_cap = np.zeros(0)  # the rental market has no cap (see _excess)
    e_rows, e_start = _by_node(estate_node, estate_coef >= 0.0, n_nodes)
    log_rent = np.full(n_nodes, np.nan)
    net = np.zeros(n)
    net_by = np.empty(rows.size)
    estate_let = np.zeros(estate_node.shape[0])
    taken_at = np.zeros(n_nodes)
    roots = _search(_largest_first(start, has), low, high, iterations, c_by, own_by, let_by, no_cap, 1.0, start,
                    idle_supply, estate_coef, estate_land, e_rows, e_start, k_h, estate_exponent)
    for j in range(n_nodes):
        if not has[j]:
            continue
        rent = roots[j]
        log_rent[j] = rent
        scale, estate_scale = np.exp(-k_h * rent), np.exp(-estate_exponent * rent)
        wanted, supply = 0.0, idle_supply[j]
        for q in range(start[j], start[j + 1]):
            net_by[q] = max(c_by[q] * scale - own_by[q], let_by[q])
            if net_by[q] > 0.0:
                wanted += net_by[q]
            else:
                supply -= net_by[q]
        for q in range(e_start[j], e_start[j + 1]):
            e = e_rows[q]
            estate_let[e] = max(estate_land[e] - min(estate_coef[e] * estate_scale, estate_land[e]), 0.0)
            supply += estate_let[e]
        taken = min(wanted / supply, 1.0) if supply > 0.0 else 0.0  # suppliers let what tenants take,
        taken_at[j] = taken
        served = min(supply / wanted, 1.0) if wanted > 0.0 else 0.0  # tenants take what is let, pro rata
        for q in range(start[j], start[j + 1]):
            net[rows[q]] = net_by[q] * (served if net_by[q] > 0.0 else taken)
        for q in range(e_start[j], e_start[j + 1]):
            estate_let[e_rows[q]] *= taken
    for i in range(n):
        if idle[i]:
            net[i] = -(quality[i] * land[i]) * taken_at[node[i]]
    return log_rent, net, estate_let, coef


class Headcount(NamedTuple):
    adults: np.ndarray      # (n_nodes,) adults of the alive households (persons)
    households: np.ndarray  # (n_nodes,) alive households


@kernel(Headcount)
def headcount(node, alive, adults, n_nodes):
    """Adults and households alive by node, in one pass (whole numbers: exact in any order)."""
    grown = np.zeros(n_nodes)
    households = np.zeros(n_nodes)
    n = node.shape[0]
    i = 0
    while i < n:  # a run of one node's rows: its sums in registers (households come mostly in such runs)
        if not alive[i]:
            i += 1
            continue
        g = node[i]
        run_adults, run_households = grown[g], households[g]
        while i < n and (not alive[i] or node[i] == g):
            if alive[i]:
                run_adults += adults[i]
                run_households += 1.0
            i += 1
        grown[g], households[g] = run_adults, run_households
    return grown, households


@kernel()
def pick_formers(node, alive, adults, count, key):
    """Rows (sorted) of the households an adult child leaves: in each node g, ``count[g]`` of
    its alive households with two or more adults (all of them if fewer), those with the
    smallest ``key`` / (adults - 1); with ``key`` independent standard exponentials this is
    a draw without replacement weighted by adults - 1 (Efraimidis & Spirakis 2006)."""
    member = np.zeros(node.shape[0], np.bool_)
    for i in range(node.shape[0]):
        # all three tested (no jump on each: which households can form follows no order)
        member[i] = alive[i] & (adults[i] >= 2) & (count[node[i]] > 0)
    return np.sort(_pick_by_node(node, member, count, key, adults, True))


@kernel()
def pick_in_nodes(node, count, key):
    """In each node g the ``count[g]`` rows (all, if fewer) with the smallest ``key``: with
    independent uniform keys a draw without replacement. By node, and in row order within a
    node."""
    return _pick_by_node(node, count[node] > 0, count, key, node, False)


class UnionCandidates(NamedTuple):
    adults: np.ndarray          # (n_nodes,) adults alive by node (as ``headcount``)
    households: np.ndarray      # (n_nodes,) households alive by node
    singles: np.ndarray         # rows of the singles (``formation.union_partners``), in row order
    alone: np.ndarray           # rows of the households of one adult (the singles among them), in row order
    singles_by_node: np.ndarray  # (n_nodes,) singles by node
    alone_by_node: np.ndarray    # (n_nodes,) households of one adult by node


@kernel(UnionCandidates)
def union_candidates(alive, adults, members, enterprise_capital, loan_balance, owner, node, n_nodes):
    """``headcount``'s adults and households by node, the alive households of one adult and the
    singles among them (one person, no enterprise capital, no loan, not an estate's ``owner``),
    with their counts by node, in one pass."""
    grown = np.zeros(n_nodes)
    households = np.zeros(n_nodes)
    singles = np.empty(node.shape[0], np.int64)
    alone = np.empty(node.shape[0], np.int64)
    singles_by_node = np.zeros(n_nodes, np.int64)
    alone_by_node = np.zeros(n_nodes, np.int64)
    s = a = 0
    for i in range(node.shape[0]):
        if not alive[i]:
            continue
        g = node[i]
        grown[g] += adults[i]
        households[g] += 1.0
        if adults[i] != 1:
            continue
        alone[a] = i
        a += 1
        alone_by_node[g] += 1
        if members[i] == 1 and enterprise_capital[i] <= 0.0 and loan_balance[i] <= 0.0 and not owner[i]:
            singles[s] = i
            s += 1
            singles_by_node[g] += 1
    return grown, households, singles[:s], alone[:a], singles_by_node, alone_by_node


@kernel()
def redirect_ties(remits_to, ids, to):
    """In place: ``remits_to`` entries equal to one of ``ids`` (sorted) become its ``to``."""
    for i in range(remits_to.shape[0]):
        r = remits_to[i]
        if r < 0:
            continue
        k = np.searchsorted(ids, r)
        if k < ids.shape[0] and ids[k] == r:
            remits_to[i] = to[k]


@njit(cache=True, error_model=ERROR_MODEL)
def _pick_by_node(node, member, count, key, adults, by_adults):
    """In each node g, ``count[g]`` of its ``member`` rows (all of them if fewer) with the
    smallest ``key`` (over ``adults`` - 1 where ``by_adults``), by node and in row order within one."""
    n_nodes = count.shape[0]
    rows, start = _by_node(node, member, n_nodes)
    total = 0
    for g in range(n_nodes):
        total += min(int(count[g]), start[g + 1] - start[g])
    chosen = np.empty(total, np.int64)
    k = 0
    for g in range(n_nodes):
        size = start[g + 1] - start[g]
        take = min(int(count[g]), size)
        if take == 0:
            continue
        mine = rows[start[g]:start[g + 1]]
        if take == size:
            chosen[k:k + take] = mine
        else:
            keys = np.empty(size)
            for j in range(size):
                keys[j] = key[mine[j]] / (adults[mine[j]] - 1.0) if by_adults else key[mine[j]]
            chosen[k:k + take] = _smallest(keys, mine, take)
        k += take
    return chosen


@njit(cache=True, error_model=ERROR_MODEL)
def _kth_smallest(keys, k):
    """The ``k``-th smallest of ``keys`` (0 < k <= size), the value ``np.partition`` puts at
    k - 1, in one pass that keeps the k smallest seen in order (few enter once it is full:
    cheaper than partitioning a copy when k is small against the size); by ``np.partition``
    itself where a key is NaN."""
    kept = np.empty(k)
    m = 0
    for j in range(keys.shape[0]):
        x = keys[j]
        if x != x:
            return np.partition(keys, k - 1)[k - 1]
        if m < k or x < kept[k - 1]:
            p = m if m < k else k - 1
            while p > 0 and kept[p - 1] > x:
                kept[p] = kept[p - 1]
                p -= 1
            kept[p] = x
            m = min(m + 1, k)
    return kept[k - 1]


@njit(cache=True, error_model=ERROR_MODEL)
def _smallest(keys, rows, take):
    """The ``rows`` with the ``take`` smallest ``keys`` (0 < take < size), in row order: by a
    selection (linear time) where they are exactly the rows whose key is at most the take-th
    smallest, else (a tie across that place, or NaN keys among them) as the first ``take`` of
    ``np.argsort``, whose choice among ties the result keeps."""
    threshold = _kth_smallest(keys, take)
    within = 0
    for j in range(keys.shape[0]):
        if keys[j] <= threshold:
            within += 1
    if within != take:
        return rows[np.argsort(keys)[:take]]
    out = np.empty(take, np.int64)
    m = 0
    for j in range(keys.shape[0]):
        if keys[j] <= threshold:
            out[m] = rows[j]
            m += 1
    return out


class Sales(NamedTuple):
    log_price: np.ndarray  # (n_nodes,) log price (USD per effective ha) at which the land for sale sold; nan: none
    bought: np.ndarray     # (households,) effective ha each household bought


@kernel(Sales)
def sell_land(coef, quality, land, garden_plot, assets, node, alive, for_sale, low, high, years, exponent, iterations):
    """Each node's land for sale (``for_sale``, effective ha) sold to its buyers at the price
    that clears (USD per effective ha; its log over ``years`` searched between ``low`` and
    ``high`` by :func:`_search`, as a rent): an ``alive`` household with land coefficient
    ``coef`` c > 0 (the rental market's: it farms c r^(-k) at rent r, k = ``exponent``; the
    rows beyond ``coef``, households formed since, do not buy) and ``own`` effective ha (its
    ``land``, at least the ``garden_plot``, times its land ``quality``:
    ``land_market.own_effective_land``) buys up to the holding at which a hectare's rent over
    ``years`` years is the price, c (price / years)^(-k) - ``own``, no more than its ``assets``
    pay for. Where demand at the lowest price falls short,
    what is demanded is sold at that price; where it exceeds the land for sale at the price
    found (within the search's tolerance), buyers are served pro rata."""
    n_nodes = for_sale.shape[0]
    member = np.zeros(node.shape[0], np.bool_)
    for i in range(min(node.shape[0], coef.shape[0])):
        # all three tested (no jump on each: which households farm follows no order)
        member[i] = alive[i] & (coef[i] > 0.0) & (for_sale[node[i]] > 0.0)
    rows, start = _by_node(node, member, n_nodes)
    c_by, cap_by = coef[rows], assets[rows]
    own_by = np.empty(rows.size)
    for q in range(rows.size):
        own_by[q] = quality[rows[q]] * maximum(land[rows[q]], garden_plot)
    floor_by = np.zeros(rows.size)
    no_estates = np.zeros(0, np.int64)
    log_price = np.full(n_nodes, np.nan)
    bought = np.zeros(node.shape[0])
    searched = np.zeros(n_nodes, np.bool_)
    for j in range(n_nodes):
        searched[j] = not (for_sale[j] <= 0.0 or start[j + 1] == start[j])
    roots = _search(_largest_first(start, searched), low - np.log(years), high - np.log(years), iterations, c_by,
                    own_by, floor_by, cap_by, years, start, for_sale, np.zeros(0), np.zeros(0), no_estates,
                    np.zeros(n_nodes + 1, np.int64), exponent, 1.0)
    for j in range(n_nodes):
        if not searched[j]:
            continue
        x = roots[j]
        price, scale = years * np.exp(x), np.exp(-exponent * x)
        total = 0.0
        for q in range(start[j], start[j + 1]):
            i = rows[q]
            bought[i] = max(min(c_by[q] * scale - own_by[q], cap_by[q] / price), 0.0)
            total += bought[i]
        if total <= 0.0:
            continue
        log_price[j] = np.log(price)
        if total > for_sale[j]:
            for q in range(start[j], start[j + 1]):
                bought[rows[q]] *= for_sale[j] / total
    return log_price, bought


@kernel()
def land_by_node(node, alive, land, n_nodes):
    """Land (ha) of the alive households by node, as ``np.bincount(node, land * alive)`` adds
    it: in row order, the rows not alive adding 0.0, which changes no sum (land is finite)."""
    out = np.zeros(n_nodes)
    _alive_node_sums(node, alive, land, 0.0, out)
    return out


class HandOver(NamedTuple):
    rows: np.ndarray    # (k,) households whose holding grows (ascending)
    gained: np.ndarray  # (k,) hectares each gains


@kernel(HandOver)
def hand_over_land(freed, node, alive, land):
    """Land freed by households that left their node (``freed``, ha by node) passes to the
    node's alive landholders in proportion to their holdings: each holding h becomes
    h (1 + freed / held), held the node's land in alive holdings. Returns the rows whose
    holding that changes and what each gains (the new holding less h; ``land`` is not
    changed). Where a node has no landholder left the land is abandoned."""
    n_nodes = freed.shape[0]
    held = np.zeros(n_nodes)
    _alive_node_sums(node, alive & (land > 0), land, 0.0, held)  # the landholders' land by node
    growth = np.zeros(n_nodes)
    any_growth = False
    for g in range(n_nodes):
        if held[g] > 0:
            growth[g] = freed[g] / held[g]
            any_growth = any_growth or growth[g] != 0.0
    rows = np.empty(node.shape[0] if any_growth else 0, np.int64)
    gained = np.empty(rows.shape[0])
    k = 0
    if any_growth:
        for i in range(node.shape[0]):
            if alive[i] and land[i] > 0:
                grown = land[i] * (1.0 + growth[node[i]])
                if grown != land[i]:
                    rows[k] = i
                    gained[k] = grown - land[i]
                    k += 1
    return rows[:k].copy(), gained[:k].copy()
