"""Comparing policy scenarios over common random numbers.

Every scenario runs with the same seeds, so that seed ``s`` starts every scenario from the
same synthetic territory and differences between scenarios (paired by seed) are policy,
not luck. The first scenario is the reference (usually the baseline).

Intervals are the 5th and 95th percentiles over seeds of the per-seed quantity.

Results are stated at the horizon (the last simulated year) and, for a scenario whose
programmes all end before it, also at the end of its programmes (the last year any of its
policies runs), so that a programme that stopped before the horizon is not read from the
horizon alone. The typology uses the scenarios' tolerances (every scenario must use the
same) and reports rural municipalities and intermediate cities apart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..outcomes import DIFFERENCES as DIFFERENCES_OUTCOMES
from ..outcomes import SUMMARY, Tolerances
from ..outcomes import outcome as registered_outcome
from ..params import CONTEXT_GROUP
from ..params import REGISTRY as PARAMETERS
from ..scenarios.loader import Scenario
from ..typology import type_shares, typology
from .runs import RunSpec, read_result
from .store import ResultStore

SUMMARY_OUTCOMES = SUMMARY
LOW, HIGH = 5, 95
HORIZON, PROGRAMME_END = "horizon", "programme end"
"""Names of the two periods results are stated at (column ``period`` of summary and typology tables)."""


def compare_design(scenarios: list[Scenario], seeds: list[int]) -> dict:
    """Plain-data design of a comparison (hashed to guard the output directory)."""
    return {"kind": "compare", "seeds": list(seeds),
            "scenarios": [{**s.as_dict(), "seed": None} for s in scenarios]}


OWN_FIELDS = ("name", "description", "source", "seed", "record_households", "policies")
"""Fields of a scenario (as in a design) that may differ between the scenarios of a comparison
without changing their counterfactual: names and file, the seed (every scenario runs the
comparison's seeds), whether households are recorded (an output), and the policies (what a
comparison compares)."""


def setting_differences(scenarios: list[dict]) -> dict[str, list[dict]]:
    """For each scenario after the first (plain data, as in a design), every setting besides its
    policies in which it differs from the reference (the first): behavioural parameters
    (``kind`` ``"parameter"``), context drivers (``"context"``) and the other settings of the
    run (``"setting"``: territory, poverty line, ...). Each difference is ``{"name", "kind",
    "reference", "value"}`` (the reference's value and the scenario's); an empty list where only
    policies differ. A difference to the reference in such a setting is not the policies' alone."""
    reference = scenarios[0]
    out = {}
    for scenario in scenarios[1:]:
        differ = []
        for name in sorted({*reference.get("parameters", {}), *scenario.get("parameters", {})}):
            ref, value = reference.get("parameters", {}).get(name), scenario.get("parameters", {}).get(name)
            if ref != value:
                group = PARAMETERS[name].group if name in PARAMETERS else ""
                differ.append({"name": name, "kind": "context" if group == CONTEXT_GROUP else "parameter",
                               "reference": ref, "value": value})
        for name in sorted({*reference, *scenario} - {*OWN_FIELDS, "parameters"}):
            if reference.get(name) != scenario.get(name):
                differ.append({"name": name, "kind": "setting", "reference": reference.get(name),
                               "value": scenario.get(name)})
        out[scenario["name"]] = differ
    return out


SETTING_KINDS = {"parameter": "behavioural parameter", "context": "context driver", "setting": "setting"}
"""How each kind of :func:`setting_differences` is named in text."""


def differences_text(differences: list[dict], reference: str) -> str:
    """One scenario's :func:`setting_differences` in words: ``"behavioural parameter
    migration_stay_preference 6.5 (baseline: 5.0), context driver market_price_volatility 0.1
    (baseline: 0.08)"``, with ``reference`` the reference scenario's name."""
    def shown(value) -> str:
        return "not set" if value is None else value if isinstance(value, str) else repr(value)
    return ", ".join(f"{SETTING_KINDS[d['kind']]} {d['name']} {shown(d['value'])} "
                     f"({reference}: {shown(d['reference'])})" for d in differences)


def compare_specs(scenarios: list[Scenario], seeds: list[int]) -> list[RunSpec]:
    """One run per scenario and seed, keeping per-household income for impact accounting."""
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise InputError(dup[0], "name", "scenarios with distinct names in one comparison")
    for s in scenarios[1:]:
        for field in ("households_scale", "steps", "start_year"):  # the runs are paired year by year
            if getattr(s, field) != getattr(scenarios[0], field):
                raise InputError(s.source, field, f"the same {field} as the reference scenario {scenarios[0].name} "
                                 f"({getattr(scenarios[0], field)!r}), got {getattr(s, field)!r}; set it on the "
                                 "command line (--households-scale, --steps) or in the files")
        if s.typology != scenarios[0].typology:
            raise InputError(s.source, "typology", f"the same typology tolerances as the reference scenario "
                             f"{scenarios[0].name} ({scenarios[0].typology.as_dict()}), got {s.typology.as_dict()}")
    return [RunSpec(f"{s.name}/seed={seed}", s, seed, keep_households=True)
            for s in scenarios for seed in seeds]


def interval(values) -> tuple[float, float, float]:
    """Mean and 5-95 % interval over seeds (NaN-aware)."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return np.nan, np.nan, np.nan
    return float(v.mean()), float(np.percentile(v, LOW)), float(np.percentile(v, HIGH))


class Comparison:
    """Loaded results of a comparison, with the summaries derived from them."""

    def __init__(self, directory: Path):
        with ResultStore(directory) as store:
            design = store.manifest()["design"]
            if design.get("kind") != "compare":
                raise InputError(directory, "design", "the output directory of a comparison")
            runs: dict[tuple[str, int], dict] = {}
            for description, payload in store.results():
                result = read_result(payload)
                if "households" in result and "first_reached" not in result["households"]:
                    raise InputError(directory, "results", "runs stored with the year each starting household "
                                     "was first reached (an earlier version of territory_abm stored only whether "
                                     "it was): compare into a new --out directory")
                runs[(description["scenario"], description["seed"])] = result
        self._load(design, runs)

    @classmethod
    def from_runs(cls, design: dict, runs: dict[tuple[str, int], dict]) -> Comparison:
        """A comparison of results already in memory: ``design`` as from ``compare_design``
        (plain data), ``runs`` maps (scenario, seed) to tables as from ``read_result``."""
        self = cls.__new__(cls)
        self._load(design, runs)
        return self

    def _load(self, design: dict, runs: dict[tuple[str, int], dict]) -> None:
        self.scenarios = [s["name"] for s in design["scenarios"]]
        self.seeds = list(design["seeds"])
        self.runs = runs
        # seeds finished for every scenario: pairing needs all of them
        self.paired_seeds = [s for s in self.seeds if all((sc, s) in runs for sc in self.scenarios)]
        self.reference = self.scenarios[0]
        by_name = {s["name"]: s for s in design["scenarios"]}
        first = by_name[self.reference]
        self.start_year = int(first["start_year"])
        self.horizon = self.start_year + int(first["steps"])
        self.programme_end = {name: programme_end(by_name[name], self.horizon) for name in self.scenarios}
        self.programme_years = {name: programme_years(by_name[name], self.start_year, self.horizon)
                                for name in self.scenarios}
        self.tolerances = Tolerances(**first.get("typology", {}))
        # simulated households per real one: the unit of the money totals of impact tables
        self.households_scale = float(first.get("households_scale", 1.0))

    # ------------------------------------------------------------------ tables
    def territory(self) -> pd.DataFrame:
        return self._stack("territory")

    def nodes(self) -> pd.DataFrame:
        return self._stack("nodes")

    def pairwise(self) -> pd.DataFrame:
        """The interventions (every scenario after the reference) compared with each other on the
        paired seeds (:func:`pairwise_differences`), at the horizon and, where a programme ends
        before it, at that year too; no rows with fewer than two interventions."""
        interventions = self.scenarios[1:]
        if len(interventions) < 2:
            return pairwise_differences(pd.DataFrame(), [])
        territory = self.territory()
        territory = territory[territory["seed"].isin(self.paired_seeds)]
        years = sorted({self.horizon} | {end for end in self.programme_end.values() if end is not None})
        return pd.concat([pairwise_differences(territory, interventions, year) for year in years], ignore_index=True)

    def _stack(self, level: str) -> pd.DataFrame:
        frames = []
        for (scenario, seed), tables in sorted(self.runs.items(), key=lambda kv: (self.scenarios.index(kv[0][0]), kv[0][1])):
            df = tables[level]
            frames.append(pd.concat([pd.DataFrame({"scenario": [scenario] * len(df), "seed": [seed] * len(df)},
                                                  index=df.index), df], axis=1))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def _at(self, scenario: str, seed: int, year: int) -> pd.Series:
        t = self.runs[(scenario, seed)]["territory"]
        return t[t["year"] == year].iloc[0]

    def periods(self, scenario: str) -> list[tuple[str, int]]:
        """(period, end year) at which results of ``scenario`` are stated: the horizon, and
        the end of its programmes when they end before it."""
        end = self.programme_end[scenario]
        return [(HORIZON, self.horizon)] + ([(PROGRAMME_END, end)] if end is not None else [])

    def summary(self) -> pd.DataFrame:
        """Per scenario, period and outcome: the value in the period's end year (mean and
        interval over seeds) and the paired difference to the reference in the same year,
        with its interval. Periods: the horizon and, for scenarios whose programmes end
        before it, the programme end (column ``period``, end year in ``year``). Also, at the
        horizon, the policy cost over the run and its cost-effectiveness against poverty."""
        rows = []
        for scenario in self.scenarios:
            for period, year in self.periods(scenario):
                for outcome in SUMMARY_OUTCOMES:
                    values = [self._at(scenario, s, year)[outcome] for s in self.paired_seeds]
                    diffs = [self._at(scenario, s, year)[outcome] - self._at(self.reference, s, year)[outcome]
                             for s in self.paired_seeds]
                    rows.append(_summary_row(scenario, period, year, outcome, values, diffs))
            for outcome, per_seed in self._cost_effectiveness(scenario).items():
                row = _summary_row(scenario, HORIZON, self.horizon, outcome, per_seed["value"], per_seed["diff"])
                if "interval" in per_seed:  # a ratio of means: its own interval (not one over seeds' values)
                    row["q05"], row["q95"] = row["diff_q05"], row["diff_q95"] = per_seed["interval"]
                rows.append(row)
        return pd.DataFrame(rows)

    def differences_by_year(self) -> pd.DataFrame:
        """Per intervention (each scenario after the reference), year and outcome of
        ``DIFFERENCES``: the difference to the reference paired by seed, mean and 5-95 % over
        seeds (``diff_to_reference``, ``diff_q05``, ``diff_q95``), every year of the run: the
        effect's path, which the summary's two dates leave out (a researcher's trial, session 24:
        the cash transfer's clear first-year effect, -1.0 points [-1.2, -0.9], was in no table)."""
        names = list(DIFFERENCES_OUTCOMES)
        rows = []
        for scenario in self.scenarios[1:]:
            per_seed = []
            for seed in self.paired_seeds:
                t = self.runs[(scenario, seed)]["territory"].set_index("year")[names]
                r = self.runs[(self.reference, seed)]["territory"].set_index("year")[names]
                per_seed.append(t - r)
            stacked = np.stack([d.to_numpy(float) for d in per_seed])  # seeds x years x outcomes
            years = per_seed[0].index.to_numpy()
            for j, year in enumerate(years):
                for k, name in enumerate(names):
                    mean, low, high = interval(stacked[:, j, k])
                    rows.append({"scenario": scenario, "year": int(year), "outcome": name, "diff_to_reference": mean,
                                 "diff_q05": low, "diff_q95": high})
        return pd.DataFrame(rows, columns=["scenario", "year", "outcome", *DIFFERENCE])

    def _cost_effectiveness(self, scenario: str) -> dict[str, dict[str, list[float]]]:
        """Cost (USD over the run), poverty person-years avoided, and cost per person-year
        out of poverty (the ratio of the means over seeds in the ``mean`` column, its interval
        from the person-years' interval over the same seeds: :func:`cost_per_unit`)."""
        cost, avoided, lifted_end = [], [], []
        for s in self.paired_seeds:
            t, r = self.runs[(scenario, s)]["territory"], self.runs[(self.reference, s)]["territory"]
            cost.append(_extra_cost(t, r))
            poor_t = t["poverty_headcount"] * t["population"]
            poor_r = r["poverty_headcount"] * r["population"]
            avoided.append(float((poor_r - poor_t).iloc[1:].sum()))
            lifted_end.append(float(poor_r.iloc[-1] - poor_t.iloc[-1]))
        total = [float(self.runs[(scenario, s)]["territory"]["policy_cost"].sum()) for s in self.paired_seeds]
        out = {"policy_cost_total": {"value": total, "diff": cost},
               "poverty_person_years_avoided": {"value": avoided, "diff": avoided},
               "persons_out_of_poverty_final_year": {"value": lifted_end, "diff": lifted_end}}
        ratio, low, high = cost_per_unit(interval(cost)[0], interval(avoided))
        out["cost_per_poverty_person_year_avoided"] = {"value": [ratio], "diff": [ratio], "interval": (low, high)}
        return out

    # ------------------------------------------------------------------ impact
    def impact(self) -> pd.DataFrame:
        """Income multipliers of each scenario against the reference, paired by seed.

        Cumulative (``multiplier_*``): change in income over all years after the start per
        USD of programme cost over the run. Annual, as local-economy (LEWIE-type) studies
        report them (``annual_multiplier_{nominal,real}_*``): change in income during the
        programme years (first policy start to last policy end, within the run) per USD of
        programme cost in those years, nominal and real (incomes deflated by each node's
        consumer prices, ``model.outcomes.consumer_prices``). Each is split into ``total``
        (all households), ``beneficiaries`` (the starting households a programme has reached,
        from the year it first reached them, in each year they live in the territory in both
        runs, followed by their row) and ``non_beneficiaries`` (the rest of the territory), and
        the latter into ``spillover`` (the starting households no programme has reached yet,
        in each year they live in the territory in both runs: the same households in both, so
        their change is what a local-economy model of a fixed population counts as spillover
        through wages, local markets and remittances) and ``composition`` (the rest, mostly who
        lives where: starting households, reached or not, in the years they live in one run
        only, having left, died out or stayed, and every household formed or arrived during
        the runs, with what single migrants took from the households they left in the year
        they left). ``beneficiaries + spillover + composition = total``. Transfers count as
        income of the reached. A household counts as a beneficiary from its first year reached,
        not before: programmes that target each year pick households by their state in the
        policy run, which by then differs from the reference, and a household picked for having
        fallen behind carried its fall before it was reached (counted over every year, that fall
        lowered the cash transfers' beneficiaries by about a fifth of a USD per USD of cost).

        Per USD transferred (``transfer_multiplier_{nominal,real}_*``), the figure cash-transfer
        evaluations report: the same annual income change per USD that programmes paid to
        households in those years (``programme_transfers``: transfers and payments for
        ecosystem services, administration excluded); NaN for a scenario that pays no cash.

        The costs (``cost_mean``, ``programme_cost_per_year_mean``,
        ``programme_transfers_per_year_mean``) are the simulated territory's, as
        ``households_scale`` (a column) says: divide by it for real figures; the multipliers and
        the share reached do not depend on it.
        """
        rows = []
        for scenario in self.scenarios[1:]:
            per: dict[str, list[float]] = {}
            cost_list, reached_share, annual_cost, annual_transfers = [], [], [], []
            years = self.programme_years[scenario]
            for s in self.paired_seeds:
                run, ref = self.runs[(scenario, s)], self.runs[(self.reference, s)]
                hh, hh_ref = run["households"], ref["households"]
                if len(hh["first_reached"]) != len(hh_ref["first_reached"]):
                    raise RuntimeError(f"{scenario} seed {s}: starting households differ from the reference run; "
                                       "common random numbers are broken")
                reached = hh["first_reached"] >= 0
                cost = _extra_cost(run["territory"], ref["territory"])
                cost_list.append(cost)
                reached_share.append(float(reached.mean()))
                d_total = float((_income_total(run["territory"]) - _income_total(ref["territory"])).iloc[1:].sum())
                _split(per, "multiplier", d_total, *_paired_changes(hh, hh_ref, "income_by_year", slice(None)), cost)
                if years is None:
                    continue
                in_programme = run["territory"]["year"].between(*years).to_numpy()
                d_cost = float((run["territory"]["policy_cost"] - ref["territory"]["policy_cost"])[in_programme].sum())
                d_paid = _transfers_beyond_reference(run["territory"], ref["territory"], in_programme)
                annual_cost.append(d_cost / (years[1] - years[0] + 1))
                annual_transfers.append(d_paid / (years[1] - years[0] + 1))
                later = in_programme[1:]  # the household tables start with the first simulated year
                for kind, total, yearly in (("nominal", _income_total, "income_by_year"),
                                            ("real", _real_income_total, "real_income_by_year")):
                    d_total = float((total(run) - total(ref))[later].sum())
                    d_ben, d_spill = _paired_changes(hh, hh_ref, yearly, later)
                    _split(per, f"annual_multiplier_{kind}", d_total, d_ben, d_spill, d_cost)
                    _split(per, f"transfer_multiplier_{kind}", d_total, d_ben, d_spill, d_paid)
            row = {"scenario": scenario, "reference": self.reference, "seeds": len(self.paired_seeds),
                   "households_scale": self.households_scale}
            row["cost_mean"] = interval(cost_list)[0]
            row["share_of_households_reached"] = interval(reached_share)[0]
            row["programme_first_year"], row["programme_last_year"] = years if years else (np.nan, np.nan)
            row["programme_cost_per_year_mean"] = interval(annual_cost)[0]
            row["programme_transfers_per_year_mean"] = interval(annual_transfers)[0]
            for key in [f"{m}_{part}" for m in MULTIPLIERS for part in PARTS]:
                row[key], row[f"{key}_q05"], row[f"{key}_q95"] = interval(per.get(key, []))
            rows.append(row)
        return pd.DataFrame(rows)

    def impact_by_municipality(self) -> pd.DataFrame:
        """Per scenario and node: income change (USD, all years after the start), programme
        cost spent there, and income change per USD of the scenario's total cost (these sum
        over nodes to the territory multiplier), each with its interval over seeds. Income and
        cost are the simulated territory's, as ``households_scale`` (a column) says: divide by it
        for real figures; ``per_usd`` does not depend on it."""
        rows = []
        for scenario in self.scenarios[1:]:
            per_node: dict[str, dict[str, list[float]]] = {}
            for s in self.paired_seeds:
                run, ref = self.runs[(scenario, s)], self.runs[(self.reference, s)]
                total_cost = _extra_cost(run["territory"], ref["territory"])
                a, b = _node_sums(run["nodes"]), _node_sums(ref["nodes"])
                for node_id in a.index:
                    d_income = float(a.at[node_id, "income"] - b.at[node_id, "income"])
                    cost = float(a.at[node_id, "cost"] - b.at[node_id, "cost"])
                    entry = per_node.setdefault(node_id, {"income": [], "cost": [], "per_usd": []})
                    entry["income"].append(d_income)
                    entry["cost"].append(cost)
                    entry["per_usd"].append(d_income / total_cost if total_cost > 0 else np.nan)
            for node_id, entry in per_node.items():
                row = {"scenario": scenario, "node_id": node_id, "households_scale": self.households_scale}
                for key, values in entry.items():
                    row[f"{key}_mean"], row[f"{key}_q05"], row[f"{key}_q95"] = interval(values)
                rows.append(row)
        return pd.DataFrame(rows)

    def typology(self, scenario: str, seed: int, end_year: int) -> pd.DataFrame:
        """Typology table of one run from the start to ``end_year``, with the comparison's tolerances."""
        return typology(self.runs[(scenario, seed)]["nodes"], self.start_year, end_year, self.tolerances)

    def typology_shares(self) -> pd.DataFrame:
        """Per scenario, period (horizon, and programme end where it comes first), group
        (rural municipalities, intermediate cities, both), measure (type, or a dimension's
        improved / no change / worsened) and category: the share of classified units
        (mean and interval over seeds) and the share of their population (mean). External
        markets and empty municipalities have no type. With them, so that a reader can judge
        a share of few units (an adviser trial, session 27: cities' shares of "[0-100]" with 2
        cities): ``group_units``, the number of classified units of the group (the most over
        seeds), and ``count_mean``, ``count_low``, ``count_high``, the number of units in the
        category, mean over seeds and its 5-95 % range over seeds taken as counts the seeds
        had (:func:`count_range`)."""
        rows = []
        for scenario in self.scenarios:
            for period, year in self.periods(scenario):
                per_seed = [type_shares(self.typology(scenario, s, year)) for s in self.paired_seeds]
                if not per_seed:
                    continue
                keys = per_seed[0][["group", "measure", "category"]]
                units = np.column_stack([p["share_of_units"].to_numpy(float) for p in per_seed])
                pop = np.column_stack([p["share_of_population"].to_numpy(float) for p in per_seed])
                counts = np.column_stack([p["units"].to_numpy(float) for p in per_seed])
                groups = pd.concat([p.groupby(["group", "measure"])["units"].sum() for p in per_seed], axis=1).max(axis=1)
                for k, key in enumerate(keys.itertuples(index=False)):
                    m, lo, hi = interval(units[k])
                    count_low, count_high = count_range(counts[k])
                    rows.append({"scenario": scenario, "period": period, "start_year": self.start_year,
                                 "end_year": year, "group": key.group, "measure": key.measure,
                                 "category": key.category, "share_of_units": m, "share_q05": lo, "share_q95": hi,
                                 "share_of_population": interval(pop[k])[0],
                                 "group_units": int(groups[(key.group, key.measure)]),
                                 "count_mean": float(counts[k].mean()), "count_low": count_low,
                                 "count_high": count_high})
        return pd.DataFrame(rows)


def count_range(counts) -> tuple[int, int]:
    """The 5-95 % range over seeds of a number of units, its ends counts some seed had: the
    5th percentile rounded down to a seed's count and the 95th rounded up to one (numpy's
    ``lower`` and ``higher`` methods), so that a range of counts never reads "0.15 to 1.85"."""
    v = np.asarray(counts, float)
    return int(np.percentile(v, LOW, method="lower")), int(np.percentile(v, HIGH, method="higher"))


MULTIPLIERS = ("multiplier", "annual_multiplier_nominal", "annual_multiplier_real", "transfer_multiplier_nominal",
               "transfer_multiplier_real")
"""Income multipliers in ``impact.csv``: cumulative over the run per USD of cost, annual during
the programme years per USD of cost and per USD transferred, nominal and real (see
:meth:`Comparison.impact`)."""
PARTS = ("total", "beneficiaries", "non_beneficiaries", "spillover", "composition")
"""Who each multiplier counts: all households, the starting households a programme reached,
the others, and the others split into the starting households not reached that live in both
runs and the change of who lives where (see :meth:`Comparison.impact`)."""


def _transfers_beyond_reference(territory: pd.DataFrame, reference: pd.DataFrame, years: np.ndarray) -> float:
    """Cash the scenario's programmes paid to households in ``years`` (USD), for the multipliers
    per USD transferred; NaN when the reference pays cash in those years too (the difference
    of two payments is no programme's transfer) or the runs were stored without the outcome."""
    if "programme_transfers" not in territory or "programme_transfers" not in reference:
        return float("nan")
    if reference["programme_transfers"][years].sum() > 0:
        return float("nan")
    return float(territory["programme_transfers"][years].sum())


def _split(per: dict[str, list[float]], name: str, d_total: float, d_ben: float, d_spill: float,
           cost: float) -> None:
    """Append one seed's income changes per USD of ``cost`` by ``PARTS``, from the changes (USD)
    of all households, the beneficiaries and the spillover part (the rest by difference)."""
    others = d_total - d_ben
    for part, delta in zip(PARTS, (d_total, d_ben, others, d_spill, others - d_spill)):
        per.setdefault(f"{name}_{part}", []).append(delta / cost if cost > 0 else np.nan)  # NaN cost: NaN


def _paired_changes(hh: dict, hh_ref: dict, yearly: str, years: np.ndarray | slice) -> tuple[float, float]:
    """Income changes (USD) over the stored ``years`` (a mask or slice of the years after the
    start) of the starting households a programme has reached by each year (from the year
    ``hh["first_reached"]``), and of those no programme has reached yet, each year counted
    where the household lives in the territory in both runs: the beneficiaries' part and the
    spillover of the multipliers. ``hh[yearly]`` (``income_by_year`` or
    ``real_income_by_year``) against ``hh_ref[yearly]``, the per-household tables of a run and
    its reference. A run stores income times ``alive``, so a household lives where its
    nominal income is not 0: every living household has an adult and a share of its node's
    local public spending (``kernels.household_receipts``); checked on 439,440 household-years
    of the baseline and cash transfers (3 seeds, households_scale 0.1), none living at 0."""
    first = hh["first_reached"]
    year = np.arange(len(hh["income_by_year"]))[years][:, None]
    status = (first >= 0) & (first <= year)  # (years, households): reached by that year
    lives = (hh["income_by_year"][years] != 0) & (hh_ref["income_by_year"][years] != 0)
    change = hh[yearly][years].astype(float) - hh_ref[yearly][years].astype(float)
    return float(change[lives & status].sum()), float(change[lives & ~status].sum())


def programme_years(scenario: dict, start_year: int, horizon: int) -> tuple[int, int] | None:
    """First and last calendar year any policy of ``scenario`` (plain data, as in a design)
    runs within the simulated years (after ``start_year``, up to ``horizon``); None without
    a policy in them."""
    spans = [(max(int(p["start"]), start_year + 1), min(int(p["end"]), horizon))
             for p in scenario.get("policies", [])]
    spans = [(a, b) for a, b in spans if a <= b]
    if not spans:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def programme_end(scenario: dict, horizon: int) -> int | None:
    """Last year any policy of ``scenario`` (plain data, as in a design) runs, when that is
    after the start and before ``horizon``; None otherwise (no policy, or one that runs to
    the horizon)."""
    ends = [int(p["end"]) for p in scenario.get("policies", [])]
    if not ends:
        return None
    end = max(ends)
    return end if int(scenario["start_year"]) < end < horizon else None


DIFFERENCE = ("diff_to_reference", "diff_q05", "diff_q95")
"""summary.csv's columns of a scenario's difference to the reference: mean and 5-95 % range over seeds."""


COST_UNITS = {"policy_cost_total": "USD", "poverty_person_years_avoided": "person-years",
              "persons_out_of_poverty_final_year": "persons", "cost_per_poverty_person_year_avoided": "USD/person-year"}
"""Units of the summary's cost-effectiveness rows (``policy_cost_total``'s ``mean`` is the
scenario's own cost and its ``diff_to_reference`` the cost beyond the reference's; the others
are differences to the reference by their definition, so their ``mean`` and difference agree)."""


def _summary_row(scenario, period, year, outcome, values, diffs) -> dict:
    mean, lo, hi = interval(values)
    dmean, dlo, dhi = interval(diffs)
    unit = COST_UNITS[outcome] if outcome in COST_UNITS else registered_outcome(outcome).shown_unit or "index"
    return {"scenario": scenario, "period": period, "year": year, "outcome": outcome, "mean": mean, "q05": lo,
            "q95": hi,
            "diff_to_reference": dmean, "diff_q05": dlo, "diff_q95": dhi, "unit": unit}


STEADY_SEEDS = 20
"""Seeds from which the 5-95 % ranges over seeds are read without a note of caution."""


def cost_per_unit(cost: float, gained: tuple[float, float, float]) -> tuple[float, float, float]:
    """Cost per unit gained (per person-year out of poverty, per hectare of forest kept) and
    its interval, from the gain's own interval over seeds, so that the two never disagree.

    Parameters
    ----------
    cost : float
        The programme's extra cost over the run, mean over seeds (USD).
    gained : tuple of float
        The gain's mean and 5-95 % interval over the same seeds' paired differences (as
        :func:`interval` gives them; a gain below 0 is a loss).

    Returns
    -------
    tuple of float
        ``cost / mean`` and the interval ``cost / high`` to ``cost / low``: the mean cost over
        the ends of the gain's interval. The upper end is ``inf`` where the gain's interval
        reaches 0 or below (the seeds do not rule out that nothing was gained, so no finite
        cost per unit is established: exactly where the gain is not told from chance); all
        NaN where there is no extra cost or no gain on average; NaN ends where the gain's
        interval has no width (one seed).

    Until session 27 the interval was a bootstrap of the ratio of the means over the seeds,
    another kind of interval than the gain's beside it: an adviser trial read person-years
    whose interval crossed 0 beside a finite cost per person-year, and the converse.
    """
    mean, low, high = (float(x) for x in gained)
    if not (np.isfinite(cost) and np.isfinite(mean) and cost > 0 and mean > 0):
        return np.nan, np.nan, np.nan
    ratio = cost / mean
    if not (np.isfinite(low) and np.isfinite(high)) or low >= high:
        return ratio, np.nan, np.nan
    return ratio, cost / high, (cost / low if low > 0 else np.inf)


def _extra_cost(territory: pd.DataFrame, reference: pd.DataFrame) -> float:
    """Programme cost of a run beyond its reference run (USD over all years)."""
    return float(territory["policy_cost"].sum() - reference["policy_cost"].sum())


def _income_total(territory) -> pd.Series:
    """Income of all households by year (USD): from a territory table, or a run's tables
    (then the years after the start, as a NumPy array)."""
    if isinstance(territory, dict):
        return _income_total(territory["territory"]).to_numpy()[1:]
    return territory["mean_income_pc"] * territory["population"]


def _real_income_total(run: dict) -> np.ndarray:
    """Income of all households by year after the start, deflated by consumer prices (USD at start prices)."""
    return np.asarray(run["real_income_total"], float)


PAIRWISE = ("poverty_headcount", "gini_income", "mean_income_pc", "forest_cover", "natural_capital")
"""Outcomes in which :func:`pairwise_differences` compares interventions with each other (the
forest as a share of area and in hectares), besides the person-years out of poverty."""
PERSON_YEARS = "poverty_person_years_avoided"
"""The outcome name of person-years out of poverty over the run (summary.csv's, and a pair's)."""


FEW_UNITS = 10
"""Below this many units in a group, the report gives the number of units of each type or verdict
("1 of 2 [0-2]") instead of shares: with 2 cities a share's range over seeds reads "[0-100]"."""


def few_units(part: pd.DataFrame) -> int | None:
    """The number of units of a group (``typology_shares.csv``'s ``group_units``) where it is
    fewer than :data:`FEW_UNITS` and the rows carry counts; None otherwise (shares are shown;
    comparisons written before session 27 have no counts)."""
    if not {"group_units", "count_mean", "count_low", "count_high"} <= set(part.columns) or not len(part):
        return None
    units = int(part["group_units"].max())
    return units if 0 < units < FEW_UNITS else None


def pairwise_differences(territory: pd.DataFrame, scenarios: list[str], year: int | None = None) -> pd.DataFrame:
    """Each pair of ``scenarios`` compared directly, paired by seed (common random numbers: a
    seed gives every scenario the same context path and the same draws), from a comparison's
    territory table (``territory_results.csv``: scenario, seed, year and the outcomes).

    Parameters
    ----------
    territory : DataFrame
        Per scenario, seed and year, at least :data:`PAIRWISE`'s outcomes and ``population``.
    scenarios : list of str
        The scenarios to pair, in order: each is the ``first`` of a pair with every one after it.
    year : int, optional
        Year of the differences (default the last, the horizon).

    Returns
    -------
    DataFrame
        One row per pair and outcome: ``first``, ``second``, ``outcome`` (:data:`PAIRWISE` and
        :data:`PERSON_YEARS`), ``year``, ``seeds`` (run under both), and over those seeds the mean
        and 5-95 % interval (:func:`interval`) of first minus second (``diff``, ``diff_q05``,
        ``diff_q95``): in ``year`` for the outcomes (simulated territory for the hectares), and
        for the person-years the poor persons under ``second`` minus those under ``first``,
        summed over the years after the start up to ``year`` (positive: ``first`` keeps more
        person-years out of poverty by then; simulated territory).
    """
    columns = ["first", "second", "outcome", "year", "seeds", "diff", "diff_q05", "diff_q95"]
    if len(scenarios) < 2:
        return pd.DataFrame(columns=columns)
    year = int(territory["year"].max()) if year is None else int(year)
    first_year = int(territory["year"].min())
    frame = territory.assign(poor=territory["poverty_headcount"] * territory["population"])
    at = frame[frame["year"] == year].set_index(["scenario", "seed"])
    poor = frame[(frame["year"] > first_year) & (frame["year"] <= year)].groupby(["scenario", "seed"])["poor"].sum()
    rows = []
    for k, first in enumerate(scenarios):
        for second in scenarios[k + 1:]:
            seeds = sorted(set(at.loc[first].index) & set(at.loc[second].index)) \
                if first in at.index and second in at.index else []
            values = {name: [at.at[(first, s), name] - at.at[(second, s), name] for s in seeds]
                      for name in PAIRWISE if name in at.columns}
            values[PERSON_YEARS] = [poor[(second, s)] - poor[(first, s)] for s in seeds]
            for name, diffs in values.items():
                mean, low, high = interval(diffs)
                rows.append({"first": first, "second": second, "outcome": name, "year": year, "seeds": len(seeds),
                             "diff": mean, "diff_q05": low, "diff_q95": high})
    return pd.DataFrame(rows, columns=columns)


def node_income_changes(results: pd.DataFrame, scenario: str, reference: str) -> pd.DataFrame:
    """Per seed run under both ``scenario`` and ``reference`` (rows) and node (columns): the
    node's residents' extra income under ``scenario`` over all the years after the start (USD,
    simulated territory), as ``impact_by_municipality.csv``'s ``income`` counts it; from a
    table of node results (``results.csv``: scenario, seed, year, node_id and the outcomes).
    A row sums to the territory's extra income over the run (``impact.csv``'s
    ``multiplier_total`` times the cost)."""
    seeds = sorted(set(results.loc[results["scenario"] == scenario, "seed"])
                   & set(results.loc[results["scenario"] == reference, "seed"]))
    rows = {}
    for seed in seeds:
        a = _node_sums(results[(results["scenario"] == scenario) & (results["seed"] == seed)])
        b = _node_sums(results[(results["scenario"] == reference) & (results["seed"] == seed)])
        rows[seed] = a["income"] - b["income"]
    return pd.DataFrame.from_dict(rows, orient="index")


def _node_sums(nodes: pd.DataFrame) -> pd.DataFrame:
    """Income (USD) and policy cost per node, summed over the years after the start."""
    later = nodes[nodes["year"] > nodes["year"].min()]
    income = (later["mean_income_pc"].fillna(0.0) * later["population"].fillna(0.0)).groupby(later["node_id"]).sum()
    cost = later["policy_cost"].fillna(0.0).groupby(later["node_id"]).sum()
    return pd.DataFrame({"income": income, "cost": cost})
