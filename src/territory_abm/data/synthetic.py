"""Drawing the initial synthetic population to match each node's marginals.

Scale: a node of H real households gets n = max(1, round(H x scale)) simulated ones, and its
area and forest (ha) are multiplied by n / H, the scale it was actually drawn at, so that
land, forest and area per simulated household are those of the data at every scale (with
``scale`` alone, rounding and the one-household floor changed them in small nodes).
Everything else drawn here is per household or per person.

Per populated node: household sizes around population / households; per-capita income
lognormal with the node's mean and income Gini; land from :func:`land_holdings` (landless
households plus Pareto holdings, matched to the node's mean land per household and land
Gini), rank-correlated with income through a Gaussian copula; schooling around the node
mean, rank-correlated with income too. A lognormal with Gini G has sigma = sqrt(2) * Phi^-1((1 + G) / 2).
"""

from __future__ import annotations

import copy
import hashlib
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


def land_holdings(gini: float, mean_ha: float, landless_share: float, rank: np.ndarray) -> np.ndarray:
    """Land of ``len(rank)`` households (ha) whose mean is ``mean_ha`` and whose Gini,
    landless households included, is ``gini`` (the table's ``land_gini``: the Gini of
    household landholdings over all households, as the column defines it).

    A share L = min(``landless_share``, ``gini``) of households holds no land; the others'
    holdings are Pareto with Gini G_h = (G - L) / (1 - L) (a mass L at zero adds L (1 - G_h)
    to the Gini of the holders), i.e. shape alpha = (1 + G_h) / (2 G_h), so that the top
    share p of holders holds p^(1 - 1/alpha) of the land (the top 1 % of farms hold 0.55
    of it at G = 0.83, L = 0.25; a lognormal with the same Gini gives 0.3). The draw is
    stratified: ranked holders get the mean of the Pareto over their stratum of
    quantiles, which keeps the Gini of a few hundred households within 1/n of the
    target. Households get their land in the order of ``rank`` (a draw per household:
    the smallest ranks are landless, the largest hold most).
    """
    n = len(rank)
    land = np.zeros(n)
    landless = min(landless_share, gini)
    if n == 0 or mean_ha <= 0:
        return land
    holders = max(n - int(round(landless * n)), 1)  # the node's land is held by someone
    g_h = (gini - landless) / (1.0 - landless) if landless < 1.0 else 0.0
    if g_h <= 0.0:
        stratum_mean = np.ones(holders)
    else:
        alpha = (1.0 + g_h) / (2.0 * g_h)
        tail = np.power(1.0 - np.arange(holders + 1) / holders, 1.0 - 1.0 / alpha)
        stratum_mean = tail[:-1] - tail[1:]  # proportional to the Pareto's mean over each stratum
    land[np.argsort(rank)[n - holders:]] = stratum_mean * mean_ha * n / stratum_mean.sum()
    return land


@dataclass
class InitialPopulation:
    """Household columns plus the node-level quantities the model starts from."""

    columns: dict[str, np.ndarray]
    wage: np.ndarray            # initial wage per worker by node (USD/yr)
    jobs: np.ndarray            # (n_nodes, n_sectors) initial wage jobs by node and sector
    area_ha: np.ndarray         # simulated area by node (ha): real area x simulated / real households
    forest_ha: np.ndarray       # simulated forest by node (ha)


def draw_population(territory: Territory, scale: float, rng: np.random.Generator, *,
                    landless_share: float = 0.25) -> InitialPopulation:
    """Draw households for every populated node.

    Parameters
    ----------
    territory : Territory
        The territory tables (real households, area in ha, marginals by node).
    scale : float
        Simulated households per real household (1 = full size).
    rng : numpy.random.Generator
        The model's population stream.
    landless_share : float
        Share of a node's households without land (the registry's ``landless_share``;
        at most the node's land Gini).

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
        land = land_holdings(float(t["land_gini"][i]), float(t["mean_farm_ha"][i]), landless_share, z_land)
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


REMEMBER_MOST = 80_000
"""Largest population (households) :func:`remembered_population` keeps a copy of (about 45 bytes a
household: 3.6 MB here; the example territory up to twice its size), so that a large single run
does not hold a second copy of its start (speed.py's 10^5 households are not remembered)."""
_LAST_DRAWN: dict[bytes, tuple[InitialPopulation, dict]] = {}
"""The last :func:`remembered_population`: its inputs' key, the population drawn and the
stream's state after the draw."""


def _draw_key(territory: Territory, scale: float, rng: np.random.Generator, landless_share: float) -> bytes:
    """Everything :func:`draw_population` reads: the territory's node count, kinds and every
    column of its table (names, dtypes, bytes), the scale and landless share (type and value),
    and the state of the generator's bit generator."""
    digest = hashlib.sha256()
    digest.update(repr((territory.n_nodes, [str(k) for k in territory.kinds], type(scale).__name__, repr(scale),
                        type(landless_share).__name__, repr(landless_share), rng.bit_generator.state)).encode())
    for name in sorted(territory.table):
        column = np.ascontiguousarray(territory.table[name])
        digest.update(repr((name, str(column.dtype), column.shape)).encode())
        digest.update(column.tobytes() if column.dtype != object else repr(column.tolist()).encode())
    return digest.digest()


def remembered_population(territory: Territory, scale: float, rng: np.random.Generator, *,
                          landless_share: float = 0.25) -> InitialPopulation:
    """:func:`draw_population`, remembered for the next call with the same inputs: a worker of
    an experiment draws the same population for every run of a seed (a Sobol design's runs
    share one seed; the draw is a few milliseconds of a run's 0.4 s). The inputs are keyed by
    content (:func:`_draw_key`: the territory's tables, the scale, the landless share and the
    generator's state), so a call with any different input draws anew. A remembered draw
    gives a copy of the population drawn (the start changes its arrays in place) and leaves
    the generator in the state the draw left it in: results are those of drawing again, to
    the bit. Populations above ``REMEMBER_MOST`` households are not remembered."""
    key = _draw_key(territory, scale, rng, landless_share)
    hit = _LAST_DRAWN.get(key)
    if hit is not None:
        init, after = hit
        rng.bit_generator.state = after
        return copy.deepcopy(init)
    init = draw_population(territory, scale, rng, landless_share=landless_share)
    _LAST_DRAWN.clear()
    if len(init.columns["node"]) <= REMEMBER_MOST:
        _LAST_DRAWN[key] = (copy.deepcopy(init), rng.bit_generator.state)
    return init
