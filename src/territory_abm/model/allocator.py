"""The C allocator's thresholds for a process that runs the model (glibc only).

glibc serves blocks above its mmap threshold with pages of their own and gives free memory
at the top of its heap back to the kernel above its trim threshold (both adjusted as the
process runs). With the mmap threshold at 32 MiB (glibc's own largest dynamic value) and the
trim threshold at 512 MiB, the model's arrays up to 32 MiB come from the heap and stay there.
Measured at 10^5 households (``benchmarks/ab_speed.py``, README "Speed"): about 1.1 times
the household-steps per CPU second. Why is not pinned down: in the timed years neither
setting calls mmap or munmap and the default takes only about 400 page faults a year; with
these thresholds the process holds about 48 MB in transparent huge pages (numpy advises them
for large arrays) against none, which fits fewer TLB misses in the kernels' random reads.
Results do not change (only where memory comes from); a process keeps memory it freed (up to
its peak) instead of returning it. ``TERRITORY_ABM_MALLOC_TUNING=0`` leaves the allocator
as it is.
"""

from __future__ import annotations

import ctypes
import os
import sys

MMAP_THRESHOLD = 32 * 1024 * 1024
"""Blocks above this (bytes) come from fresh pages (glibc's own largest dynamic threshold)."""
TRIM_THRESHOLD = 512 * 1024 * 1024
"""Free memory at the top of the heap above this (bytes) goes back to the kernel."""
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)
_done: list[bool] = []


def tune() -> bool:
    """Set the thresholds once per process where the C library is glibc and the environment
    does not say ``TERRITORY_ABM_MALLOC_TUNING=0``; returns whether they are set."""
    if _done:
        return _done[0]
    ok = False
    if sys.platform.startswith("linux") and os.environ.get("TERRITORY_ABM_MALLOC_TUNING", "1") != "0":
        try:
            libc = ctypes.CDLL(None)
            if hasattr(libc, "gnu_get_libc_version"):  # glibc (musl has no mallopt thresholds)
                ok = bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
                    libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
        except (OSError, AttributeError):
            ok = False
    _done.append(ok)
    return ok
