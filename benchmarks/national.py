"""National scale (issue 15 item 6): generate a synthetic country of N units with geometry,
import it, validate it and run it; print the import time, the seconds per simulated year,
the peak memory (resident set size) and the size of what could grow with the square of the
number of units (travel-time pairs, migration choice set, migrant stock, commuting flows).

    python benchmarks/national.py --units 2500 --households 10000000 --years 20

runs the issue's target (2,500 municipalities, 10^7 households, 20 years: half an hour on a
2-core machine loaded by other work, 6 minutes of CPU; README, "Speed"); national
migration needs the nested destination choice, the default since session 10 (the flat logit,
``--set migration_nest_dissimilarity=1``, moves a ninth of a country's people a year;
docs/model_choices.md, "Migration" and "National scale"). Each year prints the population,
its growth and the movers' share of the people. ``--scale 0.01`` simulates one household in a
hundred for a quick look.
``--keep DIR`` keeps the generated data and imported territory, ``--territory DIR`` runs an
imported one again (no generation or import).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np

from territory_abm import load_scenario
from territory_abm.data.example_geography import write_valley
from territory_abm.data.importer import import_territory
from territory_abm.data.territory import load_territory
from territory_abm.model import TerritoryModel


def peak_mb() -> float:
    """Peak resident set size of this process so far (MB; Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(directory: Path, units: int, households: int) -> Path:
    """Generate and import a country into ``directory``; print the times. Returns the territory."""
    data, territory = directory / "data", directory / "territory"
    started = time.perf_counter()
    write_valley(data, n=units, seed=1, households=households)
    generated = time.perf_counter()
    import_territory(data / "mapping.toml", territory)
    print(f"generate {generated - started:.1f} s, import {time.perf_counter() - generated:.1f} s; "
          f"peak {peak_mb():.0f} MB", flush=True)
    return territory


def sizes(model) -> str:
    """What could grow with the square of the number of nodes, as kept (entries)."""
    p, n = model.params, model.n_nodes
    return (f"{n} nodes ({n * n:,} node pairs): travel pairs within {model.travel.cutoff:g} h "
            f"{len(model.travel.pairs.dest):,}, commuting pairs {len(model.commute.dest):,}, "
            f"food routes {len(model.travel.within(p.food_trade_limit).dest):,}, "
            f"migration choices {len(model.travel.within(p.migration_reach, markets=True).dest):,}, "
            f"migrant stock {model.migrant_stock.nnz:,}, commuting flows {model.commuting.nnz:,}")


def run(territory_dir: Path, scale: float, years: int, overrides: dict[str, float]) -> None:
    started = time.perf_counter()
    t = load_territory(territory_dir)
    households = int(t.table["households"][t.populated].sum())
    print(f"{int(t.populated.sum())} units, {households:,} households, {t.graph.number_of_edges()} edges; "
          f"validate {time.perf_counter() - started:.1f} s", flush=True)
    scenario = load_scenario(territory_dir / "scenario.toml").replace(households_scale=scale, steps=years)
    built = time.perf_counter()
    model = TerritoryModel(scenario, territory=t, **overrides)
    ready = time.perf_counter()
    print(f"scale {scale:g}: {model.households.n:,} simulated households "
          f"({model.households.nbytes() / 2**20:.0f} MB of household columns); start {ready - built:.1f} s; "
          f"peak {peak_mb():.0f} MB", flush=True)
    seconds = []
    people = model.populations().sum()
    for _ in range(years):
        before = time.perf_counter()
        model.step()
        seconds.append(time.perf_counter() - before)
        stats, last = model.territory_stats, people
        people = stats["population"]
        print(f"  {model.year}: {seconds[-1]:.1f} s, {int(model.households.alive.sum()):,} households alive, "
              f"population {people:,.0f} ({people / last - 1:+.2%}), movers {stats['out_migrants'] / last:.2%} "
              f"of the people, peak {peak_mb():.0f} MB", flush=True)
    print(sizes(model))
    print(f"{years} years: {np.mean(seconds):.1f} s per simulated year (median {np.median(seconds):.1f}); "
          f"peak {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2500)
    parser.add_argument("--households", type=int, default=10_000_000, help="households in the generated country")
    parser.add_argument("--scale", type=float, default=1.0, help="simulated households per real household")
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the generated data and territory in this directory")
    parser.add_argument("--territory", type=Path, help="run this imported territory (no generation or import)")
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                        help="parameter overrides, e.g. migration_nest_dissimilarity=0.5 (see the docstring)")
    args = parser.parse_args()
    overrides = {name: float(value) for name, value in (item.split("=", 1) for item in args.set)}
    if args.territory is not None:
        run(args.territory, args.scale, args.years, overrides)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(build(args.keep or Path(tmp), args.units, args.households), args.scale, args.years, overrides)


if __name__ == "__main__":
    main()
