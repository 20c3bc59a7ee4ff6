"""Common checks over every registered policy lever (as scikit-learn's estimator checks run
over every estimator): a lever added to ``scenarios.levers.REGISTRY`` is checked here
without any change to this file.

For each lever, with its default fields, on a small baseline (3 % of households, 5 years,
2011-2015) plus one policy of that lever running 2012-2013:

- the books balance every year (each internal sector's change in stock equals its
  recorded net flows);
- its cost is recorded: zero before it starts, positive while it runs, zero after it ends
  (net of repayments, so not above zero, for levers that are repaid); equal every year to
  the government's net spending on the ledger items it declares; and reported in the
  run's outputs;
- switched off (starting after the run's last year), it leaves every output and every
  household identical to the baseline's, byte for byte;
- invalid targets (unknown node id, bad rule) and out-of-range or ill-typed fields are
  rejected with an InputError naming the file and the field.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS, step_with_balanced_books
from hypothesis import given, settings
from hypothesis import strategies as st

from territory_abm import InputError, TerritoryModel, load_scenario
from territory_abm.model.households import COLUMNS as HOUSEHOLD_COLUMNS
from territory_abm.output import tables
from territory_abm.scenarios.levers import COMMON_FIELDS, LEVERS, REGISTRY
from territory_abm.scenarios.loader import make_policy

SMALL = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=0.03, steps=5)
START, END = SMALL.start_year + 2, SMALL.start_year + 3  # the run steps through 2011-2015
SEED = 3
NAMES = sorted(REGISTRY)


def with_policy(name: str, start: int = START, end: int = END, **fields):
    policy = make_policy("test", {"lever": name, "label": name, "start": start, "end": end, **fields},
                         SMALL.start_year, SMALL.end_year)
    return SMALL.replace(policies=(policy,))


def government_spending(flows: dict, items: tuple[str, ...]) -> float:
    """Net money the government pays out on ``items`` (paid minus received)."""
    return sum(amount * ((payer == "government") - (payee == "government"))
               for (payer, payee, item), amount in flows.items() if item in items)


def outputs(model) -> dict[str, pd.DataFrame]:
    ledger = pd.DataFrame([{"year": k, "payer": a, "payee": b, "item": item, "amount": amount}
                           for k, year in enumerate(model.ledger.years) for (a, b, item), amount in sorted(year.items())])
    return {"territory": tables.territory_table(model), "municipalities": tables.node_table(model), "ledger": ledger}


@pytest.fixture(scope="module")
def baseline_run():
    model = TerritoryModel(SMALL, seed=SEED)
    model.run()
    return model


# ------------------------------------------------------------------ declarations
@pytest.mark.parametrize("name", NAMES)
def test_lever_declares_fields_with_units_ranges_and_meanings(name):
    cls = REGISTRY[name]
    assert cls.name == name and cls.meaning and cls.__doc__
    names = [f.name for f in cls.fields]
    assert names and len(set(names)) == len(names) and not set(names) & set(COMMON_FIELDS)
    for f in cls.fields:
        assert f.unit and f.meaning and f.kind in ("float", "int")
        assert f.low <= f.default <= f.high and math.isfinite(f.low) and math.isfinite(f.high)
    assert dict(LEVERS[name]) == cls.field_specs()


# ------------------------------------------------------------------ books and costs
@pytest.mark.parametrize("name", NAMES)
def test_books_balance_and_cost_is_recorded(name):
    cls = REGISTRY[name]
    model = TerritoryModel(with_policy(name), seed=SEED)
    for _ in range(model.scenario.steps):
        step_with_balanced_books(model)
        cost = model.policies.costs_by_node()[0]
        total = cost.sum()
        if cls.items:
            assert total == pytest.approx(government_spending(model.ledger.flows(), cls.items), rel=1e-9, abs=1e-6)
        if model.year < START:
            assert not cost.any()
        elif model.year <= END:
            assert total > 0 if (not cls.repaid or model.year == START) else np.isfinite(total)
        else:
            assert (total <= 0) if cls.repaid else not cost.any()
        # the run's outputs report it by node (populated nodes) and for the territory
        reported = model.territory_stats[f"cost_{name}"]
        assert reported == pytest.approx(cost[model.populated].sum(), rel=1e-12, abs=1e-9)
        assert model.territory_stats["policy_cost"] == pytest.approx(reported, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_cost_falls_on_populated_nodes(name):
    """Every USD a lever spends is charged to a municipality or city, so the outputs
    (which report populated nodes) show all of it."""
    model = TerritoryModel(with_policy(name), seed=SEED)
    while model.year < START:
        model.step()
    cost = model.policies.costs_by_node()[0]
    assert not cost[~model.populated].any()


def test_land_redistribution_pays_the_land_markets_value_times_the_markup(monkeypatch):
    """Each effective hectare bought costs land_price_years years of the node's rent (what the
    land market's buyers pay for it), times land_purchase_markup."""
    from territory_abm.model import estates

    taken = []
    take_share = estates.take_share

    def recording(model, donors, share):
        out = take_share(model, donors, share)
        taken.append((int(model.households.node[donors[0]]), float(out[1].sum())))
        return out

    monkeypatch.setattr(estates, "take_share", recording)
    costs = {}
    for markup in (1.0, 2.5):
        model = TerritoryModel(with_policy("land_redistribution", target="all"), seed=SEED,
                               land_purchase_markup=markup)
        while model.year < START - 1:
            model.step()
        rent = model.land_rent.copy()  # last year's clearing, what this year's purchases pay
        taken.clear()
        model.step()
        cost = model.policies.costs_by_node()[0]
        assert len(taken) > 1 and sum(e for _, e in taken) > 0
        for node, effective in taken:
            assert np.isfinite(rent[node])  # the market's own rent, not a fallback
            assert cost[node] == pytest.approx(markup * model.params.land_price_years * rent[node] * effective,
                                               rel=1e-12, abs=1e-9)
        costs[markup] = cost.sum()
    assert costs[2.5] == pytest.approx(2.5 * costs[1.0], rel=1e-12)


def test_land_redistribution_prices_a_node_without_a_rent_this_year_at_its_start_and_skips_one_without_any():
    """Where last year's land market cleared no rent in a node, its land is paid at the
    starting rent; where the node never had one (no farm earns a rent), its land is not
    bought (price 0)."""
    model = TerritoryModel(with_policy("land_redistribution", target="all"), seed=SEED)
    while model.year < START:
        model.step()
    lever = next(lv for lv in model.policies.levers if lv.name == "land_redistribution")
    years, markup = model.params.land_price_years, model.params.land_purchase_markup
    node = int(np.flatnonzero(np.isfinite(model.start_land_rent) & model.populated)[0])
    model.land_rent[node] = 17.0
    assert lever.price_per_effective_ha(node) == pytest.approx(markup * years * 17.0, rel=1e-12)
    model.land_rent[node] = np.nan
    assert lever.price_per_effective_ha(node) == pytest.approx(markup * years * model.start_land_rent[node], rel=1e-12)
    model.start_land_rent[node] = np.nan
    assert lever.price_per_effective_ha(node) == 0.0


# ------------------------------------------------------------------ switched off
def assert_same_outputs(model, reference, label: str) -> None:
    ours, theirs = outputs(model), outputs(reference)
    for key in ours:
        table = ours[key]
        extra = [c for c in table.columns if c == f"cost_{label}"]
        assert not table[extra].fillna(0).to_numpy().any()
        pd.testing.assert_frame_equal(table.drop(columns=extra), theirs[key], check_exact=True)
    for column in HOUSEHOLD_COLUMNS:
        a, b = getattr(model.households, column), getattr(reference.households, column)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), column


@pytest.mark.parametrize("name", NAMES)
def test_a_lever_switched_off_leaves_the_baseline_unchanged(name, baseline_run):
    after_the_run = SMALL.end_year + 1
    model = TerritoryModel(with_policy(name, start=after_the_run, end=after_the_run), seed=SEED)
    model.run()
    assert_same_outputs(model, baseline_run, name)


# ------------------------------------------------------------------ validation
def scenario_file(tmp_path: Path, name: str, lines: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\nsteps = 5\nhouseholds_scale = 0.03\n'
                    f'[[policies]]\nlever = "{name}"\n{lines}\n')
    return path


@pytest.mark.parametrize("name", NAMES)
def test_unknown_target_nodes_are_rejected_naming_file_and_field(tmp_path, name):
    path = scenario_file(tmp_path, name, 'target = ["M01", "ATLANTIS"]')
    scenario = load_scenario(path)  # node ids are checked against the territory at the start
    with pytest.raises(InputError) as err:
        TerritoryModel(scenario, seed=SEED)
    assert err.value.source == str(path) and err.value.field == "policies[0].target" and "ATLANTIS" in str(err.value)


BAD_TARGETS = ['{kind = "village"}', "{poverty_above = 1.5}", "{poverty_above = true}", '{colour = "red"}',
               '"some"', "[]", "5", '{kind = "city", poverty_above = 0.3}']


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("target", BAD_TARGETS)
def test_bad_target_rules_are_rejected_naming_file_and_field(tmp_path, name, target):
    path = scenario_file(tmp_path, name, f"target = {target}")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert err.value.source == str(path) and err.value.field == "policies[0].target"


def bad_values(spec) -> list[str]:
    """TOML values a field must reject: beyond each bound, wrong types, not finite."""
    span = max(1.0, spec.high - spec.low)
    values = [repr(spec.high + span), repr(spec.low - span), "true", '"1"', "nan", "inf", "[1]"]
    if spec.integer:
        values.append(repr(spec.low + 0.5))
    return values


@pytest.mark.parametrize("name", NAMES)
def test_out_of_range_fields_are_rejected_naming_file_and_field(tmp_path, name):
    for spec in REGISTRY[name].fields:
        for value in bad_values(spec):
            path = scenario_file(tmp_path, name, f"{spec.name} = {value}")
            with pytest.raises(InputError) as err:
                load_scenario(path)
            assert err.value.source == str(path) and err.value.field == f"policies[0].{spec.name}", value


@settings(max_examples=100, deadline=None)
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_any_in_range_field_value_is_accepted(data, name):
    spec = data.draw(st.sampled_from(REGISTRY[name].fields))
    if spec.integer:
        value = data.draw(st.integers(int(spec.low), int(spec.high)))
    else:
        value = data.draw(st.floats(spec.low, spec.high))
    policy = make_policy("test", {"lever": name, spec.name: value}, 2010, 2015)
    assert policy.values[spec.name] == value
    assert policy.values.keys() == REGISTRY[name].field_specs().keys()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([0.0, 1.0, 2.5, np.nan]), st.floats(-5, 5)), max_size=40), st.integers(-2, 45))
def test_lowest_first_takes_what_a_stable_sort_takes(scores, k):
    """The transfers' targeting picks the k lowest proxy-means scores by a partition: the same
    rows, ties in row order and NaN last, as the first k of a stable argsort."""
    from territory_abm.scenarios.levers import lowest_first

    score = np.array(scores, float)
    want = np.zeros(score.size, bool)
    want[np.argsort(score, kind="stable")[:max(k, 0)]] = True
    np.testing.assert_array_equal(lowest_first(score, k), want)
