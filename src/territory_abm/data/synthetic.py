"""Drawing the initial synthetic population to match each node's marginals.

Scale: a node of H real households gets n = max(1, round(H x scale)) simulated ones, and its
area and forest (ha) are multiplied by n / H, the scale it was actually drawn at, so that
land, forest and area per simulated household are those of the data at every scale (with
``scale`` alone, rounding and the one-household floor changed them in small nodes).
Everything else drawn here is per household or per person.

Per populated node: household sizes around population / households; per-capita income
lognormal with the node's mean and income Gini; land lognormal with the node's mean farm
size and land Gini, rank-correlated with income through a Gaussian copula; schooling
around the node mean, rank-correlated with income too. A lognormal with Gini G has sigma = sqrt(2) * Phi^-1((1 + G) / 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from .territory import SECTORS, Territory

LAND_INCOME_CORRELATION = 0.5
"""Gaussian-copula correlation between land and per-capita income at the start."""
ADULT_SHARE_BETA = (7.0, 3.0)
"""Beta(a, b) of a household's working-age share of members (mean a / (a + b) = 0.7)."""
MIN_ADULT_SHARE = 0.3
"""Smallest working-age share drawn (every household has at least one adult anyway)."""
EDUCATION_SD = 2.0
"""Standard deviation (years) of schooling around the node's mean."""
EDUCATION_INCOME_CORRELATION = 0.4
"""Gaussian-copula correlation between schooling and per-capita income at the start
(assumption: schooling is the main earnings determinant of Mincer equations, which explain
roughly a fifth to a third of the variance of log earnings in Latin American surveys)."""
MAX_EDUCATION = 20.0
"""Most years of schooling drawn (the upper bound of the ``mean_education`` column)."""


def lognormal_sigma_for_gini(gini: np.ndarray | float) -> np.ndarray:
    """Lognormal shape parameter whose Gini equals ``gini`` (0 <= gini < 1)."""
    return np.sqrt(2.0) * ndtri((1.0 + np.asarray(gini, float)) / 2.0)


def lognormal_poverty(mean: np.ndarray | float, gini: np.ndarray | float, line: float) -> np.ndarray:
    """Share of people below ``line`` when per-capita income is lognormal with ``mean``
    and Gini ``gini`` (the distribution :func:`draw_population` draws from):
    Phi((ln(line / mean) + sigma^2 / 2) / sigma), sigma from :func:`lognormal_sigma_for_gini`
    (Aitchison and Brown 1957, The Lognormal Distribution, ch. 11)."""
    sigma = lognormal_sigma_for_gini(gini)
    return ndtr((np.log(line / np.asarray(mean, float)) + sigma**2 / 2) / sigma)


@dataclass
class InitialPopulation:
    """Household columns plus the node-level quantities the model starts from."""

    columns: dict[str, np.ndarray]
    wage: np.ndarray            # initial wage per worker by node (USD/yr)
    jobs: np.ndarray            # (n_nodes, n_sectors) initial wage jobs by node and sector
    area_ha: np.ndarray         # simulated area by node (ha): real area x simulated / real households
    forest_ha: np.ndarray       # simulated forest by node (ha)


def draw_population(territory: Territory, scale: float, rng: np.random.Generator) -> InitialPopulation:
    """Draw households for every populated node.

    Parameters
    ----------
    territory : Territory
        The territory tables (real households, area in ha, marginals by node).
    scale : float
        Simulated households per real household (1 = full size).
    rng : numpy.random.Generator
        The model's population stream.

    Returns
    -------
    InitialPopulation
        Household columns, starting wages (USD/yr) and jobs by node, and each node's area
        and forest (ha) at the scale its households were drawn at.
    """
    t = territory.table
    n_nodes = territory.n_nodes
    columns: dict[str, list[np.ndarray]] = {k: [] for k in
                                            ("node", "members", "adults", "education", "land", "employed", "income")}
    wage = np.zeros(n_nodes)
    jobs = np.zeros((n_nodes, len(SECTORS)))
    area = np.nan_to_num(t["area_ha"]) * scale
    for i in np.flatnonzero(territory.populated):
        n_h = max(1, round(t["households"][i] * scale))
        area[i] = np.nan_to_num(t["area_ha"][i]) * n_h / t["households"][i]
        size = t["population"][i] / t["households"][i]
        members = 1 + rng.poisson(max(size - 1.0, 0.0), n_h)
        adult_share = np.clip(rng.beta(*ADULT_SHARE_BETA, n_h), MIN_ADULT_SHARE, 1.0)
        adults = np.clip(np.round(members * adult_share), 1, members).astype(np.int32)
        z = rng.standard_normal((n_h, 2))
        z_land = LAND_INCOME_CORRELATION * z[:, 0] + np.sqrt(1 - LAND_INCOME_CORRELATION**2) * z[:, 1]
        s_inc = lognormal_sigma_for_gini(t["income_gini"][i])
        income_pc = t["mean_income"][i] * np.exp(s_inc * z[:, 0] - s_inc**2 / 2)
        # person-weighted mean must match: rescale by the realised weighted mean
        income_pc *= t["mean_income"][i] / np.average(income_pc, weights=members)
        s_land = lognormal_sigma_for_gini(t["land_gini"][i])
        land = t["mean_farm_ha"][i] * np.exp(s_land * z_land - s_land**2 / 2)
        if land.sum() > 0:
            land *= t["mean_farm_ha"][i] * n_h / land.sum()
        z_educ = EDUCATION_INCOME_CORRELATION * z[:, 0] + np.sqrt(1 - EDUCATION_INCOME_CORRELATION**2) * \
            rng.standard_normal(n_h)
        education = np.clip(t["mean_education"][i] + EDUCATION_SD * z_educ, 0, MAX_EDUCATION)
        # wage jobs: the node's wage share of adults at one wage that pays its non-farm
        # income share; jobs go to households in proportion to their income
        income = income_pc * members
        total_wages = t["nonfarm_income_share"][i] * income.sum()
        workers = max(t["wage_share"][i] * adults.sum(), 1.0)
        wage[i] = total_wages / workers
        want = t["nonfarm_income_share"][i] * income / wage[i]
        employed = np.minimum(np.floor(want + rng.random(n_h)), adults).astype(np.int32)
        workers = max(int(employed.sum()), 1)
        jobs[i] = workers * np.array([t[f"share_{s}"][i] for s in SECTORS])
        for key, arr in (("node", np.full(n_h, i, np.int32)), ("members", members), ("adults", adults),
                         ("education", education), ("land", land),
                         ("employed", employed), ("income", income)):
            columns[key].append(arr)
    forest = np.nan_to_num(t["forest_cover"]) * area
    merged = {k: np.concatenate(v) for k, v in columns.items()}
    return InitialPopulation(merged, wage, jobs, area, forest)
