"""Household formation: adult children leave to form households of their own, taking their
share of the family's land and assets (partible inheritance, the rule of most of rural
Latin America: each adult heir gets an equal share).

Each year a household with k >= 2 adults sends one of them off with probability
``household_formation_rate`` x (k - 1) (at most 1). The new household lives in the same node
with that one adult, the family's schooling, price share and land quality, a 1/k share of
the land and of the assets, and the job if the adult held one (drawn with chance
employed / k). An estate stays with the household that owns it; the year's tenancy stays
with the parent household (the next year's rental market includes the new one).
Farm productivity is split as well: with land and labour elasticities a and b, a + b < 1
means the farm has a fixed factor (management, tools, buildings) earning the rest; it is
partitioned like the land, so the new farm's TFP is the family's times (1/k)^(1 - a - b)
and the parent's times (1 - 1/k)^(1 - a - b). Splitting a farm with its land and labour
in shares s and 1 - s then produces what the whole did (s F + (1 - s) F): formation
does not create output. Persons, land and assets move between households and nothing is created:
population, land and household wealth are conserved (the transfer is booked as
households -> households, "inheritance shares"). Households dissolve when they die out
(``demography``); their land passes to the node's other holders (``environment.hand_over``).
Ported from branch ``land`` (61ba49b).
"""

from __future__ import annotations

import numpy as np


def form_households(model) -> np.ndarray:
    """Adult children form new households this year; returns the new households' rows."""
    p, hh, rng = model.params, model.households, model.streams["land"]
    adults = hh.adults
    chance = np.where(hh.alive & (adults >= 2), np.minimum(p.household_formation_rate * (adults - 1), 1.0), 0.0)
    u_leave, u_job = rng.random(hh.n), rng.random(hh.n)
    rows = np.flatnonzero(u_leave < chance)
    if rows.size == 0:
        return rows
    share = 1.0 / adults[rows]
    land, assets = hh.land[rows] * share, hh.assets[rows] * share
    rest = 1.0 - p.farm_land_elasticity - p.farm_labour_elasticity
    tfp = hh.tfp[rows] * np.power(share, rest)
    hh.tfp[rows] *= np.power(1.0 - share, rest)
    job = (u_job[rows] < hh.employed[rows] * share).astype(np.int32)
    # this year's incomes go with who earned them (the year's outcomes are recorded after):
    # the worker's wage, and a share of the farm and of local public income
    wage = np.where(job > 0, hh.wage_income[rows] / np.maximum(hh.employed[rows], 1), 0.0)
    farm, other = hh.farm_income[rows] * share, hh.other_income[rows] * share
    for column, amount in (("land", land), ("assets", assets), ("wage_income", wage), ("farm_income", farm),
                           ("other_income", other), ("income", wage + farm + other)):
        getattr(hh, column)[rows] -= amount
    hh.members[rows] -= 1
    hh.adults[rows] -= 1
    hh.employed[rows] -= job
    model.ledger.record("households", "households", "inheritance shares", assets.sum())
    k = rows.size
    return hh.append({
        "alive": np.ones(k, bool), "node": hh.node[rows], "members": np.ones(k, np.int32),
        "adults": np.ones(k, np.int32), "education": hh.education[rows], "land": land, "assets": assets,
        "land_quality_log": hh.land_quality_log[rows],
        "tfp": tfp, "price_share": hh.price_share[rows], "employed": job, "wage_income": wage,
        "farm_income": farm, "other_income": other, "income": wage + farm + other,
    })
