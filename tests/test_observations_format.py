"""Observations as published: nominal local currency with a deflator, an income index, a crosswalk."""

import numpy as np
import pytest

from territory_abm.calibration import load_observations
from territory_abm.calibration.harmonise import ObservationFormat, read_format
from territory_abm.data.territory import load_territory
from territory_abm.errors import InputError

from conftest import EXAMPLE


@pytest.fixture(scope="module")
def example():
    return load_territory(EXAMPLE)


def _obs(tmp_path, text):
    path = tmp_path / "observations.csv"
    path.write_text(text)
    return path


def test_nominal_local_incomes_are_deflated_and_converted(tmp_path, example):
    path = _obs(tmp_path, "municipality,year,mean_income_pc\nM01,2010,7000000\nM01,2020,13200000\n")
    fmt = ObservationFormat(per_usd=3500.0, deflator={2010: 1.0, 2020: 1.2})
    obs = load_observations(path, example, 2010, fmt=fmt)
    assert obs.start.loc["M01", "mean_income_pc"] == pytest.approx(2000.0)
    assert obs.end.loc["M01", "mean_income_pc"] == pytest.approx(13_200_000 / 1.2 / 3500)


def test_a_year_without_a_deflator_is_named(tmp_path, example):
    path = _obs(tmp_path, "municipality,year,mean_income_pc\nM01,2020,1000\n")
    with pytest.raises(InputError, match="row 2, column mean_income_pc: a year with a deflator"):
        load_observations(path, example, 2010, fmt=ObservationFormat(deflator={2010: 1.0}))


def test_an_income_index_is_read_against_the_start_income(tmp_path, example):
    path = _obs(tmp_path, "municipality,year,mean_income_index\nM01,2020,125\nM02,2010,100\nM02,2020,90\n")
    obs = load_observations(path, example, 2010)
    start_m01 = example.table["mean_income"][example.index("M01")]
    assert obs.end.loc["M01", "mean_income_pc"] == pytest.approx(1.25 * start_m01)
    start_m02 = example.table["mean_income"][example.index("M02")]
    assert obs.end.loc["M02", "mean_income_pc"] == pytest.approx(0.9 * start_m02)


def test_census_units_are_aggregated_through_the_crosswalk(tmp_path, example):
    (tmp_path / "crosswalk.csv").write_text("unit,municipality,weight\nA,M01,1\nB,M01,1\nC,San Isidro,0.5\n"
                                            "C,M02,0.5\n")
    path = _obs(tmp_path, "municipality,year,population,poverty_headcount,net_migration\n"
                          "A,2020,1000,0.2,10\nB,2020,3000,0.4,-30\nC,2020,2000,0.5,20\n")
    obs = load_observations(path, example, 2010, fmt=ObservationFormat(crosswalk=tmp_path / "crosswalk.csv"))
    # M01 = A + B + half of C; poverty weighted by the people each unit puts there
    assert obs.end.loc["M01", "population"] == pytest.approx(1000 + 3000 + 1000)
    assert obs.end.loc["M01", "net_migration"] == pytest.approx(10 - 30 + 10)
    assert obs.end.loc["M01", "poverty_headcount"] == pytest.approx((200 + 1200 + 500) / 5000)
    assert obs.end.loc["M02", "population"] == pytest.approx(1000)
    assert np.isnan(obs.end.loc["M02", "forest_cover"])


def test_a_unit_missing_from_the_crosswalk_is_named(tmp_path, example):
    (tmp_path / "crosswalk.csv").write_text("unit,municipality\nA,M01\n")
    path = _obs(tmp_path, "municipality,year,population\nA,2020,1000\nZ,2020,5\n")
    with pytest.raises(InputError, match="1 are not in it: 'Z'"):
        load_observations(path, example, 2010, fmt=ObservationFormat(crosswalk=tmp_path / "crosswalk.csv"))


@pytest.mark.parametrize("raw, field", [
    ({"per_usd": -1}, "observations_format.per_usd"),
    ({"deflator": {"y2010": 1.0}}, "observations_format.deflator.y2010"),
    ({"crosswalk": "missing.csv"}, "observations_format.crosswalk"),
    ({"currency": "peso"}, "observations_format.currency"),
])
def test_a_bad_observations_format_names_the_key(tmp_path, raw, field):
    with pytest.raises(InputError) as err:
        read_format("cal.toml", raw, tmp_path)
    assert err.value.field == field
