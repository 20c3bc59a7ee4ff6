"""Per-year hashes of every output of seeded runs, to show that a change leaves results
unchanged to the bit: every column of the alive households in ``id`` order (what a run shows
of its households, whichever rows compaction dropped, ``households.compact_rows``; a tree
without ids numbers them by row), the firm table, the year's ledger, commuting
records, node and territory outcomes and prices, and at the end the DataCollector's tables.
Eight runs: the baseline twice at households_scale 1 for 20 years (once at other values of
the Sobol benchmark's parameters, with medians and Ginis in two years only, as sensitivity
runs them), roads, land_redistribution, cash_transfers, policy_mix, assistance_market_linkage
and environmental_governance at smaller scales (about a minute of CPU in all).

    PYTHONPATH=src python benchmarks/fingerprint.py before.json
    PYTHONPATH=src python benchmarks/fingerprint.py after.json && cmp before.json after.json
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np

from territory_abm import TerritoryModel
from territory_abm.model.households import COLUMNS
from territory_abm.model.firms import FIRM_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
RUNS = [
    ("baseline", 1.0, 20, 42, {}, None),
    ("baseline", 1.0, 20, 7, {"farm_land_elasticity": 0.3, "migration_stay_preference": 3.0, "firm_entry_rate": 1.5,
                              "transport_cost_per_hour": 0.05, "clearing_propensity": 0.5, "wage_adjustment": 0.4}, frozenset({2020, 2030})),
    ("roads", 0.25, 10, 3, {}, None),
    ("land_redistribution", 0.5, 12, 5, {}, None),
    ("cash_transfers", 0.05, 6, 11, {}, None),
    ("policy_mix", 0.1, 8, 13, {}, None),
    ("assistance_market_linkage", 0.1, 8, 17, {}, None),
    ("environmental_governance", 0.1, 8, 19, {}, None),
]


def h(*parts) -> str:
    """Short hash of arrays (dtype and bytes) and other values (repr)."""
    d = hashlib.sha256()
    for p in parts:
        if isinstance(p, np.ndarray):
            d.update(str(p.dtype).encode())
            d.update(np.ascontiguousarray(p).tobytes())
        else:
            d.update(repr(p).encode())
    return d.hexdigest()[:16]


def households_hash(hh) -> str:
    """Hash of the alive households' columns, in ``id`` order."""
    ids = getattr(hh, "id", None)
    alive = hh.alive
    return h((np.arange(hh.n) if ids is None else ids)[alive], *[getattr(hh, c)[alive] for c in COLUMNS if c != "id"])


def year_hash(m) -> dict[str, str]:
    """Hashes of the model's state and this year's records."""
    hh, ft = m.households, m.firm_table
    out = {"hh": households_hash(hh), "firms": h(*[getattr(ft, c) for c in FIRM_COLUMNS]),
           "ledger": h(sorted((k, v.hex()) for k, v in m.ledger.current.items())),
           "commuting": h(*m.commuting_records[-1][1:], m.commuting_records[-1][0]),
           "node_stats": h(*[x for k, v in sorted(m.node_stats.items()) for x in (k, np.asarray(v))]),
           "territory": h(sorted((k, float(v).hex()) for k, v in m.territory_stats.items())),
           "prices": h(m.food_price, m.local_price, m.land_price, m.expected_local_price, m.job_finding)}
    return out


def main() -> None:
    result = {}
    for name, scale, steps, seed, params, years in RUNS:
        m = TerritoryModel(ROOT / "scenarios" / f"{name}.toml", seed=seed, steps=steps, households_scale=scale,
                           distribution_years=years, **params)
        ys = [year_hash(m)]
        for _ in range(steps):
            m.step()
            ys.append(year_hash(m))
        dc = m.datacollector
        ys.append({"dc_model": h(repr(dc.model_vars)),
                   "dc_agents": h(repr(dict(dc._agenttype_records))),
                   "dc_df": h(dc.get_model_vars_dataframe().to_csv(float_format="%.17g"))})
        result[f"{name}/{scale}/{steps}/{seed}"] = ys
        print(name, ys[-2]["hh"], ys[-1], flush=True)
    Path(sys.argv[1]).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
