"""Typology on hand-made cases."""

import pandas as pd
import pytest

from territory_abm.typology import UNCLASSIFIED, classify, type_shares, typology


def frame(rows):
    cols = ["year", "node_id", "name", "kind", "population", "mean_income_pc", "poverty_headcount",
            "gini_income", "forest_cover"]
    return pd.DataFrame(rows, columns=cols)


def test_classify_cases():
    assert classify(True, True, True, True) == "sustainable win-win-win"
    assert classify(True, True, True, False) == "win-win-win"
    assert classify(True, False, True, True) == "two of three"
    assert classify(False, False, True, True) == "one of three"
    assert classify(False, False, False, True) == "none"


def test_typology_from_node_table():
    nan = float("nan")
    df = frame([
        (2010, "A", "A", "municipality", 100, 1000, 0.5, 0.5, 0.5),
        (2010, "B", "B", "municipality", 300, 1000, 0.5, 0.5, 0.5),
        (2010, "C", "C", "city", 100, 1000, 0.5, 0.5, 0.5),
        (2010, "X", "X", "market", nan, nan, nan, nan, nan),
        (2020, "A", "A", "municipality", 100, 1200, 0.4, 0.45, 0.4975),  # all good, forest within 1 %
        (2020, "B", "B", "municipality", 300, 1200, 0.4, 0.45, 0.45),    # forest lost
        (2020, "C", "C", "city", 100, 900, 0.6, 0.55, 0.5),              # all bad
        (2020, "X", "X", "market", nan, nan, nan, nan, nan),
    ])
    t = typology(df).set_index("node_id")
    assert t.loc["A", "type"] == "sustainable win-win-win"
    assert t.loc["B", "type"] == "win-win-win"
    assert t.loc["C", "type"] == "none"
    assert t.loc["X", "type"] == UNCLASSIFIED  # an external market has no type
    assert t.loc["A", "income_growth_total"] == pytest.approx(0.2)
    assert t.loc["B", "forest_change"] == pytest.approx(-0.1)
    assert bool(t.loc["A", "forest_kept"]) and not bool(t.loc["B", "forest_kept"])
    shares = type_shares(t.reset_index()).set_index("type")
    assert shares.loc["win-win-win", "share_of_population"] == 300 / 500
    assert shares.loc["none", "share_of_municipalities"] == 1 / 3  # the market is not counted
    assert shares["municipalities"].sum() == 3
