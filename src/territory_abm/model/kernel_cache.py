"""Where numba keeps the compiled kernels: one directory per version of the kernels' sources.

Numba's on-disk cache checks the source file of the function it loads, not the files of the
functions that one calls: after an edit of ``kernels.py``, a cached kernel of
``labour_kernels.py`` that calls a kernel of ``kernels.py`` still loads, and runs the code
compiled before the edit (and the callee, never compiled again from Python, keeps a stale
index, so :func:`territory_abm.experiments.engines.kernels_need_compiling` would report
compiling on every run). Keying the cache directory by a hash of every source file that
defines kernels makes any edit of any of them compile all of them again, once (about 1.5
minutes), and never mixes versions.

A ``NUMBA_CACHE_DIR`` set by the user is left alone; so is numba's default when the
package's directory cannot be written (numba then keeps its cache per user).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARKERS = ("njit(", "@kernel(")
"""A source file holding one of these defines compiled kernels."""
STALE_AFTER = 86400.0
"""Cache directories of other source versions unused for this long (s) are removed."""


def kernel_sources() -> list[Path]:
    """The model's source files that define compiled kernels."""
    return sorted(p for p in HERE.glob("*.py") if any(m in p.read_text(encoding="utf-8") for m in MARKERS))


def sources_hash() -> str:
    """A short hash of the names and contents of :func:`kernel_sources`."""
    digest = hashlib.sha256()
    for path in kernel_sources():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def use_versioned_cache() -> Path | None:
    """Point numba's cache at ``__pycache__/numba-<hash>`` beside this file (before any kernel
    is defined); returns it, or None when the user's ``NUMBA_CACHE_DIR`` or numba's default
    applies."""
    import numba

    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    root = HERE / "__pycache__"
    target = root / f"numba-{sources_hash()}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        os.utime(target)  # marks it in use, for the pruning below
    except OSError:
        return None
    numba.config.CACHE_DIR = str(target)
    _prune(root, keep=target)
    return target


def _prune(root: Path, keep: Path) -> None:
    """Remove the cache directories of other source versions not used for a day (best effort:
    a process still running older sources would compile again, not fail)."""
    now = time.time()
    for old in root.glob("numba-*"):
        try:
            if old != keep and now - old.stat().st_mtime > STALE_AFTER:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
