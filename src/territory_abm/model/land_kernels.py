"""Compiled loops of the land rental market (``land_market``)."""

from __future__ import annotations

import numpy as np

from .kernels import kernel


@kernel()
def clear_rents(coef, own, least, node, idle_supply, estate_coef, estate_land, estate_node, low, high, has,
                land_exponent, estate_exponent, iterations):
    """Log rent (USD per effective ha) at which each node's rental market clears, by
    bisection on [``low``, ``high``] (``iterations`` halvings; nan where ``has`` is False).

    At rent r a farm with ``coef`` c > 0 farms max(c r^(-k), ``least``) effective hectares and
    rents in that less ``own`` (negative: it lets), k = ``land_exponent`` = 1 / (1 - a),
    c = (a R)^k, R its revenue per effective hectare^a, ``least`` its own land less what it
    may let;
    an estate with ``estate_coef`` c_e keeps min(c_e r^(-k_e), its ``estate_land``) and lets
    the rest (k_e = ``estate_exponent``); households with nobody on the farm let
    ``idle_supply`` (by node). The rent is where demand first no longer exceeds supply.
    Households are grouped by node (a counting sort) so each node's bisection reads only its
    own farms."""
    n_nodes = low.shape[0]
    start = np.zeros(n_nodes + 1, np.int64)
    for i in range(coef.shape[0]):
        if coef[i] > 0.0:
            start[node[i] + 1] += 1
    for j in range(n_nodes):
        start[j + 1] += start[j]
    rows = np.empty(start[n_nodes], np.int64)
    fill = start[:n_nodes].copy()
    for i in range(coef.shape[0]):
        if coef[i] > 0.0:
            rows[fill[node[i]]] = i
            fill[node[i]] += 1
    log_rent = np.full(n_nodes, np.nan)
    for j in range(n_nodes):
        if not has[j]:
            continue
        lo, hi = low[j], high[j]
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            rent = np.exp(mid)
            scale = rent ** (-land_exponent)
            demand = 0.0
            for k in range(start[j], start[j + 1]):
                i = rows[k]
                demand += max(coef[i] * scale, least[i]) - own[i]
            supply = idle_supply[j]
            estate_scale = rent ** (-estate_exponent)
            for q in range(estate_node.shape[0]):
                if estate_node[q] == j:
                    keep = estate_coef[q] * estate_scale
                    if keep < estate_land[q]:
                        supply += estate_land[q] - keep
            if demand - supply > 0.0:
                lo = mid
            else:
                hi = mid
        log_rent[j] = 0.5 * (lo + hi)
    return log_rent
