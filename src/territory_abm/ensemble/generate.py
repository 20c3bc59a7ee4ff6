"""Generating one territory from the feature distributions (``distributions.FEATURES``).

The territory is a star around a hub: every rural municipality has one road to the hub,
the hub one road to the dynamic market ``X1``. The hub is the intermediate city ``C1``
when the territory has one, else the first municipality ``M001`` (its own road to the hub
is then unused). Every edge has the territory's road quality.

The city's attributes other than its size are those of the example territory's
intermediate cities (``calibration/data/example``, an assumption): mean income twice the
municipalities' mean, income Gini 0.49, 0.3 ha per household, 10 % forest,
65 % of adults in wage jobs, 9 years of schooling.

Every populated node's poverty rate follows from its mean income, its income Gini and the
scenario's poverty line (``data.synthetic.lognormal_poverty``: the lognormal the model
draws households from), so the three starting values are one income distribution.

Values are rounded before they are written (4 decimals, areas up to whole hectares), and
the tables checked here are the rounded ones, so a written territory is exactly the
generated one and passes ``territory-abm validate``.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.synthetic import lognormal_poverty
from ..data.territory import EDGE_COLUMNS, NODE_COLUMNS
from .distributions import FEATURES, SECTOR_FEATURES, Distribution

CITY = {"income_gini": 0.49, "land_gini": 0.9, "mean_farm_ha": 0.3, "forest_cover": 0.1,
        "wage_share": 0.65, "nonfarm_income_share": 0.88, "share_commercial_agriculture": 0.05,
        "share_agro_processing": 0.2, "share_commerce_services": 0.55, "share_manufacturing": 0.2,
        "dynamic_market_share": 0.6, "mean_education": 9.0, "service_quality": 0.7, "governance": 0.6}
"""Attributes of a generated intermediate city (the example territory's cities; an assumption)."""
CITY_INCOME_RATIO = 2.0
"""City mean income over the municipalities' mean (example territory: about 4,000 vs 2,000)."""
CITY_HOUSEHOLD_SIZE = 3.7
"""Persons per city household (example territory: 33,300 / 9,000)."""
AREA_SLACK = 1.05
"""Area over farmland plus forest: 5 % of a municipality is neither (towns, water, roads); an assumption."""
DECIMALS = 4


@dataclass(frozen=True)
class GeneratedTerritory:
    """One generated territory.

    nodes : rows of the municipalities table (dicts keyed by ``NODE_COLUMNS`` names)
    edges : rows of the edges table
    draws : the territory-level draws (``FEATURES`` of level territory)
    municipalities : one row per populated node: node_id, kind, has_city (0/1),
        travel_time_to_market (h, along the star), and the drawn municipality features
    """

    nodes: list[dict]
    edges: list[dict]
    draws: dict[str, float]
    municipalities: pd.DataFrame


def generate(distributions: dict[str, Distribution], rng: np.random.Generator,
             poverty_line: float) -> GeneratedTerritory:
    """One territory drawn from ``distributions`` (every ``FEATURES`` name) with ``rng``;
    poverty rates at ``poverty_line`` (USD/person/yr).

    Each feature takes its draws in registry order whether or not it is used (a
    territory without a city still draws a city size), so changing one distribution
    leaves the draws of the others unchanged.
    """
    draws: dict[str, float] = {}
    values: dict[str, np.ndarray] = {}
    n = 0
    for name, feature in FEATURES.items():
        if feature.level == "territory":
            draws[name] = float(distributions[name].draw(rng))
            if name == "n_municipalities":
                n = int(draws[name])
        else:
            values[name] = np.asarray(distributions[name].draw(rng, n), float)
    has_city = bool(draws["city_present"])
    rows = [_municipality(i, values) for i in range(n)]
    if has_city:
        rows.append(_city(draws["city_size"], values))
    for row in rows:
        row["poverty_rate"] = round(float(lognormal_poverty(row["mean_income"], row["income_gini"], poverty_line)),
                                    DECIMALS)
    rows.append({"id": "X1", "name": "dynamic market", "kind": "market"})
    hub = "C1" if has_city else rows[0]["id"]
    quality = round(draws["road_quality"], DECIMALS)
    edges = [{"from": r["id"], "to": hub, "travel_time": round(float(values["hub_distance"][i]), DECIMALS),
              "road_quality": quality} for i, r in enumerate(rows[:n]) if r["id"] != hub]
    market = round(draws["market_distance"], DECIMALS)
    edges.append({"from": hub, "to": "X1", "travel_time": market, "road_quality": quality})
    to_hub = {e["from"]: e["travel_time"] for e in edges if e["to"] == hub}
    table = pd.DataFrame({"node_id": [r["id"] for r in rows[:-1]], "kind": [r["kind"] for r in rows[:-1]]})
    table["has_city"] = int(has_city)
    table["travel_time_to_market"] = [round(to_hub.get(r["id"], 0.0) + market, DECIMALS) for r in rows[:-1]]
    for column in ("households", "mean_income", "income_gini", "poverty_rate", "land_gini", "forest_cover",
                   "governance", "service_quality", "mean_education"):
        table[column] = [r[column] for r in rows[:-1]]
    return GeneratedTerritory(rows, edges, draws, table)


def _municipality(i: int, v: dict[str, np.ndarray]) -> dict:
    def r(name):
        return round(float(v[name][i]), DECIMALS)

    households = int(v["households"][i])
    shares = {name: r(name) for name in SECTOR_FEATURES}
    row = {"id": f"M{i + 1:03d}", "name": f"municipality {i + 1}", "kind": "municipality",
           "population": int(round(households * float(v["household_size"][i]))), "households": households,
           "mean_income": round(float(v["mean_income"][i]), 2)}
    for name in ("income_gini", "land_gini", "mean_farm_ha", "forest_cover", "wage_share",
                 "nonfarm_income_share"):
        row[name] = r(name)
    row["area_ha"] = _area(households, row["mean_farm_ha"], row["forest_cover"])
    row.update(shares)
    row["share_commerce_services"] = round(1.0 - sum(shares.values()), DECIMALS)
    for name in ("dynamic_market_share", "mean_education", "service_quality", "governance"):
        row[name] = r(name)
    return row


def _city(size: float, v: dict[str, np.ndarray]) -> dict:
    households = max(1, int(round(size * float(np.mean(v["households"])))))
    row = {"id": "C1", "name": "intermediate city", "kind": "city",
           "population": int(round(households * CITY_HOUSEHOLD_SIZE)), "households": households,
           "mean_income": round(CITY_INCOME_RATIO * float(np.mean(v["mean_income"])), 2), **CITY}
    row["area_ha"] = _area(households, CITY["mean_farm_ha"], CITY["forest_cover"])
    return row


def _area(households: int, farm_ha: float, forest: float) -> int:
    """Whole hectares holding the farmland and the forest share with ``AREA_SLACK`` to spare."""
    return max(1, math.ceil(households * farm_ha * AREA_SLACK / max(1.0 - forest, 1e-6)))


def write(territory: GeneratedTerritory, directory: Path) -> Path:
    """Write ``municipalities.csv`` and ``edges.csv`` into ``directory`` (created)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, columns, rows in (("municipalities.csv", [c.name for c in NODE_COLUMNS], territory.nodes),
                                ("edges.csv", [c.name for c in EDGE_COLUMNS], territory.edges)):
        tmp = directory / (name + ".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, columns, restval="", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(directory / name)
    return directory
