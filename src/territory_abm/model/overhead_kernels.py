"""Compiled loops (numba) that fuse passes of numpy over all households which the Python of
the model's phases repeats many times with a few changed numbers (fixed points of the start).

Each kernel does the same arithmetic in the same order as the numpy it replaces (no
transcendental functions: numpy's and numba's ``exp`` and ``log`` differ in the last bits), so
results are equal to the bit. Conventions as in :mod:`.kernels` (keyword-only calls).
"""

from __future__ import annotations

import numpy as np

from .kernels import kernel


@kernel()
def leave_and_outflow(stay, move_worth, node, people, n_nodes):
    """Each household's chance of leaving, 1 / (1 + ``stay`` x ``move_worth`` at its ``node``)
    (``stay`` exp(U), ``move_worth`` exp(-lambda I) by node), and the expected people leaving
    each node, the chances times ``people`` summed in row order (``np.bincount``'s sums).
    Returns (leave, outflow)."""
    leave = np.empty(node.shape[0])
    outflow = np.zeros(n_nodes)
    run = -1  # a run of one node's rows: its sum in a register (the same additions in row order)
    total = 0.0
    for i in range(node.shape[0]):
        g = node[i]
        leave[i] = 1.0 / (1.0 + stay[i] * move_worth[g])
        if g != run:
            if run >= 0:
                outflow[run] = total
            run, total = g, outflow[g]
        total += leave[i] * people[i]
    if run >= 0:
        outflow[run] = total
    return leave, outflow


@kernel()
def keep_rows(column, rows):
    """``column[:rows.size] = column[rows]`` in place, without numpy's temporary copy: ``rows``
    ascend, so each row read is at or after the one written and not yet overwritten (the
    rows a compaction keeps, ``households.HouseholdPopulation.keep``; a plain copy of values,
    so the same bits)."""
    for j in range(rows.shape[0]):
        column[j] = column[rows[j]]


@kernel()
def income_pc_at_least_one(income, members):
    """``np.maximum(income / np.maximum(members, 1), 1.0)`` in one pass: income per person, at
    least 1 (the same division of each income by its members, at least one, as a float; NaN
    stays NaN as ``np.maximum`` keeps it), the argument of ``migration.log_income_pc``'s log."""
    out = np.empty(income.shape[0])
    for i in range(income.shape[0]):
        pc = income[i] / max(members[i], 1)
        out[i] = 1.0 if pc < 1.0 else pc
    return out


@kernel()
def budget_per_person(assets, members, adults, whole_share):
    """``assets`` / persons in one pass, persons ``np.maximum(members, 1)`` where a move always
    takes the whole household (one adult at most, or ``whole_share`` 1) and 1 elsewhere
    (``migration.budget_per_person``'s rule; the same division of each assets by a whole
    number as a float)."""
    out = np.empty(assets.shape[0])
    always = whole_share >= 1.0
    for i in range(assets.shape[0]):
        persons = max(members[i], 1) if adults[i] <= 1 or always else 1
        out[i] = assets[i] / persons
    return out


@kernel()
def weigh_log_income(own, rho, home, node):
    """(1 - ``rho``) ``own`` + ``rho`` ``home[node]`` in one pass (``migration.weighed_log_income``'s
    sum: the same products and sum of each household's as numpy's)."""
    out = np.empty(own.shape[0])
    for i in range(own.shape[0]):
        out[i] = (1.0 - rho) * own[i] + rho * home[node[i]]
    return out
