"""Distributions of territory features: the registry an ensemble design draws from.

Every feature a generated territory varies in is declared once (:data:`FEATURES`): its
unit, the level it is drawn at (once per territory, or once per municipality), the range
a design may use, its default distribution and where that default comes from. Defaults
take the published Latin American figures of MODEL.md where they exist; every other one is
marked ``assumption`` (most are the spread of the example territory,
``calibration/data/example``).

A design gives a distribution as a table: ``{low = 0.7, high = 0.9}`` (uniform, the
default kind), ``{kind = "integer", low = 10, high = 30}`` (each whole number equally
likely), ``{kind = "bernoulli", p = 0.5}`` (1 with probability p), or a bare number (fixed).

A municipality's starting poverty rate is not drawn: mean income and income Gini define one
lognormal income distribution (the one the model draws households from) and the poverty
rate is its share of people below the scenario's poverty line (:data:`DERIVED`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ..errors import InputError
from ..suggest import did_you_mean

KINDS = ("uniform", "integer", "bernoulli", "fixed")
"""Distribution kinds a design may name."""


@dataclass(frozen=True)
class Distribution:
    """One distribution: ``kind`` (``KINDS``) and its bounds (``fixed``: low == high; ``bernoulli``: p)."""

    kind: str
    low: float = 0.0
    high: float = 0.0
    p: float = 0.0

    def draw(self, rng: np.random.Generator, size: int | None = None):
        """Values drawn with ``rng`` (one, or an array of ``size``)."""
        if self.kind == "uniform":
            return rng.uniform(self.low, self.high, size)
        if self.kind == "integer":
            return rng.integers(int(self.low), int(self.high), size, endpoint=True)
        if self.kind == "bernoulli":
            return (rng.random(size) < self.p).astype(int) if size is not None else int(rng.random() < self.p)
        return np.full(size, self.low) if size is not None else self.low

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest value it can give."""
        return (0.0, 1.0) if self.kind == "bernoulli" else (self.low, self.high)

    def as_dict(self) -> dict:
        if self.kind == "bernoulli":
            return {"kind": "bernoulli", "p": self.p}
        return {"kind": self.kind, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Feature:
    """A territory feature an ensemble draws.

    Attributes
    ----------
    name, unit : str
    level : str
        ``"territory"`` (one draw per territory) or ``"municipality"`` (one per municipality).
    low, high : float
        Range any distribution of it must stay within.
    default : Distribution
    meaning : str
    source : str
        Where the default comes from; starts with ``assumption`` when no published figure exists.
    integer : bool
        Whether it takes whole numbers only.
    """

    name: str
    unit: str
    level: str
    low: float
    high: float
    default: Distribution
    meaning: str
    source: str
    integer: bool = False


def _u(low, high):
    return Distribution("uniform", low, high)


_EXAMPLE = "assumption: the spread of the example territory (calibration/data/example)"
_FEATURES: tuple[Feature, ...] = (
    Feature("n_municipalities", "1", "territory", 1, 500, Distribution("integer", 10, 30),
            "rural municipalities in the territory",
            "assumption: the territory size of issue 14's scale target (10-30 municipalities)", integer=True),
    Feature("city_present", "1", "territory", 0, 1, Distribution("bernoulli", p=0.44),
            "whether the territory has an intermediate city (1) or not (0)",
            "Jara, Modrego and Berdegue (2012, Rimisp working paper 103): 44 of Chile's 101 non-metropolitan "
            "functional territories have an intermediate city (one country; other countries' shares not found)",
            integer=True),
    Feature("city_size", "1", "territory", 0.5, 100, _u(3.0, 8.0),
            "households of the intermediate city as a multiple of the mean municipality's",
            "assumption: the example territory's cities hold 4-6 times a municipality's households"),
    Feature("market_distance", "h", "territory", 0.1, 48, _u(2.0, 10.0),
            "travel time from the territory's hub (its city, else its first municipality) to the dynamic market",
            "assumption: a day's return trip at most to the capital or a port"),
    Feature("road_quality", "1", "territory", 0.01, 1, _u(0.3, 0.9),
            "road quality of every edge of the territory (0 track, 1 paved highway)", _EXAMPLE),
    Feature("hub_distance", "h", "municipality", 0.05, 24, _u(0.5, 3.0),
            "travel time from a municipality to the territory's hub", _EXAMPLE),
    Feature("households", "households", "municipality", 10, 1e6, Distribution("integer", 800, 3000),
            "households of a municipality at the start", _EXAMPLE, integer=True),
    Feature("household_size", "persons", "municipality", 1, 12, _u(3.5, 4.5),
            "persons per household", _EXAMPLE),
    Feature("mean_income", "USD/person/yr", "municipality", 100, 1e5, _u(1200.0, 3000.0),
            "mean per-capita household income (with the income Gini and the poverty line it sets the poverty rate)",
            "assumption: the example territory's spread; with the default income Gini and the baseline poverty "
            "line (1,200 USD) it gives poverty rates of 0.30-0.68, the FAO (2018) range via MODEL.md "
            "(65 % in the early 1990s, 49 % in 2016)"),
    Feature("income_gini", "1", "municipality", 0.2, 0.8, _u(0.46, 0.52),
            "Gini of per-capita household income",
            "CEPAL (2006) via MODEL.md: rural income Gini about 0.46-0.52 where published"),
    Feature("land_gini", "1", "municipality", 0.3, 0.98, _u(0.75, 0.85),
            "Gini of household landholdings",
            "FAO via MODEL.md: land Gini about 0.75 in Central America, 0.85 in South America"),
    Feature("mean_farm_ha", "ha/household", "municipality", 0.1, 1000, _u(3.0, 12.0),
            "mean land per household", _EXAMPLE),
    Feature("forest_cover", "1", "municipality", 0, 0.9, _u(0.1, 0.6),
            "share of the area under forest", "assumption: the example territory's 0.27-0.47 widened"),
    Feature("wage_share", "1", "municipality", 0, 1, _u(0.2, 0.4),
            "share of working-age adults in wage jobs", _EXAMPLE),
    Feature("nonfarm_income_share", "1", "municipality", 0, 1, _u(0.3, 0.5),
            "share of household income from non-farm sources",
            "Reardon, Berdegue & Escobar (2001) via MODEL.md: about 40 % of rural income; +-0.1 is an assumption"),
    Feature("share_commercial_agriculture", "1", "municipality", 0, 1, _u(0.1, 0.4),
            "share of wage jobs in commercial agriculture", _EXAMPLE),
    Feature("share_agro_processing", "1", "municipality", 0, 1, _u(0.05, 0.35),
            "share of wage jobs in agro-processing", _EXAMPLE),
    Feature("share_manufacturing", "1", "municipality", 0, 1, _u(0.02, 0.15),
            "share of wage jobs in manufacturing (commerce and services take the rest)", _EXAMPLE),
    Feature("dynamic_market_share", "1", "municipality", 0, 1, _u(0.2, 0.6),
            "share of tradable-sector firms selling to dynamic markets", _EXAMPLE),
    Feature("mean_education", "years", "municipality", 0, 20, _u(4.0, 7.0),
            "mean schooling of working-age adults", _EXAMPLE),
    Feature("service_quality", "1", "municipality", 0, 1, _u(0.3, 0.7),
            "quality of public services", _EXAMPLE),
    Feature("governance", "1", "municipality", 0, 1, _u(0.3, 0.7),
            "governance quality (probability that environmental rules are enforced)", _EXAMPLE),
)

FEATURES: Mapping[str, Feature] = MappingProxyType({f.name: f for f in _FEATURES})
"""Every feature by name, in draw order (the order fixes which random numbers each one takes)."""

DERIVED: Mapping[str, str] = MappingProxyType({
    "poverty_rate": "the share of people below the scenario's poverty line under the lognormal income "
                    "distribution of mean_income and income_gini (set those)",
})
"""Territory columns computed from drawn features, not drawn themselves: what they follow from."""

SECTOR_FEATURES = ("share_commercial_agriculture", "share_agro_processing", "share_manufacturing")
"""Sector shares drawn; ``share_commerce_services`` is 1 minus their sum."""


def parse_distribution(raw: object, source: str | Path, field: str, low: float, high: float,
                       integer: bool = False) -> Distribution:
    """A validated distribution from a design's value, within ``[low, high]``.

    Raises
    ------
    InputError
        Naming ``source`` and ``field`` for an unknown kind or key, a non-number, bounds
        in the wrong order or outside ``[low, high]``.
    """
    def number(value, key):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise InputError(source, f"{field}.{key}" if key else field, "a finite number")
        return float(value)

    def whole(value, key):
        if integer and value != int(value):
            chance = (f"; for a chance of 1, write {{ kind = \"bernoulli\", p = {value:g} }}"
                      if low == 0 and high == 1 and 0 < value < 1 else "")
            raise InputError(source, f"{field}.{key}" if key else field,
                             f"a whole number (this feature takes whole numbers), got {value:g}{chance}")
        return value

    if not isinstance(raw, dict):
        value = whole(number(raw, ""), "")
        _within(value, value, source, field, low, high)
        return Distribution("fixed", value, value)
    kind = raw.get("kind", "uniform")
    if kind not in KINDS:
        raise InputError(source, f"{field}.kind", f"one of {', '.join(KINDS)}, got {kind!r}{did_you_mean(kind, KINDS)}")
    keys = {"bernoulli": ("p",), "fixed": ("value",)}.get(kind, ("low", "high"))
    for key in raw:
        if key not in (*keys, "kind"):
            raise InputError(source, f"{field}.{key}", f"one of the keys of a {kind} distribution: {', '.join(keys)}"
                             f"{did_you_mean(key, keys)}")
    for key in keys:
        if key not in raw:
            raise InputError(source, f"{field}.{key}", f"a value (a {kind} distribution needs {', '.join(keys)})")
    if kind == "bernoulli":
        p = number(raw["p"], "p")
        if not 0 <= p <= 1 or low > 0 or high < 1:
            raise InputError(source, f"{field}.p", "a probability in [0, 1] of a 0/1 feature")
        return Distribution("bernoulli", p=p)
    if kind == "fixed":
        value = whole(number(raw["value"], "value"), "value")
        _within(value, value, source, f"{field}.value", low, high)
        return Distribution("fixed", value, value)
    lo, hi = number(raw["low"], "low"), number(raw["high"], "high")
    if lo > hi:
        raise InputError(source, f"{field}.high", f"at least low ({lo:g})")
    if kind == "integer" and (lo != int(lo) or hi != int(hi)):
        raise InputError(source, f"{field}.low", "whole numbers for an integer distribution")
    if integer and kind == "uniform":
        raise InputError(source, f"{field}.kind", "integer (this feature takes whole numbers)")
    _within(lo, hi, source, field, low, high)
    return Distribution(kind, lo, hi)


def _within(lo, hi, source, field, low, high):
    if lo < low or hi > high:
        raise InputError(source, field, f"a distribution within [{low:g}, {high:g}], got [{lo:g}, {hi:g}]")


def sector_check(distributions: Mapping[str, Distribution], source: str | Path, field: str) -> None:
    """The drawn sector shares must leave room for commerce and services (sum of highs below 1)."""
    top = sum(distributions[name].support[1] for name in SECTOR_FEATURES)
    if top >= 1.0:
        raise InputError(source, field, f"sector share distributions whose upper bounds sum below 1 "
                         f"(commerce and services take the rest), got {top:.3f}")


def markdown_table() -> str:
    """The feature registry as a Markdown table (for the README)."""
    lines = ["| feature | unit | level | default | source |", "|---|---|---|---|---|"]
    for f in _FEATURES:
        d = f.default
        text = f"bernoulli p={d.p:g}" if d.kind == "bernoulli" else f"{d.kind} {d.low:g}-{d.high:g}"
        lines.append(f"| `{f.name}` | {f.unit} | {f.level} | {text} | {f.source} |")
    return "\n".join(lines)
