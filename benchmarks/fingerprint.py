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

With ``--set NAME=VALUE`` (repeatable) it hashes other runs instead: ``--scenario`` (default
stationary) at each of ``--scales`` (default 0.1,0.25) and ``--seeds`` (default 1,2,3) for
``--years`` (default 3) under those parameter values, and with each run's start also the
start's own results (``start_*`` attributes, the starting wages, worker skill and job-finding
chance), e.g. to check a change to the start at turnover's rest:

    PYTHONPATH=src python benchmarks/fingerprint.py turnover.json --set job_separation_rate=0.12 \
        --set wage_residual_sd=0.8
"""

from __future__ import annotations

import argparse
import hashlib
import json
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


def start_hash(m) -> dict[str, str]:
    """Hashes of what the start backs out beside the households and firms (None where a start
    does not set it)."""
    jobs = m.start_wage_jobs
    parts = [m.start_local_share, m.start_idle_farm_income, getattr(m, "start_rest_poverty_miss", None),
             *[jobs[k] for k in sorted(jobs)], m.initial_wage, m.worker_skill, m.job_finding, m.local_spending_share,
             m.start_dividends]
    return {"start": h(*[x if x is None else np.asarray(x) for x in parts])}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="JSON file of the hashes")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="hash runs of --scenario under this registry parameter value instead (repeatable)")
    parser.add_argument("--scenario", default="stationary", help="scenario of scenarios/ with --set")
    parser.add_argument("--scales", default="0.1,0.25", help="households_scale values with --set")
    parser.add_argument("--seeds", default="1,2,3", help="seeds with --set")
    parser.add_argument("--years", type=int, default=3, help="years with --set")
    args = parser.parse_args()
    if any("=" not in item for item in args.set):
        parser.error("--set takes NAME=VALUE")
    return args


def main() -> None:
    args = parse_args()
    runs, started = RUNS, False
    if args.set:
        overrides = {name: float(value) for name, value in (item.split("=", 1) for item in args.set)}
        runs = [(args.scenario, float(scale), args.years, int(seed), overrides, None)
                for scale in args.scales.split(",") for seed in args.seeds.split(",")]
        started = True
    result = {}
    for name, scale, steps, seed, params, years in runs:
        m = TerritoryModel(ROOT / "scenarios" / f"{name}.toml", seed=seed, steps=steps, households_scale=scale,
                           distribution_years=years, **params)
        ys = [year_hash(m) | (start_hash(m) if started else {})]
        for _ in range(steps):
            m.step()
            ys.append(year_hash(m))
        dc = m.datacollector
        ys.append({"dc_model": h(repr(dc.model_vars)),
                   "dc_agents": h(repr(dict(dc._agenttype_records))),
                   "dc_df": h(dc.get_model_vars_dataframe().to_csv(float_format="%.17g"))})
        result[f"{name}/{scale}/{steps}/{seed}"] = ys
        print(name, ys[-2]["hh"], ys[-1], flush=True)
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
