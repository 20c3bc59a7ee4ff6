"""Labour and goods markets (pure array functions, testable without Mesa)."""

from __future__ import annotations

import numpy as np

from .kernels import kernel
from .network import Pairs

UNFILLED_TOLERANCE = 1e-9
"""Share of a node's vacancies left open below which they count as filled (the matching's
rounding leaves about 1e-12)."""
HOME_TIE = 1e-9
"""Relative margin by which an offer at home beats an equal one elsewhere (rounding of the
start's no-commuting wages must not send workers away)."""


def match_labour(seekers: np.ndarray, vacancies: np.ndarray, wage: np.ndarray, reachable: Pairs,
                 net_share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match job seekers to vacancies over the network: every seeker applies to the reachable
    job with the best wage net of commuting; no node hires its own first.

    In rounds, each origin's remaining seekers apply to the destination, among those they
    have not yet tried and that still have vacancies, that pays them most after commuting
    (``wage * net_share``; at home nothing is lost, so a local job has only the advantage of
    no commuting cost). A destination with more applicants than vacancies takes the same
    share of each origin's applicants; the others try their next best destination in the
    next round. Ends when no seeker has an open reachable vacancy left to try.

    Parameters
    ----------
    seekers : (n,) job seekers by origin node (persons)
    vacancies : (n,) open positions by destination node (persons)
    wage : (n,) posted wage by destination node (USD/yr)
    reachable : the node pairs (origin, destination) between which workers commute
    net_share : (pairs,) share of a wage at the destination that a commuter from the origin keeps

    Returns
    -------
    flows : (pairs,) workers from each pair's origin employed at its destination
    unmatched_reachable : (n,) seekers left over that could reach each destination
    """
    origin, dest = reachable.origin(), reachable.dest
    offer = np.where(wage[dest] > 0, wage[dest] * net_share, -np.inf)
    offer[origin == dest] *= 1.0 + HOME_TIE  # a tie goes to the job at home
    remaining = np.maximum(seekers.astype(float), 0.0)
    flows = match_rounds(remaining=remaining, open_jobs=np.maximum(vacancies.astype(float), 0.0), offer=offer,
                         indptr=reachable.indptr, dest=dest)
    np.maximum(remaining, 0.0, out=remaining)
    return flows, reachable.to_dest(remaining[origin])


@kernel()
def match_rounds(remaining, open_jobs, offer, indptr, dest):
    """The rounds of ``match_labour`` over pairs in compressed rows (``indptr``, ``dest``):
    each origin with seekers ``remaining`` applies to its best untried ``offer`` with
    ``open_jobs`` left (the first of equal offers); ``remaining`` and ``open_jobs`` are
    updated in place. Returns the workers hired on each pair."""
    n = remaining.shape[0]
    flows = np.zeros(offer.shape[0])
    tried = ~np.isfinite(offer)
    best = np.full(n, -1, np.int64)
    applicants = np.zeros(n)
    taken = np.zeros(n)
    while True:
        applying = False
        for i in range(n):
            best[i] = -1
            if remaining[i] <= 0:
                continue
            top = -np.inf
            for k in range(indptr[i], indptr[i + 1]):
                if not tried[k] and open_jobs[dest[k]] > 0 and offer[k] > top:
                    top, best[i] = offer[k], k
            applying = applying or best[i] >= 0
        if not applying:
            return flows
        applicants[:] = 0.0
        taken[:] = 0.0
        for i in range(n):
            if best[i] >= 0:
                applicants[dest[best[i]]] += remaining[i]
        for i in range(n):
            k = best[i]
            if k < 0:
                continue
            j = dest[k]
            hired = remaining[i] * min(open_jobs[j] / applicants[j], 1.0)
            flows[k] += hired
            remaining[i] -= hired
            taken[j] += hired
            tried[k] = True  # those not hired there try their next best destination
        for j in range(n):
            open_jobs[j] -= taken[j]


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
    return speed * np.where(unfilled > UNFILLED_TOLERANCE, unfilled, -cut_response * slack)
