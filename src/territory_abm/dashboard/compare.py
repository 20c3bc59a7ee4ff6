"""What a group's page compares: its run against the same-seed no-policy run (its "twin",
stepped alongside), recipients against non-recipients, and its earlier runs.

Pure functions of the models' arrays; the group (:mod:`.groups`) calls :func:`track_row`
after each year and keeps the rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ("mean_income_pc", "poverty_headcount", "gini_income", "forest_cover", "population", "commuters",
           "policy_cost")
"""Registry outcomes kept from each year of a run and of its no-policy twin."""

PARTS = ("total", "reached", "others", "spillover", "composition")
"""Who a multiplier counts (see :func:`annual_multipliers`): others = spillover + composition."""
MULTIPLIER_COLUMNS = tuple(f"{per}_{kind}_{part}" for per in ("multiplier", "transfer_multiplier")
                           for kind in ("nominal", "real") for part in PARTS)
"""This year's income multipliers kept in each row (see :func:`annual_multipliers`)."""

EARLIER_RUNS = 3
"""Earlier runs a group's charts keep as faint lines."""


def income_of_reached(income, members, alive, programmes) -> float:
    """Mean income per person (USD/person/yr) of the living households reached by any
    programme (NaN if none).

    Parameters
    ----------
    income : ndarray, shape (households,)
        Household income (USD/yr).
    members : ndarray, shape (households,)
        Household size (persons).
    alive : ndarray of bool, shape (households,)
        Household lives in the territory.
    programmes : ndarray of int, shape (households,)
        Bit mask of the policies that ever reached the household (0: none).
    """
    keep = np.asarray(alive, bool) & (np.asarray(programmes) != 0)
    return _per_person(np.asarray(income, float), np.asarray(members, float), keep)


def _per_person(income: np.ndarray, members: np.ndarray, keep: np.ndarray) -> float:
    people = members[keep].sum()
    return float(income[keep].sum() / people) if people > 0 else float("nan")


def incomes_of_others(model, twin, where: int | None = None) -> tuple[float, float]:
    """Mean income per person (USD/person/yr) of the households that the policy run's
    programmes have not reached, in the policy run and in the no-policy run: the same
    households on both sides (the start's, ``Households.at_start``, living in both runs;
    households formed later are left out: once the runs differ, one id may name different
    households in the two), NaN if none. A household living in one run only (it stayed or
    arrived there, left in the other) is left out of both: counted on one side it would show
    who lives there as a gain or loss of the others' incomes.

    ``where``: a node's index, to count only the households living there in both runs (one
    that moved in one run only is left out, for the same reason)."""
    keep = others_in_both(model, twin)
    n = keep.size
    if where is not None:
        for run in (model.households, twin.households):
            keep = keep & (run.by_id(run.node)[:n] == where)
    return tuple(_per_person(run.by_id(run.income)[:n].astype(float), run.by_id(run.members)[:n].astype(float), keep)
                 for run in (model.households, twin.households))


def in_both(model, twin) -> tuple[np.ndarray, np.ndarray]:
    """Which of the start's households (ids 0 .. n - 1, ``Households.at_start`` of both runs:
    the same households under the same ids) live in the territory in both runs, and which of
    them the policy run's programmes reached (ids made later may name different households
    in the two runs)."""
    h, w = model.households, twin.households
    n = min(h.at_start, w.at_start)
    both = h.by_id(h.alive)[:n] & w.by_id(w.alive)[:n]
    return both, both & (h.by_id(h.programmes)[:n] != 0)


def others_in_both(model, twin) -> np.ndarray:
    """The start's households that live in the territory in both runs and the policy run's
    programmes have not reached (:func:`in_both`): the households whose incomes
    :func:`incomes_of_others` compares and whose gain is the multipliers' spillover."""
    both, reached = in_both(model, twin)
    return both & ~reached


def annual_multipliers(model, twin) -> dict[str, float]:
    """This year's local income multipliers against the twin, as local-economy (LEWIE-type)
    studies report them: the income gained this year per USD of programme cost this year,
    nominal and real (incomes deflated by each node's consumer prices), by all households,
    the start's households a programme reached that live in both runs (``Households.at_start``,
    the same households in the twin; as ``impact.csv`` counts beneficiaries) and the others (the
    rest of the territory), split as ``impact.csv`` splits them into the spillover (the start's
    households not reached that live in both runs, :func:`others_in_both`: through wages,
    markets and remittances) and composition (who lives where: households living in one run
    only, reached or not, households formed during the run); and the same gains per USD
    the programmes paid to households in cash this year (``transfer_multiplier_*``: the
    figure cash-transfer evaluations report, administration left out). NaN without a cost
    or without cash paid."""
    from ..model.outcomes import consumer_prices

    cost = float(model.territory_stats.get("policy_cost", 0.0))
    paid = float(model.territory_stats.get("programme_transfers", 0.0)
                 - twin.territory_stats.get("programme_transfers", 0.0))
    out = {}
    both, reached = in_both(model, twin)  # the reached living in both runs, as impact.csv counts beneficiaries
    stayed = both & ~reached
    n = both.size
    for kind in ("nominal", "real"):
        incomes = []
        for run in (model, twin):
            hh = run.households
            income = hh.income * hh.alive
            if kind == "real":
                income = income / consumer_prices(run)[hh.node]
            income = hh.by_id(income)  # by id: the twin's rows of the same households may differ
            incomes.append((income.sum(), income[:n][reached].sum(), income[:n][stayed].sum()))
        total, ben, spill = (a - b for a, b in zip(*incomes))
        for part, value in zip(PARTS, (total, ben, total - ben, spill, total - ben - spill)):
            out[f"multiplier_{kind}_{part}"] = value / cost if cost > 0 else float("nan")
            out[f"transfer_multiplier_{kind}_{part}"] = value / paid if paid > 0 else float("nan")
    return out


def farm_gate_price(model) -> float:
    """Mean farm-gate price over the populated municipalities and towns (market price index = 1)."""
    keep = np.asarray(model.populated, bool)
    return float(np.mean(np.asarray(model.farm_gate, float)[keep])) if keep.any() else float("nan")


def track_row(model, twin) -> dict[str, float]:
    """One year of the comparison: the run's and the twin's registry outcomes (``twin_``
    prefix), recipients' and non-recipients' incomes, and the farm-gate price of both."""
    row: dict[str, float] = {"year": int(model.year)}
    for run, prefix in ((model, ""), (twin, "twin_")):
        for name in COLUMNS:
            row[prefix + name] = float(run.territory_stats.get(name, np.nan))
        row[prefix + "farm_gate"] = farm_gate_price(run)
    h = model.households
    row["income_reached"] = income_of_reached(h.income, h.members, h.alive, h.programmes)
    row["income_others"], row["twin_income_others"] = incomes_of_others(model, twin)
    row.update(annual_multipliers(model, twin))
    return row


NODE_COLUMNS = ("poverty_headcount", "mean_income_pc")
"""Registry outcomes of a municipality compared with the twin on a group's page (:func:`node_row`)."""


def node_row(model, twin, node_id: str) -> dict[str, float]:
    """Municipality ``node_id`` this year against the twin, with the keys of :func:`track_row`:
    its outcomes of :data:`NODE_COLUMNS` in both runs (``twin_`` prefix) and the incomes of
    its households not reached in both (:func:`incomes_of_others` of those living there in
    both runs). Arrays the two runs already hold: no run of the model."""
    i = model.territory.index(node_id)
    row: dict[str, float] = {"year": int(model.year)}
    for run, prefix in ((model, ""), (twin, "twin_")):
        for name in NODE_COLUMNS:
            row[prefix + name] = float(run.node_stats[name][i])
    row["income_others"], row["twin_income_others"] = incomes_of_others(model, twin, where=i)
    return row


def track_frame(rows: list[dict]) -> pd.DataFrame:
    """The rows of :func:`track_row` as a table with the cumulative policy cost (USD)."""
    names = ["year", *COLUMNS, *(f"twin_{c}" for c in COLUMNS), "farm_gate", "twin_farm_gate", "income_reached",
             "income_others", "twin_income_others", *MULTIPLIER_COLUMNS]
    frame = pd.DataFrame(rows, columns=names, dtype=float)
    frame["cumulative_cost"] = frame["policy_cost"].cumsum()
    return frame
