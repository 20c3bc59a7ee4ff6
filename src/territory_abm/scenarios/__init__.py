"""Policy scenarios: TOML files, policy levers and their validation."""

from .levers import LEVERS, LeverField
from .loader import Policy, Scenario, load_scenario

__all__ = ["LEVERS", "LeverField", "Policy", "Scenario", "load_scenario"]
