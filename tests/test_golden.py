"""Golden results: seeded runs pinned against stored tables.

Every shipped policy scenario of the example territory and one classroom scenario run at a
small scale for a few years; their territory table, municipality table, yearly money flows
and (for the baseline) per-household records must match ``tests/golden/`` to a relative
tolerance of 1e-5 (and 1e-9 absolute). A change of behaviour fails here: a change of rule moves
these tables by far more. Not to the bit, because the last bits of numpy's vectorised functions
differ between processors and a run carries them on: the tables stored on session 26's
machine differ on session 27's (an AMD EPYC with AVX2) in 3 of the 8 runs, by at most 5.0e-7
(an assisted municipality's poverty gap), 1.5e-7 (the baseline's movers' income ratio) and
2.5e-8 (the policy mix's farm sales), the other 5 runs within 1.4e-14. A value that is the small
difference of large ones (a loss written off beyond savings: 0.019 USD, 3.4e-7 apart on session
49's AMD EPYC with AVX-512, relative 1.8e-5) carries their rounding, so the absolute tolerance is
also 1e-12 of the column's largest magnitude. On one machine a seeded
run is identical to the bit, which ``benchmarks/fingerprint.py`` checks. After a
deliberate change, regenerate
the tables with

    .venv/bin/python -m pytest tests/test_golden.py --update-golden

and say in the commit why the numbers moved.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from territory_abm import load_scenario
from territory_abm.model import TerritoryModel
from territory_abm.output import tables

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
RTOL, ATOL, ATOL_OF_MAX = 1e-5, 1e-9, 1e-12  # across processors: see the module's docstring

# (scenario file, households scale, steps, seed); policies of the example start in 2012
RUNS = {
    "baseline": ("scenarios/baseline.toml", 0.05, 8, 11),
    "policy_mix": ("scenarios/policy_mix.toml", 0.05, 8, 11),
    "cash_transfers": ("scenarios/cash_transfers.toml", 0.03, 6, 12),
    "roads": ("scenarios/roads.toml", 0.03, 6, 12),
    "land_redistribution": ("scenarios/land_redistribution.toml", 0.03, 6, 12),
    "assistance_market_linkage": ("scenarios/assistance_market_linkage.toml", 0.03, 6, 12),
    "environmental_governance": ("scenarios/environmental_governance.toml", 0.03, 6, 12),
    "forest_frontier": ("scenarios/classroom/forest_frontier.toml", 1.0, 6, 13),
}


def ledger_table(model) -> pd.DataFrame:
    """Money flows of every year, one row per (year, payer, payee, item)."""
    rows = [{"year": model.start_year + k, "payer": payer, "payee": payee, "item": item, "amount": amount}
            for k, year in enumerate(model.ledger.years) for (payer, payee, item), amount in sorted(year.items())]
    return pd.DataFrame(rows)


def golden_tables(name: str) -> dict[str, pd.DataFrame]:
    path, scale, steps, seed = RUNS[name]
    scenario = load_scenario(ROOT / path).replace(households_scale=scale, steps=steps, seed=seed,
                                                  record_households=name == "baseline")
    model = TerritoryModel(scenario)
    model.run()
    out = {"territory": tables.territory_table(model), "municipalities": tables.node_table(model),
           "ledger": ledger_table(model), "commuting": tables.commuting_table(model)}
    if name == "baseline":
        households = tables.household_table(model)  # first and last year: enough to pin every rule
        out["households"] = households[households["year"].isin([model.start_year, model.year])]
    model.release()
    return out


def _assert_same(name: str, table: str, got: pd.DataFrame, want: pd.DataFrame) -> None:
    where = f"golden {name}/{table}"
    assert list(got.columns) == list(want.columns), f"{where}: columns differ"
    assert len(got) == len(want), f"{where}: {len(got)} rows, stored {len(want)}"
    for col in want.columns:
        g, w = got[col].to_numpy(), want[col].to_numpy()
        if w.dtype.kind in "fiub" and g.dtype.kind in "fiub":
            g, w = g.astype(float), w.astype(float)
            largest = np.nanmax(np.abs(w), initial=0.0)
            bad = ~np.isclose(g, w, rtol=RTOL, atol=max(ATOL, ATOL_OF_MAX * largest), equal_nan=True)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                pytest.fail(f"{where}: column {col!r} differs in {int(bad.sum())} rows; first at row {i}: "
                            f"{g[i]!r} now, {w[i]!r} stored")
        else:
            assert [str(x) for x in g] == [str(x) for x in w], f"{where}: column {col!r} differs"


@pytest.mark.parametrize("name", sorted(RUNS))
def test_golden_results(name, request):
    got = golden_tables(name)
    folder = GOLDEN / name
    if request.config.getoption("--update-golden"):
        folder.mkdir(parents=True, exist_ok=True)
        for table, df in got.items():
            df.to_csv(folder / f"{table}.csv", index=False, float_format="%.17g", lineterminator="\n")
        pytest.skip(f"golden tables of {name} regenerated")
    for table, df in got.items():
        stored = folder / f"{table}.csv"
        assert stored.exists(), f"{stored} missing: run pytest tests/test_golden.py --update-golden"
        # round trip through CSV, as stored, so both sides have the same dtypes
        want = pd.read_csv(stored, keep_default_na=False, na_values=[""])
        _assert_same(name, table, df.reset_index(drop=True), want)
