"""Seeded runs identical to the bit on x86-64 machines with and without AVX-512.

numpy chooses at run time, for some functions, code written for the processor's widest vector
instructions. On processors with AVX-512 (numpy's ``X86_V4`` group, ``AVX512F`` and its
successors before numpy 2.4) those give other last bits (``exp`` and ``power`` by vector
routines instead of the C library's) and put equal keys in another order (``argsort``'s
default sort), and a run carries them on: the bundled example observations
(``calibration/make_example_observations.py``) came out 70 persons apart in a municipality's
2020 population on an AVX-512 machine (session 31), and ``benchmarks/fingerprint.py``'s hashes
differed. With those paths off numpy takes the AVX2 machines' code and the results are theirs
to the bit; a year at 10^5 households costs 3-5 % more CPU (``benchmarks/phases.py``, 45.7 and
43.7 ms against 46.9 and 47.0, session 31).

numpy reads ``NPY_DISABLE_CPU_FEATURES`` once, when it is first imported, so the package sets it
(on x86-64, unless it is set already) before it imports numpy; processes it starts (workers,
Dask) inherit it. Where numpy was imported before ``territory_abm`` with those paths on,
:func:`check` warns. Not covered: a numpy built with AVX-512 in its baseline (not the wheels on
PyPI) refuses to disable them and fails to import; set the variable to "" to opt out.
"""

from __future__ import annotations

import os
import platform
import sys
import warnings

AVX512_GROUPS = "X86_V4 AVX512_ICL AVX512_SPR"  # numpy 2.4 and later
AVX512_BEFORE = "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR"
AVX512 = f"{AVX512_GROUPS} {AVX512_BEFORE}"
"""Every AVX-512 feature name numpy has dispatched to (``avx512_on`` looks for each)."""


def _names() -> str:
    """The names the installed numpy knows (read from its metadata, before importing it): a
    name it does not know gives an ``ImportWarning`` at its import (an error under ``-W
    error``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        major, minor = (int(part) for part in version("numpy").split(".")[:2])
    except (PackageNotFoundError, ValueError):  # pragma: no cover - no numpy, or an odd version string
        return AVX512_GROUPS
    return AVX512_GROUPS if (major, minor) >= (2, 4) else AVX512_BEFORE


VARIABLE = "NPY_DISABLE_CPU_FEATURES"


class VectorPathWarning(UserWarning):
    """numpy runs its AVX-512 code paths in this process: seeded results can differ in their last
    bits, and a run's path after them, from other machines'."""


_user_chose = False  # whether the user had set the variable when the package was imported


def avoid_avx512() -> None:
    """Before numpy's first import: ask it to leave its AVX-512 paths off, unless the user set
    ``NPY_DISABLE_CPU_FEATURES`` (a choice kept as made)."""
    global _user_chose
    _user_chose = VARIABLE in os.environ
    if "numpy" not in sys.modules and platform.machine().lower() in ("x86_64", "amd64"):
        os.environ.setdefault(VARIABLE, _names())


def avx512_on() -> list[str]:
    """The AVX-512 features numpy dispatches to in this process (empty where none or where they
    are off)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return [name for name in dict.fromkeys(AVX512.split()) if name in __cpu_dispatch__ and __cpu_features__.get(name)]


def check() -> None:
    """Warn (:class:`VectorPathWarning`) where numpy runs AVX-512 paths and the user chose
    nothing: numpy was imported before the package and the variable was not set."""
    try:
        on = avx512_on()
    except ImportError:  # pragma: no cover - a numpy without this table
        return
    if on and not _user_chose:
        warnings.warn(f"numpy was imported before territory_abm and runs its AVX-512 code paths ({', '.join(on)}): "
                      f"seeded results on this machine can differ from other machines'; import territory_abm "
                      f"first, or set {VARIABLE}=\"{_names()}\" before starting Python (README, Commands: "
                      f"byte-identical files)",
                      VectorPathWarning, stacklevel=3)
