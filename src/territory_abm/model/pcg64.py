"""numpy's ``Generator.random`` compiled, for the draws of one number per household ever made
(``HouseholdPopulation.uniforms``): the same numbers and the same state of the generator after,
drawn in interleaved lanes and gathered at the ids the rows hold.

numpy's default bit generator, PCG64, is a 128-bit linear congruential generator (state
s -> s M + c mod 2^128) whose output is its new state's two halves xor-ed and rotated by its
top 6 bits (XSL-RR, O'Neill 2014, https://www.pcg-random.org/paper.html); ``random`` takes the
top 53 bits of each output as a double in [0, 1) (numpy's ``pcg64_next64`` and ``next_double``,
numpy/random/src/pcg64/pcg64.h). Drawing ``k`` arrays of ``ever`` numbers from it and keeping
those at the households' ids costs a pass of numpy's generator per array (one output at a time:
each state waits for the one before) and a gather. Here the state at any place of the stream is
reached by jumping ahead (Brown 1994, "Random number generation with arbitrary strides"), so
the stream is cut into ``LANES`` lanes that step side by side, and a compiled gather keeps the
numbers at the ids (at 54,000 households ever made, 47,000 of them in rows: about 130 us
against numpy's 210 for one array).
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core.extending import intrinsic

MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
"""PCG64's multiplier M (numpy's ``PCG_DEFAULT_MULTIPLIER_HIGH`` and ``_LOW``)."""
_M_HI, _M_LO = MULTIPLIER >> 64, MULTIPLIER & ((1 << 64) - 1)
LANES = 4
"""Parts of the stream stepped side by side (each step waits on a 128-bit product)."""
_MASK64 = (1 << 64) - 1


def _join(builder, hi, lo):
    i128 = ir.IntType(128)
    return builder.or_(builder.shl(builder.zext(hi, i128), ir.Constant(i128, 64)), builder.zext(lo, i128))


@intrinsic
def _mul_add(typingctx, a_hi, a_lo, b_hi, b_lo, c_hi, c_lo):
    """(a b + c) mod 2^128 of 128-bit numbers given as (high, low) uint64 halves."""
    sig = types.UniTuple(types.uint64, 2)(types.uint64, types.uint64, types.uint64, types.uint64, types.uint64,
                                          types.uint64)

    def codegen(context, builder, signature, args):
        a, b, c = _join(builder, args[0], args[1]), _join(builder, args[2], args[3]), _join(builder, args[4], args[5])
        r = builder.add(builder.mul(a, b), c)
        i64 = ir.IntType(64)
        hi = builder.trunc(builder.lshr(r, ir.Constant(ir.IntType(128), 64)), i64)
        return context.make_tuple(builder, signature.return_type, [hi, builder.trunc(r, i64)])

    return sig, codegen


@intrinsic
def _unit_double(typingctx, hi, lo):
    """numpy's ``next_double`` of a PCG64 state (high, low): the XSL-RR output x, then
    (x >> 11) 2^-53 (below 2^53: its signed conversion is exact)."""
    sig = types.float64(types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        i64 = ir.IntType(64)
        hi_, lo_ = args
        v = builder.xor(hi_, lo_)
        rot = builder.lshr(hi_, ir.Constant(i64, 58))
        left = builder.and_(builder.sub(ir.Constant(i64, 0), rot), ir.Constant(i64, 63))
        x = builder.or_(builder.lshr(v, rot), builder.shl(v, left))
        top = builder.lshr(x, ir.Constant(i64, 11))
        return builder.fmul(builder.sitofp(top, ir.DoubleType()), ir.Constant(ir.DoubleType(), 1.0 / 9007199254740992.0))

    return sig, codegen


@njit(cache=True)
def _jump(hi, lo, inc_hi, inc_lo, delta):
    """The state ``delta`` (>= 0) steps after (``hi``, ``lo``): s M^d + c (M^d - 1) / (M - 1),
    by squaring (Brown 1994; numpy's ``pcg_advance_lcg_128``)."""
    m_hi, m_lo = np.uint64(_M_HI), np.uint64(_M_LO)
    acc_m_hi, acc_m_lo = np.uint64(0), np.uint64(1)
    acc_p_hi, acc_p_lo = np.uint64(0), np.uint64(0)
    cur_p_hi, cur_p_lo = inc_hi, inc_lo
    zero = np.uint64(0)
    while delta > 0:
        if delta & 1:
            acc_m_hi, acc_m_lo = _mul_add(acc_m_hi, acc_m_lo, m_hi, m_lo, zero, zero)
            acc_p_hi, acc_p_lo = _mul_add(acc_p_hi, acc_p_lo, m_hi, m_lo, cur_p_hi, cur_p_lo)
        # (M + 1) c: M c + c
        cur_p_hi, cur_p_lo = _mul_add(m_hi, m_lo, cur_p_hi, cur_p_lo, cur_p_hi, cur_p_lo)
        m_hi, m_lo = _mul_add(m_hi, m_lo, m_hi, m_lo, zero, zero)
        delta >>= 1
    return _mul_add(acc_m_hi, acc_m_lo, hi, lo, acc_p_hi, acc_p_lo)


@njit(cache=True)
def _draw(hi, lo, inc_hi, inc_lo, ids, ever, k):
    """``k`` arrays of ``ever`` uniforms drawn one after the other, each at ``ids`` (sorted,
    distinct, below ``ever``): out[j, r] is number ids[r] of array j. Returns the numbers and
    the state after the last."""
    n = ids.shape[0]
    out = np.empty((k, n))
    every = n == ever  # ids are 0 .. ever - 1: the numbers go straight to ``out``
    values = np.empty(0 if every else ever)
    m_hi, m_lo = np.uint64(_M_HI), np.uint64(_M_LO)
    lanes = LANES if ever >= 64 * LANES else 1
    s_hi = np.empty(lanes, np.uint64)
    s_lo = np.empty(lanes, np.uint64)
    first = np.empty(lanes + 1, np.int64)
    for lane in range(lanes + 1):
        first[lane] = ever * lane // lanes
    for j in range(k):
        v = out[j] if every else values
        for lane in range(lanes):
            s_hi[lane], s_lo[lane] = _jump(hi, lo, inc_hi, inc_lo, j * ever + first[lane])
        done = 0
        if lanes == LANES:
            done = first[1]  # every lane steps at least this many (lane 0 the fewest)
            h0, l0, h1, l1 = s_hi[0], s_lo[0], s_hi[1], s_lo[1]
            h2, l2, h3, l3 = s_hi[2], s_lo[2], s_hi[3], s_lo[3]
            p1, p2, p3 = first[1], first[2], first[3]
            for t in range(done):
                h0, l0 = _mul_add(h0, l0, m_hi, m_lo, inc_hi, inc_lo)
                h1, l1 = _mul_add(h1, l1, m_hi, m_lo, inc_hi, inc_lo)
                h2, l2 = _mul_add(h2, l2, m_hi, m_lo, inc_hi, inc_lo)
                h3, l3 = _mul_add(h3, l3, m_hi, m_lo, inc_hi, inc_lo)
                v[t] = _unit_double(h0, l0)
                v[p1 + t] = _unit_double(h1, l1)
                v[p2 + t] = _unit_double(h2, l2)
                v[p3 + t] = _unit_double(h3, l3)
            s_hi[0], s_lo[0], s_hi[1], s_lo[1] = h0, l0, h1, l1
            s_hi[2], s_lo[2], s_hi[3], s_lo[3] = h2, l2, h3, l3
        for lane in range(lanes):  # the rest of each lane, one step at a time
            h, low = s_hi[lane], s_lo[lane]
            for place in range(first[lane] + done, first[lane + 1]):
                h, low = _mul_add(h, low, m_hi, m_lo, inc_hi, inc_lo)
                v[place] = _unit_double(h, low)
        if not every:
            o = out[j]
            for r in range(n):
                o[r] = values[ids[r]]
    end_hi, end_lo = _jump(hi, lo, inc_hi, inc_lo, k * ever)
    return out, end_hi, end_lo


def uniforms(rng: np.random.Generator, ids: np.ndarray, ever: int, k: int = 1) -> np.ndarray | None:
    """``np.stack([rng.random(ever)[ids] for _ in range(k)])`` and the generator left as those
    calls leave it, or None where ``rng`` is not numpy's PCG64 (``ids``: sorted, distinct, below
    ``ever``)."""
    bit_generator = rng.bit_generator
    if type(bit_generator) is not np.random.PCG64:
        return None
    state = bit_generator.state
    s, c = state["state"]["state"], state["state"]["inc"]
    out, end_hi, end_lo = _draw(np.uint64(s >> 64), np.uint64(s & _MASK64), np.uint64(c >> 64),
                                np.uint64(c & _MASK64), np.ascontiguousarray(ids, np.int64), int(ever), int(k))
    state["state"]["state"] = (int(end_hi) << 64) | int(end_lo)
    bit_generator.state = state
    return out
