"""The Mesa model: households (columns), firms and municipalities (agents), markets."""

from importlib import import_module

from .kernel_cache import kernel_modules, restore, use_versioned_cache

_previous = use_versioned_cache()  # before any kernel is defined: a cache directory per version of their sources

from .model import TerritoryModel  # noqa: E402

for _name in kernel_modules():  # every kernel defined under that directory, then numba's setting back
    import_module(f"{__name__}.{_name}")
restore(_previous)

__all__ = ["TerritoryModel"]
