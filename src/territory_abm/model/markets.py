"""Labour and goods markets (pure array functions, testable without Mesa)."""

from __future__ import annotations

import numpy as np


def match_labour(seekers: np.ndarray, vacancies: np.ndarray, wage: np.ndarray,
                 reachable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match job seekers to vacancies across nodes: local first, then higher wages first.

    Each node first fills its vacancies with its own seekers (employers hire through local
    networks; commuters take the jobs locals leave open). Then destination nodes are served
    in order of decreasing wage; each takes workers from the origins that can reach it, in
    proportion to their remaining seekers.

    Parameters
    ----------
    seekers : (n,) job seekers by origin node (persons)
    vacancies : (n,) open positions by destination node (persons)
    wage : (n,) posted wage by destination node (USD/yr), used for the order
    reachable : (n, n) bool, ``reachable[i, j]`` if workers at i can commute to j

    Returns
    -------
    flows : (n, n) workers from origin i employed at destination j
    unmatched_reachable : (n,) seekers left over that could reach each destination
    """
    n = len(seekers)
    remaining = seekers.astype(float).copy()
    local = np.minimum(np.maximum(vacancies, 0.0), remaining) * np.diag(reachable)
    flows = np.diag(local)
    remaining -= local
    open_vacancies = vacancies - local
    for j in np.lexsort((np.arange(n), -wage)):
        if open_vacancies[j] <= 0:
            continue
        available = remaining * reachable[:, j]
        total = available.sum()
        if total <= 0:
            continue
        taken = min(open_vacancies[j], total)
        flows[:, j] += available * (taken / total)
        remaining -= flows[:, j]
    np.maximum(remaining, 0.0, out=remaining)
    return flows, remaining @ reachable


MAX_LOCAL_PRICE = 5.0
"""Highest local price index of non-tradables (the clearing price is capped here)."""


def clear_local_goods(demand: np.ndarray, supply: np.ndarray, max_price: float) -> tuple[np.ndarray, np.ndarray]:
    """Clear each node's market for local non-tradables.

    The price is spending over quantity (USD per unit of output at price 1), capped at
    ``max_price``. Spending the local firms cannot absorb (no supply, or the cap binds)
    buys goods from outside the territory.

    Returns
    -------
    price : (n,) local price index (NaN where there is no supply)
    absorbed : (n,) spending received by local firms (USD/yr)
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        price = np.where(supply > 0, np.minimum(demand / supply, max_price), np.nan)
    absorbed = np.where(supply > 0, np.minimum(demand, max_price * supply), 0.0)
    return price, absorbed


def wage_adjustment(vacancies: np.ndarray, filled: np.ndarray, laid_off: np.ndarray,
                    speed: float, cut_response: float) -> np.ndarray:
    """Proportional wage change per node toward excess labour demand.

    Excess demand (unfilled share of vacancies) raises wages by ``speed`` per unit; where
    every vacancy was filled, the share of ``laid_off`` (last year's workers within reach who
    lost their job) lowers them by ``speed * cut_response`` per unit (``cut_response`` < 1:
    wages are stickier downward). New seekers who queue and farm meanwhile do not cut wages:
    their queue is voluntary, as in Harris–Todaro.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        unfilled = np.where(vacancies > 0, (vacancies - filled) / vacancies, 0.0)
        slack = np.where(filled + laid_off > 0, laid_off / (filled + laid_off), 0.0)
    return speed * np.where(unfilled > 1e-9, unfilled, -cut_response * slack)
