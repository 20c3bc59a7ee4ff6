"""The territorial typology rule, once: yes/no flags from period statistics, the type of a
municipality from its flags, the type names in display order and their colours.

As in the rural territorial dynamics research: did income per person grow, poverty fall,
inequality fall, and forest (natural capital) stay, losing no more than ``NATURE_TOLERANCE``?
All three social outcomes is "win-win-win"; with the forest kept, "sustainable
win-win-win". A unit whose social statistics are not all defined (an external market, a
municipality left empty) has no type (``UNCLASSIFIED``) and is left out of type shares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

NATURE_TOLERANCE = 0.01
"""Relative loss of forest still counted as kept (1 %)."""


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
    test : callable
        ``test(statistics) -> bool array`` from a mapping of statistic -> array.
    """

    name: str
    label: str
    needs: tuple[str, ...]
    test: Callable[[Mapping[str, np.ndarray]], np.ndarray]


def _grew(s):
    return s["income_growth_total"] > 0


def _poverty_fell(s):
    return s["poverty_change"] < 0


def _inequality_fell(s):
    return s["gini_change"] < 0


def _forest_kept(s):
    return s["forest_change"] >= -NATURE_TOLERANCE


_SOCIAL = ("income_growth_total", "poverty_change", "gini_change")

_ENTRIES: tuple[Flag, ...] = (
    Flag("grew", "mean income per person grew", ("income_growth_total",), _grew),
    Flag("poverty_fell", "poverty headcount fell", ("poverty_change",), _poverty_fell),
    Flag("inequality_fell", "Gini of income fell", ("gini_change",), _inequality_fell),
    Flag("forest_kept", f"at most {NATURE_TOLERANCE:.0%} of the forest cover was lost", ("forest_change",),
         _forest_kept),
    Flag("win_win_win", "income grew and poverty and inequality fell", _SOCIAL,
         lambda s: _grew(s) & _poverty_fell(s) & _inequality_fell(s)),
    Flag("sustainable_win_win_win", "win-win-win and forest kept", (*_SOCIAL, "forest_change"),
         lambda s: _grew(s) & _poverty_fell(s) & _inequality_fell(s) & _forest_kept(s)),
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


def classify(grew: bool, poverty_fell: bool, inequality_fell: bool, forest_kept: bool) -> str:
    """Type of one municipality from the four yes/no outcomes."""
    social = int(grew) + int(poverty_fell) + int(inequality_fell)
    if social == 3:
        return TYPES[0] if forest_kept else TYPES[1]
    return {2: TYPES[2], 1: TYPES[3], 0: TYPES[4]}[social]


def flag_values(statistics: Mapping[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    """Flag ``name`` and where it is defined (all its statistics finite), same shapes."""
    flag = FLAGS[name]
    with np.errstate(invalid="ignore"):
        value = np.asarray(flag.test(statistics), bool)
    valid = np.logical_and.reduce([np.isfinite(np.asarray(statistics[k], float)) for k in flag.needs])
    return value & valid, valid


def flag_share(statistics: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    """Share of units (last axis) where flag ``name`` holds, among those where it is defined
    (NaN where it is defined nowhere)."""
    value, valid = flag_values(statistics, name)
    n = valid.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, value.sum(axis=-1) / np.maximum(n, 1), np.nan)


def types_of(statistics: Mapping[str, np.ndarray]) -> np.ndarray:
    """Type of each unit (``UNCLASSIFIED`` where a social statistic is not finite)."""
    flags = [flag_values(statistics, name)[0] for name in TYPE_FLAGS]
    classified = flag_values(statistics, "win_win_win")[1]
    return np.array([classify(*r) if ok else UNCLASSIFIED for ok, *r in zip(classified, *flags)], dtype=object)


def markdown_table() -> str:
    """The typology flags and types as Markdown (for the README)."""
    lines = ["| flag | from | meaning |", "|---|---|---|"]
    for f in _ENTRIES:
        lines.append(f"| `{f.name}` | {', '.join(f.needs)} | {f.label} |")
    return "\n".join(lines)
