"""The land markets' searches side by side (``land_kernels._search``) find each node's root as
one search alone did, to the bit."""

import math

import numpy as np
import pytest

from territory_abm.model import land_kernels


def _falsi_alone(lo, hi, iterations, excess):
    """The search of one node as the rental market ran it before its searches went side by side."""
    f_lo, f_hi = excess(lo), excess(hi)
    if f_lo <= 0.0:
        return lo
    if f_hi >= 0.0:
        return hi
    x, side = hi, 0
    for _ in range(iterations):
        x = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        if hi - lo < land_kernels.RENT_TOLERANCE:
            break
        f = excess(x)
        if f == 0.0:
            break
        if f > 0.0:
            lo, f_lo = x, f
            if side == 1:
                f_hi *= 0.5
            side = 1
        else:
            hi, f_hi = x, f
            if side == -1:
                f_lo *= 0.5
            side = -1
    return x


@pytest.mark.parametrize("capped", [False, True])
def test_searches_side_by_side_find_each_nodes_root(capped):
    """Nodes of very different sizes (none, one farm, thousands), bracket ends that decide
    alone, NaN excess, every cap of the steps."""
    rng = np.random.default_rng(3)
    sizes = np.array([0, 1, 5, 3000, 17, 400, 2, 900, 64, 1])
    n_nodes = sizes.size
    start = np.concatenate([[0], np.cumsum(sizes)])
    c, own = rng.lognormal(0, 1, start[-1]), rng.lognormal(0, 1, start[-1])
    floor = -own * rng.random(start[-1])
    cap = rng.lognormal(0, 1, start[-1]) if capped else np.zeros(0)
    offered = rng.lognormal(0, 1, n_nodes)
    offered[2] = np.nan
    e_node = rng.integers(0, n_nodes, 12)
    e_coef, e_land = rng.lognormal(0, 1, 12), rng.lognormal(0, 1, 12)
    e_rows = np.argsort(e_node, kind="stable")
    e_start = np.concatenate([[0], np.cumsum(np.bincount(e_node, minlength=n_nodes))])
    lo, hi = rng.normal(-2, 1, n_nodes), rng.normal(2, 1, n_nodes)
    lo[4], hi[6] = 30.0, -30.0  # excess not positive at lo; still positive at hi
    k_h, k_e, years = 1.5, 2.0, 10.0

    def excess(j):
        def at(x):
            scale, total = math.exp(-k_h * x), -offered[j]
            for q in range(start[j], start[j + 1]):
                wanted = c[q] * scale - own[q]
                if capped:
                    wanted = min(wanted, cap[q] * (1.0 / (years * math.exp(x))))
                total += max(wanted, floor[q])
            for q in range(e_start[j], e_start[j + 1]):
                keep = e_coef[e_rows[q]] * math.exp(-k_e * x)
                if keep < e_land[e_rows[q]]:
                    total -= e_land[e_rows[q]] - keep
            return total
        return at

    nodes = np.array([3, 7, 0, 5, 1, 9, 2, 8, 4, 6])
    for iterations in (0, 1, 2, 5, 50):
        roots = land_kernels._search(nodes, lo, hi, iterations, c, own, floor, cap, years, start, offered, e_coef,
                                     e_land, e_rows, e_start, k_h, k_e)
        for j in range(n_nodes):
            alone = _falsi_alone(lo[j], hi[j], iterations, excess(j))
            assert np.array_equal(np.float64(roots[j]).view(np.uint64), np.float64(alone).view(np.uint64)), (j, iterations)
