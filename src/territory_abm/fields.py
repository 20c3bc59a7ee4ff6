"""One field-spec type and one checker for every user-facing value.

Behavioural parameters (``params.REGISTRY``), policy lever fields
(``scenarios.levers``), scenario keys, data table columns (``data.territory``),
observable columns (``calibration.observations``) and design-file keys are all declared
as :class:`FieldSpec` and checked by :meth:`FieldSpec.check` (a value from TOML or
code) or :meth:`FieldSpec.parse` (a CSV cell). Every failure raises
:class:`~territory_abm.errors.InputError` naming the source, the field and what was
expected.

Kinds
-----
``"float"``
    A real number (an integer or a float, never a bool), finite, within the bounds;
    returned as ``float``.
``"int"``
    A whole number (an integer, or a float with no fractional part), within the
    bounds; returned as ``int``.
``"bool"``
    ``true`` or ``false``.
``"str"``
    A string, one of ``choices`` when these are given.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .suggest import did_you_mean

KINDS = ("float", "int", "bool", "str")
_UNITLESS = ("", "1", "-")


@dataclass(frozen=True)
class FieldSpec:
    """A named value with its unit, default, range and meaning.

    Attributes
    ----------
    name : str
        Name used in files (the key, column or parameter name).
    unit : str
        Unit of the value (``"1"`` for dimensionless, ``"-"`` for labels).
    default : object
        Value used when the field is not given (None: the field is required).
    low, high : float
        Bounds of accepted numbers, inclusive unless ``exclusive``.
    meaning : str
        One-line meaning.
    kind : str
        One of ``"float"``, ``"int"``, ``"bool"``, ``"str"`` (see the module docstring).
    choices : tuple of str
        Accepted strings of a ``"str"`` field (empty: any string).
    exclusive : bool
        Whether the bounds themselves are rejected (``low < value < high``).
    """

    name: str
    unit: str = "1"
    default: Any = None
    low: float = -math.inf
    high: float = math.inf
    meaning: str = ""
    kind: str = "float"
    choices: tuple[str, ...] = ()
    exclusive: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name}: kind must be one of {KINDS}, got {self.kind!r}")
        if not self.low <= self.high:
            raise ValueError(f"field {self.name}: low {self.low} above high {self.high}")

    @property
    def integer(self) -> bool:
        """Whether the value must be a whole number."""
        return self.kind == "int"

    def expected(self) -> str:
        """What the field accepts, in words a user understands."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "str":
            return f"one of {', '.join(self.choices)}" if self.choices else "a string"
        what = "a whole number" if self.kind == "int" else "a number"
        unit = "" if self.unit in _UNITLESS else f" {self.unit}"
        low, high = math.isfinite(self.low), math.isfinite(self.high)
        if self.exclusive and (low or high):
            if low and high:
                return f"{what} strictly between {self.low:g} and {self.high:g}{unit}"
            return f"{what} {'above ' + format(self.low, 'g') if low else 'below ' + format(self.high, 'g')}{unit}"
        if low and high:
            return f"{what} in [{self.low:g}, {self.high:g}]{unit}"
        if low:
            return f"{what} of at least {self.low:g}{unit}"
        if high:
            return f"{what} of at most {self.high:g}{unit}"
        return f"{what}{unit}"

    def check(self, value: object, source: str | Path, field: str | None = None):
        """``value`` checked against the spec and converted to its kind.

        Parameters
        ----------
        value : object
            The value as read (TOML, JSON or code).
        source : str or Path
            The file or other source named in the error.
        field : str, optional
            The field named in the error (default: ``name``), e.g. ``"policies[0].amount"``.

        Raises
        ------
        InputError
            If ``value`` is not of the kind, not finite, or outside the bounds (a string
            not among ``choices`` gets "did you mean" the closest one).
        """
        field = self.name if field is None else field
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
        elif self.kind == "str":
            if isinstance(value, str) and (not self.choices or value in self.choices):
                return value
        elif is_number(value) and self._within(value):
            number = float(value)
            if self.kind == "float":
                return number
            if number == math.floor(number):
                return int(value)
        raise InputError(source, field,
                         f"{self.expected()}, got {value!r}{did_you_mean(value, self.choices)}{self.percent_hint(value)}")

    def percent_hint(self, value: object) -> str:
        """For a share (a unitless float in [0, 1]) given as a number in (1, 100]: the question
        whether it is a percent, with the share it would be ("" otherwise; ``data.importer`` asks
        it of the values it converts, and of a mapped column to declare the unit instead)."""
        if not (self.kind == "float" and self.unit in _UNITLESS and self.low == 0 and self.high == 1
                and is_number(value)):
            return ""
        try:
            number = float(value)
        except OverflowError:  # an integer beyond the float range: no percent
            return ""
        return f" (is it a percent? write it as a share, {number / 100:.4g})" if 1 < number <= 100 else ""

    def parse(self, text: str, source: str | Path, field: str | None = None, empty: Any = None):
        """A CSV cell checked against the spec: numbers are parsed from ``text``.

        An empty cell returns ``empty`` when it is given (e.g. NaN for a missing value)
        and is rejected otherwise.
        """
        field = self.name if field is None else field
        if text == "" and empty is not None:
            return empty
        if self.kind in ("float", "int"):
            try:
                value: object = float(text)
            except ValueError:
                raise InputError(source, field, f"{self.expected()}, got {text!r}") from None
            return self.check(value, source, field)
        return self.check(text, source, field)

    def _within(self, value: numbers.Real) -> bool:
        """Finite and within the bounds (integers compared exactly, whatever their size)."""
        try:
            if not math.isfinite(value):  # an integer beyond the float range overflows
                return False
        except OverflowError:
            return False
        if self.exclusive:
            return self.low < value < self.high
        return self.low <= value <= self.high


def is_number(value: object) -> bool:
    """Whether ``value`` is a real number and not a bool (``True`` is an int in Python)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_all(specs, raw: dict, source: str | Path, prefix: str = "") -> dict[str, Any]:
    """Every spec's value from ``raw`` (or its default), checked; keys ``raw`` lacks take the default.

    Fields named in errors are ``prefix + spec.name``.
    """
    return {spec.name: spec.check(raw.get(spec.name, spec.default), source, prefix + spec.name) for spec in specs}
