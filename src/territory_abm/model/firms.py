"""Firms: rows of a column table, and the firm phase of the year.

Firm state lives in a :class:`FirmTable` (one row per firm that ever existed), so that the
yearly rules run as array operations over all firms; ``model.firm_table[row]`` gives one
firm as a view with named fields. Rows are never reused: exited firms keep their row with
``alive`` False. (Firms were once also Mesa agents that nothing called; they are not.)

Firms pay per skill unit (issue 13 item 1): ``wage`` is the wage per skill unit (USD/yr;
a worker of skill s, ``labour.skill``, earns s times it), ``labour`` and ``vacancies`` are
in skill units (the labour input of production) and ``workers`` counts the persons who
supply them. A wage bill is ``wage * labour``.

The yearly phase (:func:`accounts`): firms produce, sell to local buyers (the local goods
market clears against household spending) or to dynamic markets at the farm-gate price,
pay wages, taxes and dividends, adjust wages toward excess demand, exit after sustained
losses (:func:`exit_losers`) and enter where an entrant would earn more than the required
return (:func:`enter`).
"""

from __future__ import annotations

import numpy as np

from ..data.territory import SECTORS, TRADABLE_SECTORS
from . import context, enterprises, estates
from .exact import nan_to_num
from .kernels import WAGE_FLOOR, bincount, pay_dividends
from .markets import MAX_LOCAL_PRICE, clear_local_goods
from .public import node_road_quality

TRADABLE = np.array([s in TRADABLE_SECTORS for s in SECTORS])
"""Whether each sector (in ``SECTORS`` order) sells to dynamic markets."""
MAX_ENTRANT_SIZE = 20
"""An entrant hires at most this many times ``workers_per_firm`` (persons)."""
MAX_ENTRY_RATE = 5.0
"""Cap on the expected entrants per 1,000 households of a node, per sector and year (per
households, not per node, so that it binds alike at every ``households_scale``; about the
former cap of 50 per node in the largest city of the example at full scale)."""
ENTRY_PROFIT_SCALE = 0.1
"""Excess profit rate (1/yr) at which entry runs at ``firm_entry_rate`` per 1,000 households."""
ENTRANT_TFP_SD = 0.2
"""Standard deviation of an entrant's log TFP around the typical entrant's."""

FIRM_COLUMNS: dict[str, type] = {
    "alive": np.bool_, "node": np.int32, "sector": np.int8, "dynamic": np.bool_,
    "tfp": np.float64, "capital": np.float64, "wage": np.float64, "vacancies": np.float64,
    "labour": np.float64, "workers": np.float64, "output": np.float64, "revenue": np.float64, "profit": np.float64,
    "cash": np.float64, "loss_years": np.int32, "entry_year": np.int32,
}


class FirmTable:
    """Columns of firm state (see ``FIRM_COLUMNS``); grows as firms enter."""

    def __init__(self, capacity: int = 64) -> None:
        self._n = 0
        self._store = {k: np.zeros(max(capacity, 16), dtype=t) for k, t in FIRM_COLUMNS.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        store = self.__dict__.get("_store")
        if store is not None and name in store:
            view = store[name][: self._n]
            self.__dict__[name] = view  # found without this call until the rows change (``append``)
            return view
        raise AttributeError(name)

    def __getstate__(self) -> dict:
        """The state without the columns' views (a copy makes its own from its copied store)."""
        return {k: v for k, v in self.__dict__.items() if k not in FIRM_COLUMNS}

    def __setattr__(self, name, value):
        if name in FIRM_COLUMNS:
            self._store[name][: self._n] = value
        else:
            object.__setattr__(self, name, value)

    @property
    def n(self) -> int:
        return self._n

    def __len__(self) -> int:
        """Rows in use (firms that exited included: ``alive`` says which), as iteration visits."""
        return self._n

    def __getitem__(self, row: int) -> FirmView:
        if not -self._n <= row < self._n:
            raise IndexError(row)
        return FirmView(self, row % self._n)

    def append(self, columns: dict[str, np.ndarray]) -> np.ndarray:
        k = len(columns["node"])
        cap = len(self._store["node"])
        if self._n + k > cap:
            new_cap = max(int(cap * 1.5), self._n + k)
            for name, arr in self._store.items():
                grown = np.zeros(new_cap, dtype=arr.dtype)
                grown[: self._n] = arr[: self._n]
                self._store[name] = grown
        rows = np.arange(self._n, self._n + k)
        for name, arr in self._store.items():
            if name in columns:
                arr[rows] = columns[name]
            self.__dict__.pop(name, None)  # the views of the rows before
        self._n += k
        return rows


class FirmView:
    """Named read access to one firm's row (for teaching and debugging)."""

    __slots__ = ("_table", "_row")

    def __init__(self, table: "FirmTable", row: int) -> None:
        self._table, self._row = table, row

    def __getattr__(self, name: str):
        if name not in FIRM_COLUMNS:
            raise AttributeError(name)
        value = getattr(self._table, name)[self._row].item()
        return SECTORS[value] if name == "sector" else value

    def __repr__(self) -> str:
        return (f"Firm({self._row}: {self.sector} at node {self.node}, "
                f"{'dynamic' if self.dynamic else 'local'} market, labour={self.labour:.1f} skill units "
                f"({self.workers:.1f} workers), wage={self.wage:.0f} per skill unit, profit={self.profit:.0f}, alive={self.alive})")


def desired_labour(tfp, capital, price, wage, labour_el, capital_el) -> np.ndarray:
    """Labour (skill units) where its marginal product equals the wage per skill unit.

    Output Y = A K^alpha L^beta with beta < 1, so L* = (beta p A K^alpha / w)^(1/(1-beta)).
    """
    return np.power(labour_el * price * tfp * np.power(capital, capital_el) / np.maximum(wage, WAGE_FLOOR),
                    1.0 / (1.0 - labour_el))


def firm_output(tfp, capital, labour, labour_el, capital_el) -> np.ndarray:
    """Output (USD/yr at price 1): A K^alpha L^beta."""
    return tfp * np.power(capital, capital_el) * np.power(np.maximum(labour, 0.0), labour_el)


def tfp_for_labour(labour, capital, price, wage, labour_el, capital_el) -> np.ndarray:
    """TFP at which a firm with ``capital`` demands ``labour`` (skill units) at ``wage`` (per skill
    unit) and ``price``."""
    return wage * np.power(labour, 1.0 - labour_el) / (labour_el * price * np.power(capital, capital_el))


def capital_per_worker(params, wage):
    """Capital per unit of labour (USD per skill unit) at which a firm paying ``wage`` (USD/yr
    per skill unit) earns the required return.

    At the optimum revenue is w L / beta, so profit per unit is w (1/beta - 1) - delta k;
    setting it to r k gives k = w (1/beta - 1) / (r + delta)."""
    p = params
    return wage * (1.0 / p.firm_labour_elasticity - 1.0) / (p.required_return + p.depreciation_rate)


def add_firms(model, columns: dict[str, np.ndarray]) -> None:
    """Append firms (columns as in ``FIRM_COLUMNS``), alive and entering this year."""
    columns = dict(columns)
    columns["alive"] = np.ones(len(columns["node"]), bool)
    columns["entry_year"] = np.full(len(columns["node"]), model.year)
    model.firm_table.append(columns)


def firm_prices(model) -> np.ndarray:
    """Expected output price of each firm: farm-gate-style price for dynamic-market
    sellers, the expected local price for local sellers."""
    ft = model.firm_table
    return np.where(ft.dynamic, model.farm_gate[ft.node], model.expected_local_price[ft.node])


def accounts(model) -> None:
    """Production, sales, profit, taxes, dividends, wages, exit and entry."""
    p, ft, hh, n = model.params, model.firm_table, model.households, model.n_nodes
    alive = ft.alive
    output = firm_output(ft.tfp, ft.capital, ft.labour, p.firm_labour_elasticity, p.firm_capital_elasticity) * alive
    ft.output = output
    local = alive & ~ft.dynamic
    supply = np.bincount(ft.node, output * local, minlength=n)
    price, absorbed = clear_local_goods(model.flows.local_demand, supply + enterprises.supply(model), MAX_LOCAL_PRICE)
    enterprise_sales = enterprises.settle(model, price)
    model.local_price = np.where(np.isnan(price), model.local_price, price)
    model.expected_local_price += p.expectation_adjustment * (model.local_price - model.expected_local_price)
    enterprises.turnover(model)
    model.ledger.record("households", "firms", "local sales", absorbed.sum() - enterprise_sales)
    model.ledger.record("households", "households", "enterprise sales", enterprise_sales)
    model.ledger.record("households", "rest_of_world", "imported consumption",
                        (model.flows.local_demand - absorbed).sum())
    revenue = np.where(ft.dynamic, output * model.farm_gate[ft.node], output * nan_to_num(price)[ft.node]) * alive
    model.ledger.record("rest_of_world", "firms", "dynamic-market sales", (revenue * ft.dynamic).sum())
    wages = ft.wage * ft.labour * alive
    depreciation = p.depreciation_rate * ft.capital * alive
    profit = revenue - wages - depreciation
    tax = p.firm_tax_rate * np.maximum(profit, 0.0)
    estate = estates.firm_rows(model)  # estates keep their profit for their owners (``estates.pay_owners``)
    dividends = p.dividend_payout * np.maximum(profit - tax, 0.0) * ~estate
    ft.revenue, ft.profit = revenue, profit
    ft.cash = ft.cash + profit - tax - dividends
    ft.loss_years = np.where(profit < 0, ft.loss_years + 1, 0) * alive * ~estate  # estates do not close
    model.ledger.record("firms", "rest_of_world", "depreciation", depreciation.sum())
    taxes = np.bincount(ft.node, tax, minlength=n)
    model.last_taxes = taxes
    for m in model.active_municipalities():
        m.treasury += taxes[m.node]
    model.ledger.record("firms", "municipalities", "taxes", taxes.sum())
    local_div = np.bincount(ft.node, dividends * p.local_ownership_share, minlength=n)
    model.ledger.record("firms", "rest_of_world", "dividends abroad", dividends.sum() - local_div.sum())
    paid_local = pay_dividends(local_dividends=local_div, assets=hh.assets, other_income=hh.other_income,
                               income=hh.income, alive=hh.alive, node=hh.node)
    model.ledger.record("firms", "households", "dividends", paid_local.sum())
    model.ledger.record("firms", "rest_of_world", "dividends abroad", (local_div - paid_local).sum())
    model.flows.firm_taxes = taxes
    # wages move toward excess demand, and with national growth as far as it passes through
    ft.wage = np.maximum(ft.wage * (1.0 + model.flows.wage_change[ft.node]) * (1.0 + context.wage_drift(model)),
                         context.minimum_wage(model))
    # and the producers' productivity as far as it passes through (``context.pass_on_productivity``)
    context.pass_on_productivity(model)
    exit_losers(model)
    enter(model)


def exit_losers(model) -> None:
    """Firms with ``firm_exit_loss_years`` losses in a row close; their cash leaves."""
    ft = model.firm_table
    leaving = np.flatnonzero(ft.alive & (ft.loss_years >= model.params.firm_exit_loss_years))
    if leaving.size == 0:
        return
    model.ledger.record("firms", "rest_of_world", "cash of exiting firms", ft.cash[leaving].sum())
    ft.cash[leaving] = 0.0
    ft.alive[leaving] = False
    ft.labour[leaving] = 0.0
    ft.workers[leaving] = 0.0
    model.flows.firm_exits = np.bincount(ft.node[leaving], minlength=model.n_nodes)


def enter(model) -> None:
    """Poisson entry per node and sector at a rate per 1,000 households rising with an
    entrant's profit rate, road and service quality, and schooling (so entrants, like the
    starting firms, scale with the simulated households). An entrant pays its node's mean
    wage per skill unit and brings the capital for ``workers_per_firm`` workers of the node's
    mean starting skill (``model.worker_skill``), the size of a starting firm."""
    p, ft, n = model.params, model.firm_table, model.n_nodes
    alive = ft.alive
    labour_sum = np.bincount(ft.node, ft.labour * alive, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        wage = np.bincount(ft.node, ft.wage * ft.labour * alive, minlength=n) / labour_sum
    wage = np.where(np.isfinite(wage) & (wage > 0), wage, np.maximum(model.initial_wage, context.minimum_wage(model)))
    size = p.workers_per_firm * model.worker_skill  # skill units of a starting firm, by node
    capital = (capital_per_worker(p, wage) * size)[:, None]
    prices = np.where(TRADABLE[None, :], model.farm_gate[:, None], model.expected_local_price[:, None])
    tfp = model.entrant_tfp
    labour = desired_labour(tfp, capital, prices, wage[:, None], p.firm_labour_elasticity, p.firm_capital_elasticity)
    labour = np.minimum(labour, MAX_ENTRANT_SIZE * size[:, None])
    profit = prices * firm_output(tfp, capital, labour, p.firm_labour_elasticity, p.firm_capital_elasticity) \
        - wage[:, None] * labour - p.depreciation_rate * capital
    rate = profit / capital - p.required_return
    hh = model.households
    households = bincount(hh.node, hh.alive, minlength=n)
    road = node_road_quality(model)
    services = np.array([m.service_quality if m else 0.0 for m in model.municipalities])
    educ = model.node_stats.get("mean_education", np.full(n, model.mean_education))
    attract = np.exp(p.entry_infrastructure_weight * (road + services - 1.0)
                     + p.entry_skill_weight * (nan_to_num(educ, nan=model.mean_education) - model.mean_education))
    per_thousand = p.firm_entry_rate * np.maximum(rate, 0.0) / ENTRY_PROFIT_SCALE * attract[:, None]
    lam = np.minimum(per_thousand, MAX_ENTRY_RATE) * (households / 1000.0)[:, None]
    lam[~model.populated] = 0.0
    rng = model.streams["firms"]
    entrants = rng.poisson(lam)
    if entrants.sum() == 0:
        return
    nodes, sectors = np.nonzero(entrants)
    counts = entrants[nodes, sectors]
    nodes, sectors = np.repeat(nodes, counts), np.repeat(sectors, counts)
    k = len(nodes)
    dyn_share = nan_to_num(model.territory.table["dynamic_market_share"])[nodes]
    add_firms(model, {
        "node": nodes, "sector": sectors,
        "dynamic": TRADABLE[sectors] & (rng.random(k) < dyn_share),
        "tfp": model.entrant_tfp[nodes, sectors] * np.exp(rng.normal(0.0, ENTRANT_TFP_SD, k)),
        "capital": capital[nodes, 0], "wage": wage[nodes],
    })
    model.flows.firm_entries = np.bincount(nodes, minlength=n)
