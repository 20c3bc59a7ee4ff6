"""Households as columns: one row per household, rules as array operations.

Household state lives in numpy arrays held by :class:`HouseholdPopulation`, an object
the Mesa model owns. Row indices are stable for the whole run: households that die out
or leave the territory are marked not ``alive`` and keep their row; new households
(individual migrants inside the territory) are appended. ``population[i]`` returns a
:class:`HouseholdView` with named fields for teaching and debugging.
"""

from __future__ import annotations

import numpy as np

SPARE_ROWS = 0.25
"""When the columns are full, room for this share more rows is made (amortised appends; at
10^7 households each growth costs a quarter of the columns' memory, not half)."""

# column name -> (dtype, unit, meaning)
COLUMNS: dict[str, tuple[type, str, str]] = {
    "alive": (np.bool_, "-", "household lives in the territory"),
    "node": (np.int32, "-", "index of the home node"),
    "members": (np.int32, "persons", "household size"),
    "usual_size": (np.int32, "persons", "household size its births restore after deaths and departures (its size at the start or when it formed)"),
    "adults": (np.int32, "persons", "working-age adults"),
    "education": (np.float64, "years", "mean schooling of adults"),
    "schooling_gap": (np.float64, "years", "schooling the household's children reach above their node's cohort (its adults' at the start: schooling persists across generations)"),
    "land": (np.float64, "ha", "land held"),
    "land_quality_log": (np.float64, "1", "log of the effective hectares per hectare of the household's land, backed out at the start (0: quality 1, for households that did not farm at the start)"),
    "rented": (np.float64, "effective ha", "land rented in this year (negative: let)"),
    "assets": (np.float64, "USD", "other assets (savings), never below zero"),
    "tfp": (np.float64, "USD/yr", "farm total factor productivity"),
    "price_share": (np.float64, "1", "share of the farm-gate price the household receives"),
    "employed": (np.int32, "persons", "adults in wage jobs this year"),
    "farm_income": (np.float64, "USD/yr", "farm sales"),
    "wage_income": (np.float64, "USD/yr", "wages net of commuting cost"),
    "enterprise_income": (np.float64, "USD/yr", "income of the household's non-farm enterprise, net of its capital's wear"),
    "enterprise_sales": (np.float64, "USD/yr", "output of the household's non-farm enterprise sold in its node at the starting local price (0: none)"),
    "enterprise_outside": (np.float64, "USD/yr", "output of the household's non-farm enterprise sold outside the territory"),
    "enterprise_capital": (np.float64, "USD", "capital of the household's non-farm enterprise"),
    "enterprise_scale": (np.float64, "USD/yr", "local sales of the household's non-farm enterprise at the starting local price with no adult in it"),
    "transfer_income": (np.float64, "USD/yr", "public transfers (cash transfers, payments for ecosystem services)"),
    "remittance_income": (np.float64, "USD/yr", "remittances received minus sent"),
    "other_income": (np.float64, "USD/yr", "dividends and local public spending received"),
    "income": (np.float64, "USD/yr", "total household income"),
    "consumption": (np.float64, "USD/yr", "consumption spending"),
    "migrants_abroad": (np.int32, "persons", "former members living outside the territory"),
    "remits_to": (np.int32, "-", "row of the origin household this migrant household remits to, or -1"),
    "loan_balance": (np.float64, "USD", "outstanding programme loan"),
    "loan_payment": (np.float64, "USD/yr", "scheduled yearly loan payment"),
    "loan_policy": (np.int32, "-", "index of the policy that lent to the household, or -1"),
    "programmes": (np.int64, "-", "bit mask of policies (by index) that ever reached the household"),
    "assistance_gain": (np.float64, "1", "proportional farm productivity gain from practices adopted with technical assistance (decays when not assisted)"),
    "adoption_cost": (np.float64, "USD/yr", "household's yearly cost of applying assisted practices (drawn when first assisted; 0 before)"),
    "child_time_value": (np.float64, "USD/child/yr", "value of a child's time out of school to the household (drawn when first offered a conditional transfer; 0 before)"),
    "child_schooling": (np.float64, "years", "extra schooling of the household's children from attendance a conditional transfer bought; added to those who reach working age"),
}


class HouseholdView:
    """Named read/write access to one household's row."""

    __slots__ = ("_population", "_row")

    def __init__(self, population: "HouseholdPopulation", row: int) -> None:
        object.__setattr__(self, "_population", population)
        object.__setattr__(self, "_row", row)

    def __getattr__(self, name: str):
        if name not in COLUMNS:
            raise AttributeError(name)
        return getattr(self._population, name)[self._row].item()

    def __setattr__(self, name: str, value) -> None:
        if name not in COLUMNS:
            raise AttributeError(name)
        getattr(self._population, name)[self._row] = value

    @property
    def income_pc(self) -> float:
        return self.income / self.members if self.members else 0.0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in COLUMNS}

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                           for k, v in self.as_dict().items())
        return f"Household({self._row}: {fields})"


class HouseholdPopulation:
    """Column store of all households.

    Attributes are numpy arrays of length ``n`` (rows in use); storage grows as needed.
    """

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        n = len(columns["node"])
        if "usual_size" not in columns and "members" in columns:
            columns = {**columns, "usual_size": columns["members"]}
        self._capacity = max(16, int(n * 1.25))
        self._n = n
        self._store: dict[str, np.ndarray] = {}
        for name, (dtype, _, _) in COLUMNS.items():
            arr = np.zeros(self._capacity, dtype=dtype)
            if name in ("remits_to", "loan_policy"):
                arr[:] = -1
            if name in columns:
                arr[:n] = columns[name]
            self._store[name] = arr

    def __getattr__(self, name: str) -> np.ndarray:
        store = self.__dict__.get("_store")
        if store is not None and name in store:
            view = store[name][: self._n]
            self.__dict__[name] = view  # found without this call until the rows change (``append``)
            return view
        raise AttributeError(name)

    def __getstate__(self) -> dict:
        """The state without the columns' views (a copy makes its own from its copied store)."""
        return {k: v for k, v in self.__dict__.items() if k not in COLUMNS}

    def __setattr__(self, name: str, value) -> None:
        if name in COLUMNS:
            self._store[name][: self._n] = value
        else:
            object.__setattr__(self, name, value)

    @property
    def n(self) -> int:
        """Rows in use (alive or not)."""
        return self._n

    def __len__(self) -> int:
        """Number of households alive."""
        return int(self.alive.sum())

    def __getitem__(self, row: int) -> HouseholdView:
        if not -self._n <= row < self._n:
            raise IndexError(row)
        return HouseholdView(self, row % self._n)

    def append(self, columns: dict[str, np.ndarray]) -> np.ndarray:
        """Add households; columns not given are zero (``remits_to`` -1; ``usual_size`` their
        ``members``). Returns their rows."""
        k = len(columns["node"])
        if "usual_size" not in columns and "members" in columns:
            columns = {**columns, "usual_size": columns["members"]}
        if self._n + k > self._capacity:
            new_cap = max(int(self._capacity * (1.0 + SPARE_ROWS)), self._n + k)
            for name, arr in self._store.items():
                grown = np.zeros(new_cap, dtype=arr.dtype)
                if name in ("remits_to", "loan_policy"):
                    grown[:] = -1
                grown[: self._n] = arr[: self._n]
                self._store[name] = grown
            self._capacity = new_cap
        rows = np.arange(self._n, self._n + k)
        for name, arr in self._store.items():
            if name in columns:
                arr[rows] = columns[name]
            self.__dict__.pop(name, None)  # the views of the rows before
        self._n += k
        return rows

    def nbytes(self) -> int:
        """Memory held by the columns (bytes)."""
        return sum(arr.nbytes for arr in self._store.values())


ASSET_UNIT = 1000.0
"""Household assets (USD) enter farming as (1 + assets / ASSET_UNIT)^c: a unit of scale, not a
behavioural parameter (the elasticity c is ``farm_asset_elasticity``)."""


def asset_factor(assets, asset_el) -> np.ndarray:
    """(1 + assets / ASSET_UNIT)^c: the assets' factor in :func:`farm_output`."""
    return np.power(1.0 + assets / ASSET_UNIT, asset_el)


def farm_output(tfp, land, labour, assets, nature_factor, land_el, labour_el, asset_el,
                assets_factor=None) -> np.ndarray:
    """Farm output (USD/yr at full price): TFP land^a labour^b (1 + assets/ASSET_UNIT)^c f(K);
    ``assets_factor``, if given, is :func:`asset_factor` of ``assets`` computed before."""
    factor = asset_factor(assets, asset_el) if assets_factor is None else assets_factor
    return tfp * np.power(land, land_el) * np.power(np.maximum(labour, 0), labour_el) * factor * nature_factor


def farming_households(model, node: np.ndarray, land: np.ndarray) -> np.ndarray:
    """Which households (at ``node``, holding ``land`` ha) farm: all of a rural
    municipality's (on their land, or as on a garden plot when they hold less), and a city's
    that hold at least ``garden_plot_ha``."""
    return (np.asarray(model.territory.kinds)[node] != "city") | (land >= model.params.garden_plot_ha)


RECORDED_COLUMNS = ("alive", "node", "members", "income", "land", "assets", "employed", "programmes")
"""Household columns written to ``households.csv`` when a scenario sets ``record_households``."""


def household_record(population: HouseholdPopulation, year: int) -> dict[str, np.ndarray]:
    """A copy of every household row's recorded columns in ``year``."""
    record = {"year": np.full(population.n, year), "row": np.arange(population.n)}
    record.update({name: getattr(population, name).copy() for name in RECORDED_COLUMNS})
    return record
