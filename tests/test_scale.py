"""Scale invariance (issue 12, item 3): a scenario states real amounts, the model runs a
share ``households_scale`` of the real households, and per-person results do not depend on
that share beyond seed noise.

- Known answers (quick): a lever's whole-territory budget (``scaled_fields``) is spent times
  ``households_scale`` -- the roads' works cost ``budget x scale`` a year and an enforcement
  grant reaches each targeted municipality as ``enforcement_budget x scale`` -- so cost per
  person is the same at every scale; every lever field in USD is either per household (or
  child) or declared in ``scaled_fields``.
- Invariance (slow): the baseline and three policy scenarios with budgets, 8 seeds at each
  of the scales 0.125, 0.25 and 0.5, 8 years. Per-person outcomes (poverty, Gini, mean income
  in the last year; policy cost per person-year; the policy's effect on poverty and income
  against the same-seed baseline; the income multiplier) agree between every pair of
  scales within a tolerance derived from the seed-to-seed spread: the difference of the
  means over seeds must stay within ``z`` standard errors of that difference, ``z`` the
  Student-t quantile that keeps the chance of a false alarm over all the comparisons
  below 1 % (Bonferroni).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import SCENARIOS
from scipy import stats

from territory_abm import TerritoryModel, load_scenario
from territory_abm.scenarios.levers import REGISTRY
from territory_abm.scenarios.loader import make_policy

PER_AGENT_UNITS = ("/household", "/child", "/person")
"""A lever field in USD whose unit names one of these is paid per simulated agent."""


# ------------------------------------------------------------------ declarations
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_budget_field_is_per_household_or_scaled(name):
    cls = REGISTRY[name]
    specs = cls.field_specs()
    assert set(cls.scaled_fields) <= set(specs), "scaled_fields names a field the lever does not have"
    for f in cls.fields:
        if "USD" in f.unit and not any(u in f.unit for u in PER_AGENT_UNITS):
            assert f.name in cls.scaled_fields, f"{name}.{f.name} ({f.unit}) is a whole-territory amount: scale it"
        if f.name in cls.scaled_fields:
            assert not any(u in f.unit for u in PER_AGENT_UNITS), f"{name}.{f.name} is per agent: do not scale it"


# ------------------------------------------------------------------ known answers
def _with_policy(scale: float, lever: str, **fields) -> object:
    base = load_scenario(SCENARIOS / "baseline.toml").replace(households_scale=scale, steps=2, seed=5)
    year = base.start_year + 1
    policy = make_policy("test", {"lever": lever, "label": lever, "start": year, "end": year, "target": "all",
                                  **fields}, base.start_year, base.end_year)
    return base.replace(policies=(policy,))


@pytest.mark.parametrize("scale", [0.02, 0.05])
def test_road_budget_is_spent_times_households_scale(scale):
    budget = 1_000_000.0
    model = TerritoryModel(_with_policy(scale, "roads", budget=budget))
    model.step()  # the policy's year
    assert model.policies.levers[0].policy.values["budget"] == budget  # the scenario keeps the real budget
    assert model.territory_stats["cost_roads"] == pytest.approx(budget * scale, rel=1e-12)
    flows = model.ledger.flows()
    spent = flows[("government", "rest_of_world", "road works")] + flows[("government", "households", "road works wages")]
    assert spent == pytest.approx(budget * scale, rel=1e-12)


def test_a_road_budget_buys_the_same_km_at_every_scale():
    km = []
    for scale in (0.02, 0.05):
        model = TerritoryModel(_with_policy(scale, "roads", budget=1_000_000.0))
        model.step()
        km.append(sum(d.get("km_upgraded", 0.0) for _, _, d in model.graph.edges(data=True)))
    assert km[0] > 0 and km[0] == pytest.approx(km[1], rel=1e-12)


@pytest.mark.parametrize("scale", [0.02, 0.05])
def test_enforcement_grant_is_granted_times_households_scale(scale):
    grant = 40_000.0
    model = TerritoryModel(_with_policy(scale, "environmental_governance", enforcement_budget=grant,
                                        pes_payment=0.0, pes_coverage=0.0))
    model.step()
    engine = model.policies
    targeted = np.flatnonzero(engine.levers[0].nodes)
    assert targeted.size == model.populated.sum()
    assert all(engine.enforcement_budget(int(i)) == pytest.approx(grant * scale, rel=1e-12) for i in targeted)
    granted = model.ledger.flows()[("government", "municipalities", "enforcement grants")]
    assert granted == pytest.approx(grant * scale * targeted.size, rel=1e-12)
    assert model.territory_stats["cost_environmental_governance"] == pytest.approx(granted, rel=1e-12)


def test_cost_per_person_of_a_budget_does_not_depend_on_the_scale():
    """At 0.02 and 0.05 the simulated populations differ 2.5-fold; a budget's cost per
    resident is the same up to the rounding of households per node."""
    per_person = []
    for scale in (0.02, 0.05):
        model = TerritoryModel(_with_policy(scale, "roads", budget=1_000_000.0))
        model.step()
        per_person.append(model.territory_stats["cost_roads"] / model.territory_stats["population"])
    assert per_person[0] == pytest.approx(per_person[1], rel=0.03)


# ------------------------------------------------------------------ invariance over seeds
SCALES = (0.125, 0.25, 0.5)
SEEDS = tuple(range(1, 9))
STEPS = 8  # 2010-2018: the roads are built (2012-2016), the other programmes run
POLICIES = ("roads", "environmental_governance", "policy_mix")
LEVELS = ("poverty", "gini", "income")
EFFECTS = ("cost_per_person", "poverty_effect", "income_effect", "multiplier")
FAMILY_FALSE_ALARM = 0.01


def run_summary(name: str, scale: float, seed: int) -> dict[str, float]:
    """Last-year per-person outcomes and sums over the years after the start."""
    scenario = load_scenario(SCENARIOS / f"{name}.toml").replace(households_scale=scale, steps=STEPS, seed=seed)
    model = TerritoryModel(scenario)
    cost = person_years = income = poor = 0.0
    for _ in range(STEPS):
        model.step()
        t = model.territory_stats
        cost += t["policy_cost"]
        person_years += t["population"]
        income += t["mean_income_pc"] * t["population"]
        poor += t["poverty_headcount"] * t["population"]
    t = model.territory_stats
    model.release()
    return {"poverty": t["poverty_headcount"], "gini": t["gini_income"], "income": t["mean_income_pc"],
            "cost": cost, "person_years": person_years, "income_sum": income, "poor_sum": poor}


def per_person_results(scales=SCALES, seeds=SEEDS, runs=None) -> dict[tuple[str, float], dict[str, np.ndarray]]:
    """For each scenario and scale, each quantity over seeds (arrays in seed order); ``runs``
    the :func:`run_summary` of each (scenario, scale, seed) if already run
    (``benchmarks/scale_table.py`` runs them in parallel)."""
    if runs is None:
        runs = {(name, scale, seed): run_summary(name, scale, seed)
                for name in ("baseline", *POLICIES) for scale in scales for seed in seeds}
    out = {}
    for name, scale in itertools.product(("baseline", *POLICIES), scales):
        rows = [runs[(name, scale, s)] for s in seeds]
        base = [runs[("baseline", scale, s)] for s in seeds]
        values = {k: np.array([r[k] for r in rows]) for k in LEVELS}
        if name != "baseline":
            values["cost_per_person"] = np.array([r["cost"] / r["person_years"] for r in rows])
            values["poverty_effect"] = values["poverty"] - np.array([b["poverty"] for b in base])
            values["income_effect"] = values["income"] - np.array([b["income"] for b in base])
            values["multiplier"] = np.array([(r["income_sum"] - b["income_sum"]) / r["cost"] for r, b in zip(rows, base)])
        out[(name, scale)] = values
    return out


def disagreements(results) -> list[str]:
    """Pairs of scales whose means over seeds differ by more than the seed noise allows."""
    scales, seeds = SCALES, len(SEEDS)
    names = ("baseline", *POLICIES)
    checks = [(n, q, a, b) for n in names for q in (LEVELS if n == "baseline" else LEVELS + EFFECTS)
              for a, b in itertools.combinations(scales, 2)]
    z = stats.t.ppf(1.0 - FAMILY_FALSE_ALARM / (2 * len(checks)), 2 * seeds - 2)
    bad = []
    for name, q, a, b in checks:
        x, y = results[(name, a)][q], results[(name, b)][q]
        se = np.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size)
        diff = abs(x.mean() - y.mean())
        if not diff <= z * se:  # also fails on NaN
            bad.append(f"{name} {q}: {x.mean():.4g} at {a:g}, {y.mean():.4g} at {b:g} "
                       f"(difference {diff:.3g} > {z:.2f} x {se:.3g})")
    return bad


def test_disagreement_check_flags_a_shifted_scale():
    """The tolerance catches a difference several standard errors wide and passes noise."""
    rng = np.random.default_rng(0)
    noise = {(n, s): {q: rng.normal(1.0, 0.1, len(SEEDS)) for q in LEVELS + EFFECTS}
             for n in ("baseline", *POLICIES) for s in SCALES}
    assert disagreements(noise) == []
    noise[("roads", 0.25)]["cost_per_person"] = noise[("roads", 0.25)]["cost_per_person"] * 4.0
    assert [m.split(":")[0] for m in disagreements(noise)] == ["roads cost_per_person"] * 2


@pytest.mark.slow
def test_per_person_results_agree_across_scales():
    results = per_person_results()
    bad = disagreements(results)
    assert not bad, "per-person results depend on households_scale:\n" + "\n".join(bad)
    # the policies did something measurable, so agreement is not agreement of zeros
    for name in POLICIES:
        assert np.all(results[(name, SCALES[-1])]["cost_per_person"] > 0)
    assert results[("policy_mix", SCALES[-1])]["poverty_effect"].mean() < 0
