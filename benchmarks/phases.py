"""Where a simulated year's CPU goes: each phase of ``TerritoryModel.step`` timed in
process CPU seconds over several years on speed.py's territory.

    python benchmarks/phases.py                   # 10^5 households, 6 timed years
    python benchmarks/phases.py --households 10000 --years 10

Each phase function is wrapped where ``model.py`` calls it (one untimed year first); what is
left ("other") is the year's bookkeeping, the DataCollector and the records.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import time
from pathlib import Path

from patching import patched
from territory_gen import write_scenario, write_territory

PHASES = {  # module of territory_abm.model -> functions step() calls
    "model": ("compact_rows",), "public": ("public_sector",),
    "labour": ("farm_revenue_parts", "labour_market", "post_vacancies"), "land_market": ("rent",),
    "budgets": ("household_budgets",), "firms": ("accounts",),
    "environment": ("clearing", "regrow_nature", "hand_over"), "demography": ("births_and_deaths",),
    "formation": ("form_households", "unite"), "migration": ("migrate",), "outcomes": ("compute",),
}


def timed(spent: collections.Counter, name: str, function):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=6)
    args = parser.parse_args()
    import importlib

    from territory_abm import TerritoryModel, load_scenario
    from territory_abm.model import model as model_module

    spent: collections.Counter = collections.Counter()
    replacements = {}
    for module_name, functions in PHASES.items():
        module = importlib.import_module(f"territory_abm.model.{module_name}")
        for function in functions:
            wrapped = timed(spent, function, getattr(module, function))
            replacements[module, function] = wrapped
            if hasattr(model_module, function):  # imported by name into model.py
                replacements[model_module, function] = wrapped
    with patched(replacements), tempfile.TemporaryDirectory() as tmp:
        territory = write_territory(Path(tmp) / "t", 50, args.households)
        model = TerritoryModel(load_scenario(write_scenario(Path(tmp), territory, args.years + 1)))
        model.step()
        spent.clear()
        start = time.process_time()
        for _ in range(args.years):
            model.step()
        total = time.process_time() - start
    alive = int(model.households.alive.sum())
    print(f"{alive:,} households, {args.years} timed years; CPU ms per year by phase")
    for name, seconds in spent.most_common():
        print(f"  {name:20s} {1000 * seconds / args.years:7.2f}  {100 * seconds / total:5.1f} %")
    print(f"  {'other':20s} {1000 * (total - sum(spent.values())) / args.years:7.2f}")
    print(f"  {'year':20s} {1000 * total / args.years:7.2f}  ({alive * args.years / total / 1e6:.2f} M household-steps per CPU s)")


if __name__ == "__main__":
    main()
