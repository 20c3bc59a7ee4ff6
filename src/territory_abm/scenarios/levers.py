"""The policy levers a scenario can pull, with their fields, units and ranges.

Every lever also takes the common fields ``lever``, ``label``, ``start`` and ``end``
(calendar years, inclusive) and ``target`` (see :func:`validate_target`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class LeverField:
    """One numeric field of a policy lever."""

    unit: str
    default: float
    low: float
    high: float
    meaning: str


def _f(unit, default, low, high, meaning) -> LeverField:
    return LeverField(unit, float(default), float(low), float(high), meaning)


_COVERAGE = _f("1", 1.0, 0.0, 1.0, "share of eligible households reached")

LEVERS: Mapping[str, Mapping[str, LeverField]] = MappingProxyType({
    "cash_transfer": {
        "amount": _f("USD/household/yr", 300, 0, 10000, "transfer per beneficiary household"),
        "coverage": _f("1", 0.3, 0, 1, "share of households reached, poorest by proxy means test first"),
        "admin_cost_share": _f("1", 0.05, 0, 0.5, "administrative cost as a share of transfers"),
    },
    "roads": {
        "travel_time_cut": _f("1", 0.3, 0, 0.9, "share of travel time removed by the end year"),
        "quality_to": _f("1", 0.9, 0, 1, "road quality reached by the end year"),
        "budget": _f("USD/yr", 500000, 0, 1e10, "yearly spending while the works last"),
    },
    "land_redistribution": {
        "share": _f("1/yr", 0.02, 0, 0.5, "share of the largest holders' land moved each year"),
        "top_share": _f("1", 0.05, 0.001, 0.5, "share of households counted as largest holders"),
        "recipient_share": _f("1", 0.2, 0.001, 1, "share of households (smallest holdings first) receiving land"),
    },
    "credit": {
        "loan": _f("USD/household", 800, 0, 50000, "loan per borrower"),
        "interest": _f("1/yr", 0.12, 0, 0.6, "interest rate"),
        "term": _f("yr", 3, 1, 15, "repayment period"),
        "coverage": _COVERAGE,
        "smallholder_ha": _f("ha", 5, 0, 1000, "largest landholding counted as a smallholder"),
    },
    "technical_assistance": {
        "tfp_gain": _f("1", 0.15, 0, 1, "proportional farm productivity gain of a reached household"),
        "coverage": _f("1", 0.3, 0, 1, "share of smallholders reached"),
        "cost_per_household": _f("USD/household/yr", 150, 0, 10000, "yearly cost per reached household"),
        "smallholder_ha": _f("ha", 5, 0, 1000, "largest landholding counted as a smallholder"),
    },
    "education": {
        "years": _f("yr", 1.0, 0, 6, "schooling added to each new cohort of working-age adults"),
        "cost_per_child": _f("USD/child/yr", 60, 0, 5000, "yearly cost per child in the targeted nodes"),
    },
    "market_linkage": {
        "margin_cut": _f("1", 0.5, 0, 1, "share of the intermediary margin removed for reached smallholders"),
        "coverage": _f("1", 0.3, 0, 1, "share of smallholders reached"),
        "cost_per_household": _f("USD/household/yr", 100, 0, 10000, "yearly cost per reached household"),
        "smallholder_ha": _f("ha", 5, 0, 1000, "largest landholding counted as a smallholder"),
    },
    "environmental_governance": {
        "clearing_cap": _f("ha/household/yr", 0.0, 0, 100, "largest legal clearing per household and year"),
        "enforcement_budget": _f("USD/yr", 50000, 0, 1e9, "yearly enforcement spending per targeted municipality"),
        "pes_payment": _f("USD/household/yr", 100, 0, 10000, "payment for ecosystem services per enrolled household that does not clear"),
        "pes_coverage": _f("1", 0.3, 0, 1, "share of landholding households enrolled in payments for ecosystem services"),
    },
    "fiscal_decentralisation": {
        "share": _f("1", 0.9, 0.1, 1, "share of national transfers reaching municipal budgets"),
    },
})
"""Policy levers by name: their numeric fields."""

COMMON_FIELDS = ("lever", "label", "start", "end", "target")
