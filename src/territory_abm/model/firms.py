"""Firms: Mesa agents whose state is kept in columns for speed.

Every firm is a :class:`Firm` Mesa agent registered with the model (so Mesa's AgentSet
tools work on firms); its fields live in a :class:`FirmTable` row, so that the yearly
rules run as array operations over all firms. Rows are never reused: exited firms keep
their row with ``alive`` False and their agent removed from the model.
"""

from __future__ import annotations

import mesa
import numpy as np

from ..data.territory import SECTORS

FIRM_COLUMNS: dict[str, type] = {
    "alive": np.bool_, "node": np.int32, "sector": np.int8, "dynamic": np.bool_,
    "tfp": np.float64, "capital": np.float64, "wage": np.float64, "vacancies": np.float64,
    "labour": np.float64, "output": np.float64, "revenue": np.float64, "profit": np.float64,
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
            return store[name][: self._n]
        raise AttributeError(name)

    def __setattr__(self, name, value):
        if name in FIRM_COLUMNS:
            self._store[name][: self._n] = value
        else:
            object.__setattr__(self, name, value)

    @property
    def n(self) -> int:
        return self._n

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
        self._n += k
        return rows


class Firm(mesa.Agent):
    """A firm: a Mesa agent whose fields are read from and written to its table row."""

    def __init__(self, model: mesa.Model, row: int) -> None:
        super().__init__(model)
        self.row = row

    def _get(self, name):
        return getattr(self.model.firm_table, name)[self.row].item()

    node = property(lambda self: self._get("node"))
    dynamic = property(lambda self: self._get("dynamic"))
    wage = property(lambda self: self._get("wage"))
    labour = property(lambda self: self._get("labour"))
    output = property(lambda self: self._get("output"))
    profit = property(lambda self: self._get("profit"))
    cash = property(lambda self: self._get("cash"))
    capital = property(lambda self: self._get("capital"))

    @property
    def sector(self) -> str:
        return SECTORS[self._get("sector")]

    def __repr__(self) -> str:
        return (f"Firm({self.unique_id}: {self.sector} at node {self.node}, "
                f"{'dynamic' if self.dynamic else 'local'} market, labour={self.labour:.1f}, "
                f"wage={self.wage:.0f}, profit={self.profit:.0f})")


def desired_labour(tfp, capital, price, wage, labour_el, capital_el) -> np.ndarray:
    """Workers where the marginal product of labour equals the wage.

    Output Y = A K^alpha L^beta with beta < 1, so L* = (beta p A K^alpha / w)^(1/(1-beta)).
    """
    return np.power(labour_el * price * tfp * np.power(capital, capital_el) / np.maximum(wage, 1e-9),
                    1.0 / (1.0 - labour_el))


def firm_output(tfp, capital, labour, labour_el, capital_el) -> np.ndarray:
    """Output (USD/yr at price 1): A K^alpha L^beta."""
    return tfp * np.power(capital, capital_el) * np.power(np.maximum(labour, 0.0), labour_el)


def tfp_for_labour(labour, capital, price, wage, labour_el, capital_el) -> np.ndarray:
    """TFP at which a firm with ``capital`` demands ``labour`` workers at ``wage`` and ``price``."""
    return wage * np.power(labour, 1.0 - labour_el) / (labour_el * price * np.power(capital, capital_el))
