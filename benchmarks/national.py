"""National scale (issue 15 item 6, first part): generate a synthetic country of N units with
geometry, import it, validate it, and run a few years at a households scale; print the
import time, the seconds per simulated year and the peak memory (resident set size).

    python benchmarks/national.py --units 2500 --scale 0.01 --years 2

The full target is 2,500 municipalities and 10^7 households (scale 1) for 20 years within
8 GB; pass --scale 1 --years 20 to try it (hours on a 2-core machine).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from territory_abm import load_scenario
from territory_abm.data.example_geography import write_valley
from territory_abm.data.importer import import_territory
from territory_abm.data.territory import load_territory
from territory_abm.model import TerritoryModel


def peak_mb() -> float:
    """Peak resident set size of this process so far (MB; Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2500)
    parser.add_argument("--scale", type=float, default=0.01, help="simulated households per real household")
    parser.add_argument("--years", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data, territory = Path(tmp) / "data", Path(tmp) / "territory"
        started = time.perf_counter()
        write_valley(data, n=args.units, seed=1)
        generated = time.perf_counter()
        import_territory(data / "mapping.toml", territory)
        imported = time.perf_counter()
        t = load_territory(territory)
        validated = time.perf_counter()
        households = int(t.table["households"][t.populated].sum())
        print(f"{args.units} units, {households:,} households, {t.graph.number_of_edges()} edges")
        print(f"generate {generated - started:.1f} s, import {imported - generated:.1f} s, "
              f"validate {validated - imported:.1f} s; peak {peak_mb():.0f} MB")
        scenario = load_scenario(territory / "scenario.toml").replace(households_scale=args.scale, steps=args.years)
        built = time.perf_counter()
        model = TerritoryModel(scenario, territory=t)
        ready = time.perf_counter()
        model.run(args.years)
        done = time.perf_counter()
        print(f"scale {args.scale:g}: {model.households.n:,} simulated households; "
              f"start {ready - built:.1f} s, {(done - ready) / args.years:.1f} s per simulated year; "
              f"peak {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
