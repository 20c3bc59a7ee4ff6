"""The compiled kernels' cache is keyed by their sources (model.kernel_cache)."""

import shutil

import numba

from territory_abm.model import kernel_cache


def test_an_edit_of_any_kernel_source_moves_the_cache_and_other_edits_do_not(tmp_path, monkeypatch):
    for path in kernel_cache.HERE.glob("*.py"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(kernel_cache, "HERE", tmp_path)
    names = [p.name for p in kernel_cache.kernel_sources()]
    assert {"kernels.py", "labour_kernels.py", "land_kernels.py", "exact.py"} <= set(names)
    assert "model.py" not in names
    before = kernel_cache.sources_hash()
    with open(tmp_path / "model.py", "a") as f:
        f.write("\n# an edit outside the kernels\n")
    assert kernel_cache.sources_hash() == before
    with open(tmp_path / "labour_kernels.py", "a") as f:
        f.write("\n# an edit of a kernel source\n")
    assert kernel_cache.sources_hash() != before


def test_the_process_uses_the_directory_of_its_sources_unless_the_user_chose_one(tmp_path, monkeypatch):
    if numba.config.CACHE_DIR and "numba-" in numba.config.CACHE_DIR:
        assert numba.config.CACHE_DIR.endswith(f"numba-{kernel_cache.sources_hash()}")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    assert kernel_cache.use_versioned_cache() is None


def test_directories_of_other_versions_go_after_a_day(tmp_path):
    import os
    import time

    keep, fresh, old = (tmp_path / f"numba-{k}" for k in ("keep", "fresh", "old"))
    for d in (keep, fresh, old):
        d.mkdir()
    day_ago = time.time() - kernel_cache.STALE_AFTER - 60
    os.utime(old, (day_ago, day_ago))
    os.utime(keep, (day_ago, day_ago))
    kernel_cache._prune(tmp_path, keep=keep)
    assert keep.exists() and fresh.exists() and not old.exists()
