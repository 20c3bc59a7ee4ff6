"""Model functions replaced for the length of a block and put back however it ends: the flow
benchmarks (``household_flows.py``, ``abroad_flows.py``) and ``phases.py`` wrap phases of
``TerritoryModel.step`` this way."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType


@contextmanager
def patched(replacements: Mapping[tuple[ModuleType, str], Callable]) -> Iterator[None]:
    """Inside the block each ``module.name`` of ``replacements`` ({(module, name): function})
    is its function; after it, what it was before."""
    originals = {key: getattr(*key) for key in replacements}
    try:
        for (module, name), function in replacements.items():
            setattr(module, name, function)
        yield
    finally:
        for (module, name), function in originals.items():
            setattr(module, name, function)
