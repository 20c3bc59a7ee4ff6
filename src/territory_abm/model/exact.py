"""Compiled twins of numpy operations, bit for bit, for kernels that replace numpy passes
without changing a result (the golden tables are stored to the last bit):

- :func:`pairwise_sum`: ``ndarray.sum()`` (numpy's pairwise summation; a running sum in row
  order differs from it in the last bits); :func:`pairwise_sum_at` the same sum over the
  rows of a household population before compaction dropped some (``households``);
- :func:`maximum` and :func:`minimum`: ``np.maximum`` and ``np.minimum`` of two floats,
  whose signed zeros and NaN differ from Python's ``max`` and ``min`` (``np.maximum(-0.0, 0.0)``
  is 0.0, ``max(-0.0, 0.0)`` is -0.0);
- :func:`nan_to_num` (not compiled): ``np.nan_to_num`` of a float64 array at half its cost;
- :class:`Memo` (not compiled): ``np.exp`` or ``np.power`` of an array that changes in few
  places between calls, numpy's values taken again only where it changed;
- :func:`binomial` (not compiled): ``rng.binomial(n, p)`` of a numpy ``Generator``, the same
  numbers and the same state of the generator after, at a fifth of its cost where every draw
  takes numpy's inversion (small n p).

numpy's transcendental functions (``np.power``, ``np.exp``, ``np.log``) have no such twin:
on machines with AVX-512 numpy computes them with its own vector code, which differs from
the C library's (that compiled code calls) in the last bit for a few per cent of values.
Kernels that must keep results take such values from numpy (e.g. a table of powers).
"""

from __future__ import annotations

import math

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


@njit(cache=True)
def _binomial_inversion(n, u, p, q, qn, bound):
    """numpy's ``random_binomial_inversion`` (numpy/random/src/distributions/distributions.c)
    for each count ``n[i]`` with the uniform ``u[i]`` its one call of ``next_double`` gives,
    ``q`` = 1 - p and, by count k, ``qn[k]`` = exp(k log q) and ``bound[k]``: the same arithmetic
    in the same order. Returns the draws and whether every draw took a single uniform (the
    inversion draws another when it passes ``bound``, which the uniforms given cannot follow)."""
    out = np.empty(n.shape[0], np.int64)
    for i in range(n.shape[0]):
        k = np.int64(n[i])
        px = qn[k]
        top = bound[k]
        x = np.int64(0)
        v = u[i]
        while v > px:
            x += 1
            if x > top:
                return out, False
            v -= px
            px = ((k - x + 1) * p * px) / (x * q)
        out[i] = x
    return out, True


def binomial(rng: np.random.Generator, n: np.ndarray, p: float) -> np.ndarray:
    """``rng.binomial(n, p)`` (int64) for counts ``n`` >= 1 and a probability ``p``: the same
    draws, leaving ``rng`` in the same state. Where numpy draws every count by inversion (0 < p
    <= 0.5 and p n <= 30 for the largest n: its ``random_binomial``), its uniforms are
    ``rng.random(len(n))`` (one ``next_double`` each) and the draws follow numpy's inversion
    compiled (:func:`_binomial_inversion`), with numpy's exp(k log q) and bound for each count k
    from the C library's ``exp``, ``log`` and ``sqrt`` (Python's ``math``, which numpy's C code
    calls too); numpy's own call otherwise, and when a draw would need a second uniform (the
    generator is set back first)."""
    n = np.asarray(n)
    most = int(n.max(initial=0))
    if n.size == 0 or int(n.min()) < 1 or not 0.0 < p <= 0.5 or not p * most <= 30.0:
        return rng.binomial(n, p)
    q = 1.0 - p
    log_q = math.log(q)
    qn = np.array([math.exp(k * log_q) for k in range(most + 1)])
    bound = np.empty(most + 1, np.int64)
    for k in range(most + 1):
        mean = k * p
        top = mean + 10.0 * math.sqrt(mean * q + 1)
        bound[k] = int(k if k < top else top)  # numpy's MIN(n, ...) cast to an integer
    state = rng.bit_generator.state
    draws, complete = _binomial_inversion(n, rng.random(n.size), p, q, qn, bound)
    if complete:
        return draws
    rng.bit_generator.state = state
    return rng.binomial(n, p)


@njit(cache=True)
def _reuse(x, last_x, last_out, out):
    """Where the float64 ``x`` has the bits of ``last_x`` (the last call's, as long as it is),
    ``out`` takes ``last_out``; ``last_x`` becomes ``x`` (as far as it goes). Returns the places
    where it had not (beyond its end: all), ascending, whose ``out`` is left to fill, and their
    values of ``x``."""
    bits, last_bits = x.view(np.uint64), last_x.view(np.uint64)
    m = min(x.shape[0], last_x.shape[0])
    places = np.empty(x.shape[0], np.int64)
    values = np.empty(x.shape[0])
    k = 0
    for i in range(m):  # without a jump on whether the value changed
        places[k] = i
        values[k] = x[i]
        k += bits[i] != last_bits[i]
        out[i] = last_out[i]
        last_bits[i] = bits[i]
    for i in range(m, x.shape[0]):
        places[k] = i
        values[k] = x[i]
        k += 1
    return places[:k], values[:k]


@njit(cache=True)
def _put(places, values, out, kept):
    """``out[places] = values`` and, where ``kept`` is as long as ``out``, the same in ``kept``."""
    both = kept.shape[0] == out.shape[0]
    for j in range(places.shape[0]):
        out[places[j]] = values[j]
        if both:
            kept[places[j]] = values[j]


class Memo:
    """``function(x, *constants)`` of a numpy ufunc such as ``np.exp`` or ``np.power`` (a
    constant exponent) for arrays ``x`` that change in few places between calls (e.g. the
    households' land quality, ``land_market``): numpy's values of the places whose ``x``
    differs, to the bit, from the last call's at the same place (and of the places beyond its
    end), the last call's results elsewhere (all anew when the constants change); the same array
    as ``function(x, *constants)`` (numpy computes each value alone: a value's result does not
    depend on the others of its array), at a compare instead of a transcendental function per
    value where the values stay. Each call returns a new array."""

    def __init__(self, function) -> None:
        self._function = function
        self._constants: tuple = ()
        self._x = np.zeros(0)
        self._out = np.zeros(0)

    def __call__(self, x: np.ndarray, *constants: float) -> np.ndarray:
        x = np.ascontiguousarray(x, np.float64)
        if constants != self._constants:
            self._constants, self._x, self._out = constants, np.zeros(0), np.zeros(0)
        out = np.empty(x.shape[0])
        places, values = _reuse(x, self._x, self._out, out)
        if places.size:  # the last call's results updated in place where as long
            _put(places, self._function(values, *constants), out, self._out)
        if self._x.shape[0] != x.shape[0]:
            self._x, self._out = x.copy(), out.copy()
        return out
