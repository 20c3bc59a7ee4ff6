"""The policy lever contract: what every lever declares and the hooks the engine calls.

A lever class declares its ``name``, its numeric ``fields`` (:class:`FieldSpec`: unit,
default, range, meaning) and the ledger ``items`` its spending is booked under. An
instance is one policy of one run: ``policy`` holds the validated values, ``index`` is the
policy's bit in each household's ``programmes`` mask and its row of the cost table.

Every year the policy is active (``policy.start <= year <= policy.end``) the engine sets
``nodes`` (the targeted nodes this year) and calls, in the year's order:

1. :meth:`Lever.start_year` -- structural changes at the start of the year (in the years it
   is not active, :meth:`Lever.idle_year`: e.g. works no longer maintained decay);
2. :meth:`Lever.municipal_share` and :meth:`Lever.enforcement_budget` -- the public sector;
3. :meth:`Lever.pay` -- payments to households;
4. :meth:`Lever.limit_clearing` -- forest clearing (only levers that override it);
5. :meth:`Lever.schooling_gain` -- schooling of new adults.

The engine calls only the hooks a lever overrides. Every USD a lever spends is charged to
its row of the cost table (by node, :meth:`Lever.charge`) and recorded in the ledger
under one of its ``items``; the common checks in ``tests/test_levers.py`` hold every
registered lever to this.

Scale: a scenario states real amounts. Amounts per household (a transfer, a loan) need
nothing, since each simulated household gets them; amounts for a whole territory or node
(a road budget, an enforcement grant) are listed in ``scaled_fields`` and :attr:`Lever.values`
gives them times the run's ``households_scale``, so that a quarter of the households gets a
quarter of the budget. Costs are therefore in simulated USD, like every other money flow of
the run; costs per person and per USD ratios do not depend on the scale
(``tests/test_scale.py``).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ..fields import FieldSpec


class Lever:
    """Base class of a policy lever (one subclass per lever, registered in ``levers.REGISTRY``).

    Parameters
    ----------
    policy : Policy
        The validated policy (lever name, label, start and end years, target, values).
    index : int
        The policy's index in the run: its programme bit and cost row.
    engine : PolicyEngine
        The engine running the policies; gives the model and the cost table.
    """

    name: ClassVar[str] = ""
    """Name used in scenario files (``lever = "..."``)."""
    meaning: ClassVar[str] = ""
    """One-line meaning."""
    fields: ClassVar[tuple[FieldSpec, ...]] = ()
    """The lever's numeric fields."""
    items: ClassVar[tuple[str, ...]] = ()
    """Ledger items its spending is booked under (flows between ``government`` and others);
    empty when its cost is a share of a flow booked elsewhere."""
    repaid: ClassVar[bool] = False
    """Whether its cost is net of repayments, which continue after its end year."""
    scaled_fields: ClassVar[tuple[str, ...]] = ()
    """Fields that are real amounts for the whole territory or one node (e.g. a yearly budget
    in USD/yr, not per household): :attr:`values` gives them times ``households_scale``."""

    def __init__(self, policy, index: int, engine) -> None:
        self.policy = policy
        self.index = index
        self.engine = engine
        self.nodes = np.zeros(0, bool)

    # ------------------------------------------------------------------ declared data
    @classmethod
    def field_specs(cls) -> dict[str, FieldSpec]:
        """The fields by name."""
        return {f.name: f for f in cls.fields}

    @classmethod
    def defaults(cls) -> dict[str, float]:
        """Every field at its default."""
        return {f.name: f.default for f in cls.fields}

    @classmethod
    def check_values(cls, raw: dict, source, where: str) -> dict[str, float]:
        """The lever's field values from ``raw`` (defaults filled in), each checked
        against its spec; errors name ``where.<field>``."""
        return {f.name: float(f.check(raw.get(f.name, f.default), source, f"{where}.{f.name}")) for f in cls.fields}

    # ------------------------------------------------------------------ helpers for hooks
    @property
    def model(self):
        return self.engine.model

    @property
    def households_scale(self) -> float:
        """Simulated households per real household in this run (1 = full size)."""
        return float(self.model.scenario.households_scale)

    @property
    def values(self) -> dict[str, float]:
        """The field values as the simulation spends them: ``scaled_fields`` times
        :attr:`households_scale` (the real budget scaled to the simulated population, in
        simulated USD), the others as the scenario states them (``policy.values``)."""
        values = dict(self.policy.values)
        for name in self.scaled_fields:
            values[name] *= self.households_scale
        return values

    @property
    def cost(self) -> np.ndarray:
        """This year's cost by node (USD), a view of the engine's cost table."""
        return self.engine.cost[self.index]

    @property
    def bit(self) -> np.int64:
        return np.int64(1) << np.int64(self.index)

    def charge(self, nodes_of_spending: np.ndarray, amount: np.ndarray | float) -> None:
        """Add costs per node: ``amount`` for each entry of ``nodes_of_spending`` (node indices)."""
        self.cost[:] += np.bincount(nodes_of_spending, np.broadcast_to(amount, nodes_of_spending.shape),
                                    minlength=self.model.n_nodes)

    def households_in(self, nodes: np.ndarray) -> np.ndarray:
        """Alive households living in the ``nodes`` mask."""
        hh = self.model.households
        return hh.alive & nodes[hh.node]

    def smallholders(self, nodes: np.ndarray, limit_ha: float) -> np.ndarray:
        """Alive households in ``nodes`` holding some land, at most ``limit_ha``."""
        hh = self.model.households
        return self.households_in(nodes) & (hh.land <= limit_ha) & (hh.land > 0)

    def reached(self) -> np.ndarray:
        """Alive households this policy has reached."""
        hh = self.model.households
        return hh.alive & ((hh.programmes & self.bit) != 0)

    def reach(self, eligible: np.ndarray, coverage: float) -> np.ndarray:
        """Extend the policy to a random set of eligible households until ``coverage`` of
        them are reached; returns the rows newly reached."""
        hh = self.model.households
        reached = eligible & ((hh.programmes & self.bit) != 0)
        need = round(coverage * eligible.sum()) - int(reached.sum())
        if need <= 0:
            return np.zeros(0, np.int64)
        pool = np.flatnonzero(eligible & ~reached)
        new = np.sort(self.model.streams["policies"].choice(pool, size=min(need, pool.size), replace=False))
        hh.programmes[new] |= self.bit
        return new

    # ------------------------------------------------------------------ hooks
    def start_year(self) -> None:
        """Structural changes at the start of a year the policy is active."""

    def idle_year(self) -> None:
        """What happens in a year the policy is not active (before its start or after its end)."""

    def municipal_share(self, node: int, share: float) -> float:
        """Share of national transfers reaching municipality ``node`` (given ``share`` so far)."""
        return share

    def enforcement_budget(self, node: int) -> float:
        """Extra enforcement money (USD/yr) granted to municipality ``node``."""
        return 0.0

    def pay(self, paid: np.ndarray) -> None:
        """Add this year's payments (USD per household) to ``paid``, in place."""

    def limit_clearing(self, cap: np.ndarray, want: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Clearing caps by node (ha/household/yr) and wanted clearing by household (ha),
        after this lever's rules."""
        return cap, want

    def schooling_gain(self) -> np.ndarray:
        """Years of schooling added to new adults, by node."""
        return np.zeros(self.model.n_nodes)
