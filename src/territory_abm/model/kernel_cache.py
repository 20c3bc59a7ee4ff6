"""Where numba keeps the compiled kernels: one directory per version of the kernels' sources.

Numba's on-disk cache checks the source file of the function it loads, not the files of the
functions that one calls: after an edit of ``kernels.py``, a cached kernel of
``labour_kernels.py`` that calls a kernel of ``kernels.py`` still loads, and runs the code
compiled before the edit (and the callee, never compiled again from Python, keeps a stale
index, so :func:`territory_abm.experiments.engines.kernels_need_compiling` would report
compiling on every run). Keying the cache directory by a hash of every source file that
defines kernels makes any edit of any of them compile all of them again, once (about 1.5
minutes), and never mixes versions.

A cache directory the user chose (``NUMBA_CACHE_DIR``, or ``cache_dir`` in
``.numba_config.yaml``) is left alone. When the package's directory cannot be written, the
directory per version goes in the user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``,
``territory_abm/numba-<hash>``). The setting holds only while the package's kernel modules
are imported (numba fixes a function's cache directory when it is defined): the caller's own
numba functions keep numba's default (:func:`restore`).
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
    """The model's source files that define compiled kernels (regular files, not hidden ones
    such as an editor's lock files; not this module)."""
    own = Path(__file__).name
    return sorted(p for p in HERE.glob("*.py") if not p.name.startswith(".") and p.name != own and p.is_file()
                  and any(m in p.read_text(encoding="utf-8") for m in MARKERS))


def kernel_modules() -> list[str]:
    """Names of the modules of :func:`kernel_sources`."""
    return [p.stem for p in kernel_sources()]


def sources_hash() -> str:
    """A short hash of the names and contents of :func:`kernel_sources`."""
    digest = hashlib.sha256()
    for path in kernel_sources():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def use_versioned_cache() -> str | None:
    """Point numba's cache at ``numba-<hash>`` in this package's ``__pycache__`` (or in the
    user's cache where that cannot be written) before any kernel is defined. Returns the
    setting it replaced (for :func:`restore`), or None when it left numba's alone (the user
    chose a directory, or the sources could not be read)."""
    import numba

    if numba.config.CACHE_DIR:  # NUMBA_CACHE_DIR or .numba_config.yaml, already read by numba
        return None
    try:
        name = f"numba-{sources_hash()}"
    except (OSError, UnicodeDecodeError):
        return None
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "territory_abm"
    for root in (HERE / "__pycache__", user):
        target = root / name
        try:
            target.mkdir(parents=True, exist_ok=True)
            os.utime(target)  # marks it in use, for the pruning below
            probe = target / f".probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
        except OSError:
            continue
        previous = numba.config.CACHE_DIR
        numba.config.CACHE_DIR = str(target)
        _prune(root, keep=target)
        return previous
    return None


def restore(previous: str | None) -> None:
    """Give numba back the cache setting :func:`use_versioned_cache` replaced (None: it
    replaced nothing)."""
    import numba

    if previous is not None:
        numba.config.CACHE_DIR = previous


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
