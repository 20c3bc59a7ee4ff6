"""Compiled passes over households for the year's births (``demography.household_births``):
the members each household lacks, income per person and the shares of the births, in five
passes instead of numpy's two dozen, bit for bit. The power of the fertility weights stays
in numpy (its vectorised pow differs from the compiled one in the last bits); sums of
values per household are numpy's pairwise sums over the rows of a run never compacted
(``exact.pairwise_sum_at``), sums of whole persons are exact in any order.
Conventions as in :mod:`.kernels` (keyword-only calls, named tuples).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from .exact import maximum, pairwise_sum_at
from .kernels import ERROR_MODEL, kernel


class Lacking(NamedTuple):
    lack: np.ndarray   # (households,) members an alive household lacks below its usual size (persons)
    lacking: float     # their sum (persons)
    persons: float     # members of the alive households (persons)


class IncomePerPerson(NamedTuple):
    income_pc: np.ndarray  # (households,) income per member, at least 1 (USD/yr)
    persons: float         # members of the alive households (persons)
    income: float          # income per member times members, summed over alive households (USD/yr)


@njit(cache=True, error_model=ERROR_MODEL)
def _at_least(x, floor):
    """Python's ``max(x, floor)`` of two floats: ``floor`` only where it is greater (x NaN stays)."""
    return floor if floor > x else x


@njit(cache=True, error_model=ERROR_MODEL)
def _persons(members, alive, i):
    """Members of row ``i`` counted among the alive (0.0 where not alive)."""
    return float(members[i]) if alive[i] else 0.0


@kernel(Lacking)
def lacking_members(members, usual_size, alive):
    """The members each alive household lacks below its ``usual_size`` (0 for the others),
    their sum and the alive households' members."""
    n = members.shape[0]
    lack = np.zeros(n)
    lacking = persons = 0.0
    for i in range(n):
        if alive[i]:
            lack[i] = float(max(usual_size[i] - members[i], 0))
            lacking += lack[i]
            persons += float(members[i])
    return lack, lacking, persons


@kernel(IncomePerPerson)
def income_per_person(income, members, alive, ids, ever):
    """Each household's income per member (at least 1 USD; members at least 1), the alive
    households' members and their income per member times members summed as numpy sums the
    rows (``ids``, ``ever``: ``exact.pairwise_sum_at``; ``ever`` = the number of rows: all of them)."""
    n = income.shape[0]
    income_pc = np.empty(n)
    weighted = np.empty(n)
    persons = 0.0
    for i in range(n):
        income_pc[i] = maximum(income[i] / max(members[i], 1), 1.0)
        weighted[i] = income_pc[i] * _persons(members, alive, i)
        persons += _persons(members, alive, i)
    return income_pc, persons, pairwise_sum_at(weighted, ids, ever)


@kernel()
def scaled_weights(weight, members, alive, persons, rate, ids, ever):
    """``rate`` times each household's fertility ``weight`` scaled so that the alive
    households' ``persons`` have ``rate`` births per person on average (sums as in
    :func:`income_per_person`)."""
    n = weight.shape[0]
    weighted = np.empty(n)
    for i in range(n):
        weighted[i] = weight[i] * _persons(members, alive, i)
    scale = persons / _at_least(pairwise_sum_at(weighted, ids, ever), 1e-12)
    out = np.empty(n)
    for i in range(n):
        out[i] = rate * weight[i] * scale
    return out


@kernel()
def share_births(lack, rates, members, alive, extra, ids, ever):
    """Each household's births (persons): what it ``lack``\\ s, plus its share of the ``extra``
    births in proportion to its members times its birth ``rates`` (sums as in
    :func:`income_per_person`)."""
    n = lack.shape[0]
    rest = np.empty(n)
    for i in range(n):
        rest[i] = rates[i] * _persons(members, alive, i)
    total = _at_least(pairwise_sum_at(rest, ids, ever), 1e-12)
    births = np.empty(n)
    for i in range(n):
        births[i] = lack[i] + extra * rest[i] / total
    return births


@kernel()
def adult_schooling(cohort, node, schooling_gap, child_schooling):
    """Schooling (years) of each household's children reaching working age: its node's
    ``cohort`` schooling plus its ``schooling_gap`` and the ``child_schooling`` a conditional
    transfer bought (``demography.births_and_deaths``)."""
    n = node.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = cohort[node[i]] + schooling_gap[i] + child_schooling[i]
    return out
