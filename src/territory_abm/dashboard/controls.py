"""Which levers and parameters the classroom controls expose, and applying a change."""

from __future__ import annotations

import math

from ..params import REGISTRY
from ..scenarios.levers import LEVERS

LEVER_FIELDS: dict[str, tuple[str, ...]] = {
    "cash_transfer": ("amount", "coverage"),
    "roads": ("budget",),
    "technical_assistance": ("tfp_gain", "coverage"),
    "market_linkage": ("margin_cut", "coverage", "buyer_demand"),
    "land_redistribution": ("share",),
    "environmental_governance": ("enforcement_budget", "clearing_cap", "pes_payment"),
}
"""Levers in the classroom panel and the fields each shows (others keep their defaults)."""

PARAMETERS = ("migration_stay_preference", "clearing_propensity", "transport_cost_per_hour", "consumption_share",
              "intermediary_margin")

SLIDER_MAX = {"amount": 1500.0, "budget": 2e6, "enforcement_budget": 5e5, "clearing_cap": 5.0, "pes_payment": 500.0,
              "buyer_demand": 2e6}
"""Classroom slider ranges where the lever's full range would be unusable on a slider."""

LEVER_YEARS: dict[str, int] = {"cash_transfer": 20, "roads": 5, "technical_assistance": 10, "market_linkage": 10,
                               "land_redistribution": 10, "environmental_governance": 20}
"""Years a lever switched on from the dashboard runs unless the group says otherwise (as the
shipped scenario files do: roads' works over 5 years, services for 10, transfers and
environmental rules for the rest of a 20-year run). A lever runs from the year after it is
switched on to the end of its years, exactly like a scenario file's policy with that
``start`` and ``end``; its cost stops with it."""
YEARS_RANGE = (1, 30)
"""Range of the "years" slider of each lever."""


def slider_step(low: float, high: float, *values: float) -> float | None:
    """The coarsest step of 1, 2 or 5 times a power of ten, at most 1/100 of ``high - low``,
    whose slider positions include every one of ``values`` exactly; None if none does down
    to 1/100,000 of the range.

    A browser slider (Vuetify's) moves its value to the nearest position when it appears and
    reports the moved value back: a default off the grid (0.02 on steps of 0.00078) would
    be changed just by opening the page."""
    span = high - low
    exponent = math.floor(math.log10(span / 100)) + 1
    for k in range(exponent, exponent - 6, -1):
        for mantissa in (5, 2, 1):
            step = mantissa * 10.0**k
            if step <= span / 100 and all(on_slider(v, low, high, step) for v in values):
                return step
    return None


def on_slider(value: float, low: float, high: float, step: float) -> bool:
    """Whether a Vuetify slider of ``step`` from ``low`` to ``high`` keeps ``value`` as it is
    (its ``roundValue``: offset ``low % step``, JavaScript's Math.round, then ``toFixed`` with the
    step's decimals, written here for steps of 1, 2 or 5 times a power of ten)."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    offset = math.fmod(low, step)
    rounded = math.floor((value - offset) / step + 0.5) * step + offset
    return round(min(rounded, high), decimals) == value


def field_range(lever: str, field: str) -> tuple[float, float, float]:
    """(low, high, step) of a lever field's slider; the step keeps the default exactly."""
    spec = LEVERS[lever][field]
    high = min(spec.high, SLIDER_MAX.get(field, spec.high))
    return spec.low, high, slider_step(spec.low, high, spec.default)


def decimals_of(step: float) -> int:
    """Decimals a value on a slider of ``step`` needs (0 for whole steps)."""
    return 0 if step >= 1 else int(math.ceil(-math.log10(step) - 1e-9))


def parameter_range(name: str, *values: float) -> tuple[float, float, float | None]:
    """(low, high, step) of a parameter's slider; the step keeps the registry default and
    ``values`` (e.g. the scenario's value) exactly, None if no slider step does (a number box then)."""
    spec = REGISTRY[name]
    return spec.low, spec.high, slider_step(spec.low, spec.high, spec.default, *values)


def lever_defaults(lever: str) -> dict[str, float]:
    """Every field of ``lever`` at its default."""
    return {f: spec.default for f, spec in LEVERS[lever].items()}


def municipality_ids(model) -> dict[str, str]:
    """Display name -> node id of the populated nodes (the choices of the dashboard's menus)."""
    t = model.territory
    return {t.names[i]: t.ids[i] for i in range(model.n_nodes) if model.populated[i]}


def _dashboard_policy(model, lever: str, label: str | None):
    """The policy of ``lever`` set from the dashboard (labelled ``label``, default
    ``live:<lever>``), running or not, or None if it was never set."""
    label = label or f"live:{lever}"
    engine = model.policies
    return engine.policies[engine.labels.index(label)] if label in engine.labels else None


def live_policy(model, lever: str, label: str | None = None):
    """The policy of ``lever`` as switched on from the dashboard (labelled ``label``, default
    ``live:<lever>``), or None if it is off or over."""
    policy = _dashboard_policy(model, lever, label)
    return policy if policy is not None and policy.end > model.year else None


def ran_policy(model, lever: str, label: str | None = None):
    """The policy of ``lever`` switched on from the dashboard (labelled as in
    :func:`live_policy`) whose years are over (switched off, or run to its last year, the year
    shown among them), or None: the page says it ran, and when, where :func:`live_policy`
    shows the switch off (a trainer's trial, session 54: a 3-year transfer read 'off' in its
    third year, which it paid)."""
    policy = _dashboard_policy(model, lever, label)
    return policy if policy is not None and policy.start <= policy.end <= model.year else None


def live_values(model, lever: str) -> dict[str, float] | None:
    """The fields of the lever as switched on from the dashboard, or None if it is off."""
    policy = live_policy(model, lever)
    return None if policy is None else dict(policy.values)


def apply_lever(model, lever: str, on: bool, values: dict[str, float], target, years: int | None = None,
                label: str | None = None) -> None:
    """Switch ``lever`` on with ``values`` for ``years`` years (default :data:`LEVER_YEARS`) or off.

    Switched on, it runs from the next year to the end of its years, as a scenario file's
    policy with that ``start`` and ``end`` would. Changed while it runs (values, target or
    years), it keeps its start: the new values apply from the next year and it ends
    ``years`` after its start (at once if that is already past). ``label`` names the policy
    (default ``live:<lever>``; the game has one per municipality and lever)."""
    if not on:
        model.set_lever(lever, None, label=label)
        return
    years = LEVER_YEARS[lever] if years is None else int(years)
    running = live_policy(model, lever, label)
    start = running.start if running is not None else model.year + 1
    end = start + years - 1
    if end <= model.year:  # its years are over: it stops
        model.set_lever(lever, None, label=label)
        return
    model.set_lever(lever, {**lever_defaults(lever), **values}, target=target, label=label, start=start, end=end)
