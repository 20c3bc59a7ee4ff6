"""How the report writes a number: one rounding rule, precision from the outcome's unit.

Every number in the report's tables and sentences goes through :func:`rounded`, so that a
value that rounds to zero prints as ``0`` (never ``-0.0`` or ``+0.0``) and a missing or
undefined value prints as ``-``. Precision follows the outcome registry
(:mod:`territory_abm.outcomes`): shares in per cent (differences of shares in percentage
points) with one decimal, indices (Gini) with three, years with one, persons and money per
person as whole numbers; money totals and counts summed over a run keep three significant
digits (seed noise makes further digits meaningless). An interval's nonzero end never prints
as 0 (:func:`interval_end`): a difference told from chance is never shown touching zero.
"""

from __future__ import annotations

import math

from ..outcomes import Outcome, outcome
from ..language import current, spanish

MISSING = "-"
"""Printed for a value that is missing or not finite."""


def rounded(value: float, decimals: int = 0, *, signed: bool = False) -> str:
    """``value`` rounded to ``decimals`` places with thousands separators.

    Parameters
    ----------
    value : float
        Any number (NaN and infinities print as ``MISSING``).
    decimals : int
        Places after the decimal point.
    signed : bool
        Prefix ``+`` to positive values (differences).

    Returns
    -------
    str
        ``"0"`` when the value rounds to zero at this precision, whatever its sign.
    """
    if value is None or not math.isfinite(value):
        return MISSING
    r = round(float(value), decimals)
    if r == 0:
        return "0"
    return _written(f"{r:{'+' if signed else ''},.{decimals}f}")


def _written(text: str) -> str:
    """A number written in English as the language in force writes it (in Spanish a decimal
    comma, thousands by a space from five digits on): the dashboard's rule
    (``dashboard.text.written``), imported here when used since that module imports this one."""
    if not spanish():
        return text
    from ..dashboard.text import written

    return written(text, current())


def plain(value, spec: str = "") -> str:
    """A number as Python formats it with ``spec`` (``""``: as ``str``; ``"g"``), in the
    language in force: for values the report quotes as given (a scale, a policy's share)."""
    return _written(format(value, spec))


def bracket(low: str, high: str) -> str:
    """An interval's two ends as written: ``"[-5, +40]"``; in Spanish, whose decimal comma
    would run into the comma between them, ``"[-5; +40]"``."""
    return f"[{low}; {high}]" if spanish() else f"[{low}, {high}]"


def between(low: str, high: str) -> str:
    """The ends of a range in a sentence: ``"-5 to +40"`` (``"-5 a +40"``)."""
    return f"{low} a {high}" if spanish() else f"{low} to {high}"


def significant(value: float, digits: int = 3, *, signed: bool = False) -> str:
    """``value`` rounded to ``digits`` significant digits, as a whole number when that is
    coarser than one (``2,222,784`` -> ``2,220,000``; ``1.4642`` -> ``1.46``)."""
    if value is None or not math.isfinite(value) or value == 0:
        return rounded(value if value is not None else math.nan)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = digits - 1 - magnitude
    if decimals <= 0:
        return rounded(round(value, decimals), 0, signed=signed)
    return rounded(value, decimals, signed=signed)


def significant_interval(mean: float, low: float, high: float, digits: int = 3, *,
                         signed: bool = False) -> tuple[str, str, str]:
    """``mean``, ``low`` and ``high`` at ``digits`` significant digits (:func:`significant`),
    the ends at no more places than the mean has, so that the three read at one precision
    (person-years 7,970 [28, 25,000], not [27.6, 25,000]: a fresh-clone trial, session 54); an
    end that would then print a nonzero as 0 keeps its own (:func:`interval_end`)."""
    mean_text = significant(mean, digits, signed=signed)
    if mean is None or not math.isfinite(mean) or mean == 0:
        return mean_text, significant(low, digits, signed=signed), significant(high, digits, signed=signed)
    places = max(digits - 1 - math.floor(math.log10(abs(mean))), 0)

    def end(x: float) -> str:
        if x is None or not math.isfinite(x) or x == 0 or digits - 1 - math.floor(math.log10(abs(x))) <= places:
            return significant(x, digits, signed=signed)
        return interval_end(x, places, signed=signed)
    return mean_text, end(low), end(high)


def significant_with_interval(mean: float, low: float, high: float, *, signed: bool = False) -> str:
    """``"7,970 [28, 25,000]"``: :func:`significant_interval` written as a mean and its bracket."""
    mean_text, low_text, high_text = significant_interval(mean, low, high, signed=signed)
    return f"{mean_text} {bracket(low_text, high_text)}"


def whole_territory(scale: float) -> float:
    """Factor from the simulated territory's money totals to the whole territory's (the model
    draws ``scale`` simulated households per real household and scales budgets with them)."""
    return 1.0 / scale


def whole_territory_factor(name: str, scale: float) -> float:
    """Outcome ``name``'s factor to the whole territory (the registry's
    ``Outcome.whole_territory_factor``: :func:`whole_territory` for totals over households, else 1)."""
    return outcome(name).whole_territory_factor(scale)


def decimals(spec: Outcome) -> int:
    """Places shown for an outcome: one for shares in per cent, the registry's otherwise."""
    return 1 if spec.kind == "share" else spec.decimals


def scaled(spec: Outcome, value: float) -> float:
    """The value in the unit the report shows it in (shares as per cent)."""
    return 100 * value if spec.kind == "share" else value


def value(name: str, x: float, *, signed: bool = False, places: int | None = None) -> str:
    """Outcome ``name``'s value ``x`` in the report's unit and precision (shares in %), or with
    ``places`` after the point (e.g. from :func:`interval_places`)."""
    spec = outcome(name)
    return rounded(scaled(spec, x), decimals(spec) if places is None else places, signed=signed)


EXTRA_DECIMALS = 3
"""Most places added to an outcome's interval so that a share's nonzero ends, and the mean of
an interval on one side of zero, do not print as 0, and so that ends that differ do not print
alike (a difference told from chance is never shown as nothing, an interval never as one
value); the few numbers that still print as 0 then take their own places
(:func:`interval_end`: money and counts keep their whole numbers)."""


def interval_places(name: str, mean: float, low: float, high: float) -> int:
    """Places after the decimal point for outcome ``name``'s ``mean`` and interval [``low``,
    ``high``]: the outcome's, and as many more (at most ``EXTRA_DECIMALS``) as keep a share's
    nonzero interval ends, and the mean of an interval on one side of zero, from printing as
    0, and two ends that differ from printing alike (land redistribution's forest cover
    +0.212 [+0.203, +0.221] points, not +0.2 [+0.2, +0.2])."""
    spec = outcome(name)
    places = decimals(spec)
    shown = (mean, low, high) if (low > 0 or high < 0) else (low, high)

    def hides(p: int) -> bool:
        zero = spec.kind == "share" and any(x != 0 and rounded(scaled(spec, x), p) == "0" for x in shown)
        alike = (low != high and math.isfinite(low) and math.isfinite(high)  # NaN ends (an empty cell) are not alike
                 and rounded(scaled(spec, low), p) == rounded(scaled(spec, high), p))
        return zero or alike
    while places < decimals(spec) + EXTRA_DECIMALS and hides(places):
        places += 1
    return places


def shared_places(name: str, cells) -> int:
    """Places for intervals of outcome ``name`` shown side by side (``cells``: their (mean,
    low, high); a table's row across scenarios or column across municipalities): the most any
    one needs (:func:`interval_places`), so that they are read at one precision (forest cover
    -0.0296 [-0.0533, -0.0109] beside -0.0018 [-0.0056, +0.0004] points, not -0.03 beside
    -0.0018)."""
    return max((interval_places(name, *cell) for cell in cells), default=decimals(outcome(name)))


def interval_end(x: float, places: int, *, signed: bool = False) -> str:
    """An interval's end ``x`` (or the mean of an interval on one side of zero) at ``places``;
    where that prints a nonzero ``x`` as 0, at the fewest more places that do not (roads' Gini
    at the programme's end -0.002 [-0.003, -0.0002], not [-0.003, 0]; a municipality's income
    -73 [-164, -0.09], not [-164, 0]): an interval that does not reach zero is never shown
    touching it, and the rest of the table keeps its precision."""
    text = rounded(x, places, signed=signed)
    while text == "0" and x != 0 and math.isfinite(x) and places < MOST_PLACES:
        places += 1
        text = rounded(x, places, signed=signed)
    return text


MOST_PLACES = 6
"""Most places :func:`interval_end` gives an end: below 10^-6 of the unit shown (a floating-point
remainder such as 1e-17, review 24) an end is zero for every reading and prints as 0."""


def interval_texts(name: str, mean: float, low: float, high: float, places: int, *,
                   signed: bool = True) -> tuple[str, str, str]:
    """Outcome ``name``'s ``mean``, ``low`` and ``high`` in the report's unit at ``places``,
    the ends (and the mean of an interval on one side of zero) never printing as 0 where they
    are not (:func:`interval_end`)."""
    spec = outcome(name)
    one_side = low > 0 or high < 0
    mean_text = (interval_end if one_side else rounded)(scaled(spec, mean), places, signed=signed)
    return (mean_text, interval_end(scaled(spec, low), places, signed=signed),
            interval_end(scaled(spec, high), places, signed=signed))


def with_interval(name: str, mean: float, low: float, high: float, *, signed: bool = True,
                  places: int | None = None, one_run: bool = False) -> str:
    """``"+20 [-5, +40]"``: a difference (or value) of outcome ``name`` and its interval, at
    the outcome's precision; for a share, with as many more places (at most
    ``EXTRA_DECIMALS``) as keep the interval's nonzero ends, and the mean of an interval on one
    side of zero, from printing as 0 (forest cover -0.03 [-0.06, -0.01] points, not 0 [-0.1, 0];
    0 [-0.05, +0.03], not 0 [-0.1, 0], which hides that the interval reaches above zero); or
    with ``places`` (e.g. :func:`shared_places` of the cells beside it); a nonzero end that
    would still print as 0 takes its own places (:func:`interval_end`). With ``one_run`` (one
    seed per scenario) the value alone: one run has no interval, and ``[x, x]`` would show one."""
    places = interval_places(name, mean, low, high) if places is None else places
    mean_text, low_text, high_text = interval_texts(name, mean, low, high, places, signed=signed)
    return mean_text if one_run else f"{mean_text} {bracket(low_text, high_text)}"


def unit(name: str, difference: bool = False) -> str:
    """The unit outcome ``name`` is shown in: ``%`` for shares (``points`` for their
    differences), the registry unit otherwise (empty when dimensionless)."""
    spec = outcome(name)
    if spec.kind == "share":
        return ("puntos" if spanish() else "points") if difference else "%"
    return "" if spec.unit == "1" else unit_text(spec.unit)


UNITS_ES = {"USD/person/yr": "USD/persona/año", "USD/worker/yr": "USD/trabajador/año", "USD/yr": "USD/año",
            "persons": "personas", "households": "hogares", "firms": "empresas", "persons/yr": "personas/año",
            "yr": "años", "ha/yr": "ha/año", "ha": "ha", "USD": "USD", "points": "puntos", "share": "proporción"}
"""The registry's units as the Spanish report writes them."""


def unit_text(name: str) -> str:
    """A registry unit in the language in force (itself in English, or where it has no Spanish)."""
    return UNITS_ES.get(name, name) if spanish() else name


def quantity(name: str, x: float, *, signed: bool = False, difference: bool = False, places: int | None = None) -> str:
    """A value with its unit, for sentences: ``"26.0 %"``, ``"1.9 points"``, ``"3,249 USD/person/yr"``
    (``places`` after the point instead of the outcome's, e.g. from :func:`interval_places`)."""
    return with_unit(name, value(name, x, signed=signed, places=places), difference)


def with_unit(name: str, text: str, difference: bool = False) -> str:
    """A number of outcome ``name`` as written (``text``) followed by its unit (:func:`unit`)."""
    u = unit(name, difference)
    if not u or text == MISSING:
        return text
    return f"{text} %" if u == "%" else f"{text} {u}"


def hectares(x: float, *, signed: bool = False) -> str:
    """Hectares of forest as whole numbers with thousands separators (``"+1,834"``, ``"12"``),
    a nonzero value under half a hectare with the places that show it (:func:`interval_end`)."""
    return interval_end(x, 0, signed=signed)
