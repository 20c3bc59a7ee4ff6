"""The one field checker: any bool, NaN, infinity, string or out-of-range value is rejected
naming the source and the field; any in-range value is accepted as its kind. Every
registry (parameters, lever fields, scenario keys, data and observable columns) is made
of the same field spec."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from territory_abm.calibration.observations import OBSERVABLES
from territory_abm.data.territory import EDGE_COLUMNS, NODE_COLUMNS
from territory_abm.errors import InputError
from territory_abm.fields import FieldSpec
from territory_abm.params import REGISTRY, validate_value
from territory_abm.scenarios.levers import REGISTRY as LEVERS
from territory_abm.scenarios.loader import SCENARIO_FIELDS, TARGET_RULES

finite = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)


@st.composite
def numeric_specs(draw, kinds=("float", "int")):
    low = draw(finite)
    high = low + draw(st.floats(0.0, 1e6, allow_nan=False))
    return FieldSpec(draw(st.text("abcdefghij_", min_size=1, max_size=12)), draw(st.sampled_from(["1", "USD/yr", "ha"])),
                     None, low, high, "a field under test", draw(st.sampled_from(kinds)), exclusive=draw(st.booleans()))


def rejected(spec: FieldSpec, value, field: str | None = None) -> InputError:
    with pytest.raises(InputError) as err:
        spec.check(value, "file.toml", field)
    assert err.value.source == "file.toml" and err.value.field == (field or spec.name)
    return err.value


@given(spec=numeric_specs(), value=st.booleans())
def test_bools_are_not_numbers(spec, value):
    rejected(spec, value)


@given(spec=numeric_specs(), value=st.sampled_from([math.nan, math.inf, -math.inf]))
def test_nan_and_infinity_are_rejected(spec, value):
    rejected(spec, value, "policies[0].amount")


@given(spec=numeric_specs(), value=st.one_of(st.text(max_size=6), st.none(), st.lists(finite, max_size=2)))
def test_strings_and_other_types_are_rejected(spec, value):
    error = rejected(spec, value)
    assert repr(value) in error.expected  # the message shows what was given


@given(spec=numeric_specs(), value=finite)
def test_values_outside_the_range_are_rejected(spec, value):
    outside = value < spec.low or value > spec.high or (spec.exclusive and value in (spec.low, spec.high))
    assume(outside)
    rejected(spec, value)


@given(spec=numeric_specs(kinds=("float",)), t=st.floats(0.0, 1.0))
def test_any_in_range_float_is_accepted(spec, t):
    value = min(spec.low + t * (spec.high - spec.low), spec.high)
    assume(not spec.exclusive or spec.low < value < spec.high)
    checked = spec.check(value, "file.toml")
    assert type(checked) is float and checked == value


@given(low=st.integers(-10**6, 10**6), width=st.integers(0, 10**6), data=st.data())
def test_whole_numbers_in_range_are_accepted_and_fractions_rejected(low, width, data):
    spec = FieldSpec("n", "yr", None, low, low + width, kind="int")
    value = data.draw(st.integers(low, low + width))
    assert spec.check(value, "f") == value and spec.check(float(value), "f") == value
    assert type(spec.check(float(value), "f")) is int
    fraction = data.draw(st.floats(0.01, 0.99))
    if width:
        rejected(spec, low + fraction)


@given(spec=numeric_specs(), text=st.text(max_size=8))
def test_cells_that_are_not_numbers_are_rejected(spec, text):
    try:
        float(text)
        assume(False)
    except ValueError:
        pass
    with pytest.raises(InputError) as err:
        spec.parse(text, "municipalities.csv", "row 2, column x")
    assert err.value.field == "row 2, column x" and err.value.source == "municipalities.csv"


def test_empty_cells_are_missing_values_only_where_allowed():
    spec = FieldSpec("forest_cover", "1", None, 0.0, 1.0)
    assert math.isnan(spec.parse("", "obs.csv", empty=math.nan))
    assert spec.parse("0.25", "obs.csv") == 0.25
    with pytest.raises(InputError):
        spec.parse("", "obs.csv")


def test_bools_strings_and_choices():
    assert FieldSpec("on", "-", kind="bool").check(True, "f") is True
    rejected(FieldSpec("on", "-", kind="bool"), 1)
    kind = FieldSpec("kind", "-", kind="str", choices=("municipality", "city"))
    assert kind.check("city", "f") == "city"
    assert "one of municipality, city" in rejected(kind, "village").expected


def test_specs_refuse_bad_declarations():
    with pytest.raises(ValueError):
        FieldSpec("x", low=2.0, high=1.0)
    with pytest.raises(ValueError):
        FieldSpec("x", kind="complex")


def test_huge_integers_are_compared_exactly():
    seed = SCENARIO_FIELDS["seed"]
    assert seed.check(2**63 - 1, "f") == 2**63 - 1
    rejected(seed, 2**63)
    rejected(FieldSpec("x"), 10**400)


# ------------------------------------------------------------------ every registry uses it
def test_every_registry_is_made_of_field_specs():
    specs = [*REGISTRY.values(), *SCENARIO_FIELDS.values(), *TARGET_RULES.values(), *NODE_COLUMNS, *EDGE_COLUMNS,
             *OBSERVABLES.values(), *(f for cls in LEVERS.values() for f in cls.fields)]
    assert all(isinstance(s, FieldSpec) for s in specs)
    for s in specs:
        if s.default is not None and s.kind in ("float", "int"):
            assert s.check(s.default, "registry") == s.default, s.name


@given(name=st.sampled_from(sorted(REGISTRY)), t=st.floats(0.0, 1.0), bad=st.one_of(st.booleans(), st.text(max_size=3)))
def test_parameters_use_the_checker(name, t, bad):
    spec = REGISTRY[name]
    value = spec.low + t * (spec.high - spec.low)
    value = round(value) if spec.integer else min(value, spec.high)
    assert validate_value(name, value, "s.toml") == value
    with pytest.raises(InputError) as err:
        validate_value(name, bad, "s.toml")
    assert err.value.field == f"parameters.{name}"
    with pytest.raises(InputError):
        validate_value(name, spec.high + 1.0, "s.toml")


@given(st.floats(min_value=1.0, max_value=100.0, exclude_min=True), st.floats(min_value=100.0, exclude_min=True,
                                                                             allow_nan=False, allow_infinity=False))
def test_a_share_given_as_a_percent_is_asked_whether_it_is_one(percent, beyond):
    """A share field (a float in [0, 1]) refusing a number in (1, 100] asks whether it is a
    percent and gives the share it would be; above 100, or for a field of another range, it
    does not ask."""
    share = FieldSpec("forest_cover", "1", low=0.0, high=1.0)
    with pytest.raises(InputError) as err:
        share.check(percent, "t.csv")
    assert str(err.value).endswith(f"(is it a percent? write it as a share, {percent / 100:.4g})")
    for field, value in ((share, beyond), (share, 10 ** 400),  # beyond the float range: refused, no hint
                         (FieldSpec("gini", "1", low=0.0, high=0.95), percent),
                         (FieldSpec("count", "1", low=0.0, high=1.0, kind="int"), percent),
                         (FieldSpec("clearing", "ha/yr", low=0.0, high=1.0), percent)):  # not a share
        with pytest.raises(InputError) as err:
            field.check(value, "t.csv")
        assert "percent" not in str(err.value)
