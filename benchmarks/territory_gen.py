"""A synthetic benchmark territory: N municipalities around 2 cities and 1 market."""

from __future__ import annotations

import csv
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import numpy as np


def write_territory(directory: Path, n_municipalities: int, total_households: int, seed: int = 0) -> Path:
    """Write municipalities.csv and edges.csv with about ``total_households`` households."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    weights = rng.uniform(0.5, 1.5, n_municipalities + 2)
    weights[-2:] *= 4
    households = np.maximum(1, np.round(weights / weights.sum() * total_households)).astype(int)
    rows = []
    for i in range(n_municipalities + 2):
        city = i >= n_municipalities
        hh = int(households[i])
        farm = 0.3 if city else float(rng.uniform(3, 10))
        forest = 0.1 if city else float(rng.uniform(0.2, 0.5))
        area = max(hh * farm / (1 - forest - 0.1), 1000.0)
        rows.append({
            "id": f"C{i}" if city else f"M{i}", "name": f"node {i}", "kind": "city" if city else "municipality",
            "population": int(hh * 4), "households": hh, "mean_income": 4000 if city else float(rng.uniform(1500, 3000)),
            "poverty_rate": 0.4, "income_gini": 0.48, "land_gini": 0.8, "mean_farm_ha": farm, "area_ha": round(area),
            "forest_cover": forest, "wage_share": 0.6 if city else 0.3, "nonfarm_income_share": 0.85 if city else 0.4,
            "share_commercial_agriculture": 0.3, "share_agro_processing": 0.2, "share_commerce_services": 0.4,
            "share_manufacturing": 0.1, "dynamic_market_share": 0.4, "mean_education": 7.0,
            "service_quality": 0.5, "governance": 0.5})
    rows.append({"id": "X", "name": "market", "kind": "market"})
    with (directory / "municipalities.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with (directory / "edges.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["from", "to", "travel_time", "road_quality"])
        for i in range(n_municipalities):
            w.writerow([f"M{i}", f"C{n_municipalities + i % 2}", round(float(rng.uniform(0.5, 3)), 2), 0.5])
        w.writerow([f"C{n_municipalities}", f"C{n_municipalities + 1}", 2.0, 0.8])
        w.writerow([f"C{n_municipalities}", "X", 4.0, 0.9])
    return directory


def write_scenario(directory: Path, territory: Path, steps: int, parameters: dict[str, float] | None = None) -> Path:
    """The benchmark's scenario file: the model's defaults, or ``parameters`` where given."""
    path = directory / "bench.toml"
    lines = ['name = "bench"', f'territory = "{territory.as_posix()}"', f"steps = {steps}", "seed = 1"]
    if parameters:
        lines += ["[parameters]", *(f"{k} = {v!r}" for k, v in parameters.items())]
    path.write_text("\n".join(lines) + "\n")
    return path
