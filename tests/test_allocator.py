"""The allocator thresholds (``model.allocator``): set once per process on glibc and left
alone when the environment says so. (That outputs do not depend on them: the golden tables,
stored before the thresholds, pass with them set.)"""

from __future__ import annotations

import ctypes
import sys

import pytest

from territory_abm.model import allocator


def test_tune_is_set_once_per_process():
    first = allocator.tune()
    assert allocator.tune() is first and allocator._done == [first]


def test_the_environment_can_leave_the_allocator_alone(monkeypatch):
    monkeypatch.setattr(allocator, "_done", [])
    monkeypatch.setenv("TERRITORY_ABM_MALLOC_TUNING", "0")
    assert allocator.tune() is False and allocator._done == [False]


@pytest.mark.skipif(not (sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "gnu_get_libc_version")),
                    reason="glibc's thresholds")
def test_glibc_takes_the_thresholds(monkeypatch):
    monkeypatch.setattr(allocator, "_done", [])
    monkeypatch.delenv("TERRITORY_ABM_MALLOC_TUNING", raising=False)
    assert allocator.tune() is True
