"""``fill.fill_missing``'s notes: every filled cell noted once, by the branch of its rule that
made its value (a second read of session 54's change found notes naming the regional default
where a city's or the mapping file's had been taken)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from territory_abm.data import fill as F
from territory_abm.data.territory import NODE_COLUMNS

NUMERIC = [c.name for c in NODE_COLUMNS if c.kind != "str"]
LINE = 1000.0
WHOSE = {"regional": F.DEFAULTS, "cities'": F.CITY_DEFAULTS}
SECTORS = [f"share_{s}" for s in F.SECTORS]

# a unit's optional columns and the values they may take when given
OPTIONAL = {
    "households": st.floats(100, 3000),
    "poverty_rate": st.sampled_from([0.0, 0.05, 0.2, 0.45, 0.8, 1.0]),
    "income_gini": st.sampled_from([0.25, 0.45, 0.6]),
    "area_ha": st.sampled_from([500.0, 5_000.0, 80_000.0]),
    "mean_farm_ha": st.sampled_from([0.0, 2.0, 9.0]),
    "forest_cover": st.sampled_from([0.0, 0.3, 0.4, 0.399999, 0.400001, 0.7, 1.0]),
    "wage_share": st.sampled_from([0.1, 0.3, 0.65]),
    "share_manufacturing": st.sampled_from([0.05, 0.3]),
    "share_commerce_services": st.sampled_from([0.2, 0.5]),
}
MAPPING_DEFAULTS = [None, {}, {"share_manufacturing": 0.3, "income_gini": 0.55},
                    {"wage_share": 0.4, "forest_cover": 0.2, "mean_farm_ha": 3.0}]


@st.composite
def units(draw):
    n = draw(st.integers(1, 6))
    rows = []
    for _ in range(n):
        row = {"population": draw(st.floats(200, 80_000)), "mean_income": draw(st.floats(600, 6000)),
               "city": draw(st.booleans())}
        for column, values in OPTIONAL.items():
            if draw(st.booleans()):
                row[column] = draw(values)
        rows.append(row)
    return rows, draw(st.sampled_from(MAPPING_DEFAULTS))


def table_of(rows):
    t = {c: np.full(len(rows), np.nan) for c in NUMERIC}
    for i, row in enumerate(rows):
        for column, value in row.items():
            if column != "city":
                t[column][i] = value
    return t, np.array([r["city"] for r in rows])


def default(whose: str, column: str, given: dict) -> float:
    return given[column] if whose == "mapping file's" else WHOSE[whose].get(column, F.DEFAULTS[column])


def expected(rule: str, column: str, i: int, t: dict, before: dict, given: dict):
    """The value ``rule`` gives unit ``i``'s ``column`` (None: a rule whose value is checked otherwise)."""
    if rule in ("the regional default", "the regional mix"):
        return F.DEFAULTS[column]
    if rule == F.CITY_RULE:
        return F.CITY_DEFAULTS[column]
    if rule == "the mapping file's [defaults] value":
        return given[column]
    if rule.startswith("the regional default (no lognormal"):
        return F.DEFAULTS[column]
    if rule.startswith("backed out"):
        if "held in" in rule:
            assert t[column][i] in F.GINI_BOUNDS
            return None
        # a Gini whose lognormal at the unit's mean gives its poverty rate
        assert F.poverty_from_gini(t["mean_income"][i], t[column][i], LINE) == pytest.approx(
            before["poverty_rate"][i], abs=1e-5)
        return None
    if rule.endswith("mean income and Gini"):
        return F.poverty_from_gini(t["mean_income"][i], before["income_gini"][i], LINE)
    if m := re.fullmatch(r".*mean income and the (.+) default Gini", rule):
        return F.poverty_from_gini(t["mean_income"][i], default(m[1], "income_gini", given), LINE)
    if m := re.fullmatch(r"the (.+) default capped at 0\.6 of the area per household", rule):
        room = 0.6 * t["area_ha"][i] / t["households"][i]
        assert room < default(m[1], column, given)
        return room
    if rule.endswith("taken as 0.6 of the area"):
        return t["households"][i] * t["mean_farm_ha"][i] / 0.6
    if rule.endswith("the share of the area the observed forest cover leaves"):
        return t["households"][i] * t["mean_farm_ha"][i] / (1.0 - t["forest_cover"][i])
    if m := re.fullmatch(r"the area farmland leaves \(less than the (.+) default\)", rule):
        left = float(np.clip(1.0 - t["households"][i] * t["mean_farm_ha"][i] / t["area_ha"][i], 0.0, 1.0))
        assert left < default(m[1], column, given)
        return left
    if m := re.fullmatch(r"the (.+) default non-farm share times the unit's wage share over the (.+) default wage "
                         r"share .*", rule):
        ratio = default(m[1], "nonfarm_income_share", given) / default(m[2], "wage_share", given)
        wage = t["wage_share"][i]
        return float(np.clip(ratio * wage, wage, F.MAX_FILLED_NONFARM_SHARE))
    if " mix, scaled " in rule:
        shares = [t[c][i] for c in SECTORS]
        given_shares = sum(before[c][i] for c in SECTORS if not np.isnan(before[c][i]))
        if given_shares <= 1.0:
            assert sum(shares) == pytest.approx(1.0)
        return None
    assert rule == F.RULE[column].rule, f"a rule the test does not know: {rule!r}"
    return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units())
def test_each_filled_cell_is_noted_once_by_the_rule_that_made_it(case):
    rows, given_defaults = case
    t, cities = table_of(rows)
    before = {c: v.copy() for c, v in t.items()}
    populated = np.ones(len(rows), bool)
    notes = F.fill_missing(t, populated, LINE, given_defaults, cities=cities)
    given = given_defaults or {}
    for column in NUMERIC:
        noted = sum((f.nodes.astype(int) for f in notes if f.column == column), np.zeros(len(rows), int))
        assert list(noted) == list(np.isnan(before[column]).astype(int)), column
    for f in notes:
        assert f.how in ("fitted", "assumed")
        for i in np.flatnonzero(f.nodes):
            value = expected(f.rule, f.column, i, t, before, given)
            if value is not None:
                assert t[f.column][i] == pytest.approx(value, rel=1e-9, abs=1e-12), (f.column, f.rule, rows[i])


def test_a_citys_rules_name_the_cities_defaults():
    """A city with its own wage share and one sector share, and a unit whose defaults come from a
    mapping file: each note names whose default it took."""
    t, cities = table_of([{"population": 40_000, "mean_income": 3000, "city": True, "wage_share": 0.3,
                           "share_manufacturing": 0.3},
                          {"population": 5000, "mean_income": 1500, "city": False}])
    notes = {(f.column, i): f.rule for f in F.fill_missing(t, np.ones(2, bool), LINE, {"income_gini": 0.55},
                                                           cities=cities) for i in np.flatnonzero(f.nodes)}
    assert notes["nonfarm_income_share", 0].startswith(
        "the cities' default non-farm share times the unit's wage share over the cities' default wage share")
    assert notes["share_commerce_services", 0] == "the cities' mix, scaled into what the unit's given shares leave"
    assert notes["poverty_rate", 1].endswith("mean income and the mapping file's default Gini")
    assert notes["income_gini", 1] == "the mapping file's [defaults] value"
