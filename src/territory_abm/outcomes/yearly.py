"""Yearly outcomes: what every run records per node and for the territory, each declared once.

Each entry carries a unit, a short label, a kind and two aggregation rules:

``across`` (from nodes to the territory, each year)
    ``"sum"`` of the node values; ``"weighted_mean"`` of the node values weighted by
    ``weight`` (node outcomes or other node quantities, summed when several are named);
    ``"mean"`` unweighted over populated nodes; ``"households"`` computed from the
    household distribution itself (medians and Gini do not aggregate from nodes).
``over_years`` (from years to a period)
    ``"sum"`` for flows (per-year amounts add up over the period), ``"end"`` for stocks,
    shares, indices and means (the value at the end of the period; changes over a period
    are the period statistics of ``territory_abm.outcomes.period``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..data.territory import SECTORS

KINDS = ("stock", "flow", "share", "index", "mean")
"""stock: an amount at a date; flow: an amount per year; share: a fraction in [0, 1];
index: a dimensionless score; mean: an average per person, adult or worker."""

ACROSS = ("sum", "weighted_mean", "mean", "households")

LEAST_SPAN_STEPS = 5
"""Steps of an outcome's last shown decimal that a chart of it spans at least
(:attr:`Outcome.least_span`): 0.005 for a share (half a percentage point), 5 persons, 5 USD."""

POLICY_COST_PREFIX = "cost_"
"""Per-policy cost columns are named ``cost_<policy label>`` (USD/yr, summed)."""


@dataclass(frozen=True)
class Outcome:
    """One yearly outcome, recorded per node and for the territory.

    Attributes
    ----------
    name : str
        Column name in the territory and municipality tables.
    unit : str
        Unit of the value (``"1"`` for dimensionless).
    label : str
        Short label for tables and plot axes.
    kind : str
        One of ``KINDS``.
    across : str
        How node values aggregate to the territory (one of ``ACROSS``).
    weight : tuple of str
        For ``"weighted_mean"``: the node quantities (summed) that weight the mean.
        Names that are not node outcomes (``adults``, ``area_ha``) are kept internally.
    label_es : str
        The label in Spanish (the adviser report in Spanish); empty where there is none yet.
    """

    name: str
    unit: str
    label: str
    kind: str
    across: str
    weight: tuple[str, ...] = ()
    label_es: str = ""

    def label_in(self, language: str) -> str:
        """The label in ``language`` (``"en"`` or ``"es"``; English where there is no Spanish)."""
        return self.label_es if language == "es" and self.label_es else self.label

    @property
    def over_years(self) -> str:
        """``"sum"`` for flows, ``"end"`` otherwise."""
        return "sum" if self.kind == "flow" else "end"

    def whole_territory_factor(self, scale: float) -> float:
        """Factor from this outcome as simulated at ``households_scale`` ``scale`` to the whole
        territory's: 1 / scale for a total over households (persons, firms, USD totals: the
        model draws ``scale`` simulated households per real one and scales budgets with them),
        1 for means, shares and indices."""
        return 1.0 / scale if self.across == "sum" else 1.0

    @property
    def decimals(self) -> int:
        """Decimals shown: 3 for shares and indices, 1 for years, 0 for counts and money."""
        return 3 if self.kind in ("share", "index") else 1 if self.unit == "yr" else 0

    @property
    def least_span(self) -> float:
        """Least range (in the outcome's unit) a chart of this outcome spans:
        :data:`LEAST_SPAN_STEPS` steps of its last shown decimal (:attr:`decimals`), so that
        a change far below what its tables show (rounding noise: a forest cover moving by
        7e-9) draws as the flat line it is, not as a fall across the whole panel."""
        return LEAST_SPAN_STEPS * 10.0 ** -self.decimals

    def format(self, value: float, *, percent: bool = False, signed: bool = False) -> str:
        """``value`` as text; with ``percent``, shares in per cent with one decimal ("-" if not finite)."""
        if not np.isfinite(value):
            return "-"
        sign = "+" if signed else ""
        if percent and self.kind == "share":
            return f"{100 * value:{sign}.1f}"
        return f"{value:{sign},.{self.decimals}f}"

    @property
    def shown_unit(self) -> str:
        """The unit as tables and axes show it: "share" for a share, "" for another
        dimensionless index (a Gini), else the registry's unit."""
        return "share" if self.unit == "1" and self.kind == "share" else "" if self.unit == "1" else self.unit

    @property
    def axis_label(self) -> str:
        """Label with the unit, capitalised, for plot axes and table headers."""
        text = f"{self.label} ({self.shown_unit})" if self.shown_unit else self.label
        return text[0].upper() + text[1:]


_JOBS = tuple(f"jobs_{s}" for s in SECTORS)


def _o(name, unit, label, kind, across, weight=(), es="") -> Outcome:
    assert kind in KINDS and across in ACROSS, name
    return Outcome(name, unit, label, kind, across, tuple(weight), es)


_ENTRIES: tuple[Outcome, ...] = (
    _o("population", "persons", "residents", "stock", "sum", es="residentes"),
    _o("households", "households", "households", "stock", "sum", es="hogares"),
    _o("mean_income_pc", "USD/person/yr", "mean income per person", "mean", "weighted_mean", ["population"],
       es="ingreso medio por persona"),
    _o("median_income_pc", "USD/person/yr", "median income per person", "mean", "households",
       es="ingreso mediano por persona"),
    _o("poverty_headcount", "1", "poverty headcount: share of people below the poverty line", "share", "weighted_mean",
       ["population"], es="tasa de pobreza: proporción de personas bajo la línea de pobreza"),
    _o("poverty_gap", "1", "poverty gap: mean shortfall below the line as a share of it (FGT1)", "share",
       "weighted_mean", ["population"],
       es="brecha de pobreza: déficit medio bajo la línea como proporción de ella (FGT1)"),
    _o("gini_income", "1", "Gini of per-capita income (person-weighted)", "index", "households",
       es="Gini del ingreso por persona (ponderado por personas)"),
    _o("gini_land", "1", "Gini of household landholdings", "index", "households", es="Gini de la tierra de los hogares"),
    _o("mean_education", "yr", "mean schooling of adults", "mean", "weighted_mean", ["adults"]),
    _o("farm_workers", "persons", "adults of farming households (on their land or a garden plot) not in wage jobs", "stock", "sum"),
    *(_o(j, "persons", f"wage jobs in {s.replace('_', ' ')} located here", "stock", "sum")
      for j, s in zip(_JOBS, SECTORS)),
    _o("unemployed", "persons", "adults who sought a wage job this year and got none, by home node (they fall back "
       "on the family farm; adults who farm without seeking a job are not counted). Not an unemployment rate: in a "
       "year of low farm prices most farm adults seek wage work, so it swings with the price draws (baseline seed "
       "42, scale 1: 2,516 in 2011, 31,249 in 2012; session 33)", "stock", "sum"),
    _o("without_livelihood", "persons", "people in households without a farm, wage job, non-farm enterprise or estate",
       "stock", "sum", es="personas en hogares sin finca, empleo asalariado, empresa no agrícola ni hacienda"),
    _o("hires", "persons/yr", "seekers the year's hiring lottery took on (new seekers and workers who lost their "
       "job), by home node", "flow", "sum"),
    _o("referral_share", "1", "share of the year's hires owed to referrals: each counts the part rho k / (1 + rho k) "
       "of its odds that its household's k workers of last year give (rho hiring_referral_weight); surveys find "
       "30-60 % of jobs through friends and relatives (docs/model_choices.md, Hiring)", "share", "weighted_mean",
       ["hires"]),
    _o("commuters", "persons", "workers employed in another node (the labour market's expected workers, so "
       "fractions of a person)", "stock", "sum"),
    _o("mean_wage", "USD/worker/yr", "mean wage of jobs located here", "mean", "weighted_mean", _JOBS),
    _o("firms", "firms", "active firms", "stock", "sum", es="empresas activas"),
    _o("births", "persons/yr", "births", "flow", "sum"),
    _o("deaths", "persons/yr", "deaths", "flow", "sum"),
    _o("out_migrants", "persons/yr", "people leaving", "flow", "sum"),
    _o("in_migrants", "persons/yr", "people arriving from other nodes", "flow", "sum"),
    _o("net_migration", "persons/yr", "arrivals minus departures", "flow", "sum"),
    _o("movers_income_ratio", "1", "income per person of the households people left this year, over their node's "
       "mean income per person as recorded the year before, the one the migration choice weighs (about 1 where "
       "moving does not depend on income; below 1: movers come from poorer households; weighted by the people "
       "leaving)", "index", "weighted_mean", ["out_migrants"]),
    _o("remittances", "USD/yr", "remittances received", "flow", "sum"),
    _o("farm_sales", "USD/yr", "farm output sold by the node's households, in local food markets and to dynamic "
       "markets", "flow", "sum"),
    _o("local_food_sales", "USD/yr", "farm output the node's households sold in local food markets (net of "
       "transport)", "flow", "sum"),
    _o("food_sold_elsewhere", "USD/yr", "part of the local food sales made in other nodes' markets (the food "
       "cities buy from their hinterland, for example)", "flow", "sum"),
    _o("food_price", "1", "local food price (dynamic-market price at the start = 1)", "index", "weighted_mean",
       ["population"]),
    _o("natural_capital", "ha", "forest (simulated scale)", "stock", "sum", es="bosque (escala simulada)"),
    _o("forest_cover", "1", "forest as a share of area", "share", "weighted_mean", ["area_ha"],
       es="bosque como proporción de la superficie"),
    _o("cleared", "ha/yr", "forest cleared", "flow", "sum"),
    _o("municipal_revenue", "USD/yr", "national transfers and taxes", "flow", "sum"),
    _o("municipal_spending", "USD/yr", "municipal spending", "flow", "sum"),
    _o("enforcement", "1", "probability that illegal clearing is caught", "index", "mean"),
    _o("service_quality", "1", "service quality index (0-1)", "index", "weighted_mean", ["population"]),
    _o("policy_cost", "USD/yr", "cost of all policies", "flow", "sum", es="costo de todas las políticas"),
    _o("programme_transfers", "USD/yr", "cash programmes paid to households (conditional transfers, payments for "
       "ecosystem services; their administration is in policy_cost only)", "flow", "sum"),
    _o("national_cash_transfers", "USD/yr", "national conditional cash transfer paid to households (context: "
       "national_cct_coverage_growth; no policy's cost)", "flow", "sum"),
)

REGISTRY: Mapping[str, Outcome] = MappingProxyType({o.name: o for o in _ENTRIES})
"""Every yearly outcome by name (per-policy ``cost_<label>`` columns come on top)."""

SUMMARY = ("mean_income_pc", "median_income_pc", "poverty_headcount", "poverty_gap", "gini_income", "gini_land",
           "population", "without_livelihood", "firms", "natural_capital", "forest_cover")
"""Outcomes summarised in comparisons (final year, per scenario) and in a run's summary."""

HEADLINE = ("mean_income_pc", "poverty_headcount", "poverty_gap", "gini_income", "gini_land", "forest_cover",
            "population", "without_livelihood", "firms")
"""Outcomes of the adviser report's headline table and compare's printed summary (a subset of
``SUMMARY``; the land Gini because what a land reform buys is a land distribution, which an
adviser's trial found shown nowhere)."""

SERIES = ("mean_income_pc", "poverty_headcount", "gini_income", "forest_cover", "population")
"""Outcomes drawn as time series (run plots, scenario bands, dashboard charts)."""

DIFFERENCES = ("mean_income_pc", "poverty_headcount", "gini_income", "forest_cover")
"""Outcomes whose final-year difference to the reference scenario is drawn."""


def outcome(name: str) -> Outcome:
    """The registry entry of ``name``, per-policy cost columns included."""
    if name in REGISTRY:
        return REGISTRY[name]
    if name.startswith(POLICY_COST_PREFIX):
        label = name[len(POLICY_COST_PREFIX):]
        return Outcome(name, "USD/yr", f"cost of the policy {label}", "flow", "sum")
    raise KeyError(name)


def summed() -> tuple[str, ...]:
    """Names of the outcomes whose territory value is the sum of node values, in registry order."""
    return tuple(o.name for o in _ENTRIES if o.across == "sum")


def labels() -> dict[str, str]:
    """Name -> ``"label (unit)"`` for every outcome."""
    return {o.name: f"{o.label} ({o.unit})" if o.unit != "1" else o.label for o in _ENTRIES}


def aggregate(name: str, values: np.ndarray, weights: Mapping[str, np.ndarray] | None = None) -> float:
    """Territory value of outcome ``name`` from its node values (NaN nodes left out).

    Parameters
    ----------
    name : str
        A registry outcome (or ``cost_<policy>``) whose rule is not ``"households"``.
    values : ndarray, shape (nodes,)
        The outcome per node, in its unit.
    weights : mapping of str to ndarray, optional
        Node quantities named in the outcome's ``weight`` (node outcomes or ``adults``,
        ``area_ha``).
    """
    spec = outcome(name)
    values = np.asarray(values, float)
    if spec.across == "sum":
        return float(np.nansum(values))
    if spec.across == "mean":
        return float(np.nanmean(values)) if np.isfinite(values).any() else np.nan
    if spec.across == "weighted_mean":
        w = sum(np.nan_to_num(np.asarray(weights[k], float)) for k in spec.weight)
        keep = np.isfinite(values) & (w > 0)
        return float((values[keep] * w[keep]).sum() / w[keep].sum()) if keep.any() else np.nan
    raise ValueError(f"{name}: the territory value comes from the household distribution, not from nodes")


def markdown_table() -> str:
    """The yearly outcomes as a Markdown table (for the README)."""
    rule = {"sum": "sum", "mean": "mean over nodes", "households": "from all households"}
    lines = ["| name | unit | kind | across nodes | over years | meaning |", "|---|---|---|---|---|---|"]
    for o in _ENTRIES:
        across = rule.get(o.across) or "mean weighted by " + " + ".join(o.weight)
        lines.append(f"| `{o.name}` | {o.unit} | {o.kind} | {across} | {o.over_years} | {o.label} |")
    return "\n".join(lines)
