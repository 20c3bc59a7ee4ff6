"""The README's table of per-person results at households_scale 0.25, 0.5 and 1 (section
"Scale"): the baseline's poverty, Gini and mean income and the effects, costs per person and
multipliers of the roads, environmental governance and policy mix scenarios after 8 years
(2010-2018), mean ± sd over seeds, with the definitions of the slow test
``tests/test_scale.py`` (``run_summary``, ``per_person_results``), which checks the agreement
across scales over 8 seeds.

    python benchmarks/scale_table.py [--seeds 24] [--scales 0.25 0.5 1] [--workers 2]

It imports the test module, so it needs the test extras (the README's second set-up command,
``pip install -e ".[test]"``).
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import test_scale  # noqa: E402  (the test's definitions of each quantity)

ROWS = [("baseline", "poverty", "poverty headcount", "{:.3f}"), ("baseline", "gini", "Gini of income per person", "{:.3f}"),
        ("baseline", "income", "mean income (USD/person/yr)", "{:.0f}"),
        ("roads", "poverty_effect", "poverty effect", "{:+.3f}"), ("roads", "cost_per_person", "cost per person", "{:.2f}"),
        ("roads", "multiplier", "multiplier", "{:.2f}"),
        ("environmental_governance", "poverty_effect", "poverty effect", "{:+.3f}"),
        ("environmental_governance", "income_effect", "income effect (USD/person/yr)", "{:+.0f}"),
        ("environmental_governance", "cost_per_person", "cost per person", "{:.2f}"),
        ("policy_mix", "poverty_effect", "poverty effect", "{:+.3f}"),
        ("policy_mix", "cost_per_person", "cost per person", "{:.2f}"), ("policy_mix", "multiplier", "multiplier", "{:.2f}")]


def summary(job: tuple[str, float, int]) -> dict[str, float]:
    return test_scale.run_summary(*job)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=24)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    seeds = tuple(range(1, args.seeds + 1))
    jobs = [(name, scale, seed) for name in ("baseline", *test_scale.POLICIES) for scale in args.scales
            for seed in seeds]
    with ProcessPoolExecutor(args.workers) as pool:
        runs = dict(zip(jobs, pool.map(summary, jobs)))
    results = test_scale.per_person_results(tuple(args.scales), seeds, runs)
    print(f"{len(seeds)} seeds, {test_scale.STEPS} years; mean ± sd over seeds")
    print("| scenario | outcome | " + " | ".join(f"scale {s:g}" for s in args.scales) + " |")
    print("|---|---|" + "---|" * len(args.scales))
    for name, key, label, fmt in ROWS:
        cells = []
        for scale in args.scales:
            x = results[(name, scale)][key]
            cells.append(f"{fmt.format(x.mean())} ± {fmt.format(x.std(ddof=1)).lstrip('+')}")
        print(f"| {name} | {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
