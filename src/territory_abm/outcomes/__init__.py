"""The outcome registry: every yearly outcome, period statistic and typology flag, declared once.

- ``yearly``: outcomes recorded per node and for the territory each year (name, unit,
  label, kind, how they aggregate over nodes and over years), and the named selections
  used by summaries, reports and plots.
- ``period``: statistics of a period (income growth, poverty, Gini and forest change,
  population growth, net migration rate), one formula each for municipalities and the
  territory.
- ``types``: the typology rule (tolerances, three-valued dimensions, flags, types in
  order, one colour table, the groups shares are reported over).

Run outputs, comparisons, sensitivity analysis, calibration, the report and the dashboard
take names, units, labels and formulas from here.
"""

from .period import REGISTRY as STATISTICS
from .period import Statistic, period_frames, period_statistics
from .types import (
    CHANGES,
    DIMENSIONS,
    FLAGS,
    GROUP_KINDS,
    GROUPS,
    LABELS_ES,
    NATURE_TOLERANCE,
    TOLERANCES,
    TYPE_COLOURS,
    TYPE_FLAGS,
    TYPES,
    UNCLASSIFIED,
    UNCLASSIFIED_COLOUR,
    Flag,
    Tolerances,
    changes_of,
    classify,
    flag_share,
    flag_values,
    types_of,
)
from .yearly import DIFFERENCES, HEADLINE, SERIES, SUMMARY, Outcome, aggregate, outcome
from .yearly import REGISTRY as OUTCOMES

__all__ = ["CHANGES", "DIFFERENCES", "DIMENSIONS", "FLAGS", "GROUPS", "GROUP_KINDS", "HEADLINE", "LABELS_ES", "NATURE_TOLERANCE",
           "OUTCOMES", "SERIES", "STATISTICS", "SUMMARY", "TOLERANCES", "TYPES", "TYPE_COLOURS", "TYPE_FLAGS",
           "UNCLASSIFIED", "UNCLASSIFIED_COLOUR", "Flag", "Outcome", "Statistic", "Tolerances", "aggregate",
           "changes_of", "classify", "flag_share", "flag_values", "markdown_table", "outcome", "period_frames",
           "period_statistics", "types_of"]


def markdown_table() -> str:
    """The whole registry as Markdown: yearly outcomes, period statistics, typology tolerances and flags."""
    from . import period, types, yearly

    return f"{yearly.markdown_table()}\n\n{period.markdown_table()}\n\n{types.markdown_table()}"
