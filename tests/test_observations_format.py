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
    with pytest.raises(InputError, match=r"row 2 \(M01, 2020\), column mean_income_pc: a year with a deflator"):
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


def test_standard_errors_propagate_to_the_statistics_in_quadrature(tmp_path, example):
    from territory_abm.calibration.statistics import MUNICIPAL

    path = _obs(tmp_path, "municipality,year,poverty_headcount,se_poverty_headcount\n"
                          "M01,2010,0.40,0.03\nM01,2020,0.35,0.04\nM02,2020,0.30,\n")
    obs = load_observations(path, example, 2010)
    se = obs.municipal_se()
    k = list(MUNICIPAL).index("poverty_change")
    assert se[0, k] == pytest.approx(0.05)  # sqrt(0.03^2 + 0.04^2)
    assert se[1, k] == 0.0  # no error stated


def test_an_entry_with_a_larger_standard_error_weighs_less_in_the_distance():
    from territory_abm.calibration.objective import Objective
    from territory_abm.calibration.statistics import MUNICIPAL, Layout

    layout = Layout(("poverty_change",), ("A", "B"))
    k = list(MUNICIPAL).index("poverty_change")
    observed = np.zeros((2, len(MUNICIPAL)))
    se = np.zeros_like(observed)
    se[1, k] = 0.1
    objective = Objective(layout, {"poverty_change": 1.0}, observed, np.array([0.1, 0.1]), se)
    simulated = np.zeros((1, 1, 2, len(MUNICIPAL)))  # points, seeds, municipalities, statistics
    simulated[..., 0, k] = 0.1
    only_a = objective.distance(simulated)
    simulated[..., 0, k], simulated[..., 1, k] = 0.0, 0.1
    only_b = objective.distance(simulated)
    # the same deviation counts (0.1^2) / (0.1^2 + 0.1^2) = half as much where the error is 0.1
    assert only_b == pytest.approx(only_a / 2)


def test_standard_errors_aggregate_in_quadrature_through_the_crosswalk(tmp_path, example):
    (tmp_path / "crosswalk.csv").write_text("unit,municipality\nA,M01\nB,M01\n")
    path = _obs(tmp_path, "municipality,year,population,se_population,poverty_headcount,se_poverty_headcount\n"
                          "A,2020,1000,30,0.2,0.04\nB,2020,3000,40,0.4,0.02\n")
    obs = load_observations(path, example, 2010, fmt=ObservationFormat(crosswalk=tmp_path / "crosswalk.csv"))
    assert obs.errors[2020].loc["M01", "population"] == pytest.approx(50.0)
    assert obs.errors[2020].loc["M01", "poverty_headcount"] == pytest.approx(np.hypot(0.25 * 0.04, 0.75 * 0.02))


def test_a_crosswalk_row_s_problem_names_its_unit_and_municipality(tmp_path, example):
    """A repeated pair and a bad weight are named by row, unit and municipality, as the tables
    name a unit's row (a trial found bare row numbers hard to find in a long crosswalk)."""
    (tmp_path / "crosswalk.csv").write_text("unit,municipality,weight\nA,M01,1\nB,M01,-2\nA,M01,1\n")
    path = _obs(tmp_path, "municipality,year,population\nA,2020,1000\n")
    with pytest.raises(InputError) as err:
        load_observations(path, example, 2010, fmt=ObservationFormat(crosswalk=tmp_path / "crosswalk.csv"))
    problems = dict(err.value.problems)
    assert "one row per unit and municipality; it repeats row 2" in problems["row 4 (A -> M01)"]
    assert "got -2" in problems["row 3 (B -> M01), column weight"]
