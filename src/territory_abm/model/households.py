"""Households as columns: one row per household, rules as array operations.

Household state lives in numpy arrays held by :class:`HouseholdPopulation`, an object
the Mesa model owns. A household has an ``id``, the number it got when it was made (the
starting households 0, 1, ... in the draw's order, then each new household the next
number), and a row, its place in the columns. Households that die out or leave the
territory are marked not ``alive``; new households (adult children, migrants settling
inside the territory) are appended. Rows hold the households in ``id`` order, and a row is
the household's ``id`` until the columns are compacted: at the start of a year in which
more than ``COMPACT_DEAD_SHARE`` of the rows are households no longer alive,
:func:`compact_rows` drops those rows (keeping the order of the others), so that a year's passes
walk the households that live rather than every one ever made. Rows therefore hold
only within a year; whatever must name a household across years names its ``id`` (the
``row`` of ``households.csv`` is the ``id``). Compaction changes no result, to the bit:
random draws of one number per household are drawn for every ``id`` ever made and picked
by ``id`` (:meth:`HouseholdPopulation.draw`, :meth:`HouseholdPopulation.uniforms`), sums that numpy takes pairwise over every
row are taken as if the dropped rows were still there with 0 (:meth:`HouseholdPopulation.total`),
ties between households name ids (``remits_to``), and rows whose data a later year still
reads (an estate's owner, a household a programme reached) are kept. ``population[i]`` returns a :class:`HouseholdView` of row ``i`` with named fields for teaching and debugging.
"""

from __future__ import annotations

import numpy as np

from .exact import pairwise_sum_at
from .overhead_kernels import keep_rows
from .pcg64 import uniforms

COMPACT_DEAD_SHARE = 0.15
"""Rows are compacted at the start of a year when more than this share of them could be
dropped (households no longer alive that nothing refers to): in the Sobol design's runs
about a third of the rows are such households by the end, and each year costs about the
same per row, alive or not. Compacting copies every column once, so a small share is not
worth it."""
SPARE_ROWS = 0.25
"""When the columns are full, room for this share more rows is made (amortised appends; at
10^7 households each growth costs a quarter of the columns' memory, not half)."""

# column name -> (dtype, unit, meaning)
COLUMNS: dict[str, tuple[type, str, str]] = {
    "id": (np.int64, "-", "number of the household, in the order households were made (its row until rows are compacted)"),
    "alive": (np.bool_, "-", "household lives in the territory"),
    "node": (np.int32, "-", "index of the home node"),
    "members": (np.int32, "persons", "household size"),
    "usual_size": (np.int32, "persons", "household size its births restore after deaths and departures (its size at the start or when it formed)"),
    "adults": (np.int32, "persons", "working-age adults"),
    "education": (np.float64, "years", "mean schooling of adults"),
    "schooling_gap": (np.float64, "years", "schooling the household's children reach above their node's cohort (its adults' at the start: schooling persists across generations)"),
    "skill_residual": (np.float64, "1", "log of the wage premium of the household's workers beyond their schooling's (persistent ability, contacts, the jobs they can get; ``wage_residual_sd``)"),
    "land": (np.float64, "ha", "land held"),
    "land_quality_log": (np.float64, "1", "log of the effective hectares per hectare of the household's land, backed out at the start (0: quality 1, for households that did not farm at the start)"),
    "rented": (np.float64, "effective ha", "land rented in this year (negative: let)"),
    "assets": (np.float64, "USD", "other assets (savings), never below zero"),
    "tfp": (np.float64, "USD/yr", "farm total factor productivity"),
    "price_share": (np.float64, "1", "share of the farm-gate price the household receives"),
    "employed": (np.int32, "persons", "adults holding wage jobs (at the year's end: the jobs of workers who died or moved away that year opened)"),
    "farm_income": (np.float64, "USD/yr", "farm sales"),
    "wage_income": (np.float64, "USD/yr", "wages net of commuting cost"),
    "enterprise_income": (np.float64, "USD/yr", "income of the household's non-farm enterprise, net of its capital's wear"),
    "enterprise_sales": (np.float64, "USD/yr", "output of the household's non-farm enterprise sold in its node at the starting local price (0: none)"),
    "enterprise_outside": (np.float64, "USD/yr", "output of the household's non-farm enterprise sold outside the territory"),
    "enterprise_capital": (np.float64, "USD", "capital of the household's non-farm enterprise"),
    "enterprise_scale": (np.float64, "USD/yr", "local sales of the household's non-farm enterprise at the starting local price with no adult in it"),
    "enterprise_own_account": (np.bool_, "-", "the household's enterprise was opened by own-account entry (``enterprises.open_own_account``) and closes at ``own_account_exit`` a year"),
    "transfer_income": (np.float64, "USD/yr", "public transfers (the scenario's cash transfers and payments for ecosystem services, and the national conditional cash transfer of its context)"),
    "remittance_income": (np.float64, "USD/yr", "remittances received minus sent"),
    "other_income": (np.float64, "USD/yr", "dividends and local public spending received; in the year a member leaves alone, less its share of the household's income, which is the migrant's (``migration.single_leaves``)"),
    "income": (np.float64, "USD/yr", "total household income"),
    "consumption": (np.float64, "USD/yr", "consumption spending"),
    "migrants_abroad": (np.int32, "persons", "former members living outside the territory"),
    "remits_to": (np.int32, "-", "id of the origin household this migrant household remits to, or -1"),
    "loan_balance": (np.float64, "USD", "outstanding programme loan"),
    "loan_payment": (np.float64, "USD/yr", "scheduled yearly loan payment"),
    "loan_policy": (np.int32, "-", "index of the policy that lent to the household, or -1"),
    "programmes": (np.int64, "-", "bit mask of policies (by index) that ever reached the household"),
    "assistance_gain": (np.float64, "1", "proportional farm productivity gain from practices adopted with technical assistance (decays when not assisted)"),
    "adoption_cost": (np.float64, "USD/yr", "household's yearly cost of applying assisted practices (drawn when first assisted; 0 before)"),
    "child_time_value": (np.float64, "USD/child/yr", "value of a child's time out of school to the household (drawn when first offered a conditional transfer; 0 before)"),
    "child_schooling": (np.float64, "years", "extra schooling of the household's children from attendance a conditional transfer bought; added to those who reach working age"),
}


EMPTY = {"remits_to": -1, "loan_policy": -1}
"""Value of a column in a row no household fills yet (0 for the columns not listed)."""


def _empty_column(name: str, size: int) -> np.ndarray:
    """Storage for column ``name`` with no household in it (zeros from fresh pages where the
    empty value is 0)."""
    arr = np.zeros(size, dtype=COLUMNS[name][0])
    if name in EMPTY:
        arr[:] = EMPTY[name]
    return arr


class HouseholdView:
    """Named read/write access to one household's row (a place within this year: ``id``
    names the household across years, :func:`compact_rows`)."""

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
        columns = {"id": np.arange(n), **columns}
        self._capacity = max(16, int(n * 1.25))
        self._n = self._ever = self._at_start = n
        self._dropped_ties = np.zeros(0, np.int64)  # ids of dropped rows whose ``remits_to`` tie lasts
        self._store: dict[str, np.ndarray] = {}
        for name in COLUMNS:
            arr = _empty_column(name, self._capacity)
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

    @property
    def ever(self) -> int:
        """Households ever made (their ids are 0 .. ever - 1)."""
        return self._ever

    @property
    def at_start(self) -> int:
        """Households the table was made with (ids 0 .. at_start - 1): in two runs from the same
        start, the same households under the same ids; ids made later may name different ones."""
        return self._at_start

    def __len__(self) -> int:
        """Number of households alive."""
        return int(self.alive.sum())

    def __getitem__(self, row: int) -> HouseholdView:
        if not -self._n <= row < self._n:
            raise IndexError(row)
        return HouseholdView(self, row % self._n)

    def append(self, columns: dict[str, np.ndarray]) -> np.ndarray:
        """Add households, with the next ids; columns not given are zero (``remits_to`` -1;
        ``usual_size`` their ``members``). Returns their rows."""
        k = len(columns["node"])
        if "usual_size" not in columns and "members" in columns:
            columns = {**columns, "usual_size": columns["members"]}
        columns = {**columns, "id": np.arange(self._ever, self._ever + k)}
        if self._n + k > self._capacity:
            new_cap = max(int(self._capacity * (1.0 + SPARE_ROWS)), self._n + k)
            for name, arr in self._store.items():
                grown = _empty_column(name, new_cap)
                grown[: self._n] = arr[: self._n]
                self._store[name] = grown
            self._capacity = new_cap
        rows = np.arange(self._n, self._n + k)
        for name, arr in self._store.items():
            if name in columns:
                arr[rows] = columns[name]
            self.__dict__.pop(name, None)  # the views of the rows before
        self._n += k
        self._ever += k
        return rows

    def keep(self, rows: np.ndarray) -> np.ndarray:
        """Keep only the households of ``rows`` (sorted), in their order, in rows 0 .. k - 1;
        the ties (``remits_to``) of the rows dropped are kept by id (:meth:`fade_ties`).
        Returns each row's new row (-1: dropped)."""
        k, n = rows.size, self._n
        new_row = np.full(n, -1, np.int64)
        new_row[rows] = np.arange(k)
        tied = (new_row < 0) & (self.remits_to >= 0)
        # the ids dropped before and those dropped now are two sets of distinct ids with none in
        # common (ids of rows still kept until now): their union is their sorted concatenation
        # (np.union1d's result, twenty times faster than its hashing of unique values)
        self._dropped_ties = np.sort(np.concatenate([self._dropped_ties, self.id[tied]]))
        for name, arr in self._store.items():
            keep_rows(column=arr, rows=rows)
            arr[k:n] = EMPTY.get(name, 0)  # ``append`` writes only the columns it is given
            self.__dict__.pop(name, None)
        self._n = k
        return new_row

    def fade_ties(self, rng: np.random.Generator, chance: float) -> None:
        """Each household's tie to the household it remits to (``remits_to``) ends with
        ``chance``: one draw of ``rng.random`` per tied household in id order, alive or not,
        those of dropped rows included, as in a run never compacted."""
        linked = np.flatnonzero(self.remits_to >= 0)
        dropped = self._dropped_ties
        u = rng.random(linked.size + dropped.size)
        if dropped.size:
            at = np.searchsorted(dropped, self.id[linked]) + np.arange(linked.size)  # places among all ties
            theirs = np.ones(u.size, bool)
            theirs[at] = False
            self._dropped_ties = dropped[u[theirs] >= chance]
            u = u[at]
        self.remits_to[linked[u < chance]] = -1

    def draw(self, sample) -> np.ndarray:
        """One random number per row from ``sample(size=...)`` (e.g. ``rng.random``), drawn
        for every household ever made and picked by ``id``: each household's number, and the
        stream after the draw, are those of a run whose rows were never compacted."""
        values = sample(size=self._ever)
        return values if self._n == self._ever else values[self.id]

    def uniforms(self, rng: np.random.Generator, k: int = 1) -> np.ndarray:
        """``k`` uniform random numbers in [0, 1) per row, (k, rows): ``self.draw(rng.random)``
        ``k`` times over, the same numbers and the generator left in the same state, from a
        compiled generator (``pcg64``: about twice as fast as numpy's and its gather) where
        ``rng`` is numpy's PCG64."""
        out = uniforms(rng, self.id, self._ever, k)
        return np.stack([self.draw(rng.random) for _ in range(k)]) if out is None else out

    def by_id(self, values: np.ndarray) -> np.ndarray:
        """``values`` (one per row) at their households' ids in an array of one entry per
        household ever made, 0 (False) at the ids of dropped rows (``values`` itself when no
        row was dropped)."""
        if self._n == self._ever:
            return values
        out = np.zeros(self._ever, dtype=values.dtype)
        out[self.id] = values
        return out

    def total(self, values: np.ndarray) -> float:
        """``values.sum()`` of float values (one per row, 0 in the rows of households no
        longer alive) as numpy sums it over the rows of a run never compacted: its pairwise
        summation groups values by their place, so a sum over the compacted rows alone
        would differ in the last bits (``exact.pairwise_sum_at``)."""
        if len(values) != self._n:
            raise ValueError(f"total() sums one value per row ({self._n}), not {len(values)}")
        return pairwise_sum_at(np.ascontiguousarray(values, float), self.id, self._ever)

    def nbytes(self) -> int:
        """Memory held by the columns (bytes)."""
        return sum(arr.nbytes for arr in self._store.values())


ASSET_UNIT = 1000.0
"""Household assets (USD) enter farming as (1 + assets / ASSET_UNIT)^c: a unit of scale, not a
behavioural parameter (the elasticity c is ``farm_asset_elasticity``)."""


def asset_factor(assets, asset_el) -> np.ndarray:
    """(1 + assets / ASSET_UNIT)^c: the assets' factor in :func:`farm_output`."""
    return np.power(1.0 + assets / ASSET_UNIT, asset_el)


def farm_output(tfp, land, labour, assets, nature_factor, land_el, labour_el, asset_el) -> np.ndarray:
    """Farm output (USD/yr at full price): TFP land^a labour^b (1 + assets/ASSET_UNIT)^c f(K)
    (with one worker, from the year's parts: ``labour_kernels.revenue_at_one_worker``)."""
    return (tfp * np.power(land, land_el) * np.power(np.maximum(labour, 0), labour_el) * asset_factor(assets, asset_el)
            * nature_factor)


def management_share(params) -> float:
    """1 - a - b: the exponent of the farm's factors other than land and labour in its TFP
    (:func:`farm_output`). A household's TFP is read as A M^(1 - a - b), M the management and
    tools that a farm's land and labour do not measure, held by its adults together: a
    household that splits shares M (:func:`split_tfp`), and a farm of one adult has the TFP
    of M / k of a farm of k adults (``start.settler_tfp``)."""
    return 1.0 - params.farm_land_elasticity - params.farm_labour_elasticity


def split_tfp(params, tfp: np.ndarray, share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The TFP that an adult leaving a farm of TFP ``tfp`` with a ``share`` of its management
    takes, and the TFP the farm keeps: ``tfp`` share^r and ``tfp`` (1 - share)^r, r
    :func:`management_share`, so that the two farms with the same land and labour per unit of
    management as before the split produce what it produced (an adult child forming a household,
    ``formation``; a single member moving inside the territory, ``migration``)."""
    rest = management_share(params)
    return tfp * np.power(share, rest), tfp * np.power(1.0 - share, rest)


def joined_tfp(params, host: np.ndarray, single: np.ndarray) -> np.ndarray:
    """The TFP of a farm of TFP ``host`` that an adult with a farm of TFP ``single`` joins,
    their managements added: (host^(1/r) + single^(1/r))^r, r :func:`management_share`, the
    inverse of :func:`split_tfp` (a farm split in two and joined again has its TFP back; a host
    without a farm takes the single's). At r <= 0 (land's and labour's elasticities summing to
    1 or more) the larger of the two, the limit as r falls to 0.

    A negative TFP counts as none: the start can back one out where a household's target income
    in its rounds falls below its remittances (a few households a run, more at extreme
    parameters; docs/model_choices.md, 'Negative farm productivity at the start'), and its
    power 1/r was not a number, which crashed the run (21 % of the Sobol benchmark's runs)."""
    rest = management_share(params)
    host, single = np.maximum(host, 0.0), np.maximum(single, 0.0)
    larger = np.maximum(host, single)
    if rest <= 0:
        return larger
    scale = np.where(larger > 0, larger, 1.0)
    return larger * np.power(np.power(host / scale, 1.0 / rest) + np.power(single / scale, 1.0 / rest), rest)


def farming_households(model, node: np.ndarray, land: np.ndarray) -> np.ndarray:
    """Which households (at ``node``, holding ``land`` ha) farm: all of a rural
    municipality's (on their land, or as on a garden plot when they hold less), and a city's
    that hold at least ``garden_plot_ha``."""
    # the kinds compared by node, then gathered per household (not a string comparison per household)
    return (np.asarray(model.territory.kinds) != "city")[node] | (land >= model.params.garden_plot_ha)


RECORDED_COLUMNS = ("alive", "node", "members", "income", "land", "assets", "employed", "programmes")
"""Household columns written to ``households.csv`` when a scenario sets ``record_households``."""


def household_record(population: HouseholdPopulation, year: int) -> dict[str, np.ndarray]:
    """A copy of every household row's recorded columns in ``year`` (``row``: the household's
    ``id``, its row in a run whose rows are never compacted, as those that record households are not:
    :func:`compact_rows`)."""
    record = {"year": np.full(population.n, year), "row": population.id.copy()}
    record.update({name: getattr(population, name).copy() for name in RECORDED_COLUMNS})
    return record


def compact_rows(model) -> bool:
    """Drop the rows of households no longer alive at the start of a year, when more than
    ``COMPACT_DEAD_SHARE`` of the rows could go; returns whether it did. Rows a later year
    still reads stay: an estate's owner (its profits leave the territory while the owner is
    absent) and a household a programme reached (comparisons of a run with its twin count
    the reached households by id, alive or not: ``dashboard.compare``, ``experiments.runs``).
    Ties of migrant households (``remits_to``, an id) are drawn for until they fade, alive
    or not, so the dropped rows' ties are kept by id (:meth:`HouseholdPopulation.fade_ties`);
    a tie to a dropped household pays nothing, as one to a household no longer alive.
    Estates' owners are renumbered; the other row numbers a model holds are made anew each
    year before they are read (the year's land for sale, the rental market's
    coefficients). Runs that record households (``households.csv`` lists every household
    ever made, every year) are not compacted."""
    hh = model.households
    if model.scenario.record_households:
        return False
    keep = hh.alive | (hh.programmes != 0)
    keep[model.estates.owner] = True
    if hh.n - np.count_nonzero(keep) <= COMPACT_DEAD_SHARE * hh.n:
        return False
    new_row = hh.keep(np.flatnonzero(keep))
    model.estates.owner = new_row[model.estates.owner]
    model.land_coef = model.land_coef[keep[:model.land_coef.size]]
    return True
