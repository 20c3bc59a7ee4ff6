"""Every census date is used: observations at three dates give statistics over both periods
between them (known answers), each weighed by its own dates' standard errors; the simulated
side is computed over the same periods; unusable dates are named, all at once, with exit
status 2."""

import functools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from territory_abm.calibration import load_calibration, load_observations
from territory_abm.calibration.objective import Objective
from territory_abm.calibration.statistics import MUNICIPAL, Layout, simulated_municipal_values
from territory_abm.cli import main
from territory_abm.data.territory import load_territory
from territory_abm.errors import InputError

from conftest import EXAMPLE
from test_calibration import write_calibration

K = {name: k for k, name in enumerate(MUNICIPAL)}
THREE_DATES = ("municipality,year,population,poverty_headcount,se_poverty_headcount,net_migration\n"
               "M01,2010,1000,0.40,0.03,\n"
               "M01,2015,1100,0.35,0.04,50\n"
               "M01,2020,1210,0.32,0.00,-100\n")


@functools.cache
def _example():
    return load_territory(EXAMPLE)


def _observations(tmp_path, text: str = THREE_DATES):
    path = tmp_path / "observations.csv"
    path.write_text(text)
    return load_observations(path, _example(), 2010, 2030)


def test_three_census_dates_give_statistics_over_both_periods(tmp_path):
    obs = _observations(tmp_path)
    assert obs.dates == (2010, 2015, 2020) and obs.periods == [(2010, 2015), (2015, 2020)]
    values = obs.municipal_values()
    assert values.shape == (1, 2 * len(MUNICIPAL))
    first, second = values[0, :len(MUNICIPAL)], values[0, len(MUNICIPAL):]
    assert first[K["poverty_change"]] == pytest.approx(-0.05)
    assert second[K["poverty_change"]] == pytest.approx(-0.03)
    assert first[K["population_growth"]] == pytest.approx(math.log(1.1) / 5)
    assert first[K["net_migration_rate"]] == pytest.approx(50 / 1000 / 5)  # since the census before
    assert second[K["net_migration_rate"]] == pytest.approx(-100 / 1100 / 5)
    # each period's change carries the errors of its own two dates
    se = obs.municipal_se()
    assert se[0, K["poverty_change"]] == pytest.approx(0.05)  # sqrt(0.03^2 + 0.04^2)
    assert se[0, len(MUNICIPAL) + K["poverty_change"]] == pytest.approx(0.04)  # sqrt(0.04^2 + 0)


def test_the_distance_uses_every_census_date(tmp_path):
    obs = _observations(tmp_path)
    layout = Layout(("poverty_change", "mean:poverty_change"), ("M01",), ("2010-2015", "2015-2020"))
    assert [(e.statistic, e.period) for e in layout.entries] == [
        ("poverty_change", "2010-2015"), ("poverty_change", "2015-2020"),
        ("mean:poverty_change", "2010-2015"), ("mean:poverty_change", "2015-2020")]
    objective = Objective(layout, {"poverty_change": 1.0, "mean:poverty_change": 0.0}, obs.municipal_values(),
                          np.ones(4), obs.municipal_se())
    simulated = obs.municipal_values()[None, None].copy()  # points, seeds, municipalities, statistics
    assert objective.distance(simulated)[0] == pytest.approx(0.0)
    simulated[..., len(MUNICIPAL) + K["poverty_change"]] += 0.02  # the second period only
    # its weight 1/2 of the statistic's, scale sqrt(1 + 0.04^2)
    assert objective.distance(simulated)[0] == pytest.approx(0.5 * 0.02 ** 2 / (1 + 0.04 ** 2))
    # the middle census moves the statistics of both periods
    moved = _observations(tmp_path, THREE_DATES.replace("0.35", "0.37"))
    assert np.nan_to_num(moved.municipal_values() - obs.municipal_values())[0, [K["poverty_change"],
                                                                             len(MUNICIPAL) + K["poverty_change"]]] \
        == pytest.approx([0.02, -0.02])


def test_simulated_statistics_are_computed_over_the_same_periods():
    years = np.arange(2010, 2021)
    nodes = pd.DataFrame({"year": years, "node_id": "M01", "population": 1000.0 + 10 * (years - 2010),
                          "mean_income_pc": 1000.0, "poverty_headcount": 0.4 - 0.01 * (years - 2010),
                          "gini_income": 0.4, "forest_cover": 0.5, "net_migration": 2.0})
    values = simulated_municipal_values(nodes, ["M01"], (2010, 2015, 2020))
    assert values[0, K["poverty_change"]] == pytest.approx(-0.05)
    assert values[0, len(MUNICIPAL) + K["poverty_change"]] == pytest.approx(-0.05)
    assert values[0, len(MUNICIPAL) + K["net_migration_rate"]] == pytest.approx(5 * 2.0 / 1050 / 5)


def test_unusable_census_dates_are_all_named_with_their_values(tmp_path):
    text = THREE_DATES + "M01,2005,900,0.5,,\nM01,2041,1300,0.3,,\nM01,2015,1100,0.35,,\nM01,20x5,1,0.3,,\n"
    with pytest.raises(InputError) as err:
        _observations(tmp_path, text)
    message = str(err.value)
    assert "row 5, column year" in message and "'2005' (before the start)" in message
    assert "row 6, column year" in message and "'2041' (after the horizon" in message and "2010 to 2030" in message
    assert "row 7: one row per municipality and year (M01, 2015 repeats row 3)" in message
    assert "row 8, column year" in message and "'20x5'" in message


def test_a_calibration_with_a_census_beyond_the_horizon_exits_2_naming_file_field_and_value(tmp_path, capsys):
    (tmp_path / "observations.csv").write_text(THREE_DATES.replace("M01,2020", "M01,2031"))
    path = write_calibration(tmp_path, statistics="poverty_change = 1.0\n")
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out")]) == 2
    stderr = capsys.readouterr().err
    assert "observations.csv" in stderr and "row 4, column year" in stderr and "'2031'" in stderr
    assert "after the horizon" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out").exists()


def test_a_calibration_runs_to_the_last_census_and_lays_out_every_period(tmp_path):
    (tmp_path / "observations.csv").write_text(THREE_DATES)
    design = load_calibration(write_calibration(tmp_path, statistics="poverty_change = 1.0\n"))
    assert design.scenario.steps == 10 and design.layout.periods == ("2010-2015", "2015-2020")
    assert len(design.layout.entries) == 2 and "2010, 2015, 2020" in design.fitted_to


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(years=st.lists(st.integers(2000, 2040), min_size=1, max_size=6))
def test_any_census_years_are_used_or_each_unusable_one_named(tmp_path, years):
    text = "municipality,year,population\n" + "".join(f"M01,{y},{1000 + k}\n" for k, y in enumerate(years))
    first_row = {}
    for row, year in enumerate(years, start=2):
        first_row.setdefault(year, row)
    unusable = [row for row, year in enumerate(years, start=2)
                if not 2010 <= year <= 2030 or first_row[year] != row]
    if unusable:
        with pytest.raises(InputError) as err:
            _observations(tmp_path, text)
        fields = [field for field, _ in getattr(err.value, "problems", [(err.value.field, err.value.expected)])]
        assert [int(f.split()[1].rstrip(",")) for f in fields] == unusable
    elif max(years) == 2010:
        with pytest.raises(InputError, match="after the start year"):
            _observations(tmp_path, text)
    else:
        obs = _observations(tmp_path, text)
        assert obs.dates == tuple(sorted({2010, *years}))
        assert len(obs.municipal_values()[0]) == (len(obs.dates) - 1) * len(MUNICIPAL)
