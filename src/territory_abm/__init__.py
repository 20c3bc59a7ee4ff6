"""territory_abm: agent-based simulation of rural territorial dynamics for policy testing."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("territory-abm")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from .errors import InputError
from .experiments import load_results
from .model import TerritoryModel
from .params import REGISTRY, Parameters
from .scenarios import load_scenario

__all__ = ["InputError", "Parameters", "REGISTRY", "TerritoryModel", "__version__", "load_results", "load_scenario"]
