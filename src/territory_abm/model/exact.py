"""Compiled twins of numpy operations, bit for bit, for kernels that replace numpy passes
without changing a result (the golden tables are stored to the last bit):

- :func:`pairwise_sum`: ``ndarray.sum()`` (numpy's pairwise summation; a running sum in row
  order differs from it in the last bits); :func:`pairwise_sum_at` the same sum over the
  rows of a household population before compaction dropped some (``households``);
- :func:`maximum` and :func:`minimum`: ``np.maximum`` and ``np.minimum`` of two floats,
  whose signed zeros and NaN differ from Python's ``max`` and ``min`` (``np.maximum(-0.0, 0.0)``
  is 0.0, ``max(-0.0, 0.0)`` is -0.0);
- :func:`nan_to_num` (not compiled): ``np.nan_to_num`` of a float64 array at half its cost.

numpy's transcendental functions (``np.power``, ``np.exp``, ``np.log``) have no such twin:
on machines with AVX-512 numpy computes them with its own vector code, which differs from
the C library's (that compiled code calls) in the last bit for a few per cent of values.
Kernels that must keep results take such values from numpy (e.g. a table of powers).
"""

from __future__ import annotations

import numpy as np
from numba import njit

FLOAT_MAX = float(np.finfo(np.float64).max)
"""What ``np.nan_to_num`` puts for +inf (and its negative for -inf)."""
BLOCK = 128
"""numpy's ``PW_BLOCKSIZE``: blocks up to this length are summed with eight accumulators."""


STACK = 128
"""Depth of the explicit stack of :func:`pairwise_sum` (halving to blocks of ``BLOCK`` needs
about 2 log2(n / BLOCK) entries: enough for any array)."""


@njit(cache=True)
def _block_sum(a, lo, n):
    """Sum of ``a[lo:lo + n]``, n <= ``BLOCK``, in numpy's order: a running sum below 8
    values, else eight running sums combined pairwise, then the rest."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    stop = n - n % 8
    while i < stop:
        j = lo + i
        r0 += a[j]
        r1 += a[j + 1]
        r2 += a[j + 2]
        r3 += a[j + 3]
        r4 += a[j + 4]
        r5 += a[j + 5]
        r6 += a[j + 6]
        r7 += a[j + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True)
def pairwise_sum(a):
    """``a.sum()`` of a contiguous float64 array, to the last bit: numpy halves a range longer
    than ``BLOCK`` at a multiple of 8 and adds the halves' sums; an array of one block (e.g. a
    row of a 2-D array, as ``sum(axis=1)`` adds it) needs no stack."""
    if a.shape[0] <= BLOCK:
        return 0.0 + _block_sum(a, 0, a.shape[0])
    return _pairwise(a)


@njit(cache=True)
def pairwise_sum_at(values, at, length):
    """``a.sum()`` of the float64 array ``a`` of ``length`` that holds ``values[j]`` at ``at[j]``
    and 0.0 elsewhere, to the last bit: the sum as numpy takes it over the households' rows
    before compaction dropped some (``values`` are per row, ``at`` their ids). Where places
    are missing, ``a`` itself is made and summed: a zeroed array, the values put in place and
    :func:`pairwise_sum` cost about a third of summing each block from the values found in it
    (about 35 against 90 us for 46,000 values of 54,000 places)."""
    if values.shape[0] == length:
        return pairwise_sum(values)
    a = np.zeros(length)
    for j in range(at.shape[0]):
        a[at[j]] = values[j]
    return pairwise_sum(a)


@njit(cache=True)
def _pairwise(a):
    """numpy's pairwise sum of ``a`` (longer than ``BLOCK``). The recursion runs on an explicit
    stack (numba's on-disk cache does not keep recursive functions safely)."""
    lo_stack = np.empty(STACK, np.int64)
    n_stack = np.empty(STACK, np.int64)
    joined = np.zeros(STACK, np.bool_)  # True: both halves are summed; add them
    sums = np.empty(STACK)
    depth = 0
    lo_stack[0], n_stack[0] = 0, a.shape[0]
    top = 1
    while top > 0:
        top -= 1
        lo, n = lo_stack[top], n_stack[top]
        if joined[top]:
            joined[top] = False
            depth -= 1
            sums[depth - 1] = sums[depth - 1] + sums[depth]
            continue
        if n <= BLOCK:
            sums[depth] = _block_sum(a, lo, n)
            depth += 1
            continue
        half = n // 2
        half -= half % 8
        joined[top] = True  # revisit after both halves
        top += 1
        lo_stack[top], n_stack[top] = lo + half, n - half
        top += 1
        lo_stack[top], n_stack[top] = lo, half
        top += 1
    return 0.0 + sums[0]  # numpy adds the pairwise sum to its reduction's start, 0.0 (-0.0 becomes 0.0)


@njit(cache=True)
def maximum(x, y):
    """``np.maximum(x, y)`` of two floats: x if x > y (or x is NaN), else y."""
    return x if x > y or x != x else y


@njit(cache=True)
def minimum(x, y):
    """``np.minimum(x, y)`` of two floats: x if x < y (or x is NaN), else y."""
    return x if x < y or x != x else y


def nan_to_num(x, nan: float = 0.0):
    """``np.nan_to_num(x, nan=nan)``, bit for bit: NaN becomes ``nan``, +inf and -inf the largest
    and the most negative float, the rest (signed zeros included) is copied. For a float64
    array it clips and fills in three ufunc calls: the model calls it some twenty times a year,
    mostly on arrays by node, where numpy's function spends about 15 us on checking its
    arguments and looking up the float's limits, twice what these calls take. Anything else
    (scalars, other types, tables) goes to numpy's."""
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64 and x.ndim > 0):
        return np.nan_to_num(x, nan=nan)
    out = np.minimum(x, FLOAT_MAX)  # NaN stays NaN, -0.0 stays -0.0
    np.maximum(out, -FLOAT_MAX, out=out)
    out[np.isnan(out)] = nan
    return out
