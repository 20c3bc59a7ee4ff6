"""Running a scenario's policies: a thin dispatcher over lever objects.

Each policy becomes an instance of its lever class (``scenarios.levers.REGISTRY``) with an
index ``k``: bit ``k`` of a household's ``programmes`` mask is set once the policy reaches
it (beneficiaries versus non-beneficiaries for impact accounting), and row ``k`` of
``cost`` holds its cost by node this year (USD). Every year the engine finds the active
policies and their targeted nodes, then calls the hooks of the levers that define them
(see ``scenarios.lever_base``).
"""

from __future__ import annotations

import numpy as np

from ..scenarios.lever_base import Lever
from ..scenarios.levers import REGISTRY, collect_repayments
from ..scenarios.loader import MAX_POLICIES, Policy, check_targets
from .exact import nan_to_num


class PolicyEngine:
    """Applies a scenario's policies to a :class:`TerritoryModel`.

    Attributes
    ----------
    policies : tuple of Policy
        The run's policies, in index order.
    labels : list of str
        Their labels.
    levers : list of Lever
        One lever object per policy.
    cost : numpy.ndarray
        This year's cost (USD) by policy and node.
    active : list of Lever
        The levers active this year.
    """

    def __init__(self, model, policies: tuple[Policy, ...]) -> None:
        self.model = model
        check_targets(model.scenario, model.territory)
        self.policies = tuple(policies)
        self.labels = [p.label for p in self.policies]
        self.levers: list[Lever] = [REGISTRY[p.lever](p, k, self) for k, p in enumerate(self.policies)]
        self.cost = np.zeros((len(self.policies), model.n_nodes))
        self.active: list[Lever] = []

    # ------------------------------------------------------------------ targeting
    def target_nodes(self, k: int) -> np.ndarray:
        """Boolean mask over nodes targeted by policy ``k`` this year."""
        m, target = self.model, self.policies[k].target
        if target == "all":
            return m.populated.copy()
        if isinstance(target, tuple):
            mask = np.zeros(m.n_nodes, bool)
            mask[[m.territory.index(t) for t in target]] = True
            return mask
        if "poverty_above" in target:
            return m.populated & (nan_to_num(m.node_stats["poverty_headcount"]) > target["poverty_above"])
        return m.territory.kinds == target["kind"]

    def costs_by_node(self) -> np.ndarray:
        """This year's cost (USD) by policy (rows, in label order) and node."""
        return self.cost

    def set_policy(self, policy: Policy) -> int:
        """Add ``policy``, or replace the policy with the same label (keeping its index, so the
        households it reached stay marked); it takes effect from the next year the model
        steps through. Returns its index. Used to change levers mid-run (classroom)."""
        check_targets(self.model.scenario.replace(policies=(policy,)), self.model.territory)
        if policy.label in self.labels:
            k = self.labels.index(policy.label)
            self.policies = self.policies[:k] + (policy,) + self.policies[k + 1:]
            self.levers[k] = REGISTRY[policy.lever](policy, k, self)
            return k
        if len(self.policies) >= MAX_POLICIES:
            raise ValueError(f"at most {MAX_POLICIES} policies per run (one bit each in a household's programme mask)")
        k = len(self.policies)
        self.policies = self.policies + (policy,)
        self.labels.append(policy.label)
        self.levers.append(REGISTRY[policy.lever](policy, k, self))
        self.cost = np.vstack([self.cost, np.zeros((1, self.model.n_nodes))])
        return k

    def _with(self, hook: str) -> list[Lever]:
        """The active levers whose class defines ``hook`` (the others would do nothing)."""
        return [lv for lv in self.active if getattr(type(lv), hook) is not getattr(Lever, hook)]

    # ------------------------------------------------------------------ the year, in order
    def start_year(self, year: int) -> None:
        """Find this year's active policies and their targets; what programmes left behind
        wears off (:meth:`wear_off`); then the active ones apply their structural changes,
        and the others their idle years (e.g. roads no longer maintained)."""
        self.cost[:] = 0.0
        self.active = [lv for lv in self.levers if lv.policy.active(year)]
        self.wear_off()
        for lv in self.active:
            lv.nodes = self.target_nodes(lv.index)
        for lv in self._with("start_year"):
            lv.start_year()
        for lv in self.levers:
            if lv not in self.active:
                lv.idle_year()

    def wear_off(self) -> None:
        """Before this year's programmes act: adopted farm practices lose a share
        (``assistance_gain_decay``) of their gain, and every household sells at the usual
        farm-gate share (market linkage programmes set their producers' share again each
        year within their buyers' demand; last year's shares stay in ``last_price_share``)."""
        m, hh = self.model, self.model.households
        if hh.assistance_gain.any():
            hh.assistance_gain *= 1.0 - m.params.assistance_gain_decay
        self.last_price_share = hh.price_share.copy()
        hh.price_share = 1.0 - m.params.intermediary_margin

    def decentralisation_share(self, node: int) -> float:
        """Share of national transfers reaching municipality ``node``'s budget this year."""
        share = self.model.params.decentralisation_share
        for lv in self._with("municipal_share"):
            share = lv.municipal_share(node, share)
        return share

    def enforcement_budget(self, node: int) -> float:
        """Extra enforcement money (USD/yr) granted to a municipality this year.

        The grant enters the treasury through the ledger and is spent on enforcement.
        """
        total = 0.0
        for lv in self._with("enforcement_budget"):
            total += lv.enforcement_budget(node)
        return total

    def pay_households(self, year: int) -> np.ndarray:
        """Cash transfers and payments for ecosystem services this year (USD per household)."""
        paid = np.zeros(self.model.households.n)
        for lv in self._with("pay"):
            lv.pay(paid)
        return paid

    def collect_repayments(self, cash: np.ndarray) -> np.ndarray:
        """Loan payments due this year (USD per household); a household that cannot pay
        defaults on the rest. Loans are repaid after their policy's end year too."""
        return collect_repayments(self.model, self.cost, cash)

    def limit_clearing(self, want: np.ndarray, enforcement: np.ndarray) -> np.ndarray:
        """Apply clearing caps (complied with where enforced: enforcement is the chance by node)
        and levers' bans (e.g. enrolment in payments for ecosystem services) to the wanted
        clearing (ha per household)."""
        levers = self._with("limit_clearing")
        if not levers:
            return want
        m, hh = self.model, self.model.households
        cap = np.full(m.n_nodes, np.inf)
        for lv in levers:
            cap, want = lv.limit_clearing(cap, want)
        complies = hh.uniforms(m.streams["policies"])[0] < enforcement[hh.node]
        return np.where(complies, np.minimum(want, cap[hh.node]), want)

    def schooling_gain(self, household_nodes: np.ndarray) -> np.ndarray:
        """Years of schooling added to new adults, per household."""
        gain = np.zeros(self.model.n_nodes)
        for lv in self._with("schooling_gain"):
            gain += lv.schooling_gain()
        return gain[household_nodes]
