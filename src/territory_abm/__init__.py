"""territory_abm: agent-based simulation of rural territorial dynamics for policy testing."""

from . import vector_paths

vector_paths.avoid_avx512()  # before anything imports numpy: the same bits on every x86-64 machine

from importlib.metadata import PackageNotFoundError, version  # noqa: E402

try:
    __version__ = version("territory-abm")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from .errors import InputError  # noqa: E402
from .experiments import load_results  # noqa: E402
from .model import TerritoryModel  # noqa: E402
from .params import REGISTRY, Parameters  # noqa: E402
from .scenarios import load_scenario  # noqa: E402

vector_paths.check()

__all__ = ["InputError", "Parameters", "REGISTRY", "TerritoryModel", "__version__", "load_results", "load_scenario"]
