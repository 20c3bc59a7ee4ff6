"""The Mesa model: households (columns), firms and municipalities (agents), markets."""

from .kernel_cache import use_versioned_cache

use_versioned_cache()  # before any kernel is compiled or loaded

from .model import TerritoryModel  # noqa: E402

__all__ = ["TerritoryModel"]
