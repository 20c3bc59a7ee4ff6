"""Typology on hand-made cases: tolerances (a change inside is "no change", just outside is a
change), three-valued dimensions, and shares over rural municipalities, cities and both."""

import numpy as np
import pandas as pd
import pytest

from territory_abm.errors import InputError
from territory_abm.outcomes import TOLERANCES, Tolerances, changes_of, flag_share, types_of
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
    assert t.loc["A", "forest"] == "no change" and t.loc["B", "forest"] == "worsened"
    assert t.loc["C", "income"] == "worsened" and t.loc["X", "income"] == UNCLASSIFIED
    assert (t["start_year"] == 2010).all() and (t["end_year"] == 2020).all()


# one step inside each default tolerance ("no change") and one step outside (a change); the
# listed ends are improvements, except for forest where the tested side is a loss
INSIDE_OUTSIDE = [
    # column, start, inside end, outside end, dimension
    ("mean_income_pc", 1000.0, 1049.0, 1051.0, "income"),       # 5 % of income
    ("poverty_headcount", 0.300, 0.291, 0.289, "poverty"),      # one point of poverty
    ("gini_income", 0.480, 0.471, 0.469, "inequality"),         # 0.01 of Gini
    ("forest_cover", 0.500, 0.4951, 0.4949, "forest"),          # 1 % of the forest
]


def _two_years(column, start, end, kind="municipality"):
    base = {"mean_income_pc": 1000.0, "poverty_headcount": 0.3, "gini_income": 0.48, "forest_cover": 0.5}
    return pd.DataFrame([{"year": year, "node_id": "A", "name": "A", "kind": kind, "population": 100, **base,
                          column: value} for year, value in ((2010, start), (2020, end))])


def _verdict(column, start, end, what):
    return typology(_two_years(column, start, end))[what].iloc[0]


@pytest.mark.parametrize("column,start,inside,outside,dimension", INSIDE_OUTSIDE)
def test_a_change_just_inside_the_tolerance_is_no_change_just_outside_is_a_change(column, start, inside, outside,
                                                                                   dimension):
    assert _verdict(column, start, inside, dimension) == "no change"
    mirror_inside, mirror_outside = 2 * start - inside, 2 * start - outside  # the same change the other way
    assert _verdict(column, start, mirror_inside, dimension) == "no change"
    if dimension == "forest":  # a loss inside the tolerance is kept, outside it is lost; gains are gains
        assert _verdict(column, start, outside, dimension) == "worsened"
        assert _verdict(column, start, inside, "forest_kept") and not _verdict(column, start, outside, "forest_kept")
        assert _verdict(column, start, mirror_outside, dimension) == "improved"
    else:
        assert _verdict(column, start, outside, dimension) == "improved"
        assert _verdict(column, start, mirror_outside, dimension) == "worsened"
        flag = {"income": "grew", "poverty": "poverty_fell", "inequality": "inequality_fell"}[dimension]
        assert not _verdict(column, start, inside, flag) and _verdict(column, start, outside, flag)


def test_the_type_counts_only_changes_beyond_the_tolerance():
    # income +4 %, poverty -0.5 point, Gini -0.005: every change is inside the defaults
    df = frame([(2010, "A", "A", "municipality", 100, 1000, 0.300, 0.480, 0.5),
                (2020, "A", "A", "municipality", 100, 1040, 0.295, 0.475, 0.5)])
    row = typology(df).iloc[0]
    assert row["type"] == "none"
    assert (row["income"], row["poverty"], row["inequality"], row["forest"]) == ("no change",) * 4
    assert not row["grew"] and not row["poverty_fell"] and not row["inequality_fell"] and row["forest_kept"]
    # with tolerances of zero the same municipality is sustainable win-win-win (the first version's rule)
    zero = Tolerances(income_growth=0.0, poverty=0.0, gini=0.0, forest=0.0)
    assert typology(df, tolerances=zero).iloc[0]["type"] == "sustainable win-win-win"
    # a wider poverty tolerance turns a 2-point fall into no change
    df2 = frame([(2010, "A", "A", "municipality", 100, 1000, 0.30, 0.48, 0.5),
                 (2020, "A", "A", "municipality", 100, 1100, 0.28, 0.46, 0.5)])
    assert typology(df2).iloc[0]["type"] == "sustainable win-win-win"
    wide = typology(df2, tolerances=Tolerances(poverty=0.03)).iloc[0]
    assert wide["poverty"] == "no change" and wide["type"] == "two of three"


def test_flag_shares_and_types_use_the_tolerances():
    stats = {"income_growth_total": np.array([0.04, 0.06, np.nan]), "poverty_change": np.array([-0.02, -0.02, 0.0]),
             "gini_change": np.array([-0.02, -0.02, 0.0]), "forest_change": np.array([0.0, -0.02, 0.0])}
    assert types_of(stats).tolist() == ["two of three", "win-win-win", UNCLASSIFIED]
    assert flag_share(stats, "grew") == pytest.approx(1 / 2)  # 4 % is within 5 %; the NaN unit is left out
    assert flag_share(stats, "grew", Tolerances(income_growth=0.03)) == pytest.approx(1.0)
    assert changes_of(stats, "forest").tolist() == ["no change", "worsened", "no change"]


def _typology_table():
    # three rural municipalities, two cities, one market; end populations 100, 200, 300 | 1000, 3000
    rows = [("R1", "municipality", 100, "win-win-win", "improved"),
            ("R2", "municipality", 200, "win-win-win", "improved"),
            ("R3", "municipality", 300, "none", "no change"),
            ("C1", "city", 1000, "none", "worsened"),
            ("C2", "city", 3000, "two of three", "no change"),
            ("X", "market", np.nan, UNCLASSIFIED, UNCLASSIFIED)]
    table = pd.DataFrame(rows, columns=["node_id", "kind", "population_end", "type", "income"])
    for dim in ("poverty", "inequality", "forest"):
        table[dim] = table["income"]
    return table


def test_cities_are_not_counted_in_the_rural_shares():
    shares = type_shares(_typology_table()).set_index(["group", "measure", "category"])
    rural, cities, both = (shares.xs(g, level="group") for g in ("rural", "cities", "all"))
    assert rural.loc[("type", "win-win-win"), "share_of_units"] == pytest.approx(2 / 3)
    assert rural.loc[("type", "win-win-win"), "share_of_population"] == pytest.approx(300 / 600)
    assert rural.loc[("type", "two of three"), "units"] == 0  # C2 is a city
    assert rural["units"].xs("type", level="measure").sum() == 3
    assert cities.loc[("type", "win-win-win"), "share_of_units"] == 0
    assert cities.loc[("type", "two of three"), "share_of_population"] == pytest.approx(3000 / 4000)
    assert both.loc[("type", "win-win-win"), "share_of_units"] == pytest.approx(2 / 5)  # the market is not counted
    assert both.loc[("type", "win-win-win"), "share_of_population"] == pytest.approx(300 / 4600)
    # "no change" is a category of its own in the shares
    assert rural.loc[("income", "no change"), "share_of_units"] == pytest.approx(1 / 3)
    assert both.loc[("income", "no change"), "units"] == 2
    for group in ("rural", "cities", "all"):
        for measure in ("type", "income", "forest"):
            part = shares.xs((group, measure), level=("group", "measure"))
            assert part["share_of_units"].sum() == pytest.approx(1.0)
            assert part["share_of_population"].sum() == pytest.approx(1.0)


def test_a_group_without_units_has_no_shares():
    table = _typology_table()
    table = table[table["kind"] != "city"]
    shares = type_shares(table)
    cities = shares[shares["group"] == "cities"]
    assert (cities["units"] == 0).all() and cities["share_of_units"].isna().all()


def test_tolerances_are_declared_once_with_units_ranges_and_a_basis():
    assert set(TOLERANCES) == {"income_growth", "poverty", "gini", "forest"}
    for t in TOLERANCES.values():
        assert t.spec.unit and t.spec.meaning and t.basis and t.spec.low <= t.spec.default <= t.spec.high
    assert Tolerances().poverty == TOLERANCES["poverty"].spec.default == 0.01


@pytest.mark.parametrize("raw,field", [({"povrty": 0.01}, "typology.povrty"), ({"poverty": -0.1}, "typology.poverty"),
                                       ({"gini": "0.01"}, "typology.gini"), ({"forest": 2.0}, "typology.forest"),
                                       (0.01, "typology")])
def test_bad_tolerances_are_input_errors_naming_the_field(raw, field):
    with pytest.raises(InputError) as err:
        Tolerances.from_table(raw, "s.toml")
    assert err.value.field == field and err.value.source == "s.toml"


def _scenario(tmp_path, name, text):
    from pathlib import Path

    baseline = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
    path = tmp_path / name
    path.write_text(f'extends = "{baseline}"\n{text}', encoding="utf-8")
    return path


def test_a_scenario_sets_tolerances_in_a_typology_table_and_extensions_inherit_them(tmp_path):
    from territory_abm import load_scenario

    base = _scenario(tmp_path, "base.toml", "[typology]\npoverty = 0.02\n")
    child = tmp_path / "child.toml"
    child.write_text('extends = "base.toml"\n[typology]\ngini = 0.005\n', encoding="utf-8")
    assert load_scenario(base).typology == Tolerances(poverty=0.02)
    assert load_scenario(child).typology == Tolerances(poverty=0.02, gini=0.005)
    assert load_scenario(child).as_dict()["typology"]["gini"] == 0.005


def test_a_bad_typology_table_in_a_scenario_names_the_file_and_field(tmp_path):
    from territory_abm import load_scenario

    path = _scenario(tmp_path, "bad.toml", "[typology]\npoverty = 1.5\n")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert err.value.field == "typology.poverty" and err.value.source.endswith("bad.toml")
