"""Random-utility (logit) migration choice.

A household at node i compares staying (its own income per person, the home node's
services and a preference for staying) with every other node d:

    V[i, d] = a log(y_d) - c T[i, d] + n log(1 + 100 M[i, d] / P_i) + s q_d

with y_d expected income per person at d, T travel time, M the migrants from i already
at d, P_i the origin population and q_d service quality. Choice probabilities follow
the multinomial logit; who leaves is drawn by ``kernels.choose_movers``.
"""

from __future__ import annotations

import numpy as np

from .kernels import draw_destinations


def destination_utilities(income_pc: np.ndarray, travel: np.ndarray, migrant_stock: np.ndarray,
                          population: np.ndarray, services: np.ndarray, valid_dest: np.ndarray,
                          income_w: float, cost_w: float, network_w: float, services_w: float) -> np.ndarray:
    """(n, n) utility of moving from i to d; -inf for d == i or invalid destinations."""
    with np.errstate(divide="ignore", invalid="ignore"):
        network = np.log1p(100.0 * migrant_stock / np.maximum(population, 1.0)[:, None])
    v = (income_w * np.log(np.maximum(income_pc, 1.0))[None, :] - cost_w * travel
         + network_w * network + services_w * services[None, :])
    v = np.where(valid_dest[None, :] & np.isfinite(travel), v, -np.inf)
    np.fill_diagonal(v, -np.inf)
    return v


def choose_destinations(origins: np.ndarray, utilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one destination per mover from the logit shares of its origin's row."""
    if len(origins) == 0:
        return np.zeros(0, np.int64)
    v = utilities - np.max(utilities, axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        shares = np.exp(v)
    shares = np.nan_to_num(shares)
    cum = np.cumsum(shares, axis=1)
    cum /= np.where(cum[:, -1:] > 0, cum[:, -1:], 1.0)
    return draw_destinations(origins, cum, rng.random(len(origins)))
