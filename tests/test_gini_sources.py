"""The Gini of per-person income taken apart by source (``stats.concentration_by_source``):
known answers, and the model's own Gini as the sum of its sources' contributions."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from territory_abm.model.stats import INCOME_SOURCES, concentration_by_source, gini_of_sample


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 60), st.integers(0, 2**31 - 1), st.booleans())
@example(2, 151, True)  # b rounds to nil: its C is NaN, its contribution 0 (found by hypothesis)
def test_the_sources_contributions_add_up_to_the_gini(n, seed, ties):
    rng = np.random.default_rng(seed)
    weights = rng.integers(1, 8, n).astype(float)
    a = rng.lognormal(7, 1, n)
    b = np.round(rng.lognormal(5, 1, n), -2 if ties else 6)  # rounded: ties in the totals too
    if ties:
        a = np.round(a, -3)
    gini, parts = concentration_by_source({"a": a, "b": b}, weights)
    assert gini == pytest.approx(gini_of_sample(a + b, weights), abs=1e-12)
    # s_k C_k, where a source's mean is not 0 (rounded to hundreds, b may be nil: C NaN, contribution 0)
    assert sum(share * c for share, c, _ in parts.values() if np.isfinite(c)) == pytest.approx(gini, abs=1e-12)
    assert sum(contribution for _, _, contribution in parts.values()) == pytest.approx(gini, abs=1e-12)
    assert sum(share for share, _, _ in parts.values()) == pytest.approx(1.0)


def test_known_concentrations():
    """A source shared equally has C = 0; sources proportional to income have C = G; one that
    goes only to the poorest has a negative C; a source that is all of income is the Gini; a
    source of mean 0 still contributes (its C is NaN); no weight or no income gives NaN."""
    rng = np.random.default_rng(3)
    n = 2000
    weights = rng.integers(1, 6, n).astype(float)
    income = rng.lognormal(7.5, 0.8, n)
    gini, parts = concentration_by_source({"a": 0.3 * income, "b": 0.7 * income}, weights)
    assert parts["a"][1] == pytest.approx(gini, abs=1e-12) and parts["b"][1] == pytest.approx(gini, abs=1e-12)
    assert gini == pytest.approx(gini_of_sample(income, weights), abs=1e-12)
    poorest = income < np.quantile(income, 0.2)
    _, parts = concentration_by_source({"equal": np.full(n, 50.0), "to_the_poorest": np.where(poorest, 200.0, 0.0),
                                        "rest": income}, weights)
    assert parts["equal"][1] == pytest.approx(0.0, abs=1e-12)
    assert parts["to_the_poorest"][1] < -0.5
    alone, only = concentration_by_source({"income": income}, weights)
    assert only["income"][:2] == (pytest.approx(1.0), pytest.approx(alone))
    ones = np.ones(3)
    gini, parts = concentration_by_source({"a": np.array([1.0, 2.0, 3.0]), "b": np.array([-1.0, 0.0, 1.0])}, ones)
    assert np.isnan(parts["b"][1]) and parts["b"][2] > 0
    assert parts["a"][2] + parts["b"][2] == pytest.approx(gini, abs=1e-12)
    assert np.isnan(concentration_by_source({"a": np.zeros(0)}, np.zeros(0))[0])
    assert np.isnan(concentration_by_source({"a": np.ones(3)}, np.zeros(3))[0])
    assert np.isnan(concentration_by_source({"a": np.zeros(3)}, ones)[1]["a"][2])


def test_the_models_gini_is_the_sum_of_its_sources(baseline):
    """A year of the baseline: the households' income columns add up to their income, and the
    sources' contributions to the recorded Gini of per-person income."""
    from territory_abm import TerritoryModel

    model = TerritoryModel(baseline.replace(households_scale=0.05, steps=2, seed=2))
    model.step()
    hh = model.households
    alive = hh.alive
    members = hh.members[alive].astype(float)
    sources = {name: getattr(hh, name)[alive] / members for name in INCOME_SOURCES}
    assert sum(sources.values()) == pytest.approx(hh.income[alive] / members, rel=1e-9, abs=1e-6)
    gini, parts = concentration_by_source(sources, members)
    recorded = model.datacollector.get_model_vars_dataframe()["gini_income"].iloc[-1]
    assert gini == pytest.approx(recorded, abs=1e-9)
    assert sum(contribution for _, _, contribution in parts.values()) == pytest.approx(gini, abs=1e-12)
