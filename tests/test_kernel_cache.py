"""The compiled kernels' cache is keyed by their sources (model.kernel_cache)."""

import os
import shutil
import time

import numba
import pytest

from territory_abm.model import kernel_cache


@pytest.fixture
def sources(tmp_path, monkeypatch):
    """A copy of the model's sources, as the module's directory."""
    here = tmp_path / "model"
    here.mkdir()
    for path in kernel_cache.HERE.glob("*.py"):
        shutil.copy(path, here / path.name)
    monkeypatch.setattr(kernel_cache, "HERE", here)
    return here


def test_an_edit_of_any_kernel_source_moves_the_cache_and_other_edits_do_not(sources):
    names = [p.name for p in kernel_cache.kernel_sources()]
    assert {"kernels.py", "labour_kernels.py", "land_kernels.py", "exact.py"} <= set(names)
    assert "model.py" not in names and "kernel_cache.py" not in names
    before = kernel_cache.sources_hash()
    with open(sources / "model.py", "a") as f:
        f.write("\n# an edit outside the kernels\n")
    (sources / ".#kernels.py").symlink_to(sources / "no such file")  # an editor's lock file
    assert kernel_cache.sources_hash() == before
    with open(sources / "labour_kernels.py", "a") as f:
        f.write("\n# an edit of a kernel source\n")
    assert kernel_cache.sources_hash() != before


def test_the_package_keeps_numbas_setting_for_everything_else():
    """Importing the package leaves numba's cache setting as it found it (here: none), while
    its kernels sit in the directory of their sources' version."""
    from territory_abm.model import kernels

    assert numba.config.CACHE_DIR == ""
    assert f"numba-{kernel_cache.sources_hash()}" in kernels.lottery_chance.compiled._cache._cache_path


def test_a_directory_the_user_chose_wins(sources, monkeypatch, tmp_path):
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path / "mine"))
    assert kernel_cache.use_versioned_cache() is None
    assert numba.config.CACHE_DIR == str(tmp_path / "mine")


def test_an_unwritable_package_directory_moves_the_cache_to_the_users(sources, monkeypatch, tmp_path):
    (sources / "__pycache__").write_text("a file where the directory would go")
    monkeypatch.setattr(numba.config, "CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    previous = kernel_cache.use_versioned_cache()
    assert previous == ""
    assert numba.config.CACHE_DIR == str(tmp_path / "home-cache" / "territory_abm"
                                         / f"numba-{kernel_cache.sources_hash()}")
    kernel_cache.restore(previous)
    assert numba.config.CACHE_DIR == ""


def test_directories_of_other_versions_go_after_a_day(tmp_path):
    keep, fresh, old = (tmp_path / f"numba-{k}" for k in ("keep", "fresh", "old"))
    for d in (keep, fresh, old):
        d.mkdir()
    day_ago = time.time() - kernel_cache.STALE_AFTER - 60
    os.utime(old, (day_ago, day_ago))
    os.utime(keep, (day_ago, day_ago))
    kernel_cache._prune(tmp_path, keep=keep)
    assert keep.exists() and fresh.exists() and not old.exists()
