"""The territorial typology rule, once: tolerances, three-valued changes, flags, the type
of a municipality, the type names in display order and their colours.

As in the rural territorial dynamics research: did income per person grow, poverty fall,
inequality fall, and forest (natural capital) stay? A change counts only when it exceeds a
stated tolerance (``TOLERANCES``, settable per scenario in a ``[typology]`` table): each
dimension is *improved*, *no change* (within the tolerance) or *worsened*. A social flag
holds when its dimension improved; ``forest_kept`` holds when forest did not worsen (a loss
within the tolerance counts as kept). All three social flags is "win-win-win"; with the
forest kept, "sustainable win-win-win". A unit whose social statistics are not all defined
(an external market, a municipality left empty) has no type (``UNCLASSIFIED``) and is left
out of type shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ..errors import InputError
from ..fields import FieldSpec
from ..suggest import did_you_mean


@dataclass(frozen=True)
class Tolerance:
    """The smallest change of one period statistic that counts as a change.

    Attributes
    ----------
    spec : FieldSpec
        Name (key of the ``[typology]`` table), unit, default, accepted range and meaning.
    statistic : str
        Period statistic it applies to (``territory_abm.outcomes.period``).
    basis : str
        Where the default comes from (the survey error it stands for).
    """

    spec: FieldSpec
    statistic: str
    basis: str


_TOLERANCES: tuple[Tolerance, ...] = (
    Tolerance(FieldSpec("income_growth", "1", 0.05, 0.0, 1.0,
                        "smallest relative change of mean income per person over the period that counts as growth "
                        "or decline (0.05: 5 %)"),
              "income_growth_total",
              "assumption standing for survey error: a municipal mean income from a household survey or a "
              "small-area estimate has a standard error of about 3-4 % of its level, so the difference of two "
              "estimates is uncertain by about 5 %; over a 10-year census period this is 0.5 %/yr"),
    Tolerance(FieldSpec("poverty", "1", 0.01, 0.0, 1.0,
                        "smallest change of the poverty headcount (share of people) that counts as a fall or a rise "
                        "(0.01: one percentage point)"),
              "poverty_change",
              "survey error: municipal poverty headcounts from small-area estimates carry standard errors of "
              "one to a few percentage points; one point is the smallest change such studies report"),
    Tolerance(FieldSpec("gini", "1", 0.01, 0.0, 1.0,
                        "smallest change of the Gini of income per person that counts as a fall or a rise"),
              "gini_change",
              "survey error: bootstrap standard errors of a Gini from a household survey are about 0.005-0.01"),
    Tolerance(FieldSpec("forest", "1", 0.01, 0.0, 1.0,
                        "largest relative loss of forest cover still counted as kept, and smallest relative change "
                        "that counts as a gain or a loss (0.01: 1 %)"),
              "forest_change",
              "measurement error of forest cover from satellite classification, about 1 % of the cover"),
)

TOLERANCES: Mapping[str, Tolerance] = MappingProxyType({t.spec.name: t for t in _TOLERANCES})
"""Every typology tolerance by name (the keys of a scenario's ``[typology]`` table)."""

NATURE_TOLERANCE = TOLERANCES["forest"].spec.default
"""Default relative loss of forest still counted as kept (1 %)."""


@dataclass(frozen=True)
class Tolerances:
    """Tolerances of one typology (unit 1; defaults from ``TOLERANCES``)."""

    income_growth: float = TOLERANCES["income_growth"].spec.default
    poverty: float = TOLERANCES["poverty"].spec.default
    gini: float = TOLERANCES["gini"].spec.default
    forest: float = TOLERANCES["forest"].spec.default

    @classmethod
    def from_table(cls, raw: object, source: str | Path, prefix: str = "typology.") -> Tolerances:
        """Tolerances from a ``[typology]`` table (missing keys take the default).

        Raises
        ------
        InputError
            For a table that is not one, an unknown key, or a value of the wrong type or
            outside its range, naming ``source`` and ``prefix + key``.
        """
        if not isinstance(raw, dict):
            raise InputError(source, prefix.rstrip("."), "a table of tolerances ([typology])")
        for key in raw:
            if key not in TOLERANCES:
                raise InputError(source, prefix + key, f"one of the typology tolerances {', '.join(TOLERANCES)}"
                                 f"{did_you_mean(key, TOLERANCES)}")
        return cls(**{k: t.spec.check(raw.get(k, t.spec.default), source, prefix + k) for k, t in TOLERANCES.items()})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def of(self, statistic: str) -> float:
        """The tolerance applied to period statistic ``statistic``."""
        for f in fields(self):
            if TOLERANCES[f.name].statistic == statistic:
                return getattr(self, f.name)
        raise KeyError(statistic)


DEFAULT_TOLERANCES = Tolerances()

IMPROVED, NO_CHANGE, WORSENED = "improved", "no change", "worsened"
CHANGES = (IMPROVED, NO_CHANGE, WORSENED)
"""The three values of a dimension of the typology, best first."""


@dataclass(frozen=True)
class Dimension:
    """One dimension of the typology: a period statistic judged with its tolerance.

    Attributes
    ----------
    name : str
        Column of the typology table holding ``"improved"``, ``"no change"`` or ``"worsened"``.
    statistic : str
        Period statistic it reads.
    better : int
        +1 if a rise is an improvement (income, forest), -1 if a fall is (poverty, Gini).
    """

    name: str
    statistic: str
    better: int


DIMENSIONS: Mapping[str, Dimension] = MappingProxyType({d.name: d for d in (
    Dimension("income", "income_growth_total", +1),
    Dimension("poverty", "poverty_change", -1),
    Dimension("inequality", "gini_change", -1),
    Dimension("forest", "forest_change", +1),
)})
"""The four dimensions, in the order of the typology table."""


def direction(statistics: Mapping[str, np.ndarray], dimension: str,
              tolerances: Tolerances | None = None) -> np.ndarray:
    """+1 (improved), 0 (no change: within the tolerance) or -1 (worsened) per unit.

    A change counts only when its size exceeds the tolerance strictly. Undefined
    statistics (NaN) give 0; use ``flag_values`` to know where a flag is defined.
    """
    d = DIMENSIONS[dimension]
    tol = (tolerances or DEFAULT_TOLERANCES).of(d.statistic)
    value = d.better * np.asarray(statistics[d.statistic], float)
    with np.errstate(invalid="ignore"):
        return np.where(value > tol, 1, np.where(value < -tol, -1, 0)).astype(np.int8)


@dataclass(frozen=True)
class Flag:
    """A yes/no outcome of a period, defined where its statistics are finite.

    Attributes
    ----------
    name : str
        Name (``share:<name>`` in calibration files; a column of the typology table).
    label : str
        One-line meaning.
    needs : tuple of str
        Period statistics it tests.
    holds : tuple of (str, int)
        (dimension, least direction) pairs that must all hold: 1 for improved, 0 for
        improved or no change.
    """

    name: str
    label: str
    needs: tuple[str, ...]
    holds: tuple[tuple[str, int], ...]

    def test(self, statistics: Mapping[str, np.ndarray], tolerances: Tolerances | None = None) -> np.ndarray:
        """Whether the flag holds, per unit (bool array; False where undefined)."""
        out = np.ones(np.shape(statistics[self.needs[0]]), bool)
        for dim, least in self.holds:
            out &= direction(statistics, dim, tolerances) >= least
        return out


_SOCIAL = ("income_growth_total", "poverty_change", "gini_change")
_SOCIAL_HOLDS = (("income", 1), ("poverty", 1), ("inequality", 1))

_ENTRIES: tuple[Flag, ...] = (
    Flag("grew", "mean income per person grew by more than the income_growth tolerance", ("income_growth_total",),
         (("income", 1),)),
    Flag("poverty_fell", "poverty headcount fell by more than the poverty tolerance", ("poverty_change",),
         (("poverty", 1),)),
    Flag("inequality_fell", "Gini of income fell by more than the gini tolerance", ("gini_change",),
         (("inequality", 1),)),
    Flag("forest_kept", "forest cover lost at most the forest tolerance (1 % by default)", ("forest_change",),
         (("forest", 0),)),
    Flag("win_win_win", "income grew and poverty and inequality fell, each beyond its tolerance", _SOCIAL,
         _SOCIAL_HOLDS),
    Flag("sustainable_win_win_win", "win-win-win and forest kept", (*_SOCIAL, "forest_change"),
         (*_SOCIAL_HOLDS, ("forest", 0))),
)

FLAGS: Mapping[str, Flag] = MappingProxyType({f.name: f for f in _ENTRIES})
"""Every typology flag by name."""

TYPE_FLAGS = ("grew", "poverty_fell", "inequality_fell", "forest_kept")
"""The flags a type is made of (columns of the typology table, in this order)."""

TYPES = ("sustainable win-win-win", "win-win-win", "two of three", "one of three", "none")
"""Type names, best first (the order of tables and legends)."""

UNCLASSIFIED = ""
"""Type of a unit without all social statistics (external markets, empty municipalities)."""

TYPE_COLOURS: Mapping[str, str] = MappingProxyType(dict(zip(TYPES, ("#009E73", "#56B4E9", "#F0E442", "#E69F00",
                                                                  "#D55E00"))))
"""One colour per type (maps, bars and legends of plots, report and dashboard): the Okabe-Ito
palette (bluish green, sky blue, yellow, orange, vermillion), told apart with any colour
vision; cool colours for the best types, warm for the worst."""

UNCLASSIFIED_COLOUR = "#d0d7de"

GROUPS: Mapping[str, str] = MappingProxyType({"rural": "rural municipalities", "cities": "intermediate cities",
                                              "all": "all municipalities and cities"})
"""Groups over which type shares are reported apart (name -> label): node kind
``municipality``, node kind ``city``, and both together."""

LABELS_ES: Mapping[str, str] = MappingProxyType({
    **{"rural municipalities": "municipios rurales", "intermediate cities": "ciudades intermedias",
       "all municipalities and cities": "todos los municipios y ciudades"},
    **{IMPROVED: "mejoró", NO_CHANGE: "sin cambio", WORSENED: "empeoró"},
    **{"income": "ingreso", "poverty": "pobreza", "inequality": "desigualdad", "forest": "bosque"}})
"""The Spanish of the groups' labels (:data:`GROUPS`), the values of a dimension (:data:`CHANGES`)
and the dimensions' names (:data:`DIMENSIONS`), for the adviser report in Spanish (the types'
Spanish names are the dashboard's, ``dashboard.text.TEXT["es"]``)."""

GROUP_KINDS: Mapping[str, tuple[str, ...]] = MappingProxyType({"rural": ("municipality",), "cities": ("city",),
                                                               "all": ("municipality", "city")})
"""Node kinds in each group."""


def classify(grew: bool, poverty_fell: bool, inequality_fell: bool, forest_kept: bool) -> str:
    """Type of one municipality from the four yes/no outcomes."""
    social = int(grew) + int(poverty_fell) + int(inequality_fell)
    if social == 3:
        return TYPES[0] if forest_kept else TYPES[1]
    return {2: TYPES[2], 1: TYPES[3], 0: TYPES[4]}[social]


def flag_values(statistics: Mapping[str, np.ndarray], name: str,
                tolerances: Tolerances | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Flag ``name`` and where it is defined (all its statistics finite), same shapes."""
    flag = FLAGS[name]
    value = np.asarray(flag.test(statistics, tolerances), bool)
    valid = np.logical_and.reduce([np.isfinite(np.asarray(statistics[k], float)) for k in flag.needs])
    return value & valid, valid


def flag_share(statistics: Mapping[str, np.ndarray], name: str, tolerances: Tolerances | None = None) -> np.ndarray:
    """Share of units (last axis) where flag ``name`` holds, among those where it is defined
    (NaN where it is defined nowhere)."""
    value, valid = flag_values(statistics, name, tolerances)
    n = valid.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, value.sum(axis=-1) / np.maximum(n, 1), np.nan)


def changes_of(statistics: Mapping[str, np.ndarray], dimension: str, tolerances: Tolerances | None = None) -> np.ndarray:
    """``"improved"``, ``"no change"`` or ``"worsened"`` per unit (``UNCLASSIFIED`` where the
    statistic is not finite)."""
    d = direction(statistics, dimension, tolerances)
    finite = np.isfinite(np.asarray(statistics[DIMENSIONS[dimension].statistic], float))
    names = np.array([WORSENED, NO_CHANGE, IMPROVED], dtype=object)
    return np.where(finite, names[d + 1], UNCLASSIFIED).astype(object)


def types_of(statistics: Mapping[str, np.ndarray], tolerances: Tolerances | None = None) -> np.ndarray:
    """Type of each unit (``UNCLASSIFIED`` where a social statistic is not finite)."""
    flags = [flag_values(statistics, name, tolerances)[0] for name in TYPE_FLAGS]
    classified = flag_values(statistics, "win_win_win", tolerances)[1]
    return np.array([classify(*r) if ok else UNCLASSIFIED for ok, *r in zip(classified, *flags)], dtype=object)


def markdown_table() -> str:
    """The typology tolerances and flags as Markdown (for the README)."""
    lines = ["| tolerance | unit | default | range | applies to | meaning | basis of the default |",
             "|---|---|---|---|---|---|---|"]
    for t in _TOLERANCES:
        s = t.spec
        lines.append(f"| `{s.name}` | {s.unit} | {s.default:g} | [{s.low:g}, {s.high:g}] | {t.statistic} | "
                     f"{s.meaning} | {t.basis} |")
    lines += ["", "| flag | from | meaning |", "|---|---|---|"]
    for f in _ENTRIES:
        lines.append(f"| `{f.name}` | {', '.join(f.needs)} | {f.label} |")
    return "\n".join(lines)
