"""The outcome registry: every yearly outcome, period statistic and typology flag, declared once.

- ``yearly``: outcomes recorded per node and for the territory each year (name, unit,
  label, kind, how they aggregate over nodes and over years), and the named selections
  used by summaries, reports and plots.
- ``period``: statistics of a period (income growth, poverty, Gini and forest change,
  population growth, net migration rate), one formula each for municipalities and the
  territory.
- ``types``: the typology rule (flags, types in order, one colour table).

Run outputs, comparisons, sensitivity analysis, calibration, the report and the dashboard
take names, units, labels and formulas from here.
"""

from .period import REGISTRY as STATISTICS
from .period import Statistic, period_frames, period_statistics
from .types import (
    FLAGS,
    NATURE_TOLERANCE,
    TYPE_COLOURS,
    TYPE_FLAGS,
    TYPES,
    UNCLASSIFIED,
    UNCLASSIFIED_COLOUR,
    Flag,
    classify,
    flag_share,
    flag_values,
    types_of,
)
from .yearly import DIFFERENCES, HEADLINE, SERIES, SUMMARY, Outcome, aggregate, outcome
from .yearly import REGISTRY as OUTCOMES

__all__ = ["DIFFERENCES", "FLAGS", "HEADLINE", "NATURE_TOLERANCE", "OUTCOMES", "SERIES", "STATISTICS", "SUMMARY",
           "TYPES", "TYPE_COLOURS", "TYPE_FLAGS", "UNCLASSIFIED", "UNCLASSIFIED_COLOUR", "Flag", "Outcome",
           "Statistic", "aggregate", "classify", "flag_share", "flag_values", "markdown_table", "outcome",
           "period_frames", "period_statistics", "types_of"]


def markdown_table() -> str:
    """The whole registry as Markdown: yearly outcomes, period statistics, typology flags."""
    from . import period, types, yearly

    return f"{yearly.markdown_table()}\n\n{period.markdown_table()}\n\n{types.markdown_table()}"
