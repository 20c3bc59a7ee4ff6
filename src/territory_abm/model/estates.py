"""Commercial estates: the largest holdings, farmed as firms that hire wage labour.

A household holding at least ``estate_min_ha`` in a node whose tables report commercial
agriculture jobs does not farm its land as a peasant farm: the land is an estate, a row of
the firm table (sector ``commercial_agriculture``, selling to dynamic markets at the farm
gate) that posts vacancies and hires through the labour market like every firm. Its output
is A T^g K^alpha L^beta, land T with elasticity g (``estate_land_elasticity``) beside the
firms' capital and labour elasticities, so the firm table's TFP of an estate is
``productivity`` x E^g, E the effective hectares it farms (:mod:`.land_market`), and changes
only when they do. The owner household receives
the estate's whole profit after tax a year later, in the next year's budgets, so that it is
spent and saved like any income (booked firms -> households "estate profits"; an owner who
has left the territory or died out is absent: the profit leaves, firms -> rest_of_world
"estate profits abroad"); estates do not close after losses (the land stays in commercial
use, losses come out of the estate's cash, and later profits make them good first).

The start (:func:`select` before the starting jobs, :func:`plan_start` after them) shares each
node's commercial agriculture jobs among its estates in proportion to their land and backs
out each estate's capital so that its profit after tax is its owner's income beyond wages,
public income, dividends and remittances (capped at the profit of an estate at its capital
floor), which the estate holds in cash at the start (last year's profit); the firm
phase then finds the TFP at which the estate wants exactly its workers' skill units at the
starting wage per skill unit (``start.firms``): an estate, like every firm, hires and pays per
skill unit (``labour``, its ``workers`` at the node's mean starting worker skill). The owners' own incomes, the tables' jobs by sector and the land
distribution thus hold at the start, and the estates' labour demand keeps their jobs.

Land held in estates is not in ``households.land`` (the land a household farms itself);
:func:`owned_land` adds it back wherever land owned is meant (the land Gini, redistribution).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .exact import nan_to_num

MIN_ESTATE_JOBS = 0.5
"""A node's estates need at least this many commercial agriculture jobs (persons) in the
tables' draw; where there are fewer, the largest holdings stay peasant farms."""
CAPITAL_FLOOR_SHARE = 0.05
"""Least capital of an estate at the start, as a share of the capital an ordinary firm of its
jobs holds (an estate's profit cannot exceed what its jobs earn at that capital; the owner's
income beyond it is non-farm income)."""


@dataclass
class Estates:
    """The estates of a run, one entry per estate (arrays of equal length)."""

    owner: np.ndarray         # household row of the owner (int)
    node: np.ndarray          # node of the estate (int)
    land: np.ndarray          # land (ha)
    workers: np.ndarray       # workers at the start (persons)
    labour: np.ndarray        # their skill units at the start (``workers`` x the node's ``worker_skill``)
    profit: np.ndarray        # profit before tax at the start (USD/yr)
    capital: np.ndarray       # capital at the start (USD)
    firm_row: np.ndarray      # row of the estate in the firm table (int; -1 before the firms exist)
    productivity: np.ndarray  # A in TFP = A E^g, E the effective hectares farmed
    quality: np.ndarray       # effective hectares per hectare (``land_market``)
    farmed: np.ndarray        # effective hectares farmed this year
    let: np.ndarray           # effective hectares let this year

    @property
    def n(self) -> int:
        return len(self.owner)


def select(params, node: np.ndarray, land: np.ndarray, jobs: np.ndarray) -> Estates:
    """The estates of the starting draw: the holdings of at least ``estate_min_ha`` (ha) in
    nodes whose commercial agriculture ``jobs`` (persons, by node) reach ``MIN_ESTATE_JOBS``."""
    owner = np.flatnonzero((land >= params.estate_min_ha) & (jobs[node] >= MIN_ESTATE_JOBS))
    k = owner.size
    return Estates(owner=owner, node=node[owner].astype(np.int64), land=land[owner].astype(float),
                   workers=np.zeros(k), labour=np.zeros(k), profit=np.zeros(k), capital=np.zeros(k),
                   firm_row=np.full(k, -1, np.int64), productivity=np.zeros(k), quality=np.ones(k),
                   farmed=land[owner].astype(float), let=np.zeros(k))


def share_jobs(estates: Estates, jobs: np.ndarray, worker_skill: np.ndarray) -> None:
    """Each node's commercial agriculture ``jobs`` (persons) shared among its estates in
    proportion to their land (sets ``estates.workers``), and their skill units at the node's
    mean ``worker_skill`` (sets ``estates.labour``: estates hire and pay per skill unit as
    every firm does)."""
    total = np.bincount(estates.node, estates.land, minlength=len(jobs))
    with np.errstate(invalid="ignore", divide="ignore"):
        estates.workers = nan_to_num(jobs[estates.node] * estates.land / total[estates.node])
    estates.labour = estates.workers * worker_skill[estates.node]


def jobs_by_node(estates: Estates, n_nodes: int) -> np.ndarray:
    """Starting estate jobs by node (persons)."""
    return np.bincount(estates.node, estates.workers, minlength=n_nodes)


def plan_profits(params, estates: Estates, wage: np.ndarray, owner_residual: np.ndarray,
                 ordinary_capital_per_worker: np.ndarray) -> None:
    """Each estate's starting profit and capital (sets ``estates.profit`` and ``capital``).

    At its optimum an estate's revenue is w L / beta (w the ``wage`` per skill unit by node, L
    its skill units), so its profit is w L (1/beta - 1) - delta K. The profit before tax is the
    owner's ``owner_residual`` (USD/yr) over 1 - tax, within [0, w L (1/beta - 1) - delta K_min],
    K_min the capital floor (``CAPITAL_FLOOR_SHARE`` of an ordinary firm's at
    ``ordinary_capital_per_worker``, USD per skill unit by node); the capital is what leaves
    that profit."""
    p = params
    w, lab = wage[estates.node], estates.labour
    floor = CAPITAL_FLOOR_SHARE * ordinary_capital_per_worker[estates.node] * lab
    gross = w * lab * (1.0 / p.firm_labour_elasticity - 1.0)
    wanted = np.maximum(owner_residual, 0.0) / (1.0 - p.firm_tax_rate)
    estates.profit = np.clip(wanted, 0.0, np.maximum(gross - p.depreciation_rate * floor, 0.0))
    estates.capital = np.maximum((gross - estates.profit) / p.depreciation_rate, floor)


def owner_income(params, estates: Estates, n_households: int) -> np.ndarray:
    """Each household's starting income from its estates after tax (USD/yr)."""
    return np.bincount(estates.owner, (1.0 - params.firm_tax_rate) * estates.profit, minlength=n_households)


def starting_taxes(params, estates: Estates, n_nodes: int) -> np.ndarray:
    """Taxes the estates pay on their starting profit, by node (USD/yr)."""
    return np.bincount(estates.node, params.firm_tax_rate * estates.profit, minlength=n_nodes)


def owners(model) -> np.ndarray:
    """Whether each household row owns an estate."""
    mask = np.zeros(model.households.n, bool)
    mask[model.estates.owner] = True
    return mask


def firm_rows(model) -> np.ndarray:
    """Whether each firm-table row is an estate."""
    mask = np.zeros(model.firm_table.n, bool)
    rows = model.estates.firm_row
    mask[rows[rows >= 0]] = True
    return mask


def owned_land(model) -> np.ndarray:
    """Land each household owns (ha): the land it farms and its estates'."""
    hh, e = model.households, model.estates
    return hh.land + np.bincount(e.owner, e.land, minlength=hh.n)


def land_by_node(model) -> np.ndarray:
    """Land in estates by node (ha)."""
    return np.bincount(model.estates.node, model.estates.land, minlength=model.n_nodes)


def pay_owners(model) -> tuple[np.ndarray, np.ndarray, float | None]:
    """Each estate pays its owner what it holds in cash (last year's profit after tax, once
    earlier losses are made good), which the owner spends and saves as any income
    (``budget_kernels.rents_and_profits`` adds it to ``other_income``); an absent owner's
    share leaves the territory. Returns the owners' rows, what each estate pays its owner
    present (USD/yr) and what leaves (USD/yr; None where there are no estates)."""
    e, hh, ft = model.estates, model.households, model.firm_table
    if e.n == 0:
        return e.owner, np.zeros(0), None
    paid = np.maximum(ft.cash[e.firm_row], 0.0)
    ft.cash[e.firm_row] -= paid
    present = hh.alive[e.owner]
    return e.owner, paid * present, (paid * ~present).sum()


def take_share(model, rows: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
    """Take ``share`` of the land households ``rows`` own, from the land they farm and from
    their estates (whose farmed land falls in proportion, and TFP as land^g); returns the
    hectares and the effective hectares (``land_market``) taken from each row. A household
    farms at least its garden plot (``land_market.own_effective_land``), so the effective
    hectares taken from its farm are what it loses above that: none from a holding below the
    garden plot (a house plot in a city), whose hectares would otherwise be handed on as
    effective land it still farms."""
    hh, e, ft = model.households, model.estates, model.firm_table
    garden = model.params.garden_plot_ha
    taken = share * hh.land[rows]
    left = hh.land[rows] - taken
    farmed_less = np.where(left >= garden, taken, np.maximum(hh.land[rows], garden) - np.maximum(left, garden))
    effective = farmed_less * np.exp(hh.land_quality_log[rows])
    hh.land[rows] -= taken
    hit = np.flatnonzero(np.isin(e.owner, rows))
    if hit.size:
        cut = share * e.land[hit]
        e.land[hit] -= cut
        e.farmed[hit] *= 1.0 - share
        ft.tfp[e.firm_row[hit]] = e.productivity[hit] * np.power(e.farmed[hit], model.params.estate_land_elasticity)
        taken += np.bincount(e.owner[hit], cut, minlength=hh.n)[rows]
        effective += np.bincount(e.owner[hit], cut * e.quality[hit], minlength=hh.n)[rows]
    return taken, effective
