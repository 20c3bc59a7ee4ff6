"""Which levers and parameters the classroom controls expose, and applying a change."""

from __future__ import annotations

from ..params import REGISTRY
from ..scenarios.levers import LEVERS

LEVER_FIELDS: dict[str, tuple[str, ...]] = {
    "cash_transfer": ("amount", "coverage"),
    "roads": ("budget", "travel_time_cut"),
    "technical_assistance": ("tfp_gain", "coverage"),
    "market_linkage": ("margin_cut", "coverage"),
    "land_redistribution": ("share",),
    "environmental_governance": ("enforcement_budget", "clearing_cap", "pes_payment"),
}
"""Levers in the classroom panel and the fields each shows (others keep their defaults)."""

PARAMETERS = ("migration_stay_preference", "clearing_propensity", "transport_cost_per_hour", "consumption_share",
              "intermediary_margin")

SLIDER_MAX = {"amount": 1500.0, "budget": 2e6, "enforcement_budget": 5e5, "clearing_cap": 5.0, "pes_payment": 500.0}
"""Classroom slider ranges where the lever's full range would be unusable on a slider."""


def field_range(lever: str, field: str) -> tuple[float, float, float]:
    """(low, high, step) of a lever field's slider."""
    spec = LEVERS[lever][field]
    high = min(spec.high, SLIDER_MAX.get(field, spec.high))
    return spec.low, high, (high - spec.low) / 100


def parameter_range(name: str) -> tuple[float, float, float]:
    spec = REGISTRY[name]
    return spec.low, spec.high, (spec.high - spec.low) / 100


def lever_defaults(lever: str) -> dict[str, float]:
    """Every field of ``lever`` at its default."""
    return {f: spec.default for f, spec in LEVERS[lever].items()}


def municipality_ids(model) -> dict[str, str]:
    """Display name -> node id of the populated nodes (the choices of the dashboard's menus)."""
    t = model.territory
    return {t.names[i]: t.ids[i] for i in range(model.n_nodes) if model.populated[i]}


def live_values(model, lever: str) -> dict[str, float] | None:
    """The fields of the lever as switched on from the dashboard, or None if it is off."""
    label = f"live:{lever}"
    engine = model.policies
    if label not in engine.labels:
        return None
    policy = engine.policies[engine.labels.index(label)]
    return dict(policy.values) if policy.end > model.year else None


def live_target(model, lever: str):
    label = f"live:{lever}"
    engine = model.policies
    if label not in engine.labels:
        return "all"
    return engine.policies[engine.labels.index(label)].target


def apply_lever(model, lever: str, on: bool, values: dict[str, float], target) -> None:
    """Switch ``lever`` on with ``values`` (from next year) or off."""
    model.set_lever(lever, {**lever_defaults(lever), **values} if on else None, target=target)
